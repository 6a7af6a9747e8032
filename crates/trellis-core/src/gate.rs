//! The gate engine: forcing functions as pure rules over a snapshot of the stored state.
//!
//! A gate answers [`Verdict::Allowed`] or [`Verdict::Blocked`] with every reason, each a
//! sentence carrying its numbers. The engine knows which gates guard which [`Action`];
//! adding a gate is one type implementing [`Gate`] and one line in [`GATES`].

use crate::demo::DemoStatus;
use crate::event::EventStatus;
use crate::ids::{DemoId, EventId, PersonId, ProgramId};
use crate::program::ProgramSettings;
use jiff::Timestamp;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// An action that a gate may refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "action", content = "demo")]
pub enum Action {
    /// Announcing an event publicly.
    Announce,
    /// Confirming a demo: giving it one of the event's slots.
    ConfirmDemo(DemoId),
    /// Planning (creating) the next event of a program.
    PlanEvent,
    /// Closing a held event's cycle.
    Close,
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Announce => "announce",
            Action::ConfirmDemo(_) => "confirm_demo",
            Action::PlanEvent => "plan_event",
            Action::Close => "close",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GateKind {
    /// An event cannot be announced until at least X demos are confirmed.
    DemoSlotContract,
    /// A demo cannot be confirmed without screening, the contract and a free slot.
    SlotInventory,
    /// The next event cannot be planned or announced (nor a cycle closed) before the retro
    /// is written.
    Retro,
    /// The next event cannot be announced (nor a cycle closed) before the follow-ups.
    FollowupMinimum,
    /// A cycle cannot be closed before enough people moved forward on the pipeline.
    PipelineMoves,
}

impl GateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GateKind::DemoSlotContract => "demo_slot_contract",
            GateKind::SlotInventory => "slot_inventory",
            GateKind::Retro => "retro",
            GateKind::FollowupMinimum => "followup_minimum",
            GateKind::PipelineMoves => "pipeline_moves",
        }
    }
}

impl fmt::Display for GateKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What clears a reason: an action on an object. Each surface names it in its own words
/// (the CLI a command, the web a page and its link), so the core never spells a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Remedy {
    /// Confirm `more` demos of the event.
    ConfirmDemos { event: EventId, more: u32 },
    /// Raise the event's demo slots to `to`.
    RaiseSlots { event: EventId, to: u32 },
    /// Screen the demo (and pass it).
    ScreenDemo { demo: DemoId },
    /// Record that the demo's presenter accepted the contract.
    RecordContract { demo: DemoId },
    /// Free a slot of the event by withdrawing a demo.
    WithdrawDemo { event: EventId },
    /// Write the retro of the held event.
    WriteRetro { event: EventId },
    /// Send `more` follow-ups after the held event.
    SendFollowups { event: EventId, more: u32 },
    /// Import the community chat covering the held event's window, and read its report.
    ListenToChat { event: EventId },
    /// Move `more` people one step forward on the speaker pipeline board.
    MovePeople { more: u32 },
    /// Allow `to` confirmed demos per presenter in the program's settings.
    AllowDemosPerPresenter { program: ProgramId, to: u32 },
}

/// One reason a gate is blocked: a sentence with its numbers (in no surface's words: no
/// command, no page), whether an override may pass it, and what clears it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub text: String,
    /// Whether an organizer's override may pass it. Some facts cannot be wished away:
    /// an override cannot create a fifth slot out of four.
    pub overridable: bool,
    /// What would clear it, in order of preference.
    pub clears: Vec<Remedy>,
}

impl Reason {
    fn soft(text: String, clears: Vec<Remedy>) -> Reason {
        Reason {
            text,
            overridable: true,
            clears,
        }
    }
    fn hard(text: String, clears: Vec<Remedy>) -> Reason {
        Reason {
            text,
            overridable: false,
            clears,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Blocked(Vec<Reason>),
}

impl Verdict {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Verdict::Allowed)
    }
    pub fn reasons(&self) -> &[Reason] {
        match self {
            Verdict::Allowed => &[],
            Verdict::Blocked(r) => r,
        }
    }
    fn from_reasons(reasons: Vec<Reason>) -> Verdict {
        if reasons.is_empty() {
            Verdict::Allowed
        } else {
            Verdict::Blocked(reasons)
        }
    }
}

