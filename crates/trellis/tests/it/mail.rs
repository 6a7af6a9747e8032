//! Mail against a real SMTP server on loopback (Debian's python3-aiosmtpd, run from
//! `tests/smtp/sink.py`), read back from what it stored. Runs when TRELLIS_TEST_SMTP=1.

use crate::support::{Cli, NOW, command, on_both, process};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

static SKIP_NOTICE: Once = Once::new();

/// Whether the SMTP suite runs; says once why not.
fn enabled() -> bool {
    let on = std::env::var("TRELLIS_TEST_SMTP").is_ok_and(|v| v == "1");
    if !on {
        SKIP_NOTICE.call_once(|| {
            // The real stderr, past the harness's capture: this line is meant to be seen.
            let _ = writeln!(
                std::io::stderr(),
                "SMTP tests skipped: set TRELLIS_TEST_SMTP=1 (needs python3-aiosmtpd)"
            );
        });
    }
    on
}

/// The SMTP server, killed on drop.
struct Sink {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

impl Sink {
    fn start(port: u16, login: Option<&str>) -> Sink {
        Sink::start_with(port, login, 0)
    }

    /// A sink that waits `delay_ms` before storing and answering each message.
    fn start_with(port: u16, login: Option<&str>, delay_ms: u64) -> Sink {
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/sink.py");
        // Debian's interpreter: the one python3-aiosmtpd is installed for.
        let python = if Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3"
        } else {
            "python3"
        };
        let mut cmd = std::process::Command::new(python);
        cmd.arg(script).arg(port.to_string()).arg(dir.path());
        if let Some(l) = login {
            cmd.arg(l);
        }
        if delay_ms > 0 {
            cmd.env("SINK_DELAY_MS", delay_ms.to_string());
        }
        let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        Sink { child, dir, port }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received, as text, in order.
    fn messages(&self) -> Vec<String> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    message
        .lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
}

#[test]
fn mail_test_delivers_and_errors_name_the_server_not_the_password() {
    if !enabled() {
        return;
    }
    let sink = Sink::start(free_port(), None);
    let out = command("unused.db")
        .args(["mail", "test", "ada@example.org"])
        .env("TRELLIS_SMTP_URL", sink.url())
        .env("TRELLIS_MAIL_FROM", "Trellis <trellis@example.org>")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("250"), "{stdout}");
    let got = sink.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(header(&got[0], "To"), Some("ada@example.org"));
    assert_eq!(header(&got[0], "Subject"), Some("Trellis mail test"));

    let guarded = Sink::start(free_port(), Some("trellis:right-password"));
    let down = free_port();
    for (url, server) in [
        (
            format!("smtp://trellis:wrong-password@127.0.0.1:{}", guarded.port),
            format!("127.0.0.1:{}", guarded.port),
        ),
        (
            format!("smtp://trellis:wrong-password@127.0.0.1:{down}"),
            format!("127.0.0.1:{down}"),
        ),
        ("smtp://trellis:wrong-password@".to_owned(), String::new()),
    ] {
        let out = command("unused.db")
            .args(["mail", "test", "ada@example.org"])
            .env("TRELLIS_SMTP_URL", &url)
            .env("TRELLIS_MAIL_FROM", "trellis@example.org")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{url}: {err}");
        assert!(err.contains(&server), "{url}: {err}");
        assert!(!err.contains("wrong-password"), "{url}: {err}");
    }
    assert!(guarded.messages().is_empty());
}

/// `serve` checks its SMTP server before it listens: a refused login or a server that is
/// not there stops it at start with the server's name, never the password.
#[test]
fn serve_stops_at_start_when_its_mail_server_is_unusable() {
    let cli = Cli::new(trellis_testkit::TestDb::sqlite());
    let down = free_port();
    let mut cases = vec![(
        format!("smtp://trellis:wrong-password@127.0.0.1:{down}"),
        "could not be reached",
    )];
    let guarded = enabled().then(|| Sink::start(free_port(), Some("trellis:right-password")));
    if let Some(g) = &guarded {
        cases.push((
            format!("smtp://trellis:wrong-password@127.0.0.1:{}", g.port),
            "refused the login",
        ));
    }
    for (url, why) in cases {
        let out = command(&cli.db.url)
            .args(["serve", "--addr", &format!("127.0.0.1:{}", free_port())])
            .env("TRELLIS_SMTP_URL", &url)
            .env("TRELLIS_MAIL_FROM", "trellis@example.org")
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{url}: {err}");
        assert!(
            err.contains(why) && err.contains("127.0.0.1:"),
            "{url}: {err}"
        );
        assert!(!err.contains("wrong-password"), "{url}: {err}");
    }
}

