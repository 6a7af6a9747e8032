//! `trellis export` and `trellis restore`: the whole database as one JSON document.

use super::Env;
use anyhow::Context as _;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use trellis_app::dump::DumpSummary;

fn summary_text(verb: &str, s: &DumpSummary) -> String {
    let rows: u64 = s.tables.values().sum();
    format!(
        "{verb} {rows} rows in {} tables (schema version {})",
        s.tables.len(),
        s.schema_version
    )
}

pub async fn export(env: &Env, output: Option<PathBuf>) -> anyhow::Result<()> {
    match output {
        None => {
            // The document itself is the one JSON value on stdout.
            let stdout = std::io::stdout();
            let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
            let s = DumpSummary::from(env.store.export_all(&mut out).await?);
            out.flush()?;
            eprintln!("{}", summary_text("exported", &s));
            Ok(())
        }
        Some(path) => {
            // Written beside the target and renamed, so a failed export leaves no
            // half-written file under the name asked for.
            let tmp = path.with_extension("partial");
            let file = std::fs::File::create(&tmp)
                .with_context(|| format!("--output: cannot create {}", tmp.display()))?;
            let mut out = BufWriter::with_capacity(1 << 20, file);
            let result = env.store.export_all(&mut out).await;
            let s = match result {
                Ok(s) => DumpSummary::from(s),
                Err(e) => {
                    drop(out);
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e.into());
                }
            };
            out.flush()?;
            drop(out);
            std::fs::rename(&tmp, &path)
                .with_context(|| format!("--output: cannot write {}", path.display()))?;
            env.out.emit(&s, || {
                format!("{} to {}", summary_text("exported", &s), path.display())
            })
        }
    }
}

pub async fn export_csv(env: &Env, dir: &std::path::Path) -> anyhow::Result<()> {
    let done = trellis_app::csv_export::export_csv(&env.store, dir).await?;
    env.out.emit(&done, || {
        let rows: u64 = done.tables.values().sum();
        format!(
            "exported {rows} rows in {} CSV files to {} (README.md lists their columns)",
            done.tables.len(),
            done.dir
        )
    })
}

pub async fn restore(env: &Env, file: String) -> anyhow::Result<()> {
    let input: Box<dyn std::io::Read + Send> = if file == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(&file).with_context(|| format!("{file}: cannot open"))?)
    };
    let s = DumpSummary::from(env.store.restore_all(file.clone(), input).await?);
    env.out.emit(&s, || {
        format!(
            "{} into {}",
            summary_text("restored", &s),
            env.store.target()
        )
    })
}
