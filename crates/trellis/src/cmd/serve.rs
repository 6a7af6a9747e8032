use super::Env;
use crate::cli::{RoleArg, ServeArgs, TokenCmd, UserCmd};
use crate::output::table;
use anyhow::Context as _;
use std::io::{IsTerminal, Read, Write};
use trellis_core::CoreError;
use trellis_core::access::Role;

/// The sample organizer that `serve --sample` creates: a known login for a first look.
const SAMPLE_EMAIL: &str = "organizer@trellis.example";
const SAMPLE_PASSWORD: &str = "demo-nights-are-fun";

pub async fn run(env: &Env, a: ServeArgs) -> anyhow::Result<()> {
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
        }
        login = Some((SAMPLE_EMAIL, SAMPLE_PASSWORD));
    }
    let listener = tokio::net::TcpListener::bind(&a.addr)
        .await
        .with_context(|| format!("--addr {}: cannot listen there", a.addr))?;
    let local = listener.local_addr()?;
    let state = trellis_web::AppState::new(env.store.clone(), &public_url, super::clock_now);
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

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    let mut pw = String::new();
    if from_stdin {
        std::io::stdin()
            .read_to_string(&mut pw)
            .context("reading the password from standard input")?;
    } else if std::io::stdin().is_terminal() {
        pw = rpassword::prompt_password("password for the new user: ")
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
        } => {
            let role = match role {
                RoleArg::Admin => Role::Admin,
                RoleArg::Organizer => Role::Organizer,
                RoleArg::Viewer => Role::Viewer,
            };
            let pw = read_password(password_stdin)?;
            let hash = trellis_web::hash_password(&pw).map_err(|e| CoreError::at("password", e))?;
            let u = env
                .store
                .create_user(&env.ctx, &email, &name, role, &hash)
                .await?;
            env.out
                .emit(&serde_json::json!({ "id": u.id, "user": u }), || {
                    format!("user {} added: {} <{}> ({})", u.id, u.name, u.email, u.role)
                })
        }
        UserCmd::List => {
            let users = env.store.users().await?;
            env.out.emit(&users, || {
                table(
                    &["ID", "NAME", "E-MAIL", "ROLE"],
                    users
                        .iter()
                        .map(|u| {
                            vec![
                                u.id.to_string(),
                                u.name.clone(),
                                u.email.clone(),
                                u.role.to_string(),
                            ]
                        })
                        .collect(),
                )
            })
        }
    }
}

pub async fn token(env: &Env, cmd: TokenCmd) -> anyhow::Result<()> {
    match cmd {
        TokenCmd::Create { name } => {
            let (id, token) = env.store.create_api_token(&env.ctx, &name).await?;
            env.out.emit(&serde_json::json!({ "id": id, "token": token }), || {
                format!("API token {id} ({name}), shown once:\n{token}\nuse it as: Authorization: Bearer {token}")
            })
        }
    }
}
