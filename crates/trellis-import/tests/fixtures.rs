//! Every example export parsed to exact records: the platform detected from the content,
//! statuses mapped, questions kept, bad rows skipped with their line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use trellis_core::attendance::Rsvp;
use trellis_core::demo::DemoStatus;
use trellis_core::import::{Guest, Record, Session, Shape, Speaker};
use trellis_import::{ImportError, PUBLISHED, read_all};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn guests(records: &[Record]) -> Vec<&Guest> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Guest(g) => Some(g),
            _ => None,
        })
        .collect()
}

fn sessions(records: &[Record]) -> Vec<&Session> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Session(s) => Some(s),
            _ => None,
        })
        .collect()
}

fn speakers(records: &[Record]) -> Vec<&Speaker> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Speaker(s) => Some(s),
            _ => None,
        })
        .collect()
}

fn skipped(records: &[Record]) -> Vec<(u64, String)> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Skipped(n) => Some((n.line, n.reason.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn luma_layout_a_with_bom_crlf_and_questions() {
    let (d, recs, facts) = read_all(&fixture("luma-guests.csv"), None).unwrap();
    assert_eq!(d.shape, Shape::LumaCsv);
    assert!(d.because.contains("api_id"), "{}", d.because);
    assert_eq!(facts.rows, 7);
    assert_eq!(
        facts.questions,
        vec![
            "What are you building?",
            "Would you like to demo? (5 min slot)"
        ]
    );
    let g = guests(&recs);
    assert_eq!(g.len(), 7);
    let lines: Vec<u64> = g.iter().map(|x| x.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8]);
    let statuses: Vec<(Rsvp, bool)> = g.iter().map(|x| (x.rsvp, x.checked_in)).collect();
    assert_eq!(
        statuses,
        vec![
            (Rsvp::Going, true),
            (Rsvp::Going, false),
            (Rsvp::Waitlist, false),
            (Rsvp::Declined, false),
            (Rsvp::Waitlist, false),
            (Rsvp::Invited, false),
            (Rsvp::Going, false),
        ]
    );
    assert_eq!(g[0].person.name.as_deref(), Some("Ada Example"));
    assert_eq!(g[6].person.email.as_deref(), Some("Ada@Example.COM"));
    assert_eq!(g[5].person.name, None, "the invited guest has no name");
    assert_eq!(
        g[1].answers,
        vec![
            (0, "Rust bindings for a vector DB, \"early WIP\"".to_owned()),
            (1, "Maybe later".to_owned())
        ]
    );
    assert_eq!(g[4].person.name.as_deref(), Some("Chen Wei 陈伟"));
    assert_eq!(facts.sha256.len(), 64);
    assert!(skipped(&recs).is_empty());
}

#[test]
fn luma_layout_c_is_read_by_column_name() {
    let (d, recs, facts) = read_all(&fixture("luma-guests-2026.csv"), None).unwrap();
    assert_eq!(d.shape, Shape::LumaCsv);
    assert!(d.because.contains("guest_id"));
    assert_eq!(facts.rows, 5);
    assert_eq!(facts.questions, vec!["What are you building?"]);
    let g = guests(&recs);
    let checked: Vec<bool> = g.iter().map(|x| x.checked_in).collect();
    assert_eq!(checked, vec![true, false, false, false, true]);
    assert_eq!(g[1].person.name.as_deref(), Some("Björn Testperson"));
}

#[test]
fn eventbrite_report_rows_are_tickets() {
    let (d, recs, facts) = read_all(&fixture("eventbrite-attendees.csv"), None).unwrap();
    assert_eq!(d.shape, Shape::EventbriteCsv);
    assert_eq!(facts.rows, 7);
    let g = guests(&recs);
    assert_eq!(g.len(), 7);
    assert_eq!(g[2].group, g[3].group, "two tickets of one order");
    assert_eq!(g[0].rsvp, Rsvp::Going);
    assert!(g[0].checked_in);
    assert_eq!(g[4].rsvp, Rsvp::Declined);
    assert_eq!(g[5].person.name.as_deref(), Some("陈 伟"));
    assert_eq!(
        facts.questions,
        vec![
            "What are you building?",
            "Would you like a demo slot?",
            "Job Title",
            "Company"
        ]
    );
    assert_eq!(g[0].answers.len(), 4);
}

#[test]
fn eventbrite_api_json_streams_the_attendees() {
    let (d, recs, facts) = read_all(&fixture("eventbrite-api-attendees.json"), None).unwrap();
    assert_eq!(d.shape, Shape::EventbriteJson);
    assert_eq!(facts.rows, 6);
    let g = guests(&recs);
    let s: Vec<(Rsvp, bool)> = g.iter().map(|x| (x.rsvp, x.checked_in)).collect();
    assert_eq!(
        s,
        vec![
            (Rsvp::Going, true),
            (Rsvp::Going, false),
            (Rsvp::Declined, false),
            (Rsvp::Going, false),
            (Rsvp::Going, false),
            (Rsvp::Declined, false),
        ]
    );
    // Lines are where each attendee object starts.
    assert_eq!(g[0].line, 10);
    assert!(g[1].line > g[0].line);
    assert_eq!(facts.questions, vec!["What are you building?"]);
    assert_eq!(g[0].answers.len(), 1);
    assert!(
        g[1].answers.is_empty(),
        "an unanswered question is no answer"
    );
}

#[test]
fn meetup_has_member_ids_and_no_email() {
    let (d, recs, facts) = read_all(&fixture("meetup-attendees.csv"), None).unwrap();
    assert_eq!(d.shape, Shape::MeetupCsv);
    assert_eq!(facts.rows, 6);
    let g = guests(&recs);
    assert_eq!(g.len(), 5);
    assert_eq!(g[0].person.platform_id.as_deref(), Some("100000001"));
    assert!(g.iter().all(|x| x.person.email.is_none()));
    let s: Vec<(Rsvp, bool)> = g.iter().map(|x| (x.rsvp, x.checked_in)).collect();
    assert_eq!(
        s,
        vec![
            (Rsvp::Going, true),
            (Rsvp::Going, true),
            (Rsvp::Going, false),
            (Rsvp::Declined, false),
            (Rsvp::Waitlist, false),
        ]
    );
    let sk = skipped(&recs);
    assert_eq!(sk.len(), 1);
    assert_eq!(sk[0].0, 7);
    assert!(sk[0].1.contains("no User ID"), "{}", sk[0].1);
}

#[test]
fn sessionize_sessions_become_demos_and_speakers_people() {
    let (d, recs, facts) = read_all(&fixture("sessionize-all.json"), None).unwrap();
    assert_eq!(d.shape, Shape::SessionizeJson);
    assert_eq!(facts.rows, 10);
    let s = sessions(&recs);
    let st: Vec<(&str, DemoStatus)> = s
        .iter()
        .map(|x| (x.external_id.as_str(), x.status))
        .collect();
    assert_eq!(
        st,
        vec![
            ("700001", DemoStatus::Confirmed),
            ("700002", DemoStatus::Screened),
            ("700003", DemoStatus::Proposed),
            ("700004", DemoStatus::Rejected),
        ]
    );
    assert_eq!(s[1].speakers.len(), 2);
    assert_eq!(s[1].speakers[1].name.as_deref(), Some("伟 陈"));
    assert_eq!(
        facts.questions[s[0].answers[0].0 as usize],
        "Link to repo or demo"
    );
    let sk = skipped(&recs);
    assert_eq!(sk.len(), 1);
    assert!(sk[0].1.contains("SZ-pizza-1"), "{sk:?}");
    assert_eq!(speakers(&recs).len(), 5);
    assert_eq!(s[0].line, 3);
}

#[test]
fn pretalx_submissions_speakers_and_session_csv() {
    let (d, recs, facts) = read_all(&fixture("pretalx-submissions.json"), None).unwrap();
    assert_eq!(d.shape, Shape::PretalxSubmissionsJson);
    assert_eq!(facts.rows, 6);
    let st: Vec<DemoStatus> = sessions(&recs).iter().map(|x| x.status).collect();
    assert_eq!(
        st,
        vec![
            DemoStatus::Confirmed,
            DemoStatus::Screened,
            DemoStatus::Proposed,
            DemoStatus::Rejected,
            DemoStatus::Withdrawn,
            DemoStatus::Withdrawn,
        ]
    );

    let (d, recs, facts) = read_all(&fixture("pretalx-speakers.json"), None).unwrap();
    assert_eq!(d.shape, Shape::PretalxSpeakersJson);
    assert_eq!(facts.rows, 5);
    let sp = speakers(&recs);
    assert_eq!(sp[2].person.email.as_deref(), Some("Chen.Wei@Example.com"));
    assert!(sp[0].arrived);
    assert_eq!(sp[4].person.email, None, "a managed speaker has no e-mail");
    assert_eq!(sp[2].sessions, vec!["BCD8RY", "EFG2UB"]);

    let (d, recs, facts) = read_all(&fixture("pretalx-sessions-export.csv"), None).unwrap();
    assert_eq!(d.shape, Shape::PretalxSessionsCsv);
    assert_eq!(facts.rows, 6);
    let s = sessions(&recs);
    assert_eq!(s[1].speakers.len(), 2, "newline-joined speaker cells");
    assert_eq!(s[1].speakers[1].platform_id.as_deref(), Some("SPK3CW"));
    assert_eq!(s[1].speakers[1].name.as_deref(), Some("陈伟"));
    let lines: Vec<u64> = s.iter().map(|x| x.line).collect();
    assert_eq!(lines, vec![2, 3, 6, 7, 8, 9], "a record over three lines");
    assert_eq!(facts.questions, vec!["Link to repo or demo"]);
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn bad_files_say_what_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(&dir, "empty.csv", b"");
    assert!(matches!(
        read_all(&empty, None),
        Err(ImportError::Empty { .. })
    ));
    let bom_only = write(&dir, "bom.csv", b"\xEF\xBB\xBF\r\n");
    assert!(matches!(
        read_all(&bom_only, None),
        Err(ImportError::Empty { .. })
    ));

    let bin = write(&dir, "x.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let e = read_all(&bin, Some(trellis_core::import::Platform::Luma))
        .unwrap_err()
        .to_string();
    assert!(e.contains("x.png") && e.contains("not a text file"), "{e}");

    let missing = write(
        &dir,
        "guests.csv",
        b"api_id,name,approval_status\r\ngst-1,Ada,approved\r\n",
    );
    let e = read_all(&missing, None).unwrap_err().to_string();
    assert!(e.contains("guests.csv:1") && e.contains("\"email\""), "{e}");

    let unknown = write(&dir, "x.csv", b"a,b,c\n1,2,3\n");
    let e = read_all(&unknown, None).unwrap_err().to_string();
    assert!(
        e.contains("cannot tell which platform") && e.contains("a, b, c"),
        "{e}"
    );

    let e = read_all(
        &fixture("meetup-attendees.csv"),
        Some(trellis_core::import::Platform::Luma),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("not a luma export") && e.contains("trellis import meetup"),
        "{e}"
    );

    let json = write(&dir, "s.json", b"{\"sessions\": [{\"id\": \"1\",\n \"isServiceSession\": false, \"categoryItems\": [], \"speakers\": [] ,\n \"title\": }]}");
    let e = read_all(&json, None).unwrap_err().to_string();
    assert!(e.contains("s.json:3:"), "{e}");
}

#[test]
fn a_malformed_row_is_skipped_and_the_rest_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "g.csv",
        b"api_id,name,email,approval_status,checked_in_at\n\
          gst-1,Ada,ada@example.com,approved,\n\
          gst-2,Bob,bob@example.com\n\
          gst-3,Cy,cy@example.com,sold_out,\n\
          gst-4,Di,,approved,\n\
          gst-5,Ed,ed@example.com,approved,2025-01-01T00:00:00Z\n",
    );
    let (_, recs, facts) = read_all(&p, None).unwrap();
    assert_eq!(facts.rows, 5);
    assert_eq!(guests(&recs).len(), 2);
    let sk = skipped(&recs);
    assert_eq!(sk.iter().map(|s| s.0).collect::<Vec<_>>(), vec![3, 4, 5]);
    assert!(sk[0].1.contains("3 fields, the header has 5"), "{sk:?}");
    assert!(sk[1].1.contains("sold_out"), "{sk:?}");
    assert!(sk[2].1.contains("email is empty"), "{sk:?}");
}

