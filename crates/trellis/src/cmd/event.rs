use super::{Env, parse_id};
use crate::cli::EventCmd;
use crate::output::{mark, or_dash, table};
use trellis_app::event_page::{EventDetail, GateCheck};
use trellis_app::events::{EventSummary, StatusChange};
use trellis_core::event::EventStatus;
use trellis_core::{EventId, ProgramId};
use trellis_store::{EventEdit, NewEvent};

pub fn events_table(events: &[EventSummary], with_program: bool) -> String {
    let rows = events
        .iter()
        .map(|e| {
            let mut r = vec![e.id.to_string()];
            let mut title = e.title.clone();
            match (&e.cohost, with_program) {
                (Some(c), true) => r.push(format!("{}, with {c}", e.program)),
                (None, true) => r.push(e.program.clone()),
                (Some(c), false) => title.push_str(&format!(" ({} with {c})", e.program)),
                (None, false) => {}
            }
            r.extend([
                format!("{} {}", e.starts_local, short_zone(&e.tz)),
                title,
                e.status.to_string(),
                match e.status {
                    EventStatus::Held | EventStatus::Closed => {
                        format!("{} presented", e.demos_presented)
                    }
                    EventStatus::Cancelled => "–".to_owned(),
                    _ => format!("{} confirmed", e.demos_confirmed),
                },
                format!("{}/{}", e.slots_taken, e.slots),
            ]);
            r
        })
        .collect();
    let mut headers = vec!["ID"];
    if with_program {
        headers.push("PROGRAM");
    }
    headers.extend(["STARTS", "TITLE", "STATUS", "DEMOS", "SLOTS"]);
    table(&headers, rows)
}

/// `Europe/Berlin` → `Berlin`: enough to read a table by.
fn short_zone(tz: &str) -> &str {
    tz.rsplit('/').next().unwrap_or(tz)
}

/// The event's page, its reasons in the CLI's words (the JSON's `reasons` too).
pub async fn detail(env: &Env, id: EventId) -> anyhow::Result<EventDetail> {
    let mut d = trellis_app::event_page::event_page(&env.store, id, env.ctx.now).await?;
    for g in &mut d.gates {
        g.reword(crate::render::reason);
    }
    Ok(d)
}

pub fn gate_lines(gates: &[GateCheck]) -> String {
    let mut s = String::new();
    for g in gates {
        let subject = match g.demo {
            Some(d) => format!("confirm demo {d}"),
            None => g.action.clone(),
        };
        if g.allowed {
            s.push_str(&format!("  {} {subject}: {} passes\n", mark(true), g.gate));
        }
        for r in &g.reasons {
            s.push_str(&format!("  {} {subject}: {}: {r}\n", mark(false), g.gate));
        }
    }
    s
}

fn detail_text(d: &EventDetail) -> String {
    let e = &d.event;
    let mut s = format!("event {}: {} [{}]\n", e.id, e.title, e.status);
    s.push_str(&format!("program     {} ({})\n", e.program, e.program_id));
    if let (Some(c), Some(id)) = (&e.cohost, e.cohost_program_id) {
        s.push_str(&format!(
            "co-host     {c} ({id}): counts in both programs' metrics\n"
        ));
    }
    s.push_str(&format!(
        "starts      {} {} ({})\n",
        e.starts_local,
        e.tz,
        crate::output::local(&e.starts_at)
    ));
    s.push_str(&format!("venue       {}\n", or_dash(e.venue.as_deref())));
    s.push_str(&format!(
        "slots       {} of {} taken, {} free; {} presenters confirmed of the {} needed to announce\n",
        e.slots_taken, e.slots, d.slots_free, d.presenters_confirmed, d.demo_target
    ));
    let by: Vec<String> = d
        .demos_by_status
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    s.push_str(&format!(
        "demos       {}\n",
        if by.is_empty() {
            "none yet".into()
        } else {
            by.join(", ")
        }
    ));
    let a = &d.attendance;
    s.push_str(&format!(
        "attendance  going {}, waitlist {}, declined {}, invited {}; checked in {}\n",
        a.going, a.waitlist, a.declined, a.invited, a.checked_in
    ));
    if !d.demos.is_empty() {
        s.push_str(&format!("\n{}\n", super::demo::demos_table(&d.demos)));
    }
    match d.next_step {
        Some(next) => {
            let verb = match next {
                EventStatus::Announced => "announce",
                EventStatus::Held => "held (after the evening)",
                EventStatus::Closed => "close the cycle",
                _ => next.as_str(),
            };
            s.push_str(&format!("\nnext step: {verb}\n"));
            if d.gates.is_empty() {
                s.push_str("  no gate guards it\n");
            } else {
                s.push_str(&gate_lines(&d.gates));
            }
        }
        None => s.push_str("\nthe event is finished\n"),
    }
    s.push_str("\nhistory\n");
    for h in &d.history {
        let from = h.from.map_or("created as".to_owned(), |f| format!("{f} →"));
        s.push_str(&format!(
            "  {}  {from} {} by {}\n",
            crate::output::instant(h.at),
            h.to,
            h.actor
        ));
    }
    s
}

