//! The programs a page about programs offers to the signed-in account: only those it
//! reaches, and "all programs" only to an account that reaches every one (an org-wide
//! figure would otherwise show other chapters' work).

use crate::auth::{SignedIn, out_of_reach};
use crate::{AppState, WebError};
use trellis_core::ProgramId;

/// One entry of a program switcher.
pub struct ProgramChoice {
    pub value: String,
    pub name: String,
    pub selected: bool,
}

/// The program a page shows (`None`: all), its name, and the switcher's choices.
pub struct Chosen {
    pub selected: Option<ProgramId>,
    pub name: String,
    pub choices: Vec<ProgramChoice>,
}

/// What `asked` (a program id, `all`, or nothing) selects for `me`. The default is the
/// first program the account reaches: the one screen of a chapter.
pub(crate) async fn choose(
    state: &AppState,
    me: &SignedIn,
    asked: Option<&str>,
) -> Result<Chosen, WebError> {
    let all = state.store.list_programs().await?;
    let ids: Vec<ProgramId> = all.iter().map(|p| p.id).collect();
    let known = |id: ProgramId| ids.contains(&id);
    let everything = me.access.sees_all(&ids);
    let programs: Vec<_> = all
        .into_iter()
        .filter(|p| me.access.may_see(p.id))
        .collect();
    let selected: Option<ProgramId> = match asked {
        Some("all") if everything => None,
        Some("all") => return Err(out_of_reach()),
        Some(p) => Some(ProgramId(p.parse().map_err(|_| {
            WebError::BadRequest(format!("program {p:?} is not an id"))
        })?)),
        None if programs.is_empty() && !everything => {
            return Err(WebError::Forbidden(
                "Your account reaches no program yet. An admin can grant you one.".into(),
            ));
        }
        None => programs.first().map(|p| p.id),
    };
    let name = match selected {
        Some(id) if !known(id) => return Err(WebError::NotFound),
        Some(id) if !me.access.may_see(id) => return Err(out_of_reach()),
        Some(id) => programs
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .ok_or(WebError::NotFound)?,
        None => "All programs".to_owned(),
    };
    let mut choices: Vec<ProgramChoice> = programs
        .iter()
        .map(|p| ProgramChoice {
            value: p.id.to_string(),
            name: p.name.clone(),
            selected: selected == Some(p.id),
        })
        .collect();
    if everything {
        choices.push(ProgramChoice {
            value: "all".into(),
            name: "All programs".into(),
            selected: selected.is_none(),
        });
    }
    Ok(Chosen {
        selected,
        name,
        choices,
    })
}