/// Issue 19, point 5: an event's public `view/All` has no `status`: every session in it
/// is on the published schedule, so each is a confirmed demo, never "skipped".
#[test]
fn sessionize_public_feed_without_status() {
    let (d, recs, facts) = read_all(&fixture("sessionize-public-all.json"), None).unwrap();
    assert_eq!(d.shape, Shape::SessionizeJson);
    assert_eq!(facts.rows, 6);
    let s = sessions(&recs);
    let st: Vec<(&str, DemoStatus, &str)> = s
        .iter()
        .map(|x| (x.external_id.as_str(), x.status, x.platform_status.as_str()))
        .collect();
    assert_eq!(
        st,
        vec![
            ("700001", DemoStatus::Confirmed, PUBLISHED),
            ("700002", DemoStatus::Confirmed, PUBLISHED),
        ]
    );
    let sk = skipped(&recs);
    assert_eq!(sk.len(), 1, "only the service session: {sk:?}");
    assert!(sk[0].1.contains("service session"), "{sk:?}");
}

/// Issue 19, point 5: the "Sessions" view, a top-level array of groups each with its
/// sessions, speakers inline as `{id, name}` and answers beside their question.
#[test]
fn sessionize_sessions_view() {
    let (d, recs, facts) = read_all(&fixture("sessionize-public-sessions.json"), None).unwrap();
    assert_eq!(d.shape, Shape::SessionizeJson);
    assert_eq!(facts.rows, 3);
    let s = sessions(&recs);
    assert_eq!(s.len(), 2);
    assert!(s.iter().all(|x| x.status == DemoStatus::Confirmed));
    assert_eq!(s[1].speakers.len(), 2);
    assert_eq!(s[1].speakers[1].name.as_deref(), Some("伟 陈"));
    assert_eq!(
        s[1].speakers[1].platform_id.as_deref(),
        Some("7a1f2c3e-0000-4000-8000-000000000004")
    );
    assert_eq!(
        facts.questions[s[0].answers[0].0 as usize],
        "Link to repo or demo"
    );
    assert_eq!(skipped(&recs).len(), 1, "the service session");
}

