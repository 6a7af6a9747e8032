//! `trellis mail test`: the SMTP configuration checked by sending one real message.

use crate::cli::{MailArgs, MailCmd};
use crate::output::Out;
use anyhow::Context as _;
use trellis_mail::{MailConfig, Mailer, Outgoing};

/// The mail configuration from flags or the environment; `None` when no server is set.
pub fn config(a: &MailArgs) -> anyhow::Result<Option<MailConfig>> {
    let Some(url) = a.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) else {
        return Ok(None);
    };
    let from = a
        .mail_from
        .as_deref()
        .filter(|f| !f.trim().is_empty())
        .context("TRELLIS_MAIL_FROM (or --mail-from) is needed with an SMTP server")?;
    Ok(Some(MailConfig::new(url, from)?))
}

/// A mailer for a configuration that must be there.
pub fn mailer(a: &MailArgs) -> anyhow::Result<Mailer> {
    let cfg = config(a)?
        .context("no SMTP server: set TRELLIS_SMTP_URL (or --smtp-url), e.g. smtp://user:pass@mail.example.org:587")?;
    Ok(Mailer::new(&cfg)?)
}

pub async fn run(c: MailCmd, out: Out) -> anyhow::Result<()> {
    match c {
        MailCmd::Test { address, mail } => {
            let mailer = mailer(&mail)?;
            let answer = mailer
                .send(&Outgoing {
                    to: address.clone(),
                    subject: "Trellis mail test".into(),
                    body: "This message checks that Trellis can send mail. Nothing to do.\n".into(),
                    ..Outgoing::default()
                })
                .await?;
            let server = mailer.server().to_owned();
            out.emit(
                &serde_json::json!({ "to": address, "server": server, "answer": answer }),
                || format!("sent to {address} through {server}: {answer}"),
            )
        }
    }
}