/// A program with one organizer (with an address) and an event held this morning, so
/// its retro reminder is due at [`NOW`]. Returns the event's id.
fn held_this_morning(cli: &Cli, organizers: usize, events: usize) -> Vec<String> {
    let p = cli.program("Tinkerers Oslo", &[]);
    for n in 1..=organizers {
        cli.run(&[
            "organizer",
            "add",
            "--name",
            &format!("Org {n}"),
            "--email",
            &format!("org{n}@example.org"),
            "--program",
            &p,
        ])
        .ok();
    }
    // Planned and announced days before, held this morning (a backfilled event is
    // history: nothing is owed on it, so nobody would be reminded).
    let before = "2026-11-20T12:00:00Z";
    let ids: Vec<String> = (1..=events)
        .map(|n| {
            let title = format!("Night {n}");
            let args = ["--json", "event", "new", "--program", &p, "--title", &title];
            let args = [&args[..], &["--at", "2026-11-24 10:00"]].concat();
            cli.run_at(before, &args).ok().id().to_string()
        })
        .collect();
    for id in &ids {
        cli.run_at(
            before,
            &["event", "announce", id, "--override", "a test evening"],
        )
        .ok();
    }
    for id in &ids {
        cli.run(&["event", "held", id]).ok();
    }
    ids
}

fn notify(cli: &Cli, url: &str, now: &str) -> serde_json::Value {
    mailing(cli, url, None, now, &["--json", "notify", "run"])
}

