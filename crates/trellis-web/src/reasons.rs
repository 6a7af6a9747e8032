//! The web's words for a gate's reasons: the sentence, and a link to the page that clears
//! it. No page ever shows a command line.

use trellis_app::event_page::GateCheck;
use trellis_core::EventId;
use trellis_core::gate::Remedy;

/// A link to the page where an organizer clears a reason.
pub struct Fix {
    pub label: String,
    pub href: String,
}

/// One reason as a page shows it.
pub struct ReasonView {
    pub text: String,
    pub fixes: Vec<Fix>,
}

/// One gate's verdict as a page shows it.
pub struct GateView {
    /// The gate's name in words ("Demo slot contract").
    pub label: &'static str,
    pub allowed: bool,
    pub demo: Option<i64>,
    pub overridable: bool,
    pub reasons: Vec<ReasonView>,
}

/// A gate's name as an organizer says it.
fn label(gate: &str) -> &'static str {
    match gate {
        "demo_slot_contract" => "Demo slot contract",
        "slot_inventory" => "Slot inventory",
        "retro" => "48-hour retro",
        "followup_minimum" => "Follow-up minimum",
        "pipeline_moves" => "Pipeline moves",
        _ => "Gate",
    }
}

/// The page that clears a remedy. `event` is the event the verdict is about (a demo's
/// screening and contract are cleared on its event's page).
pub fn fix(r: &Remedy, event: EventId) -> Fix {
    let (label, href) = match r {
        Remedy::ConfirmDemos { event, more } => (
            format!(
                "Confirm {more} more demo{}",
                if *more == 1 { "" } else { "s" }
            ),
            format!("/events/{event}#slots"),
        ),
        Remedy::RaiseSlots { event, to } => (
            format!("Make room for {to} demos"),
            format!("/events/{event}#slots"),
        ),
        Remedy::ScreenDemo { demo } => (
            "Screen the demo".to_owned(),
            format!("/events/{event}#demo-{demo}"),
        ),
        Remedy::RecordContract { demo } => (
            "Record the contract".to_owned(),
            format!("/events/{event}#demo-{demo}"),
        ),
        Remedy::WithdrawDemo { event } => {
            ("Free a slot".to_owned(), format!("/events/{event}#slots"))
        }
        Remedy::WriteRetro { event } => (
            "Write the retro".to_owned(),
            format!("/events/{event}/retro"),
        ),
        Remedy::SendFollowups { event, more } => (
            format!(
                "Send {more} more follow-up{}",
                if *more == 1 { "" } else { "s" }
            ),
            format!("/events/{event}/followups"),
        ),
        Remedy::ListenToChat { event } => (
            "Read the community chat".to_owned(),
            format!("/events/{event}#chat"),
        ),
        Remedy::MovePeople { more } => (
            format!("Move {more} more on the pipeline"),
            "/board".to_owned(),
        ),
        Remedy::AllowDemosPerPresenter { program, to } => (
            format!("Allow {to} demos per presenter"),
            format!("/admin#program-{program}"),
        ),
    };
    Fix { label, href }
}

/// The gates of a verdict about `event`, in the web's words.
pub fn gates(checks: &[GateCheck], event: EventId) -> Vec<GateView> {
    checks
        .iter()
        .map(|g| GateView {
            label: label(&g.gate),
            allowed: g.allowed,
            demo: g.demo,
            overridable: g.overridable,
            reasons: g
                .causes
                .iter()
                .map(|r| ReasonView {
                    text: r.text.clone(),
                    fixes: r.clears.iter().map(|c| fix(c, event)).collect(),
                })
                .collect(),
        })
        .collect()
}
