//! The speaker pipeline board (`/board`): five columns, a button forward and one back on
//! each card (each a form of its own, recorded as a move as the CLI records it), the
//! cycle's count of people moved against the minimum, and a picker to put someone on the
//! board. Works with the keyboard alone: every action is a real button.

use super::Chrome;
use super::people::{candidates, may_name};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use trellis_app::AppError;
use trellis_app::board::{Board, Card, Newcomer};
use trellis_app::propose::certain;
use trellis_core::pipeline::Stage;
use trellis_core::{CoreError, PersonId, ProgramId};
use trellis_store::{PersonHit, StoreError};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/board", get(board))
        .route("/board/add", post(add))
        .route("/board/{person}/{step}", post(step))
}

/// A program to choose in a switcher.
pub struct ProgramChoice {
    pub id: ProgramId,
    pub name: String,
    pub selected: bool,
}

/// The program asked for, or the first one this account reaches: the board is one
/// program's.
pub(crate) async fn one_program(
    state: &AppState,
    me: &SignedIn,
    asked: Option<i64>,
) -> Result<(ProgramId, Vec<ProgramChoice>), WebError> {
    let all = state.store.list_programs().await?;
    let id = match asked {
        Some(p) => ProgramId(p),
        None => all
            .iter()
            .map(|p| p.id)
            .find(|p| me.access.may_see(*p))
            .ok_or(WebError::NotFound)?,
    };
    if !all.iter().any(|p| p.id == id) {
        return Err(WebError::NotFound);
    }
    if !me.access.may_see(id) {
        return Err(crate::auth::out_of_reach());
    }
    let programs: Vec<_> = all
        .into_iter()
        .filter(|p| me.access.may_see(p.id))
        .collect();
    let choices = programs
        .into_iter()
        .map(|p| ProgramChoice {
            selected: p.id == id,
            id: p.id,
            name: p.name,
        })
        .collect();
    Ok((id, choices))
}

/// A stage's name as an organizer says it.
pub(crate) fn stage_label(s: Stage) -> &'static str {
    match s {
        Stage::Spotted => "Spotted",
        Stage::WarmIntro => "Warm intro",
        Stage::Candidate => "Candidate",
        Stage::Speaker => "Speaker",
        Stage::Repeat => "Repeat",
    }
}

/// One column of the board.
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
    pub cards: Vec<Card>,
    /// Where a card goes forward and back from here, in words.
    pub forward: Option<&'static str>,
    pub back: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub program: i64,
    /// A name or an e-mail.
    #[serde(default)]
    pub who: String,
    pub person: Option<i64>,
    pub as_new: Option<String>,
    #[serde(default)]
    pub new_name: String,
    #[serde(default)]
    pub new_email: String,
    #[serde(default)]
    pub stage: String,
    pub quiet_killer: Option<String>,
}

#[derive(Template)]
#[template(path = "board.html")]
pub struct BoardPage {
    pub chrome: Chrome,
    pub programs: Vec<ProgramChoice>,
    pub program: ProgramId,
    pub columns: Vec<Column>,
    pub moved: u32,
    pub minimum: u32,
    pub people_moved: Vec<String>,
    pub quiet_killers: u32,
    pub f: AddForm,
    pub who_error: Option<String>,
    pub new_error: Option<String>,
    pub matches: Vec<PersonHit>,
    pub offer_new: bool,
    pub stages: Vec<(&'static str, &'static str)>,
}

impl BoardPage {
    fn new(me: &SignedIn, programs: Vec<ProgramChoice>, b: Board, f: AddForm) -> BoardPage {
        let mut stages = b.stages;
        let columns = Stage::ALL
            .iter()
            .map(|s| Column {
                key: s.as_str(),
                label: stage_label(*s),
                cards: stages.remove(s.as_str()).unwrap_or_default(),
                forward: s.next().map(stage_label),
                back: s.prev().map(stage_label),
            })
            .collect();
        BoardPage {
            chrome: super::chrome_in(me, b.program),
            programs,
            program: b.program,
            columns,
            moved: b.moves_this_cycle,
            minimum: b.minimum,
            people_moved: b.people_moved,
            quiet_killers: b.quiet_killers,
            f,
            who_error: None,
            new_error: None,
            matches: Vec::new(),
            offer_new: false,
            stages: Stage::ALL
                .iter()
                .map(|s| (s.as_str(), stage_label(*s)))
                .collect(),
        }
    }
}

#[derive(Deserialize)]
pub struct BoardQuery {
    program: Option<i64>,
}

