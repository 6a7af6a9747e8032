//! Who is told what, and when: the rules of Trellis's reminders as pure functions over
//! facts the store loads, with the clock passed in. Also how a failed send is retried.

use jiff::{SignedDuration, Timestamp};

/// Sends tried before a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 5;

/// A reminder whose moment passed longer ago than this is not sent any more: a new
/// installation, or one that was down for weeks, does not flood anyone with old news.
pub const STALE_AFTER: SignedDuration = SignedDuration::from_hours(7 * 24);

/// When to try again after the `attempts`-th failed send (1, 4, 16, 64 minutes), or
/// `None` once `MAX_ATTEMPTS` were tried: the message is failed.
pub fn retry_at(attempts: i64, now: Timestamp) -> Option<Timestamp> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let exp = u32::try_from(attempts.saturating_sub(1).max(0)).unwrap_or(0);
    let minutes = 4i64.saturating_pow(exp);
    now.saturating_add(SignedDuration::from_mins(minutes)).ok()
}

/// The kinds of message, as stored in the outbox.
pub mod kind {
    pub const RETRO_HELD: &str = "retro_held";
    pub const RETRO_24H: &str = "retro_24h";
    pub const RETRO_OVERDUE: &str = "retro_overdue";
    pub const FOLLOWUPS_SOON: &str = "followups_soon";
    pub const FOLLOWUPS_OVERDUE: &str = "followups_overdue";
    pub const SHORT_OF_DEMOS: &str = "short_of_demos";
    pub const MAIL_TEST: &str = "mail_test";
    pub const FOLLOWUP: &str = "followup";
    pub const CONTRACT: &str = "contract";
    pub const CONTRACT_REMINDER: &str = "contract_reminder";
    pub const REVIEW_DUE: &str = "review_due";
    pub const CHECKIN: &str = "checkin";
    pub const WEEKLY_DIGEST: &str = "weekly_digest";

    /// The nudges to organizers about a program's mechanisms: the ones a weekly digest
    /// gathers and a webhook repeats.
    pub fn is_organizer_nudge(kind: &str) -> bool {
        matches!(
            kind,
            RETRO_HELD
                | RETRO_24H
                | RETRO_OVERDUE
                | FOLLOWUPS_SOON
                | FOLLOWUPS_OVERDUE
                | SHORT_OF_DEMOS
                | REVIEW_DUE
                | CHECKIN
        )
    }

    /// The organizers' nudges about an event's follow-ups.
    pub fn is_short_of_demos(kind: &str) -> bool {
        kind == SHORT_OF_DEMOS
    }

    pub fn is_followup_nudge(kind: &str) -> bool {
        matches!(kind, FOLLOWUPS_SOON | FOLLOWUPS_OVERDUE)
    }

    /// Messages to people who are not organizers: they carry a one-click unsubscribe.
    pub fn to_a_person(kind: &str) -> bool {
        matches!(kind, CONTRACT | CONTRACT_REMINDER | FOLLOWUP)
    }
}

/// Days after screening before a presenter who has not accepted is reminded once.
pub const CONTRACT_REMINDER_DAYS: i64 = 3;

/// The contract messages due at `now` for a demo that passed screening at `screened_at`
/// and is not accepted: the link at screening, one reminder after `reminder_days` (the
/// program's setting, [`CONTRACT_REMINDER_DAYS`] by default); each only while not stale.
pub fn contract_messages(
    screened_at: Timestamp,
    reminder_days: u32,
    now: Timestamp,
) -> Vec<(&'static str, Timestamp)> {
    let reminder = screened_at
        .saturating_add(SignedDuration::from_hours(24 * i64::from(reminder_days)))
        .unwrap_or(screened_at);
    [
        (kind::CONTRACT, screened_at),
        (kind::CONTRACT_REMINDER, reminder),
    ]
    .into_iter()
    .filter(|(_, at)| *at <= now && now.duration_since(*at) <= STALE_AFTER)
    .collect()
}

