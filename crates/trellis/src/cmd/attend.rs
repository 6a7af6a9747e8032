use super::{Env, parse_id};
use crate::cli::{AttendArgs, RsvpArg};
use trellis_app::people::AttendanceView;
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::{EventId, PersonId};
use trellis_store::AttendanceInput;

pub async fn run(env: &Env, a: AttendArgs) -> anyhow::Result<()> {
    let rsvp = a.rsvp.map(|r| match r {
        RsvpArg::Going => Rsvp::Going,
        RsvpArg::Waitlist => Rsvp::Waitlist,
        RsvpArg::Declined => Rsvp::Declined,
        RsvpArg::Invited => Rsvp::Invited,
    });
    let checked_in = if a.checked_in {
        Some(CheckedIn::Yes)
    } else if a.absent {
        Some(CheckedIn::No)
    } else {
        None
    };
    let input = AttendanceInput {
        event: EventId(parse_id("EVENT", &a.event)?),
        person: PersonId(parse_id("PERSON", &a.person)?),
        rsvp,
        checked_in,
        source: "cli".into(),
    };
    let v = AttendanceView::from(env.store.attend(&env.ctx, &input).await?);
    env.out.emit(&v, || {
        format!(
            "{} at event {} '{}': rsvp {}, checked in {}",
            v.person_name, v.event, v.event_title, v.rsvp, v.checked_in
        )
    })
}
