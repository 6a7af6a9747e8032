//! Programs and their settings: the numbers each forcing function is measured against.

use crate::error::CoreError;
use crate::ids::ProgramId;
use serde::{Deserialize, Serialize};

/// A program's settings, each defaulting to the essay's figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramSettings {
    /// Confirmed demos needed before an event may be announced (the essay's X).
    pub demo_target: u32,
    /// Demo slots a new event gets unless told otherwise.
    pub default_slots: u32,
    /// People to follow up with after each event.
    pub followup_minimum: u32,
    /// Hours after `held` by which the retro is due.
    pub retro_hours: u32,
    /// Forward moves on the speaker pipeline per event cycle.
    pub moves_per_event: u32,
    /// Confirmed slots one presenter may hold at one event (at least 1).
    pub demos_per_presenter: u32,
}

impl Default for ProgramSettings {
    fn default() -> Self {
        ProgramSettings {
            demo_target: 3,
            default_slots: 4,
            followup_minimum: 10,
            retro_hours: 48,
            moves_per_event: 3,
            demos_per_presenter: 1,
        }
    }
}

/// Upper bounds that catch typos (`--slots 400`) without limiting real programs.
const MAX_SLOTS: i64 = 100;
const MAX_FOLLOWUPS: i64 = 1000;
const MAX_RETRO_HOURS: i64 = 24 * 30;

/// Checks a count a user typed: a whole number between `min` and `max`.
pub fn count(field: &str, value: i64, min: i64, max: i64) -> Result<u32, CoreError> {
    if value < min {
        return Err(CoreError::invalid(
            field,
            value,
            if min == 0 {
                "must not be negative".to_owned()
            } else {
                format!("must be at least {min}")
            },
        ));
    }
    if value > max {
        return Err(CoreError::invalid(
            field,
            value,
            format!("must be at most {max}"),
        ));
    }
    u32::try_from(value).map_err(|_| CoreError::invalid(field, value, "is out of range"))
}

/// Settings as a user may give them: every field optional, defaults filled in.
#[derive(Debug, Clone, Copy, Default)]
pub struct SettingsInput {
    pub demo_target: Option<i64>,
    pub slots: Option<i64>,
    pub followup_minimum: Option<i64>,
    pub retro_hours: Option<i64>,
    pub moves_per_event: Option<i64>,
    pub demos_per_presenter: Option<i64>,
}

impl SettingsInput {
    /// The settings given, the essay's defaults for the rest.
    pub fn resolve(self) -> Result<ProgramSettings, CoreError> {
        self.resolve_over(ProgramSettings::default())
    }

    /// The settings given, `d`'s for the rest: editing a program keeps what is not named.
    pub fn resolve_over(self, d: ProgramSettings) -> Result<ProgramSettings, CoreError> {
        let s = ProgramSettings {
            demo_target: self
                .demo_target
                .map_or(Ok(d.demo_target), |v| count("demo_target", v, 0, MAX_SLOTS))?,
            default_slots: self
                .slots
                .map_or(Ok(d.default_slots), |v| count("slots", v, 0, MAX_SLOTS))?,
            followup_minimum: self.followup_minimum.map_or(Ok(d.followup_minimum), |v| {
                count("followup_minimum", v, 0, MAX_FOLLOWUPS)
            })?,
            retro_hours: self.retro_hours.map_or(Ok(d.retro_hours), |v| {
                count("retro_hours", v, 1, MAX_RETRO_HOURS)
            })?,
            moves_per_event: self.moves_per_event.map_or(Ok(d.moves_per_event), |v| {
                count("moves_per_event", v, 0, MAX_SLOTS)
            })?,
            // At least 1: a program where nobody may hold a slot could never announce.
            demos_per_presenter: self
                .demos_per_presenter
                .map_or(Ok(d.demos_per_presenter), |v| {
                    count("demos_per_presenter", v, 1, MAX_SLOTS)
                })?,
        };
        Ok(s)
    }
}

/// Checks a program name: not blank, one line, of sane length.
pub fn validate_name(field: &str, name: &str) -> Result<String, CoreError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(CoreError::invalid(field, name, "must not be empty"));
    }
    if trimmed.contains(['\n', '\r']) {
        return Err(CoreError::invalid(field, name, "must be a single line"));
    }
    if trimmed.chars().count() > 200 {
        return Err(CoreError::invalid(
            field,
            name,
            "is longer than 200 characters",
        ));
    }
    Ok(trimmed.to_owned())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Program {
    pub id: ProgramId,
    pub name: String,
    /// An IANA zone name; every local event time of the program is read in it.
    pub tz: String,
    pub settings: ProgramSettings,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_essays_numbers() {
        let s = SettingsInput::default().resolve().unwrap();
        assert_eq!(s, ProgramSettings::default());
        assert_eq!(
            (s.demo_target, s.default_slots, s.followup_minimum),
            (3, 4, 10)
        );
        assert_eq!((s.retro_hours, s.moves_per_event), (48, 3));
        assert_eq!(s.demos_per_presenter, 1);
        for bad in [0, -1] {
            let e = SettingsInput {
                demos_per_presenter: Some(bad),
                ..SettingsInput::default()
            }
            .resolve()
            .unwrap_err();
            assert!(e.to_string().starts_with("demos_per_presenter:"), "{e}");
        }
        let kept = SettingsInput {
            demo_target: Some(2),
            ..SettingsInput::default()
        }
        .resolve_over(ProgramSettings {
            demos_per_presenter: 2,
            ..ProgramSettings::default()
        })
        .unwrap();
        assert_eq!((kept.demo_target, kept.demos_per_presenter), (2, 2));
    }

    #[test]
    fn a_negative_slot_count_names_the_flag() {
        let err = SettingsInput {
            slots: Some(-2),
            ..Default::default()
        }
        .resolve()
        .unwrap_err();
        assert_eq!(err.to_string(), "slots: \"-2\" must not be negative");
    }

    #[test]
    fn retro_hours_must_be_positive() {
        let err = SettingsInput {
            retro_hours: Some(0),
            ..Default::default()
        }
        .resolve()
        .unwrap_err();
        assert!(err.to_string().contains("retro_hours"));
    }

    #[test]
    fn blank_names_are_refused() {
        assert!(validate_name("NAME", "  ").is_err());
        assert_eq!(
            validate_name("NAME", " Tinkerers Berlin ").unwrap(),
            "Tinkerers Berlin"
        );
    }
}
