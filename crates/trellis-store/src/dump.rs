//! `trellis export` / `trellis restore`: the whole database as one JSON document, the
//! same on both backends, so a SQLite file restores into PostgreSQL (and back) exactly.
//!
//! ```json
//! {"trellis_export": 1, "schema_version": 4, "tables": [
//!  {"name": "programs", "columns": ["id", "name", …], "rows": [
//!   [1, "Tinkerers Berlin", …],
//!   …]},
//!  …]}
//! ```
//!
//! Tables come in the catalog's order (a table after those it refers to), rows in key
//! order (text keys compared as bytes, so both backends agree), integers as JSON
//! integers, floats as the shortest text that reads back to the same `f64`. The list of
//! tables is `catalog::TABLES` (those of this build's migrations); an export refuses to run while the database holds a
//! table or column the catalog does not name, so nothing is silently left out.

use crate::bulk::{Value, insert_many};
use crate::catalog::{BOOKKEEPING, Kind, Table, read_value, tables};
use crate::dialect::Dialect;
use crate::error::StoreError;
use crate::open::{SCHEMA_VERSION, Store};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as J;
use sqlx::AnyConnection;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{Read, Write};
use tokio::sync::mpsc;
use trellis_core::CoreError;

pub const EXPORT_FORMAT: i64 = 1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpSummary {
    pub schema_version: i64,
    /// Rows per table.
    pub tables: BTreeMap<String, u64>,
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Corrupt(format!("writing the export: {e}"))
}

/// Tables and columns the database has and the catalog does not name (or the reverse).
async fn catalog_gaps(
    conn: &mut AnyConnection,
    dialect: Dialect,
) -> Result<Vec<String>, StoreError> {
    let have: BTreeSet<(String, String)> = dialect
        .table_columns(conn)
        .await?
        .into_iter()
        .filter(|(t, _)| !BOOKKEEPING.contains(&t.as_str()))
        .collect();
    let want: BTreeSet<(String, String)> = tables()
        .flat_map(|t| {
            t.columns
                .iter()
                .map(|(c, _)| (t.name.to_owned(), (*c).to_owned()))
        })
        .collect();
    let mut gaps: Vec<String> = have
        .difference(&want)
        .map(|(t, c)| format!("{t}.{c} is in the database but not in the export catalog"))
        .collect();
    gaps.extend(
        want.difference(&have)
            .map(|(t, c)| format!("{t}.{c} is in the export catalog but not in the database")),
    );
    Ok(gaps)
}

