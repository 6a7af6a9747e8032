//! Typed ids, so that a demo id can never be passed where an event id is meant.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(
    /// A program: a recurring series such as "Tinkerers Berlin".
    ProgramId
);
id_type!(
    /// A person: anyone who attended, presented or was introduced.
    PersonId
);
id_type!(
    /// One occurrence of a program.
    EventId
);
id_type!(
    /// A claim on a demo slot of an event.
    DemoId
);
