//! Every table of the schema, its columns and keys, in one place. `trellis export` /
//! `restore`, `person export`, `person merge`/`unmerge` and `person forget` are driven by
//! this list, so a table added by a later migration needs one entry here (a test fails
//! until it has one: `catalog_matches_the_schema`).

use crate::error::StoreError;
use sqlx::Row;
use sqlx::any::AnyRow;

/// How a column travels through the `Any` driver and the JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    OptInt,
    Text,
    OptText,
    Float,
}

pub(crate) struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// The primary key.
    pub key: &'static [&'static str],
    /// Other unique keys (a merge must not create a duplicate of one).
    pub unique: &'static [&'static [&'static str]],
    /// Columns holding a person's id that a merge moves to the kept person.
    pub person_refs: &'static [&'static str],
    /// The rows about person `$1`, for `person export` (and `forget`'s coverage check).
    pub about_person: Option<&'static str>,
    /// `id` is an identity column (PostgreSQL's sequence must follow a restore).
    pub serial: bool,
    /// Columns referring to rows of the same table: restored in a second pass.
    pub self_refs: &'static [&'static str],
    /// The migration that creates the table: a table of a migration this build does not
    /// have (one landing from another branch) is left out until it does.
    pub since: i64,
}

use Kind::{Float, Int, OptInt, OptText, Text};

