//! Writes a deterministic Luma guest CSV (layout A: BOM, CRLF, one question column) for
//! the import benchmark: `cargo run --release -p trellis-import --example luma_gen -- ROWS PEOPLE > guests.csv`.
//!
//! People recur the way returning guests do: a few regulars appear again and again, most
//! people once or twice (a skewed pick), and a returning guest sometimes types their
//! e-mail with other capitals. About 220 bytes a row, as in the 220 MB file.

use std::io::{BufWriter, Write};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const FIRST: [&str; 16] = [
    "Ada", "José", "Grace", "Linus", "Chen", "Zoë", "Björn", "Amara", "Priya", "Kenji", "Fatima",
    "Lars", "Noor", "Mateo", "Ines", "Wei",
];
const LAST: [&str; 16] = [
    "Example",
    "Müller",
    "Sample",
    "Placeholder",
    "Wei",
    "Fictional",
    "Testperson",
    "Okafor",
    "Raman",
    "Sato",
    "Haddad",
    "Berg",
    "Khan",
    "García",
    "Silva",
    "Zhang",
];
const BUILDING: [&str; 8] = [
    "A CLI that diffs LLM eval runs",
    "Rust bindings for a vector DB, \"\"early WIP\"\"",
    "Voice agent for field techs",
    "Agents that file expense reports",
    "Edge inference on a Pi",
    "A tiny Datalog for config files",
    "Home energy dashboard",
    "",
];
const STATUS: [&str; 8] = [
    "approved",
    "approved",
    "approved",
    "approved",
    "approved",
    "waitlist",
    "declined",
    "pending_approval",
];

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let rows: u64 = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let people: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(250_000);
    let out = std::io::stdout();
    let mut w = BufWriter::with_capacity(1 << 20, out.lock());
    w.write_all(b"\xEF\xBB\xBFapi_id,name,first_name,last_name,email,phone_number,created_at,approval_status,checked_in_at,custom_source,qr_code_url,amount,amount_tax,amount_discount,currency,coupon_code,eth_address,solana_address,survey_response_rating,survey_response_feedback,ticket_type_id,ticket_name,What are you building?\r\n")?;
    let mut r = Lcg(42);
    for i in 0..rows {
        // Skewed: half the rows come from the first tenth of the people (the regulars).
        let p = if r.below(2) == 0 {
            r.below(people / 10)
        } else {
            r.below(people)
        };
        let first = FIRST[(p % 16) as usize];
        let last = LAST[((p / 16) % 16) as usize];
        let mut email = format!(
            "{}.{}{}@example.com",
            first.to_lowercase(),
            last.to_lowercase(),
            p
        );
        if r.below(5) == 0 {
            // Another day, other capitals: the same inbox.
            email = email[..1].to_uppercase() + &email[1..];
        }
        let status = STATUS[r.below(8) as usize];
        let day = 1 + r.below(28);
        let checked = if status == "approved" && r.below(3) > 0 {
            format!("2025-03-11T18:{:02}:{:02}.000Z", r.below(60), r.below(60))
        } else {
            String::new()
        };
        let building = BUILDING[r.below(8) as usize];
        let quoted = if building.contains(',') || building.contains('"') {
            format!("\"{building}\"")
        } else {
            building.to_owned()
        };
        // Most guests leave the phone and the source empty.
        let phone = if r.below(5) == 0 {
            format!("+1555{:07}", p % 10_000_000)
        } else {
            String::new()
        };
        let source = if r.below(4) == 0 { "newsletter" } else { "" };
        write!(
            w,
            "gst-B{i:09},{first} {last},{first},{last},{email},{phone},2025-02-{day:02}T10:{:02}:{:02}.123Z,{status},{checked},{source},https://luma.com/check-in/evt-BENCH01?pk=g-{i:09},$0.00,$0.00,$0.00,usd,,,,,,evtticktyp-B1,Standard,{quoted}\r\n",
            r.below(60),
            r.below(60),
        )?;
    }
    w.flush()
}
