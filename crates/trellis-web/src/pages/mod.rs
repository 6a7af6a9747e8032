//! The organizer pages, one module per page: each page's template struct sits beside its
//! handler. What several pages share (the header, a deadline in words, the CSRF-only
//! form) is here.

pub(crate) mod attend;
pub(crate) mod board;
pub(crate) mod channels;
pub(crate) mod chat;
pub(crate) mod checkin;
pub(crate) mod cohost;
pub(crate) mod dashboard;
pub(crate) mod demo;
pub(crate) mod door;
pub(crate) mod event;
pub(crate) mod events;
pub(crate) mod followups;
pub(crate) mod identity;
pub(crate) mod imports;
pub(crate) mod listen;
pub(crate) mod metric;
pub(crate) mod metrics;
mod metrics_data;
pub(crate) mod organizers;
pub(crate) mod outbox;
pub(crate) mod people;
pub(crate) mod plan;
pub(crate) mod propose;
pub(crate) mod reach;
pub(crate) mod retro;
pub(crate) mod reviews;
pub(crate) mod sparks;
pub(crate) mod step;
pub(crate) mod upload;

use crate::auth::SignedIn;
use serde::Deserialize;

pub(crate) use dashboard::{DashData, read_dash};
pub(crate) use metrics_data::MetricsCache;

/// What every signed-in page shows in its header.
pub struct Chrome {
    pub css: &'static str,
    pub user: String,
    pub role: &'static str,
    pub csrf: String,
    pub may_act: bool,
    pub admin: bool,
}

pub(crate) fn chrome(me: &SignedIn) -> Chrome {
    Chrome {
        css: crate::assets::CSS_PATH,
        user: me.user.name.clone(),
        role: crate::auth::role_label(me.user.role),
        csrf: me.csrf.clone(),
        may_act: me.may_act(),
        admin: me.user.role.may_administer(),
    }
}

/// The header of a page about one program: its forms show only where the account may
/// change that program.
pub(crate) fn chrome_in(me: &SignedIn, program: trellis_core::ProgramId) -> Chrome {
    Chrome {
        may_act: me.may_act_on(program),
        ..chrome(me)
    }
}

/// "in 5 h" / "3 days late".
pub(crate) fn hours_left(due: jiff::Timestamp, now: jiff::Timestamp) -> (String, bool) {
    let h = due.duration_since(now).as_hours();
    match h {
        h if h >= 48 => (format!("{} days left", h / 24), false),
        h if h >= 0 => (format!("{h} h left"), false),
        h if h > -48 => (format!("{} h late", -h), true),
        h => (format!("{} days late", -h / 24), true),
    }
}

/// Said at the override field when it was sent blank.
pub(crate) const OVERRIDE_NEEDS_REASON: &str =
    "Give a reason to override: it is stored with your name and shown at the metric review.";

/// A form that carries nothing but its CSRF token.
#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub(crate) csrf: String,
}

/// For a page that only prepares an action (a confirmation, a form): viewers are told
/// before they fill anything in.
pub(crate) fn organizer_only(me: &SignedIn) -> Result<(), crate::WebError> {
    if me.may_act() {
        Ok(())
    } else {
        Err(me.refusal())
    }
}
