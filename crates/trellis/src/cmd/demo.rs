use super::{Env, parse_id};
use crate::cli::DemoCmd;
use crate::output::table;
use trellis_app::demos::DemoView;
use trellis_core::demo::{Checklist, DemoStatus};
use trellis_core::{DemoId, EventId, PersonId};
use trellis_store::{NewDemo, ScreeningInput};

fn demo_text(d: &DemoView) -> String {
    let presenters: Vec<String> = d
        .presenters
        .iter()
        .map(|p| format!("{} ({})", p.name, p.id))
        .collect();
    let mut s = format!("demo {}: {} [{}]\n", d.id, d.title, d.status);
    s.push_str(&format!("event       {}\n", d.event));
    s.push_str(&format!("presenters  {}\n", presenters.join(", ")));
    s.push_str(&format!(
        "screening   {}{}\n",
        if d.screening_passed {
            "passed"
        } else {
            "not passed"
        },
        if d.checklist.is_empty() {
            String::new()
        } else {
            format!(" ({})", d.checklist.join(", "))
        }
    ));
    if let Some(n) = &d.screening_note {
        s.push_str(&format!("note        {n}\n"));
    }
    s.push_str(&format!(
        "contract    {}\n",
        d.contract_accepted_at
            .map_or("not accepted".to_owned(), crate::output::instant)
    ));
    for o in &d.overrides {
        s.push_str(&format!(
            "override of {} recorded (id {}): {}\n",
            o.gate, o.id, o.reason
        ));
        for r in &o.reasons {
            s.push_str(&format!("  passed: {r}\n"));
        }
    }
    s
}

/// The demos of an event as a table, with where each stands on screening and contract.
pub fn demos_table(demos: &[DemoView]) -> String {
    let rows = demos
        .iter()
        .map(|x| {
            let presenters: Vec<&str> = x.presenters.iter().map(|p| p.name.as_str()).collect();
            vec![
                x.id.to_string(),
                x.status.to_string(),
                x.title.clone(),
                presenters.join(", "),
                if x.screening_passed { "passed" } else { "–" }.to_owned(),
                if x.contract_accepted_at.is_some() {
                    "accepted"
                } else {
                    "–"
                }
                .to_owned(),
            ]
        })
        .collect();
    table(
        &[
            "DEMO",
            "STATUS",
            "TITLE",
            "PRESENTERS",
            "SCREENING",
            "CONTRACT",
        ],
        rows,
    )
}

fn demo_id(raw: &str) -> Result<DemoId, trellis_core::CoreError> {
    Ok(DemoId(parse_id("ID", raw)?))
}

pub async fn run(env: &Env, cmd: DemoCmd) -> anyhow::Result<()> {
    let (store, ctx) = (&env.store, &env.ctx);
    let view = match cmd {
        DemoCmd::Propose {
            event,
            persons,
            title,
        } => return propose(env, &event, &persons, title).await,
        DemoCmd::Link { id, public_url } => return link(env, &id, &public_url).await,
        DemoCmd::List { event } => return list(env, &event).await,
        DemoCmd::Screen {
            id,
            pass,
            fail: _,
            checklist,
            note,
        } => {
            let input = ScreeningInput {
                passed: pass,
                checklist: checklist.as_deref().map(Checklist::parse).transpose()?,
                note,
            };
            store.screen_demo(ctx, demo_id(&id)?, &input).await?
        }
        DemoCmd::Contract { id } => store.accept_contract(ctx, demo_id(&id)?).await?,
        DemoCmd::Confirm {
            id,
            override_reason,
        } => {
            store
                .confirm_demo(ctx, demo_id(&id)?, override_reason.as_deref())
                .await?
        }
        DemoCmd::Presented { id } => outcome(env, &id, DemoStatus::Presented).await?,
        DemoCmd::NoShow { id } => outcome(env, &id, DemoStatus::NoShow).await?,
        DemoCmd::Withdraw { id } => outcome(env, &id, DemoStatus::Withdrawn).await?,
        DemoCmd::Show { id } => store.demo(demo_id(&id)?).await?,
    };
    let view = DemoView::from(view);
    env.out.emit(&view, || demo_text(&view))
}

async fn outcome(
    env: &Env,
    id: &str,
    status: DemoStatus,
) -> anyhow::Result<trellis_store::DemoView> {
    Ok(env
        .store
        .set_demo_outcome(&env.ctx, demo_id(id)?, status)
        .await?)
}

async fn propose(env: &Env, event: &str, persons: &[String], title: String) -> anyhow::Result<()> {
    let presenters = persons
        .iter()
        .map(|p| parse_id("--person", p).map(PersonId))
        .collect::<Result<Vec<_>, _>>()?;
    let d = DemoView::from(
        env.store
            .propose_demo(
                &env.ctx,
                &NewDemo {
                    event: EventId(parse_id("--event", event)?),
                    presenters,
                    title,
                },
            )
            .await?,
    );
    env.out.emit(&serde_json::json!({ "id": d.id, "demo": d }), || {
        format!(
            "demo {} proposed for event {}: {}\nnext: `trellis demo screen {} --pass` and `trellis demo contract {}`",
            d.id, d.event, d.title, d.id, d.id
        )
    })
}

async fn link(env: &Env, id: &str, public_url: &str) -> anyhow::Result<()> {
    let token = env.store.contract_link(&env.ctx, demo_id(id)?).await?;
    let link = format!("{}/c/{token}", public_url.trim_end_matches('/'));
    env.out
        .emit(&serde_json::json!({ "link": link, "token": token }), || {
            link.clone()
        })
}

async fn list(env: &Env, event: &str) -> anyhow::Result<()> {
    let d = super::event::detail(env, EventId(parse_id("--event", event)?)).await?;
    env.out.emit(&d.demos, || {
        if d.demos.is_empty() {
            return format!("no demos for event {} yet", d.event.id);
        }
        demos_table(&d.demos)
    })
}
