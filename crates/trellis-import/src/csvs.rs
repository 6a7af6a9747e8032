//! The CSV exports: Luma guests, Eventbrite attendees, Meetup attendees, pretalx sessions.
//! Columns are found by name, never by position (Luma alone has shipped four layouts);
//! a column that is not one of the platform's fixed columns is a question, and its cells
//! are kept as answers.

use crate::error::ImportError;
use crate::{Out, Questions, cell};
use std::io::Read;
use trellis_core::attendance::Rsvp;
use trellis_core::demo::DemoStatus;
use trellis_core::import::{Guest, PersonKey, Record, Session, Shape};

/// The header, by name.
struct Header {
    names: Vec<String>,
}

impl Header {
    fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|h| h == name)
    }

    fn any(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.find(n))
    }

    fn need(&self, file: &str, shape: Shape, names: &[&str]) -> Result<usize, ImportError> {
        self.any(names).ok_or_else(|| ImportError::MissingColumn {
            file: file.to_owned(),
            line: 1,
            shape: shape.as_str().to_owned(),
            column: names.join("\" or \""),
            header: {
                let mut shown: Vec<&str> = self.names.iter().take(8).map(String::as_str).collect();
                if self.names.len() > 8 {
                    shown.push("…");
                }
                if shown.is_empty() {
                    "no columns".into()
                } else {
                    shown.join(", ")
                }
            },
        })
    }

    /// The columns that are none of `fixed`, with their question ids.
    fn questions(&self, fixed: &[&str], q: &mut Questions) -> Vec<(usize, u32)> {
        self.names
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.is_empty() && !fixed.contains(&h.as_str()))
            .map(|(i, h)| (i, q.id(h)))
            .collect()
    }
}

fn answers(rec: &csv::StringRecord, cols: &[(usize, u32)]) -> Vec<(u32, String)> {
    cols.iter()
        .filter_map(|(i, q)| rec.get(*i).and_then(cell).map(|a| (*q, a.to_owned())))
        .collect()
}

fn get(rec: &csv::StringRecord, col: Option<usize>) -> Option<&str> {
    col.and_then(|i| rec.get(i)).and_then(cell)
}

/// `crlf`: the file's lines end with CRLF. The csv crate then places a record's start on
/// the `\n` of the line before (it stopped at the `\r`), so lines count one on.
pub(crate) fn parse(
    file: &str,
    shape: Shape,
    crlf: bool,
    separator: u8,
    reader: impl Read,
    out: &mut Out<'_>,
) -> Result<Vec<String>, ImportError> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .delimiter(separator)
        .buffer_capacity(256 * 1024)
        .from_reader(reader);
    let mut rec = csv::StringRecord::new();
    let header = read_header(file, &mut r, &mut rec)?;
    let mut q = Questions::default();
    let mut row = match shape {
        Shape::LumaCsv => luma(file, &header, &mut q)?,
        Shape::EventbriteCsv => eventbrite(file, &header, &mut q)?,
        Shape::MeetupCsv => meetup(file, &header, &mut q)?,
        Shape::PretalxSessionsCsv => pretalx(file, &header, &mut q)?,
        other => {
            return Err(ImportError::Unknown {
                file: file.to_owned(),
                detail: format!("{other} is not a CSV export"),
            });
        }
    };
    loop {
        match r.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line()) + u64::from(crlf);
                out.rows += 1;
                // A blank line inside the data (Excel leaves them) is not a row.
                if rec.iter().all(|c| c.trim().is_empty()) {
                    out.rows -= 1;
                    continue;
                }
                let record = row(line, &rec);
                out.push(record)?;
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line()) + u64::from(crlf);
                match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        out.rows += 1;
                        out.skip(
                            line,
                            format!("has {len} fields, the header has {expected_len}"),
                        )?;
                    }
                    csv::ErrorKind::Utf8 { err, .. } => {
                        out.rows += 1;
                        out.skip(line, format!("field {} is not UTF-8 text", err.field() + 1))?;
                    }
                    _ => return Err(csv_error(file, &e)),
                }
            }
        }
    }
    Ok(q.into_list())
}

