//! The CLI's words for what the core and the application layer return as data: a gate's
//! reason ends with the command that clears it.

use trellis_core::CoreError;
use trellis_core::gate::{Reason, Remedy};
use trellis_store::StoreError;

/// The command that clears a reason, as a clause of the reason's sentence; `None` when
/// the sentence already says it all.
pub fn remedy(r: &Remedy) -> Option<String> {
    Some(match r {
        // "confirm 2 more before announcing" needs no command beside it.
        Remedy::ConfirmDemos { .. } => return None,
        Remedy::RaiseSlots { event, to } => {
            format!("raise the slots with `trellis event edit {event} --slots {to}`")
        }
        Remedy::ScreenDemo { demo } => format!("run `trellis demo screen {demo} --pass`"),
        Remedy::RecordContract { demo } => {
            format!("record it with `trellis demo contract {demo}`")
        }
        Remedy::WithdrawDemo { .. } => "free one with `trellis demo withdraw <DEMO>`".to_owned(),
        Remedy::WriteRetro { event } => format!("write it with `trellis retro write {event}`"),
        Remedy::SendFollowups { event, .. } => {
            format!("`trellis followup suggest {event}` names whom to ask")
        }
        Remedy::ListenToChat { event } => format!(
            "or `trellis listen import FILE --program <ID>`, then `trellis listen report {event}`"
        ),
        Remedy::MovePeople { .. } => "move them with `trellis board forward <PERSON>`".to_owned(),
        Remedy::AllowDemosPerPresenter { program, to } => format!(
            "if the program means it, allow it with `trellis program edit {program} --demos-per-presenter {to}`"
        ),
    })
}

/// A reason in the CLI's words: its sentence, then what clears it.
pub fn reason(r: &Reason) -> String {
    let clears: Vec<String> = r.clears.iter().filter_map(remedy).collect();
    if clears.is_empty() {
        return r.text.clone();
    }
    format!("{}; {}", r.text, clears.join("; "))
}

/// The fields that the core and the store name in their own (neutral) words and the CLI
/// takes as flags: `slots` is `--slots` here, the `slots` field on a web form.
const FLAGS: &[&str] = &[
    "answers",
    "at",
    "capacity",
    "channel",
    "checked_in",
    "checklist",
    "days",
    "demo_target",
    "demos_per_presenter",
    "email",
    "event",
    "follow_up",
    "followup_minimum",
    "hours",
    "insight",
    "invite",
    "moves_per_event",
    "name",
    "note",
    "organizer",
    "outcome",
    "override",
    "person",
    "program",
    "retro_hours",
    "role",
    "rsvp",
    "slots",
    "stage",
    "text",
    "title",
    "to",
    "tz",
    "venue",
];

/// A field as the CLI's user typed it: `retro_hours` → `--retro-hours`; a positional
/// argument (`EVENT`) or a place in a file (`retro.md:14`) stays as it is.
pub fn field(name: &str) -> String {
    if FLAGS.contains(&name) {
        format!("--{}", name.replace('_', "-"))
    } else {
        name.to_owned()
    }
}

/// The core error behind an error, if one is (directly, or inside the store's or a use
/// case's error).
fn core_error(err: &anyhow::Error) -> Option<&CoreError> {
    err.chain().find_map(|e| {
        if let Some(c) = e.downcast_ref::<CoreError>() {
            return Some(c);
        }
        match e.downcast_ref::<StoreError>() {
            Some(StoreError::Invalid(c)) => Some(c),
            _ => match e.downcast_ref::<trellis_app::AppError>() {
                Some(trellis_app::AppError::Core(c))
                | Some(trellis_app::AppError::Store(StoreError::Invalid(c))) => Some(c),
                _ => None,
            },
        }
    })
}

/// An error in the CLI's words: the whole chain, with a field named as its flag.
pub fn error(err: &anyhow::Error) -> String {
    let text = format!("{err:#}");
    let Some(core) = core_error(err) else {
        return text;
    };
    let (neutral, cli) = match core {
        CoreError::Invalid { field: f, .. } => (format!("{}: ", f.0), format!("{}: ", field(&f.0))),
        CoreError::At { place, .. } => (format!("{place}: "), format!("{}: ", field(place))),
        CoreError::Transition { .. } => return text,
    };
    if neutral == cli {
        return text;
    }
    let said = core.to_string();
    let rendered = said.replacen(&neutral, &cli, 1);
    text.replacen(&said, &rendered, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use trellis_core::EventId;

    #[test]
    fn a_field_is_named_as_its_flag() {
        let e = anyhow::Error::new(StoreError::Invalid(CoreError::invalid(
            "retro_hours",
            0,
            "must be at least 1",
        )));
        assert_eq!(error(&e), "--retro-hours: \"0\" must be at least 1");
        let e = anyhow::Error::new(CoreError::invalid("EVENT", "x", "is not an id"));
        assert_eq!(error(&e), "EVENT: \"x\" is not an id");
    }

    #[test]
    fn a_reason_names_the_command_that_clears_it() {
        let r = Reason {
            text: "'Sep demo night' has no retro yet".into(),
            overridable: true,
            clears: vec![Remedy::WriteRetro { event: EventId(8) }],
        };
        assert_eq!(
            reason(&r),
            "'Sep demo night' has no retro yet; write it with `trellis retro write 8`"
        );
    }
}
