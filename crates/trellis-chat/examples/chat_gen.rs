//! Writes a synthetic chat export of any size, deterministically (the same arguments give
//! the same bytes), for `bench/chat/run.sh`:
//!
//! ```sh
//! cargo run --release -p trellis-chat --example chat_gen -- whatsapp-android 1000000 out.txt
//! cargo run --release -p trellis-chat --example chat_gen -- whatsapp-ios 1000000 out.txt
//! cargo run --release -p trellis-chat --example chat_gen -- telegram 1000000 result.json
//! ```
//!
//! The chat looks like a real community group: ~60 people of whom a few write most,
//! non-ASCII and emoji names, multi-line messages, media placeholders, deleted messages,
//! joins and leaves; Telegram adds entity arrays, replies, photos and service messages.

use std::fs::File;
use std::io::{BufWriter, Write};
use trellis_chat::Civil;
use trellis_chat::whatsapp::writer::{Style, write_message};

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Ana",
    "Zoë",
    "José",
    "Åsa",
    "Mia",
    "Noah",
    "Liam",
    "Emma",
    "明",
    "Ольга",
    "محمد",
    "Søren",
    "Chloé",
    "Jürgen",
    "Priya",
    "Kofi",
    "Lea",
    "Ines",
    "Tomás",
    "Yuki",
];
const LAST: &[&str] = &[
    "Castro", "Müller", "Núñez", "Berg", "Okafor", "Tanaka", "Kowalski", "Dubois", "Rossi", "🦀",
];
const WORDS: &[&str] = &[
    "demo", "tonight", "the", "venue", "is", "great", "who", "brings", "pizza", "slides", "thanks",
    "everyone", "see", "you", "next", "month", "Rust", "agent", "voice", "booked", "dentist", "🎉",
    "👍", "😂", "really", "cool", "talk", "question", "about", "that", "parser", "café", "Straße",
    "naïve", "works", "on", "my", "machine", "ship", "it", "🚀", "meetup", "Berlin",
];

fn sentence(rng: &mut Rng, words: u64) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    s
}

/// A cast where a few people write most: person k is picked with weight ~1/(k+1).
fn people() -> Vec<String> {
    let mut rng = Rng(7);
    (0..60)
        .map(|_| format!("{} {}", rng.pick(FIRST), rng.pick(LAST)))
        .collect()
}

fn pick_person<'a>(rng: &mut Rng, people: &'a [String]) -> &'a str {
    let r = rng.below(1000) as f64 / 1000.0;
    let k = ((people.len() as f64).powf(r) - 1.0) as usize;
    &people[k.min(people.len() - 1)]
}