/// An event that was held and whose retro is not written.
#[derive(Debug, Clone)]
pub struct RetroFacts {
    pub held_at: Timestamp,
    pub due: Timestamp,
}

/// How often an overdue retro is asked for again: a mechanism keeps asking until the
/// retro is written; the next event's gate waits for it anyway.
pub const OVERDUE_EVERY: SignedDuration = SignedDuration::from_hours(7 * 24);

/// The retro reminders whose moment has come at `now` and is not stale: at held, with
/// 24 h left (when the window is longer than that), and once overdue, then again every
/// [`OVERDUE_EVERY`] while it stays unwritten (each moment is its own message).
pub fn retro_reminders(f: &RetroFacts, now: Timestamp) -> Vec<(&'static str, Timestamp)> {
    let mut out = vec![(kind::RETRO_HELD, f.held_at)];
    if let Ok(day_before) = f.due.checked_sub(SignedDuration::from_hours(24))
        && day_before > f.held_at
    {
        out.push((kind::RETRO_24H, day_before));
    }
    out.push((kind::RETRO_OVERDUE, weekly_since(f.due, now)));
    latest(out, now)
}

/// The latest weekly moment since `due` that has come by `now` (`due` itself before).
fn weekly_since(due: Timestamp, now: Timestamp) -> Timestamp {
    if now <= due {
        return due;
    }
    let weeks = now.duration_since(due).as_secs() / OVERDUE_EVERY.as_secs();
    let late = SignedDuration::from_secs(weeks.saturating_mul(OVERDUE_EVERY.as_secs()));
    due.saturating_add(late).unwrap_or(due)
}

/// Only the latest moment that has come, if not stale: after a pause, one message says
/// where things stand instead of several saying it in turn.
fn latest(
    mut moments: Vec<(&'static str, Timestamp)>,
    now: Timestamp,
) -> Vec<(&'static str, Timestamp)> {
    moments.retain(|(_, at)| *at <= now);
    moments
        .into_iter()
        .next_back()
        .filter(|(_, at)| now.duration_since(*at) <= STALE_AFTER)
        .into_iter()
        .collect()
}

/// How long before the follow-ups' due time the organizers are told how far they are.
pub const FOLLOWUPS_SOON: SignedDuration = SignedDuration::from_hours(2 * 24);

/// The follow-up reminders whose moment has come at `now`, for a held event whose
/// follow-ups are below the minimum and fall due at `due`: two days before, then once
/// overdue and again every [`OVERDUE_EVERY`] (the latest moment only, never stale).
pub fn followup_reminders(due: Timestamp, now: Timestamp) -> Vec<(&'static str, Timestamp)> {
    let mut out = Vec::new();
    if let Ok(soon) = due.checked_sub(FOLLOWUPS_SOON) {
        out.push((kind::FOLLOWUPS_SOON, soon));
    }
    out.push((kind::FOLLOWUPS_OVERDUE, weekly_since(due, now)));
    latest(out, now)
}

/// Days before an event when its organizers hear again that it is short of confirmed
/// demos, after the first nudge `lead_days` before (the program's setting, 14 by default).
pub const SHORT_OF_DEMOS_AGAIN: [u32; 2] = [7, 3];

/// The "short of demos" nudges whose moment has come at `now`, for an event starting at
/// `starts` that is short of confirmed presenters: `lead_days` before, then 7 and 3 days
/// before when those are later (the latest moment only).
pub fn short_of_demos(
    starts: Timestamp,
    lead_days: u32,
    now: Timestamp,
) -> Vec<(&'static str, Timestamp)> {
    let mut days = vec![lead_days];
    days.extend(SHORT_OF_DEMOS_AGAIN.iter().filter(|d| **d < lead_days));
    let moments = days
        .iter()
        .filter_map(|d| {
            starts
                .checked_sub(SignedDuration::from_hours(24 * i64::from(*d)))
                .ok()
        })
        .map(|at| (kind::SHORT_OF_DEMOS, at))
        .collect();
    if now >= starts {
        return Vec::new();
    }
    latest(moments, now)
}

/// What a planned message's reason depends on, as the store finds it at send time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reason {
    pub retro_written: bool,
    pub contract_accepted: bool,
    /// The event's follow-ups reached the program's minimum.
    pub followups_done: bool,
    /// The event has its confirmed demos.
    pub demos_enough: bool,
    /// The program's review is not due any more (one was started).
    pub review_done: bool,
    /// The organizer checked in for the event.
    pub checked_in: bool,
}

