use super::{Env, parse_id};
use crate::cli::{CheckinArgs, OrganizerCmd};
use crate::output::table;
use std::io::{BufRead, IsTerminal, Write};
use trellis_app::organizers::{CheckinView, Organizer};
use trellis_core::checkin::{ITEMS, parse_answers};
use trellis_core::{CoreError, EventId};

pub async fn run(env: &Env, cmd: OrganizerCmd) -> anyhow::Result<()> {
    match cmd {
        OrganizerCmd::Add {
            name,
            email,
            programs,
        } => {
            let mut ids = Vec::new();
            for p in &programs {
                ids.push(env.store.find_program(p).await?.id);
            }
            let o = Organizer::from(
                env.store
                    .add_organizer(&env.ctx, &name, email.as_deref(), &ids)
                    .await?,
            );
            env.out
                .emit(&serde_json::json!({ "id": o.id, "organizer": o }), || {
                    format!("organizer {} added: {}", o.id, o.name)
                })
        }
        OrganizerCmd::List => {
            let list = trellis_app::organizers::list(&env.store).await?;
            env.out.emit(&list, || {
                let rows = list
                    .iter()
                    .map(|o| {
                        vec![
                            o.id.to_string(),
                            o.name.clone(),
                            o.email.clone().unwrap_or_default(),
                            o.programs
                                .iter()
                                .map(|p| p.to_string())
                                .collect::<Vec<_>>()
                                .join(", "),
                            o.retired_at
                                .map(trellis_core::time::rfc3339_utc)
                                .unwrap_or_default(),
                        ]
                    })
                    .collect();
                table(&["ID", "NAME", "E-MAIL", "PROGRAMS", "RETIRED"], rows)
            })
        }
        OrganizerCmd::Retire { organizer, to } => {
            let r = trellis_app::handoff::retire(&env.store, &env.ctx, &organizer, to.as_deref())
                .await?;
            env.out.emit(&r, || retired_text(&r))
        }
    }
}

/// What `organizer retire` did, in words.
fn retired_text(r: &trellis_app::handoff::RetireResult) -> String {
    let titles = |events: &[trellis_app::handoff::OwnedEvent]| {
        events
            .iter()
            .map(|e| format!("{} ({})", e.title, e.id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = format!("organizer {} retired: {}", r.organizer.id, r.organizer.name);
    if let Some(to) = &r.to {
        out.push_str(&format!("\nhanded to {} ({})", to.name, to.id));
        if !r.events.is_empty() {
            out.push_str(&format!(
                "\ndue items (retro, follow-ups) now owned by {}: {}",
                to.name,
                titles(&r.events)
            ));
        }
    }
    if !r.events_to_default_owner.is_empty() {
        out.push_str(&format!(
            "\ndue items now owned by their program's first active organizer: {}",
            titles(&r.events_to_default_owner)
        ));
    }
    out.push_str(&format!(
        "\nplanned reminders: {} re-addressed, {} cancelled",
        r.messages_moved, r.messages_cancelled
    ));
    out
}

/// Asks the seven items on the terminal.
fn ask() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let mut out = std::io::stderr();
    let mut answers = Vec::new();
    writeln!(out, "Answer each item 1–5 (1 = the first option).")?;
    for (i, (question, scale)) in ITEMS.iter().enumerate() {
        let opts: Vec<String> = scale
            .options()
            .iter()
            .enumerate()
            .map(|(k, o)| format!("{} {o}", k + 1))
            .collect();
        loop {
            write!(out, "{}. {question}\n   [{}]: ", i + 1, opts.join(" · "))?;
            out.flush()?;
            let mut line = String::new();
            if stdin.lock().read_line(&mut line)? == 0 {
                return Err(
                    CoreError::at("--answers", "input ended before all seven answers").into(),
                );
            }
            match line.trim().parse::<u8>() {
                Ok(v @ 1..=5) => {
                    answers.push(v.to_string());
                    break;
                }
                _ => writeln!(out, "   please answer 1 to 5")?,
            }
        }
    }
    Ok(answers.join(","))
}

pub async fn checkin(env: &Env, a: CheckinArgs) -> anyhow::Result<()> {
    if let Some(crate::cli::CheckinCmd::Show { organizer }) = a.show {
        let list = trellis_app::organizers::checkins(&env.store, &organizer).await?;
        return env.out.emit(&list, || {
            if list.is_empty() {
                return format!("no check-ins by {organizer} yet");
            }
            let rows = list
                .iter()
                .map(|c| {
                    vec![
                        c.event.to_string(),
                        trellis_core::time::rfc3339_utc(c.at),
                        format!("{:.0}{}", c.score, if c.high { " (high)" } else { "" }),
                        c.hours.to_string(),
                    ]
                })
                .collect();
            crate::output::table(&["EVENT", "AT", "SCORE", "HOURS"], rows)
        });
    }
    // clap requires these without the subcommand; a missing one is a usage error.
    let (Some(event), Some(organizer), Some(hours)) = (a.event, a.organizer, a.hours) else {
        return Err(CoreError::at("checkin", "needs EVENT, --organizer and --hours").into());
    };
    let raw = match a.answers {
        Some(r) => r,
        None if std::io::stdin().is_terminal() => ask()?,
        None => {
            return Err(CoreError::at(
                "--answers",
                "is needed when not on a terminal (seven answers 1–5, e.g. 2,3,3,2,4,3,2)",
            )
            .into());
        }
    };
    let answers = parse_answers(&raw)?;
    let c = CheckinView::from(
        env.store
            .checkin(
                &env.ctx,
                EventId(parse_id("EVENT", &event)?),
                &organizer,
                answers,
                hours,
            )
            .await?,
    );
    env.out.emit(&c, || {
        format!(
            "check-in of {} for event {}: burnout score {:.0} of 100{}, {} hours",
            c.organizer,
            c.event,
            c.score,
            if c.high { " (high: 50 or more)" } else { "" },
            c.hours
        )
    })
}