/// Issue 19, point 6: pretalx pages saved joined, as one top-level array of submissions
/// or of speakers, read as the API page is; an array of whole pages too.
#[test]
fn pretalx_joined_pages() {
    let (d, recs, facts) = read_all(&fixture("pretalx-submissions-joined.json"), None).unwrap();
    assert_eq!(d.shape, Shape::PretalxSubmissionsJson);
    assert_eq!(facts.rows, 6);
    let (_, paged, _) = read_all(&fixture("pretalx-submissions.json"), None).unwrap();
    let status =
        |r: &[Record]| -> Vec<DemoStatus> { sessions(r).iter().map(|x| x.status).collect() };
    assert_eq!(status(&recs), status(&paged));

    let (d, recs, facts) = read_all(&fixture("pretalx-speakers-joined.json"), None).unwrap();
    assert_eq!(d.shape, Shape::PretalxSpeakersJson);
    assert_eq!(facts.rows, 5);
    assert_eq!(speakers(&recs)[2].sessions, vec!["BCD8RY", "EFG2UB"]);

    let dir = tempfile::tempdir().unwrap();
    let pages = write(
        &dir,
        "pages.json",
        br#"[{"count": 3, "next": "https://pretalx.example.org/api/events/x/speakers/?page=2", "results": [
              {"code": "A", "name": "Ada", "biography": null, "submissions": ["S1"]},
              {"code": "B", "name": "Bo", "biography": null, "submissions": []}]},
             {"count": 3, "next": null, "results": [
              {"code": "C", "name": "Cy", "biography": null, "submissions": ["S2"]}]}]"#,
    );
    let (d, recs, facts) = read_all(&pages, Some(trellis_core::import::Platform::Pretalx)).unwrap();
    assert_eq!(d.shape, Shape::PretalxSpeakersJson);
    assert_eq!(facts.rows, 3);
    let codes: Vec<_> = speakers(&recs)
        .iter()
        .map(|s| s.person.platform_id.clone().unwrap_or_default())
        .collect();
    assert_eq!(codes, ["A", "B", "C"]);
}

