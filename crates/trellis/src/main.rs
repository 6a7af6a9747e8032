//! `trellis`: the binary that wires the core, the store and the sample together, and the
//! only place that knows about exit codes, the clock and the terminal.

mod cli;
mod cmd;
mod output;
mod render;

use clap::Parser;
use std::process::ExitCode;
use trellis_store::{Refusal, StoreError};

/// Exit codes are part of the public contract.
const EXIT_ERROR: u8 = 1;
const EXIT_REFUSED: u8 = 3;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        // clap exits 2 on usage errors and 0 for --help/--version.
        Err(e) => e.exit(),
    };
    let json = cli.global.json;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    match runtime.block_on(cmd::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => match refusal_of(&err) {
            Some(refusal) => {
                report_refusal(refusal, json);
                ExitCode::from(EXIT_REFUSED)
            }
            _ => {
                eprintln!("error: {}", output::visible(&render::error(&err)));
                ExitCode::from(EXIT_ERROR)
            }
        },
    }
}

/// The refusal behind an error, whether the store or a use case returned it.
fn refusal_of(err: &anyhow::Error) -> Option<&Refusal> {
    match err.downcast_ref::<StoreError>() {
        Some(StoreError::Refused(r)) => Some(r),
        _ => match err.downcast_ref::<trellis_app::AppError>() {
            Some(trellis_app::AppError::Store(StoreError::Refused(r))) => Some(r),
            _ => None,
        },
    }
}

/// The reasons go to stderr always; with `--json` the same refusal is also the one JSON
/// value on stdout, so a script can read it.
fn report_refusal(r: &Refusal, json: bool) {
    let what = match r.decision.action {
        trellis_core::gate::Action::Announce => "announcing the event".to_owned(),
        trellis_core::gate::Action::ConfirmDemo(id) => format!("confirming demo {id}"),
        trellis_core::gate::Action::PlanEvent => "planning the next event".to_owned(),
        trellis_core::gate::Action::Close => "closing the event's cycle".to_owned(),
    };
    eprintln!("refused: {what} is blocked by a gate");
    for b in r.decision.blocked() {
        for reason in b.verdict.reasons() {
            eprintln!("  {}: {}", b.gate, output::visible(&render::reason(reason)));
        }
    }
    if r.override_refused {
        eprintln!("an override cannot pass this: a demo slot cannot be sold twice");
    } else if r.decision.overridable() {
        eprintln!(
            "to go ahead anyway: --override \"<reason>\" (stored, and shown at the metric review)"
        );
    }
    if json {
        let refused: Vec<_> = r
            .decision
            .blocked()
            .map(|b| {
                serde_json::json!({
                    "gate": b.gate.as_str(),
                    "reasons": b.verdict.reasons().iter().map(render::reason).collect::<Vec<_>>(),
                    "overridable": b.verdict.reasons().iter().all(|x| x.overridable),
                    "causes": b.verdict.reasons(),
                })
            })
            .collect();
        let value = serde_json::json!({ "refused": refused, "action": r.decision.action.name() });
        if let Ok(text) = serde_json::to_string_pretty(&value) {
            let _ = output::write_stdout(&format!("{text}\n"));
        }
    }
}
