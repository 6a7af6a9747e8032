//! An organizer's hand-off: who owns an event's due items (its retro, its follow-ups),
//! whether a retirement may hand work to a given organizer, and how many of a program's
//! active organizers checked in high — a count, never who.

use crate::error::CoreError;
use crate::ids::ProgramId;
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};

/// An organizer as the hand-off rules read them.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizerFact {
    pub id: i64,
    pub name: String,
    pub programs: Vec<ProgramId>,
    pub retired: bool,
}

impl OrganizerFact {
    /// Whether they organize `program` today.
    pub fn active_in(&self, program: ProgramId) -> bool {
        !self.retired && self.programs.contains(&program)
    }
}

/// Who owns the due items of an event of `program`: the organizer named for it while
/// they are an active organizer of the program; else the program's first active
/// organizer (the lowest id: the longest-serving); else nobody.
pub fn owner(named: Option<i64>, program: ProgramId, organizers: &[OrganizerFact]) -> Option<i64> {
    let active = |o: &&OrganizerFact| o.active_in(program);
    named
        .filter(|n| organizers.iter().filter(active).any(|o| o.id == *n))
        .or_else(|| organizers.iter().filter(active).map(|o| o.id).min())
}

/// Checks that `retiree` may retire, handing their work to `to` when one is named: not
/// retired already, and a successor who is someone else, active, and organizes at least
/// one of the retiree's programs.
pub fn check_retire(retiree: &OrganizerFact, to: Option<&OrganizerFact>) -> Result<(), CoreError> {
    if retiree.retired {
        return Err(CoreError::invalid(
            "organizer",
            &retiree.name,
            "is already retired",
        ));
    }
    let Some(to) = to else {
        return Ok(());
    };
    if to.id == retiree.id {
        return Err(CoreError::invalid(
            "to",
            &to.name,
            "is the organizer who retires: hand the work to someone else",
        ));
    }
    if to.retired {
        return Err(CoreError::invalid(
            "to",
            &to.name,
            "is retired: hand the work to an active organizer",
        ));
    }
    if !retiree.programs.iter().any(|p| to.programs.contains(p)) {
        return Err(CoreError::invalid(
            "to",
            &to.name,
            format!(
                "organizes none of {}'s programs: hand the work to a co-organizer",
                retiree.name
            ),
        ));
    }
    Ok(())
}

/// A check-in as the high notice reads it: whose, for which program's event, when, and
/// its score.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckinFact {
    pub organizer: i64,
    pub program: ProgramId,
    pub at: Timestamp,
    pub score: f64,
}

/// For each program, how many of its active organizers' latest check-in for it (in the
/// last [`crate::metrics::ACTIVE_DAYS`] days, as the fatigue index reads them) is high
/// (50 or more). Programs with none are left out. Only a count: the notice names no one.
pub fn high_per_program(
    checkins: &[CheckinFact],
    organizers: &[OrganizerFact],
    now: Timestamp,
) -> BTreeMap<ProgramId, u32> {
    let latest =
        crate::metrics::latest_in_window(checkins, now, |c| c.at, |c| (c.program, c.organizer));
    let active: BTreeSet<(ProgramId, i64)> = organizers
        .iter()
        .flat_map(|o| o.programs.iter().map(move |p| (*p, o)))
        .filter(|(p, o)| o.active_in(*p))
        .map(|(p, o)| (p, o.id))
        .collect();
    let mut out = BTreeMap::new();
    for ((program, organizer), c) in latest {
        if c.score >= crate::checkin::HIGH && active.contains(&(program, organizer)) {
            *out.entry(program).or_insert(0) += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    fn org(id: i64, programs: &[i64], retired: bool) -> OrganizerFact {
        OrganizerFact {
            id,
            name: format!("O{id}"),
            programs: programs.iter().map(|p| ProgramId(*p)).collect(),
            retired,
        }
    }

    #[test]
    fn the_named_owner_while_active_else_the_first_active_organizer() {
        let orgs = [
            org(1, &[1], false),
            org(2, &[1], false),
            org(3, &[2], false),
        ];
        assert_eq!(owner(None, ProgramId(1), &orgs), Some(1));
        assert_eq!(owner(Some(2), ProgramId(1), &orgs), Some(2));
        assert_eq!(owner(Some(3), ProgramId(1), &orgs), Some(1), "not theirs");
        let retired = [org(1, &[1], true), org(2, &[1], false)];
        assert_eq!(owner(None, ProgramId(1), &retired), Some(2));
        assert_eq!(owner(Some(1), ProgramId(1), &retired), Some(2));
        assert_eq!(owner(None, ProgramId(9), &orgs), None);
    }

    #[test]
    fn a_retirement_hands_work_to_an_active_co_organizer_only() {
        let (ana, ben, cy, old) = (
            org(1, &[1, 2], false),
            org(2, &[2], false),
            org(3, &[3], false),
            org(4, &[1], true),
        );
        assert!(check_retire(&ana, None).is_ok());
        assert!(check_retire(&ana, Some(&ben)).is_ok());
        let msg = |r: Result<(), CoreError>| r.unwrap_err().to_string();
        assert!(msg(check_retire(&ana, Some(&ana))).contains("someone else"));
        assert!(msg(check_retire(&ana, Some(&cy))).contains("organizes none"));
        assert!(msg(check_retire(&ana, Some(&old))).contains("is retired"));
        assert!(msg(check_retire(&old, None)).contains("already retired"));
    }

    #[test]
    fn the_high_count_reads_each_active_organizers_latest_check_in() {
        let now: Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
        let day = |d: i64| now - SignedDuration::from_hours(24 * d);
        let c = |organizer, program, at, score| CheckinFact {
            organizer,
            program: ProgramId(program),
            at,
            score,
        };
        let checkins = [
            c(1, 1, day(20), 80.0),
            c(1, 1, day(5), 40.0), // latest: no longer high
            c(2, 1, day(5), 86.0),
            c(3, 1, day(5), 60.0),  // retired
            c(4, 1, day(90), 90.0), // too old
            c(2, 2, day(3), 55.0),
        ];
        let orgs = [
            org(1, &[1], false),
            org(2, &[1, 2], false),
            org(3, &[1], true),
            org(4, &[1], false),
        ];
        let high = high_per_program(&checkins, &orgs, now);
        assert_eq!(high.get(&ProgramId(1)), Some(&1));
        assert_eq!(high.get(&ProgramId(2)), Some(&1));
        assert_eq!(high.len(), 2);
    }
}