/// The first record: the column names, each once.
fn read_header<R: Read>(
    file: &str,
    r: &mut csv::Reader<R>,
    rec: &mut csv::StringRecord,
) -> Result<Header, ImportError> {
    let names: Vec<String> = match r.read_record(rec) {
        Ok(true) => rec.iter().map(|h| h.trim().to_owned()).collect(),
        Ok(false) => {
            return Err(ImportError::Empty {
                file: file.to_owned(),
            });
        }
        Err(e) => return Err(csv_error(file, &e)),
    };
    // Two columns of one name: which holds the data cannot be told, so neither is guessed.
    let mut seen = std::collections::HashSet::new();
    if let Some(twice) = names
        .iter()
        .find(|n| !n.is_empty() && !seen.insert(n.as_str()))
    {
        return Err(ImportError::DuplicateColumn {
            file: file.to_owned(),
            column: twice.clone(),
        });
    }
    Ok(Header { names })
}

fn csv_error(file: &str, e: &csv::Error) -> ImportError {
    match e.kind() {
        csv::ErrorKind::Io(io) => ImportError::Io {
            file: file.to_owned(),
            detail: io.to_string(),
        },
        _ => ImportError::Malformed {
            file: file.to_owned(),
            line: e.position().map_or(0, |p| p.line()),
            column: 1,
            detail: e.to_string(),
        },
    }
}

type Row = Box<dyn FnMut(u64, &csv::StringRecord) -> Record>;

fn skipped(line: u64, reason: String) -> Record {
    Record::Skipped(trellis_core::import::RowNote { line, reason })
}

/// Luma's fixed columns over every layout seen (A, A′, B, C, D); the rest are questions.
const LUMA_FIXED: &[&str] = &[
    "api_id",
    "guest_id",
    "name",
    "first_name",
    "last_name",
    "email",
    "phone_number",
    "created_at",
    "approval_status",
    "checked_in_at",
    "custom_source",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "google_click_id",
    "meta_click_id",
    "x_click_id",
    "linkedin_click_id",
    "tiktok_click_id",
    "reddit_click_id",
    "yandex_click_id",
    "referrer",
    "referred_by",
    "qr_code_url",
    "amount",
    "amount_tax",
    "amount_discount",
    "currency",
    "coupon_code",
    "eth_address",
    "solana_address",
    "survey_response_rating",
    "survey_response_feedback",
    "ticket_type_id",
    "ticket_name",
];

/// Luma's `approval_status` → RSVP. `pending_approval` has registered but is not yet
/// admitted: a waitlist. `session` is undocumented: the row is kept as invited, the
/// weakest claim (it counts as nobody's RSVP).
pub fn luma_rsvp(status: &str) -> Option<Rsvp> {
    Some(match status {
        "approved" => Rsvp::Going,
        "waitlist" | "pending_approval" => Rsvp::Waitlist,
        "declined" => Rsvp::Declined,
        "invited" | "session" => Rsvp::Invited,
        _ => return None,
    })
}

/// An ISO 8601 time, with its offset (as Luma writes it) or without (as a spreadsheet
/// may save it back).
fn is_timestamp(text: &str) -> bool {
    text.parse::<jiff::Timestamp>().is_ok() || text.parse::<jiff::civil::DateTime>().is_ok()
}

fn full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    match (first, last) {
        (Some(f), Some(l)) => Some(format!("{f} {l}")),
        (Some(x), None) | (None, Some(x)) => Some(x.to_owned()),
        (None, None) => None,
    }
}