/// `GET /board?program=`.
pub async fn board(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<BoardQuery>,
) -> Result<Html<String>, WebError> {
    let (program, programs) = one_program(&state, &me, q.program).await?;
    let b = trellis_app::board::board(&state.store, program).await?;
    let f = AddForm {
        program: program.0,
        ..AddForm::default()
    };
    Ok(Html(BoardPage::new(&me, programs, b, f).render()?))
}

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    csrf: String,
    program: i64,
}

/// `POST /board/{person}/forward|back`: one step, recorded as a move by the user.
pub async fn step(
    State(state): State<AppState>,
    me: SignedIn,
    Path((person, step)): Path<(i64, String)>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let (program, person) = (ProgramId(f.program), PersonId(person));
    me.require_act_on(program)?;
    may_name(&state, &me, &[person]).await?;
    let ctx = me.ctx(&state);
    let moved = match step.as_str() {
        "forward" => trellis_app::board::forward(&state.store, &ctx, program, person).await,
        "back" => trellis_app::board::back(&state.store, &ctx, program, person).await,
        _ => return Err(WebError::NotFound),
    };
    if let Err(err) = moved {
        let why = refusal(err)?;
        return Ok(crate::error::page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "That did not work",
            &why,
        ));
    }
    state.invalidate();
    Ok(Redirect::to(&format!("/board?program={}#card-{person}", program.0)).into_response())
}

/// `POST /board/add`: someone found by name or e-mail (or added on the spot) goes on
/// the board; several matches or none re-render the picker with the choices.
pub async fn add(
    State(state): State<AppState>,
    me: SignedIn,
    Form(mut f): Form<AddForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let (program, programs) = one_program(&state, &me, Some(f.program)).await?;
    me.require_act_on(program)?;
    let stage: Stage = f.stage.parse().unwrap_or(Stage::Spotted);
    let found = candidates(&state, &me, &f.who).await?;
    let who = match (f.person, f.as_new.is_some()) {
        (Some(p), _) => Newcomer::Known(PersonId(p)),
        (None, true) => Newcomer::New {
            name: f.new_name.clone(),
            email: Some(f.new_email.trim().to_owned()).filter(|e| !e.is_empty()),
        },
        (None, false) => match certain(&f.who, &found) {
            Some(p) => Newcomer::Known(p),
            None => {
                let why = choose_message(&f.who, &found);
                fill_new(&mut f);
                let b = trellis_app::board::board(&state.store, program).await?;
                let mut page = BoardPage::new(&me, programs, b, f);
                page.who_error = Some(why);
                page.matches = found;
                page.offer_new = true;
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
            }
        },
    };
    if let Newcomer::Known(p) = &who {
        may_name(&state, &me, &[*p]).await?;
    }
    let ctx = me.ctx(&state);
    let quiet = f.quiet_killer.is_some();
    match trellis_app::board::add(&state.store, &ctx, program, who, stage, quiet).await {
        Ok(card) => {
            state.invalidate();
            let to = format!("/board?program={}#card-{}", program.0, card.person);
            Ok(Redirect::to(&to).into_response())
        }
        Err(err) => {
            let as_new = f.as_new.is_some();
            let text = refusal(err)?;
            let b = trellis_app::board::board(&state.store, program).await?;
            f.person = None;
            let mut page = BoardPage::new(&me, programs, b, f);
            page.offer_new = as_new || found.is_empty();
            page.matches = found;
            if as_new {
                page.new_error = Some(text);
            } else {
                page.who_error = Some(text);
            }
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

/// Why the picker asks again.
fn choose_message(who: &str, found: &[PersonHit]) -> String {
    if who.trim().is_empty() {
        "Type the person's name or e-mail.".to_owned()
    } else if found.is_empty() {
        format!("Nobody on record matches “{}”: add them below.", who.trim())
    } else {
        "Several people match: choose one, or add someone new.".to_owned()
    }
}

/// Fills the "someone new" fields from what was typed.
fn fill_new(f: &mut AddForm) {
    if f.new_name.is_empty() && f.new_email.is_empty() {
        let who = f.who.trim().to_owned();
        if who.contains('@') {
            f.new_email = who;
        } else {
            f.new_name = who;
        }
    }
}

/// A refused addition in words, for the field.
pub(crate) fn refusal(err: AppError) -> Result<String, WebError> {
    match err {
        AppError::Store(StoreError::Invalid(CoreError::Invalid { value, problem, .. }))
        | AppError::Core(CoreError::Invalid { value, problem, .. }) => {
            Ok(format!("“{value}” {problem}."))
        }
        AppError::Store(StoreError::Conflict(why)) => Ok(format!("{why}.")),
        other => Err(other.into()),
    }
}
