//! One identity per person: likely duplicates with their evidence, merging two people
//! with every row they had kept in a journal, and undoing a merge from that journal.
//! Which tables hold a person is the catalog's knowledge (`catalog::TABLES`), so a later
//! table that refers to people is merged (and unmerged) by adding its line there.

use crate::catalog::{self, Kind, Table, bind_value, read_value};
use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{i64_, opt_i64, opt_text, text};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as J};
use sqlx::AnyConnection;
use sqlx::any::AnyArguments;
use std::collections::BTreeMap;
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::identity::{Candidate, Duplicate, find_duplicates};
use trellis_core::import::stronger_rsvp;
use trellis_core::{CoreError, PersonId};

pub(crate) type Row = Map<String, J>;

/// The rows of `table` matching `filter` (with `$1.. = binds`), as column → value.
pub(crate) async fn select_rows(
    conn: &mut AnyConnection,
    table: &Table,
    filter: &str,
    binds: &[i64],
) -> Result<Vec<Row>, StoreError> {
    let order = table.key.join(", ");
    let sql = format!(
        "SELECT {} FROM {} WHERE {filter} ORDER BY {order}",
        table.column_list(),
        table.name
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in binds {
        q = q.bind(*b);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let mut m = Map::new();
            for (i, (c, k)) in table.columns.iter().enumerate() {
                m.insert((*c).to_owned(), read_value(r, i, *k)?);
            }
            Ok(m)
        })
        .collect()
}

fn kind_of(table: &Table, col: &str) -> Result<Kind, StoreError> {
    table
        .kind(col)
        .ok_or_else(|| StoreError::Corrupt(format!("{}.{col} is not in the catalog", table.name)))
}

/// `UPDATE table SET cols… WHERE key…`, values taken from `set` and `key`.
pub(crate) async fn update_row(
    conn: &mut AnyConnection,
    table: &Table,
    set: &Row,
    key: &Row,
) -> Result<u64, StoreError> {
    let mut args = AnyArguments::default();
    let mut sql = format!("UPDATE {} SET ", table.name);
    let mut n = 0;
    let place = || format!("{} row", table.name);
    for (i, (c, v)) in set.iter().enumerate() {
        n += 1;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("{c} = ${n}"));
        bind_value(&mut args, v, kind_of(table, c)?, &place)?;
    }
    sql.push_str(" WHERE ");
    for (i, k) in table.key.iter().enumerate() {
        n += 1;
        if i > 0 {
            sql.push_str(" AND ");
        }
        sql.push_str(&format!("{k} = ${n}"));
        let v = key
            .get(*k)
            .ok_or_else(|| StoreError::Corrupt(format!("{}: no key {k}", table.name)))?;
        bind_value(&mut args, v, kind_of(table, k)?, &place)?;
    }
    let done = sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

pub(crate) async fn delete_row(
    conn: &mut AnyConnection,
    table: &Table,
    key: &Row,
) -> Result<(), StoreError> {
    let mut args = AnyArguments::default();
    let mut sql = format!("DELETE FROM {} WHERE ", table.name);
    let place = || format!("{} row", table.name);
    for (i, k) in table.key.iter().enumerate() {
        if i > 0 {
            sql.push_str(" AND ");
        }
        sql.push_str(&format!("{k} = ${}", i + 1));
        let v = key
            .get(*k)
            .ok_or_else(|| StoreError::Corrupt(format!("{}: no key {k}", table.name)))?;
        bind_value(&mut args, v, kind_of(table, k)?, &place)?;
    }
    sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn insert_row(
    conn: &mut AnyConnection,
    table: &Table,
    row: &Row,
) -> Result<(), StoreError> {
    let mut args = AnyArguments::default();
    let cols: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    let place = || format!("{} row", table.name);
    for (c, k) in table.columns {
        bind_value(&mut args, row.get(*c).unwrap_or(&J::Null), *k, &place)?;
    }
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table.name,
        cols.join(", "),
        crate::bulk::placeholders(1, cols.len())
    );
    sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether a row of `table` equal to `row` on `cols` exists.
async fn exists_on(
    conn: &mut AnyConnection,
    table: &Table,
    cols: &[&str],
    row: &Row,
) -> Result<Option<Row>, StoreError> {
    let mut filter = String::new();
    let mut args = AnyArguments::default();
    let place = || format!("{} row", table.name);
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            filter.push_str(" AND ");
        }
        filter.push_str(&format!("{c} = ${}", i + 1));
        bind_value(
            &mut args,
            row.get(*c).unwrap_or(&J::Null),
            kind_of(table, c)?,
            &place,
        )?;
    }
    let sql = format!(
        "SELECT {} FROM {} WHERE {filter}",
        table.column_list(),
        table.name
    );
    let r = sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
        .fetch_optional(&mut *conn)
        .await?;
    r.map(|r| {
        let mut m = Map::new();
        for (i, (c, k)) in table.columns.iter().enumerate() {
            m.insert((*c).to_owned(), read_value(&r, i, *k)?);
        }
        Ok(m)
    })
    .transpose()
}

