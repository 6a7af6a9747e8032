//! The speaker pipeline board: `spotted → warm_intro → candidate → speaker → repeat`.

use crate::error::CoreError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// A first-timer worth nurturing.
    Spotted,
    /// Someone introduced them, or we reached out.
    WarmIntro,
    /// Asked to demo.
    Candidate,
    /// Has presented.
    Speaker,
    /// Presented twice or more; invited back.
    Repeat,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Spotted,
        Stage::WarmIntro,
        Stage::Candidate,
        Stage::Speaker,
        Stage::Repeat,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Spotted => "spotted",
            Stage::WarmIntro => "warm_intro",
            Stage::Candidate => "candidate",
            Stage::Speaker => "speaker",
            Stage::Repeat => "repeat",
        }
    }

    fn rank(self) -> usize {
        Stage::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The next stage forward, if there is one.
    pub fn next(self) -> Option<Stage> {
        Stage::ALL.get(self.rank() + 1).copied()
    }

    /// The stage one step back, if there is one (a move back is recorded as such).
    pub fn prev(self) -> Option<Stage> {
        self.rank()
            .checked_sub(1)
            .and_then(|r| Stage::ALL.get(r).copied())
    }

    /// Whether moving from `self` to `to` goes forward on the board.
    pub fn is_forward_to(self, to: Stage) -> bool {
        to.rank() > self.rank()
    }

    /// Where a presented demo puts its presenter, given the different events they have
    /// presented at (this one included): `speaker` after one evening, `repeat` after two
    /// or more, the metrics' definition of a repeat speaker. Two demos on one night are
    /// one evening. (A card already further along stays where it is: the caller moves
    /// only forward.)
    pub fn after_presenting(evenings: usize) -> Stage {
        if evenings >= 2 {
            Stage::Repeat
        } else {
            Stage::Speaker
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Stage {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_lowercase().replace('-', "_");
        Stage::ALL
            .into_iter()
            .find(|v| v.as_str() == norm)
            .ok_or_else(|| {
                CoreError::invalid(
                    "stage",
                    s,
                    "is not a stage (spotted, warm_intro, candidate, speaker, repeat)",
                )
            })
    }
}

/// The people a cycle moved ahead: of `moves` (person, from, to, in the order they were
/// made), the distinct people whose stage ended the cycle at least one step ahead of where
/// it began. A forward and a back cancel out, and two steps for one person are one person:
/// the essay asks to move 3–5 *people* forward. In order of their first move.
pub fn moved_ahead<P: Copy + Eq>(moves: impl IntoIterator<Item = (P, Stage, Stage)>) -> Vec<P> {
    // (person, stage at the cycle's start, stage now)
    let mut seen: Vec<(P, Stage, Stage)> = Vec::new();
    for (person, from, to) in moves {
        match seen.iter_mut().find(|(p, _, _)| *p == person) {
            Some(entry) => entry.2 = to,
            None => seen.push((person, from, to)),
        }
    }
    seen.into_iter()
        .filter(|(_, start, end)| start.is_forward_to(*end))
        .map(|(p, _, _)| p)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Stage::*;
    use super::*;

    #[test]
    fn moved_ahead_counts_people_and_cancels_back_and_forth() {
        use Stage::*;
        let moves = [
            (1, Spotted, WarmIntro),
            (1, WarmIntro, Candidate), // two steps, one person
            (2, Spotted, WarmIntro),
            (2, WarmIntro, Spotted),   // forward and back cancel
            (3, Candidate, WarmIntro), // back only
            (4, WarmIntro, Spotted),
            (4, Spotted, WarmIntro),
            (4, WarmIntro, Candidate), // back, then two forward: one ahead
        ];
        assert_eq!(moved_ahead(moves), vec![1, 4]);
    }

    #[test]
    fn a_step_back_is_the_stage_before() {
        assert_eq!(Spotted.prev(), None);
        assert_eq!(WarmIntro.prev(), Some(Spotted));
        assert_eq!(Repeat.prev(), Some(Speaker));
    }

    #[test]
    fn stages_go_forward_one_step_at_a_time() {
        assert_eq!(Spotted.next(), Some(WarmIntro));
        assert_eq!(Speaker.next(), Some(Repeat));
        assert_eq!(Repeat.next(), None);
        assert!(Spotted.is_forward_to(Candidate));
        assert!(!Speaker.is_forward_to(Candidate));
    }

    #[test]
    fn presenting_makes_a_speaker_then_a_repeat() {
        assert_eq!(Stage::after_presenting(1), Speaker);
        assert_eq!(Stage::after_presenting(2), Repeat);
        assert_eq!(Stage::after_presenting(5), Repeat);
    }

    #[test]
    fn stage_names_parse_with_dashes_too() {
        assert_eq!("warm-intro".parse::<Stage>().unwrap(), WarmIntro);
        assert!(
            "famous"
                .parse::<Stage>()
                .unwrap_err()
                .to_string()
                .starts_with("stage:")
        );
    }
}