/// Runs `args` with mail configured (and the app's public URL on `port`); its JSON.
fn mailing(cli: &Cli, url: &str, port: Option<u16>, now: &str, args: &[&str]) -> serde_json::Value {
    let mut c = command(&cli.db.url);
    c.args(args)
        .env("TRELLIS_SMTP_URL", url)
        .env("TRELLIS_MAIL_FROM", "Trellis <trellis@example.org>")
        .env("TRELLIS_NOW", now);
    if let Some(port) = port {
        c.env("TRELLIS_PUBLIC_URL", format!("http://127.0.0.1:{port}"));
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn retro_reminder_once(cli: Cli) {
    if !enabled() {
        return;
    }
    held_this_morning(&cli, 1, 1);
    let dry = cli.json(&["notify", "run", "--dry-run"]);
    assert_eq!(dry["due"].as_array().unwrap().len(), 1, "{dry}");
    assert_eq!(dry["due"][0]["kind"], "retro_held");
    assert_eq!(cli.json(&["outbox"]).as_array().unwrap().len(), 0);

    let sink = Sink::start(free_port(), None);
    let r = notify(&cli, &sink.url(), NOW);
    assert_eq!(r["sent"]["sent"], 1, "{r}");
    let r = notify(&cli, &sink.url(), NOW);
    assert_eq!(
        (r["planned"].clone(), r["sent"]["sent"].clone()),
        (0.into(), 0.into())
    );
    let got = sink.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(header(&got[0], "To"), Some("org1@example.org"));
    assert!(
        header(&got[0], "Subject")
            .unwrap()
            .starts_with("Retro to write")
    );
    assert!(got[0].contains("trellis retro write"), "{}", got[0]);
    // To an organizer: no unsubscribe header.
    assert_eq!(header(&got[0], "List-Unsubscribe"), None);
    let sent = cli.json(&["outbox", "--state", "sent"]);
    assert_eq!(sent.as_array().unwrap().len(), 1, "{sent}");
}

fn down_then_up_sends_once(cli: Cli) {
    if !enabled() {
        return;
    }
    held_this_morning(&cli, 1, 1);
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let r = notify(&cli, &url, NOW);
    assert_eq!(r["sent"]["retried"], 1, "{r}");
    let planned = cli.json(&["outbox", "--state", "planned"]);
    assert_eq!(planned[0]["attempts"], 1, "{planned}");
    assert!(
        planned[0]["last_error"]
            .as_str()
            .unwrap()
            .contains(&format!("127.0.0.1:{port}")),
        "{planned}"
    );
    let sink = Sink::start(port, None);
    // Before its backoff is over, nothing is tried.
    let r = notify(&cli, &url, NOW);
    assert_eq!(r["sent"]["sent"], 0, "{r}");
    let later = "2026-11-24T12:02:00Z";
    let r = notify(&cli, &url, later);
    assert_eq!(r["sent"]["sent"], 1, "{r}");
    notify(&cli, &url, "2026-11-24T13:00:00Z");
    assert_eq!(sink.messages().len(), 1);
}

fn written_retro_cancels(cli: Cli) {
    if !enabled() {
        return;
    }
    let events = held_this_morning(&cli, 1, 1);
    // Planned without a server, then the retro is written before any send.
    let r = cli.json(&["notify", "run"]);
    assert_eq!(r["planned"], 1, "{r}");
    let mut retro: Vec<String> = ["retro", "write", &events[0], "--worked", "Demos"]
        .iter()
        .chain(&["--broke", "Mic", "--surprised", "Stayed"])
        .map(|s| s.to_string())
        .collect();
    for n in 1..=3 {
        let p = cli.person(&format!("Guest {n}")).to_string();
        cli.run(&["attend", &events[0], &p, "--checked-in"]).ok();
        retro.extend(["--follow-up".to_owned(), format!("{p}=asked a question")]);
    }
    cli.run(&retro.iter().map(String::as_str).collect::<Vec<_>>())
        .ok();
    let sink = Sink::start(free_port(), None);
    let r = notify(&cli, &sink.url(), NOW);
    assert_eq!(r["sent"]["cancelled"], 1, "{r}");
    assert!(sink.messages().is_empty());
    let c = cli.json(&["outbox", "--state", "cancelled"]);
    assert_eq!(c[0]["last_error"], "the retro was written");
}

/// Two senders at once over many due messages: each message arrives once, counted at
/// the server.
fn two_senders_deliver_each_once(cli: Cli) {
    if !enabled() {
        return;
    }
    held_this_morning(&cli, 40, 5);
    // Planned first, by one pass without a server, so both senders race on the sending.
    assert_eq!(cli.json(&["notify", "run"])["planned"], 200);
    let sink = Sink::start(free_port(), None);
    let start = Instant::now();
    let children: Vec<Child> = (0..2)
        .map(|_| {
            process(&cli.db.url)
                .args(["--json", "notify", "run"])
                .env("TRELLIS_SMTP_URL", sink.url())
                .env("TRELLIS_MAIL_FROM", "trellis@example.org")
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert!(start.elapsed() < Duration::from_secs(120));
    let got = sink.messages();
    let mut keys: Vec<String> = got
        .iter()
        .map(|m| format!("{:?} {:?}", header(m, "To"), header(m, "Subject")))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!((got.len(), keys.len()), (200, 200));
    assert_eq!(
        cli.json(&["outbox", "--state", "sent"])
            .as_array()
            .unwrap()
            .len(),
        200
    );
}

/// The kinds of message `notify run --dry-run` finds due at `now`.
fn due_kinds(cli: &Cli, now: &str) -> Vec<String> {
    cli.run_at(now, &["--json", "notify", "run", "--dry-run"])
        .ok()
        .json()["due"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// The organizers are nudged about follow-ups two days before they fall due and weekly
/// once overdue, until the minimum is reached (here: the minimum lowered to 0).
fn followups_below_the_minimum_nudge_the_organizers(cli: Cli) {
    let e = held_this_morning(&cli, 1, 1).remove(0);
    let kinds = |now: &str| due_kinds(&cli, now);
    assert!(!kinds(NOW).contains(&"followups_soon".to_owned()));
    // Held 2026-11-24 09:00Z: due 7 days later, nudged 2 days before and when overdue.
    assert!(kinds("2026-11-29T12:00:00Z").contains(&"followups_soon".to_owned()));
    let late = kinds("2026-12-09T12:00:00Z");
    assert!(late.contains(&"followups_overdue".to_owned()), "{late:?}");
    let p = cli.json(&["event", "show", &e])["program_id"].to_string();
    cli.run(&["program", "edit", &p, "--followup-minimum", "0"])
        .ok();
    let done = kinds("2026-12-09T12:00:00Z");
    assert!(
        !done.iter().any(|k| k.starts_with("followups_")),
        "{done:?}"
    );
}

/// A coming event short of confirmed presenters: its organizers hear it two weeks, one
/// week and three days before, and not once the target is lowered to what it has.
fn an_event_short_of_demos_nudges_its_organizers(cli: Cli) {
    let p = cli.program("Tinkerers Oslo", &[]);
    cli.run(&[
        "organizer",
        "add",
        "--name",
        "Org",
        "--email",
        "org@example.org",
        "--program",
        &p,
    ])
    .ok();
    cli.event(&p, "Dec demo night", "2026-12-10 18:30");
    let short = |now: &str| due_kinds(&cli, now).contains(&"short_of_demos".to_owned());
    assert!(!short(NOW), "more than two weeks before");
    assert!(short("2026-11-27T12:00:00Z"));
    cli.run(&["program", "edit", &p, "--demo-target", "0"]).ok();
    assert!(!short("2026-11-27T12:00:00Z"), "nothing missing any more");
}

/// The morning after an event its organizers are asked to check in; a month after the
/// first held event the review is due; each program's settings switch kinds off, set the
/// short-of-demos lead and gather the nudges into one weekly digest.
fn review_checkin_and_the_programs_settings(cli: Cli) {
    let p = held_this_morning(&cli, 1, 1);
    let p = cli.json(&["event", "show", &p[0]])["program_id"].to_string();
    let has = |now: &str, k: &str| due_kinds(&cli, now).contains(&k.to_owned());
    // Held 2026-11-24 10:00 local (UTC+1): the check-in request goes 09:00 the next day.
    assert!(!has("2026-11-25T07:30:00Z", "checkin"));
    assert!(has("2026-11-25T08:30:00Z", "checkin"));
    assert!(!has("2026-12-24T08:00:00Z", "review_due"));
    assert!(has("2026-12-24T10:00:00Z", "review_due"));
    cli.run(&["program", "notify", &p, "--off", "checkin,review"])
        .ok();
    assert!(!has("2026-11-25T08:30:00Z", "checkin"));
    assert!(!has("2026-12-24T10:00:00Z", "review_due"));
    cli.run(&["program", "notify", &p, "--weekly-digest", "on"])
        .ok();
    let week = due_kinds(&cli, "2026-11-25T08:30:00Z");
    assert_eq!(
        week,
        vec!["weekly_digest".to_owned()],
        "one digest instead of nudges"
    );
    // Its retro is not written yet: the next event is planned past the gate.
    let args = ["event", "new", "--program", &p, "--title", "Dec demo night"];
    let when = ["--at", "2026-12-20 18:30", "--override", "a test evening"];
    cli.run(&[&args[..], &when[..]].concat()).ok();
    cli.run(&[
        "program",
        "notify",
        &p,
        "--weekly-digest",
        "off",
        "--short-of-demos-days",
        "21",
    ])
    .ok();
    assert!(
        has("2026-11-30T12:00:00Z", "short_of_demos"),
        "21 days before"
    );
    let shown = cli.json(&["program", "notify", &p]);
    assert_eq!(shown["short_of_demos_days"], 21, "{shown}");
    let bad = cli.run(&[
        "program",
        "notify",
        &p,
        "--webhook-url",
        "http://example.com/x",
    ]);
    assert_ne!(bad.code, 0, "{}", bad.stdout);
}

/// A chat webhook on loopback: answers 200 to each POST and keeps its body.
fn hook_receiver(port: u16) -> std::sync::Arc<std::sync::Mutex<Vec<String>>> {
    use std::io::Read;
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && s.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let mut body = vec![0u8; length];
            if s.read_exact(&mut body).is_ok() && head.starts_with("post /hook ") {
                kept.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&body).into_owned());
            }
            let _ =
                s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        }
    });
    got
}

/// The organizers' nudges also go to the program's chat webhook, through the outbox:
/// while the receiver is down the post is retried, then delivered once.
fn a_webhook_gets_each_nudge_once_after_being_down(cli: Cli) {
    if !enabled() {
        return;
    }
    let event = held_this_morning(&cli, 2, 1).remove(0);
    let p = cli.json(&["event", "show", &event])["program_id"].to_string();
    let port = free_port();
    let hook = format!("http://127.0.0.1:{port}/hook");
    cli.run(&["program", "notify", &p, "--webhook-url", &hook])
        .ok();
    let sink = Sink::start(free_port(), None);
    let r = notify(&cli, &sink.url(), NOW);
    assert_eq!(
        (r["sent"]["sent"].clone(), r["sent"]["retried"].clone()),
        (2.into(), 1.into()),
        "{r}"
    );
    let planned = cli.json(&["outbox", "--state", "planned"]);
    assert_eq!(planned[0]["channel"], "webhook", "{planned}");
    let error = planned[0]["last_error"].as_str().unwrap();
    assert!(
        error.contains("127.0.0.1") && !error.contains("/hook"),
        "no secret path: {error}"
    );
    let got = hook_receiver(port);
    notify(&cli, &sink.url(), "2026-11-24T12:02:00Z");
    notify(&cli, &sink.url(), "2026-11-24T13:00:00Z");
    let got = got.lock().unwrap().clone();
    assert_eq!(
        got.len(),
        1,
        "one post for the nudge, not one per organizer: {got:?}"
    );
    let body: serde_json::Value = serde_json::from_str(&got[0]).unwrap();
    let text = body["text"].as_str().unwrap();
    assert_eq!(body["content"], body["text"], "Discord reads content");
    assert!(text.starts_with("Retro to write: Night 1"), "{text}");
    assert!(text.contains(&format!("/events/{event}/retro")), "{text}");
    assert_eq!(sink.messages().len(), 2, "the e-mails went once each");
}

/// A `notify run` killed (SIGKILL) while the server holds a message: the messages it
/// had sent stay sent, the one in flight and the rest go on the next run, once its lease
/// (5 minutes) ran out — each delivered exactly once, none lost.
fn a_killed_pass_loses_nothing_and_sends_nothing_twice(cli: Cli) {
    if !enabled() {
        return;
    }
    held_this_morning(&cli, 10, 1);
    assert_eq!(cli.json(&["notify", "run"])["planned"], 10);
    let sink = Sink::start_with(free_port(), None, 300);
    let mut child = process(&cli.db.url)
        .args(["--json", "notify", "run"])
        .env("TRELLIS_SMTP_URL", sink.url())
        .env("TRELLIS_MAIL_FROM", "trellis@example.org")
        .env("TRELLIS_NOW", NOW)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let fifth = sink.dir.path().join("arriving-000005");
    let start = Instant::now();
    while !fifth.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the fifth message never came"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        sink.messages().len(),
        4,
        "four acknowledged before the kill"
    );
    let r = notify(&cli, &sink.url(), NOW);
    assert_eq!(
        r["sent"]["sent"], 0,
        "the killed sender's lease still holds: {r}"
    );
    let r = notify(&cli, &sink.url(), "2026-11-24T12:06:00Z");
    assert_eq!(r["sent"]["sent"], 6, "{r}");
    let got = sink.messages();
    let mut to: Vec<&str> = got.iter().filter_map(|m| header(m, "To")).collect();
    to.sort_unstable();
    to.dedup();
    assert_eq!((got.len(), to.len()), (10, 10), "each organizer once");
}

