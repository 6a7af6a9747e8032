use super::Env;
use crate::cli::{GrantRole, RoleArg, ServeArgs, TokenCmd, UserCmd};
use crate::output::instant;
use crate::output::table;
use anyhow::Context as _;
use std::io::{IsTerminal, Read, Write};
use trellis_app::accounts::{ApiToken, SessionInfo, User};
use trellis_core::CoreError;
use trellis_core::access::Role;

/// The sample organizer that `serve --sample` creates: a known login for a first look.
const SAMPLE_EMAIL: &str = "organizer@trellis.example";
const SAMPLE_PASSWORD: &str = "demo-nights-are-fun";

/// Where the server's log goes: stderr, filtered by `TRELLIS_LOG` (or `RUST_LOG`), e.g.
/// `TRELLIS_LOG=debug` or `TRELLIS_LOG=trellis_web=info,sqlx=warn`. By default each
/// request's line and every internal error's detail (under the request's id) show.
fn init_log() {
    use tracing_subscriber::EnvFilter;
    let filter = ["TRELLIS_LOG", "RUST_LOG"]
        .into_iter()
        .find_map(|var| EnvFilter::try_from_env(var).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    // Fails only if a subscriber is already set (a second serve in one process): that
    // one keeps logging.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

pub async fn run(env: &Env, a: ServeArgs) -> anyhow::Result<()> {
    init_log();
    let public_url = a
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", a.addr));
    let mut login = None;
    if a.sample {
        if env.store.list_programs().await?.is_empty() {
            super::sample::load(env, trellis_sample::Size::Small, 1, None).await?;
        } else {
            eprintln!("note: the database already holds programs; the sample was not loaded again");
        }
        if env.store.user_for_login(SAMPLE_EMAIL).await?.is_none() {
            let hash = trellis_web::hash_password(SAMPLE_PASSWORD)
                .map_err(|e| CoreError::at("password", e))?;
            env.store
                .create_user(
                    &env.ctx,
                    SAMPLE_EMAIL,
                    "Sample Organizer",
                    Role::Admin,
                    &hash,
                )
                .await?;
            // Also an organizer of the sample's programs, so that the check-in (which is
            // an organizer's) can be tried as the sample account.
            let programs = env.store.program_ids().await?;
            let known = env
                .store
                .organizers()
                .await?
                .iter()
                .any(|o| o.email.as_deref() == Some(SAMPLE_EMAIL));
            if !known {
                env.store
                    .add_organizer(&env.ctx, "Sample Organizer", Some(SAMPLE_EMAIL), &programs)
                    .await?;
            }
        }
        login = Some((SAMPLE_EMAIL, SAMPLE_PASSWORD));
    }
    // Checked before listening: a bad SMTP URL, a refused login or an unreachable server
    // is an error at start, not a silent failure at the first reminder.
    let mailer = super::mail::config(&a.mail)?
        .map(|c| trellis_mail::Mailer::new(&c))
        .transpose()?;
    if let Some(m) = &mailer {
        m.verify().await?;
    }
    super::notify::spawn_scheduler(
        env.store.clone(),
        mailer.clone(),
        public_url.clone(),
        a.notify_every,
    );
    let listener = tokio::net::TcpListener::bind(&a.addr)
        .await
        .with_context(|| format!("--addr {}: cannot listen there", a.addr))?;
    let local = listener.local_addr()?;
    let state = trellis_web::AppState::new(env.store.clone(), &public_url, super::clock_now)
        .with_mailer(mailer);
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Trellis is serving {} on http://{local}",
        env.store.target()
    )?;
    if let Some((email, password)) = login {
        writeln!(out, "sample login: {email} / {password}")?;
    }
    out.flush()?;
    drop(out);
    // With each connection's address: login throttling counts per client address.
    let app =
        trellis_web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

fn read_password(from_stdin: bool, whose: &str) -> anyhow::Result<String> {
    let mut pw = String::new();
    if from_stdin {
        std::io::stdin()
            .read_to_string(&mut pw)
            .context("reading the password from standard input")?;
    } else if std::io::stdin().is_terminal() {
        pw = rpassword::prompt_password(format!("password for {whose}: "))
            .context("reading the password")?;
        let again =
            rpassword::prompt_password("the same again: ").context("reading the password")?;
        if again != pw {
            return Err(CoreError::at("password", "the two entries differ").into());
        }
    } else {
        return Err(CoreError::at("--password-stdin", "is needed when not on a terminal").into());
    }
    let pw = pw.trim_end_matches(['\r', '\n']).to_owned();
    if pw.chars().count() < 10 {
        return Err(CoreError::at("password", "must be at least 10 characters").into());
    }
    Ok(pw)
}

pub async fn user(env: &Env, cmd: UserCmd) -> anyhow::Result<()> {
    match cmd {
        UserCmd::Add {
            email,
            name,
            role,
            password_stdin,
            programs,
        } => add_user(env, &email, &name, role, password_stdin, &programs).await,
        UserCmd::Grant {
            user,
            program,
            role,
        } => {
            let role = match role {
                GrantRole::Organizer => Role::Organizer,
                GrantRole::Viewer => Role::Viewer,
            };
            let u =
                trellis_app::accounts::grant(&env.store, &env.ctx, &user, &program, role).await?;
            env.out.emit(&serde_json::json!({ "user": u }), || {
                format!("{} <{}> now reaches: {}", u.name, u.email, u.reach())
            })
        }
        UserCmd::RevokeGrant { user, program } => {
            let (u, had) =
                trellis_app::accounts::revoke_grant(&env.store, &env.ctx, &user, &program).await?;
            env.out
                .emit(&serde_json::json!({ "user": u, "revoked": had }), || {
                    let was = if had { "" } else { " (it had no grant there)" };
                    format!("{} <{}> now reaches: {}{was}", u.name, u.email, u.reach())
                })
        }
        UserCmd::Disable { user } => {
            let (u, ended) = env.store.set_user_disabled(&env.ctx, &user, true).await?;
            changed(env, u.into(), ended, "disabled: cannot log in")
        }
        UserCmd::Enable { user } => {
            let (u, _) = env.store.set_user_disabled(&env.ctx, &user, false).await?;
            let u = User::from(u);
            env.out.emit(&serde_json::json!({ "user": u }), || {
                format!("user {} ({}) enabled: may log in again", u.id, u.email)
            })
        }
        UserCmd::Password {
            user,
            password_stdin,
        } => {
            // The user must exist before a password is asked for.
            let found = env.store.user(&user).await?;
            let pw = read_password(password_stdin, &found.email)?;
            let hash = trellis_web::hash_password(&pw).map_err(|e| CoreError::at("password", e))?;
            let (u, ended) = env.store.set_user_password(&user, &hash).await?;
            changed(env, u.into(), ended, "password set")
        }
        UserCmd::Remove { user } => {
            let (u, ended) = env.store.remove_user(&env.ctx, &user).await?;
            changed(env, u.into(), ended, "removed: kept anonymised")
        }
        UserCmd::Sessions { user, revoke } => sessions(env, &user, revoke).await,
        UserCmd::List => {
            let users = trellis_app::accounts::users(&env.store).await?;
            env.out.emit(&users, || {
                table(
                    &["ID", "NAME", "E-MAIL", "REACHES"],
                    users
                        .iter()
                        .map(|u| vec![u.id.to_string(), u.name.clone(), u.email.clone(), u.reach()])
                        .collect(),
                )
            })
        }
    }
}

async fn add_user(
    env: &Env,
    email: &str,
    name: &str,
    role: RoleArg,
    password_stdin: bool,
    programs: &[String],
) -> anyhow::Result<()> {
    let role = match role {
        RoleArg::Admin => Role::Admin,
        RoleArg::Organizer => Role::Organizer,
        RoleArg::Viewer => Role::Viewer,
    };
    let pw = read_password(password_stdin, "the new user")?;
    let hash = trellis_web::hash_password(&pw).map_err(|e| CoreError::at("password", e))?;
    let new = trellis_app::accounts::NewUser {
        email,
        name,
        role,
        password_hash: &hash,
    };
    let u = trellis_app::accounts::add_user(&env.store, &env.ctx, new, programs).await?;
    env.out
        .emit(&serde_json::json!({ "id": u.id, "user": u }), || {
            format!(
                "user {} added: {} <{}>, {}",
                u.id,
                u.name,
                u.email,
                u.reach()
            )
        })
}

async fn sessions(env: &Env, user: &str, revoke: bool) -> anyhow::Result<()> {
    let (u, sessions) = env.store.user_sessions(user, env.ctx.now).await?;
    let u = User::from(u);
    let sessions: Vec<SessionInfo> = trellis_app::views(sessions);
    let ended = if revoke {
        env.store.end_user_sessions(user).await?.1
    } else {
        0
    };
    let value = serde_json::json!({
        "user": u,
        "sessions": sessions,
        "revoked": ended,
    });
    env.out.emit(&value, || {
        let mut s = if sessions.is_empty() {
            format!("{} has no live session", u.email)
        } else {
            table(
                &["CREATED", "EXPIRES"],
                sessions
                    .iter()
                    .map(|x| vec![instant(x.created_at), instant(x.expires_at)])
                    .collect(),
            )
        };
        if revoke {
            s.push_str(&format!("\n{ended} session(s) ended"));
        }
        s
    })
}

/// What a change to a user that ends their sessions prints: `{"user", "sessions_ended"}`.
fn changed(env: &Env, u: User, ended: u64, what: &str) -> anyhow::Result<()> {
    let value = serde_json::json!({ "user": u, "sessions_ended": ended });
    env.out.emit(&value, || {
        format!(
            "user {} ({}) {what}; {ended} session(s) ended",
            u.id, u.email
        )
    })
}

pub async fn token(env: &Env, cmd: TokenCmd) -> anyhow::Result<()> {
    match cmd {
        TokenCmd::Create { name, program } => {
            let (id, token, program) = trellis_app::accounts::create_token(
                &env.store,
                &env.ctx,
                &name,
                program.as_deref(),
            )
            .await?;
            let value = serde_json::json!({
                "id": id,
                "token": token,
                "program_id": program.as_ref().map(|p| p.id),
                "program": program.as_ref().map(|p| &p.name),
            });
            let scope = program.map_or("every program".to_owned(), |p| p.name);
            env.out.emit(&value, || {
                format!("API token {id} ({name}, reads {scope}), shown once:\n{token}\nuse it as: Authorization: Bearer {token}")
            })
        }
        TokenCmd::List => {
            let tokens = trellis_app::accounts::tokens(&env.store).await?;
            env.out.emit(&tokens, || {
                if tokens.is_empty() {
                    return "no API tokens: `trellis token create --name <NAME>`".to_owned();
                }
                table(
                    &["ID", "NAME", "PROGRAM", "CREATED", "BY", "REVOKED"],
                    tokens
                        .iter()
                        .map(|t| {
                            vec![
                                t.id.to_string(),
                                t.name.clone(),
                                t.scope().to_owned(),
                                instant(t.created_at),
                                t.created_by.clone(),
                                t.revoked_at.map_or("–".to_owned(), instant),
                            ]
                        })
                        .collect(),
                )
            })
        }
        TokenCmd::Revoke { id } => {
            let id = super::parse_id("ID", &id)?;
            let t = ApiToken::from(env.store.revoke_api_token(&env.ctx, id).await?);
            env.out.emit(&t, || {
                format!(
                    "API token {} ({}) revoked: it no longer works",
                    t.id, t.name
                )
            })
        }
    }
}