fn luma(file: &str, h: &Header, q: &mut Questions) -> Result<Row, ImportError> {
    let email = h.need(file, Shape::LumaCsv, &["email"])?;
    let status = h.need(file, Shape::LumaCsv, &["approval_status"])?;
    let name = h.find("name");
    let first = h.find("first_name");
    let last = h.find("last_name");
    let checked = h.find("checked_in_at");
    let qs = h.questions(LUMA_FIXED, q);
    Ok(Box::new(move |line, rec| {
        let Some(raw_status) = get(rec, Some(status)) else {
            return skipped(line, "approval_status is empty".into());
        };
        let Some(rsvp) = luma_rsvp(raw_status) else {
            return skipped(
                line,
                format!(
                    "approval_status {raw_status:?} is not one Luma uses (approved, waitlist, pending_approval, declined, invited)"
                ),
            );
        };
        let Some(mail) = get(rec, Some(email)) else {
            return skipped(line, "email is empty: cannot tell who this guest is".into());
        };
        let checked_in = get(rec, checked);
        if let Some(at) = checked_in.filter(|at| !is_timestamp(at)) {
            return skipped(
                line,
                format!(
                    "checked_in_at {at:?} is not a time (Luma writes 2026-02-12T00:45:10.000Z)"
                ),
            );
        }
        Record::Guest(Guest {
            line,
            person: PersonKey {
                name: get(rec, name)
                    .map(str::to_owned)
                    .or_else(|| full_name(get(rec, first), get(rec, last))),
                email: Some(mail.to_owned()),
                platform_id: None,
            },
            rsvp,
            checked_in: checked_in.is_some(),
            status: raw_status.to_owned(),
            group: None,
            answers: answers(rec, &qs),
        })
    }))
}

const EVENTBRITE_FIXED: &[&str] = &[
    "Order #",
    "Order Date",
    "Date",
    "First Name",
    "Last Name",
    "Email",
    "Quantity",
    "QTY",
    "Price Tier",
    "Ticket Type",
    "Attendee #",
    "Group",
    "Order Type",
    "Currency",
    "Total Paid",
    "Fees Paid",
    "Eventbrite Fees",
    "Eventbrite Payment Processing",
    "Attendee Status",
    "Status",
    "Order Status",
    "Checked In",
    "Date Attending",
    "Amount (USD)",
    "Fees Paid (USD)",
    "CC Processing (USD)",
    "Eventbrite Fees (USD)",
    "Total Paid (USD)",
    "Home Address 1",
    "Home Address 2",
    "Home City",
    "Home State",
    "Home Zip",
    "Home Country",
];

/// Eventbrite's attendee status → (RSVP, checked in), or `None` for a status that is
/// not an attendance (a transferred ticket has a row of its own under the new holder).
pub fn eventbrite_status(status: &str) -> Option<(Rsvp, bool)> {
    Some(match status.to_ascii_lowercase().as_str() {
        "checked in" => (Rsvp::Going, true),
        "attending" | "placed" | "completed" => (Rsvp::Going, false),
        "not attending" | "refunded" | "deleted" | "cancelled" | "canceled" => {
            (Rsvp::Declined, false)
        }
        _ => return None,
    })
}

fn eventbrite(file: &str, h: &Header, q: &mut Questions) -> Result<Row, ImportError> {
    let email = h.need(file, Shape::EventbriteCsv, &["Email"])?;
    let status = h.need(
        file,
        Shape::EventbriteCsv,
        &["Attendee Status", "Status", "Order Status"],
    )?;
    let checked_col = h.find("Checked In");
    let first = h.find("First Name");
    let last = h.find("Last Name");
    let order = h.any(&["Order #"]);
    let qs = h.questions(EVENTBRITE_FIXED, q);
    Ok(Box::new(move |line, rec| {
        let Some(raw) = get(rec, Some(status)) else {
            return skipped(line, "Attendee Status is empty".into());
        };
        let Some((rsvp, mut checked)) = eventbrite_status(raw) else {
            return skipped(
                line,
                format!(
                    "Attendee Status {raw:?} is not an attendance (Checked In, Attending, Not Attending, Refunded)"
                ),
            );
        };
        if let Some(c) = get(rec, checked_col) {
            checked |= matches!(c.to_ascii_lowercase().as_str(), "yes" | "y" | "true" | "1");
        }
        let Some(mail) = get(rec, Some(email)) else {
            return skipped(
                line,
                "Email is empty: cannot tell who this attendee is".into(),
            );
        };
        Record::Guest(Guest {
            line,
            person: PersonKey {
                name: full_name(get(rec, first), get(rec, last)),
                email: Some(mail.to_owned()),
                platform_id: None,
            },
            rsvp,
            checked_in: checked,
            status: raw.to_owned(),
            group: get(rec, order).map(str::to_owned),
            answers: answers(rec, &qs),
        })
    }))
}

