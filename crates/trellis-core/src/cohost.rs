//! Co-hosted events (issue 20, OCG #619): an event belongs to its host program and may
//! name one other program as co-host. It counts in both programs' metrics and once
//! org-wide; organizers of either program may act on it; its gates keep reading the
//! host's settings (slots, follow-up minimum, retro hours), since the host runs its cycle.

use crate::ProgramId;
use crate::access::Access;
use crate::error::CoreError;

/// The programs an event counts for: its host, and its co-host if it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hosts {
    pub host: ProgramId,
    pub cohost: Option<ProgramId>,
}

impl Hosts {
    /// The hosts of an event, refused when the co-host is the host itself: a program
    /// cannot co-host its own event (it would count twice nowhere, and mean nothing).
    pub fn new(host: ProgramId, cohost: Option<ProgramId>) -> Result<Hosts, CoreError> {
        if cohost == Some(host) {
            return Err(CoreError::invalid(
                "cohost",
                host,
                "is the event's own program: a co-host is another program",
            ));
        }
        Ok(Hosts { host, cohost })
    }

    /// An event of one program only.
    pub fn only(host: ProgramId) -> Hosts {
        Hosts { host, cohost: None }
    }

    /// Whether the event counts for `program`: in its metrics, its lists, its public page.
    pub fn counts_for(&self, program: ProgramId) -> bool {
        self.host == program || self.cohost == Some(program)
    }

    /// The host first, then the co-host.
    pub fn programs(&self) -> impl Iterator<Item = ProgramId> {
        std::iter::once(self.host).chain(self.cohost)
    }

    /// The program that names the event beside `program` on `program`'s own pages: the
    /// co-host on the host's, the host on the co-host's; none for an event of one program.
    pub fn partner_of(&self, program: ProgramId) -> Option<ProgramId> {
        match self.cohost {
            Some(c) if program == self.host => Some(c),
            Some(c) if program == c => Some(self.host),
            _ => None,
        }
    }

    /// Whether `access` may read the event: it reaches one of its programs.
    pub fn seen_by(&self, access: &Access) -> bool {
        self.programs().any(|p| access.may_see(p))
    }

    /// Whether `access` may act on the event: it organizes one of its programs.
    pub fn acted_on_by(&self, access: &Access) -> bool {
        self.programs().any(|p| access.may_act_on(p))
    }

    /// The program through which `access` reaches the event, the one whose role counts
    /// on its pages: a program the account may act on first (the host before the
    /// co-host), else one it may read; `None` when it reaches neither.
    pub fn reached_by(&self, access: &Access) -> Option<ProgramId> {
        self.programs()
            .find(|p| access.may_act_on(*p))
            .or_else(|| self.programs().find(|p| access.may_see(*p)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;

    const A: ProgramId = ProgramId(1);
    const B: ProgramId = ProgramId(2);
    const C: ProgramId = ProgramId(3);

    #[test]
    fn a_program_cannot_cohost_its_own_event() {
        let e = Hosts::new(A, Some(A)).unwrap_err();
        assert!(e.to_string().contains("co-host is another program"), "{e}");
        assert_eq!(Hosts::new(A, Some(B)).unwrap().cohost, Some(B));
        assert_eq!(Hosts::new(A, None).unwrap(), Hosts::only(A));
    }

    #[test]
    fn a_cohosted_event_counts_for_both_programs_and_no_third() {
        let h = Hosts::new(A, Some(B)).unwrap();
        assert!(h.counts_for(A) && h.counts_for(B) && !h.counts_for(C));
        assert_eq!(h.programs().collect::<Vec<_>>(), [A, B]);
        assert_eq!(h.partner_of(A), Some(B));
        assert_eq!(h.partner_of(B), Some(A));
        assert_eq!(h.partner_of(C), None);
        assert_eq!(Hosts::only(A).programs().collect::<Vec<_>>(), [A]);
        assert_eq!(Hosts::only(A).partner_of(A), None);
    }

    #[test]
    fn the_program_an_account_reaches_it_by_prefers_one_it_acts_on() {
        let h = Hosts::new(A, Some(B)).unwrap();
        let b_organizer = Access::granted([(B, Role::Organizer)]);
        assert_eq!(h.reached_by(&b_organizer), Some(B));
        let a_viewer_b_organizer = Access::granted([(A, Role::Viewer), (B, Role::Organizer)]);
        assert_eq!(h.reached_by(&a_viewer_b_organizer), Some(B));
        let a_viewer = Access::granted([(A, Role::Viewer)]);
        assert_eq!(h.reached_by(&a_viewer), Some(A));
        let c_organizer = Access::granted([(C, Role::Organizer)]);
        assert_eq!(h.reached_by(&c_organizer), None);
        assert!(!h.seen_by(&c_organizer) && !h.acted_on_by(&c_organizer));
        assert!(h.seen_by(&a_viewer) && !h.acted_on_by(&a_viewer));
        assert!(h.acted_on_by(&b_organizer));
        assert_eq!(h.reached_by(&Access::admin()), Some(A));
    }
}
