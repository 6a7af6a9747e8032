//! Every real sample parses to what its SOURCES.md describes, and chat-miner's expected
//! outputs are reproduced where its fixtures apply (with our documented differences).

use crate::{fixture, messages, stats};
use serde_json::Value;
use trellis_chat::{Civil, Format, Kind, Options, Stats, Time};

/// The counts a test pins, in the JSON's order.
fn counts(s: &Stats) -> (u64, u64, u64, u64, u64) {
    (s.messages, s.system, s.media, s.deleted, s.multiline)
}

fn span(s: &Stats) -> (String, String) {
    (
        s.first.map(|t| t.to_string()).unwrap_or_default(),
        s.last.map(|t| t.to_string()).unwrap_or_default(),
    )
}

const CHAT_MINER_WA: &[(&str, bool)] = &[
    ("whatsapp/chat-miner_test_ddmmyy_24hrs.txt", true),
    ("whatsapp/chat-miner_test_mmddyy_24hrs.txt", false),
    ("whatsapp/chat-miner_test_mmddyyyy_12hrs.txt", false),
    ("whatsapp/chat-miner_test_yyyymmdd_24hrs.txt", false),
    ("whatsapp/chat-miner_test_bracketed-mmddyy_24hrs.txt", false),
];

#[test]
fn chat_miner_whatsapp_fixtures_all_read_the_same_chat() {
    for (file, day_first) in CHAT_MINER_WA {
        let s = stats(file);
        assert_eq!(s.format, Format::WhatsApp);
        // 7 with an author (one of them `John Doe:.`, deleted), 2 system lines, 2 messages
        // with a continuation line.
        assert_eq!(counts(&s), (7, 2, 0, 1, 2), "{file}");
        assert_eq!(
            s.authors,
            ["John Doe", "Jahn Doe", "John-John Doe", "John Doe 🤓", "🤓"],
            "{file}"
        );
        assert_eq!(
            span(&s),
            ("2019-01-01T11:25:00".into(), "2021-12-30T22:01:00".into()),
            "{file}"
        );
        assert_eq!(s.day_first, Some(*day_first), "{file}");
        assert!(s.warnings.is_empty(), "{file}: {:?}", s.warnings);
    }
}

/// chat-miner's `target.json`: newest first, only authored text, system lines and `Name:.`
/// dropped, continuation lines joined with a space. We keep the newline and the rest; with
/// those differences undone, the five files give exactly its list.
#[test]
fn chat_miner_whatsapp_target_is_reproduced() {
    let target: Value =
        serde_json::from_slice(&std::fs::read(fixture("whatsapp/chat-miner_target.json")).unwrap())
            .unwrap();
    for (file, _) in CHAT_MINER_WA {
        let ours: Vec<Value> = messages(&fixture(file), &Options::default())
            .into_iter()
            .rev()
            .filter(|m| m.kind == Kind::Message)
            .map(|m| {
                serde_json::json!({
                    "timestamp": m.time.unwrap().to_string(),
                    "author": m.author.unwrap().name,
                    "message": m.text.replace('\n', " "),
                })
            })
            .collect();
        assert_eq!(Value::Array(ours), target, "{file}");
    }
}

