//! The one-screen dashboard: the review block of a program (or of all), the next event's
//! gates and what is due.

use super::reach::{ProgramChoice, choose};
use super::{Chrome, chrome, hours_left};
use crate::auth::SignedIn;
use crate::reasons::{self, GateView};
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;
use trellis_core::{EventId, ProgramId};
use trellis_store::ReviewBlock;

/// Everything the dashboard shows of a scope, read in one go and cached briefly: the
/// application layer's review snapshot.
pub(crate) type DashData = trellis_app::review::ReviewSnapshot;

/// Reads the dashboard's snapshot of a scope.
pub(crate) async fn read_dash(
    state: &AppState,
    program: Option<ProgramId>,
) -> Result<DashData, WebError> {
    Ok(trellis_app::review::snapshot(&state.store, program, state.now()).await?)
}

pub struct Tile {
    /// The tile's anchor (`/#pipeline`, where a reason's link lands).
    pub anchor: &'static str,
    pub label: &'static str,
    pub value: String,
    pub note: String,
    pub warn: bool,
    /// Where the figure is worked on.
    pub href: Option<String>,
}

pub struct Due {
    pub what: String,
    pub when: String,
    pub late: bool,
    pub href: String,
    /// Who owns it (by name).
    pub owner: Option<String>,
}

