//! People as `--json` shows them: the list, one person's page, a merge and its undo, the
//! export of everything stored about a person and what forgetting erased.

use crate::demos::DemoView;
use crate::{AppError, views};
use serde::Serialize;
use serde_json::{Map, Value as J};
use std::collections::BTreeMap;
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::{EventId, PersonId};
use trellis_store::Store;

/// A person in a list: `person list`, `person add`, the head of `person show`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PersonView {
    pub id: PersonId,
    pub name: String,
    pub emails: Vec<String>,
    pub quiet_killer: bool,
}

from_fact!(trellis_store::PersonView => PersonView { id, name, emails, quiet_killer });

/// `person show`: the person, their platform ids, attendances and demos.
#[derive(Debug, Clone, Serialize)]
pub struct PersonDetail {
    #[serde(flatten)]
    pub person: PersonView,
    pub platform_ids: BTreeMap<String, Vec<String>>,
    pub attendances: Vec<AttendanceView>,
    pub demos: Vec<DemoView>,
}

from_fact!(trellis_store::PersonDetail => PersonDetail {
    platform_ids
} into {
    person
} each {
    attendances, demos
});

/// One RSVP or check-in: `attend`, and each attendance of `person show`.
#[derive(Debug, Clone, Serialize)]
pub struct AttendanceView {
    pub event: EventId,
    pub event_title: String,
    pub person: PersonId,
    pub person_name: String,
    pub rsvp: Rsvp,
    pub checked_in: CheckedIn,
}

from_fact!(trellis_store::AttendanceView => AttendanceView {
    event, event_title, person, person_name, rsvp, checked_in
});

/// A person named beside their id (a retro's invitees, a spark's two people).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NamedPerson {
    pub id: PersonId,
    pub name: String,
}

from_fact!(trellis_store::NamedPerson => NamedPerson { id, name });

/// `person merge`: the rows moved and combined, per table.
#[derive(Debug, Clone, Serialize)]
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

from_fact!(trellis_store::MergeResult => MergeResult { merge, kept, merged, moved, combined });

/// `person unmerge`: the merge undone and the rows restored.
#[derive(Debug, Clone, Serialize)]
pub struct UnmergeResult {
    pub merge: i64,
    pub kept: PersonId,
    pub restored: PersonId,
    pub rows: u64,
}

from_fact!(trellis_store::UnmergeResult => UnmergeResult { merge, kept, restored, rows });

/// Everything stored about one person.
#[derive(Debug, Clone, Serialize)]
pub struct PersonExport {
    pub trellis_person_export: u32,
    pub person: PersonId,
    /// Per table, the rows about the person, column by column.
    pub tables: Map<String, J>,
}

from_fact!(trellis_store::PersonExport => PersonExport { trellis_person_export, person, tables });

/// `person forget`: rows erased and rows kept anonymous, per table.
#[derive(Debug, Clone, Serialize)]
pub struct Forgotten {
    pub person: PersonId,
    /// Rows erased or blanked, per table.
    pub erased: Map<String, J>,
    /// Rows kept, anonymous, per table.
    pub kept: Map<String, J>,
}

from_fact!(trellis_store::Forgotten => Forgotten { person, erased, kept });

/// Everyone not merged away, by id.
pub async fn list(store: &Store) -> Result<Vec<PersonView>, AppError> {
    Ok(views(store.list_people().await?))
}

/// One person's page: e-mails, platform ids, attendances and demos.
pub async fn detail(store: &Store, id: PersonId) -> Result<PersonDetail, AppError> {
    Ok(store.person_detail(id).await?.into())
}

/// Everything stored about a person.
pub async fn export(store: &Store, id: PersonId) -> Result<PersonExport, AppError> {
    Ok(store.person_export(id).await?.into())
}

/// Likely duplicates, likeliest first, each with its evidence.
pub async fn duplicates(store: &Store) -> Result<Vec<trellis_core::identity::Duplicate>, AppError> {
    Ok(store.duplicates().await?)
}

/// Merges `other` into `keep` (undone by [`unmerge`]).
pub async fn merge(
    store: &Store,
    ctx: &trellis_store::Ctx,
    keep: PersonId,
    other: PersonId,
) -> Result<MergeResult, AppError> {
    Ok(store.merge_people(ctx, keep, other).await?.into())
}

/// Undoes the latest merge of `merged`.
pub async fn unmerge(
    store: &Store,
    ctx: &trellis_store::Ctx,
    merged: PersonId,
) -> Result<UnmergeResult, AppError> {
    Ok(store.unmerge_person(ctx, merged).await?.into())
}

/// Forgets a person: what identifies or quotes them goes, the anonymous facts stay.
pub async fn forget(
    store: &Store,
    ctx: &trellis_store::Ctx,
    id: PersonId,
) -> Result<Forgotten, AppError> {
    Ok(store.forget_person(ctx, id).await?.into())
}