fn cmp_json(a: &J, b: &J) -> std::cmp::Ordering {
    match (a, b) {
        (J::Number(x), J::Number(y)) => x
            .as_i64()
            .unwrap_or_default()
            .cmp(&y.as_i64().unwrap_or_default()),
        (J::String(x), J::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        (J::Null, J::Null) => std::cmp::Ordering::Equal,
        (J::Null, _) => std::cmp::Ordering::Less,
        (_, J::Null) => std::cmp::Ordering::Greater,
        _ => std::cmp::Ordering::Equal,
    }
}

/// A table's rows in key order (text keys compared as bytes, so both backends agree).
async fn read_table(conn: &mut AnyConnection, t: &Table) -> Result<Vec<Vec<J>>, StoreError> {
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}",
        t.column_list(),
        t.name,
        t.key.join(", ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    let mut values: Vec<Vec<J>> = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut v = Vec::with_capacity(t.columns.len());
        for (i, (_, k)) in t.columns.iter().enumerate() {
            v.push(read_value(r, i, *k)?);
        }
        values.push(v);
    }
    drop(rows);
    let text_key = t.key.iter().any(|k| t.kind(k) != Some(Kind::Int));
    if text_key {
        let idx: Vec<usize> = t
            .key
            .iter()
            .filter_map(|k| t.columns.iter().position(|(c, _)| c == k))
            .collect();
        values.sort_by(|a, b| {
            idx.iter()
                .map(|i| cmp_json(&a[*i], &b[*i]))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
    Ok(values)
}

/// One table as the export reads it: what a CSV export writes a file of.
pub struct TableRows {
    pub name: &'static str,
    pub columns: Vec<&'static str>,
    /// Each row's values in `columns` order: integers, floats, text or null.
    pub rows: Vec<Vec<J>>,
}

impl Store {
    /// A connection, once the database is known to hold nothing the catalog does not
    /// name: no export may silently leave data out.
    async fn complete_catalog(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let gaps = catalog_gaps(&mut conn, self.dialect()).await?;
        if !gaps.is_empty() {
            return Err(StoreError::Corrupt(format!(
                "the export would leave data out: {}",
                gaps.join("; ")
            )));
        }
        Ok(conn)
    }

    /// Hands every table of the export catalog to `visit`, one at a time, in the
    /// catalog's order; refuses, like the JSON export, while the database holds data the
    /// catalog does not name.
    pub async fn each_table(
        &self,
        mut visit: impl FnMut(TableRows) -> std::io::Result<()>,
    ) -> Result<(), StoreError> {
        let mut conn = self.complete_catalog().await?;
        for t in tables() {
            let rows = read_table(&mut conn, t).await?;
            visit(TableRows {
                name: t.name,
                columns: t.columns.iter().map(|(c, _)| *c).collect(),
                rows,
            })
            .map_err(io)?;
        }
        Ok(())
    }

    /// Writes the whole database to `out` as one JSON document.
    pub async fn export_all(&self, out: &mut dyn Write) -> Result<DumpSummary, StoreError> {
        let mut conn = self.complete_catalog().await?;
        let version = self.schema_version().await?;
        write!(
            out,
            "{{\"trellis_export\": {EXPORT_FORMAT}, \"schema_version\": {version}, \"tables\": ["
        )
        .map_err(io)?;
        let mut summary = DumpSummary {
            schema_version: version,
            tables: BTreeMap::new(),
        };
        for (n, t) in tables().enumerate() {
            let values = read_table(&mut conn, t).await?;
            let cols =
                serde_json::to_string(&t.columns.iter().map(|(c, _)| *c).collect::<Vec<_>>())
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            write!(
                out,
                "{}\n {{\"name\": \"{}\", \"columns\": {cols}, \"rows\": [",
                if n == 0 { "" } else { "," },
                t.name
            )
            .map_err(io)?;
            for (i, v) in values.iter().enumerate() {
                let line =
                    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                write!(out, "{}\n  {line}", if i == 0 { "" } else { "," }).map_err(io)?;
            }
            write!(out, "]}}").map_err(io)?;
            summary
                .tables
                .insert(t.name.to_owned(), values.len() as u64);
        }
        writeln!(out, "\n]}}").map_err(io)?;
        out.flush().map_err(io)?;
        Ok(summary)
    }

    /// Reads a document `export_all` wrote into this database, which must hold no data.
    /// One transaction: a document that stops half-way or does not fit restores nothing.
    pub async fn restore_all(
        &self,
        name: String,
        input: Box<dyn Read + Send>,
    ) -> Result<DumpSummary, StoreError> {
        let dialect = self.dialect();
        let mut tx = self.write_tx().await?;
        let conn: &mut AnyConnection = &mut tx;
        ensure_empty(conn, self.target()).await?;
        let (send, mut recv) = mpsc::channel::<Msg>(4);
        let file = name.clone();
        let parser = tokio::task::spawn_blocking(move || parse(&file, input, send));
        let mut summary = DumpSummary {
            schema_version: 0,
            tables: BTreeMap::new(),
        };
        let mut current: Option<(&'static Table, usize)> = None;
        let mut last_index: Option<usize> = None;
        let mut pending_self: Vec<(J, Vec<J>)> = Vec::new();
        let mut ended = false;
        let bad = |detail: String| StoreError::Invalid(CoreError::at(&name, detail));
        while let Some(msg) = recv.recv().await {
            match msg {
                Msg::Version(v) => {
                    if v != SCHEMA_VERSION {
                        return Err(bad(format!(
                            "the export is of schema version {v}; this version of Trellis writes version {SCHEMA_VERSION}: restore it with the version that exported it"
                        )));
                    }
                    summary.schema_version = v;
                }
                Msg::Table { table, columns } => {
                    finish_table(conn, current.take(), &mut pending_self).await?;
                    let t = next_table(&table, &columns, &mut last_index).map_err(bad)?;
                    summary.tables.insert(table, 0);
                    current = Some((t, 0));
                }
                Msg::Rows(rows) => {
                    let Some((t, done)) = current.as_mut() else {
                        return Err(bad("rows before a table's name and columns".into()));
                    };
                    let t: &'static Table = t;
                    let n = rows.len();
                    let mut values = Vec::with_capacity(n);
                    for (i, row) in rows.into_iter().enumerate() {
                        values.push(to_values(t, row, *done + i + 1, &name, &mut pending_self)?);
                    }
                    let cols: Vec<&str> = t.columns.iter().map(|(c, _)| *c).collect();
                    insert_many(conn, dialect, t.name, &cols, values).await?;
                    *done += n;
                    *summary.tables.entry(t.name.to_owned()).or_default() += n as u64;
                }
                Msg::End => ended = true,
            }
        }
        let parsed = parser
            .await
            .map_err(|e| StoreError::Corrupt(format!("the reader stopped: {e}")))?;
        parsed?;
        if !ended {
            return Err(bad("the document ends early".into()));
        }
        finish_table(conn, current.take(), &mut pending_self).await?;
        for t in tables().filter(|t| t.serial) {
            crate::bulk::bump_sequence(conn, dialect, t.name).await?;
        }
        tx.commit().await?;
        Ok(summary)
    }
}

/// A restore writes into an empty database only.
async fn ensure_empty(conn: &mut AnyConnection, target: &str) -> Result<(), StoreError> {
    for t in tables() {
        let sql = format!("SELECT COUNT(*) AS n FROM {}", t.name);
        let r = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_one(&mut *conn)
            .await?;
        if crate::row::i64_(&r, "n")? > 0 {
            return Err(StoreError::Conflict(format!(
                "{target} holds data already (table {}); restore into a new, empty database (--db)",
                t.name
            )));
        }
    }
    Ok(())
}

/// The table a document's next table names: one of Trellis's, after the one before it
/// (`last_index`, moved on), with this build's columns; else what is wrong.
fn next_table(
    table: &str,
    columns: &[String],
    last_index: &mut Option<usize>,
) -> Result<&'static Table, String> {
    let Some(index) = tables().position(|t| t.name == table) else {
        return Err(format!("table {table:?} is not one of Trellis's"));
    };
    if last_index.is_some_and(|l| l >= index) {
        return Err(format!(
            "table {table:?} comes out of order (or twice); tables are restored in the order an export writes them"
        ));
    }
    *last_index = Some(index);
    let Some(t) = tables().nth(index) else {
        return Err(format!("table {table:?} is not one of Trellis's"));
    };
    let want: Vec<&str> = t.columns.iter().map(|(c, _)| *c).collect();
    if columns != want {
        return Err(format!(
            "table {table}: the columns are {columns:?}, this version of Trellis has {want:?}"
        ));
    }
    Ok(t)
}

/// A row's JSON values as bind values; self-references are written in a second pass.
fn to_values(
    t: &'static Table,
    row: Vec<J>,
    n: usize,
    file: &str,
    pending: &mut Vec<(J, Vec<J>)>,
) -> Result<Vec<Value>, StoreError> {
    let bad = |detail: String| {
        StoreError::Invalid(CoreError::at(
            format!("{file}: table {}, row {n}", t.name),
            detail,
        ))
    };
    if row.len() != t.columns.len() {
        return Err(bad(format!(
            "has {} values for {} columns",
            row.len(),
            t.columns.len()
        )));
    }
    let mut out = Vec::with_capacity(row.len());
    let mut selfs = Vec::new();
    for (v, (c, k)) in row.iter().zip(t.columns) {
        if t.self_refs.contains(c) {
            selfs.push(v.clone());
            out.push(Value::OptInt(None));
            continue;
        }
        let wrong = |want: &str| bad(format!("{c}: {v} is not {want}"));
        out.push(match (k, v) {
            (Kind::Int, J::Number(x)) => Value::Int(x.as_i64().ok_or_else(|| wrong("an integer"))?),
            (Kind::OptInt, J::Null) => Value::OptInt(None),
            (Kind::OptInt, J::Number(x)) => {
                Value::OptInt(Some(x.as_i64().ok_or_else(|| wrong("an integer"))?))
            }
            (Kind::Text, J::String(s)) => Value::Text(s.clone()),
            (Kind::OptText, J::Null) => Value::OptText(None),
            (Kind::OptText, J::String(s)) => Value::OptText(Some(s.clone())),
            (Kind::Float, J::Number(x)) => {
                Value::Float(x.as_f64().ok_or_else(|| wrong("a number"))?)
            }
            (Kind::Int | Kind::OptInt, _) => return Err(wrong("an integer")),
            (Kind::Text | Kind::OptText, _) => return Err(wrong("a string")),
            (Kind::Float, _) => return Err(wrong("a number")),
        });
    }
    if selfs.iter().any(|v| !v.is_null()) {
        let key = row
            .iter()
            .zip(t.columns)
            .find(|(_, (c, _))| *c == "id")
            .map(|(v, _)| v.clone())
            .unwrap_or(J::Null);
        pending.push((key, selfs));
    }
    Ok(out)
}

/// Writes a finished table's self-references.
async fn finish_table(
    conn: &mut AnyConnection,
    current: Option<(&'static Table, usize)>,
    pending: &mut Vec<(J, Vec<J>)>,
) -> Result<(), StoreError> {
    let Some((t, _)) = current else {
        return Ok(());
    };
    for (id, values) in pending.drain(..) {
        let mut set = serde_json::Map::new();
        for (c, v) in t.self_refs.iter().zip(values) {
            set.insert((*c).to_owned(), v);
        }
        let mut key = serde_json::Map::new();
        key.insert("id".into(), id);
        crate::identity::update_row(conn, t, &set, &key).await?;
    }
    Ok(())
}

enum Msg {
    Version(i64),
    Table { table: String, columns: Vec<String> },
    Rows(Vec<Vec<J>>),
    End,
}

const ROWS_PER_MSG: usize = 2000;

/// Reads the document, streaming each table's rows in batches.
fn parse(
    file: &str,
    input: Box<dyn Read + Send>,
    send: mpsc::Sender<Msg>,
) -> Result<(), StoreError> {
    let reader = std::io::BufReader::with_capacity(256 * 1024, input);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = Doc { send: &send }
        .deserialize(&mut de)
        .and_then(|()| de.end());
    match result {
        Ok(()) => {
            let _ = send.blocking_send(Msg::End);
            Ok(())
        }
        Err(e) if e.to_string().contains("restore stopped") => Ok(()),
        Err(e) => Err(StoreError::Invalid(CoreError::at(
            format!("{file}:{}:{}", e.line(), e.column()),
            format!("not a trellis export: {e}"),
        ))),
    }
}

fn sent<E: de::Error>(send: &mpsc::Sender<Msg>, m: Msg) -> Result<(), E> {
    send.blocking_send(m)
        .map_err(|_| E::custom("restore stopped"))
}

struct Doc<'a> {
    send: &'a mpsc::Sender<Msg>,
}

impl<'de> DeserializeSeed<'de> for Doc<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Doc<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Trellis export object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut format = None;
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                "trellis_export" => format = Some(map.next_value::<i64>()?),
                "schema_version" => {
                    let v = map.next_value::<i64>()?;
                    sent(self.send, Msg::Version(v))?;
                }
                "tables" => {
                    if format != Some(EXPORT_FORMAT) {
                        return Err(de::Error::custom(format!(
                            "\"trellis_export\": {EXPORT_FORMAT} must come first"
                        )));
                    }
                    map.next_value_seed(Tables { send: self.send })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct Tables<'a> {
    send: &'a mpsc::Sender<Msg>,
}

impl<'de> DeserializeSeed<'de> for Tables<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Tables<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of tables")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(OneTable { send: self.send })?
            .is_some()
        {}
        Ok(())
    }
}

struct OneTable<'a> {
    send: &'a mpsc::Sender<Msg>,
}