#[test]
fn pustur_ios_exports() {
    let s = stats("whatsapp/pustur-website_ios-2019_group_with-media_chat.txt");
    // 52 header lines: 4 system (encryption notice, created group, 2 × added), 4 attached
    // media, a poll whose question and options are continuation lines.
    assert_eq!(counts(&s), (48, 4, 4, 0, 4));
    assert_eq!(s.polls, 1);
    assert_eq!(s.authors, ["John", "Loris", "Emily"]);
    assert_eq!(
        span(&s),
        ("2019-06-20T15:58:47".into(), "2019-06-20T16:45:28".into())
    );
    assert_eq!(s.day_first, Some(true));
    let m = messages(
        &fixture("whatsapp/pustur-website_ios-2019_group_with-media_chat.txt"),
        &Options::default(),
    );
    let poll = m.iter().find(|m| m.poll).unwrap();
    assert_eq!(
        poll.text,
        "POLL:\nWhen can we meet?\nOPTION: Thursday 15 evening (2 votes)\nOPTION: Friday 16 afternoon (1 vote)\nOPTION: Friday 16 evening (2 votes)\nOPTION: Saturday 17 afternoon (3 votes)\nOPTION: Saturday 17 evening (3 votes)"
    );
    let last = m.last().unwrap();
    assert_eq!(
        last.text,
        "Links:\n- https://github.com/Pustur/whatsapp-chat-parser\n- https://github.com/Pustur/whatsapp-chat-parser-website",
        "CRLF line ends become \\n"
    );

    let s = stats("whatsapp/pustur-website_ios-2019_group_lrm_chat.txt");
    // The first line has U+200E before the system text; 100 header lines, 3 of them system.
    assert_eq!(counts(&s), (97, 3, 0, 0, 3));
    assert_eq!(s.authors, ["Loris", "John", "Emily"]);
    let m = messages(
        &fixture("whatsapp/pustur-website_ios-2019_group_lrm_chat.txt"),
        &Options::default(),
    );
    assert_eq!(m[0].author, None);
    assert_eq!(
        m[0].text,
        "Messages to this group are now secured with end-to-end encryption."
    );
    assert_eq!(m[2].text, "Loris added you");
}

#[test]
fn langchain_mixed_headers_parse_line_by_line() {
    let s = stats("whatsapp/langchain_whatsapp_chat.txt");
    // 8 lines; `3:22_AM` is the fixture's own typo, not a header, so that line continues
    // the message before it.
    assert_eq!(counts(&s), (7, 0, 0, 0, 1));
    assert_eq!(
        s.authors,
        ["James", "User name", "User 2", "User name 2", "User 1"],
        "the `~ ` is not part of a name"
    );
    assert_eq!(s.day_first, Some(false));
    assert_eq!(
        span(&s),
        ("2021-01-24T12:41:03".into(), "2023-05-05T15:48:11".into())
    );
    assert!(
        s.warnings.iter().any(|w| w.contains("mixes header styles")),
        "{:?}",
        s.warnings
    );
}

/// Our stand-in for whatstk's `pokemon.txt` (GPL, not copied): the encryption notice
/// written with the chat's name as author is a system line, not a participant.
#[test]
fn the_chat_name_notice_and_markers() {
    let s = stats("whatsapp/own_ddmmyyyy_notice.txt");
    assert_eq!(counts(&s), (6, 3, 1, 1, 1));
    assert_eq!(s.edited, 1);
    assert_eq!(s.authors, ["Ana Castro", "Jürgen Berg", "Priya Okafor"]);
    assert_eq!(s.day_first, Some(true));
    assert_eq!(
        span(&s),
        ("2024-03-05T18:02:00".into(), "2024-03-14T21:46:00".into())
    );
    let m = messages(
        &fixture("whatsapp/own_ddmmyyyy_notice.txt"),
        &Options::default(),
    );
    assert_eq!(
        m[4].text,
        "Great, I can bring my voice agent\nit books dentist appointments\n\nlive, no slides",
        "the blank line inside a message is kept"
    );
    assert_eq!(m[7].text, "thanks for tonight 🎉");
}

/// Our stand-in for whatstk's `example-12h-2.txt`: year first, dotted `p.m.`, which whatstk
/// reads as 01:23 for `1:23 p.m.`.
#[test]
fn year_first_dotted_twelve_hour() {
    let s = stats("whatsapp/own_yyyymmdd_12h-dotted.txt");
    assert_eq!(counts(&s), (5, 1, 0, 0, 0));
    assert_eq!(s.authors, ["José Núñez", "Inês"]);
    assert_eq!(
        s.day_first,
        Some(false),
        "yyyy-mm-dd: the month comes first"
    );
    assert_eq!(
        span(&s),
        ("2023-11-02T00:15:00".into(), "2023-11-16T23:59:00".into())
    );
    let m = messages(
        &fixture("whatsapp/own_yyyymmdd_12h-dotted.txt"),
        &Options::default(),
    );
    assert_eq!(m[4].time.unwrap().to_string(), "2023-11-16T13:23:00");
}

