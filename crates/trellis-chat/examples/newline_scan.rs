//! The benchmark's floor: read a whole file into memory and count its newlines with
//! `memchr`. `bench/chat/run.sh` compares `trellis chat stats` with this.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: newline_scan FILE");
        std::process::exit(2);
    };
    match std::fs::read(&path) {
        Ok(bytes) => println!("{}", memchr::memchr_iter(b'\n', &bytes).count()),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
