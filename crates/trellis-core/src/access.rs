//! Who may do what in the web app: viewers read, organizers act, admins also manage
//! users and program settings. An admin's account reaches every program; any other
//! account reaches only the programs it was granted, each with its own role, so a
//! volunteer in one chapter neither sees nor touches another's work.

use crate::ProgramId;
use crate::error::CoreError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Viewer,
    Organizer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Organizer => "organizer",
            Role::Admin => "admin",
        }
    }

    /// Changing the program's state: lifecycle steps, demos, attendance.
    pub fn may_act(self) -> bool {
        self >= Role::Organizer
    }

    /// Managing users and program settings.
    pub fn may_administer(self) -> bool {
        self == Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Role::Viewer, Role::Organizer, Role::Admin]
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                CoreError::invalid("role", s, "is not a role (admin, organizer, viewer)")
            })
    }
}

/// What one account may reach: every program (an admin), or the programs granted to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    admin: bool,
    grants: BTreeMap<ProgramId, Role>,
}

impl Access {
    /// An admin's: every program, every action.
    pub fn admin() -> Access {
        Access {
            admin: true,
            grants: BTreeMap::new(),
        }
    }

    /// An organizer's or viewer's: only what was granted. A grant of `admin` is read as
    /// `organizer`: administering is a property of the account, not of a program.
    pub fn granted(grants: impl IntoIterator<Item = (ProgramId, Role)>) -> Access {
        Access {
            admin: false,
            grants: grants
                .into_iter()
                .map(|(p, r)| (p, r.min(Role::Organizer)))
                .collect(),
        }
    }

    /// Whether this is an admin's: every program, today's and tomorrow's.
    pub fn is_admin(&self) -> bool {
        self.admin
    }

    /// The account's role in `program`, if it reaches it at all.
    pub fn role_in(&self, program: ProgramId) -> Option<Role> {
        if self.admin {
            Some(Role::Admin)
        } else {
            self.grants.get(&program).copied()
        }
    }

    pub fn may_see(&self, program: ProgramId) -> bool {
        self.role_in(program).is_some()
    }

    pub fn may_act_on(&self, program: ProgramId) -> bool {
        self.role_in(program).is_some_and(Role::may_act)
    }

    /// Whether there is any program this account may change: whether to offer forms at
    /// all on a page that is about no one program.
    pub fn may_act_somewhere(&self) -> bool {
        self.admin || self.grants.values().any(|r| r.may_act())
    }

    /// Whether the account reaches every one of `programs`: what an org-wide figure,
    /// or a step that touches several programs at once (forgetting a person), needs.
    pub fn sees_all(&self, programs: &[ProgramId]) -> bool {
        programs.iter().all(|p| self.may_see(*p))
    }

    pub fn acts_on_all(&self, programs: &[ProgramId]) -> bool {
        programs.iter().all(|p| self.may_act_on(*p))
    }

    /// The programs of `all` this account may see, in the order given.
    pub fn visible(&self, all: &[ProgramId]) -> Vec<ProgramId> {
        all.iter().copied().filter(|p| self.may_see(*p)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_reaches_only_the_programs_granted() {
        let (lisbon, bangalore, berlin) = (ProgramId(1), ProgramId(2), ProgramId(3));
        let a = Access::granted([(lisbon, Role::Organizer), (bangalore, Role::Viewer)]);
        assert!(a.may_act_on(lisbon) && a.may_see(lisbon));
        assert!(a.may_see(bangalore) && !a.may_act_on(bangalore));
        assert!(!a.may_see(berlin) && !a.may_act_on(berlin));
        assert!(a.may_act_somewhere());
        assert_eq!(a.visible(&[berlin, bangalore, lisbon]), [bangalore, lisbon]);
        assert!(!a.sees_all(&[lisbon, berlin]) && a.sees_all(&[lisbon, bangalore]));
        assert!(!a.acts_on_all(&[lisbon, bangalore]));
        // An admin grant on a program does not make an admin.
        let b = Access::granted([(lisbon, Role::Admin)]);
        assert_eq!(b.role_in(lisbon), Some(Role::Organizer));
        assert!(!Access::granted([(lisbon, Role::Viewer)]).may_act_somewhere());
        assert!(Access::admin().acts_on_all(&[lisbon, bangalore, berlin]));
    }

    #[test]
    fn viewers_read_organizers_act_admins_administer() {
        assert!(!Role::Viewer.may_act());
        assert!(Role::Organizer.may_act() && !Role::Organizer.may_administer());
        assert!(Role::Admin.may_act() && Role::Admin.may_administer());
        assert!("boss".parse::<Role>().is_err());
    }
}
