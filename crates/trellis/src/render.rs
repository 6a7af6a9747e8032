//! The CLI's words for what the core and the application layer return as data: a gate's
//! reason ends with the command that clears it.

use trellis_core::gate::{Reason, Remedy};

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

#[cfg(test)]
mod tests {
    use super::*;
    use trellis_core::EventId;

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
