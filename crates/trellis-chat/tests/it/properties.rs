//! Properties: no input makes a parser panic, and what our WhatsApp writer writes reads
//! back as the same messages. Case counts stay modest: CI runs everything on 2 cores.

use proptest::prelude::*;
use trellis_chat::whatsapp::writer::{Style, write_message};
use trellis_chat::{Civil, DayOrder, Format, Kind, Message, Options};

fn read_all(bytes: &[u8], format: Format, options: &Options) {
    let mut n = 0u64;
    // Ok or a clear error are both fine; a panic fails the test.
    let _ = trellis_chat::read_bytes("fuzz", bytes, format, options, &mut |m| {
        n += 1;
        let _ = (m.text.len(), m.time.map(|t| t.to_string()));
    });
}

/// Fragments that steer random input into the parsers' deeper paths.
fn fragments() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        "[",
        "]",
        "12/03/20, ",
        "31.12.2020 ",
        "2020/1/2, ",
        "10:00",
        "1:55\u{202f}PM",
        " a. m.",
        " - ",
        ": ",
        "Ana: ",
        "~\u{202f}Bo: ",
        "\n",
        "\r\n",
        "\r",
        "\u{200e}",
        "\u{feff}",
        "<Media omitted>",
        "POLL:",
        "{",
        "}",
        "\"messages\":[",
        "\"text\":",
        "\"date\":",
        "\"2024-01-15T10:30:00\"",
        "\"date_unixtime\":\"17\"",
        "\"date_unixtime\":\"-9223372036854775808\"",
        ",",
        "\"",
        "\\x41",
        "\\",
        "\"from\":null",
        "[{\"type\":\"bold\",\"text\":\"x\"}]",
        "😀",
        "\u{0}",
        "\u{ff}",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn no_input_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        for format in [Format::WhatsApp, Format::Telegram, Format::Discord] {
            read_all(&bytes, format, &Options::default());
        }
    }

    #[test]
    fn no_structured_input_panics(bytes in fragments(), month_first in any::<bool>()) {
        let options = Options {
            format: None,
            day_order: month_first.then_some(DayOrder::MonthFirst),
        };
        for format in [Format::WhatsApp, Format::Telegram, Format::Discord] {
            read_all(&bytes, format, &options);
        }
    }
}

/// A name WhatsApp could show: letters at both ends, no colon.
fn name() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ .'-]{0,12}[A-Za-zÀ-ÿ]|[A-Za-z]{1,3} 😀"
}

/// A text line that can never look like a header (no `:`, `/`, `[` or `-`).
fn line() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,.!?éü😀]{0,30}"
}

fn message() -> impl Strategy<Value = (Civil, Option<String>, String)> {
    let time = (2000i32..2100, 1u8..13, 1u8..29, 0u8..24, 0u8..60, 0u8..60)
        .prop_map(|(y, mo, d, h, mi, s)| Civil::new(y, mo, d, h, mi, s, 0).unwrap());
    let text =
        prop::collection::vec(line(), 1..4).prop_filter_map("no trailing blank line", |lines| {
            if lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
                None
            } else {
                Some(lines.join("\n"))
            }
        });
    (time, prop::option::weighted(0.9, name()), text)
}

fn style() -> impl Strategy<Value = Style> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(ios, day_first, four_digit_year, twelve_hour, crlf)| Style {
                ios,
                day_first,
                four_digit_year,
                twelve_hour,
                crlf,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    #[test]
    fn whatsapp_round_trips_through_our_writer(
        style in style(),
        written in prop::collection::vec(message(), 1..12),
    ) {
        let mut file = Vec::new();
        let mut expected = Vec::new();
        for (time, author, text) in &written {
            // Android headers carry no seconds.
            let time = if style.ios { *time } else { Civil { second: 0, ..*time } };
            // A system line with nothing after the header is read as an empty system line.
            write_message(&mut file, &style, &time, author.as_deref(), text).unwrap();
            expected.push((time, author.clone(), text.clone()));
        }
        let options = Options {
            format: Some(Format::WhatsApp),
            day_order: Some(if style.day_first { DayOrder::DayFirst } else { DayOrder::MonthFirst }),
        };
        let mut got: Vec<Message> = Vec::new();
        trellis_chat::read_bytes("chat.txt", &file, Format::WhatsApp, &options, &mut |m| got.push(Message::from(m))).unwrap();
        let got: Vec<_> = got
            .into_iter()
            .map(|m| {
                prop_assert_eq!(m.kind, if m.author.is_some() { Kind::Message } else { Kind::System });
                Ok((m.time.unwrap().local, m.author.map(|a| a.name), m.text))
            })
            .collect::<Result<_, TestCaseError>>()?;
        prop_assert_eq!(got, expected);
    }
}