/// "One organizer of Lisbon checked in high", linking to the hand-off.
pub struct HighLine {
    pub program: ProgramId,
    pub text: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct Dashboard {
    pub chrome: Chrome,
    pub programs: Vec<ProgramChoice>,
    pub scope: String,
    pub sparkline: String,
    pub returning: String,
    pub returning_note: String,
    pub tiles: Vec<Tile>,
    pub insight: Option<String>,
    pub next_title: Option<String>,
    pub next_href: String,
    pub gates: Vec<GateView>,
    pub dues: Vec<Due>,
    /// Whether the signed-in user may plan an event (the "plan one" link).
    pub may_plan: bool,
    /// `?program=…` of the scope, for the links to the metrics' drill-downs.
    pub metrics_query: String,
    /// Failed sends (to organizers only): how many, and the latest few.
    pub failed: (i64, Vec<super::outbox::Line>),
    /// The lead's notice of programs whose organizers checked in high.
    pub high: Vec<HighLine>,
}

#[derive(Deserialize)]
pub struct DashQuery {
    program: Option<String>,
}

fn pct(v: Option<f64>) -> String {
    v.map_or("–".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

/// The figures of the review block, each a tile.
fn tiles(block: &ReviewBlock) -> Vec<Tile> {
    let p = &block.pipeline;
    let stage = |s: &str| p.stages.get(s).copied().unwrap_or(0);
    let mut tiles = vec![Tile {
        anchor: "pipeline",
        label: "Speaker pipeline",
        value: p.stages.values().sum::<u32>().to_string(),
        note: format!(
            "{} candidates · {} speakers · ★{} · moves {} of {}",
            stage("candidate"),
            stage("speaker") + stage("repeat"),
            p.quiet_killers,
            p.moves_this_cycle,
            p.minimum
        ),
        warn: p.moves_this_cycle < p.minimum,
        href: Some("/board".into()),
    }];
    tiles.push(match &block.next_event {
        Some(n) => Tile {
            anchor: "demos",
            label: "Demos confirmed",
            value: format!("{} / {}", n.demos_confirmed, n.demo_target),
            note: n.title.clone(),
            warn: n.demos_confirmed < n.demo_target,
            href: Some(format!("/events/{}#slots", n.event)),
        },
        None => Tile {
            anchor: "demos",
            label: "Demos confirmed",
            value: "–".into(),
            note: "no event planned".into(),
            warn: false,
            href: Some("/events/new".into()),
        },
    });
    tiles.push(match &block.followups {
        Some(f) => Tile {
            anchor: "followups",
            label: "Follow-ups",
            value: format!("{} / {}", f.sent, f.minimum),
            note: format!("{} answered · {}", f.answered, f.title),
            warn: f.sent < f.minimum,
            href: Some(format!("/events/{}/followups", f.event)),
        },
        None => Tile {
            anchor: "followups",
            label: "Follow-ups",
            value: "–".into(),
            note: "no held event yet".into(),
            warn: false,
            href: None,
        },
    });
    tiles.push(Tile {
        anchor: "overrides",
        label: "Overrides",
        value: block.overrides.len().to_string(),
        note: "gates passed by override since the last review".into(),
        warn: !block.overrides.is_empty(),
        href: Some("/reviews".into()),
    });
    tiles
}

/// The five nearest deadlines, each linking to the page where it is done (`/retro`,
/// `/followups`).
fn dues(data: &DashData, now: jiff::Timestamp) -> Vec<Due> {
    data.dues
        .iter()
        .take(5)
        .map(|d| {
            let (when, late) = hours_left(d.due_at, now);
            Due {
                what: format!("{}: {}", d.detail, d.title),
                when,
                late,
                // The event's page where it is done: `kind` is `retro` or `followups`.
                href: format!("/events/{}/{}", d.event, d.kind),
                owner: data.owners.get(&d.event).cloned(),
            }
        })
        .collect()
}

/// The lead's lines: for each program in scope that the account changes, how many of
/// its active organizers' latest check-in is high — no names, no scores. The lead is an
/// admin, or an account that organizes more than one program; a volunteer of one
/// chapter is not told about their co-organizers here (the check-in page shows every
/// program's count to everyone).
fn high_lines(
    data: &DashData,
    me: &SignedIn,
    selected: Option<ProgramId>,
    programs: &[ProgramChoice],
) -> Vec<HighLine> {
    let ids: Vec<ProgramId> = programs
        .iter()
        .filter_map(|c| c.value.parse().ok().map(ProgramId))
        .collect();
    let acts_on = ids.iter().filter(|p| me.may_act_on(**p)).count();
    if !me.access.is_admin() && acts_on < 2 {
        return Vec::new();
    }
    data.high
        .iter()
        .filter(|(p, n)| **n > 0 && me.may_act_on(**p) && selected.is_none_or(|s| s == **p))
        .map(|(p, n)| {
            let name = programs
                .iter()
                .find(|c| c.value == p.to_string())
                .map_or_else(|| format!("program {p}"), |c| c.name.clone());
            let who = if *n == 1 {
                "One organizer".to_owned()
            } else {
                format!("{n} organizers")
            };
            HighLine {
                program: *p,
                text: format!("{who} of {name} checked in high"),
                href: format!("/organizers?program={p}"),
            }
        })
        .collect()
}

/// "3 of 9 at Demo Night 17", or why there is no figure.
fn returning_note(block: &ReviewBlock) -> String {
    match block.returning_builders.last() {
        Some(p) => format!(
            "{} of {} at {}{}",
            p.returning,
            p.attended,
            p.title,
            if p.estimated {
                " (estimated from RSVPs)"
            } else {
                ""
            }
        ),
        None => "no held event yet".into(),
    }
}

/// The latest failed sends, for organizers (a viewer sees no addresses).
async fn failed_sends(
    state: &AppState,
    me: &SignedIn,
) -> Result<(i64, Vec<super::outbox::Line>), WebError> {
    if !me.may_act() {
        return Ok((0, Vec::new()));
    }
    if me.access.is_admin() {
        let (n, latest) = trellis_app::outbox::failed(&state.store, 2).await?;
        return Ok((n, latest.into_iter().map(Into::into).collect()));
    }
    // Only the failures of the programs this account acts on.
    let ids = state.store.program_ids().await?;
    let mut mine = trellis_app::outbox::list(&state.store, Some("failed")).await?;
    mine.retain(|m| super::outbox::concerns_me(me, m.program, &ids));
    let n = i64::try_from(mine.len()).unwrap_or(i64::MAX);
    Ok((n, mine.into_iter().take(2).map(Into::into).collect()))
}

pub async fn dashboard(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<DashQuery>,
) -> Result<Html<String>, WebError> {
    let chosen = choose(&state, &me, q.program.as_deref()).await?;
    let (selected, scope, programs) = (chosen.selected, chosen.name, chosen.choices);
    let data = state.dashboard_data(selected).await?;
    let block = &data.block;
    let rates: Vec<Option<f64>> = block.returning_builders.iter().map(|p| p.rate).collect();
    let next = block.next_event.as_ref();
    let high = high_lines(&data, &me, selected, &programs);
    let page = Dashboard {
        chrome: chrome(&me),
        programs,
        scope,
        sparkline: crate::svg::sparkline(&rates),
        returning: pct(block.returning_builders.last().and_then(|p| p.rate)),
        returning_note: returning_note(block),
        tiles: tiles(block),
        insight: data.insight.clone(),
        next_title: next.map(|n| n.title.clone()),
        next_href: next.map_or(String::new(), |n| format!("/events/{}", n.event)),
        gates: reasons::gates(&data.gates, EventId(next.map_or(0, |n| n.event))),
        dues: dues(&data, state.now()),
        may_plan: selected.map_or(me.may_act(), |p| me.may_act_on(p)),
        metrics_query: format!(
            "?program={}",
            selected.map_or("all".to_owned(), |p| p.to_string())
        ),
        failed: failed_sends(&state, &me).await?,
        high,
    };
    Ok(Html(page.render()?))
}
