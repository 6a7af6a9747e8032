//! The person pages of the web app (`/people`, `/people/{id}`): a search, and one person's
//! whole story: attendances and demos (`people::detail`, as `person show`), their stage
//! on each program's pipeline and its moves, the follow-ups sent to them with their
//! answers, and their sparks.

use crate::AppError;
use crate::people::{PersonDetail, detail};
use trellis_core::PersonId;
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
