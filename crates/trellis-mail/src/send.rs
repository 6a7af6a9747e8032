//! One SMTP connection pool per process, and one message at a time through it.

use crate::MailError;
use crate::config::{MailConfig, Security};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

/// A message as Trellis writes it: plain text, one recipient.
#[derive(Debug, Clone, Default)]
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub reply_to: Option<String>,
    /// The one-click unsubscribe URL (RFC 8058): set for every message to someone who
    /// is not an organizer.
    pub unsubscribe: Option<String>,
}

/// Sends through one configured server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    server: String,
}

/// Long enough for a slow relay, short enough that a dead one does not hold a pass.
const TIMEOUT: Duration = Duration::from_secs(20);

pub(crate) fn mailbox(address: &str) -> Result<Mailbox, MailError> {
    address
        .trim()
        .parse::<Mailbox>()
        .map_err(|e| MailError::BadAddress {
            address: address.trim().to_owned(),
            reason: e.to_string(),
        })
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Mailer, MailError> {
        let smtp = &config.smtp;
        let tls = |host: &str| {
            TlsParameters::new(host.to_owned()).map_err(|e| MailError::BadUrl(e.to_string()))
        };
        let tls = match smtp.security {
            Security::Plain => Tls::None,
            Security::StartTls => Tls::Required(tls(&smtp.host)?),
            Security::Implicit => Tls::Wrapper(tls(&smtp.host)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
            .port(smtp.port)
            .tls(tls)
            .timeout(Some(TIMEOUT));
        if let Some(user) = &smtp.user {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                smtp.password().unwrap_or_default().to_owned(),
            ));
        }
        Ok(Mailer {
            transport: builder.build(),
            from: mailbox(&config.from)?,
            server: smtp.server(),
        })
    }

    /// `host:port` of the server.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Sends one message; `Ok` holds the server's answer (e.g. `250 OK queued as …`).
    pub async fn send(&self, message: &Outgoing) -> Result<String, MailError> {
        let email = self.build(message)?;
        match self.transport.send(email).await {
            Ok(response) => {
                let text: Vec<&str> = response.message().collect();
                Ok(format!("{} {}", response.code(), text.join(" ")))
            }
            Err(e) => Err(self.explain(&e)),
        }
    }

    fn build(&self, m: &Outgoing) -> Result<Message, MailError> {
        let mut b = Message::builder()
            .from(self.from.clone())
            .to(mailbox(&m.to)?)
            .subject(m.subject.clone());
        if let Some(r) = &m.reply_to {
            b = b.reply_to(mailbox(r)?);
        }
        if let Some(url) = &m.unsubscribe {
            b = b
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        b.body(m.body.clone())
            .map_err(|e| MailError::Build(e.to_string()))
    }

    /// lettre's error, said with the server's name and sorted into what the caller acts on.
    fn explain(&self, e: &lettre::transport::smtp::Error) -> MailError {
        let server = self.server.clone();
        let reason = e.to_string();
        let code = e.status().map(|c| c.to_string());
        let login = reason.to_ascii_lowercase().contains("auth")
            || code
                .as_deref()
                .is_some_and(|c| c == "535" || c == "534" || c == "530");
        if e.is_permanent() && login {
            MailError::LoginRefused { server, reason }
        } else if e.is_response() || e.is_transient() || e.is_permanent() {
            MailError::Refused {
                server,
                reason,
                transient: e.is_transient(),
            }
        } else {
            MailError::Unreachable { server, reason }
        }
    }
}
