//! Demos: claims on an event's demo slots, `proposed → screened → confirmed → presented`,
//! or ending `rejected`, `withdrawn` or `no_show`.

use crate::error::CoreError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemoStatus {
    Proposed,
    Screened,
    Confirmed,
    Presented,
    Rejected,
    Withdrawn,
    NoShow,
}

impl DemoStatus {
    pub const ALL: [DemoStatus; 7] = [
        DemoStatus::Proposed,
        DemoStatus::Screened,
        DemoStatus::Confirmed,
        DemoStatus::Presented,
        DemoStatus::Rejected,
        DemoStatus::Withdrawn,
        DemoStatus::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DemoStatus::Proposed => "proposed",
            DemoStatus::Screened => "screened",
            DemoStatus::Confirmed => "confirmed",
            DemoStatus::Presented => "presented",
            DemoStatus::Rejected => "rejected",
            DemoStatus::Withdrawn => "withdrawn",
            DemoStatus::NoShow => "no_show",
        }
    }

    /// A demo in one of these states holds one of the event's slots. A no-show held
    /// its slot until the evening: the slot was sold, even if the stage stayed empty.
    pub fn holds_slot(self) -> bool {
        matches!(
            self,
            DemoStatus::Confirmed | DemoStatus::Presented | DemoStatus::NoShow
        )
    }

    /// Whether the lifecycle allows `self → to`. Confirming a proposed demo is allowed
    /// here because it is the slot inventory gate's job to refuse it (with every
    /// reason at once) or to let an organizer override it.
    pub fn can_become(self, to: DemoStatus) -> bool {
        use DemoStatus::*;
        matches!(
            (self, to),
            (Proposed | Screened, Screened | Rejected)
                | (Proposed | Screened, Confirmed)
                | (Confirmed, Presented | NoShow)
                | (Proposed | Screened | Confirmed, Withdrawn)
        )
    }

    pub fn transition(self, to: DemoStatus, demo: &str) -> Result<(), CoreError> {
        if self.can_become(to) {
            return Ok(());
        }
        let hint = match (self, to) {
            (
                DemoStatus::Proposed | DemoStatus::Screened,
                DemoStatus::Presented | DemoStatus::NoShow,
            ) => " before it is confirmed",
            (from, to) if from == to => " again",
            _ => "",
        };
        Err(CoreError::Transition {
            what: demo.to_owned(),
            from: self.to_string(),
            to: to.to_string(),
            hint: hint.to_owned(),
        })
    }
}

impl fmt::Display for DemoStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DemoStatus {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DemoStatus::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| CoreError::invalid("status", s, "is not a demo status"))
    }
}

/// The lightweight screening checklist: it keeps quality high without turning
/// screening into an audition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Checklist {
    /// It is a live demo, not slides.
    pub live_demo: bool,
    /// The presenter built it.
    pub built_it: bool,
    /// It fits the time limit.
    pub fits_time: bool,
    /// Work in progress is welcome, and the presenter knows it.
    pub wip_welcome: bool,
}

impl Checklist {
    pub const ITEMS: [&'static str; 4] = ["live_demo", "built_it", "fits_time", "wip_welcome"];

    pub fn all() -> Checklist {
        Checklist {
            live_demo: true,
            built_it: true,
            fits_time: true,
            wip_welcome: true,
        }
    }

    /// Reads a comma-separated list of ticked items, e.g. `live_demo,fits_time`.
    pub fn parse(list: &str) -> Result<Checklist, CoreError> {
        let mut c = Checklist::default();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match item {
                "live_demo" => c.live_demo = true,
                "built_it" => c.built_it = true,
                "fits_time" => c.fits_time = true,
                "wip_welcome" => c.wip_welcome = true,
                other => {
                    return Err(CoreError::invalid(
                        "checklist",
                        other,
                        format!(
                            "is not a checklist item (one of {})",
                            Checklist::ITEMS.join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(c)
    }

    pub fn ticked(&self) -> Vec<&'static str> {
        let flags = [
            self.live_demo,
            self.built_it,
            self.fits_time,
            self.wip_welcome,
        ];
        Checklist::ITEMS
            .iter()
            .zip(flags)
            .filter(|(_, on)| *on)
            .map(|(n, _)| *n)
            .collect()
    }
}

/// Validates a demo title.
pub fn validate_title(raw: &str) -> Result<String, CoreError> {
    crate::program::validate_name("title", raw)
}

#[cfg(test)]
mod tests {
    use super::DemoStatus::*;
    use super::*;

    #[test]
    fn ended_demos_cannot_be_confirmed() {
        assert!(Screened.can_become(Confirmed));
        assert!(
            Proposed.can_become(Confirmed),
            "the gate, not the lifecycle, refuses this"
        );
        assert!(!Rejected.can_become(Confirmed));
        let e = Proposed.transition(Presented, "demo 7").unwrap_err();
        assert!(e.to_string().contains("before it is confirmed"), "{e}");
    }

    #[test]
    fn slots_are_held_by_confirmed_presented_and_no_show() {
        let holding: Vec<_> = DemoStatus::ALL
            .into_iter()
            .filter(|s| s.holds_slot())
            .collect();
        assert_eq!(holding, vec![Confirmed, Presented, NoShow]);
    }

    #[test]
    fn checklist_parses_known_items_only() {
        let c = Checklist::parse("live_demo, fits_time").unwrap();
        assert_eq!(c.ticked(), vec!["live_demo", "fits_time"]);
        assert!(
            Checklist::parse("slides")
                .unwrap_err()
                .to_string()
                .contains("checklist")
        );
    }
}
