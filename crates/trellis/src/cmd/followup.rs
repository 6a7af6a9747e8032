use super::{Env, parse_id};
use crate::cli::FollowupCmd;
use crate::output::table;
use trellis_app::followups::{FollowupView, SentFollowup};
use trellis_core::followup::{Channel, Outcome};
use trellis_core::{CoreError, EventId, PersonId};

pub async fn run(env: &Env, cmd: FollowupCmd) -> anyhow::Result<()> {
    match cmd {
        FollowupCmd::Suggest { event, n } => suggest(env, &event, n).await,
        FollowupCmd::Send {
            event,
            person,
            channel,
            suggested,
            public_url,
            mail,
        } => match (channel.as_str(), person) {
            ("email", person) => email(env, &event, person, suggested, &public_url, &mail).await,
            (_, Some(person)) => send(env, &event, &person, &channel, &public_url).await,
            (_, None) => Err(CoreError::invalid(
                "--suggested",
                "",
                "needs --channel email (the other channels are one person at a time)",
            )
            .into()),
        },
        FollowupCmd::Answer { key, text, outcome } => {
            let outcome: Option<Outcome> = outcome.as_deref().map(str::parse).transpose()?;
            let f = FollowupView::from(
                env.store
                    .answer_followup(&env.ctx, &key, &text, outcome)
                    .await?,
            );
            env.out.emit(&f, || {
                format!("answer recorded for {} (follow-up {})", f.name, f.id)
            })
        }
        FollowupCmd::Status { event } => status(env, &event).await,
    }
}

async fn suggest(env: &Env, event: &str, n: usize) -> anyhow::Result<()> {
    let s = trellis_app::followups::suggest(
        &env.store,
        EventId(parse_id("EVENT", event)?),
        n,
        env.ctx.now,
    )
    .await?;
    env.out.emit(&s, || {
        let mut out = format!("rule: {}\nsent {} of {}\n\n", s.rule, s.sent, s.minimum);
        if s.people.is_empty() {
            out.push_str("nobody left to suggest");
            return out;
        }
        let rows = s
            .people
            .iter()
            .map(|p| {
                vec![
                    p.person.to_string(),
                    p.name.clone(),
                    p.why.to_owned(),
                    p.note.clone().unwrap_or_default(),
                ]
            })
            .collect();
        out.push_str(&table(&["ID", "NAME", "WHY", "RETRO NOTE"], rows));
        out.push_str(&format!(
            "\n\nsend with: trellis followup send {} <ID> --channel message|form|chat",
            s.event
        ));
        out
    })
}

async fn send(
    env: &Env,
    event: &str,
    person: &str,
    channel: &str,
    public_url: &str,
) -> anyhow::Result<()> {
    let channel: Channel = channel.parse()?;
    let f = SentFollowup::from(
        env.store
            .send_followup(
                &env.ctx,
                EventId(parse_id("EVENT", event)?),
                PersonId(parse_id("PERSON", person)?),
                channel,
                public_url,
            )
            .await?,
    );
    env.out.emit(&f, || {
        let mut s = format!(
            "follow-up {} recorded ({})\n\n{}\n",
            f.id, f.channel, f.message
        );
        if let Some(link) = &f.link {
            s.push_str(&format!("\nanswer page (single use): {link}\n"));
        }
        s
    })
}

async fn status(env: &Env, event: &str) -> anyhow::Result<()> {
    let s = trellis_app::followups::status(&env.store, EventId(parse_id("EVENT", event)?)).await?;
    let json = serde_json::json!({
        "event": s.event, "sent": s.sent, "minimum": s.minimum, "answered": s.answered, "due": crate::output::instant(s.due),
        "followups": s.followups,
    });
    env.out.emit(&json, || {
        let mut out = format!(
            "follow-ups for event {} '{}': {} of {} sent, {} answered; due {}\n",
            s.event,
            s.event_title,
            s.sent,
            s.minimum,
            s.answered,
            crate::output::instant(s.due)
        );
        if !s.followups.is_empty() {
            let rows = s
                .followups
                .iter()
                .map(|f| {
                    vec![
                        f.id.to_string(),
                        f.name.clone(),
                        f.channel.to_string(),
                        crate::output::instant(f.sent_at),
                        f.outcome.map(|o| o.to_string()).unwrap_or_default(),
                        f.answer.clone().unwrap_or_else(|| "–".into()),
                    ]
                })
                .collect();
            out.push('\n');
            out.push_str(&table(
                &["ID", "PERSON", "CHANNEL", "SENT", "OUTCOME", "ANSWER"],
                rows,
            ));
        }
        out
    })
}

/// `--channel email`: each person's message and form link, mailed through the outbox.
async fn email(
    env: &Env,
    event: &str,
    person: Option<String>,
    suggested: bool,
    public_url: &str,
    mail: &crate::cli::MailArgs,
) -> anyhow::Result<()> {
    let mailer = super::mail::mailer(mail)?;
    let event = EventId(parse_id("EVENT", event)?);
    let people = match person {
        Some(p) if !suggested => vec![PersonId(parse_id("PERSON", &p)?)],
        _ => trellis_app::followups::suggest(&env.store, event, usize::MAX, env.ctx.now)
            .await?
            .people
            .iter()
            .map(|p| p.person)
            .collect(),
    };
    let r = trellis_app::followup_mail::send(
        &env.store,
        &env.ctx,
        &mailer,
        public_url,
        event,
        &people,
        super::clock_now,
    )
    .await?;
    env.out.emit(&r, || {
        let mut lines: Vec<String> = r
            .people
            .iter()
            .map(|m| match (m.skipped, &m.to) {
                (Some(why), _) => format!("{} ({}): skipped, {why}", m.name, m.person),
                (None, to) => format!(
                    "{} ({}): mailed to {}",
                    m.name,
                    m.person,
                    to.as_deref().unwrap_or("")
                ),
            })
            .collect();
        lines.push(format!(
            "sent {}, to retry {}, failed {}",
            r.sent.sent, r.sent.retried, r.sent.failed
        ));
        lines.join("\n")
    })
}