/// Why a planned message must not go any more, if it must not.
pub fn reason_passed(kind: &str, r: Reason) -> Option<&'static str> {
    match kind {
        kind::RETRO_HELD | kind::RETRO_24H | kind::RETRO_OVERDUE if r.retro_written => {
            Some("the retro was written")
        }
        kind::CONTRACT | kind::CONTRACT_REMINDER if r.contract_accepted => {
            Some("the contract was accepted")
        }
        kind::FOLLOWUPS_SOON | kind::FOLLOWUPS_OVERDUE if r.followups_done => {
            Some("the follow-ups reached the minimum")
        }
        kind::SHORT_OF_DEMOS if r.demos_enough => Some("the event has its confirmed demos"),
        kind::REVIEW_DUE if r.review_done => Some("the review was started"),
        kind::CHECKIN if r.checked_in => Some("the organizer checked in"),
        _ => None,
    }
}

/// How often a program's metric review is due (design: "review rhythm = monthly").
pub const REVIEW_EVERY: SignedDuration = SignedDuration::from_hours(30 * 24);

/// When a program's next review is due: a month after the last one started, or a month
/// after its first held event when it never had one; `None` before anything was held.
pub fn review_due(
    last_review: Option<Timestamp>,
    first_held: Option<Timestamp>,
) -> Option<Timestamp> {
    let from = last_review.or(first_held)?;
    from.checked_add(REVIEW_EVERY).ok()
}

/// The review reminders whose moment has come at `now`: at due, then weekly while no
/// review is started (the latest moment only, never stale).
pub fn review_reminders(due: Timestamp, now: Timestamp) -> Vec<(&'static str, Timestamp)> {
    latest(vec![(kind::REVIEW_DUE, weekly_since(due, now))], now)
}

/// The local hour of the morning after an event when its organizers are asked to check in.
pub const CHECKIN_HOUR: i8 = 9;

/// The check-in request for an event that started at `starts` in zone `tz`: 09:00 local
/// on the next day, when that moment has come at `now` and is not stale.
pub fn checkin_request(
    starts: Timestamp,
    tz: &jiff::tz::TimeZone,
    now: Timestamp,
) -> Vec<(&'static str, Timestamp)> {
    let local = crate::time::zoned(starts, tz);
    let morning = local
        .date()
        .tomorrow()
        .ok()
        .and_then(|d| {
            d.at(CHECKIN_HOUR, 0, 0, 0)
                .to_zoned_datetime(tz.clone())
                .ok()
        })
        .map(|z| z.timestamp());
    match morning {
        Some(at) => latest(vec![(kind::CHECKIN, at)], now),
        None => Vec::new(),
    }
}

