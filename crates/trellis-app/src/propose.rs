//! Proposing a demo for someone (the web's person picker): they are found by name or
//! e-mail, or added on the spot, and the demo is proposed for them.

use crate::AppError;
use crate::demos::DemoView;
use trellis_core::{EventId, PersonId};
use trellis_store::{Ctx, NewDemo, NewPerson, PersonHit, Store};

/// Who presents.
#[derive(Debug, Clone)]
pub enum Presenter {
    Known(PersonId),
    /// Not on record yet: added with the demo, in one transaction.
    New {
        name: String,
        email: Option<String>,
    },
}

/// At most this many people are offered for a name or e-mail.
const CANDIDATES: i64 = 10;

/// The people `who` (a name or an e-mail, or part of one) may mean.
pub async fn candidates(store: &Store, who: &str) -> Result<Vec<PersonHit>, AppError> {
    if who.trim().is_empty() {
        return Ok(Vec::new());
    }
    Ok(store.search_people(who, CANDIDATES).await?)
}

/// The one person `who` names without doubt: the only match, whose e-mail or whole name
/// is exactly what was typed.
pub fn certain(who: &str, found: &[PersonHit]) -> Option<PersonId> {
    let who = who.trim().to_lowercase();
    match found {
        [one]
            if one.name.to_lowercase() == who || one.email.as_deref().is_some_and(|e| e == who) =>
        {
            Some(one.id)
        }
        _ => None,
    }
}

pub async fn propose(
    store: &Store,
    ctx: &Ctx,
    event: EventId,
    title: &str,
    presenter: Presenter,
) -> Result<DemoView, AppError> {
    let demo = match presenter {
        Presenter::Known(p) => {
            let new = NewDemo {
                event,
                presenters: vec![p],
                title: title.to_owned(),
            };
            store.propose_demo(ctx, &new).await?
        }
        Presenter::New { name, email } => {
            let person = NewPerson {
                name,
                emails: email.into_iter().collect(),
            };
            store
                .propose_demo_by_new_person(ctx, event, title, &person)
                .await?
        }
    };
    Ok(demo.into())
}
