//! `trellis export --csv <DIR>`: a CSV file per table and a README of their columns, for
//! people who live in spreadsheets. The same rows as the JSON export, with what a
//! spreadsheet should not hold left out (password and token digests, live sessions) and
//! times written as RFC 3339 in UTC instead of microseconds.

use crate::AppError;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use trellis_store::{Store, TableRows};

/// Tables left out whole: they hold only secrets and their bookkeeping.
const LEFT_OUT_TABLES: &[&str] = &["web_sessions"];

/// Columns left out of every table: digests of passwords and tokens.
const LEFT_OUT_COLUMNS: &[&str] = &[
    "password_hash",
    "token_hash",
    "token",
    "csrf",
    "unsubscribe",
];

/// What `export --csv` wrote.
#[derive(Debug, Clone, Serialize)]
pub struct CsvExport {
    pub dir: String,
    /// Rows per table (one file each).
    pub tables: BTreeMap<String, u64>,
}

/// Writes the CSV files and the README into `dir`, which must not exist or be empty. They
/// are written into a sibling folder first and renamed at the end, so a failed export
/// leaves nothing under the name asked for.
pub async fn export_csv(store: &Store, dir: &Path) -> Result<CsvExport, AppError> {
    let place = dir.display().to_string();
    let fail = |what: String| AppError::File {
        place: place.clone(),
        what,
    };
    if let Ok(mut entries) = std::fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(fail("is not empty: name a new folder".into()));
    }
    let tmp = partial(dir);
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| fail(format!("cannot create it: {e}")))?;
    let mut readme = README_HEAD.to_owned();
    let mut tables = BTreeMap::new();
    let written = store
        .each_table(|t| {
            if LEFT_OUT_TABLES.contains(&t.name) {
                return Ok(());
            }
            let n = write_table(&tmp, &t)?;
            describe(&mut readme, &t);
            tables.insert(t.name.to_owned(), n);
            Ok(())
        })
        .await;
    let finished = written.map_err(AppError::from).and_then(|()| {
        std::fs::write(tmp.join("README.md"), &readme)
            .map_err(|e| fail(format!("cannot write README.md: {e}")))?;
        let _ = std::fs::remove_dir(dir);
        std::fs::rename(&tmp, dir).map_err(|e| fail(format!("cannot write it: {e}")))
    });
    if let Err(e) = finished {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    Ok(CsvExport { dir: place, tables })
}

fn partial(dir: &Path) -> PathBuf {
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    dir.with_file_name(name)
}

/// The columns a table's CSV keeps, with the header each gets: `made_at_us` becomes
/// `made_at` (its values RFC 3339 in UTC).
fn kept(t: &TableRows) -> Vec<(usize, String, bool)> {
    t.columns
        .iter()
        .enumerate()
        .filter(|(_, c)| !LEFT_OUT_COLUMNS.contains(c))
        .map(|(i, c)| match c.strip_suffix("_us") {
            Some(base) => (i, base.to_owned(), true),
            None => (i, (*c).to_owned(), false),
        })
        .collect()
}

fn write_table(dir: &Path, t: &TableRows) -> std::io::Result<u64> {
    let cols = kept(t);
    let mut w = csv::Writer::from_path(dir.join(format!("{}.csv", t.name)))?;
    w.write_record(cols.iter().map(|(_, h, _)| h.as_str()))?;
    for row in &t.rows {
        w.write_record(cols.iter().map(|(i, _, time)| cell(&row[*i], *time)))?;
    }
    w.flush()?;
    Ok(t.rows.len() as u64)
}

/// One value as a spreadsheet reads it: an empty cell for null, text as it is, and a
/// time in microseconds as RFC 3339.
fn cell(v: &serde_json::Value, time: bool) -> String {
    use serde_json::Value as J;
    match v {
        J::Null => String::new(),
        J::String(s) => s.clone(),
        J::Number(n) if time => n
            .as_i64()
            .map(trellis_core::time::from_micros)
            .map_or_else(|| n.to_string(), trellis_core::time::rfc3339_utc),
        other => other.to_string(),
    }
}

/// The README's section of one table: its file, rows and columns.
fn describe(readme: &mut String, t: &TableRows) {
    let cols: Vec<String> = kept(t)
        .into_iter()
        .map(|(_, h, time)| {
            if time {
                format!("`{h}` (UTC time)")
            } else {
                format!("`{h}`")
            }
        })
        .collect();
    let _ = writeln!(
        readme,
        "\n## {name}.csv\n\n{n} {rows}. Columns: {cols}.",
        name = t.name,
        n = t.rows.len(),
        rows = if t.rows.len() == 1 { "row" } else { "rows" },
        cols = cols.join(", ")
    );
}

const README_HEAD: &str = "# A Trellis export, one CSV file per table\n\n\
Written by `trellis export --csv`. UTF-8, comma-separated, a header row, RFC 4180 quoting.\n\n\
- `id` is the row's own number; a column ending in `_id` (or named `person_a`, `person_b`,\n  \
`event`, `demo`) holds the `id` of a row of the table it names: `event_id` of `events.csv`.\n\
- Times are RFC 3339 in UTC (`2026-11-24T12:00:00Z`); an event's wall-clock time in its\n  \
program's zone is in `events.csv` beside it.\n\
- An empty cell is a value that was never set.\n\
- Left out: password and token digests (`password_hash`, `token_hash`, `token`, `csrf`,\n  \
`unsubscribe`) and the live web sessions. For a complete copy that can be restored, use\n  \
`trellis export` (JSON) instead.\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_utc_and_nulls_as_empty_cells() {
        assert_eq!(
            cell(&serde_json::json!(1_795_032_000_000_000_i64), true),
            "2026-11-18T20:00:00Z"
        );
        assert_eq!(cell(&serde_json::Value::Null, true), "");
        assert_eq!(cell(&serde_json::json!("a, \"b\""), false), "a, \"b\"");
        assert_eq!(cell(&serde_json::json!(2.5), false), "2.5");
    }
}
