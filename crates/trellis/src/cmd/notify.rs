//! `trellis notify run`: one pass of the scheduler, for those who prefer cron.

use super::Env;
use crate::cli::NotifyCmd;
use crate::output::instant;

pub async fn run(env: &Env, c: NotifyCmd) -> anyhow::Result<()> {
    match c {
        NotifyCmd::Run {
            dry_run,
            mail,
            public_url,
        } => {
            let mailer = match super::mail::config(&mail)? {
                Some(cfg) => Some(checked(trellis_mail::Mailer::new(&cfg)?, dry_run).await?),
                None if dry_run => None,
                None => {
                    eprintln!(
                        "note: no SMTP server configured (TRELLIS_SMTP_URL): messages are planned, not sent"
                    );
                    None
                }
            };
            let now = env.ctx.now;
            let report = trellis_app::notify::run(
                &env.store,
                mailer.as_ref(),
                &public_url,
                dry_run,
                move || {
                    if dry_run { now } else { super::clock_now() }
                },
            )
            .await?;
            if let Some(m) = &mailer {
                m.close().await;
            }
            env.out.emit(&report, || {
                let mut lines: Vec<String> = report
                    .due
                    .iter()
                    .map(|m| {
                        format!(
                            "{}  {}  {}  {}",
                            instant(m.planned_at),
                            m.kind,
                            m.recipient,
                            m.subject
                        )
                    })
                    .collect();
                if lines.is_empty() {
                    lines.push("nothing is due".into());
                }
                if !dry_run {
                    lines.push(format!("{} newly planned", report.planned));
                }
                if let Some(s) = &report.sent {
                    lines.push(format!(
                        "sent {}, to retry {}, failed {}, cancelled {}",
                        s.sent, s.retried, s.failed, s.cancelled
                    ));
                }
                lines.join("\n")
            })
        }
    }
}

/// A pass from cron logs in first: a refused login stops it with the reason, before any
/// message is marked failed for it. An unreachable server does not: the pass plans and
/// queues, and the messages are tried again later.
async fn checked(
    mailer: trellis_mail::Mailer,
    dry_run: bool,
) -> anyhow::Result<trellis_mail::Mailer> {
    if dry_run {
        return Ok(mailer);
    }
    match mailer.verify().await {
        Err(e) if !e.is_transient() => Err(e.into()),
        Err(e) => {
            eprintln!("warning: {e}; messages will be tried again later");
            Ok(mailer)
        }
        Ok(()) => Ok(mailer),
    }
}

/// The scheduler inside `trellis serve`: a pass every `every` seconds while the server
/// runs. Off (with a log line) without an SMTP server. A failed pass is logged and the
/// next one tries again; passes of several servers on one database do not collide.
pub fn spawn_scheduler(
    store: trellis_store::Store,
    mailer: Option<trellis_mail::Mailer>,
    public_url: String,
    every: u64,
) {
    let Some(mailer) = mailer else {
        tracing::info!("reminders are off: no SMTP server configured (TRELLIS_SMTP_URL)");
        return;
    };
    tracing::info!(server = mailer.server(), every, "reminders are on");
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(every.max(1)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match trellis_app::notify::run(
                &store,
                Some(&mailer),
                &public_url,
                false,
                super::clock_now,
            )
            .await
            {
                Ok(r) => {
                    if let Some(s) = r
                        .sent
                        .filter(|s| s.sent + s.retried + s.failed + s.cancelled > 0)
                    {
                        tracing::info!(
                            planned = r.planned,
                            sent = s.sent,
                            retried = s.retried,
                            failed = s.failed,
                            cancelled = s.cancelled,
                            "reminders"
                        );
                    }
                }
                Err(e) => tracing::warn!(error = %e, "reminder pass failed"),
            }
        }
    });
}
