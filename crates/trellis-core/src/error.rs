use std::fmt;

/// The name of the input field a bad value came from, as a user typed it
/// (`--slots`, `email`, ...), so that every error can say what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field(pub String);

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Field {
    fn from(s: &str) -> Self {
        Field(s.to_owned())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoreError {
    /// A value a user supplied is not acceptable.
    #[error("{field}: {value:?} {problem}")]
    Invalid {
        field: Field,
        value: String,
        problem: String,
    },
    /// Something wrong at a place in an input (`retro.md:14`, `--follow-up`), where
    /// quoting a single value would not help.
    #[error("{place}: {problem}")]
    At { place: String, problem: String },
    /// A lifecycle step that makes no sense from the current state
    /// (announcing a held event, confirming a rejected demo, ...).
    #[error("{what} is {from}; it cannot become {to}{hint}")]
    Transition {
        what: String,
        from: String,
        to: String,
        hint: String,
    },
}

impl CoreError {
    pub fn at(place: impl fmt::Display, problem: impl Into<String>) -> Self {
        CoreError::At {
            place: place.to_string(),
            problem: problem.into(),
        }
    }

    pub fn invalid(
        field: impl Into<Field>,
        value: impl fmt::Display,
        problem: impl Into<String>,
    ) -> Self {
        CoreError::Invalid {
            field: field.into(),
            value: value.to_string(),
            problem: problem.into(),
        }
    }
}