fn change_text(c: &StatusChange, title: &str) -> String {
    let mut s = format!(
        "event {} '{}': {} → {}",
        c.event,
        title,
        c.from.map_or("–".to_owned(), |f| f.to_string()),
        c.to
    );
    for o in &c.overrides {
        s.push_str(&format!(
            "\noverride of {} recorded (id {}): {}",
            o.gate, o.id, o.reason
        ));
        for r in &o.reasons {
            s.push_str(&format!("\n  passed: {r}"));
        }
    }
    s
}

async fn transition(
    env: &Env,
    id: &str,
    to: EventStatus,
    override_reason: Option<&str>,
) -> anyhow::Result<()> {
    let id = EventId(parse_id("ID", id)?);
    let c = StatusChange::from(
        env.store
            .set_event_status(&env.ctx, id, to, override_reason)
            .await?,
    );
    let title = env.store.event(id).await?.title;
    env.out.emit(&c, || change_text(&c, &title))
}

pub async fn run(env: &Env, cmd: EventCmd) -> anyhow::Result<()> {
    match cmd {
        EventCmd::New {
            program,
            title,
            at,
            slots,
            venue,
            capacity,
            override_reason,
            backfill,
            cohost,
        } => {
            let program = env.store.find_program(&program).await?;
            let new = NewEvent {
                program: program.id,
                title,
                at,
                slots,
                venue,
                capacity,
                cohost: cohost_id(env, cohost.as_deref()).await?,
            };
            if backfill {
                backfill_event(env, &new).await
            } else {
                new_event(env, &new, program.settings.demo_target, override_reason).await
            }
        }
        EventCmd::List { program } => list(env, program).await,
        EventCmd::Show { id } => {
            let d = detail(env, EventId(parse_id("ID", &id)?)).await?;
            env.out.emit(&d, || detail_text(&d))
        }
        EventCmd::Edit {
            id,
            title,
            at,
            slots,
            venue,
            capacity,
            cohost,
            no_cohost,
        } => {
            let cohost = match (cohost, no_cohost) {
                (_, true) => Some(None),
                (Some(c), false) => Some(cohost_id(env, Some(&c)).await?),
                (None, false) => None,
            };
            let edit = EventEdit {
                title,
                at,
                slots,
                venue,
                capacity,
                cohost,
            };
            edit_event(env, &id, &edit).await
        }
        EventCmd::Announce {
            id,
            override_reason,
        } => transition(env, &id, EventStatus::Announced, override_reason.as_deref()).await,
        EventCmd::Held { id } => transition(env, &id, EventStatus::Held, None).await,
        EventCmd::Close {
            id,
            override_reason,
        } => transition(env, &id, EventStatus::Closed, override_reason.as_deref()).await,
        EventCmd::Cancel { id } => transition(env, &id, EventStatus::Cancelled, None).await,
    }
}

/// The program named by `--cohost`, by id or exact name.
async fn cohost_id(env: &Env, key: Option<&str>) -> anyhow::Result<Option<ProgramId>> {
    match key {
        Some(k) => Ok(Some(env.store.find_program(k).await?.id)),
        None => Ok(None),
    }
}

async fn backfill_event(env: &Env, new: &NewEvent) -> anyhow::Result<()> {
    let e = EventSummary::from(env.store.backfill_event(&env.ctx, new).await?);
    env.out.emit(&serde_json::json!({ "id": e.id, "event": e }), || {
        format!(
            "event {} backfilled as held: {} on {} {} (history: no gate asked, no time-to-ship)",
            e.id, e.title, e.starts_local, e.tz
        )
    })
}

async fn new_event(
    env: &Env,
    new: &NewEvent,
    demo_target: u32,
    override_reason: Option<String>,
) -> anyhow::Result<()> {
    let e = trellis_app::plan::plan_event(&env.store, &env.ctx, new, override_reason.as_deref())
        .await?;
    env.out.emit(&serde_json::json!({ "id": e.id, "event": e }), || {
        format!(
            "event {} created as draft: {} on {} {}{} ({} slots; announce once {} demos are confirmed)",
            e.id,
            e.title,
            e.starts_local,
            e.tz,
            e.cohost
                .as_ref()
                .map_or(String::new(), |c| format!(", co-hosted with {c}")),
            e.slots,
            demo_target
        )
    })
}

async fn list(env: &Env, program: Option<String>) -> anyhow::Result<()> {
    let program = match program {
        Some(p) => Some(env.store.find_program(&p).await?.id),
        None => None,
    };
    let events = trellis_app::events::list(&env.store, program).await?;
    env.out.emit(&events, || {
        if events.is_empty() {
            return "no events yet: `trellis event new --program <ID> --title <TITLE> --at \"YYYY-MM-DD HH:MM\"`".into();
        }
        events_table(&events, program.is_none())
    })
}

async fn edit_event(env: &Env, id: &str, edit: &EventEdit) -> anyhow::Result<()> {
    let id = EventId(parse_id("ID", id)?);
    let e = EventSummary::from(env.store.edit_event(&env.ctx, id, edit).await?);
    env.out.emit(&e, || {
        let with = e
            .cohost
            .as_ref()
            .map_or(String::new(), |c| format!(", co-hosted with {c}"));
        format!(
            "event {} updated: {} on {} {}, {} slots{with}",
            e.id, e.title, e.starts_local, e.tz, e.slots
        )
    })
}
