//! How results reach the user: one JSON value on stdout with `--json`, text otherwise.

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

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
            write_stdout(&format!("{}\n", text.trim_end()))
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
    for r in rows {
        t.add_row(r);
    }
    // comfy-table pads the first column with a leading space; trim it for a flush left edge.
    t.to_string()
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
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