fn whatsapp(style: Style, count: u64, out: &mut impl Write) -> std::io::Result<()> {
    let mut rng = Rng(42);
    let people = people();
    let mut secs: i64 = 1_546_300_800; // 2019-01-01
    for i in 0..count {
        secs += rng.below(240) as i64;
        let Some(t) = Civil::from_unix(secs, 0) else {
            continue;
        };
        let who = pick_person(&mut rng, &people);
        let roll = rng.below(100);
        let (author, text): (Option<String>, String) = match roll {
            0 => (None, format!("{who} joined using this group's invite link")),
            1 => (Some(who.to_owned()), "This message was deleted".to_owned()),
            2..=4 => (
                Some(who.to_owned()),
                if style.ios {
                    "\u{200e}image omitted".to_owned()
                } else {
                    "<Media omitted>".to_owned()
                },
            ),
            5..=9 => {
                let lines = 2 + rng.below(3);
                let body: Vec<String> = (0..lines)
                    .map(|_| {
                        let n = 3 + rng.below(10);
                        sentence(&mut rng, n)
                    })
                    .collect();
                (Some(who.to_owned()), body.join("\n"))
            }
            _ => {
                let n = 2 + rng.below(18);
                (Some(who.to_owned()), sentence(&mut rng, n))
            }
        };
        // Senders missing from the exporter's contacts, as newer iOS marks them.
        let author = author.map(|a| {
            if style.ios && i.is_multiple_of(7) {
                format!("~\u{202f}{a}")
            } else {
                a
            }
        });
        write_message(out, &style, &t, author.as_deref(), &text)?;
    }
    Ok(())
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// Telegram Desktop's single-chat `result.json`, laid out the way tdesktop writes it.
fn telegram(count: u64, out: &mut impl Write) -> std::io::Result<()> {
    let mut rng = Rng(43);
    let people = people();
    let ids: Vec<u64> = (0..people.len() as u64)
        .map(|k| 1_000_000 + k * 7919)
        .collect();
    write!(
        out,
        "{{\n \"name\": \"Tinkerers Berlin\",\n \"type\": \"private_supergroup\",\n \"id\": 1234567890,\n \"messages\": ["
    )?;
    let mut secs: i64 = 1_546_300_800;
    let offset = 3600;
    for i in 0..count {
        secs += rng.below(240) as i64;
        let Some(local) = Civil::from_unix(secs + offset, 0) else {
            continue;
        };
        let date = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            local.year, local.month, local.day, local.hour, local.minute, local.second
        );
        let k = {
            let r = rng.below(1000) as f64 / 1000.0;
            (((people.len() as f64).powf(r) - 1.0) as usize).min(people.len() - 1)
        };
        let sep = if i == 0 { "" } else { "," };
        let id = 100_000 + i;
        let roll = rng.below(100);
        if roll == 0 {
            write!(
                out,
                "{sep}\n  {{\n   \"id\": {id},\n   \"type\": \"service\",\n   \"date\": \"{date}\",\n   \"date_unixtime\": \"{secs}\",\n   \"actor\": {},\n   \"actor_id\": \"user{}\",\n   \"action\": \"join_group_by_link\",\n   \"inviter\": \"Group\",\n   \"text\": \"\",\n   \"text_entities\": []\n  }}",
                json_str(&people[k]),
                ids[k]
            )?;
            continue;
        }
        write!(
            out,
            "{sep}\n  {{\n   \"id\": {id},\n   \"type\": \"message\",\n   \"date\": \"{date}\",\n   \"date_unixtime\": \"{secs}\",\n   \"from\": {},\n   \"from_id\": \"user{}\",\n",
            json_str(&people[k]),
            ids[k]
        )?;
        if roll < 10 && i > 0 {
            writeln!(
                out,
                "   \"reply_to_message_id\": {},",
                id - 1 - rng.below(i.min(50))
            )?;
        }
        if roll >= 95 {
            write!(
                out,
                "   \"photo\": \"(File not included. Change data exporting settings to download.)\",\n   \"photo_file_size\": {},\n   \"width\": 1280,\n   \"height\": 960,\n",
                50_000 + rng.below(200_000)
            )?;
        }
        let n = 2 + rng.below(18);
        let words = sentence(&mut rng, n);
        if roll.is_multiple_of(4) {
            // A mixed text: plain strings and entities, as tdesktop writes formatted text.
            let bold = sentence(&mut rng, 2);
            let mut entities = String::new();
            write!(
                entities,
                "[\n    {{\n     \"type\": \"plain\",\n     \"text\": {}\n    }},\n    {{\n     \"type\": \"bold\",\n     \"text\": {}\n    }}\n   ]",
                json_str(&format!("{words} ")),
                json_str(&bold)
            )
            .ok();
            write!(
                out,
                "   \"text\": [\n    {},\n    {{\n     \"type\": \"bold\",\n     \"text\": {}\n    }}\n   ],\n   \"text_entities\": {entities}\n  }}",
                json_str(&format!("{words} ")),
                json_str(&bold)
            )?;
        } else {
            let text = if roll % 10 == 1 {
                format!("{words}\n{}", sentence(&mut rng, 5))
            } else {
                words
            };
            write!(
                out,
                "   \"text\": {},\n   \"text_entities\": [\n    {{\n     \"type\": \"plain\",\n     \"text\": {}\n    }}\n   ]\n  }}",
                json_str(&text),
                json_str(&text)
            )?;
        }
    }
    writeln!(out, "\n ]\n}}")
}

use std::fmt::Write as _;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(kind), Some(count), Some(path)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: chat_gen whatsapp-android|whatsapp-ios|telegram COUNT OUT");
        std::process::exit(2);
    };
    let Ok(count) = count.parse::<u64>() else {
        eprintln!("COUNT must be a number");
        std::process::exit(2);
    };
    let file = match File::create(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let result = match kind.as_str() {
        "whatsapp-android" => whatsapp(Style::ANDROID, count, &mut out),
        "whatsapp-ios" => whatsapp(Style::IOS, count, &mut out),
        "telegram" => telegram(count, &mut out),
        _ => {
            eprintln!("unknown kind {kind}");
            std::process::exit(2);
        }
    };
    if let Err(e) = result.and_then(|()| out.flush()) {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    }
}