/// One change a merge made, enough to undo it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Change {
    /// `column` of the row (found by `key`, as it is now) moved from the merged person.
    Repointed {
        table: String,
        column: String,
        key: Row,
    },
    /// The row was deleted (the kept person had its twin); `row` as it was.
    Deleted { table: String, row: Row },
    /// The row was changed in place; `row` as it was.
    Changed { table: String, row: Row },
}

#[derive(Debug, Clone)]
pub struct MergeResult {
    pub merge: i64,
    pub kept: PersonId,
    pub merged: PersonId,
    /// Rows moved, per table.
    pub moved: BTreeMap<String, u64>,
    /// Rows of the merged person dropped because the kept person had the same one
    /// (an attendance at the same event is combined).
    pub combined: BTreeMap<String, u64>,
}

#[derive(Debug, Clone)]
pub struct UnmergeResult {
    pub merge: i64,
    pub kept: PersonId,
    pub restored: PersonId,
    pub rows: u64,
}

fn key_of(table: &Table, row: &Row) -> Row {
    table
        .key
        .iter()
        .filter_map(|k| row.get(*k).map(|v| ((*k).to_owned(), v.clone())))
        .collect()
}

/// The attendance of one person made of two: the stronger RSVP, checked in if either was.
fn combine_attendance(kept: &Row, other: &Row) -> Row {
    let rsvp = |r: &Row| {
        r.get("rsvp")
            .and_then(J::as_str)
            .and_then(|s| s.parse::<Rsvp>().ok())
            .unwrap_or(Rsvp::Invited)
    };
    let checked = |r: &Row| {
        r.get("checked_in")
            .and_then(J::as_str)
            .and_then(|s| s.parse::<CheckedIn>().ok())
            .unwrap_or(CheckedIn::Unknown)
    };
    let c = match (checked(kept), checked(other)) {
        (CheckedIn::Yes, _) | (_, CheckedIn::Yes) => CheckedIn::Yes,
        (CheckedIn::No, _) | (_, CheckedIn::No) => CheckedIn::No,
        _ => CheckedIn::Unknown,
    };
    let mut set = Map::new();
    set.insert(
        "rsvp".into(),
        J::from(stronger_rsvp(rsvp(kept), rsvp(other)).as_str()),
    );
    set.insert("checked_in".into(), J::from(c.as_str()));
    set
}

