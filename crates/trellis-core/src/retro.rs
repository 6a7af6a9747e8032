//! The 48-hour retro: a fixed template, written before the next event is planned.

use crate::error::CoreError;
use jiff::{SignedDuration, Timestamp};

/// A person as the retro names them (an id, an e-mail or an exact name), with the line
/// it stands on so an unresolvable name can be pointed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRef {
    pub text: String,
    pub line: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub person: PersonRef,
    pub why: String,
}

/// A retro as written, before its people are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetroDraft {
    pub worked: String,
    pub broke: String,
    pub surprised: String,
    pub invite: Vec<PersonRef>,
    pub follow_up: Vec<Pick>,
}

/// The number of follow-up picks a retro names: exactly three, as the essay says.
pub const PICKS: usize = 3;

pub fn template(event_title: Option<&str>) -> String {
    let title = event_title.unwrap_or("<event>");
    format!(
        "# Retro: {title}\n\n\
         ## What worked\n\n\n\
         ## What broke\n\n\n\
         ## What surprised us\n\n\n\
         ## Who to invite next time\n\
         <!-- one person per line: their id, e-mail or exact name; may be empty -->\n\n\n\
         ## Follow up with (exactly three)\n\
         <!-- one per line: PERSON: why (the person's id, e-mail or exact name) -->\n\
         - : \n\
         - : \n\
         - : \n"
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Worked,
    Broke,
    Surprised,
    Invite,
    FollowUp,
}

impl Section {
    fn heading(self) -> &'static str {
        match self {
            Section::Worked => "What worked",
            Section::Broke => "What broke",
            Section::Surprised => "What surprised us",
            Section::Invite => "Who to invite next time",
            Section::FollowUp => "Follow up with (exactly three)",
        }
    }

    fn from_heading(h: &str) -> Option<Section> {
        let h = h.trim().to_lowercase();
        [
            ("what worked", Section::Worked),
            ("what broke", Section::Broke),
            ("what surprised", Section::Surprised),
            ("who to invite", Section::Invite),
            ("who should we invite", Section::Invite),
            ("follow up", Section::FollowUp),
            ("follow-up", Section::FollowUp),
            ("which 3 people", Section::FollowUp),
        ]
        .into_iter()
        .find(|(p, _)| h.starts_with(p))
        .map(|(_, s)| s)
    }
}

fn list_item(line: &str) -> Option<&str> {
    let t = line.trim();
    t.strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| (t == "-" || t == "*").then_some(""))
}

/// Splits `PERSON: why` (or `PERSON — why`, `PERSON=why`).
pub fn split_pick(item: &str) -> Option<(&str, &str)> {
    for sep in [":", " — ", " – ", "="] {
        if let Some((p, w)) = item.split_once(sep) {
            return Some((p.trim(), w.trim()));
        }
    }
    None
}