/// With the weekly digest on, an organizer gets one plain-text message listing what is
/// due, with links, instead of one message per nudge.
fn the_weekly_digest_is_one_message(cli: Cli) {
    if !enabled() {
        return;
    }
    let events = held_this_morning(&cli, 1, 2);
    let p = cli.json(&["event", "show", &events[0]])["program_id"].to_string();
    cli.run(&["program", "notify", &p, "--weekly-digest", "on"])
        .ok();
    let sink = Sink::start(free_port(), None);
    let r = mailing(
        &cli,
        &sink.url(),
        Some(8104),
        NOW,
        &["--json", "notify", "run"],
    );
    assert_eq!(r["sent"]["sent"], 1, "{r}");
    notify(&cli, &sink.url(), "2026-11-25T12:00:00Z");
    let got = sink.messages();
    assert_eq!(got.len(), 1, "one digest a week");
    assert_eq!(
        header(&got[0], "Subject"),
        Some("This week in Trellis: 2 things due")
    );
    assert!(
        !got[0].to_lowercase().contains("multipart") && !got[0].contains("text/html"),
        "plain text: {}",
        got[0]
    );
    for e in &events {
        let link = format!("http://127.0.0.1:8104/events/{e}/retro");
        assert!(got[0].contains(&link), "{link}: {}", got[0]);
    }
}

