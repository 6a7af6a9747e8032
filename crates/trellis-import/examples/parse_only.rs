//! Parses an export without a database and prints the counts and the time: how much of
//! an import is the parser's. `cargo run --release -p trellis-import --example parse_only -- FILE`

use std::time::Instant;
use trellis_core::import::{ImportMsg, Record};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_only FILE");
        std::process::exit(2);
    };
    let start = Instant::now();
    let (mut records, mut skipped) = (0u64, 0u64);
    let result = trellis_import::read_file(std::path::Path::new(&path), None, None, &mut |m| {
        if let ImportMsg::Batch(b) = m {
            for r in b {
                match r {
                    Record::Skipped(_) => skipped += 1,
                    _ => records += 1,
                }
            }
        }
        Ok(())
    });
    match result {
        Ok(facts) => println!(
            "{} rows, {records} records, {skipped} skipped in {:.2} s",
            facts.rows,
            start.elapsed().as_secs_f64()
        ),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