/// Issue 19, point 7: well-formed JSON of no known shape is refused as such, saying what
/// its top level is; never "not valid JSON".
#[test]
fn valid_json_of_an_unknown_shape_is_refused_honestly() {
    let dir = tempfile::tempdir().unwrap();
    let array = write(
        &dir,
        "people.json",
        br#"[{"id": 1, "name": "Ada", "when": "2025-03-11"}, {"id": 2}]"#,
    );
    for named in [None, Some(trellis_core::import::Platform::Sessionize)] {
        let e = read_all(&array, named).unwrap_err().to_string();
        assert!(
            e.contains("valid JSON, but not a shape Trellis knows: its top level is an array of objects with keys id, name, when"),
            "{e}"
        );
        assert!(!e.contains("not valid JSON"), "{e}");
    }
    let object = write(&dir, "o.json", br#"{"foo": {"bar": 1}, "baz": [1, 2]}"#);
    let e = read_all(&object, Some(trellis_core::import::Platform::Pretalx))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("its top level is an object with keys foo, baz; a pretalx export is"),
        "{e}"
    );
    // The list where it should be, but of the wrong type: still a shape, with its line.
    let wrong = write(
        &dir,
        "w.json",
        b"{\"attendees\": \"none\",\n \"pagination\": {}}",
    );
    let e = read_all(&wrong, None).unwrap_err().to_string();
    assert!(
        e.contains("w.json: valid JSON, but not a shape Trellis knows: at line 1:"),
        "{e}"
    );
    let broken = write(&dir, "b.json", b"[{\"id\": 1,, }]");
    let e = read_all(&broken, None).unwrap_err().to_string();
    assert!(e.contains("not valid JSON"), "{e}");
}

