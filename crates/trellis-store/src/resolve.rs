//! Finding the person a user means by an id, an e-mail or an exact name. Never a guess:
//! a name that two people share is refused with both ids.

use crate::error::StoreError;
use crate::row::{i64_, text};
use sqlx::AnyConnection;
use trellis_core::PersonId;
use trellis_core::person::normalise_email;

/// `Ok(Err(problem))` when the text names nobody or several people.
pub(crate) async fn person(
    conn: &mut AnyConnection,
    raw: &str,
) -> Result<Result<PersonId, String>, StoreError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(Err("names no person".into()));
    }
    if let Ok(id) = t.parse::<i64>() {
        let row = sqlx::query("SELECT id FROM people WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        return Ok(match row {
            Some(_) => Ok(PersonId(id)),
            None => Err(format!("person {id} does not exist")),
        });
    }
    if t.contains('@') {
        let Ok(email) = normalise_email(t) else {
            return Ok(Err(format!("{t:?} is not an e-mail address")));
        };
        let row = sqlx::query("SELECT person_id FROM person_emails WHERE email = $1")
            .bind(&email)
            .fetch_optional(&mut *conn)
            .await?;
        return Ok(match row {
            Some(r) => Ok(PersonId(i64_(&r, "person_id")?)),
            None => Err(format!("no person has the e-mail {email}")),
        });
    }
    let rows = sqlx::query("SELECT id, display_name FROM people WHERE lower(display_name) = lower($1) ORDER BY id LIMIT 5")
        .bind(t)
        .fetch_all(&mut *conn)
        .await?;
    Ok(match rows.len() {
        0 => Err(format!(
            "no person is named {t:?} (give their id or e-mail)"
        )),
        1 => Ok(PersonId(i64_(&rows[0], "id")?)),
        _ => {
            let ids: Vec<String> = rows
                .iter()
                .map(|r| i64_(r, "id").map(|i| i.to_string()))
                .collect::<Result<_, _>>()?;
            let name = text(&rows[0], "display_name")?;
            Err(format!(
                "{} people are named {name:?} (ids {}); give the id instead",
                ids.len(),
                ids.join(", ")
            ))
        }
    })
}

/// Like [`person`], but turns a problem into an error placed at `place` (a flag, or
/// `file:line`).
pub(crate) async fn person_at(
    conn: &mut AnyConnection,
    raw: &str,
    place: &str,
) -> Result<PersonId, StoreError> {
    match person(conn, raw).await? {
        Ok(id) => Ok(id),
        Err(problem) => Err(trellis_core::CoreError::at(
            place,
            format!("person {:?} does not resolve: {problem}", raw.trim()),
        )
        .into()),
    }
}
