use super::{Env, parse_id};
use crate::cli::ReviewCmd;
use crate::output::table;
use trellis_app::reviews::{ReviewBlock, ReviewView};

/// A sparkline of rates: one block per event, blank where there is no figure.
pub fn sparkline(rates: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    rates
        .iter()
        .map(|r| match r {
            Some(v) => BARS[((v.clamp(0.0, 1.0) * 7.0).round() as usize).min(7)],
            None => ' ',
        })
        .collect()
}

pub fn block_text(b: &ReviewBlock) -> String {
    let rates: Vec<Option<f64>> = b.returning_builders.iter().map(|p| p.rate).collect();
    let last = b.returning_builders.last();
    let mut s = format!(
        "returning builders  {}  {}\n",
        sparkline(&rates),
        last.map(|p| match p.rate {
            Some(r) => format!(
                "{:.0}% at '{}'{}",
                r * 100.0,
                p.title,
                if p.estimated { " (estimated)" } else { "" }
            ),
            None => "no data".into(),
        })
        .unwrap_or_else(|| "no held events yet".into())
    );
    let st = &b.pipeline.stages;
    let get = |k: &str| st.get(k).copied().unwrap_or(0);
    s.push_str(&format!(
        "speaker pipeline    spotted {} · warm intro {} · candidate {} · speaker {} · repeat {} · ★ {}; moves {} of {}\n",
        get("spotted"),
        get("warm_intro"),
        get("candidate"),
        get("speaker"),
        get("repeat"),
        b.pipeline.quiet_killers,
        b.pipeline.moves_this_cycle,
        b.pipeline.minimum
    ));
    match &b.next_event {
        Some(n) => s.push_str(&format!(
            "next event demos    {} of {} confirmed for '{}'\n",
            n.demos_confirmed, n.demo_target, n.title
        )),
        None => s.push_str("next event demos    no event planned\n"),
    }
    match &b.followups {
        Some(f) => s.push_str(&format!(
            "follow-ups          {} of {} sent, {} answered, for '{}'\n",
            f.sent, f.minimum, f.answered, f.title
        )),
        None => s.push_str("follow-ups          no held event yet\n"),
    }
    s.push_str(&format!(
        "overrides           {} since the last review\n",
        b.overrides.len()
    ));
    for o in b.overrides.iter().take(5) {
        s.push_str(&format!(
            "  {} on {}: {}\n",
            o["gate"].as_str().unwrap_or("?"),
            o["at"].as_str().unwrap_or("?"),
            o["reason"].as_str().unwrap_or("")
        ));
    }
    s
}

fn review_text(r: &ReviewView) -> String {
    let mut s = format!(
        "review {} started {} by {}",
        r.id,
        crate::output::instant(r.started_at),
        r.started_by
    );
    match (&r.ended_at, r.minutes) {
        (Some(e), Some(m)) => s.push_str(&format!(
            ", ended {} ({m} min{})\n",
            crate::output::instant(*e),
            if r.long { ", longer than 15: LONG" } else { "" }
        )),
        _ => s.push_str(" (open)\n"),
    }
    s.push('\n');
    s.push_str(&block_text(&r.block));
    if let Some(i) = &r.insight {
        s.push_str(&format!("\ninsight: {i}\n"));
    }
    s
}

async fn program(env: &Env, p: Option<String>) -> anyhow::Result<Option<trellis_core::ProgramId>> {
    Ok(match p {
        Some(p) => Some(env.store.find_program(&p).await?.id),
        None => None,
    })
}

pub async fn run(env: &Env, cmd: ReviewCmd) -> anyhow::Result<()> {
    match cmd {
        ReviewCmd::Start { program: p } => {
            let r =
                trellis_app::reviews::start(&env.store, &env.ctx, program(env, p).await?).await?;
            env.out.emit(&r, || {
                format!(
                    "{}\nend it with: trellis review close --insight \"<one insight>\"",
                    review_text(&r)
                )
            })
        }
        ReviewCmd::Close {
            insight,
            program: p,
        } => {
            let r = ReviewView::from(
                env.store
                    .close_review(&env.ctx, program(env, p).await?, &insight)
                    .await?,
            );
            env.out.emit(&r, || review_text(&r))
        }
        ReviewCmd::List { program: p } => list(env, program(env, p).await?).await,
        ReviewCmd::Show { id, format } => show(env, id, format).await,
    }
}

async fn list(env: &Env, program: Option<trellis_core::ProgramId>) -> anyhow::Result<()> {
    let list = trellis_app::reviews::list(&env.store, program).await?;
    env.out.emit(&list, || {
        let rows = list
            .iter()
            .map(|r| {
                vec![
                    r.id.to_string(),
                    crate::output::instant(r.started_at),
                    r.minutes
                        .map(|m| format!("{m} min{}", if r.long { " (long)" } else { "" }))
                        .unwrap_or_else(|| "open".into()),
                    r.insight.clone().unwrap_or_default(),
                ]
            })
            .collect();
        table(&["ID", "STARTED", "LENGTH", "INSIGHT"], rows)
    })
}

/// A review by id, or the latest one.
async fn show(
    env: &Env,
    id: Option<String>,
    format: Option<crate::cli::DocFormat>,
) -> anyhow::Result<()> {
    let r = match id {
        Some(id) => trellis_app::reviews::show(&env.store, parse_id("ID", &id)?).await?,
        None => match trellis_app::reviews::list(&env.store, None).await?.pop() {
            Some(r) => r,
            None => {
                return Err(trellis_core::CoreError::at(
                    "review",
                    "none yet: `trellis review start`",
                )
                .into());
            }
        },
    };
    let Some(format) = format else {
        return env.out.emit(&r, || review_text(&r));
    };
    let scope = match r.program {
        Some(p) => env.store.program(p).await?.name,
        None => "All programs".to_owned(),
    };
    let doc = match format {
        crate::cli::DocFormat::Md => trellis_app::review_doc::markdown(&r, &scope),
        crate::cli::DocFormat::Html => trellis_web::review_html(r, scope)?,
    };
    // A document, not terminal text: written as it is (a name's control characters are
    // escaped by the template in HTML; Markdown is meant for a file).
    crate::output::write_stdout(&doc)
}
