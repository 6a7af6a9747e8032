//! A program's notification settings: which reminders it sends, how early, whether its
//! organizers get one weekly digest instead of single nudges, and an optional chat
//! webhook for the organizers' nudges. Defaults are what the program had before it
//! chose anything: every kind on, 14 days, 3 days, no digest, no webhook.

use crate::CoreError;
use crate::notify::kind;

/// The switchable groups of messages, with the label a settings form shows.
pub const GROUPS: [(&str, &str); 6] = [
    ("retro", "Retro reminders (held, 24 h left, overdue)"),
    ("followups", "Follow-ups due"),
    ("short_of_demos", "Next event short of demos"),
    ("review", "Monthly review due"),
    ("checkin", "Fatigue check-in the morning after"),
    ("contract", "Contract link and reminder to presenters"),
];

/// The group a message kind belongs to; `None` for kinds no setting switches off.
pub fn group(k: &str) -> Option<&'static str> {
    Some(match k {
        kind::RETRO_HELD | kind::RETRO_24H | kind::RETRO_OVERDUE => "retro",
        kind::FOLLOWUPS_SOON | kind::FOLLOWUPS_OVERDUE => "followups",
        kind::SHORT_OF_DEMOS => "short_of_demos",
        kind::REVIEW_DUE => "review",
        kind::CHECKIN => "checkin",
        kind::CONTRACT | kind::CONTRACT_REMINDER => "contract",
        _ => return None,
    })
}

/// Bounds of the two day settings, as the form and the CLI check them.
pub const SHORT_DAYS: (u32, u32) = (1, 90);
pub const CONTRACT_DAYS: (u32, u32) = (1, 30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifySettings {
    /// Groups switched off (names from [`GROUPS`]).
    pub off: Vec<String>,
    /// Days before an event when its organizers first hear it is short of demos.
    pub short_of_demos_days: u32,
    /// Days after screening before a presenter is reminded of the contract.
    pub contract_reminder_days: u32,
    /// One weekly digest per organizer instead of single nudges.
    pub weekly_digest: bool,
    /// A Slack- or Discord-compatible incoming webhook for the organizers' nudges.
    pub webhook_url: Option<String>,
}

impl Default for NotifySettings {
    fn default() -> Self {
        NotifySettings {
            off: Vec::new(),
            short_of_demos_days: 14,
            contract_reminder_days: crate::notify::CONTRACT_REMINDER_DAYS as u32,
            weekly_digest: false,
            webhook_url: None,
        }
    }
}

impl NotifySettings {
    /// Whether messages of `kind` go out for this program.
    pub fn enabled(&self, k: &str) -> bool {
        group(k).is_none_or(|g| !self.off.iter().any(|o| o == g))
    }

    /// Checks every value; the first wrong one is named by its field.
    pub fn validate(mut self) -> Result<NotifySettings, CoreError> {
        for g in &self.off {
            if !GROUPS.iter().any(|(name, _)| name == g) {
                return Err(CoreError::invalid("off", g, "is not a kind of message"));
            }
        }
        self.off.sort();
        self.off.dedup();
        within("short_of_demos_days", self.short_of_demos_days, SHORT_DAYS)?;
        within(
            "contract_reminder_days",
            self.contract_reminder_days,
            CONTRACT_DAYS,
        )?;
        self.webhook_url = match self.webhook_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(u) => Some(webhook_url(u)?),
        };
        Ok(self)
    }
}

fn within(field: &'static str, v: u32, (min, max): (u32, u32)) -> Result<(), CoreError> {
    if v < min || v > max {
        return Err(CoreError::invalid(
            field,
            v,
            format!("must be between {min} and {max}"),
        ));
    }
    Ok(())
}

/// A webhook URL: https anywhere, plain http only to this machine (a test receiver or a
/// local relay), since the URL is the only secret such a hook has.
pub fn webhook_url(u: &str) -> Result<String, CoreError> {
    let bad = |why: &str| CoreError::invalid("webhook_url", u, why.to_owned());
    let (scheme, rest) = u.split_once("://").ok_or_else(|| bad("is not a URL"))?;
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .rsplit('@')
        .next()
        .unwrap_or_default();
    let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
    if name.is_empty() || u.chars().any(char::is_whitespace) {
        return Err(bad("is not a URL"));
    }
    let loopback = matches!(name, "127.0.0.1" | "localhost" | "[::1]");
    match scheme {
        "https" => Ok(u.to_owned()),
        "http" if loopback => Ok(u.to_owned()),
        "http" => Err(bad("must use https (plain http only to this machine)")),
        _ => Err(bad("must start with https://")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_send_everything_and_a_switched_off_group_goes_quiet() {
        let s = NotifySettings::default();
        assert!(s.enabled(kind::RETRO_24H) && s.enabled(kind::MAIL_TEST));
        let s = NotifySettings {
            off: vec!["retro".into()],
            ..s
        };
        assert!(!s.enabled(kind::RETRO_OVERDUE));
        assert!(s.enabled(kind::FOLLOWUPS_SOON));
        assert!(
            s.enabled(kind::FOLLOWUP),
            "a personal follow-up is not a reminder"
        );
    }

    #[test]
    fn validation_names_the_field() {
        let bad = NotifySettings {
            short_of_demos_days: 0,
            ..NotifySettings::default()
        };
        let e = bad.validate().unwrap_err().to_string();
        assert!(e.starts_with("short_of_demos_days:"), "{e}");
        let bad = NotifySettings {
            off: vec!["nope".into()],
            ..NotifySettings::default()
        };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn a_webhook_is_https_or_loopback() {
        assert!(webhook_url("https://hooks.slack.com/services/T/B/x").is_ok());
        assert!(webhook_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(webhook_url("http://example.com/hook").is_err());
        assert!(webhook_url("ftp://example.com").is_err());
        assert!(webhook_url("hooks.slack.com").is_err());
        let blank = NotifySettings {
            webhook_url: Some("  ".into()),
            ..NotifySettings::default()
        };
        assert_eq!(blank.validate().unwrap().webhook_url, None);
    }
}
