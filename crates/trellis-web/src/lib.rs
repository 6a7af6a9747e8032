//! The web app: server-rendered pages for organizers, two public pages for presenters and
//! attendees, and a small JSON API — all over the same store and the same gate engine as
//! the CLI. Every asset is embedded; nothing loads from elsewhere; pages read with
//! JavaScript off.

mod admin;
mod admin_notify;
mod api;
mod assets;
mod auth;
mod calendar;
mod chapter;
mod error;
mod pages;
mod public;
mod reasons;
mod scope;
mod svg;
mod trace;
mod unsubscribe;
mod views;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use jiff::Timestamp;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use trellis_core::ProgramId;
use trellis_store::Store;

pub use auth::{hash_password, verify_password};

/// A review's printable page as one self-contained HTML file (its style inside): what
/// `trellis review show <ID> --format html` writes, the same page as `/reviews/{id}/print`.
pub fn review_html(r: trellis_app::reviews::ReviewView, scope: String) -> Result<String, WebError> {
    pages::reviews::print_document(r, scope, Some(assets::CSS))
}
pub use error::WebError;

/// Everything a request handler needs. The clock is injected so that tests (and a
/// pinned `TRELLIS_NOW`) control time.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Where the app is reached from outside: links in messages, and whether cookies
    /// are marked `Secure`.
    pub public_url: String,
    pub clock: fn() -> Timestamp,
    pub(crate) throttle: Arc<auth::Throttle>,
    /// Hands raised on the public pages, counted per client address.
    pub(crate) hands: Arc<chapter::HandLimit>,
    /// The dashboard's data per scope, read at most every [`BLOCK_SECONDS`] or after a
    /// change made through this server: figures from a year of history need not be
    /// recomputed for every page view. Another server's change shows within that time
    /// (plus one recompute: a stale block is served while it is read anew).
    cache: Arc<Mutex<BlockCache>>,
    computing: Arc<tokio::sync::Mutex<()>>,
    /// Moves on with every invalidation, so that a background refresh begun before a
    /// change does not put its older block back.
    generation: Arc<AtomicU64>,
    /// The metrics page's figures per scope (`pages::metrics`), kept like the dashboard's.
    pub(crate) metrics: Arc<Mutex<pages::MetricsCache>>,
    pub(crate) metrics_computing: Arc<tokio::sync::Mutex<()>>,
    /// The SMTP server `serve` was configured with, if any: follow-ups are then also sent
    /// by e-mail from their page.
    pub(crate) mailer: Option<trellis_mail::Mailer>,
}

/// Per scope (a program, or all), when the dashboard's data was read, and the data.
type BlockCache = HashMap<Option<ProgramId>, (Timestamp, Arc<pages::DashData>)>;

const BLOCK_SECONDS: i64 = 10;

/// The largest request body the app reads, but for routes that set their own: its forms
/// are a few fields (axum's default is 2 MB; a 1.5 MB e-mail once reached the login).
pub const FORM_BODY_BYTES: usize = 16 << 10;

impl AppState {
    pub fn new(store: Store, public_url: &str, clock: fn() -> Timestamp) -> AppState {
        AppState {
            store,
            public_url: public_url.trim_end_matches('/').to_owned(),
            clock,
            throttle: Arc::default(),
            hands: Arc::default(),
            cache: Arc::default(),
            computing: Arc::default(),
            generation: Arc::default(),
            metrics: Arc::default(),
            metrics_computing: Arc::default(),
            mailer: None,
        }
    }

    /// Moves on with every change made through this server (see `invalidate`).
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// With the mail server that sends follow-ups from their page.
    pub fn with_mailer(mut self, mailer: Option<trellis_mail::Mailer>) -> AppState {
        self.mailer = mailer;
        self
    }

    pub(crate) async fn dashboard_data(
        &self,
        program: Option<ProgramId>,
    ) -> Result<Arc<pages::DashData>, WebError> {
        let now = self.now();
        let cached = self
            .cache
            .lock()
            .ok()
            .and_then(|cache| cache.get(&program).cloned());
        if let Some((at, block)) = cached {
            if now.duration_since(at).as_secs() >= BLOCK_SECONDS {
                // Stale: served as it is, while one background task reads it anew. A
                // request never waits on a recompute it did not need (on the large sample
                // the org-wide block once held every request for seconds).
                self.refresh(program);
            }
            return Ok(block);
        }
        // Never computed (or invalidated by a change made here): this is the only wait,
        // and one request computes while the others that arrive meanwhile wait for it.
        let _computing = self.computing.lock().await;
        if let Some((_, block)) = self
            .cache
            .lock()
            .ok()
            .and_then(|cache| cache.get(&program).cloned())
        {
            return Ok(block);
        }
        let block = Arc::new(pages::read_dash(self, program).await?);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(program, (now, block.clone()));
        }
        Ok(block)
    }

    /// Recomputes a scope's block in the background, unless a computation is already
    /// running (then that one's result will do).
    fn refresh(&self, program: Option<ProgramId>) {
        let Ok(guard) = self.computing.clone().try_lock_owned() else {
            return;
        };
        let this = self.clone();
        tokio::spawn(async move {
            let _computing = guard;
            let now = this.now();
            let generation = this.generation.load(Ordering::SeqCst);
            // A failed refresh keeps the stale block; the next stale request tries again.
            if let Ok(block) = pages::read_dash(&this, program).await
                && let Ok(mut cache) = this.cache.lock()
                && this.generation.load(Ordering::SeqCst) == generation
            {
                cache.insert(program, (now, Arc::new(block)));
            }
        });
    }

    pub(crate) fn invalidate(&self) {
        if let Ok(mut cache) = self.cache.lock() {
            self.generation.fetch_add(1, Ordering::SeqCst);
            cache.clear();
        }
    }

    pub(crate) fn now(&self) -> Timestamp {
        (self.clock)()
    }

    pub(crate) fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// The whole app.