async fn live_person(conn: &mut AnyConnection, id: PersonId) -> Result<(), StoreError> {
    let r = sqlx::query("SELECT merged_into, forgotten_at_us FROM people WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("person", id))?;
    if let Some(k) = opt_i64(&r, "merged_into")? {
        return Err(CoreError::invalid(
            "person",
            id,
            format!("was merged into person {k}; unmerge them first"),
        )
        .into());
    }
    if opt_i64(&r, "forgotten_at_us")?.is_some() {
        return Err(CoreError::invalid("person", id, "was forgotten").into());
    }
    Ok(())
}

impl Store {
    /// Likely duplicates among the people who are neither merged nor forgotten.
    pub async fn duplicates(&self) -> Result<Vec<Duplicate>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query(
            "SELECT id, display_name FROM people WHERE merged_into IS NULL AND forgotten_at_us IS NULL ORDER BY id",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut people: BTreeMap<i64, Candidate> = BTreeMap::new();
        for r in &rows {
            let id = i64_(r, "id")?;
            people.insert(
                id,
                Candidate {
                    id: PersonId(id),
                    name: text(r, "display_name")?,
                    emails: Vec::new(),
                    platform_ids: Vec::new(),
                },
            );
        }
        for r in sqlx::query("SELECT person_id, email FROM person_emails")
            .fetch_all(&mut *conn)
            .await?
        {
            if let Some(c) = people.get_mut(&i64_(&r, "person_id")?) {
                c.emails.push(text(&r, "email")?);
            }
        }
        for r in sqlx::query("SELECT person_id, platform, external_id FROM person_platform_ids")
            .fetch_all(&mut *conn)
            .await?
        {
            if let Some(c) = people.get_mut(&i64_(&r, "person_id")?) {
                c.platform_ids.push(format!(
                    "{}:{}",
                    text(&r, "platform")?,
                    text(&r, "external_id")?
                ));
            }
        }
        let list: Vec<Candidate> = people.into_values().collect();
        Ok(find_duplicates(&list))
    }

    /// Merges `other` into `keep`: every row that refers to `other` moves to `keep` (a
    /// twin row, such as both attending one event, is combined), `other` stays as a row
    /// marked merged, and the journal of the merge keeps every row as it was.
    pub async fn merge_people(
        &self,
        ctx: &Ctx,
        keep: PersonId,
        other: PersonId,
    ) -> Result<MergeResult, StoreError> {
        if keep == other {
            return Err(CoreError::invalid("OTHER", other, "is the same person as KEEP").into());
        }
        let mut tx = self.write_tx().await?;
        let conn: &mut AnyConnection = &mut tx;
        live_person(conn, keep).await?;
        live_person(conn, other).await?;
        let mut work = MergeWork::default();
        for table in catalog::tables() {
            for col in table.person_refs {
                let rows = select_rows(conn, table, &format!("{col} = $1"), &[other.0]).await?;
                for row in rows {
                    work.move_row(conn, table, col, row, keep).await?;
                }
            }
        }
        let MergeWork {
            changes,
            moved,
            combined,
        } = work;
        sqlx::query("UPDATE people SET merged_into = $1 WHERE id = $2")
            .bind(keep.0)
            .bind(other.0)
            .execute(&mut *conn)
            .await?;
        let journal =
            serde_json::to_string(&changes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let r = sqlx::query(
            "INSERT INTO person_merges (kept_id, merged_id, changes, merged_at_us, merged_by) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(keep.0)
        .bind(other.0)
        .bind(journal)
        .bind(ctx.now_us())
        .bind(&ctx.actor)
        .fetch_one(&mut *conn)
        .await?;
        let merge = i64_(&r, "id")?;
        tx.commit().await?;
        Ok(MergeResult {
            merge,
            kept: keep,
            merged: other,
            moved,
            combined,
        })
    }

    /// Undoes the merge of `merged` (its latest one): every row the merge changed is put
    /// back as it was, and `merged` is a person of their own again. What was recorded on
    /// the kept person since the merge stays with them.
    pub async fn unmerge_person(
        &self,
        ctx: &Ctx,
        merged: PersonId,
    ) -> Result<UnmergeResult, StoreError> {
        let mut tx = self.write_tx().await?;
        let conn: &mut AnyConnection = &mut tx;
        let (merge, kept, changes) = merge_to_undo(conn, merged).await?;
        let rows = undo(conn, merge, merged, &changes).await?;
        sqlx::query("UPDATE people SET merged_into = NULL WHERE id = $1")
            .bind(merged.0)
            .execute(&mut *conn)
            .await?;
        sqlx::query("UPDATE person_merges SET undone_at_us = $1, undone_by = $2 WHERE id = $3")
            .bind(ctx.now_us())
            .bind(&ctx.actor)
            .bind(merge)
            .execute(&mut *conn)
            .await?;
        tx.commit().await?;
        Ok(UnmergeResult {
            merge,
            kept,
            restored: merged,
            rows,
        })
    }
}

/// What a merge did: the journal to undo it, and the rows moved and combined per table.
#[derive(Default)]
struct MergeWork {
    changes: Vec<Change>,
    moved: BTreeMap<String, u64>,
    combined: BTreeMap<String, u64>,
}

impl MergeWork {
    /// Moves `row` of `table`, whose `col` names the merged person, to `keep`: repointed,
    /// or combined with its twin when `keep` has one.
    async fn move_row(
        &mut self,
        conn: &mut AnyConnection,
        table: &Table,
        col: &str,
        row: Row,
        keep: PersonId,
    ) -> Result<(), StoreError> {
        let mut moved_row = row.clone();
        moved_row.insert(col.to_owned(), J::from(keep.0));
        // A unique key that contains the column may already hold the twin.
        let mut twin = None;
        for u in std::iter::once(table.key).chain(table.unique.iter().copied()) {
            if u.contains(&col)
                && let Some(t) = exists_on(conn, table, u, &moved_row).await?
            {
                twin = Some(t);
                break;
            }
        }
        match twin {
            Some(t) => {
                if table.name == "attendances" {
                    let set = combine_attendance(&t, &row);
                    self.changes.push(Change::Changed {
                        table: table.name.into(),
                        row: t.clone(),
                    });
                    update_row(conn, table, &set, &key_of(table, &t)).await?;
                }
                delete_row(conn, table, &key_of(table, &row)).await?;
                self.changes.push(Change::Deleted {
                    table: table.name.into(),
                    row,
                });
                *self.combined.entry(table.name.into()).or_default() += 1;
            }
            None => {
                let mut set = Map::new();
                set.insert(col.to_owned(), J::from(keep.0));
                update_row(conn, table, &set, &key_of(table, &row)).await?;
                self.changes.push(Change::Repointed {
                    table: table.name.into(),
                    column: col.to_owned(),
                    key: key_of(table, &moved_row),
                });
                *self.moved.entry(table.name.into()).or_default() += 1;
            }
        }
        Ok(())
    }
}

/// The latest merge of `merged` not undone yet, if it can be: (its id, the kept person,
/// its journal).
async fn merge_to_undo(
    conn: &mut AnyConnection,
    merged: PersonId,
) -> Result<(i64, PersonId, Vec<Change>), StoreError> {
    let r = sqlx::query(
        "SELECT id, kept_id, changes FROM person_merges WHERE merged_id = $1 AND undone_at_us IS NULL ORDER BY id DESC",
    )
    .bind(merged.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        StoreError::from(CoreError::invalid(
            "PERSON",
            merged,
            "was not merged into anyone (give the id of the person that was merged away)",
        ))
    })?;
    let merge = i64_(&r, "id")?;
    let kept = PersonId(i64_(&r, "kept_id")?);
    let later = sqlx::query(
        "SELECT id FROM person_merges WHERE id > $1 AND undone_at_us IS NULL AND (kept_id IN ($2, $3) OR merged_id IN ($2, $3))",
    )
    .bind(merge)
    .bind(kept.0)
    .bind(merged.0)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(l) = later {
        return Err(CoreError::invalid(
            "PERSON",
            merged,
            format!(
                "cannot be unmerged before the later merge {} of the same people is undone",
                i64_(&l, "id")?
            ),
        )
        .into());
    }
    let Some(journal) = opt_text(&r, "changes")? else {
        return Err(CoreError::invalid(
            "PERSON",
            merged,
            "cannot be unmerged: one of the two people was forgotten since, and the merge's journal with them",
        )
        .into());
    };
    let changes: Vec<Change> = serde_json::from_str(&journal)
        .map_err(|e| StoreError::Corrupt(format!("merge {merge}'s journal: {e}")))?;
    Ok((merge, kept, changes))
}

/// Replays a merge's journal backwards; the number of rows put back.
async fn undo(
    conn: &mut AnyConnection,
    merge: i64,
    merged: PersonId,
    changes: &[Change],
) -> Result<u64, StoreError> {
    let find = |name: &str| {
        catalog::table(name)
            .ok_or_else(|| StoreError::Corrupt(format!("merge {merge} names table {name}")))
    };
    let mut rows = 0;
    for c in changes.iter().rev() {
        match c {
            Change::Repointed { table, column, key } => {
                let t = find(table)?;
                let mut set = Map::new();
                set.insert(column.clone(), J::from(merged.0));
                // The key holds the column when it is part of it: as it is now.
                rows += update_row(conn, t, &set, key).await?;
            }
            Change::Deleted { table, row } => {
                insert_row(conn, find(table)?, row).await?;
                rows += 1;
            }
            Change::Changed { table, row } => {
                let t = find(table)?;
                let mut set = row.clone();
                for k in t.key {
                    set.remove(*k);
                }
                rows += update_row(conn, t, &set, &key_of(t, row)).await?;
            }
        }
    }
    Ok(rows)
}
