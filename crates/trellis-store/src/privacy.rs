//! A person's data under the person's control: everything about them as one JSON
//! document, and forgetting them. Forgetting erases what identifies or quotes them and
//! keeps the anonymous facts (that person #n attended, presented, was followed up), so
//! every metric of the past stays what it was.

use crate::catalog;
use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::identity::select_rows;
use crate::open::Store;
use crate::row::opt_i64;
use serde_json::{Map, Value as J};
use sqlx::AnyConnection;
use trellis_core::{CoreError, PersonId};

/// What forgetting does to each table that holds something about a person. Every table
/// of the catalog with rows about a person must be named here (a test checks it).
pub(crate) const FORGET: &[(&str, Forget)] = &[
    ("people", Forget::Anonymise),
    ("person_emails", Forget::Delete),
    ("person_platform_ids", Forget::Delete),
    ("person_answers", Forget::Delete),
    // The person's own words in a follow-up answer; that it was answered stays.
    ("followups", Forget::Blank("answer")),
    // An organizer's note on why to follow up with them.
    ("retro_followups", Forget::Blank("why")),
    // Merge journals copy e-mails and ids: dropped, so such a merge can no longer be undone.
    ("person_merges", Forget::Blank("changes")),
    // Anonymous facts the metrics count: kept, pointing at the anonymous row.
    ("attendances", Forget::Keep),
    ("demos", Forget::Keep),
    ("demo_presenters", Forget::Keep),
    ("demo_answers", Forget::Keep),
    ("retro_invites", Forget::Keep),
    ("pipeline_cards", Forget::Keep),
    ("pipeline_moves", Forget::Keep),
    ("sparks", Forget::Keep),
    // Chat authorship: the name, the key that names them (`name:Ada`, `id:42`) and the
    // words go; that person #n wrote, when, and in what tone stay for the listening
    // reports. The key becomes a digest a re-import recognises, so the words do not
    // come back with the next export.
    ("chat_authors", Forget::ChatAuthor),
    ("chat_messages", Forget::Blank("text")),
    // Messages to them, sent or planned: their address and the words written to them.
    ("outbox", Forget::Delete),
    // A hand raised on the public page: their own words about what they built (the
    // demo it became stays, like every demo).
    ("demo_offers", Forget::Delete),
];