const MEETUP_FIXED: &[&str] = &[
    "Name",
    "Attendance",
    "User ID",
    "Title",
    "Event Host",
    "RSVP",
    "Guests",
    "RSVPed on",
    "Joined Group on",
    "URL of Member Profile",
    "Notes",
];

/// Meetup's RSVP → Trellis's.
pub fn meetup_rsvp(rsvp: &str) -> Option<Rsvp> {
    Some(match rsvp.to_ascii_lowercase().as_str() {
        "yes" => Rsvp::Going,
        "no" => Rsvp::Declined,
        "waitlist" => Rsvp::Waitlist,
        _ => return None,
    })
}

/// The member id: `user 12537919`, or the number in the profile URL.
fn member_id(user: Option<&str>, url: Option<&str>) -> Option<String> {
    if let Some(id) = user
        .map(|u| u.trim_start_matches("user").trim())
        .filter(|u| !u.is_empty() && u.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(id.to_owned());
    }
    let url = url?;
    let rest = &url[url.find("/members/")? + "/members/".len()..];
    let id: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!id.is_empty()).then_some(id)
}

fn meetup(file: &str, h: &Header, q: &mut Questions) -> Result<Row, ImportError> {
    let name = h.need(file, Shape::MeetupCsv, &["Name"])?;
    let user = h.need(file, Shape::MeetupCsv, &["User ID"])?;
    let rsvp_col = h.need(file, Shape::MeetupCsv, &["RSVP"])?;
    let attendance = h.find("Attendance");
    let url = h.find("URL of Member Profile");
    let qs = h.questions(MEETUP_FIXED, q);
    Ok(Box::new(move |line, rec| {
        let raw = get(rec, Some(rsvp_col)).unwrap_or("");
        let Some(rsvp) = meetup_rsvp(raw) else {
            return skipped(
                line,
                format!("RSVP {raw:?} is not one Meetup uses (Yes, No, Waitlist)"),
            );
        };
        let Some(id) = member_id(get(rec, Some(user)), get(rec, url)) else {
            return skipped(
                line,
                "no User ID and no member profile URL (a former member?): Meetup gives no e-mail, and a name alone is not an identity".into(),
            );
        };
        Record::Guest(Guest {
            line,
            person: PersonKey {
                name: get(rec, Some(name)).map(str::to_owned),
                email: None,
                platform_id: Some(id),
            },
            rsvp,
            checked_in: get(rec, attendance).is_some_and(|a| a.eq_ignore_ascii_case("y")),
            status: raw.to_owned(),
            group: None,
            answers: answers(rec, &qs),
        })
    }))
}

const PRETALX_FIXED: &[&str] = &[
    "ID",
    "Proposal title",
    "Proposal state",
    "Pending proposal state",
    "Session type",
    "Track",
    "Created",
    "Tags",
    "Abstract",
    "Description",
    "Notes",
    "Duration",
    "Slot count",
    "Language",
    "Speaker IDs",
    "Speaker names",
    "Room",
    "Start",
    "Start (date)",
    "Start (time)",
    "End",
    "Median score",
    "Average (mean) score",
    "Resources",
];

