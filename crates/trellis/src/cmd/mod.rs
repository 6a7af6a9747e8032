//! One module per command group; each turns arguments into store calls and prints.

mod attend;
mod board;
mod calendar;
mod chat;
mod demo;
mod dump;
mod event;
mod followup;
mod import;
mod listen;
mod mail;
mod metrics;
mod notify;
mod organizer;
mod outbox;
mod person;
mod program;
mod retro;
mod review;
mod sample;
mod serve;
mod spark;

use crate::cli::{Cli, Command};
use crate::output::Out;
use anyhow::Context as _;
use jiff::Timestamp;
use trellis_core::CoreError;
use trellis_store::{Ctx, Store};

/// Everything a command needs.
pub struct Env {
    pub store: Store,
    pub ctx: Ctx,
    pub out: Out,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    // Chat commands read files only: they run before (and without) the clock and the store.
    let cli = match cli.command {
        Command::Chat(c) => {
            return chat::run(
                c,
                Out {
                    json: cli.global.json,
                },
            );
        }
        // `mail test` needs a mail server, not the database.
        Command::Mail(c) => {
            return mail::run(
                c,
                Out {
                    json: cli.global.json,
                },
            )
            .await;
        }
        command => Cli { command, ..cli },
    };
    let now = clock()?;
    let actor = cli
        .global
        .actor
        .clone()
        .filter(|a| !a.trim().is_empty())
        .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "organizer".to_owned());
    // A server answers many requests at once; a command needs a connection or two.
    let connections = if matches!(cli.command, Command::Serve(_)) {
        16
    } else {
        4
    };
    let store = Store::open_with(&cli.global.db, connections).await?;
    let env = Env {
        store,
        ctx: Ctx::new(actor, now),
        out: Out {
            json: cli.global.json,
        },
    };
    let result = match cli.command {
        Command::Program(c) => program::run(&env, c).await,
        Command::Person(c) => person::run(&env, c).await,
        Command::Event(c) => event::run(&env, c).await,
        Command::Attend(a) => attend::run(&env, a).await,
        Command::Demo(c) => demo::run(&env, c).await,
        Command::Sample(a) => sample::run(&env, a).await,
        Command::Retro(c) => retro::run(&env, c).await,
        Command::Followup(c) => followup::run(&env, c).await,
        Command::Board(a) => board::run(&env, a).await,
        Command::Spark(c) => spark::run(&env, c).await,
        Command::Organizer(c) => organizer::run(&env, c).await,
        Command::Checkin(a) => organizer::checkin(&env, a).await,
        Command::Review(c) => review::run(&env, c).await,
        Command::Calendar { program } => calendar::run(&env, program).await,
        Command::Metrics(a) => metrics::run(&env, a).await,
        Command::Serve(a) => serve::run(&env, a).await,
        Command::User(c) => serve::user(&env, c).await,
        Command::Token(c) => serve::token(&env, c).await,
        Command::Import(a) => import::run(&env, a).await,
        Command::Imports { event } => import::list(&env, event).await,
        Command::Export {
            output: _,
            csv: Some(dir),
        } => dump::export_csv(&env, &dir).await,
        Command::Export { output, csv: None } => dump::export(&env, output).await,
        Command::Restore { file } => dump::restore(&env, file).await,
        Command::Overrides { program } => overrides(&env, program).await,
        Command::Listen(c) => listen::run(&env, c).await,
        Command::Outbox(a) => outbox::run(&env, a).await,
        Command::Notify(c) => notify::run(&env, c).await,
        // Routed above, before the store is opened; kept here so the match stays total.
        Command::Chat(c) => chat::run(c, env.out),
        Command::Mail(c) => mail::run(c, env.out).await,
    };
    env.store.close().await;
    result
}

async fn overrides(env: &Env, program: Option<String>) -> anyhow::Result<()> {
    let program = match program {
        Some(p) => Some(env.store.find_program(&p).await?.id),
        None => None,
    };
    let list = trellis_app::overrides::list(&env.store, program).await?;
    env.out.emit(&list, || {
        if list.is_empty() {
            return "no overrides: every gate was passed by doing the work".into();
        }
        let rows = list
            .iter()
            .map(|o| {
                let subject = match (o.event, o.demo) {
                    (_, Some(d)) => format!("demo {d}"),
                    (Some(e), None) => format!("event {e}"),
                    (None, None) => format!("program {}", o.program),
                };
                vec![
                    crate::output::instant(o.at),
                    o.actor.clone(),
                    o.gate.clone(),
                    subject,
                    o.reason.clone(),
                    o.reasons.join("; "),
                ]
            })
            .collect();
        crate::output::table(
            &[
                "AT",
                "WHO",
                "GATE",
                "ON",
                "REASON GIVEN",
                "WHAT WAS OVERRIDDEN",
            ],
            rows,
        )
    })
}

/// The clock the web app reads on every request: `TRELLIS_NOW` when it is set (it was
/// checked when the command started), else the system clock.
pub fn clock_now() -> Timestamp {
    clock().unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The current time; `TRELLIS_NOW` (RFC 3339) pins it, for tests and for replaying a day.
fn clock() -> anyhow::Result<Timestamp> {
    match std::env::var("TRELLIS_NOW") {
        Ok(v) if !v.trim().is_empty() => v.trim().parse::<Timestamp>().with_context(|| {
            format!("TRELLIS_NOW: {v:?} is not an RFC 3339 time such as 2026-11-24T12:00:00Z")
        }),
        #[allow(clippy::disallowed_methods)] // the binary's edge is where the clock is read
        _ => Ok(Timestamp::now()),
    }
}

/// Reads an id as `list` prints it.
pub fn parse_id(field: &str, raw: &str) -> Result<i64, CoreError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| {
            CoreError::invalid(
                field,
                raw,
                "is not an id (a positive number, as `list` prints it)",
            )
        })
}
