//! Attendance of a person at an event: what they said (RSVP) and what happened (check-in).

use crate::error::CoreError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rsvp {
    Going,
    Waitlist,
    Declined,
    Invited,
}

/// Whether the person was checked in at the door. `Unknown` is not `No`: an event whose
/// check-in was not used falls back to RSVPs in the metrics, marked as estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckedIn {
    Yes,
    No,
    Unknown,
}

impl Rsvp {
    pub const ALL: [Rsvp; 4] = [Rsvp::Going, Rsvp::Waitlist, Rsvp::Declined, Rsvp::Invited];
    pub fn as_str(self) -> &'static str {
        match self {
            Rsvp::Going => "going",
            Rsvp::Waitlist => "waitlist",
            Rsvp::Declined => "declined",
            Rsvp::Invited => "invited",
        }
    }
}

impl CheckedIn {
    pub const ALL: [CheckedIn; 3] = [CheckedIn::Yes, CheckedIn::No, CheckedIn::Unknown];
    pub fn as_str(self) -> &'static str {
        match self {
            CheckedIn::Yes => "yes",
            CheckedIn::No => "no",
            CheckedIn::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Rsvp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for CheckedIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Rsvp {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rsvp::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                CoreError::invalid(
                    "rsvp",
                    s,
                    "is not one of going, waitlist, declined, invited",
                )
            })
    }
}

impl FromStr for CheckedIn {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CheckedIn::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| CoreError::invalid("checked_in", s, "is not one of yes, no, unknown"))
    }
}