/// What the gates need to know about a demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFacts {
    pub id: DemoId,
    pub title: String,
    pub presenters: Vec<String>,
    /// The presenters' ids, in the order of `presenters`.
    pub presenter_ids: Vec<PersonId>,
    pub status: DemoStatus,
    pub screening_passed: bool,
    pub contract_accepted: bool,
}

/// What the gates need to know about an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFacts {
    pub id: EventId,
    /// The program whose settings the gates read (a remedy may be to change one).
    pub program: ProgramId,
    pub title: String,
    pub status: EventStatus,
    pub slots: u32,
    pub demos: Vec<DemoFacts>,
}

impl EventFacts {
    pub fn confirmed(&self) -> usize {
        self.demos
            .iter()
            .filter(|d| d.status == DemoStatus::Confirmed)
            .count()
    }
    pub fn slots_taken(&self) -> usize {
        self.demos.iter().filter(|d| d.status.holds_slot()).count()
    }
    pub fn slots_free(&self) -> usize {
        (self.slots as usize).saturating_sub(self.slots_taken())
    }

    /// Distinct presenters with a confirmed demo: the most confirmed demos that can each
    /// be given to a different person (a matching, so a demo of two people counts once,
    /// and three demos by one person count once). A demo without a presenter on record
    /// counts as a presenter of its own.
    pub fn confirmed_presenters(&self) -> usize {
        distinct_presenters(
            self.demos
                .iter()
                .filter(|d| d.status == DemoStatus::Confirmed),
        )
    }

    /// Confirmed slots `person` holds at this event.
    pub fn confirmed_slots_of(&self, person: PersonId) -> usize {
        self.demos
            .iter()
            .filter(|d| d.status == DemoStatus::Confirmed && d.presenter_ids.contains(&person))
            .count()
    }
}

/// The size of a maximum matching of demos to their presenters (Kuhn's augmenting paths:
/// an event has a handful of demos).
fn distinct_presenters<'a>(demos: impl Iterator<Item = &'a DemoFacts>) -> usize {
    // A demo without presenters gets a key no person has: itself.
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Who {
        Person(PersonId),
        Alone(DemoId),
    }
    let options: Vec<Vec<Who>> = demos
        .map(|d| {
            if d.presenter_ids.is_empty() {
                vec![Who::Alone(d.id)]
            } else {
                d.presenter_ids.iter().copied().map(Who::Person).collect()
            }
        })
        .collect();
    fn augment(
        demo: usize,
        options: &[Vec<Who>],
        owner: &mut BTreeMap<Who, usize>,
        seen: &mut BTreeSet<Who>,
    ) -> bool {
        for &who in &options[demo] {
            if !seen.insert(who) {
                continue;
            }
            let free = match owner.get(&who) {
                None => true,
                Some(&other) => augment(other, options, owner, seen),
            };
            if free {
                owner.insert(who, demo);
                return true;
            }
        }
        false
    }
    let mut owner = BTreeMap::new();
    (0..options.len())
        .filter(|&d| augment(d, &options, &mut owner, &mut BTreeSet::new()))
        .count()
}

/// What the cycle gates need to know about a held event: the mechanisms that should
/// follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleFacts {
    pub event: EventId,
    pub title: String,
    pub held_at: Timestamp,
    pub retro_due: Timestamp,
    pub retro_written_at: Option<Timestamp>,
    pub followups_sent: u32,
    /// The event's last recorded chat discussion report, when it covered the window:
    /// listening instead of asking (unless it was silent).
    pub chat_report: Option<ChatReportFacts>,
    /// The people whose pipeline stage ended up ahead of where it was when the previous
    /// held event was held (`pipeline::moved_ahead`), by name.
    pub people_moved: Vec<String>,
    /// The previous held event the moves are counted from, if any.
    pub previous: Option<String>,
}

/// What the follow-up gate needs of a recorded chat report that covered its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatReportFacts {
    pub verdict: crate::listen::Verdict,
    /// Messages in the window.
    pub messages: u64,
    /// Messages about the event.
    pub related: u64,
    /// Messages per day over the baseline's, × 10⁴; `None` without a baseline.
    pub lift_e4: Option<i64>,
}