/// pretalx's proposal state → Trellis's demo status, or `None` for a draft (not yet
/// submitted). `accepted` is a passed screening; `confirmed` (the speaker confirmed) is
/// a confirmed demo; `canceled` (after acceptance) is a withdrawal.
pub fn pretalx_status(state: &str) -> Option<DemoStatus> {
    Some(match state {
        "submitted" => DemoStatus::Proposed,
        "accepted" => DemoStatus::Screened,
        "confirmed" => DemoStatus::Confirmed,
        "rejected" => DemoStatus::Rejected,
        "withdrawn" | "canceled" => DemoStatus::Withdrawn,
        _ => return None,
    })
}

/// A list cell: newline-joined (pretalx's default) or `, `-joined.
fn list(cell: Option<&str>) -> Vec<&str> {
    let Some(c) = cell else { return Vec::new() };
    let sep = if c.contains('\n') { "\n" } else { ", " };
    c.split(sep)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn pretalx(file: &str, h: &Header, q: &mut Questions) -> Result<Row, ImportError> {
    let id = h.need(file, Shape::PretalxSessionsCsv, &["ID"])?;
    let title = h.need(file, Shape::PretalxSessionsCsv, &["Proposal title"])?;
    let state = h.need(file, Shape::PretalxSessionsCsv, &["Proposal state"])?;
    let ids = h.find("Speaker IDs");
    let names = h.find("Speaker names");
    let qs = h.questions(PRETALX_FIXED, q);
    Ok(Box::new(move |line, rec| {
        let Some(code) = get(rec, Some(id)) else {
            return skipped(line, "ID is empty".into());
        };
        let raw = get(rec, Some(state)).unwrap_or("");
        let Some(status) = pretalx_status(raw) else {
            return skipped(
                line,
                format!(
                    "proposal state {raw:?} is not a submitted proposal's (submitted, accepted, confirmed, rejected, withdrawn, canceled)"
                ),
            );
        };
        let Some(t) = get(rec, Some(title)) else {
            return skipped(line, "Proposal title is empty".into());
        };
        let codes = list(get(rec, ids));
        let names = list(get(rec, names));
        let speakers = codes
            .iter()
            .enumerate()
            .map(|(i, c)| PersonKey {
                name: names.get(i).map(|n| (*n).to_owned()),
                email: None,
                platform_id: Some((*c).to_owned()),
            })
            .collect();
        Record::Session(Session {
            line,
            external_id: code.to_owned(),
            title: t.to_owned(),
            status,
            platform_status: raw.to_owned(),
            speakers,
            answers: answers(rec, &qs),
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_ids_come_from_the_user_id_or_the_profile_url() {
        assert_eq!(
            member_id(Some("user 12537919"), None).as_deref(),
            Some("12537919")
        );
        assert_eq!(
            member_id(None, Some("https://www.meetup.com/g/members/42/")).as_deref(),
            Some("42")
        );
        assert_eq!(member_id(None, None), None);
        assert_eq!(member_id(Some("user x"), None), None);
    }

    #[test]
    fn pretalx_lists_split_on_newlines_or_commas() {
        assert_eq!(list(Some("A\nB")), vec!["A", "B"]);
        assert_eq!(list(Some("A, B")), vec!["A", "B"]);
        assert!(list(None).is_empty());
    }

    #[test]
    fn check_in_times_must_be_times() {
        assert!(is_timestamp("2026-02-12T00:45:10.000Z"));
        assert!(is_timestamp("2026-06-15T10:00:00+02:00"));
        assert!(is_timestamp("2026-06-15 10:00:00"));
        assert!(!is_timestamp("yesterday-ish"));
        assert!(!is_timestamp("12/02/2026 00:45"));
        assert!(!is_timestamp("yes"));
    }

    #[test]
    fn statuses_map_as_documented() {
        assert_eq!(luma_rsvp("pending_approval"), Some(Rsvp::Waitlist));
        assert_eq!(luma_rsvp("sold_out"), None);
        assert_eq!(eventbrite_status("Checked In"), Some((Rsvp::Going, true)));
        assert_eq!(eventbrite_status("Transferred"), None);
        assert_eq!(pretalx_status("canceled"), Some(DemoStatus::Withdrawn));
        assert_eq!(pretalx_status("draft"), None);
    }
}