#[derive(Debug, Clone, Copy)]
pub(crate) enum Forget {
    /// The person's row: name replaced, marked forgotten and never to be contacted.
    Anonymise,
    Delete,
    /// Set this column to NULL (or empty text where it may not be NULL).
    Blank(&'static str),
    Keep,
    /// A chat author: name replaced, key replaced by `listen::forgotten_key`.
    ChatAuthor,
}

/// Everything stored about one person.
#[derive(Debug, Clone)]
pub struct PersonExport {
    pub trellis_person_export: u32,
    pub person: PersonId,
    /// Per table, the rows about the person, column by column.
    pub tables: Map<String, J>,
}

#[derive(Debug, Clone)]
pub struct Forgotten {
    pub person: PersonId,
    /// Rows erased or blanked, per table.
    pub erased: Map<String, J>,
    /// Rows kept, anonymous, per table.
    pub kept: Map<String, J>,
}

async fn person_row_exists(
    conn: &mut AnyConnection,
    id: PersonId,
) -> Result<Option<i64>, StoreError> {
    let r = sqlx::query("SELECT forgotten_at_us FROM people WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("person", id))?;
    opt_i64(&r, "forgotten_at_us")
}

impl Store {
    /// `trellis person export`: every row of every table that is about the person.
    pub async fn person_export(&self, id: PersonId) -> Result<PersonExport, StoreError> {
        let mut conn = self.pool.acquire().await?;
        person_row_exists(&mut conn, id).await?;
        let mut tables = Map::new();
        for t in catalog::tables() {
            let Some(filter) = t.about_person else {
                continue;
            };
            let rows = select_rows(&mut conn, t, filter, &[id.0]).await?;
            if !rows.is_empty() {
                tables.insert(
                    t.name.to_owned(),
                    J::Array(rows.into_iter().map(J::Object).collect()),
                );
            }
        }
        Ok(PersonExport {
            trellis_person_export: 1,
            person: id,
            tables,
        })
    }

    /// `trellis person forget`: erases the person's name, e-mails, platform ids, answers
    /// and quoted words; keeps the anonymous facts the metrics are made of.
    pub async fn forget_person(&self, ctx: &Ctx, id: PersonId) -> Result<Forgotten, StoreError> {
        let mut tx = self.write_tx().await?;
        let conn: &mut AnyConnection = &mut tx;
        if person_row_exists(conn, id).await?.is_some() {
            return Err(CoreError::invalid("ID", id, "was forgotten already").into());
        }
        let mut erased = Map::new();
        let mut kept = Map::new();
        for (name, how) in FORGET {
            // A table of a migration this build does not have yet holds nothing.
            let Some(t) = catalog::table(name) else {
                continue;
            };
            let Some(filter) = t.about_person else {
                continue;
            };
            let n = select_rows(conn, t, filter, &[id.0]).await?.len() as u64;
            if n == 0 {
                continue;
            }
            match how {
                Forget::Keep => {
                    kept.insert((*name).to_owned(), J::from(n));
                    continue;
                }
                Forget::ChatAuthor => forget_chat_author(conn, self.dialect(), id).await?,
                Forget::Anonymise => anonymise(conn, ctx, id).await?,
                Forget::Delete => {
                    let sql = format!("DELETE FROM {name} WHERE {filter}");
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(id.0)
                        .execute(&mut *conn)
                        .await?;
                }
                Forget::Blank(col) => {
                    let empty = match t.kind(col) {
                        Some(catalog::Kind::Text) => "''",
                        _ => "NULL",
                    };
                    let sql = format!("UPDATE {name} SET {col} = {empty} WHERE {filter}");
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(id.0)
                        .execute(&mut *conn)
                        .await?;
                }
            }
            erased.insert((*name).to_owned(), J::from(n));
        }
        tx.commit().await?;
        Ok(Forgotten {
            person: id,
            erased,
            kept,
        })
    }
}

/// The person's chat authors lose their name and key.
async fn forget_chat_author(
    conn: &mut AnyConnection,
    dialect: crate::dialect::Dialect,
    id: PersonId,
) -> Result<(), StoreError> {
    // Which events their messages were related to is judged while the
    // text is still there.
    crate::listen::freeze_related_of_person(conn, dialect, id).await?;
    let authors = sqlx::query(
        "SELECT id, channel_id, author_key FROM chat_authors WHERE person_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    for r in &authors {
        let key = crate::listen::forgotten_key(
            crate::row::i64_(r, "channel_id")?,
            &crate::row::text(r, "author_key")?,
        );
        sqlx::query(
            "UPDATE chat_authors SET name = 'forgotten person', author_key = $1 WHERE id = $2",
        )
        .bind(key)
        .bind(crate::row::i64_(r, "id")?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The person's row keeps its id and loses its name, and may not be contacted.
async fn anonymise(conn: &mut AnyConnection, ctx: &Ctx, id: PersonId) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE people SET display_name = $1, do_not_contact = 1, forgotten_at_us = $2 WHERE id = $3",
    )
    .bind(format!("forgotten person {id}"))
    .bind(ctx.now_us())
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    // The merged-away people whose rows moved to this person: their
    // names go too.
    sqlx::query(
        "UPDATE people SET display_name = 'forgotten person ' || CAST(id AS TEXT), forgotten_at_us = $1, do_not_contact = 1 \
         WHERE merged_into = $2",
    )
    .bind(ctx.now_us())
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgetting_covers_every_table_about_a_person() {
        for t in catalog::TABLES.iter().filter(|t| t.about_person.is_some()) {
            assert!(
                FORGET.iter().any(|(n, _)| *n == t.name),
                "table {} holds rows about people: say in FORGET what forgetting does to it",
                t.name
            );
        }
        for (n, _) in FORGET {
            assert!(
                catalog::TABLES.iter().any(|t| t.name == *n),
                "{n} is not in the catalog"
            );
        }
    }
}