impl ChatReportFacts {
    /// "2 messages, 0.11× the baseline, none about the event".
    fn numbers(&self) -> String {
        let lift = self.lift_e4.map_or_else(
            || "no baseline".to_owned(),
            |l| format!("{:.2}× the baseline", l as f64 / 10_000.0),
        );
        let about = match self.related {
            0 => "none".to_owned(),
            n => n.to_string(),
        };
        format!(
            "{}, {lift}, {about} about the event",
            plural(self.messages as usize, "message", "messages")
        )
    }
}

/// The state every gate reads: loaded in one transaction, so a verdict is never made
/// from a mix of before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub settings: ProgramSettings,
    pub now: Timestamp,
    /// The event acted on (none when planning a new one).
    pub event: Option<EventFacts>,
    /// The held event whose mechanisms the action waits for: the program's last held
    /// event for announcing and planning, the event itself for closing. None when the
    /// program has held no event yet.
    pub cycle: Option<CycleFacts>,
}

/// A forcing function.
pub trait Gate: Sync {
    fn kind(&self) -> GateKind;
    /// Whether this gate guards `action`.
    fn guards(&self, action: &Action) -> bool;
    fn check(&self, snapshot: &Snapshot, action: &Action) -> Verdict;
}

/// Every gate the engine knows, in the order their verdicts are shown.
pub const GATES: &[&dyn Gate] = &[
    &DemoSlotContract,
    &SlotInventory,
    &Retro,
    &FollowupMinimum,
    &PipelineMoves,
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateResult {
    pub gate: GateKind,
    pub verdict: Verdict,
}

/// The verdicts of every gate that guards an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub action: Action,
    pub results: Vec<GateResult>,
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        self.results.iter().all(|r| r.verdict.is_allowed())
    }
    pub fn blocked(&self) -> impl Iterator<Item = &GateResult> {
        self.results.iter().filter(|r| !r.verdict.is_allowed())
    }
    /// Whether an override may pass every blocked gate.
    pub fn overridable(&self) -> bool {
        self.blocked()
            .all(|r| r.verdict.reasons().iter().all(|x| x.overridable))
    }
}

