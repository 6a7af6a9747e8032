//! Accounts and sessions: argon2id password hashes, an HttpOnly session cookie, a CSRF
//! token per session checked on every form, and login throttling.

use crate::views::Login;
use crate::{AppState, WebError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::header::{COOKIE, RETRY_AFTER, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::{SignedDuration, Timestamp};
use percent_encoding::{
    AsciiSet, CONTROLS, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode,
};
use serde::Deserialize;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};
use trellis_core::ProgramId;
use trellis_core::access::{Access, Role};
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

/// Login throttling that slows guessing without letting anyone lock a user out.
///
/// Failures are counted under three keys: the account from one client address, the
/// client address over every account, and the account from everywhere. Past a key's free
/// allowance each further failure doubles the wait before the next try under that key
/// (1 s, 2 s, 4 s, … up to a cap): a delay, never a lock. The real user on their own
/// address is not slowed by someone else's guesses from another address, and the
/// account-wide key, which a guesser spread over many addresses would otherwise escape,
/// is generous and capped at a minute.
///
/// An attempt is counted *before* its password is checked, under the table's lock, so
/// parallel guesses cannot all pass the check while the first ones are still hashing;
/// a success gives its count back. The table holds at most [`MAX_ENTRIES`] entries, each
/// forgotten [`FORGET_MINUTES`] after its last failure. Per process.
pub struct Throttle {
    table: Mutex<HashMap<Key, Entry>>,
    /// Password hashing (~20 ms of CPU and 19 MiB each) runs on the blocking pool, at most
    /// this many at once, so a login flood queues here instead of on the threads that
    /// serve every other page.
    hashing: tokio::sync::Semaphore,
    /// A hash to check unknown accounts against, so they take as long as known ones.
    dummy: OnceLock<String>,
}

impl Default for Throttle {
    fn default() -> Throttle {
        Throttle {
            table: Mutex::default(),
            hashing: tokio::sync::Semaphore::new(HASHING_AT_ONCE),
            dummy: OnceLock::new(),
        }
    }
}

/// Two hashes at once use the machine's two cores and leave the async threads free.
const HASHING_AT_ONCE: usize = 2;
const MAX_ENTRIES: usize = 10_000;
const FORGET_MINUTES: i64 = 60;
/// RFC 5321's limit on a forward path; longer is not an address, and is refused before
/// it is counted or looked up.
pub const MAX_EMAIL_BYTES: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    AccountAt(String, IpAddr),
    Address(IpAddr),
    Account(String),
}

