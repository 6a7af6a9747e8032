//! Bad input: a clear error naming the file and the place, never a panic.

use std::io::Write;
use trellis_chat::{ChatError, Format, Options};

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn err(path: &std::path::Path, options: &Options) -> ChatError {
    trellis_chat::stats(path, options).expect_err("an error")
}

#[test]
fn a_binary_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let e = err(&p, &Options::default());
    assert!(matches!(e, ChatError::Binary { offset: 8, .. }), "{e:?}");
    assert!(e.to_string().contains("binary file"), "{e}");
    let p = write(&dir, "latin1.txt", b"caf\xe9 \xff\xfe and more");
    let e = err(&p, &Options::default());
    assert!(
        e.to_string().contains("not UTF-8 text (at byte offset 3)"),
        "{e}"
    );
}

#[test]
fn a_truncated_telegram_export_names_the_byte_offset() {
    let doc = br#"{"name":"x","type":"private_group","id":1,"messages":[{"id":1,"type":"message","date":"2021-01-01T00:00:00","from":"a","text":"hello"},{"id":2,"type":"mess"#;
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "result.json", doc);
    let e = err(&p, &Options::default());
    assert_eq!(
        e.to_string(),
        format!(
            "{}: the JSON ends early at byte offset {}: the export is truncated",
            p.display(),
            doc.len()
        )
    );
}

#[test]
fn an_unknown_format() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "notes.txt", b"Shopping list\nmilk\n");
    let e = err(&p, &Options::default());
    assert!(matches!(e, ChatError::UnknownFormat { .. }), "{e:?}");
    assert!(e.to_string().contains("(line 1: \"Shopping list\")"), "{e}");
    // Forcing WhatsApp on it: the parser says why it is not one.
    let forced = Options {
        format: Some(Format::WhatsApp),
        ..Options::default()
    };
    let e = err(&p, &forced);
    assert!(
        e.to_string()
            .contains("not a WhatsApp export: no line starts with a WhatsApp date and time"),
        "{e}"
    );
    // JSON that is neither Telegram nor Discord.
    let p = write(&dir, "x.json", br#"{"hello": "world"}"#);
    let e = err(&p, &Options::default());
    assert!(
        e.to_string().contains("not a Telegram Desktop export"),
        "{e}"
    );
}

#[test]
fn a_zip_without_a_chat() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("photos.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    z.start_file("IMG-0001.jpg", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(b"\xff\xd8\xff").unwrap();
    z.finish().unwrap();
    let e = err(&p, &Options::default());
    assert!(matches!(e, ChatError::NoChat { .. }), "{e:?}");
    assert!(e.to_string().contains("the zip holds no chat"), "{e}");
    assert!(e.to_string().contains("among its 1 entries"), "{e}");
    // A file that only starts like a zip.
    let p = write(&dir, "broken.zip", b"PK\x03\x04 and then nothing");
    let e = err(&p, &Options::default());
    assert!(matches!(e, ChatError::Zip { .. }), "{e:?}");
}

#[test]
fn an_export_of_zero_messages() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("empty.txt", &b""[..]),
        ("blank.txt", b"\n\n  \n"),
        (
            "result.json",
            br#"{"name":"x","type":"private_group","id":1,"messages":[]}"#,
        ),
        (
            "dce.json",
            br#"{"guild":{"name":"g"},"channel":{"name":"c"},"messages":[]}"#,
        ),
    ] {
        let p = write(&dir, name, bytes);
        let e = err(&p, &Options::default());
        assert_eq!(
            e.to_string(),
            format!("{}: the export holds no messages", p.display()),
            "{name}"
        );
    }
}

#[test]
fn a_ten_megabyte_line() {
    let mut bytes = b"01/02/20, 10:00 - Ana: hi\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'a', 10 << 20));
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "chat.txt", &bytes);
    let e = err(&p, &Options::default());
    assert_eq!(
        e.to_string(),
        format!(
            "{}: line 2 (byte offset 26) is longer than 1048576 bytes; a chat export has no such line",
            p.display()
        )
    );
}

#[test]
fn a_missing_file() {
    let e = err(
        std::path::Path::new("/nonexistent/chat.txt"),
        &Options::default(),
    );
    assert!(
        e.to_string()
            .starts_with("/nonexistent/chat.txt: No such file"),
        "{e}"
    );
}

#[test]
fn invalid_utf8_inside_a_chat_is_a_warning_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"13/02/20, 10:00 - Ana: hi\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 70 << 10));
    bytes.extend(b"\n13/02/20, 10:01 - Bo: caf\xe9\n");
    let p = write(&dir, "chat.txt", &bytes);
    let s = trellis_chat::stats(&p, &Options::default()).unwrap();
    assert_eq!(s.messages, 2);
    assert_eq!(
        s.warnings,
        [format!(
            "the file is not valid UTF-8 (first bad byte at offset {}); such bytes were read as U+FFFD",
            bytes.len() - 2
        )]
    );
}

/// A zip bomb, built here (never committed): a WhatsApp chat of one line repeated, 4 MiB
/// unpacked from a few KiB. It is refused once the ratio passes 200, clearly, and long
/// before it is read whole.
#[test]
fn a_zip_that_unpacks_too_far_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bomb.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    z.start_file("_chat.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    let line = b"12/01/2021, 10:00 - Ana: hello\n";
    for _ in 0..(4 << 20) / line.len() {
        z.write_all(line).unwrap();
    }
    z.finish().unwrap();
    assert!(std::fs::metadata(&p).unwrap().len() < 64 << 10);
    let e = err(&p, &Options::default());
    assert!(matches!(e, ChatError::TooLarge { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains(
            "bomb.zip!_chat.txt: refused: it unpacks to more than 200 times its compressed size"
        ),
        "{text}"
    );
}