const fn t(name: &'static str, columns: &'static [(&'static str, Kind)]) -> Table {
    Table {
        name,
        columns,
        key: &["id"],
        unique: &[],
        person_refs: &[],
        about_person: None,
        serial: true,
        self_refs: &[],
        since: 1,
    }
}

/// In dependency order: a table comes after every table it refers to.
pub(crate) const TABLES: &[Table] = &[
    t(
        "programs",
        &[
            ("id", Int),
            ("name", Text),
            ("tz", Text),
            ("demo_target", Int),
            ("default_slots", Int),
            ("followup_minimum", Int),
            ("retro_hours", Int),
            ("moves_per_event", Int),
            ("demos_per_presenter", Int),
            ("created_at_us", Int),
            ("created_by", Text),
            ("slug", OptText),
            ("public_page", Int),
        ],
    ),
    Table {
        about_person: Some("id = $1 OR merged_into = $1"),
        self_refs: &["merged_into"],
        ..t(
            "people",
            &[
                ("id", Int),
                ("display_name", Text),
                ("quiet_killer", Int),
                ("created_at_us", Int),
                ("do_not_contact", Int),
                ("merged_into", OptInt),
                ("forgotten_at_us", OptInt),
            ],
        )
    },
    Table {
        key: &["email"],
        person_refs: &["person_id"],
        about_person: Some("person_id = $1"),
        serial: false,
        ..t("person_emails", &[("email", Text), ("person_id", Int)])
    },
    Table {
        key: &["platform", "external_id"],
        person_refs: &["person_id"],
        about_person: Some("person_id = $1"),
        serial: false,
        ..t(
            "person_platform_ids",
            &[
                ("platform", Text),
                ("external_id", Text),
                ("person_id", Int),
            ],
        )
    },
    t(
        "events",
        &[
            ("id", Int),
            ("program_id", Int),
            ("title", Text),
            ("starts_local", Text),
            ("tz", Text),
            ("starts_at_us", Int),
            ("venue", OptText),
            ("capacity", OptInt),
            ("slots", Int),
            ("status", Text),
            ("created_at_us", Int),
            ("lock_version", Int),
            ("backfilled", Int),
            ("cohost_program_id", OptInt),
        ],
    ),
    t(
        "event_status_history",
        &[
            ("id", Int),
            ("event_id", Int),
            ("from_status", OptText),
            ("to_status", Text),
            ("at_us", Int),
            ("actor", Text),
        ],
    ),
    Table {
        key: &["event_id", "person_id"],
        person_refs: &["person_id"],
        about_person: Some("person_id = $1"),
        serial: false,
        ..t(
            "attendances",
            &[
                ("event_id", Int),
                ("person_id", Int),
                ("rsvp", Text),
                ("checked_in", Text),
                ("source", Text),
                ("updated_at_us", Int),
            ],
        )
    },
    Table {
        about_person: Some("id IN (SELECT demo_id FROM demo_presenters WHERE person_id = $1)"),
        ..t(
            "demos",
            &[
                ("id", Int),
                ("event_id", Int),
                ("title", Text),
                ("status", Text),
                ("screening_passed", Int),
                ("check_live_demo", Int),
                ("check_built_it", Int),
                ("check_fits_time", Int),
                ("check_wip_welcome", Int),
                ("screening_note", OptText),
                ("screened_at_us", OptInt),
                ("contract_accepted_at_us", OptInt),
                ("created_at_us", Int),
            ],
        )
    },
    Table {
        key: &["demo_id", "person_id"],
        person_refs: &["person_id"],
        about_person: Some("person_id = $1"),
        serial: false,
        ..t(
            "demo_presenters",
            &[("demo_id", Int), ("person_id", Int), ("position", Int)],
        )
    },
    t(
        "demo_status_history",
        &[
            ("id", Int),
            ("demo_id", Int),
            ("from_status", OptText),
            ("to_status", Text),
            ("at_us", Int),
            ("actor", Text),
        ],
    ),
    t(
        "overrides",
        &[
            ("id", Int),
            ("gate", Text),
            ("action", Text),
            ("program_id", Int),
            ("event_id", OptInt),
            ("demo_id", OptInt),
            ("reasons", Text),
            ("reason", Text),
            ("actor", Text),
            ("at_us", Int),
        ],
    ),
    t(
        "organizers",
        &[
            ("id", Int),
            ("name", Text),
            ("email", OptText),
            ("created_at_us", Int),
            ("retired_at_us", OptInt),
        ],
    ),
    Table {
        key: &["program_id", "organizer_id"],
        serial: false,
        ..t(
            "program_organizers",
            &[("program_id", Int), ("organizer_id", Int)],
        )
    },
    Table {
        key: &["event_id"],
        serial: false,
        ..t(
            "retros",
            &[
                ("event_id", Int),
                ("worked", Text),
                ("broke", Text),
                ("surprised", Text),
                ("written_at_us", Int),
                ("due_at_us", Int),
                ("author", Text),
            ],
        )
    },
    Table {
        key: &["event_id", "person_id"],
        person_refs: &["person_id"],
        about_person: Some("person_id = $1"),
        serial: false,
        ..t("retro_invites", &[("event_id", Int), ("person_id", Int)])
    },
    Table {
        key: &["event_id", "position"],
        person_refs: &["person_id"],
        about_person: Some("person_id = $1"),
        serial: false,
        ..t(
            "retro_followups",
            &[
                ("event_id", Int),
                ("position", Int),
                ("person_id", Int),
                ("why", Text),
            ],
        )
    },
    Table {
        unique: &[&["event_id", "person_id"], &["token"]],
        person_refs: &["person_id"],
        about_person: Some("person_id = $1"),
        ..t(
            "followups",
            &[
                ("id", Int),
                ("event_id", Int),
                ("person_id", Int),
                ("channel", Text),
                ("sent_at_us", Int),
                ("actor", Text),
                ("token", OptText),
                ("answer", OptText),
                ("outcome", OptText),
                ("answered_at_us", OptInt),
            ],
        )
    },
    Table {
        key: &["program_id", "person_id"],
        person_refs: &["person_id"],
        about_person: Some("person_id = $1"),
        serial: false,
        ..t(
            "pipeline_cards",
            &[
                ("program_id", Int),
                ("person_id", Int),
                ("stage", Text),
                ("quiet_killer", Int),
                ("added_at_us", Int),
                ("added_by", Text),
            ],
        )
    },
    Table {
        person_refs: &["person_id"],
        about_person: Some("person_id = $1"),
        ..t(
            "pipeline_moves",
            &[
                ("id", Int),
                ("program_id", Int),
                ("person_id", Int),
                ("from_stage", Text),
                ("to_stage", Text),
                ("forward", Int),
                ("automatic", Int),
                ("cycle_event_id", OptInt),
                ("at_us", Int),
                ("actor", Text),
            ],
        )
    },
    Table {
        person_refs: &["person_a", "person_b"],
        about_person: Some("person_a = $1 OR person_b = $1"),
        ..t(
            "sparks",
            &[
                ("id", Int),
                ("person_a", Int),
                ("person_b", Int),
                ("event_id", OptInt),
                ("note", OptText),
                ("made_by", Text),
                ("made_at_us", Int),
                ("acted_at_us", OptInt),
                ("acted_note", OptText),
            ],
        )
    },
    Table {
        unique: &[&["event_id", "organizer_id"]],
        ..t(
            "organizer_checkins",
            &[
                ("id", Int),
                ("event_id", Int),
                ("organizer_id", Int),
                ("answers", Text),
                ("score", Float),
                ("hours", Float),
                ("at_us", Int),
            ],
        )
    },
    t(
        "reviews",
        &[
            ("id", Int),
            ("program_id", OptInt),
            ("started_at_us", Int),
            ("started_by", Text),
            ("ended_at_us", OptInt),
            ("snapshot", Text),
            ("insight", OptText),
        ],
    ),
    // Schema 3: imports and identity.
    Table {
        since: 3,
        ..t(
            "imports",
            &[
                ("id", Int),
                ("event_id", Int),
                ("platform", Text),
                ("shape", Text),
                ("file_name", Text),
                ("sha256", Text),
                ("rows_read", Int),
                ("people_new", Int),
                ("people_matched", Int),
                ("added", Int),
                ("updated", Int),
                ("unchanged", Int),
                ("skipped", Int),
                ("problems", Text),
                ("at_us", Int),
                ("actor", Text),
            ],
        )
    },
    Table {
        key: &["event_id", "person_id", "question"],
        since: 3,
        person_refs: &["person_id"],
        about_person: Some("person_id = $1"),
        serial: false,
        ..t(
            "person_answers",
            &[
                ("event_id", Int),
                ("person_id", Int),
                ("question", Text),
                ("answer", Text),
            ],
        )
    },
    Table {
        key: &["platform", "external_id"],
        serial: false,
        since: 3,
        ..t(
            "demo_external_ids",
            &[("platform", Text), ("external_id", Text), ("demo_id", Int)],
        )
    },
    Table {
        key: &["demo_id", "question"],
        since: 3,
        about_person: Some("demo_id IN (SELECT demo_id FROM demo_presenters WHERE person_id = $1)"),
        serial: false,
        ..t(
            "demo_answers",
            &[("demo_id", Int), ("question", Text), ("answer", Text)],
        )
    },
    Table {
        about_person: Some("kept_id = $1 OR merged_id = $1"),
        since: 3,
        ..t(
            "person_merges",
            &[
                ("id", Int),
                ("kept_id", Int),
                ("merged_id", Int),
                ("changes", OptText),
                ("merged_at_us", Int),
                ("merged_by", Text),
                ("undone_at_us", OptInt),
                ("undone_by", OptText),
            ],
        )
    },
    // Schema 4: the web app.
    Table {
        unique: &[&["email"]],
        since: 4,
        ..t(
            "users",
            &[
                ("id", Int),
                ("email", Text),
                ("name", Text),
                ("role", Text),
                ("password_hash", Text),
                ("created_at_us", Int),
                ("disabled_at_us", OptInt),
                ("removed_at_us", OptInt),
            ],
        )
    },
    Table {
        key: &["token_hash"],
        serial: false,
        since: 4,
        ..t(
            "web_sessions",
            &[
                ("token_hash", Text),
                ("user_id", Int),
                ("csrf", Text),
                ("created_at_us", Int),
                ("expires_at_us", Int),
            ],
        )
    },
    Table {
        unique: &[&["token_hash"]],
        since: 4,
        ..t(
            "api_tokens",
            &[
                ("id", Int),
                ("token_hash", Text),
                ("name", Text),
                ("created_at_us", Int),
                ("created_by", Text),
                ("revoked_at_us", OptInt),
                ("program_id", OptInt),
            ],
        )
    },
    Table {
        key: &["token"],
        serial: false,
        since: 4,
        ..t(
            "contract_links",
            &[
                ("token", Text),
                ("demo_id", Int),
                ("created_at_us", Int),
                ("used_at_us", OptInt),
            ],
        )
    },
    // Schema 5: listening to the community chat.
    Table {
        unique: &[&["program_id", "name"]],
        since: 5,
        ..t(
            "chat_channels",
            &[
                ("id", Int),
                ("program_id", Int),
                ("name", Text),
                ("format", Text),
                ("created_at_us", Int),
                ("purged_at_us", OptInt),
            ],
        )
    },
    // Schema 6: authors once per channel; messages point at them.
    Table {
        unique: &[&["channel_id", "author_key"]],
        person_refs: &["person_id"],
        about_person: Some("person_id = $1"),
        since: 6,
        ..t(
            "chat_authors",
            &[
                ("id", Int),
                ("channel_id", Int),
                ("author_key", Text),
                ("name", Text),
                ("person_id", OptInt),
                ("linked_by", OptText),
                ("first_at_us", Int),
            ],
        )
    },
    Table {
        unique: &[&["channel_id", "at_us", "author_id", "text_hash"]],
        about_person: Some("author_id IN (SELECT id FROM chat_authors WHERE person_id = $1)"),
        since: 6,
        ..t(
            "chat_messages",
            &[
                ("id", Int),
                ("channel_id", Int),
                ("at_us", Int),
                ("author_id", Int),
                ("text_hash", Text),
                ("text", OptText),
                ("compound_e4", Int),
            ],
        )
    },
    Table {
        key: &["event_id"],
        serial: false,
        since: 5,
        ..t(
            "chat_reports",
            &[
                ("event_id", Int),
                ("days", Int),
                ("covered", Int),
                ("verdict", Text),
                ("made_at_us", Int),
                ("made_by", Text),
                ("messages", Int),
                ("related", Int),
                ("lift_e4", Int),
            ],
        )
    },
    Table {
        key: &["event_id", "message_id"],
        serial: false,
        since: 6,
        ..t("chat_related", &[("event_id", Int), ("message_id", Int)])
    },
    Table {
        key: &["program_id", "word"],
        serial: false,
        since: 7,
        ..t("chat_keywords", &[("program_id", Int), ("word", Text)])
    },
    Table {
        unique: &[&["dedupe_key"]],
        person_refs: &["person_id"],
        about_person: Some("person_id = $1"),
        since: 10,
        ..t(
            "outbox",
            &[
                ("id", Int),
                ("dedupe_key", Text),
                ("kind", Text),
                ("recipient", Text),
                ("person_id", OptInt),
                ("organizer_id", OptInt),
                ("program_id", OptInt),
                ("event_id", OptInt),
                ("demo_id", OptInt),
                ("subject", Text),
                ("body", Text),
                ("reply_to", OptText),
                ("unsubscribe", OptText),
                ("planned_at_us", Int),
                ("state", Text),
                ("attempts", Int),
                ("last_error", OptText),
                ("lease_owner", OptText),
                ("lease_until_us", OptInt),
                ("done_at_us", OptInt),
                ("created_at_us", Int),
                ("channel", Text),
            ],
        )
    },
    Table {
        key: &["program_id"],
        unique: &[&["calendar_secret"]],
        serial: false,
        since: 12,
        ..t(
            "program_notify",
            &[
                ("program_id", Int),
                ("off_kinds", Text),
                ("short_of_demos_days", Int),
                ("contract_reminder_days", Int),
                ("weekly_digest", Int),
                ("webhook_url", OptText),
                ("calendar_secret", OptText),
            ],
        )
    },
    Table {
        since: 11,
        ..t(
            "chat_imports",
            &[
                ("id", Int),
                ("program_id", Int),
                ("file_name", Text),
                ("channel", OptText),
                ("bytes", Int),
                ("state", Text),
                ("messages_read", Int),
                ("channel_id", OptInt),
                ("added", OptInt),
                ("already_stored", OptInt),
                ("linked", OptInt),
                ("unlinked", OptInt),
                ("error", OptText),
                ("created_by", Text),
                ("created_at_us", Int),
                ("finished_at_us", OptInt),
            ],
        )
    },
    // Schema 14: the public page's call for demos.
    Table {
        person_refs: &["person_id"],
        about_person: Some("person_id = $1"),
        since: 14,
        ..t(
            "demo_offers",
            &[
                ("id", Int),
                ("program_id", Int),
                ("person_id", Int),
                ("event_id", OptInt),
                ("demo_id", OptInt),
                ("title", Text),
                ("about", Text),
                ("wip", Int),
                ("at_us", Int),
            ],
        )
    },
    // Schema 13: roles per program.
    Table {
        key: &["user_id", "program_id"],
        serial: false,
        since: 13,
        ..t(
            "user_grants",
            &[("user_id", Int), ("program_id", Int), ("role", Text)],
        )
    },
    // Schema 15: an organizer's hand-off.
    Table {
        key: &["event_id"],
        serial: false,
        since: 15,
        ..t("event_owners", &[("event_id", Int), ("organizer_id", Int)])
    },
    Table {
        since: 15,
        ..t(
            "organizer_handoffs",
            &[
                ("id", Int),
                ("organizer_id", Int),
                ("to_id", OptInt),
                ("events", Int),
                ("messages", Int),
                ("at_us", Int),
                ("actor", Text),
            ],
        )
    },
];

/// The tables this build's schema has, in dependency order.
pub(crate) fn tables() -> impl Iterator<Item = &'static Table> {
    TABLES
        .iter()
        .filter(|t| t.since <= crate::open::SCHEMA_VERSION)
}

/// Bookkeeping tables that are not data: never exported.
pub(crate) const BOOKKEEPING: &[&str] = &["trellis_meta", "schema_migrations", "trellis_lock"];

pub(crate) fn table(name: &str) -> Option<&'static Table> {
    tables().find(|t| t.name == name)
}