#[test]
fn telegram_old_format_exports() {
    let s = stats("telegram/telegram-chat-parser_saved.json");
    // 21 messages: a pin_message service; photo, 2 animations, voice, sticker, video file.
    assert_eq!(counts(&s), (20, 1, 6, 0, 4));
    assert_eq!(s.authors, ["Ben", "test"]);
    assert_eq!(s.polls, 2);
    assert_eq!(
        span(&s),
        ("2020-08-01T22:01:49".into(), "2021-03-22T17:18:09".into()),
        "old exports: local times without offset"
    );
    assert_eq!(s.day_first, None);
    assert!(
        s.warnings[0].contains("no date_unixtime"),
        "{:?}",
        s.warnings
    );
    let m = messages(
        &fixture("telegram/telegram-chat-parser_saved.json"),
        &Options::default(),
    );
    assert_eq!(
        m[1].text,
        "bold italic strikethrough underline @person http://google.com monospace http://mystery.knightlab.com/"
    );
    assert_eq!(
        m[1].author.as_ref().unwrap().id.as_deref(),
        Some("9999999999")
    );

    let s = stats("telegram/telegram-chat-parser_public_supergroup.json");
    assert_eq!(counts(&s), (1, 3, 0, 0, 0));
    let m = messages(
        &fixture("telegram/telegram-chat-parser_public_supergroup.json"),
        &Options::default(),
    );
    assert_eq!(
        m[0].id.as_deref(),
        Some("-999678450"),
        "pre-migration ids are negative"
    );
    assert_eq!(m[0].text, "create_group");

    let s = stats("telegram/telegram-chat-parser_private_channel.json");
    assert_eq!(counts(&s), (5, 2, 0, 0, 0));
    assert_eq!(s.polls, 2);
    let m = messages(
        &fixture("telegram/telegram-chat-parser_private_channel.json"),
        &Options::default(),
    );
    assert_eq!(m[2].reply_to.as_deref(), Some("2"));

    let s = stats("telegram/telegram-chat-parser_private_group.json");
    assert_eq!(counts(&s), (1, 1, 0, 0, 0));
    let s = stats("telegram/telegram-chat-parser_bot.json");
    assert_eq!(counts(&s), (2, 0, 0, 0, 0));
    assert_eq!(s.authors, ["Bot User", "Real User"]);
}

/// chat-miner's Telegram target: the same instants and authors. It prints naive UTC and
/// joins text parts with spaces; we keep the offset and join with nothing.
#[test]
fn chat_miner_telegram_target_is_reproduced() {
    let target: Value =
        serde_json::from_slice(&std::fs::read(fixture("telegram/chat-miner_target.json")).unwrap())
            .unwrap();
    for file in [
        "telegram/chat-miner_test_single_export.json",
        "telegram/chat-miner_test_batch_export.json",
    ] {
        let m = messages(&fixture(file), &Options::default());
        assert_eq!(m.len(), 2, "{file}");
        for (ours, theirs) in m.iter().zip(target.as_array().unwrap()) {
            let t = ours.time.unwrap();
            let utc = Time::local(Civil::from_unix(t.sort_key().0, 0).unwrap());
            assert_eq!(utc.to_string(), theirs["timestamp"], "{file}");
            assert_eq!(
                ours.author.as_ref().unwrap().name,
                theirs["author"],
                "{file}"
            );
        }
        assert_eq!(m[0].text, target[0]["message"]);
        assert_eq!(m[1].text, "Link:https://telegram.org/");
        assert_eq!(target[1]["message"], "Link: https://telegram.org/");
        assert_eq!(m[0].time.unwrap().to_string(), "2018-12-05T10:39:10+00:00");
    }
    let batch = messages(
        &fixture("telegram/chat-miner_test_batch_export.json"),
        &Options::default(),
    );
    assert_eq!(batch[0].chat.as_deref(), Some("Chatname"), "chats.list");
}

/// Issue 19, point 1: a German Android export joined by hand, with a byte-order mark at
/// the start of the file and before three later header lines. Each of those is still a
/// message (the two authors behind them do not vanish), and the stray marks are said.
#[test]
fn stray_byte_order_marks_mid_file_do_not_hide_headers() {
    let s = stats("whatsapp/own_android-de_stray-bom.txt");
    assert_eq!(counts(&s), (7, 2, 2, 1, 2));
    assert_eq!(s.edited, 1);
    assert_eq!(s.authors, ["Jana", "Lukas", "Mehmet", "Sophie"]);
    assert_eq!(
        s.warnings,
        [
            "3 line(s) start with a stray byte-order mark (U+FEFF), as a file edited or joined by hand has; it was ignored (first: line 7)"
        ]
    );
    let m = messages(
        &fixture("whatsapp/own_android-de_stray-bom.txt"),
        &Options::default(),
    );
    assert!(m.iter().all(|m| !m.text.contains('\u{feff}')));
    assert_eq!(m[5].text, "Ich bringe den Beamer mit");
}

