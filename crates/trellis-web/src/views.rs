//! The pages' templates (askama: compiled, escaped by default).

use crate::reasons::GateView;
use askama::Template;
use trellis_app::demos::DemoView;
use trellis_app::event_page::EventDetail;
use trellis_store::EventSummary;

#[derive(Template)]
#[template(path = "message.html")]
pub struct Message<'a> {
    pub title: &'a str,
    pub message: &'a str,
    pub css: &'a str,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct Login<'a> {
    pub css: &'a str,
    pub next: &'a str,
    pub csrf: &'a str,
    pub error: Option<&'a str>,
    pub email: &'a str,
}

/// What every signed-in page shows in its header.
pub struct Chrome {
    pub css: &'static str,
    pub user: String,
    pub role: &'static str,
    pub csrf: String,
    pub may_act: bool,
    pub admin: bool,
}

pub struct ProgramChoice {
    pub value: String,
    pub name: String,
    pub selected: bool,
}

pub struct Tile {
    pub label: &'static str,
    pub value: String,
    pub note: String,
    pub warn: bool,
}

pub struct Due {
    pub what: String,
    pub when: String,
    pub late: bool,
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
}

#[derive(Template)]
#[template(path = "events.html")]
pub struct Events {
    pub chrome: Chrome,
    pub events: Vec<EventSummary>,
}

pub struct Slot {
    pub label: String,
    pub demo: Option<DemoView>,
}

pub struct Attendee {
    pub person: i64,
    pub name: String,
    pub rsvp: String,
    pub checked_in: bool,
}

#[derive(Template)]
#[template(path = "event.html")]
pub struct Event {
    pub chrome: Chrome,
    pub d: EventDetail,
    pub step: Option<(&'static str, &'static str)>,
    pub refused: Vec<GateView>,
    /// The gates on the next step (`d.gates` in the web's words).
    pub gates: Vec<GateView>,
    pub refused_overridable: bool,
    pub refused_step: String,
    pub slots: Vec<Slot>,
    pub claims: Vec<DemoView>,
    pub attendees: Vec<Attendee>,
    pub contract_link: Option<String>,
    pub notice: Option<String>,
    pub retro: Option<trellis_store::RetroView>,
    /// A held event without its retro: how long until (or since) it was due.
    pub retro_due: Option<String>,
    /// The follow-ups of a held event.
    pub followups: Option<FollowupsView>,
    /// The discussion in the community chat after a held event.
    pub chat: Option<ChatView>,
}

/// How far a held event's follow-ups are.
pub struct FollowupsView {
    pub sent: u32,
    pub minimum: u32,
    pub answered: u32,
    /// "3 days left" / "4 days late".
    pub due: String,
}

/// The discussion report as the event page shows it.
pub struct ChatView {
    /// Whether the program has any imported chat at all.
    pub has_chat: bool,
    pub covered: bool,
    pub verdict: &'static str,
    pub window: String,
    /// What the imported chats hold, when they do not cover the window.
    pub span: Option<String>,
    pub summary: String,
    pub tone: String,
    /// (author, at, text) of the most negative messages.
    pub negatives: Vec<(String, String, String)>,
    /// "read by … on …" once recorded (that is what the follow-up gate counts).
    pub recorded: Option<String>,
}

#[derive(Template)]
#[template(path = "contract.html")]
pub struct Contract<'a> {
    pub css: &'a str,
    pub page: trellis_store::web::ContractPage,
    pub csrf: &'a str,
    pub done: bool,
}

#[derive(Template)]
#[template(path = "followup.html")]
pub struct Followup<'a> {
    pub css: &'a str,
    pub page: trellis_store::web::FollowupPage,
    pub csrf: &'a str,
    pub done: bool,
}

#[derive(Template)]
#[template(path = "admin.html")]
pub struct Admin {
    pub chrome: Chrome,
    pub users: Vec<trellis_store::web::User>,
    pub programs: Vec<ProgramRow>,
    pub notice: Option<String>,
}

/// A program on the admin page, with its chat keywords.
pub struct ProgramRow {
    pub p: trellis_core::program::Program,
    /// Space-separated.
    pub keywords: String,
}