/// Asks every gate that guards `action`.
pub fn evaluate(action: Action, snapshot: &Snapshot) -> Decision {
    let results = GATES
        .iter()
        .filter(|g| g.guards(&action))
        .map(|g| GateResult {
            gate: g.kind(),
            verdict: g.check(snapshot, &action),
        })
        .collect();
    Decision { action, results }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The essay's first forcing function: no public announcement until X demos are confirmed.
pub struct DemoSlotContract;

impl Gate for DemoSlotContract {
    fn kind(&self) -> GateKind {
        GateKind::DemoSlotContract
    }
    fn guards(&self, action: &Action) -> bool {
        matches!(action, Action::Announce)
    }
    fn check(&self, s: &Snapshot, _: &Action) -> Verdict {
        let Some(event) = &s.event else {
            return missing_event();
        };
        let target = s.settings.demo_target as usize;
        let confirmed = event.confirmed_presenters();
        if confirmed >= target {
            return Verdict::Allowed;
        }
        let missing = target - confirmed;
        let mut text = format!(
            "{confirmed} of {target} presenters confirmed for '{}' (distinct people with a confirmed demo); confirm {} more before announcing",
            event.title, missing
        );
        // The potential: how many more people the screened demos would add.
        let screened = |contract: bool| {
            distinct_presenters(event.demos.iter().filter(|d| {
                d.status == DemoStatus::Confirmed
                    || (d.status == DemoStatus::Screened && d.contract_accepted == contract)
            }))
            .saturating_sub(confirmed)
        };
        let (waiting_contract, ready) = (screened(false), screened(true));
        if waiting_contract > 0 {
            text.push_str(&format!(
                "; {waiting_contract} more screened, waiting for the contract"
            ));
        }
        if ready > 0 {
            text.push_str(&format!(
                "; {ready} more screened and under contract, waiting to be confirmed"
            ));
        }
        let mut clears = vec![Remedy::ConfirmDemos {
            event: event.id,
            more: missing as u32,
        }];
        if (event.slots as usize) < target {
            text.push_str(&format!(
                " (the event has only {})",
                plural(event.slots as usize, "slot", "slots"),
            ));
            clears.push(Remedy::RaiseSlots {
                event: event.id,
                to: target as u32,
            });
        }
        Verdict::Blocked(vec![Reason::soft(text, clears)])
    }
}

/// Demo slots are inventory: a demo is confirmed only when screened, the contract is
/// accepted and a slot is free. The free slot is a hard reason: overselling is never
/// an organizer's call.
pub struct SlotInventory;

impl Gate for SlotInventory {
    fn kind(&self) -> GateKind {
        GateKind::SlotInventory
    }
    fn guards(&self, action: &Action) -> bool {
        matches!(action, Action::ConfirmDemo(_))
    }
    fn check(&self, s: &Snapshot, action: &Action) -> Verdict {
        let Action::ConfirmDemo(id) = action else {
            return Verdict::Allowed;
        };
        let Some(event) = &s.event else {
            return missing_event();
        };
        let Some(demo) = event.demos.iter().find(|d| d.id == *id) else {
            return Verdict::Blocked(vec![Reason::hard(
                format!(
                    "demo {id} is not a demo of event {} '{}'",
                    event.id, event.title
                ),
                Vec::new(),
            )]);
        };
        let mut reasons = Vec::new();
        if !demo.screening_passed {
            reasons.push(Reason::soft(
                format!(
                    "demo {id} '{}' has not passed screening (it is {})",
                    demo.title, demo.status
                ),
                vec![Remedy::ScreenDemo { demo: *id }],
            ));
        }
        if !demo.contract_accepted {
            reasons.push(Reason::soft(
                format!(
                    "the presenter of demo {id} '{}' has not accepted the demo slot contract",
                    demo.title
                ),
                vec![Remedy::RecordContract { demo: *id }],
            ));
        }
        let cap = s.settings.demos_per_presenter as usize;
        for (i, person) in demo.presenter_ids.iter().enumerate() {
            let held = event.confirmed_slots_of(*person);
            if held >= cap {
                let name = demo
                    .presenters
                    .get(i)
                    .map_or("the presenter", String::as_str);
                reasons.push(Reason::soft(
                    format!(
                        "{name} already holds {held} of {} at '{}' (confirmed demos per presenter: {cap}); the contract counts people, not demos",
                        plural(cap, "confirmed slot", "confirmed slots"),
                        event.title
                    ),
                    vec![Remedy::AllowDemosPerPresenter {
                        program: event.program,
                        to: u32::try_from(held + 1).unwrap_or(u32::MAX),
                    }],
                ));
            }
        }
        reasons.extend(no_free_slot(event));
        Verdict::from_reasons(reasons)
    }
}

/// The hard reason when every slot of `event` is taken, naming who holds them.
fn no_free_slot(event: &EventFacts) -> Option<Reason> {
    let taken = event.slots_taken();
    let slots = event.slots as usize;
    if taken < slots {
        return None;
    }
    let holders: Vec<String> = event
        .demos
        .iter()
        .filter(|d| d.status.holds_slot())
        .map(|d| format!("{} '{}'", d.id, d.title))
        .collect();
    let mut text = format!(
        "no free slot: {taken} of {} taken at '{}'",
        plural(slots, "slot", "slots"),
        event.title
    );
    if !holders.is_empty() {
        text.push_str(&format!(" (by {})", holders.join(", ")));
    }
    Some(Reason::hard(
        text,
        vec![
            Remedy::WithdrawDemo { event: event.id },
            Remedy::RaiseSlots {
                event: event.id,
                to: slots as u32 + 1,
            },
        ],
    ))
}

/// A snapshot without the event an event action needs: a bug in the caller, refused
/// rather than waved through.
fn missing_event() -> Verdict {
    Verdict::Blocked(vec![Reason::hard(
        "internal error: the gate was asked without its event".into(),
        Vec::new(),
    )])
}

/// "in 5 h" / "31 h ago": how far a due date is from now.
fn relative(due: Timestamp, now: Timestamp) -> String {
    let hours = due.duration_since(now).as_hours();
    match hours {
        h if h > 48 => format!("in {} days", h / 24),
        h if h >= 0 => format!("in {h} h"),
        h if h > -48 => format!("{} h ago", -h),
        h => format!("{} days ago", -h / 24),
    }
}

/// The 48-hour retro: learning compounds only if the retro happens before the next
/// event is planned or announced. Announcing is guarded too because an event planned
/// months ahead would otherwise slip past it: the plan predates the held event.
pub struct Retro;

impl Gate for Retro {
    fn kind(&self) -> GateKind {
        GateKind::Retro
    }
    fn guards(&self, action: &Action) -> bool {
        matches!(action, Action::PlanEvent | Action::Announce | Action::Close)
    }
    fn check(&self, s: &Snapshot, _: &Action) -> Verdict {
        let Some(c) = &s.cycle else {
            return Verdict::Allowed;
        };
        if c.retro_written_at.is_some() {
            return Verdict::Allowed;
        }
        Verdict::Blocked(vec![Reason::soft(
            format!(
                // Relative only: a raw UTC instant reads wrong in every other zone, and
                // each surface shows the due time in the program's zone beside it.
                "'{}' has no retro yet: it {} due {}",
                c.title,
                if c.retro_due > s.now { "is" } else { "was" },
                relative(c.retro_due, s.now),
            ),
            vec![Remedy::WriteRetro { event: c.event }],
        )])
    }
}

/// The follow-up minimum: no next announcement until the last event's people were asked
/// what they did next, or the community's chat was listened to instead.
pub struct FollowupMinimum;

impl Gate for FollowupMinimum {
    fn kind(&self) -> GateKind {
        GateKind::FollowupMinimum
    }
    fn guards(&self, action: &Action) -> bool {
        matches!(action, Action::Announce | Action::Close)
    }
    fn check(&self, s: &Snapshot, _: &Action) -> Verdict {
        let Some(c) = &s.cycle else {
            return Verdict::Allowed;
        };
        let minimum = s.settings.followup_minimum;
        // A silent report does not count: silence is the worst signal, the strongest
        // reason to ask people personally. Negative and mixed ones count: reading the
        // rants is a follow-up.
        let listened = c
            .chat_report
            .is_some_and(|r| r.verdict != crate::listen::Verdict::Silent);
        if c.followups_sent >= minimum || listened {
            return Verdict::Allowed;
        }
        let more = minimum - c.followups_sent;
        if let Some(r) = c.chat_report {
            return Verdict::Blocked(vec![Reason::soft(
                format!(
                    "follow-up for '{}' is {} of {minimum}, and its chat report is silent ({}): silence is the strongest reason to ask people personally; send {more} more personal follow-ups",
                    c.title,
                    c.followups_sent,
                    r.numbers(),
                ),
                vec![Remedy::SendFollowups {
                    event: c.event,
                    more,
                }],
            )]);
        }
        Verdict::Blocked(vec![Reason::soft(
            format!(
                "follow-up for '{}' is {} of {minimum}; send {more} more, or listen to the community chat that covers it",
                c.title, c.followups_sent,
            ),
            vec![
                Remedy::SendFollowups {
                    event: c.event,
                    more,
                },
                Remedy::ListenToChat { event: c.event },
            ],
        )])
    }
}

/// Every event, move a few people forward one step on the speaker pipeline.
pub struct PipelineMoves;

impl Gate for PipelineMoves {
    fn kind(&self) -> GateKind {
        GateKind::PipelineMoves
    }
    fn guards(&self, action: &Action) -> bool {
        matches!(action, Action::Close)
    }
    fn check(&self, s: &Snapshot, _: &Action) -> Verdict {
        let Some(c) = &s.cycle else {
            return Verdict::Allowed;
        };
        let minimum = s.settings.moves_per_event;
        let moved = c.people_moved.len() as u32;
        if moved >= minimum {
            return Verdict::Allowed;
        }
        let since = c.previous.as_ref().map_or_else(
            || "since the program began".to_owned(),
            |p| format!("since '{p}' was held"),
        );
        let more = minimum - moved;
        let who = if c.people_moved.is_empty() {
            String::new()
        } else {
            format!(" ({})", c.people_moved.join(", "))
        };
        Verdict::Blocked(vec![Reason::soft(
            format!(
                "{moved} of {minimum} people moved ahead on the pipeline {since}{who}; move {} forward",
                plural(more as usize, "more person", "more people")
            ),
            vec![Remedy::MovePeople { more }],
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn demo(id: i64, status: DemoStatus, screened: bool, contract: bool) -> DemoFacts {
        DemoFacts {
            id: DemoId(id),
            title: format!("Demo {id}"),
            presenters: vec![format!("P{id}")],
            presenter_ids: vec![PersonId(id)],
            status,
            screening_passed: screened,
            contract_accepted: contract,
        }
    }

    fn now() -> Timestamp {
        "2026-11-24T12:00:00Z".parse().unwrap()
    }

    fn snapshot(slots: u32, demos: Vec<DemoFacts>) -> Snapshot {
        Snapshot {
            settings: ProgramSettings::default(),
            now: now(),
            event: Some(EventFacts {
                id: EventId(9),
                program: ProgramId(1),
                title: "Oct demo night".into(),
                status: EventStatus::Draft,
                slots,
                demos,
            }),
            cycle: None,
        }
    }

    fn cycle(retro: bool, followups: u32, moves: u32) -> CycleFacts {
        CycleFacts {
            event: EventId(8),
            title: "Sep demo night".into(),
            held_at: "2026-11-12T20:30:00Z".parse().unwrap(),
            retro_due: "2026-11-14T20:30:00Z".parse().unwrap(),
            retro_written_at: retro.then(now),
            followups_sent: followups,
            chat_report: None,
            people_moved: (0..moves).map(|i| format!("Person {i}")).collect(),
            previous: Some("Aug demo night".into()),
        }
    }

    fn texts(d: &Decision) -> Vec<String> {
        d.blocked()
            .flat_map(|r| r.verdict.reasons())
            .map(|r| r.text.clone())
            .collect()
    }

    #[test]
    fn planning_waits_for_the_retro_of_the_last_held_event() {
        let mut s = snapshot(4, vec![]);
        s.event = None;
        assert!(
            evaluate(Action::PlanEvent, &s).is_allowed(),
            "a first event needs no retro"
        );
        s.cycle = Some(cycle(false, 10, 3));
        let d = evaluate(Action::PlanEvent, &s);
        assert_eq!(
            texts(&d),
            vec!["'Sep demo night' has no retro yet: it was due 9 days ago"]
        );
        s.cycle = Some(cycle(true, 0, 0));
        assert!(evaluate(Action::PlanEvent, &s).is_allowed());
    }

    #[test]
    fn announcing_waits_for_the_retro_of_the_last_held_event() {
        // The event was planned before the last one was held: the retro still guards it.
        let mut s = snapshot(
            4,
            (1..=3)
                .map(|i| demo(i, DemoStatus::Confirmed, true, true))
                .collect(),
        );
        s.cycle = Some(cycle(false, 10, 3));
        let d = evaluate(Action::Announce, &s);
        assert_eq!(
            d.blocked().map(|r| r.gate).collect::<Vec<_>>(),
            vec![GateKind::Retro]
        );
        assert_eq!(
            texts(&d),
            vec!["'Sep demo night' has no retro yet: it was due 9 days ago"]
        );
        assert!(d.overridable());
        s.cycle = Some(cycle(true, 10, 3));
        assert!(evaluate(Action::Announce, &s).is_allowed());
    }

    #[test]
    fn announcing_waits_for_the_follow_ups_unless_the_chat_covers_them() {
        let mut s = snapshot(
            4,
            (1..=3)
                .map(|i| demo(i, DemoStatus::Confirmed, true, true))
                .collect(),
        );
        s.cycle = Some(cycle(true, 6, 0));
        let d = evaluate(Action::Announce, &s);
        assert_eq!(d.results.len(), 3, "demo contract, retro, follow-ups");
        assert_eq!(
            d.blocked().map(|r| r.gate).collect::<Vec<_>>(),
            vec![GateKind::FollowupMinimum]
        );
        assert!(texts(&d)[0].starts_with("follow-up for 'Sep demo night' is 6 of 10; send 4 more"));
        let report = |verdict| ChatReportFacts {
            verdict,
            messages: 2,
            related: 0,
            lift_e4: Some(1_100),
        };
        for v in [
            crate::listen::Verdict::Negative,
            crate::listen::Verdict::Mixed,
            crate::listen::Verdict::Positive,
        ] {
            if let Some(c) = s.cycle.as_mut() {
                c.chat_report = Some(report(v));
            }
            assert!(evaluate(Action::Announce, &s).is_allowed(), "{v:?}");
        }
    }

    #[test]
    fn a_silent_chat_report_is_not_a_follow_up() {
        let mut s = snapshot(
            4,
            (1..=3)
                .map(|i| demo(i, DemoStatus::Confirmed, true, true))
                .collect(),
        );
        let mut c = cycle(true, 0, 0);
        c.chat_report = Some(ChatReportFacts {
            verdict: crate::listen::Verdict::Silent,
            messages: 2,
            related: 0,
            lift_e4: Some(1_100),
        });
        s.cycle = Some(c);
        let d = evaluate(Action::Announce, &s);
        assert_eq!(
            texts(&d),
            vec![
                "follow-up for 'Sep demo night' is 0 of 10, and its chat report is silent (2 messages, 0.11× the baseline, none about the event): silence is the strongest reason to ask people personally; send 10 more personal follow-ups"
            ]
        );
        let clears = &d.blocked().next().unwrap().verdict.reasons()[0].clears;
        assert_eq!(
            clears,
            &vec![Remedy::SendFollowups {
                event: EventId(8),
                more: 10
            }]
        );
    }

    #[test]
    fn closing_needs_retro_follow_ups_and_moves() {
        let mut s = snapshot(4, vec![]);
        s.cycle = Some(cycle(false, 2, 1));
        let d = evaluate(Action::Close, &s);
        let gates: Vec<_> = d.blocked().map(|r| r.gate).collect();
        assert_eq!(
            gates,
            vec![
                GateKind::Retro,
                GateKind::FollowupMinimum,
                GateKind::PipelineMoves
            ]
        );
        assert_eq!(
            texts(&d)[2],
            "1 of 3 people moved ahead on the pipeline since 'Aug demo night' was held (Person 0); move 2 more people forward"
        );
        assert!(d.overridable());
        s.cycle = Some(cycle(true, 10, 3));
        assert!(evaluate(Action::Close, &s).is_allowed());
    }

    #[test]
    fn announce_is_blocked_below_the_demo_target_with_the_numbers() {
        let s = snapshot(
            4,
            vec![
                demo(1, DemoStatus::Confirmed, true, true),
                demo(2, DemoStatus::Confirmed, true, true),
                demo(3, DemoStatus::Screened, true, false),
            ],
        );
        let d = evaluate(Action::Announce, &s);
        assert!(!d.is_allowed());
        assert!(d.overridable());
        let r = d.blocked().next().unwrap();
        assert_eq!(r.gate, GateKind::DemoSlotContract);
        assert_eq!(
            r.verdict.reasons()[0].text,
            "2 of 3 presenters confirmed for 'Oct demo night' (distinct people with a confirmed demo); confirm 1 more before announcing; 1 more screened, waiting for the contract"
        );
    }

    fn by(mut d: DemoFacts, person: i64, name: &str) -> DemoFacts {
        d.presenter_ids = vec![PersonId(person)];
        d.presenters = vec![name.into()];
        d
    }

    #[test]
    fn the_contract_counts_presenters_not_demos() {
        // One presenter holds three of four confirmed slots: two people on stage.
        let mut s = snapshot(
            4,
            vec![
                by(demo(1, DemoStatus::Confirmed, true, true), 7, "Max"),
                by(demo(2, DemoStatus::Confirmed, true, true), 7, "Max"),
                by(demo(3, DemoStatus::Confirmed, true, true), 7, "Max"),
                by(demo(4, DemoStatus::Confirmed, true, true), 8, "Ana"),
            ],
        );
        let d = evaluate(Action::Announce, &s);
        assert!(
            texts(&d)[0].starts_with("2 of 3 presenters confirmed"),
            "{:?}",
            texts(&d)
        );
        // A demo of two people, one of whom already presents, adds the other.
        if let Some(e) = s.event.as_mut() {
            e.demos[0].presenter_ids = vec![PersonId(7), PersonId(9)];
        }
        assert_eq!(s.event.as_ref().unwrap().confirmed_presenters(), 3);
        assert!(evaluate(Action::Announce, &s).is_allowed());
    }

    #[test]
    fn a_presenter_holds_at_most_demos_per_presenter_slots() {
        let mut s = snapshot(
            4,
            vec![
                by(demo(1, DemoStatus::Confirmed, true, true), 7, "Max"),
                by(demo(2, DemoStatus::Screened, true, true), 7, "Max"),
            ],
        );
        let d = evaluate(Action::ConfirmDemo(DemoId(2)), &s);
        assert_eq!(
            texts(&d),
            vec![
                "Max already holds 1 of 1 confirmed slot at 'Oct demo night' (confirmed demos per presenter: 1); the contract counts people, not demos"
            ]
        );
        assert!(d.overridable());
        assert_eq!(
            d.blocked()
                .flat_map(|r| r.verdict.reasons())
                .next()
                .map(|r| r.clears.clone()),
            Some(vec![Remedy::AllowDemosPerPresenter {
                program: ProgramId(1),
                to: 2
            }]),
            "what clears it: the program's setting, if it means it"
        );
        s.settings.demos_per_presenter = 2;
        assert!(evaluate(Action::ConfirmDemo(DemoId(2)), &s).is_allowed());
    }

    #[test]
    fn announce_is_allowed_at_the_target() {
        let s = snapshot(
            4,
            (1..=3)
                .map(|i| demo(i, DemoStatus::Confirmed, true, true))
                .collect(),
        );
        assert!(evaluate(Action::Announce, &s).is_allowed());
    }

    #[test]
    fn presented_demos_do_not_count_as_confirmed_for_announcing() {
        // An event is announced before it is held; only confirmed demos are promises.
        let s = snapshot(
            4,
            (1..=3)
                .map(|i| demo(i, DemoStatus::Presented, true, true))
                .collect(),
        );
        assert!(!evaluate(Action::Announce, &s).is_allowed());
    }

    #[test]
    fn confirm_lists_every_missing_condition() {
        let mut demos: Vec<_> = (1..=2)
            .map(|i| demo(i, DemoStatus::Confirmed, true, true))
            .collect();
        demos.push(demo(3, DemoStatus::Proposed, false, false));
        let d = evaluate(Action::ConfirmDemo(DemoId(3)), &snapshot(2, demos));
        let reasons: Vec<_> = d.blocked().flat_map(|r| r.verdict.reasons()).collect();
        assert_eq!(reasons.len(), 3);
        assert!(reasons[0].text.contains("has not passed screening"));
        assert!(
            reasons[1]
                .text
                .contains("has not accepted the demo slot contract")
        );
        assert!(reasons[2].text.starts_with(
            "no free slot: 2 of 2 slots taken at 'Oct demo night' (by 1 'Demo 1', 2 'Demo 2')"
        ));
        assert!(
            !d.overridable(),
            "a full event cannot be overridden into overselling"
        );
    }

    #[test]
    fn screening_and_contract_can_be_overridden_but_not_the_slot() {
        let d = evaluate(
            Action::ConfirmDemo(DemoId(1)),
            &snapshot(1, vec![demo(1, DemoStatus::Screened, true, false)]),
        );
        assert!(!d.is_allowed());
        assert!(d.overridable());
    }

    #[test]
    fn confirm_is_allowed_with_everything_in_place() {
        let d = evaluate(
            Action::ConfirmDemo(DemoId(1)),
            &snapshot(1, vec![demo(1, DemoStatus::Screened, true, true)]),
        );
        assert!(d.is_allowed());
        assert_eq!(d.results.len(), 1);
    }

    fn any_status() -> impl Strategy<Value = DemoStatus> {
        proptest::sample::select(DemoStatus::ALL.to_vec())
    }

    proptest! {
        /// Whatever the demos, a confirm the gate allows never takes more slots than there are.
        #[test]
        fn an_allowed_confirm_never_oversells(
            slots in 0u32..6,
            statuses in proptest::collection::vec((any_status(), any::<bool>(), any::<bool>()), 1..10),
            pick in 0usize..10,
        ) {
            let demos: Vec<_> = statuses.iter().enumerate()
                .map(|(i, (st, sc, co))| demo(i as i64 + 1, *st, *sc, *co)).collect();
            let target = DemoId((pick % demos.len()) as i64 + 1);
            let s = snapshot(slots, demos);
            let d = evaluate(Action::ConfirmDemo(target), &s);
            if d.is_allowed() || d.overridable() {
                prop_assert!(s.event.as_ref().unwrap().slots_taken() < slots as usize);
            }
        }

        /// Announcing is allowed exactly when confirmed demos reach the target.
        #[test]
        fn announce_matches_the_target(target in 0u32..6, confirmed in 0usize..8) {
            let mut s = snapshot(8, (0..confirmed).map(|i| demo(i as i64, DemoStatus::Confirmed, true, true)).collect());
            s.settings.demo_target = target;
            prop_assert_eq!(evaluate(Action::Announce, &s).is_allowed(), confirmed >= target as usize);
        }
    }
}