impl Table {
    pub(crate) fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|(c, _)| *c)
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn kind(&self, column: &str) -> Option<Kind> {
        self.columns
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, k)| *k)
    }
}

/// A row's value as JSON, read by the column's kind.
pub(crate) fn read_value(
    row: &AnyRow,
    i: usize,
    kind: Kind,
) -> Result<serde_json::Value, StoreError> {
    use serde_json::Value as J;
    Ok(match kind {
        Int => J::from(row.try_get::<i64, _>(i)?),
        OptInt => row.try_get::<Option<i64>, _>(i)?.map_or(J::Null, J::from),
        Text => J::from(row.try_get::<String, _>(i)?),
        OptText => row
            .try_get::<Option<String>, _>(i)?
            .map_or(J::Null, J::from),
        Float => {
            let f = row.try_get::<f64, _>(i)?;
            serde_json::Number::from_f64(f)
                .map(J::Number)
                .ok_or_else(|| StoreError::Corrupt(format!("column {i} holds {f}, not a number")))?
        }
    })
}

/// Binds a JSON value as the column's kind; what does not fit is an error naming where.
pub(crate) fn bind_value(
    args: &mut sqlx::any::AnyArguments,
    v: &serde_json::Value,
    kind: Kind,
    place: &dyn Fn() -> String,
) -> Result<(), StoreError> {
    use sqlx::Arguments;
    let bad = |want: &str| {
        StoreError::Invalid(trellis_core::CoreError::at(
            place(),
            format!("{v} is not {want}"),
        ))
    };
    let added = match (kind, v) {
        (Int, serde_json::Value::Number(n)) => {
            args.add(n.as_i64().ok_or_else(|| bad("an integer"))?)
        }
        (OptInt, serde_json::Value::Null) => args.add(None::<i64>),
        (OptInt, serde_json::Value::Number(n)) => {
            args.add(Some(n.as_i64().ok_or_else(|| bad("an integer"))?))
        }
        (Text, serde_json::Value::String(s)) => args.add(s.clone()),
        (OptText, serde_json::Value::Null) => args.add(None::<String>),
        (OptText, serde_json::Value::String(s)) => args.add(Some(s.clone())),
        (Float, serde_json::Value::Number(n)) => {
            args.add(n.as_f64().ok_or_else(|| bad("a number"))?)
        }
        (Int | OptInt, _) => return Err(bad("an integer")),
        (Text | OptText, _) => return Err(bad("a string")),
        (Float, _) => return Err(bad("a number")),
    };
    added.map_err(|e| StoreError::Corrupt(format!("cannot bind a value: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_listed_once_and_after_what_it_refers_to() {
        let mut seen = std::collections::HashSet::new();
        for t in TABLES {
            assert!(seen.insert(t.name), "{} twice", t.name);
            for k in t.key {
                assert!(t.kind(k).is_some(), "{}: key {k} is not a column", t.name);
            }
            for r in t.person_refs {
                assert!(t.kind(r).is_some(), "{}: {r} is not a column", t.name);
            }
            assert_eq!(
                t.serial,
                t.key == ["id"],
                "{}: serial iff keyed by id",
                t.name
            );
        }
    }
}