on_both!(
    a_killed_pass_loses_nothing_and_sends_nothing_twice,
    the_weekly_digest_is_one_message,
    a_webhook_gets_each_nudge_once_after_being_down,
    review_checkin_and_the_programs_settings,
    an_event_short_of_demos_nudges_its_organizers,
    followups_below_the_minimum_nudge_the_organizers,
    retro_reminder_once,
    down_then_up_sends_once,
    written_retro_cancels,
    two_senders_deliver_each_once
);

/// An HTTP request over a plain socket (no client crate): the status line and the body.
fn http(port: u16, method: &str, path: &str, body: &str) -> (String, String) {
    use std::io::Read;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.lines().next().unwrap_or_default().to_owned();
    (status, out)
}

/// `trellis serve` on a free port, killed on drop.
struct Server(Child, u16);

impl Server {
    fn start(cli: &Cli) -> Server {
        let port = free_port();
        let mut child = process(&cli.db.url)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env_remove("TRELLIS_SMTP_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.contains("serving"), "{line}");
        Server(child, port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The path of the first `{base}/{prefix}/…` link in a text.
fn link_path(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap();
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '>')
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn a_presenter_gets_the_contract_link_and_can_unsubscribe() {
    if !enabled() {
        return;
    }
    let cli = Cli::new(trellis_testkit::TestDb::sqlite());
    let (p, e) = cli.program_and_event("3");
    cli.run(&[
        "organizer",
        "add",
        "--name",
        "Olga",
        "--email",
        "olga@example.org",
        "--program",
        &p.to_string(),
    ])
    .ok();
    screened_demo_of_ada(&cli, &e.to_string());
    let server = Server::start(&cli);
    let sink = Sink::start(free_port(), None);
    let run = ["--json", "notify", "run"];
    mailing(&cli, &sink.url(), Some(server.1), NOW, &run);
    let got = sink.messages();
    assert_eq!(got.len(), 1, "{got:?}");
    let m = &got[0];
    assert_eq!(header(m, "To"), Some("ada@example.org"));
    assert_eq!(header(m, "Reply-To"), Some("olga@example.org"));
    assert_eq!(
        header(m, "List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    let unsub = header(m, "List-Unsubscribe").unwrap();
    let unsub = link_path(unsub.trim_start_matches('<'), "/u/");
    // The mailed contract link opens the public contract page.
    let contract = link_path(m, "/c/");
    let (status, page) = http(server.1, "GET", &contract, "");
    assert!(status.contains("200"), "{status}");
    assert!(page.contains("Robots"), "{page}");
    // One click (RFC 8058): no cookie, no form token.
    let (status, _) = http(server.1, "POST", &unsub, "List-Unsubscribe=One-Click");
    assert!(status.contains("200"), "{status}");
    // No-contact now: three days later, no reminder is planned for Ada.
    let later = cli.run_at(
        "2026-11-28T12:00:00Z",
        &["--json", "notify", "run", "--dry-run"],
    );
    let due = later.ok().json()["due"].clone();
    assert!(
        !due.as_array()
            .unwrap()
            .iter()
            .any(|m| m["recipient"] == "ada@example.org"),
        "{due}"
    );
}

#[test]
fn serve_runs_the_scheduler_and_forget_erases_the_outbox() {
    if !enabled() {
        return;
    }
    let cli = Cli::new(trellis_testkit::TestDb::sqlite());
    held_this_morning(&cli, 1, 1);
    let other = cli.program("Tinkerers Bergen", &[]);
    let e = cli.event(&other, "Dec night", "2026-12-10 18:30");
    let (ada, _) = screened_demo_of_ada(&cli, &e);
    let sink = Sink::start(free_port(), None);
    let port = free_port();
    let mut serve = process(&cli.db.url)
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--notify-every",
            "1",
        ])
        .env("TRELLIS_SMTP_URL", sink.url())
        .env("TRELLIS_MAIL_FROM", "trellis@example.org")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while sink.messages().len() < 2 && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = serve.kill();
    let _ = serve.wait();
    let to: Vec<Option<String>> = sink
        .messages()
        .iter()
        .map(|m| header(m, "To").map(str::to_owned))
        .collect();
    assert_eq!(to.len(), 2, "{to:?}");
    assert!(to.contains(&Some("ada@example.org".into())), "{to:?}");
    assert!(to.contains(&Some("org1@example.org".into())), "{to:?}");
    // Forgetting Ada erases the message to her; the organizer's stays.
    cli.run(&["person", "forget", &ada]).ok();
    let left = cli.json(&["outbox"]);
    assert_eq!(left.as_array().unwrap().len(), 1, "{left}");
    assert_eq!(left[0]["recipient"], "org1@example.org");
}

/// Ada (ada@example.org) proposes "Robots" at `event`, and it passes screening now.
/// Returns (Ada, the demo).
fn screened_demo_of_ada(cli: &Cli, event: &str) -> (String, String) {
    let person = ["--json", "person", "add", "--name", "Ada"];
    let person = [&person[..], &["--email", "ada@example.org"]].concat();
    let ada = cli.run(&person).ok().id().to_string();
    let args = ["--json", "demo", "propose", "--event", event];
    let args = [&args[..], &["--person", &ada, "--title", "Robots"]].concat();
    let d = cli.run(&args).ok().id().to_string();
    cli.run(&["demo", "screen", &d, "--pass"]).ok();
    (ada, d)
}

#[test]
fn followups_by_email_to_the_suggested_never_to_no_contact() {
    if !enabled() {
        return;
    }
    let cli = Cli::new(trellis_testkit::TestDb::sqlite());
    let e = held_this_morning(&cli, 1, 1).remove(0);
    let people: Vec<String> = (1..=3)
        .map(|n| {
            let (name, email) = (format!("Guest {n}"), format!("guest{n}@example.org"));
            let add = [
                "--json", "person", "add", "--name", &name, "--email", &email,
            ];
            let p = cli.run(&add).ok().id().to_string();
            cli.run(&["attend", &e, &p, "--checked-in"]).ok();
            p
        })
        .collect();
    cli.run(&["person", "edit", &people[2], "--no-contact"])
        .ok();
    let server = Server::start(&cli);
    let sink = Sink::start(free_port(), None);
    let mail = |args: &[&str]| mailing(&cli, &sink.url(), Some(server.1), NOW, args);
    let r = mail(&[
        "--json",
        "followup",
        "send",
        &e,
        "--suggested",
        "--channel",
        "email",
    ]);
    assert_eq!(r["sent"]["sent"], 2, "{r}");
    let r = mail(&[
        "--json",
        "followup",
        "send",
        &e,
        &people[2],
        "--channel",
        "email",
    ]);
    assert_eq!(r["people"][0]["skipped"], "marked no-contact", "{r}");
    let got = sink.messages();
    assert_eq!(got.len(), 2);
    for m in &got {
        assert_ne!(header(m, "To"), Some("guest3@example.org"));
        assert_eq!(header(m, "Reply-To"), Some("org1@example.org"));
        assert!(header(m, "List-Unsubscribe").is_some(), "{m}");
        // Each person's own form link opens the public follow-up page.
        let (status, _) = http(server.1, "GET", &link_path(m, "/f/"), "");
        assert!(status.contains("200"), "{status}");
    }
    let links: Vec<String> = got.iter().map(|m| link_path(m, "/f/")).collect();
    assert_ne!(links[0], links[1]);
}