/// Reads the filled template. `source` names the file in messages (`retro.md:14: ...`).
pub fn parse(source: &str, text: &str) -> Result<RetroDraft, CoreError> {
    let at = |line: usize, problem: String| CoreError::at(format!("{source}:{line}"), problem);
    let mut current: Option<Section> = None;
    let mut seen: Vec<Section> = Vec::new();
    let mut prose: [Vec<String>; 3] = Default::default();
    let mut invite = Vec::new();
    let mut follow_up = Vec::new();
    let mut in_comment = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_end();
        let trimmed = line.trim();
        if in_comment {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if trimmed.starts_with("<!--") {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if let Some(h) = trimmed.strip_prefix("## ") {
            let s = new_section(h, &seen).map_err(|problem| at(n, problem))?;
            seen.push(s);
            current = Some(s);
            continue;
        }
        if trimmed.starts_with("# ") {
            current = None;
            continue;
        }
        match current {
            Some(s @ (Section::Worked | Section::Broke | Section::Surprised)) => {
                let idx = s as usize;
                prose[idx].push(line.to_owned());
            }
            Some(Section::Invite) => invite.extend(invite_ref(trimmed, n)),
            Some(Section::FollowUp) => {
                if let Some(pick) = follow_up_pick(trimmed, n).map_err(|problem| at(n, problem))? {
                    follow_up.push(pick);
                }
            }
            None if trimmed.is_empty() => {}
            None => {
                return Err(at(
                    n,
                    format!(
                        "text outside any section; start with one of: {}",
                        all_headings()
                    ),
                ));
            }
        }
    }
    if let Some(s) = ALL_SECTIONS.into_iter().find(|s| !seen.contains(s)) {
        return Err(CoreError::at(
            source,
            format!("the section '## {}' is missing", s.heading()),
        ));
    }
    let [worked, broke, surprised] = prose.map(|lines| answer(&lines));
    let draft = RetroDraft {
        worked,
        broke,
        surprised,
        invite,
        follow_up,
    };
    validate(source, &draft)?;
    Ok(draft)
}

/// Every section of the template, in its order.
const ALL_SECTIONS: [Section; 5] = [
    Section::Worked,
    Section::Broke,
    Section::Surprised,
    Section::Invite,
    Section::FollowUp,
];

/// The section a `## ` heading opens; the problem if it is unknown or was `seen` already.
fn new_section(h: &str, seen: &[Section]) -> Result<Section, String> {
    match Section::from_heading(h) {
        Some(s) if seen.contains(&s) => Err(format!("the section '{}' appears twice", s.heading())),
        Some(s) => Ok(s),
        None => Err(format!(
            "unknown section '{h}'; the template's sections are: {}",
            all_headings()
        )),
    }
}

/// A line of the invite section (line `n`): the person it names, if any.
fn invite_ref(trimmed: &str, n: usize) -> Option<PersonRef> {
    if trimmed.is_empty() {
        return None;
    }
    let item = list_item(trimmed).unwrap_or(trimmed).trim();
    (!item.is_empty()).then(|| PersonRef {
        text: item.to_owned(),
        line: Some(n),
    })
}

/// A line of the follow-up section (line `n`): a pick, nothing for a blank or unfilled
/// item, or the problem with it.
fn follow_up_pick(trimmed: &str, n: usize) -> Result<Option<Pick>, String> {
    if trimmed.is_empty() {
        return Ok(None);
    }
    let item = list_item(trimmed).unwrap_or(trimmed).trim();
    if item.is_empty() || item == ":" {
        return Ok(None);
    }
    let Some((person, why)) = split_pick(item) else {
        return Err(format!("{item:?} needs a reason: write it as PERSON: why"));
    };
    if person.is_empty() {
        return Err("names no person (write PERSON: why)".into());
    }
    if why.is_empty() {
        return Err(format!(
            "gives no reason to follow up with {person} (write PERSON: why)"
        ));
    }
    Ok(Some(Pick {
        person: PersonRef {
            text: person.to_owned(),
            line: Some(n),
        },
        why: why.to_owned(),
    }))
}

/// A prose section's answer: its lines joined and trimmed.
fn answer(lines: &[String]) -> String {
    let joined = lines.join("\n");
    let t = joined.trim();
    // A template's bare "-" left unfilled is not an answer.
    if t == "-" || t == "*" {
        String::new()
    } else {
        t.to_owned()
    }
}

fn all_headings() -> String {
    [
        Section::Worked,
        Section::Broke,
        Section::Surprised,
        Section::Invite,
        Section::FollowUp,
    ]
    .iter()
    .map(|s| format!("'## {}'", s.heading()))
    .collect::<Vec<_>>()
    .join(", ")
}

/// The rules every retro follows, however it was entered.
pub fn validate(source: &str, d: &RetroDraft) -> Result<(), CoreError> {
    for (name, text) in [
        ("What worked", &d.worked),
        ("What broke", &d.broke),
        ("What surprised us", &d.surprised),
    ] {
        if text.trim().is_empty() {
            return Err(CoreError::at(
                source,
                format!("'{name}' is empty; a sentence is enough, but write one"),
            ));
        }
    }
    if d.follow_up.len() != PICKS {
        return Err(CoreError::at(
            source,
            format!(
                "names {} people to follow up with; the retro names exactly {PICKS}, each with a reason",
                d.follow_up.len()
            ),
        ));
    }
    Ok(())
}

/// When the retro of an event held at `held_at` is due.
pub fn due(held_at: Timestamp, retro_hours: u32) -> Timestamp {
    held_at
        .saturating_add(SignedDuration::from_hours(i64::from(retro_hours)))
        .unwrap_or(held_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILLED: &str = "# Retro: Nov demo night\n\n## What worked\nFive live demos, no slides.\n\n## What broke\n- The projector.\n- Mic 2.\n\n## What surprised us\nHalf the room stayed for two hours.\n\n## Who to invite next time\n<!-- one person per line -->\n- 12\n- ana@example.org\n\n## Follow up with (exactly three)\n- 4: shipped her agent the week after\n- Ben Weber: asked about co-working\n- 9 — first demo, nervous, great\n";

    #[test]
    fn reads_the_filled_template() {
        let d = parse("retro.md", FILLED).unwrap();
        assert_eq!(d.worked, "Five live demos, no slides.");
        assert_eq!(d.broke, "- The projector.\n- Mic 2.");
        assert_eq!(
            d.invite.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
            vec!["12", "ana@example.org"]
        );
        assert_eq!(d.invite[0].line, Some(15));
        assert_eq!(d.follow_up[1].person.text, "Ben Weber");
        assert_eq!(d.follow_up[2].why, "first demo, nervous, great");
    }

    #[test]
    fn the_blank_template_is_refused_for_what_is_missing() {
        let e = parse("retro.md", &template(None)).unwrap_err().to_string();
        assert!(e.contains("'What worked' is empty"), "{e}");
    }

    #[test]
    fn a_missing_section_is_named() {
        let text = FILLED.replace(
            "## What surprised us\nHalf the room stayed for two hours.\n",
            "",
        );
        let e = parse("retro.md", &text).unwrap_err().to_string();
        assert_eq!(e, "retro.md: the section '## What surprised us' is missing");
    }

    #[test]
    fn a_fourth_pick_is_refused() {
        let text = format!("{FILLED}- 10: also great\n");
        let e = parse("retro.md", &text).unwrap_err().to_string();
        assert!(
            e.contains("names 4 people to follow up with; the retro names exactly 3"),
            "{e}"
        );
    }

    #[test]
    fn a_pick_without_reason_points_at_its_line() {
        let text = FILLED.replace("- Ben Weber: asked about co-working", "- Ben Weber");
        let e = parse("retro.md", &text).unwrap_err().to_string();
        assert_eq!(
            e,
            "retro.md:20: \"Ben Weber\" needs a reason: write it as PERSON: why"
        );
    }

    #[test]
    fn due_is_hours_after_held() {
        let held: Timestamp = "2026-11-12T20:30:00Z".parse().unwrap();
        assert_eq!(due(held, 48).to_string(), "2026-11-14T20:30:00Z");
    }
}
