//! `trellis import` and `trellis imports`: the file is parsed on a blocking thread
//! (`trellis-import`) while the store writes the records it sends, in one transaction.

use super::{Env, parse_id};
use crate::cli::{Cli, ImportArgs, ImportFormat};
use crate::output::table;
use clap::CommandFactory;
use clap::error::ErrorKind;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;
use trellis_app::import::{ImportFile, ImportReport, import_file};
use trellis_core::EventId;
use trellis_core::import::Platform;
use trellis_import::Progress;
use trellis_store::ImportRequest;

fn usage(msg: &str) -> ! {
    Cli::command()
        .error(ErrorKind::ArgumentConflict, msg)
        .exit()
}

fn platform_of(f: ImportFormat) -> Option<Platform> {
    match f {
        ImportFormat::Luma => Some(Platform::Luma),
        ImportFormat::Eventbrite => Some(Platform::Eventbrite),
        ImportFormat::Meetup => Some(Platform::Meetup),
        ImportFormat::Sessionize => Some(Platform::Sessionize),
        ImportFormat::Pretalx => Some(Platform::Pretalx),
        ImportFormat::Auto => None,
    }
}

/// `PLATFORM FILE`, or `FILE --format X`: the platform (`None` = auto) and the file.
fn what(args: &ImportArgs) -> (Option<Platform>, PathBuf) {
    let (named, file) = match args.args.as_slice() {
        [file] => (None, file.clone()),
        [p, file] => {
            let Some(f) = <ImportFormat as clap::ValueEnum>::from_str(p, true).ok() else {
                usage(&format!(
                    "{p:?} is not a platform (luma, eventbrite, meetup, sessionize, pretalx, auto)"
                ))
            };
            (Some(f), file.clone())
        }
        _ => usage("give PLATFORM FILE, or FILE with --format"),
    };
    let format = match (named, args.format) {
        (Some(a), Some(b)) if a != b => usage(&format!(
            "the platform is named twice, differently ({a:?} and --format {b:?})"
        )),
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => usage(
            "which platform exported the file? `trellis import luma FILE --event ID`, or --format auto",
        ),
    };
    (platform_of(format), PathBuf::from(file))
}

pub async fn run(env: &Env, args: ImportArgs) -> anyhow::Result<()> {
    let (expected, path) = what(&args);
    let event = EventId(parse_id("--event", &args.event)?);
    let req = ImportRequest {
        event,
        file_name: path.display().to_string(),
        dry_run: args.dry_run,
    };
    let progress = Progress::default();
    let bar = progress_bar(env, &path, progress.clone());
    let file = ImportFile {
        path,
        expected,
        request: req,
    };
    let report = import_file(&env.store, &env.ctx, file, Some(progress)).await;
    if let Some((bar, ticker)) = bar {
        ticker.abort();
        bar.finish_and_clear();
    }
    let report = report?;
    env.out.emit(&report, || text(&report))
}

/// A progress bar on stderr for a terminal, fed by the bytes the parser has read.
fn progress_bar(
    env: &Env,
    path: &std::path::Path,
    progress: Progress,
) -> Option<(indicatif::ProgressBar, tokio::task::JoinHandle<()>)> {
    if env.out.json || !std::io::stderr().is_terminal() {
        return None;
    }
    let len = std::fs::metadata(path).ok()?.len();
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(format!("importing {}", path.display()));
    let b = bar.clone();
    let ticker = tokio::spawn(async move {
        loop {
            b.set_position(progress.bytes());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    Some((bar, ticker))
}

fn text(r: &ImportReport) -> String {
    let mut s = if r.dry_run {
        format!(
            "dry run: {} read as a {}; nothing was written\n",
            r.file, r.format
        )
    } else {
        format!(
            "imported {} into event {} (import {})\n",
            r.file,
            r.event,
            r.import.map_or("–".into(), |i| i.to_string())
        )
    };
    s.push_str(&format!("format     {} ({})\n", r.format, r.chosen_because));
    s.push_str(&format!("rows       {} read", r.rows));
    if r.combined > 0 {
        s.push_str(&format!(
            ", {} about a person already seen in the file (combined)",
            r.combined
        ));
    }
    s.push('\n');
    s.push_str(&format!(
        "people     {} new, {} matched ({} by e-mail, {} by {} id)\n",
        r.people_new, r.people_matched, r.matched_by.email, r.matched_by.platform_id, r.platform
    ));
    s.push_str(&format!(
        "{:<10} {} added, {} updated, {} unchanged\n",
        r.kind, r.added, r.updated, r.unchanged
    ));
    if r.presenters_added > 0 {
        s.push_str(&format!("presenters {} added\n", r.presenters_added));
    }
    if r.answers > 0 {
        s.push_str(&format!("answers    {} new or changed\n", r.answers));
    }
    s.push_str(&format!("skipped    {}\n", r.skipped.len()));
    for n in r.skipped.iter().take(50) {
        s.push_str(&format!("  line {}: {}\n", n.line, n.reason));
    }
    if r.skipped.len() > 50 {
        s.push_str(&format!(
            "  … and {} more (--json lists them all)\n",
            r.skipped.len() - 50
        ));
    }
    for n in r.notes.iter().take(50) {
        s.push_str(&format!("note: line {}: {}\n", n.line, n.reason));
    }
    s
}

pub async fn list(env: &Env, event: Option<String>) -> anyhow::Result<()> {
    let event = match event {
        Some(e) => Some(EventId(parse_id("--event", &e)?)),
        None => None,
    };
    let list = trellis_app::import::recorded(&env.store, event).await?;
    env.out.emit(&list, || {
        if list.is_empty() {
            return "no imports yet: `trellis import luma FILE --event ID`".into();
        }
        let rows = list
            .iter()
            .map(|i| {
                vec![
                    i.id.to_string(),
                    i.event.to_string(),
                    i.platform.clone(),
                    i.file.clone(),
                    i.rows.to_string(),
                    i.people_new.to_string(),
                    i.people_matched.to_string(),
                    i.added.to_string(),
                    i.updated.to_string(),
                    i.skipped.to_string(),
                    crate::output::instant(i.at),
                    i.actor.clone(),
                    i.sha256.chars().take(12).collect(),
                ]
            })
            .collect();
        table(
            &[
                "ID", "EVENT", "PLATFORM", "FILE", "ROWS", "NEW", "MATCHED", "ADDED", "UPDATED",
                "SKIPPED", "AT", "WHO", "SHA-256",
            ],
            rows,
        )
    })
}
