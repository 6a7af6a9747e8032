//! Exports built in the documented shapes: WhatsApp and Telegram inside zips, Slack as a
//! zip and as a folder, Discord, Telegram full-account exports; and `--format` forcing.

use crate::{fixture, messages};
use std::io::Write;
use std::path::Path;
use trellis_chat::{DayOrder, Format, Kind, Options};

fn zip(path: &Path, members: &[(&str, &[u8])]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in members {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn whatsapp_zip_reads_the_chat_inside() {
    let chat = std::fs::read(fixture(
        "whatsapp/pustur-website_ios-2019_group_with-media_chat.txt",
    ))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("WhatsApp Chat - Example.zip");
    zip(
        &p,
        &[
            ("00000001-PHOTO-2019-06-20-16-00-15.jpg", b"\xff\xd8\xff"),
            ("_chat.txt", &chat),
        ],
    );
    let s = trellis_chat::stats(&p, &Options::default()).unwrap();
    assert_eq!(
        (s.format, s.messages, s.system, s.media),
        (Format::WhatsApp, 48, 4, 4)
    );
    // The Android name inside a zip, and the survey pass reading the member twice.
    let p = dir.path().join("android.zip");
    zip(
        &p,
        &[(
            "WhatsApp Chat with Ana.txt",
            b"01/02/20, 10:00 - Ana: hi\n25/02/20, 10:05 - Bo: hey\n",
        )],
    );
    let s = trellis_chat::stats(&p, &Options::default()).unwrap();
    assert_eq!((s.messages, s.day_first), (2, Some(true)));
}

#[test]
fn a_folder_with_chat_txt() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("_chat.txt"),
        "[01.02.20, 10:00:00] Ana: hi\r\n[25.02.20, 10:05:00] Bo: hey\r\n",
    )
    .unwrap();
    let s = trellis_chat::stats(dir.path(), &Options::default()).unwrap();
    assert_eq!((s.format, s.messages), (Format::WhatsApp, 2));
}

const USERS: &str = r#"[
  {"id": "U1", "team_id": "T1", "name": "ana", "real_name": "Ana Castro", "deleted": false,
   "profile": {"real_name": "Ana Castro", "display_name": "ana.c", "email": "ana@example.org"}},
  {"id": "U2", "name": "bo", "real_name": "Bo Berg", "profile": {"real_name": "Bo Berg", "display_name": ""}},
  {"id": "U3", "name": "cy", "profile": {"display_name": "", "real_name": ""}}
]"#;

const GENERAL_14: &str = r#"[
  {"type": "message", "subtype": "channel_join", "user": "U2", "text": "<@U2> has joined the channel", "ts": "1452837350.000001"},
  {"type": "message", "user": "U1", "text": "Demo night on the 14th?\nWho's in", "ts": "1452837352.000002",
   "thread_ts": "1452837352.000002", "reply_count": 1, "edited": {"user": "U1", "ts": "1452837353.000000"}},
  {"type": "message", "user": "U2", "text": "me!", "ts": "1452837360.000003", "thread_ts": "1452837352.000002", "parent_user_id": "U1"},
  {"type": "message", "subtype": "bot_message", "bot_id": "B1", "username": "reminder", "text": "Reminder: demo night", "ts": "1452837370.000004"}
]"#;

const RANDOM_15: &str = r#"[
  {"type": "message", "subtype": "file_share", "user": "U3", "text": "", "ts": "1452900000.000000",
   "files": [{"id": "F1", "name": "slides.pdf"}]},
  {"type": "message", "user": "U9", "text": "who am I", "ts": "1452900001.000000",
   "user_profile": {"display_name": "", "real_name": "Nina Ghost"}}
]"#;

fn check_slack(s: &trellis_chat::Stats) {
    assert_eq!(s.format, Format::Slack);
    // general (read first: channels in name order): join and bot are system; random: a
    // file share (media) and a user missing from users.json.
    assert_eq!((s.messages, s.system, s.media, s.multiline), (4, 2, 1, 1));
    assert_eq!(s.edited, 1);
    assert_eq!(s.authors, ["ana.c", "Bo Berg", "cy", "Nina Ghost"]);
    assert_eq!(
        s.first.unwrap().to_string(),
        "2016-01-15T05:55:50.000001+00:00",
        "from ts (UTC), not the file's local day"
    );
    assert_eq!(s.last.unwrap().to_string(), "2016-01-15T23:20:01+00:00");
}

#[test]
fn slack_zip_and_folder() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Tinkerers Slack export.zip");
    zip(
        &p,
        &[
            (
                "channels.json",
                br#"[{"id": "C1", "name": "general"}, {"id": "C2", "name": "random"}]"#,
            ),
            ("users.json", USERS.as_bytes()),
            ("random/2016-01-15.json", RANDOM_15.as_bytes()),
            ("general/2016-01-14.json", GENERAL_14.as_bytes()),
        ],
    );
    check_slack(&trellis_chat::stats(&p, &Options::default()).unwrap());
    let m = messages(&p, &Options::default());
    assert_eq!(
        m[2].reply_to.as_deref(),
        Some("1452837352.000002"),
        "a thread reply"
    );
    assert_eq!(m[1].reply_to, None, "the thread parent");
    assert_eq!(m[1].chat.as_deref(), Some("general"));

    let root = dir.path().join("folder");
    std::fs::create_dir_all(root.join("general")).unwrap();
    std::fs::create_dir_all(root.join("random")).unwrap();
    std::fs::write(root.join("users.json"), USERS).unwrap();
    std::fs::write(root.join("channels.json"), "[]").unwrap();
    std::fs::write(root.join("general/2016-01-14.json"), GENERAL_14).unwrap();
    std::fs::write(root.join("random/2016-01-15.json"), RANDOM_15).unwrap();
    std::fs::write(root.join("random/notes.txt"), "not a day file").unwrap();
    check_slack(&trellis_chat::stats(&root, &Options::default()).unwrap());
}