#[test]
fn an_unreadable_check_in_time_skips_the_row_with_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "guests.csv",
        b"api_id,name,email,approval_status,checked_in_at\n\
          gst-1,Ada,ada@x.example,approved,2026-02-12T00:45:10.000Z\n\
          gst-2,Bo,bo@x.example,approved,yesterday-ish\n\
          gst-3,Cy,cy@x.example,approved,\n",
    );
    let (_, records, _) = read_all(&f, None).unwrap();
    let g = guests(&records);
    assert_eq!(g.len(), 2);
    assert!(g[0].checked_in && !g[1].checked_in);
    assert_eq!(
        skips(&records),
        vec![(
            3,
            "checked_in_at \"yesterday-ish\" is not a time (Luma writes 2026-02-12T00:45:10.000Z)"
        )]
    );
}

#[test]
fn a_duplicate_column_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "guests.csv",
        b"api_id,name,email,approval_status,email\ngst-1,Ada,ada@x.example,approved,eve@x.example\n",
    );
    let e = read_all(&f, None).unwrap_err();
    assert!(matches!(e, ImportError::DuplicateColumn { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        format!(
            "{}:1: the header has the column \"email\" twice; which one holds the data cannot be told: remove one and import again",
            f.display()
        )
    );
}

#[test]
fn a_file_without_one_readable_row_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "bad.csv",
        b"api_id,name,email,approval_status\ngst-1,Ada,,approved\ngst-2,Bo,bo@x.example,maybe\n",
    );
    let e = read_all(&f, None).unwrap_err();
    assert!(matches!(e, ImportError::NothingReadable { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("no row could be read (all 2 rows were skipped: line 2: email is empty")
            && text.contains("line 3: approval_status \"maybe\"")
            && text.ends_with("nothing was imported"),
        "{text}"
    );
    let f = write(&dir, "header.csv", b"api_id,name,email,approval_status\n");
    let e = read_all(&f, None).unwrap_err().to_string();
    assert!(e.contains("the file has a header and no rows"), "{e}");
}

#[test]
fn semicolon_and_tab_separated_files_are_read_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let comma = std::fs::read_to_string(fixture("luma-guests.csv")).unwrap();
    let (d, expected, _) = read_all(&fixture("luma-guests.csv"), None).unwrap();
    assert!(!d.because.contains("separated"), "{}", d.because);
    for (name, sep, said) in [("semi.csv", ";", "semicolons"), ("tab.tsv", "\t", "tabs")] {
        // The fixture has no separator inside a quoted field that would change meaning:
        // swapping the commas outside quotes gives the same file in the other dialect.
        let mut out = String::new();
        let mut quoted = false;
        for c in comma.chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    out.push(c);
                }
                ',' if !quoted => out.push_str(sep),
                _ => out.push(c),
            }
        }
        let f = write(&dir, name, out.as_bytes());
        let (d, records, _) = read_all(&f, None).unwrap();
        assert_eq!(d.shape, Shape::LumaCsv);
        assert!(
            d.because.contains(&format!("fields separated by {said}")),
            "{}",
            d.because
        );
        assert_eq!(records, expected, "{name}");
    }
}
fn skips(records: &[Record]) -> Vec<(u64, &str)> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Skipped(n) => Some((n.line, n.reason.as_str())),
            _ => None,
        })
        .collect()
}
