//! The demo slot board's buttons: screening, the contract, confirming into a slot, the
//! outcome.

use super::event::{Extras, event_page};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use trellis_app::event_page::GateCheck;
use trellis_core::DemoId;
use trellis_core::demo::{Checklist, DemoStatus};
use trellis_store::{ScreeningInput, StoreError};

#[derive(Deserialize)]
pub struct DemoForm {
    #[serde(default)]
    csrf: String,
    /// Each screening item: "pass" or "fail" (a missing item fails: only a pass said out
    /// loud passes).
    live_demo: Option<String>,
    built_it: Option<String>,
    fits_time: Option<String>,
    wip_welcome: Option<String>,
    note: Option<String>,
    override_reason: Option<String>,
}

/// The screening the form records: every item passed, or a fail.
fn screening(f: &DemoForm) -> ScreeningInput {
    let pass = |item: &Option<String>| item.as_deref() == Some("pass");
    let checklist = Checklist {
        live_demo: pass(&f.live_demo),
        built_it: pass(&f.built_it),
        fits_time: pass(&f.fits_time),
        wip_welcome: pass(&f.wip_welcome),
    };
    ScreeningInput {
        passed: checklist == Checklist::all(),
        checklist: Some(checklist),
        note: f.note.clone(),
    }
}

pub async fn demo_action(
    State(state): State<AppState>,
    me: SignedIn,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<DemoForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let id = DemoId(id);
    let ctx = me.ctx(&state);
    let store = &state.store;
    let demo = store.demo(id).await?;
    let result = match action.as_str() {
        "screen" => store
            .screen_demo(&ctx, id, &screening(&f))
            .await
            .map(|_| ()),
        "contract" => store.accept_contract(&ctx, id).await.map(|_| ()),
        "confirm" => store
            .confirm_demo(
                &ctx,
                id,
                f.override_reason
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty()),
            )
            .await
            .map(|_| ()),
        "presented" => store
            .set_demo_outcome(&ctx, id, DemoStatus::Presented)
            .await
            .map(|_| ()),
        "withdraw" => store
            .set_demo_outcome(&ctx, id, DemoStatus::Withdrawn)
            .await
            .map(|_| ()),
        "link" => {
            let token = store.contract_link(&ctx, id).await?;
            let link = format!("{}/c/{token}", state.public_url);
            let x = Extras {
                contract_link: Some(link),
                ..Extras::default()
            };
            let html = event_page(&state, &me, demo.event, x).await?;
            return Ok(Html(html).into_response());
        }
        _ => return Err(WebError::NotFound),
    };
    match result {
        Ok(()) => {
            state.invalidate();
            Ok(Redirect::to(&format!("/events/{}#demo-{id}", demo.event)).into_response())
        }
        Err(StoreError::Refused(r)) => {
            let typed = f.override_reason.as_deref().map(str::trim);
            let x = Extras {
                refused: GateCheck::blocked(&r.decision),
                refused_step: format!("confirm demo {id}"),
                override_action: format!("/demos/{id}/confirm"),
                override_reason: typed.unwrap_or_default().to_owned(),
                override_error: typed
                    .filter(|t| t.is_empty())
                    .map(|_| super::OVERRIDE_NEEDS_REASON.to_owned()),
                ..Extras::default()
            };
            let html = event_page(&state, &me, demo.event, x).await?;
            Ok((StatusCode::CONFLICT, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