/// Issue 19, point 1: a German iOS file opening with two byte-order marks and `[` is
/// WhatsApp text, not "a JSON array"; it reads the same when named with `--format`.
/// Point 2: `<Anhang: …>`, `Bild weggelassen`, `Dokument weggelassen` and the padded
/// `< attached: … >` are media.
#[test]
fn german_ios_with_boms_and_german_placeholders() {
    let rel = "whatsapp/own_ios-de_bom-bracket.txt";
    let s = stats(rel);
    assert_eq!(s.format, Format::WhatsApp);
    assert_eq!(counts(&s), (7, 2, 4, 1, 1));
    assert_eq!(s.authors, ["Jana", "Lukas", "Sophie", "Mehmet"]);
    assert_eq!(
        s.warnings,
        [
            "3 line(s) start with a stray byte-order mark (U+FEFF), as a file edited or joined by hand has; it was ignored (first: line 1)"
        ]
    );
    let forced = Options {
        format: Some(Format::WhatsApp),
        ..Options::default()
    };
    let named = trellis_chat::stats(&fixture(rel), &forced).unwrap();
    assert_eq!(named, s);
}

/// Issue 19, point 3: `13. 6. 2018. 21:25:15 Ana: …`, a date and time with no separator
/// before the author. A line that starts with a date but has no author after it stays
/// part of the message before.
#[test]
fn headers_with_no_separator_after_the_time() {
    let s = stats("whatsapp/own_hr_bare-headers.txt");
    assert_eq!(counts(&s), (4, 0, 1, 0, 1));
    assert_eq!(s.authors, ["Ana", "Ivan", "Marko"]);
    assert_eq!(
        span(&s),
        ("2018-06-13T21:25:15".into(), "2018-06-16T19:00:00".into())
    );
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let m = messages(
        &fixture("whatsapp/own_hr_bare-headers.txt"),
        &Options::default(),
    );
    assert_eq!(
        m[1].text,
        "Dolazim u subotu\n15. 6. 2018. u 10 sati je sastanak"
    );
    assert_eq!(m[2].text, "14. 6. 2018. 08:00 je bilo rano");
}

/// Issue 19, point 4: `23:59 PM` is a message of its own, read on the 24-hour clock,
/// and the warning names the first such line.
#[test]
fn impossible_twelve_hour_times_are_read_and_warned_about() {
    let rel = "whatsapp/own_ios-12h_impossible-time.txt";
    let s = stats(rel);
    assert_eq!(counts(&s), (4, 0, 0, 0, 0));
    assert_eq!(s.authors, ["Ann", "Bo", "Cy"]);
    assert_eq!(
        s.warnings,
        [
            "2 message header(s) carry an impossible 12-hour time such as 23:59 PM; read as 24-hour time (first: line 2)"
        ]
    );
    let m = messages(&fixture(rel), &Options::default());
    let times: Vec<String> = m.iter().map(|m| m.time.unwrap().to_string()).collect();
    assert_eq!(
        times,
        [
            "2018-03-13T23:58:00",
            "2018-03-13T23:59:00",
            "2018-03-14T00:01:00",
            "2018-03-14T13:15:00"
        ]
    );
}

/// Issue 19, point 2: "media omitted", one iOS per-kind placeholder and a deleted
/// message in each of the ten languages the issue names.
#[test]
fn placeholders_in_ten_languages() {
    let rel = "whatsapp/own_android_placeholders-10-languages.txt";
    let s = stats(rel);
    assert_eq!(counts(&s), (31, 0, 20, 10, 0));
    assert_eq!(s.authors.len(), 10);
    let m = messages(&fixture(rel), &Options::default());
    assert_eq!(m[30].kind, Kind::Message, "{}", m[30].text);
}
