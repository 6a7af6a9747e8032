//! People and their e-mail identities.

use crate::error::CoreError;

/// Normalises an e-mail for identity matching: trimmed and lower-cased.
///
/// Dots and `+tags` are deliberately kept: `ana.b+meetup@x.org` and `anab@x.org` are
/// the same inbox only at some providers, and a wrong merge of two people is worse
/// than a missed one (the organizer can still merge by hand).
pub fn normalise_email(raw: &str) -> Result<String, CoreError> {
    let email = raw.trim().to_lowercase();
    let bad = |problem: &str| Err(CoreError::invalid("email", raw, problem));
    if email.is_empty() {
        return bad("is empty");
    }
    if email.len() > 254 {
        return bad("is longer than 254 characters, the limit for an e-mail address");
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("is not an e-mail address (it contains a space)");
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return bad("is not an e-mail address (no @)");
    };
    if local.is_empty() || local.contains('@') {
        return bad("is not an e-mail address (one @ with a name before it is needed)");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
    {
        return bad("is not an e-mail address (the part after @ is not a domain)");
    }
    Ok(email)
}

/// Checks a person's display name.
pub fn validate_display_name(raw: &str) -> Result<String, CoreError> {
    crate::program::validate_name("name", raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_lowercases_but_keeps_dots_and_tags() {
        assert_eq!(
            normalise_email("  Ana.B+Meetup@Example.ORG ").unwrap(),
            "ana.b+meetup@example.org"
        );
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@x.org",
            "ana@x",
            "ana@@x.org",
            "a na@x.org",
            "ana@x..org",
            "ana@-x.org",
        ] {
            let err = normalise_email(bad).unwrap_err().to_string();
            assert!(err.starts_with("email:"), "{bad}: {err}");
        }
    }
}
