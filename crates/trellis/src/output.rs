//! How results reach the user: one JSON value on stdout with `--json`, text otherwise.

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use std::borrow::Cow;

#[derive(Debug, Clone, Copy)]
pub struct Out {
    pub json: bool,
}

impl Out {
    /// Prints `value` as JSON, or the text `human` builds. Through [`write_stdout`], never
    /// `println!`, which panics when the reader has gone (`trellis person list | head -1`).
    pub fn emit<T: Serialize>(
        &self,
        value: &T,
        human: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        if self.json {
            write_stdout(&format!("{}\n", serde_json::to_string_pretty(value)?))
        } else {
            let text = human();
            if text.is_empty() {
                return Ok(());
            }
            write_stdout(&format!("{}\n", visible(text.trim_end())))
        }
    }
}

/// Writes to stdout. A reader that went away (`trellis calendar | head`) is not an
/// error: the output it wanted was delivered.
pub fn write_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// A plain, borderless table that fits the terminal.
pub fn table(headers: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut t = Table::new();
    t.load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers.iter().map(|h| h.to_string()));
    // Each cell is one line of data: a line break in a name is shown, not obeyed.
    for r in rows {
        t.add_row(r.iter().map(|cell| visible_cell(cell)));
    }
    // comfy-table pads the first column with a leading space; trim it for a flush left edge.
    t.to_string()
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text from data, made safe for a terminal: control characters (ESC, BEL, C1 codes,
/// bidirectional overrides) are shown as `\u{1b}` instead of being obeyed, so a name or
/// a chat message cannot move the cursor, retitle the window or hide what follows. Line
/// breaks and tabs stay: the CLI's own text is laid out with them. JSON output is never
/// passed through this; serde_json already escapes control characters exactly.
pub fn visible(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n' || c == '\t')
}

/// As [`visible`], for one table cell: a line break or tab is shown too.
pub fn visible_cell(text: &str) -> Cow<'_, str> {
    escape(text, |_| false)
}

fn escape(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| !keep(c) && (c.is_control() || is_bidi_control(c));
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069),
/// which reorder the text a terminal shows.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

pub fn mark(allowed: bool) -> &'static str {
    if allowed { "✓" } else { "✗" }
}

pub fn or_dash(s: Option<&str>) -> String {
    s.filter(|s| !s.is_empty()).unwrap_or("–").to_owned()
}

/// An instant as the CLI prints it: RFC 3339 in UTC, whole seconds (as `--json` writes it).
pub fn instant(t: jiff::Timestamp) -> String {
    trellis_core::time::rfc3339_utc(t)
}

/// A zoned time as the CLI prints it: RFC 3339 with its offset (`2026-03-12T18:30:00+01:00`).
pub fn local(z: &jiff::ZonedDateTime) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(visible("Zoë 明"), "Zoë 明");
        assert_eq!(visible("a\u{1b}]0;pwned\u{7}b"), "a\\u{1b}]0;pwned\\u{7}b");
        assert_eq!(visible("one\ntwo\tthree"), "one\ntwo\tthree");
        assert_eq!(visible("x\ry"), "x\\u{d}y");
        assert_eq!(visible("\u{9b}31m"), "\\u{9b}31m", "a C1 CSI");
        assert_eq!(visible("\u{202e}gnp.exe"), "\\u{202e}gnp.exe");
        assert_eq!(visible_cell("one\ntwo"), "one\\u{a}two");
        let t = table(&["NAME"], vec![vec!["\u{1b}[2Jgone".into()]]);
        assert!(t.contains("\\u{1b}[2Jgone") && !t.contains('\u{1b}'), "{t}");
    }
}
