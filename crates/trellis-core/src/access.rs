//! Who may do what in the web app: viewers read, organizers act, admins also manage
//! users and program settings.

use crate::error::CoreError;
use serde::{Deserialize, Serialize};
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewers_read_organizers_act_admins_administer() {
        assert!(!Role::Viewer.may_act());
        assert!(Role::Organizer.may_act() && !Role::Organizer.may_administer());
        assert!(Role::Admin.may_act() && Role::Admin.may_administer());
        assert!("boss".parse::<Role>().is_err());
    }
}
