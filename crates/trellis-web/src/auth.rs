//! Accounts and sessions: argon2id password hashes, an HttpOnly session cookie, a CSRF
//! token per session checked on every form, and login throttling.

use crate::views::Login;
use crate::{AppState, WebError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Mutex;
use trellis_core::access::Role;
use trellis_store::Ctx;
use trellis_store::web::User;

pub const COOKIE_NAME: &str = "trellis_session";
const SESSION_HOURS: i64 = 24 * 14;

pub fn hash_password(password: &str) -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for a salt: {e}"))?;
    let salt = SaltString::encode_b64(&bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Failed logins per e-mail: five in fifteen minutes lock that e-mail for the rest of
/// the window. Per process; good enough to make guessing slow.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Timestamp)>>,
}

const MAX_FAILURES: u32 = 5;
const WINDOW_MINUTES: i64 = 15;

impl Throttle {
    fn blocked(&self, key: &str, now: Timestamp) -> Option<i64> {
        let map = self.failures.lock().ok()?;
        let (n, since) = map.get(key)?;
        let until = *since + SignedDuration::from_mins(WINDOW_MINUTES);
        (*n >= MAX_FAILURES && now < until).then(|| until.duration_since(now).as_mins() + 1)
    }

    fn fail(&self, key: &str, now: Timestamp) {
        if let Ok(mut map) = self.failures.lock() {
            let entry = map.entry(key.to_owned()).or_insert((0, now));
            if now.duration_since(entry.1) > SignedDuration::from_mins(WINDOW_MINUTES) {
                *entry = (0, now);
            }
            entry.0 += 1;
        }
    }

    fn clear(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }
}

pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A signed-in user, with the CSRF token their forms carry.
pub struct SignedIn {
    pub user: User,
    pub csrf: String,
    token: String,
}

impl SignedIn {
    pub fn ctx(&self, state: &AppState) -> Ctx {
        Ctx::new(self.user.name.clone(), state.now())
    }

    /// Organizers and admins act; viewers read.
    pub fn may_act(&self) -> bool {
        self.user.role.may_act()
    }

    /// Checks a form: the session's CSRF token, and a role that may change things.
    pub fn check_form(&self, csrf: &str) -> Result<(), WebError> {
        if csrf.is_empty() || csrf != self.csrf {
            return Err(WebError::Forbidden("This form is out of date or did not come from Trellis. Reload the page and try again.".into()));
        }
        if !self.user.role.may_act() {
            return Err(WebError::Forbidden(format!(
                "{} has the viewer role: viewers read, organizers act.",
                self.user.name
            )));
        }
        Ok(())
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let next = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let to_login = || Redirect::to(&format!("/login?next={}", encode(&next))).into_response();
        let Some(token) = cookie_value(&parts.headers, COOKIE_NAME) else {
            return Err(to_login());
        };
        match state.store.session(&token, state.now()).await {
            Ok(Some(s)) => Ok(SignedIn {
                user: s.user,
                csrf: s.csrf,
                token,
            }),
            Ok(None) => Err(to_login()),
            Err(e) => Err(WebError::from(e).into_response()),
        }
    }
}

/// Percent-encodes a path for a query parameter.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only a local path is a safe place to go after logging in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_page(Query(q): Query<NextQuery>) -> Result<Html<String>, WebError> {
    let next = safe_next(q.next.as_deref());
    Ok(Html(
        Login {
            css: crate::assets::CSS_PATH,
            next: &next,
            error: None,
            email: "",
        }
        .render()?,
    ))
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let now = state.now();
    let key = f.email.trim().to_lowercase();
    let next = safe_next(f.next.as_deref());
    let fail = |status: StatusCode, msg: &str| -> Result<Response, WebError> {
        let html = Login {
            css: crate::assets::CSS_PATH,
            next: &next,
            error: Some(msg),
            email: &f.email,
        }
        .render()?;
        Ok((status, Html(html)).into_response())
    };
    if let Some(minutes) = state.throttle.blocked(&key, now) {
        return fail(
            StatusCode::TOO_MANY_REQUESTS,
            &format!("Too many failed attempts. Try again in {minutes} minutes."),
        );
    }
    let found = state.store.user_for_login(&key).await?;
    let user = match found {
        Some((user, hash)) if verify_password(&f.password, &hash) => user,
        _ => {
            state.throttle.fail(&key, now);
            return fail(
                StatusCode::UNAUTHORIZED,
                "That e-mail and password do not match.",
            );
        }
    };
    state.throttle.clear(&key);
    let (token, _csrf) = state
        .store
        .create_session(&Ctx::new(user.name.clone(), now), user.id, SESSION_HOURS)
        .await?;
    let secure = if state.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        SESSION_HOURS * 3600
    );
    Ok(([(SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    me: SignedIn,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    if f.csrf != me.csrf {
        return Err(WebError::Forbidden(
            "This form is out of date. Reload the page and try again.".into(),
        ));
    }
    state.store.end_session(&me.token).await?;
    let cookie = format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

/// A role's label for the header.
pub fn role_label(r: Role) -> &'static str {
    r.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/events/3")), "/events/3");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
    }

    #[test]
    fn five_failures_lock_an_email_for_a_while() {
        let t = Throttle::default();
        let now: Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
        for _ in 0..5 {
            t.fail("a@x.org", now);
        }
        assert!(t.blocked("a@x.org", now).is_some());
        assert!(t.blocked("b@x.org", now).is_none());
        assert!(
            t.blocked("a@x.org", now + SignedDuration::from_mins(16))
                .is_none()
        );
    }
}
