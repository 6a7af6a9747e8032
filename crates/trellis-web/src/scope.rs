//! Which program a request is about, found once for every page under an event or a demo:
//! `/events/{id}/…` and `/demos/{id}/…`. The signed-in extractor then refuses an account
//! that does not reach that program, and a form of an account that may only read it, so
//! no handler (today's or tomorrow's) can forget the check.

use crate::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use trellis_core::cohost::Hosts;
use trellis_core::{DemoId, EventId};

/// The programs the requested page belongs to, when its path names an event or a demo:
/// the host, and a co-host whose organizers act on it too (`Hosts::reached_by`).
#[derive(Debug, Clone, Copy)]
pub struct ProgramScope(pub Hosts);

/// The object a path names, if any: `/events/17/door` is event 17; `/events/new` is
/// none; `/demos/4/screen` is demo 4.
fn named(path: &str) -> Option<Named> {
    let mut parts = path.trim_start_matches('/').split('/');
    let kind = parts.next()?;
    let id: i64 = parts.next()?.parse().ok()?;
    match kind {
        "events" => Some(Named::Event(EventId(id))),
        "demos" => Some(Named::Demo(DemoId(id))),
        _ => None,
    }
}

enum Named {
    Event(EventId),
    Demo(DemoId),
}

/// Finds the program of the event or demo the path names and records it on the request.
/// An unknown id records nothing: the handler answers 404 as it always did.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let found = match named(req.uri().path()) {
        Some(Named::Event(e)) => state.store.hosts_of_event(e).await,
        Some(Named::Demo(d)) => state.store.hosts_of_demo(d).await,
        None => Ok(None),
    };
    match found {
        Ok(Some(p)) => {
            req.extensions_mut().insert(ProgramScope(p));
        }
        Ok(None) => {}
        Err(e) => return crate::WebError::from(e).into_response(),
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_events_and_demos_only() {
        assert!(matches!(
            named("/events/17/door"),
            Some(Named::Event(EventId(17)))
        ));
        assert!(matches!(
            named("/events/17"),
            Some(Named::Event(EventId(17)))
        ));
        assert!(matches!(
            named("/demos/4/screen"),
            Some(Named::Demo(DemoId(4)))
        ));
        assert!(named("/events/new").is_none());
        assert!(named("/events").is_none());
        assert!(named("/people/3").is_none());
        assert!(named("/").is_none());
    }
}
