//! Trellis's mail transport: where mail goes (`TRELLIS_SMTP_URL`), who it is from
//! (`TRELLIS_MAIL_FROM`), and sending one message over SMTP with lettre (rustls, no
//! OpenSSL). It decides nothing about who is told what: that is the core's rules and
//! the outbox's job; this crate only delivers.

mod config;
mod send;
mod tls;
pub mod webhook;

pub use config::{MailConfig, Security, SmtpUrl};
pub use send::{Mailer, Outgoing};
pub use webhook::WebhookError;

/// What went wrong; every message names the server as `host:port` and never carries
/// the password.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid SMTP URL: {0}")]
    BadUrl(String),
    #[error("invalid address {address:?}: {reason}")]
    BadAddress { address: String, reason: String },
    #[error("the SMTP server {server} refused the login: {reason}")]
    LoginRefused { server: String, reason: String },
    #[error("the SMTP server {server} could not be reached: {reason}")]
    Unreachable { server: String, reason: String },
    #[error("the SMTP server {server} refused the message: {reason}")]
    Refused {
        server: String,
        reason: String,
        /// A 4xx answer or a network failure: worth trying again later.
        transient: bool,
    },
    #[error("could not build the message: {0}")]
    Build(String),
}

impl MailError {
    /// Whether trying again later may succeed (a network failure, a 4xx answer).
    pub fn is_transient(&self) -> bool {
        match self {
            MailError::Unreachable { .. } => true,
            MailError::Refused { transient, .. } => *transient,
            _ => false,
        }
    }
}
