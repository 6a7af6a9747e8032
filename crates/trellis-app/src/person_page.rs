//! The person pages of the web app (`/people`, `/people/{id}`): a search, and one person's
//! whole story: attendances and demos (`people::detail`, as `person show`), their stage
//! on each program's pipeline and its moves, the follow-ups sent to them with their
//! answers, and their sparks.

use crate::AppError;
use crate::people::{PersonDetail, detail};
use std::collections::BTreeSet;
use trellis_core::access::Access;
use trellis_core::{EventId, PersonId, ProgramId};
use trellis_store::{PersonHit, PersonStory, Store};

/// At most this many people are listed for a search.
pub const LISTED: i64 = 100;

/// People whose name or e-mail contains `search`, by name (everyone, up to the limit,
/// when it is blank).
pub async fn search(store: &Store, search: &str) -> Result<Vec<PersonHit>, AppError> {
    Ok(store.search_people(search, LISTED).await?)
}

pub struct PersonPage {
    pub detail: PersonDetail,
    pub story: PersonStory,
}

pub async fn person_page(store: &Store, id: PersonId) -> Result<PersonPage, AppError> {
    Ok(PersonPage {
        detail: detail(store, id).await?,
        story: store.person_story(id).await?,
    })
}

/// A person's page as `access` may see it: only what the programs it reaches recorded.
/// Their attendance at another chapter still counts in the org-wide figures; it is only
/// not listed here.
pub async fn person_page_for(
    store: &Store,
    id: PersonId,
    access: &Access,
) -> Result<PersonPage, AppError> {
    let mut page = person_page(store, id).await?;
    let programs = store.event_programs().await?;
    let seen = |e: &EventId| programs.get(e).is_some_and(|h| h.seen_by(access));
    page.detail.attendances.retain(|a| seen(&a.event));
    page.detail.demos.retain(|d| seen(&d.event));
    let story = &mut page.story;
    story.stages.retain(|s| access.may_see(s.program));
    story.moves.retain(|m| access.may_see(m.program));
    story.followups.retain(|f| seen(&f.event));
    story
        .sparks
        .retain(|s| s.program.is_some_and(|p| access.may_see(p)));
    Ok(page)
}

/// The people of `hits` that `access` may list: those with a record in a program it
/// reaches, and those with no record anywhere yet (a name typed in, not yet anyone's).
pub async fn visible_hits(
    store: &Store,
    hits: Vec<PersonHit>,
    access: &Access,
) -> Result<Vec<PersonHit>, AppError> {
    let ids: Vec<PersonId> = hits.iter().map(|h| h.id).collect();
    let programs = store.programs_of_people(&ids).await?;
    Ok(hits
        .into_iter()
        .filter(|h| reaches(programs.get(&h.id), access))
        .collect())
}

/// Whether `access` may see `person` at all: someone with a record in a program it
/// reaches, or with no record anywhere yet.
pub async fn may_see_person(
    store: &Store,
    person: PersonId,
    access: &Access,
) -> Result<bool, AppError> {
    let programs = store.programs_of_people(&[person]).await?;
    Ok(reaches(programs.get(&person), access))
}

/// Someone with no record anywhere (`None`), or with one in a program `access` reaches.
fn reaches(programs: Option<&BTreeSet<ProgramId>>, access: &Access) -> bool {
    programs.is_none_or(|ps| ps.iter().any(|p| access.may_see(*p)))
}

/// Whether `access` may change everything `people` have records in: merging or
/// forgetting someone rewrites their history in every program at once.
pub async fn may_rewrite(
    store: &Store,
    people: &[PersonId],
    access: &Access,
) -> Result<bool, AppError> {
    let programs = store.programs_of_people(people).await?;
    Ok(rewritable(&programs, people, access))
}

/// The likely duplicates `access` could merge: both people's programs are its to change.
/// One read of everyone's programs, not one per pair.
pub async fn mergeable_pairs(
    store: &Store,
    pairs: Vec<trellis_core::identity::Duplicate>,
    access: &Access,
) -> Result<Vec<trellis_core::identity::Duplicate>, AppError> {
    if access.is_admin() {
        return Ok(pairs);
    }
    let people: Vec<PersonId> = pairs.iter().flat_map(|d| [d.a, d.b]).collect();
    let programs = store.programs_of_people(&people).await?;
    Ok(pairs
        .into_iter()
        .filter(|d| rewritable(&programs, &[d.a, d.b], access))
        .collect())
}

/// Whether `access` may change every program `people` have records in.
fn rewritable(
    programs: &std::collections::HashMap<PersonId, BTreeSet<ProgramId>>,
    people: &[PersonId],
    access: &Access,
) -> bool {
    people
        .iter()
        .filter_map(|p| programs.get(p))
        .flatten()
        .all(|p| access.may_act_on(*p))
}