/// Issue 19, point 7: `--format slack` on one day file reads it, authors shown by id;
/// any other single file is refused without suggesting the `--format` it already has.
#[test]
fn one_slack_day_file_with_format_slack() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("general")).unwrap();
    let day = dir.path().join("general/2016-01-14.json");
    std::fs::write(&day, GENERAL_14).unwrap();
    let slack = Options {
        format: Some(Format::Slack),
        ..Options::default()
    };
    let s = trellis_chat::stats(&day, &slack).unwrap();
    assert_eq!((s.format, s.messages, s.system), (Format::Slack, 2, 2));
    assert_eq!(s.authors, ["U1", "U2"]);
    assert_eq!(
        s.warnings,
        ["no users.json: authors are shown by their Slack user id"]
    );
    let m = messages(&day, &slack);
    assert_eq!(m[1].chat.as_deref(), Some("general"));

    let auto = trellis_chat::stats(&day, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(auto.contains("or this file with --format slack"), "{auto}");

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello\n").unwrap();
    let err = trellis_chat::stats(&text, &slack).unwrap_err().to_string();
    assert!(err.contains("not a Slack export"), "{err}");
    assert!(!err.contains("--format"), "{err}");
}

#[test]
fn discord_is_told_from_telegram_by_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("export.json");
    std::fs::write(
        &p,
        r#"{"guild": {"id": "1", "name": "Tinkerers"}, "channel": {"id": "2", "name": "general"},
            "dateRange": {"after": null, "before": null}, "exportedAt": "2024-05-01T10:00:00+02:00",
            "messages": [
              {"id": "10", "type": "Default", "timestamp": "2024-04-30T18:00:00+02:00", "content": "hi",
               "author": {"id": "7", "name": "ana", "nickname": "Ana"}, "attachments": [], "stickers": []},
              {"id": "11", "type": "GuildMemberJoin", "timestamp": "2024-04-30T19:00:00+02:00", "content": "Joined the server.",
               "author": {"id": "8", "name": "bo"}}],
            "messageCount": 2}"#,
    )
    .unwrap();
    let s = trellis_chat::stats(&p, &Options::default()).unwrap();
    assert_eq!(s.format, Format::Discord);
    assert_eq!((s.messages, s.system), (1, 1));
    assert_eq!(s.authors, ["Ana"]);
    assert_eq!(s.first.unwrap().to_string(), "2024-04-30T18:00:00+02:00");
}

#[test]
fn telegram_full_export_in_a_zip() {
    let doc = br#"{"about": "Here is the data you requested.", "personal_information": {"user_id": 1, "first_name": "Me"},
      "contacts": {"about": "x", "list": [{"first_name": "A", "phone_number": "+1"}]},
      "chats": {"about": "y", "list": [
        {"name": "Tinkerers", "type": "private_supergroup", "id": 5, "messages": [
          {"id": 1, "type": "message", "date": "2024-01-15T11:50:00", "date_unixtime": "1705315800", "from": "Ana", "from_id": "user1", "text": "hi"},
          {"id": 2, "type": "message", "date": "2024-01-15T11:51:00", "date_unixtime": "1705315860", "from": "Bo", "from_id": "user2", "text": [{"type": "mention", "text": "@ana"}, " yes"]}]},
        {"type": "saved_messages", "id": 6, "messages": []}]},
      "left_chats": {"about": "z", "list": [
        {"name": "Old group", "type": "private_group", "id": 7, "messages": [
          {"id": 1, "type": "service", "date": "2020-01-01T10:00:00", "date_unixtime": "1577869200", "actor": "Ana", "action": "create_group", "text": ""}]}]}}"#;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Telegram Desktop.zip");
    zip(&p, &[("DataExport_2024-01-20/result.json", doc)]);
    let m = messages(&p, &Options::default());
    assert_eq!(m.len(), 3);
    assert_eq!(m[1].text, "@ana yes");
    assert_eq!(m[2].chat.as_deref(), Some("Old group"));
    assert_eq!(m[2].kind, Kind::System);
    assert_eq!(m[0].time.unwrap().to_string(), "2024-01-15T11:50:00+01:00");
    let s = trellis_chat::stats(&p, &Options::default()).unwrap();
    assert_eq!(
        (s.first.unwrap().to_string(), s.last.unwrap().to_string()),
        (
            "2020-01-01T10:00:00+01:00".to_owned(),
            "2024-01-15T11:51:00+01:00".to_owned()
        )
    );
}

#[test]
fn forcing_the_day_order() {
    let p = fixture("whatsapp/pustur-website_ios-2019_group_lrm_chat.txt");
    let forced = Options {
        format: Some(Format::WhatsApp),
        day_order: Some(DayOrder::MonthFirst),
    };
    let s = trellis_chat::stats(&p, &forced).unwrap();
    assert_eq!(s.day_first, Some(false));
    // 20.06 cannot be month 20: every date is read the other way, and the file says so.
    assert_eq!(s.first.unwrap().to_string(), "2019-06-20T15:58:47");
    assert!(
        s.warnings[0].starts_with("100 date(s) only fit the other day/month order"),
        "{:?}",
        s.warnings
    );
}