/// The weekly digest's moment for the week of `now`: Monday 08:00 UTC, or the previous
/// Monday's when `now` is earlier in the week than that.
pub fn digest_moment(now: Timestamp) -> Timestamp {
    let day = now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    let back = i64::from(day.weekday().to_monday_zero_offset());
    let monday = day
        .checked_sub(jiff::Span::new().days(back))
        .unwrap_or(day)
        .at(8, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(now);
    if monday <= now {
        monday
    } else {
        monday
            .checked_sub(SignedDuration::from_hours(7 * 24))
            .unwrap_or(monday)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + SignedDuration::from_hours(1000 + h)
    }

    #[test]
    fn the_retro_reminders_each_at_its_moment() {
        let f = RetroFacts {
            held_at: t(0),
            due: t(48),
        };
        assert!(retro_reminders(&f, t(-1)).is_empty());
        assert_eq!(retro_reminders(&f, t(1)), vec![(kind::RETRO_HELD, t(0))]);
        assert_eq!(retro_reminders(&f, t(30)), vec![(kind::RETRO_24H, t(24))]);
        assert_eq!(
            retro_reminders(&f, t(49)),
            vec![(kind::RETRO_OVERDUE, t(48))]
        );
        // Still unwritten a week later: asked again, and again the week after.
        assert_eq!(
            retro_reminders(&f, t(48 + 24 * 8)),
            vec![(kind::RETRO_OVERDUE, t(48 + 24 * 7))]
        );
        assert_eq!(
            retro_reminders(&f, t(48 + 24 * 15)),
            vec![(kind::RETRO_OVERDUE, t(48 + 24 * 14))]
        );
    }

    #[test]
    fn the_followup_reminders_two_days_before_then_weekly_once_overdue() {
        let due = t(7 * 24);
        assert!(followup_reminders(due, t(4 * 24)).is_empty());
        assert_eq!(
            followup_reminders(due, t(5 * 24 + 1)),
            vec![(kind::FOLLOWUPS_SOON, t(5 * 24))]
        );
        assert_eq!(
            followup_reminders(due, t(7 * 24 + 1)),
            vec![(kind::FOLLOWUPS_OVERDUE, due)]
        );
        assert_eq!(
            followup_reminders(due, t(15 * 24)),
            vec![(kind::FOLLOWUPS_OVERDUE, t(14 * 24))]
        );
        let done = Reason {
            followups_done: true,
            ..Reason::default()
        };
        assert!(reason_passed(kind::FOLLOWUPS_OVERDUE, done).is_some());
        assert!(reason_passed(kind::FOLLOWUPS_OVERDUE, Reason::default()).is_none());
    }

    #[test]
    fn an_event_short_of_demos_is_nudged_two_weeks_one_week_and_three_days_before() {
        let starts = t(30 * 24);
        assert!(short_of_demos(starts, 14, t(15 * 24)).is_empty());
        assert_eq!(
            short_of_demos(starts, 14, t(17 * 24)),
            vec![(kind::SHORT_OF_DEMOS, t(16 * 24))]
        );
        assert_eq!(
            short_of_demos(starts, 14, t(28 * 24)),
            vec![(kind::SHORT_OF_DEMOS, t(27 * 24))]
        );
        assert!(short_of_demos(starts, 14, t(31 * 24)).is_empty(), "over");
    }

    #[test]
    fn a_short_window_has_no_day_before() {
        let f = RetroFacts {
            held_at: t(0),
            due: t(12),
        };
        assert_eq!(retro_reminders(&f, t(11)), vec![(kind::RETRO_HELD, t(0))]);
    }

    #[test]
    fn retries_back_off_then_stop() {
        let now = t(0);
        assert_eq!(retry_at(1, now), Some(now + SignedDuration::from_mins(1)));
        assert_eq!(retry_at(3, now), Some(now + SignedDuration::from_mins(16)));
        assert_eq!(retry_at(MAX_ATTEMPTS, now), None);
    }

    #[test]
    fn a_message_whose_reason_passed_is_cancelled() {
        let written = Reason {
            retro_written: true,
            ..Reason::default()
        };
        assert_eq!(
            reason_passed(kind::RETRO_24H, written),
            Some("the retro was written")
        );
        assert_eq!(reason_passed(kind::CONTRACT, written), None);
        let accepted = Reason {
            contract_accepted: true,
            ..Reason::default()
        };
        assert_eq!(
            reason_passed(kind::CONTRACT_REMINDER, accepted),
            Some("the contract was accepted")
        );
    }

    #[test]
    fn the_contract_link_then_one_reminder() {
        assert_eq!(
            contract_messages(t(0), 3, t(1)),
            vec![(kind::CONTRACT, t(0))]
        );
        assert_eq!(
            contract_messages(t(0), 3, t(73)),
            vec![(kind::CONTRACT, t(0)), (kind::CONTRACT_REMINDER, t(72))]
        );
        assert_eq!(
            contract_messages(t(0), 3, t(24 * 8)),
            vec![(kind::CONTRACT_REMINDER, t(72))],
            "the first is stale"
        );
    }

    #[test]
    fn the_lead_days_and_the_reminder_days_are_settings() {
        let starts = t(30 * 24);
        assert_eq!(
            short_of_demos(starts, 21, t(10 * 24)),
            vec![(kind::SHORT_OF_DEMOS, t(9 * 24))]
        );
        assert!(short_of_demos(starts, 5, t(20 * 24)).is_empty());
        assert_eq!(
            short_of_demos(starts, 5, t(28 * 24)),
            vec![(kind::SHORT_OF_DEMOS, t(27 * 24))],
            "5 days, then 3"
        );
        assert_eq!(
            contract_messages(t(0), 1, t(25)),
            vec![(kind::CONTRACT, t(0)), (kind::CONTRACT_REMINDER, t(24))]
        );
    }

    #[test]
    fn the_review_is_due_a_month_after_the_last_then_asked_weekly() {
        assert_eq!(review_due(None, None), None);
        let due = review_due(Some(t(0)), Some(t(-500))).unwrap();
        assert_eq!(due, t(30 * 24));
        assert_eq!(review_due(None, Some(t(0))), Some(t(30 * 24)));
        assert!(review_reminders(due, t(30 * 24 - 1)).is_empty());
        assert_eq!(
            review_reminders(due, t(31 * 24)),
            vec![(kind::REVIEW_DUE, due)]
        );
        assert_eq!(
            review_reminders(due, t(38 * 24)),
            vec![(kind::REVIEW_DUE, t(37 * 24))]
        );
        let done = Reason {
            review_done: true,
            ..Reason::default()
        };
        assert!(reason_passed(kind::REVIEW_DUE, done).is_some());
    }

    #[test]
    fn the_checkin_request_goes_the_morning_after_in_the_programs_zone() {
        let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
        // 2026-11-20 19:00 in Berlin (UTC+1).
        let starts: Timestamp = "2026-11-20T18:00:00Z".parse().unwrap();
        let morning: Timestamp = "2026-11-21T08:00:00Z".parse().unwrap();
        let before: Timestamp = "2026-11-21T07:59:00Z".parse().unwrap();
        assert!(checkin_request(starts, &tz, before).is_empty());
        assert_eq!(
            checkin_request(starts, &tz, morning),
            vec![(kind::CHECKIN, morning)]
        );
        let late: Timestamp = "2026-12-01T08:00:00Z".parse().unwrap();
        assert!(checkin_request(starts, &tz, late).is_empty(), "stale");
        let done = Reason {
            checked_in: true,
            ..Reason::default()
        };
        assert!(reason_passed(kind::CHECKIN, done).is_some());
    }

    #[test]
    fn the_digest_goes_monday_morning() {
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        let monday = at("2026-11-23T08:00:00Z");
        assert_eq!(digest_moment(at("2026-11-24T12:00:00Z")), monday);
        assert_eq!(digest_moment(monday), monday);
        assert_eq!(digest_moment(at("2026-11-29T23:00:00Z")), monday);
        assert_eq!(
            digest_moment(at("2026-11-30T07:00:00Z")),
            monday,
            "before 08:00 on Monday: last week's"
        );
    }
}