impl Key {
    /// Failures before any wait, and the longest wait, in seconds.
    fn rule(&self) -> (u32, i64) {
        match self {
            Key::AccountAt(..) => (5, 15 * 60),
            Key::Address(_) => (20, 15 * 60),
            Key::Account(_) => (50, 60),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last: Timestamp,
}

impl Entry {
    fn expired(&self, now: Timestamp) -> bool {
        now.duration_since(self.last) > SignedDuration::from_mins(FORGET_MINUTES)
    }

    /// When the next try under this key may come.
    fn not_before(&self, key: &Key) -> Timestamp {
        let (free, cap) = key.rule();
        if self.failures < free {
            return self.last;
        }
        let secs = 1i64
            .checked_shl(self.failures - free)
            .filter(|s| *s > 0)
            .map_or(cap, |s| s.min(cap));
        self.last + SignedDuration::from_secs(secs)
    }
}

/// An attempt counted by [`Throttle::begin`]; [`Throttle::succeeded`] gives it back.
pub struct Attempt {
    keys: Vec<Key>,
}

impl Throttle {
    /// Counts an attempt, or says how many seconds to wait first.
    pub fn begin(&self, email: &str, addr: Option<IpAddr>, now: Timestamp) -> Result<Attempt, i64> {
        let mut keys = vec![Key::Account(email.to_owned())];
        if let Some(ip) = addr {
            keys.push(Key::AccountAt(email.to_owned(), ip));
            keys.push(Key::Address(ip));
        }
        // A poisoned lock means a panic mid-update; the counts are still usable.
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        let wait = keys
            .iter()
            .filter_map(|k| {
                table
                    .get(k)
                    .filter(|e| !e.expired(now))
                    .map(|e| e.not_before(k))
            })
            .max()
            .filter(|t| *t > now);
        if let Some(until) = wait {
            let secs = until.duration_since(now).as_secs_f64().ceil();
            // Whole seconds of a wait capped at 15 minutes: the cast cannot overflow.
            #[allow(clippy::cast_possible_truncation)]
            return Err((secs as i64).max(1));
        }
        make_room(&mut table, keys.len(), now);
        for k in &keys {
            let e = table.entry(k.clone()).or_insert(Entry {
                failures: 0,
                last: now,
            });
            if e.expired(now) {
                e.failures = 0;
            }
            e.failures = e.failures.saturating_add(1);
            e.last = now;
        }
        Ok(Attempt { keys })
    }

    /// The password was right: this account from this address starts afresh, and the
    /// other keys get this attempt's count back (but keep the others' failures: a
    /// guesser's own account must not wipe their address's record).
    pub fn succeeded(&self, attempt: Attempt) {
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        for k in attempt.keys {
            if matches!(k, Key::AccountAt(..)) {
                table.remove(&k);
            } else if let Some(e) = table.get_mut(&k) {
                e.failures = e.failures.saturating_sub(1);
            }
        }
    }

    /// Checks a password on the blocking pool, behind the semaphore; an unknown account
    /// (`None`) is checked against a dummy hash so that it takes as long, and fails.
    pub async fn check_password(self: &Arc<Self>, password: String, hash: Option<String>) -> bool {
        let Ok(_permit) = self.hashing.acquire().await else {
            return false;
        };
        let this = Arc::clone(self);
        tokio::task::spawn_blocking(move || match hash {
            Some(hash) => verify_password(&password, &hash),
            None => {
                let _ = verify_password(&password, this.dummy_hash());
                false
            }
        })
        .await
        .unwrap_or(false)
    }

    fn dummy_hash(&self) -> &str {
        self.dummy.get_or_init(|| {
            // A fixed salt is fine: nothing ever matches this hash; only its cost counts.
            SaltString::encode_b64(&[7u8; 16])
                .ok()
                .and_then(|salt| {
                    Argon2::default()
                        .hash_password(b"no account has this password", &salt)
                        .ok()
                        .map(|h| h.to_string())
                })
                .unwrap_or_default()
        })
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.table.lock().map_or(0, |t| t.len())
    }
}

/// Frees room for `needed` entries: expired ones go first, then the least recently
/// failed. A flood of made-up e-mails thus pushes out its own entries, while the flood's
/// address, failing on every request, stays.
fn make_room(table: &mut HashMap<Key, Entry>, needed: usize, now: Timestamp) {
    if table.len() + needed <= MAX_ENTRIES {
        return;
    }
    table.retain(|_, e| !e.expired(now));
    while table.len() + needed > MAX_ENTRIES {
        let Some(oldest) = table
            .iter()
            .min_by_key(|(_, e)| e.last)
            .map(|(k, _)| k.clone())
        else {
            return;
        };
        table.remove(&oldest);
    }
}

/// The client's address, when the server was started with connection info (as `trellis
/// serve` is); without it, only the account keys count.
pub struct ClientAddr(Option<IpAddr>);

impl ClientAddr {
    pub fn ip(&self) -> Option<IpAddr> {
        self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
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

/// A signed-in user, with the CSRF token their forms carry, the programs the account
/// reaches, and the program the requested page belongs to (when it names an event or a
/// demo; see `scope`).
pub struct SignedIn {
    pub user: User,
    pub csrf: String,
    pub access: Access,
    pub program: Option<ProgramId>,
    token: String,
}

impl SignedIn {
    pub fn ctx(&self, state: &AppState) -> Ctx {
        Ctx::new(self.user.name.clone(), state.now())
    }

    /// Organizers and admins act; viewers read. On a page about one program, the role
    /// there counts; elsewhere, whether the account may change any program at all.
    pub fn may_act(&self) -> bool {
        match self.program {
            Some(p) => self.access.may_act_on(p),
            None => self.access.may_act_somewhere(),
        }
    }

    /// Whether the account may change `program` (a form that names its program).
    pub fn may_act_on(&self, program: ProgramId) -> bool {
        self.access.may_act_on(program)
    }

    /// Refuses an account that may change none of the programs an event counts for (a
    /// form naming the event, on a page about no one program).
    pub fn require_act_on_event(&self, hosts: trellis_core::cohost::Hosts) -> Result<(), WebError> {
        if hosts.acted_on_by(&self.access) {
            Ok(())
        } else {
            Err(self.refusal())
        }
    }

    /// Refuses, in words, an account that may not change `program`.
    pub fn require_act_on(&self, program: ProgramId) -> Result<(), WebError> {
        if self.access.may_act_on(program) {
            Ok(())
        } else {
            Err(self.refusal())
        }
    }

    /// Why this account may not change what it asked to change.
    pub(crate) fn refusal(&self) -> WebError {
        WebError::Forbidden(format!(
            "{} may read this program but not change it: viewers read, organizers act.",
            self.user.name
        ))
    }

    /// Checks a form: the session's CSRF token, and a role that may change things.
    pub fn check_form(&self, csrf: &str) -> Result<(), WebError> {
        if csrf.is_empty() || csrf != self.csrf {
            return Err(WebError::Forbidden("This form is out of date or did not come from Trellis. Reload the page and try again.".into()));
        }
        if !self.may_act() {
            return Err(self.refusal());
        }
        Ok(())
    }
}

/// Said to an account that asked for another program's page. It says no more than that:
/// not whose program it is, nor what is on it.
pub(crate) fn out_of_reach() -> WebError {
    WebError::Forbidden(
        "This belongs to a program your account does not reach. An admin can grant it.".into(),
    )
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
            Ok(Some(s)) => {
                let access = state
                    .store
                    .access(&s.user)
                    .await
                    .map_err(|e| WebError::from(e).into_response())?;
                // The program whose role counts here: of a co-hosted event, the one
                // through which the account reaches it.
                let program = match parts.extensions.get::<crate::scope::ProgramScope>() {
                    Some(scope) => match scope.0.reached_by(&access) {
                        Some(p) => Some(p),
                        None => return Err(out_of_reach().into_response()),
                    },
                    None => None,
                };
                Ok(SignedIn {
                    user: s.user,
                    csrf: s.csrf,
                    access,
                    program,
                    token,
                })
            }
            Ok(None) => Err(to_login()),
            Err(e) => Err(WebError::from(e).into_response()),
        }
    }
}

/// What a path keeps unencoded inside a query parameter: RFC 3986's unreserved
/// characters and `/`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a path for a query parameter.
fn encode(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// What a `Location` header may not hold raw: controls, space, and (always, by the crate)
/// anything outside ASCII, so a safe path can never make an invalid header.
const LOCATION: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>');

/// Only a local path is a safe place to go after logging in: one leading `/`, not followed
/// by `/` or `\`, no `\` at all, and no control or whitespace character — judged on the
/// value as given and after each round of percent-decoding. Browsers drop tabs and line
/// breaks from URLs and read `\` as `/`, so `/\t/evil.example` or `/%5Cevil.example` would
/// otherwise leave the site; and a CR/LF must never reach a header. Anything else is `/`.
fn safe_next(next: Option<&str>) -> String {
    fn local(s: &str) -> bool {
        let mut chars = s.chars();
        chars.next() == Some('/')
            && !matches!(chars.next(), Some('/' | '\\'))
            && !s
                .chars()
                .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
    }
    let Some(next) = next else {
        return "/".to_owned();
    };
    // Decoding rounds are bounded: a value still changing after a few is refused anyway.
    let mut current = std::borrow::Cow::Borrowed(next);
    for _ in 0..4 {
        if !local(&current) {
            return "/".to_owned();
        }
        let decoded = percent_decode_str(&current)
            .decode_utf8_lossy()
            .into_owned();
        if decoded == *current {
            return utf8_percent_encode(next, LOCATION).to_string();
        }
        current = std::borrow::Cow::Owned(decoded);
    }
    "/".to_owned()
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The login form's pre-session token lives in this cookie and in the form (a double
/// submit, as on the public pages): a page on another site can neither read the cookie
/// nor set it, so it cannot log a browser into an account of its choosing.
const LOGIN_COOKIE: &str = "trellis_login";

fn login_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    format!("{LOGIN_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=86400{secure}")
}

pub async fn login_page(
    State(state): State<AppState>,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    let next = safe_next(q.next.as_deref());
    let csrf = trellis_store::web::secret()?;
    let html = Login {
        css: crate::assets::CSS_PATH,
        next: &next,
        csrf: &csrf,
        error: None,
        email: "",
    }
    .render()?;
    Ok(([(SET_COOKIE, login_cookie(&state, &csrf))], Html(html)).into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
    #[serde(default)]
    csrf: String,
}

pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    match cookie_value(&headers, LOGIN_COOKIE) {
        Some(c) if !c.is_empty() && c == f.csrf => {}
        _ => {
            return Err(WebError::Forbidden(
                "This login form is out of date or did not come from Trellis. Reload the page and log in again.".into(),
            ));
        }
    }
    let now = state.now();
    let next = safe_next(f.next.as_deref());
    let fail = |status: StatusCode, msg: &str, email: &str| -> Result<Response, WebError> {
        let html = Login {
            css: crate::assets::CSS_PATH,
            next: &next,
            // The token matched its cookie, which stays: the form may be sent again.
            csrf: &f.csrf,
            error: Some(msg),
            email,
        }
        .render()?;
        Ok((status, Html(html)).into_response())
    };
    // Before anything is counted, looked up or hashed: the table's keys stay small.
    if f.email.len() > MAX_EMAIL_BYTES {
        return fail(
            StatusCode::BAD_REQUEST,
            "That is not an e-mail address: it is too long.",
            "",
        );
    }
    let key = f.email.trim().to_lowercase();
    let attempt = match state.throttle.begin(&key, addr, now) {
        Ok(a) => a,
        Err(secs) => {
            let mut r = fail(
                StatusCode::TOO_MANY_REQUESTS,
                &format!("Too many failed attempts. Try again in {secs} seconds."),
                &f.email,
            )?;
            r.headers_mut().insert(RETRY_AFTER, HeaderValue::from(secs));
            return Ok(r);
        }
    };
    let found = state.store.user_for_login(&key).await?;
    let (user, hash) = found.map_or((None, None), |(u, h)| (Some(u), Some(h)));
    // Checked even for an unknown account (against the dummy): the same time either way.
    let matches = state.throttle.check_password(f.password, hash).await;
    let Some(user) = user.filter(|_| matches) else {
        return fail(
            StatusCode::UNAUTHORIZED,
            "That e-mail and password do not match.",
            &f.email,
        );
    };
    state.throttle.succeeded(attempt);
    // Expired sessions go as new ones come: the table holds live sessions only.
    state.store.prune_sessions(now).await?;
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
        assert_eq!(safe_next(Some("/?program=all")), "/?program=all");
        assert_eq!(safe_next(Some("/events/3%2F4")), "/events/3%2F4");
        assert_eq!(safe_next(Some("/Zoë")), "/Zo%C3%AB", "non-ASCII is encoded");
        assert_eq!(safe_next(None), "/");
        // The usual list goes through a real login in the HTTP tests; these are the rest.
        for bad in [
            "",
            "events",
            "/%2F/evil.example",
            "/%255C%255Cevil.example",
            "/a b",
            "/x\u{1b}",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
    }

    fn at(secs: i64) -> Timestamp {
        "2026-11-24T12:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_secs(secs)
    }

    const ME: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1)));
    const THEM: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2)));

    #[test]
    fn failures_delay_the_next_try_exponentially_never_for_good() {
        let t = Throttle::default();
        for _ in 0..5 {
            assert!(t.begin("a@x.org", THEM, at(0)).is_ok());
        }
        assert_eq!(t.begin("a@x.org", THEM, at(0)).err(), Some(1));
        assert!(t.begin("a@x.org", THEM, at(1)).is_ok(), "after a second");
        assert_eq!(t.begin("a@x.org", THEM, at(1)).err(), Some(2), "then two");
        assert!(t.begin("a@x.org", THEM, at(3)).is_ok());
        assert_eq!(t.begin("a@x.org", THEM, at(3)).err(), Some(4), "then four");
        // Someone else's guesses from another address do not slow the real user.
        assert!(t.begin("a@x.org", ME, at(3)).is_ok());
        // Nor do they touch another account.
        assert!(t.begin("b@x.org", THEM, at(3)).is_ok());
        // The wait never passes its cap, and the table forgets.
        for i in 0..40 {
            let _ = t.begin("a@x.org", THEM, at(10_000 * i));
        }
        let wait = t.begin("a@x.org", THEM, at(400_000)).err().unwrap_or(0);
        assert!(wait <= 15 * 60, "{wait}");
        assert!(t.begin("a@x.org", THEM, at(400_000 + 2 * 3600)).is_ok());
    }

    #[test]
    fn a_success_starts_the_pair_afresh_but_not_the_address() {
        let t = Throttle::default();
        for _ in 0..4 {
            t.begin("a@x.org", THEM, at(0)).unwrap();
        }
        let ok = t.begin("a@x.org", THEM, at(0)).unwrap();
        t.succeeded(ok);
        for _ in 0..5 {
            assert!(t.begin("a@x.org", THEM, at(0)).is_ok());
        }
        // The address over all accounts still remembers: 4 + 5 failures, and 11 more
        // from it reach its allowance of 20, whatever accounts they name.
        for i in 0..11 {
            assert!(t.begin(&format!("u{i}@x.org"), THEM, at(0)).is_ok(), "{i}");
        }
        assert!(t.begin("fresh@x.org", THEM, at(0)).is_err());
        assert!(t.begin("fresh@x.org", ME, at(0)).is_ok());
    }

    #[test]
    fn without_an_address_the_account_wide_key_still_counts() {
        let t = Throttle::default();
        for _ in 0..50 {
            t.begin("a@x.org", None, at(0)).unwrap();
        }
        assert_eq!(t.begin("a@x.org", None, at(0)).err(), Some(1));
        assert!(t.begin("a@x.org", None, at(1)).is_ok());
    }

    #[test]
    fn the_table_is_bounded() {
        let t = Throttle::default();
        for i in 0..(MAX_ENTRIES + 500) {
            let _ = t.begin(&format!("{i}@x.org"), None, at(0));
        }
        assert!(t.len() <= MAX_ENTRIES, "{}", t.len());
        // A flood from one address is slowed whatever e-mails it names, and forgotten later.
        let t = Throttle::default();
        for i in 0..(MAX_ENTRIES / 2) {
            let _ = t.begin(&format!("{i}@x.org"), THEM, at(i64::try_from(i).unwrap()));
        }
        assert!(t.len() <= MAX_ENTRIES);
        assert!(
            t.begin("new@x.org", THEM, at(100_000)).is_ok(),
            "expired by then"
        );
    }

    #[tokio::test]
    async fn unknown_accounts_are_checked_against_a_dummy() {
        let t = Arc::new(Throttle::default());
        assert!(t.dummy_hash().starts_with("$argon2id$"));
        let h = hash_password("correct horse").unwrap();
        assert!(
            t.check_password("correct horse".into(), Some(h.clone()))
                .await
        );
        assert!(!t.check_password("wrong".into(), Some(h)).await);
        assert!(
            !t.check_password("no account has this password".into(), None)
                .await
        );
    }
}