pub fn router(state: AppState) -> Router {
    let https = state.secure_cookies();
    let app = Router::new()
        .merge(scoped(&state))
        .route("/login", get(auth::login_page).post(auth::login))
        .route(
            "/c/{token}",
            get(public::contract).post(public::accept_contract),
        )
        .route(
            "/f/{token}",
            get(public::followup)
                .post(public::answer_followup)
                .layer(DefaultBodyLimit::max(public::ANSWER_BODY_BYTES)),
        )
        .route("/p/{slug}", get(chapter::page).post(chapter::raise))
        .route("/p/{slug}/events/{file}", get(chapter::event_ics))
        .route(
            "/u/{token}",
            get(unsubscribe::confirm).post(unsubscribe::unsubscribe),
        )
        .merge(calendar::routes())
        .route(assets::CSS_PATH, get(assets::css))
        .fallback(error::not_found)
        // Every other body is a small form (a route that needs more says so above).
        .layer(DefaultBodyLimit::max(FORM_BODY_BYTES))
        .layer(axum::middleware::map_response(assets::security_headers));
    // Only when the public URL is https: over plain http the header would be ignored,
    // and on a loopback test it would pin a browser to https for a year.
    let app = if https {
        app.layer(axum::middleware::map_response(assets::hsts))
    } else {
        app
    };
    // Outermost, so that it sees every request and every response, errors included.
    app.layer(axum::middleware::from_fn(trace::requests))
        .with_state(state)
}

/// The routes behind a session or an API token. Their responses are never stored by a
/// browser or a proxy, so Back after logging out shows nothing.
fn signed_in() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::dashboard::dashboard))
        .merge(pages::retro::routes())
        .merge(pages::followups::routes())
        .route("/logout", post(auth::logout))
        .route("/admin", get(admin::show))
        .route("/admin/users", post(admin::add_user))
        .route("/admin/programs/{id}", post(admin::settings))
        .merge(admin_notify::routes())
        .merge(pages::outbox::routes())
        .route("/events", get(pages::events::events))
        .route(
            "/events/new",
            get(pages::plan::plan_form).post(pages::plan::plan),
        )
        .route("/events/{id}", get(pages::event::event))
        .route(
            "/imports",
            get(pages::imports::imports)
                .post(pages::imports::upload)
                .layer(DefaultBodyLimit::max(pages::imports::UPLOAD_BYTES)),
        )
        .route("/imports/confirm", post(pages::imports::confirm))
        .route("/people", get(pages::people::people))
        .route("/people/duplicates", get(pages::identity::duplicates))
        .route(
            "/people/merge",
            get(pages::identity::confirm_merge).post(pages::identity::merge),
        )
        .route("/people/{id}/unmerge", post(pages::identity::unmerge))
        .route(
            "/people/{id}/forget",
            get(pages::identity::confirm_forget).post(pages::identity::forget),
        )
        .route("/people/{id}", get(pages::people::person))
        .route("/people/{id}/export.json", get(pages::people::export))
        .route(
            "/events/{id}/demos",
            get(pages::propose::form).post(pages::propose::submit),
        )
        .route("/events/{id}/door", get(pages::door::door))
        .route("/events/{id}/door/walk-in", post(pages::door::walk_in))
        .route(
            "/events/{id}/door/{person}/check-in",
            get(pages::door::confirm_declined).post(pages::door::check_in),
        )
        .route("/events/{id}/door/{person}/undo", post(pages::door::undo))
        .route(
            "/events/{id}/step",
            get(pages::step::confirm_step).post(pages::step::event_step),
        )
        .route("/events/{id}/listened", post(pages::chat::event_listened))
        .route(
            "/events/{id}/attend/{person}",
            post(pages::attend::check_in),
        )
        .route("/demos/{id}/{action}", post(pages::demo::demo_action))
        .merge(pages::board::routes())
        .merge(pages::sparks::routes())
        .merge(pages::checkin::routes())
        .merge(pages::cohost::routes())
        .merge(pages::reviews::routes())
        .route("/api/events", get(api::events))
        .route("/api/events/{id}", get(api::event))
        .route("/api/metrics", get(api::metrics))
        .merge(pages::metrics::routes())
        .merge(pages::listen::routes())
        .merge(pages::organizers::routes())
        .layer(axum::middleware::map_response(assets::no_store))
}

/// Every signed-in route, with the program a page is about found first (see `scope`).
fn scoped(state: &AppState) -> Router<AppState> {
    signed_in().route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        scope::resolve,
    ))
}
