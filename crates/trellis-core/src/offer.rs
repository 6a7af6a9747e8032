//! The call for demos on a program's public page: a builder raises their hand without an
//! account. What a hand raised must hold, and the address of the page.

use crate::error::CoreError;
use crate::person::normalise_email;
use crate::program::validate_name;

/// The longest "what did you build?" kept: a paragraph, not an essay.
pub const ABOUT_CHARS: usize = 2_000;

/// A hand raised, as typed on the public page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferInput {
    pub name: String,
    pub email: String,
    pub title: String,
    pub about: String,
    pub wip: bool,
}

/// A hand raised, checked: a name, an e-mail, a title and what they built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub name: String,
    pub email: String,
    pub title: String,
    pub about: String,
    pub wip: bool,
}

impl OfferInput {
    /// Checks every field; the first problem of each field, keyed by the field's name.
    pub fn check(&self) -> Result<Offer, Vec<CoreError>> {
        let mut problems = Vec::new();
        let name = validate_name("name", &self.name).map_err(|e| problems.push(e));
        let email = normalise_email(&self.email).map_err(|_| {
            problems.push(CoreError::invalid(
                "email",
                &self.email,
                "is not an e-mail address",
            ));
        });
        let title = validate_name("title", &self.title).map_err(|e| problems.push(e));
        let about = self.about.trim();
        if about.chars().count() > ABOUT_CHARS {
            problems.push(CoreError::invalid(
                "about",
                "…",
                format!("is longer than {ABOUT_CHARS} characters"),
            ));
        }
        match (name, email, title) {
            (Ok(name), Ok(email), Ok(title)) if problems.is_empty() => Ok(Offer {
                name,
                email,
                title,
                about: about.to_owned(),
                wip: self.wip,
            }),
            _ => Err(problems),
        }
    }
}

/// The public page's address for a program named `name`: lower-case ASCII letters and
/// digits, words joined by `-` ("Tinkerers Berlin" → `tinkerers-berlin`). Letters with
/// accents lose them where they are Latin; a name with nothing left is `program`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "program".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_words_joined_by_dashes() {
        assert_eq!(slug("Tinkerers Berlin"), "tinkerers-berlin");
        assert_eq!(slug("  São Paulo — Builders!! "), "sao-paulo-builders");
        assert_eq!(slug("東京"), "program");
    }

    #[test]
    fn a_hand_raised_needs_a_name_an_email_and_a_title() {
        let ok = OfferInput {
            name: " Ada ".into(),
            email: "Ada@Example.org".into(),
            title: "A tiny compiler".into(),
            about: "It compiles itself.".into(),
            wip: true,
        };
        let o = ok.check().unwrap();
        assert_eq!(
            (o.name.as_str(), o.email.as_str()),
            ("Ada", "ada@example.org")
        );
        let bad = OfferInput {
            email: "nope".into(),
            about: "x".repeat(ABOUT_CHARS + 1),
            ..OfferInput::default()
        };
        let fields: Vec<String> = bad
            .check()
            .unwrap_err()
            .iter()
            .filter_map(|e| match e {
                CoreError::Invalid { field, .. } => Some(field.0.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(fields, ["name", "email", "title", "about"]);
    }
}