impl<'de> DeserializeSeed<'de> for OneTable<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OneTable<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table: name, columns, rows")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut name: Option<String> = None;
        let mut announced = false;
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                "name" => name = Some(map.next_value()?),
                "columns" => {
                    let columns: Vec<String> = map.next_value()?;
                    let table = name.clone().ok_or_else(|| {
                        de::Error::custom("a table's \"name\" must come before its columns")
                    })?;
                    sent(self.send, Msg::Table { table, columns })?;
                    announced = true;
                }
                "rows" => {
                    if !announced {
                        return Err(de::Error::custom(
                            "a table's \"name\" and \"columns\" must come before its rows",
                        ));
                    }
                    map.next_value_seed(Rows { send: self.send })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct Rows<'a> {
    send: &'a mpsc::Sender<Msg>,
}

impl<'de> DeserializeSeed<'de> for Rows<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of rows")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut batch = Vec::with_capacity(ROWS_PER_MSG);
        while let Some(row) = seq.next_element::<Vec<J>>()? {
            batch.push(row);
            if batch.len() == ROWS_PER_MSG {
                sent(self.send, Msg::Rows(std::mem::take(&mut batch)))?;
            }
        }
        if !batch.is_empty() {
            sent(self.send, Msg::Rows(batch))?;
        }
        Ok(())
    }
}
