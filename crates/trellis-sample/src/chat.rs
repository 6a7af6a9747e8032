//! The program's community chat, as a WhatsApp export: background chatter every few days
//! (lunch, jobs, links, tool questions) and, after each held event, a discussion of it
//! whose mood was planned so that a newcomer sees every verdict of the discussion report
//! (`trellis_core::listen`): mostly positive evenings, a mixed one or two, one rant and one
//! evening nobody talked about.
//!
//! The tone of every sentence below was chosen for VADER (`trellis-tone`): the positive
//! ones score ≥ 0.05, the negative ones ≤ −0.05, the neutral ones 0, whatever names and
//! demos fill their slots (the unit tests check each). Background chatter never says a
//! word that would tie it to an event (checked against each event's `Matcher` as it is
//! written), so the related messages of a window are exactly its planned discussion.

use crate::names::DEMO_WHAT;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use std::collections::{HashMap, HashSet};
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::dataset::Dataset;
use trellis_core::demo::DemoStatus;
use trellis_core::event::EventStatus;
use trellis_core::listen::{BASELINE_DAYS, Matcher, ToneCounts, Verdict, verdict};

/// The discussion window, in days after the event's start.
const WINDOW_DAYS: i64 = 7;

/// The export's placeholder for a photo sent without media.
const MEDIA: &str = "<Media omitted>";

// ---------------------------------------------------------------------------------------
// Background chatter: (opener, replies that fit it). Generic replies may follow any opener.
// None of these may name an event, a demo, a talk or a person.

const THREADS: &[(&str, &[&str])] = &[
    (
        "Anyone up for lunch at the Vietnamese place on Friday?",
        &["I'm in 🍜", "Can't this week, next time!", "12:30?"],
    ),
    (
        "Ramen tomorrow around 1? The new place by the canal",
        &[
            "Yes please",
            "Count me in",
            "Only if we go early, it gets packed",
        ],
    ),
    (
        "We're hiring a backend engineer (Go, Postgres), remote within the EU. DM me if curious",
        &["Sent you a DM", "Is it senior only?"],
    ),
    (
        "Job post 🚀\nRole: platform engineer\nStack: Kubernetes, Go, Postgres\nHybrid, office in Kreuzberg. Happy to refer anyone here",
        &[
            "Shared with a friend who's looking",
            "What's the salary range?",
        ],
    ),
    (
        "My team is looking for a working student in ML, 20h/week. Message me for details",
        &["Do they need to speak German?", "Forwarded to my brother"],
    ),
    (
        "Has anyone tried Zed as an editor? Thinking of switching from Vim",
        &[
            "Using it daily, it's fast",
            "Still on Neovim, can't leave",
            "The collab mode is neat",
        ],
    ),
    (
        "What's everyone using for note taking these days?",
        &["Obsidian", "Paper, honestly", "Logseq, synced with git"],
    ),
    (
        "Interesting read on WebAssembly on the server: https://example.com/wasm-everywhere",
        &["Thanks for sharing!", "Bookmarked"],
    ),
    (
        "Co-working on Wednesday at the library café, anyone?",
        &[
            "I'll be there from 10",
            "Which library?",
            "Maybe in the afternoon",
        ],
    ),
    (
        "Does anyone know a place around here that replaces laptop screens?",
        &[
            "There's a shop on Oranienstraße, quick and cheap",
            "Try the repair café",
        ],
    ),
    (
        "Recommendations for a mechanical keyboard that won't annoy my flatmates?",
        &[
            "Anything with silent reds",
            "Get a Keychron with brown switches",
        ],
    ),
    (
        "Does anyone know an accountant for freelancers who speaks English?",
        &["I'll send you mine", "Following"],
    ),
    (
        "Is the Hetzner console down or is it just me?",
        &["Works for me", "Same here, status page says nothing"],
    ),
    (
        "Finally got my homelab running on an old ThinkPad 😅",
        &["Nice! Proxmox?", "Welcome to the rabbit hole"],
    ),
    (
        "Which password manager do you recommend for a small team?",
        &["Bitwarden, self-hosted", "1Password, worth the money"],
    ),
    (
        "I have a spare ticket for a conference in Hamburg next month, anyone want it?",
        &["Which conference?", "Me!"],
    ),
    ("Bubble tea run at 3?", &["Yes", "Always"]),
    (
        "Tips for learning German as a dev? My Duolingo streak isn't cutting it",
        &[
            "Tandem partners worked for me",
            "Volkshochschule courses are cheap",
        ],
    ),
    (
        "Anyone going to FOSDEM this year?",
        &["Yes, already booked the train", "Thinking about it"],
    ),
    (
        "PSA: the S-Bahn ring is closed between Westkreuz and Gesundbrunnen until Monday",
        &["Thanks for the heads up", "Of course it is"],
    ),
    (
        "Looking for a flat in Neukölln or Friedrichshain, if anyone hears of something 🙏",
        &["Will keep an eye out", "Good luck, it's rough out there"],
    ),
    (
        "Has anyone used Hetzner's new ARM servers? Worth switching?",
        &["Cheaper for our workloads", "Some images still missing"],
    ),
    (
        "What terminal do you all use? Trying Ghostty this week",
        &["Ghostty here too", "WezTerm", "Plain old iTerm"],
    ),
    (
        "Our office dog says hi",
        &["Cutest colleague", "What a good boy", "🐶"],
    ),
    (
        "Free office chairs at our place, two of them. First come first served",
        &["Still available?", "Taken, thanks!"],
    ),
    (
        "Anyone have experience with Tailscale for a small office?",
        &["Works great", "We use it, zero maintenance"],
    ),
    (
        "Question for the freelancers: do you charge per day or per project?",
        &[
            "Per day, always",
            "Depends on the client",
            "Per project with a cap",
        ],
    ),
    (
        "Happy Friday everyone 🍻",
        &["Cheers!", "Long week, needed this"],
    ),
    (
        "Is it me or is the coffee at the coworking on Torstraße worse lately?",
        &["New beans, I think", "Never liked it"],
    ),
    (
        "Found a nice article on writing good commit messages: https://example.com/commits",
        &["Saving this", "Sending to my whole team"],
    ),
    (
        "Does anyone here do pottery? Looking for a course",
        &["My sister teaches one, will send the link"],
    ),
    (
        "Who's up for a bouldering session on Sunday?",
        &["Me!", "My fingers still hurt from last time"],
    ),
    (
        "Trying to pick between SQLite and Postgres for a side project. Thoughts?",
        &[
            "SQLite until it hurts",
            "Postgres, you'll want it later",
            "Depends on how many writers",
        ],
    ),
    (
        "Good morning! Anyone else awake this early? ☕",
        &["Toddler alarm clock here", "Barely"],
    ),
    (
        "Startup grant deadline is next Friday, if anyone is applying",
        &["Thanks, didn't know", "Which one?"],
    ),
    (
        "What's a good first Kubernetes course? Asking for a friend (me)",
        &["Start with kind on your laptop", "KodeKloud was fine"],
    ),
];

const GENERIC_REPLIES: &[&str] = &[
    "+1",
    "Haha yes",
    "Good to know",
    "👍",
    "Oh nice",
    "Thanks!",
    "😂",
    "Interesting",
];

// ---------------------------------------------------------------------------------------
// Discussion sentences. `{p}`/`{p2}`: a presenter's first name; `{t}`/`{t2}`: what their
// demo was ("robot arm"); `{gh}`: a handle. A sentence must name the evening (a generic
// word such as "demos", or a slot) so that it is related; each is checked as it is
// written.

const POSITIVE: &[&str] = &[
    "Loved the demos last night 🙌",
    "{p}'s {t} was brilliant, still thinking about it",
    "That {t} from {p} was so much fun to watch 😄",
    "Great talks yesterday, thanks to everyone who presented!",
    "Huge thanks to {p}, the {t} was amazing",
    "Best demo night in a while. The {t} alone was worth coming for",
    "{p}, can I try the {t} sometime? Looked awesome",
    "Really inspiring evening, the {t} was my favorite",
    "Such a good vibe at the talks, proud of this community ❤️",
    "Good crowd, good pizza, good demos. Perfect Thursday",
    "Wow, the {t}! Clever idea, nicely done {p}",
    "The {t} demo made my week 😂",
    "Still smiling about the {t}. Great job {p}!",
    "Thanks to the organizers, the demos were excellent as always",
    "Loved how honest {p} was about what broke while building the {t}. Great demo",
    "Recap for whoever missed it:\n- {p}'s {t}: brilliant\n- {p2}'s {t2}: so much fun\nThanks all 🙏",
    "Came for the pizza, stayed for the {t}. Fantastic evening",
    "Yesterday was great fun, the {t} got a well deserved applause 👏",
    "Really enjoyed the talks, especially the {t}",
    "{p} the {t} is such a cool idea, I want one",
    "Nice mix of demos this time, the {t} and the {t2} were both great",
    "Happy I came, the {t} was a highlight 😊",
    "Great demos tonight, thanks everyone! 🎉",
    "Brilliant talks tonight. {p}, the {t} was my favorite",
];

const POSITIVE_PRESENTER: &[&str] = &[
    "Thanks for having me at the demos! Was a bit scared but you were all so kind 🙏",
    "Thank you all for the great questions about the {t}! Repo is public now",
    "Thanks everyone, presenting the {t} was a lot of fun",
    "Slides for the {t} are up, thanks for the lovely feedback!",
];

const POSITIVE_NEWCOMER: &[&str] = &[
    "First demo night for me and I loved it. Everyone was so friendly 😊",
    "Hi all, new here! Really enjoyed the demos last night, glad I came",
    "Just joined after the demos. Great talks, great people, I'll be back 🙂",
];

const NEUTRAL: &[&str] = &[
    "Does anyone have the link to {p}'s repo from the demo?",
    "Which board was the {t} running on?",
    "Is there a recording of the talks?",
    "{p}, what model did you use for the {t}?",
    "Were the slides posted somewhere?",
    "How long did the {t} take to build, {p}?",
    "Photos from the demos are in the group album",
    "{p} is the {t} on GitHub?",
    "Question about the {t}: does it run without internet?",
    "Who was the second speaker? Forgot to write down the name",
    "Anyone know when the next demo night is?",
    "@{p} do you have a link for the {t}?",
    "Did anyone write down the library {p} used for the {t}?",
    "Anyone still around after the talks tonight? We're at the bar across the street",
];

const NEUTRAL_PRESENTER: &[&str] = &[
    "For those who asked, the {t} is here: https://github.com/{gh}/{slug}",
    "Repo for the {t}: https://github.com/{gh}/{slug}\nREADME has the setup steps",
    "The {t} runs on a Raspberry Pi 4, parts list is in the repo",
];

const NEGATIVE: &[&str] = &[
    "The sound at the demos was terrible, missed half of it",
    "We ran almost an hour over. Had to leave before the last talk, annoying",
    "Pizza gone before the talks even started. Hungry and annoyed 😒",
    "Two demos failed outright and nobody had a backup. Painful to watch",
    "Not going to lie, the demos felt like a waste of an evening",
    "The {t} demo crashed three times, awkward for everyone",
    "The mic problems ruined the talks for me",
    "I was disappointed, the demos felt unprepared and rushed",
    "Worst demo night so far, sorry to say it",
    "Too crowded, too hot, too loud. Bad night for the talks",
    "Couldn't see the slides from the back, the projector was awful",
    "Why did the talks start 40 minutes late? Frustrating",
    "The {t} was a mess, it never worked once",
    "Leaving early, can't hear a thing at the talks tonight. Terrible sound",
];

const NEGATIVE_NEWCOMER: &[&str] = &[
    "First time here and a bit disappointed, the demos were hard to hear",
    "New here. The talks were hard to follow with that sound, sad",
];

const NEGATIVE_MILD: &[&str] = &[
    "Nice demos but the sound was awful at the back",
    "The {t} was cool but we ran way too late, annoying",
    "Wish the talks were shorter, the overrun killed the last demo",
    "The pizza was gone before the demos ended, sad",
    "Too crowded at the demos, could barely see anything. Annoying",
];

/// One sentence per tone that fits any evening: positive, neutral, negative.
const FALLBACK: [&str; 3] = [
    "Really good demos this time, thanks all",
    "Is there a recording of the talks?",
    "The talks ran way too long, annoying",
];

/// What a demo was, in a few words: its title's subject ("robot arm" of "A robot arm that
/// sorts LEGO").
fn thing(title: &str) -> String {
    for what in DEMO_WHAT {
        if let Some(rest) = title.strip_prefix(what)
            && (rest.is_empty() || rest.starts_with(' '))
        {
            return what.trim_start_matches("A ").to_owned();
        }
    }
    title
        .split_whitespace()
        .filter(|w| !w.eq_ignore_ascii_case("a") && !w.eq_ignore_ascii_case("the"))
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

fn handle(name: &str) -> String {
    let h: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if h.is_empty() {
        "builder".to_owned()
    } else {
        h
    }
}

/// The held and closed events of the program, in order.
fn judged_events(data: &Dataset, program: usize) -> Vec<usize> {
    data.events
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.program == program && matches!(e.status, EventStatus::Held | EventStatus::Closed)
        })
        .map(|(i, _)| i)
        .collect()
}

/// What the chat was written to show, per event index of `data.events` of that program
/// (held/closed events only, in order). Mostly positive; the event a sixth of the way in
/// is **silent**, the one a third of the way in a **rant** (negative), the ones halfway and
/// three quarters of the way **mixed**, and the last held one positive. With fewer than
/// five such events not every verdict fits.
pub fn intended_verdicts(data: &Dataset, program: usize) -> Vec<(usize, Verdict)> {
    let judged = judged_events(data, program);
    let k = judged.len();
    let mut moods = vec![Verdict::Positive; k];
    let plan = [
        (Verdict::Silent, k / 6),
        (Verdict::Negative, k / 3),
        (Verdict::Mixed, k / 2),
        (Verdict::Mixed, 3 * k / 4),
    ];
    for (v, at) in plan {
        let mut p = at;
        while p + 1 < k && moods[p] != Verdict::Positive {
            p += 1;
        }
        if p + 1 < k {
            moods[p] = v;
        }
    }
    judged.into_iter().zip(moods).collect()
}

struct Line {
    at: Timestamp,
    /// `None`: a system line.
    author: Option<String>,
    text: String,
    /// Background chatter, which may be dropped to quieten a window.
    background: bool,
}

struct Member {
    person: usize,
    /// When they joined the group.
    joined: Timestamp,
    /// Relative chance of writing a given message; 0 for lurkers.
    weight: f64,
    first_event: usize,
}

struct Chat<'a> {
    rng: fastrand::Rng,
    tz: TimeZone,
    data: &'a Dataset,
    lines: Vec<Line>,
    /// The matchers of every judged event: background must match none.
    matchers: Vec<Matcher>,
    members: Vec<Member>,
    /// The latest background subjects, not to be repeated soon.
    recent: Vec<usize>,
}

impl Chat<'_> {
    fn local(&self, date: Date, hour: i8, minute: i8) -> Timestamp {
        let dt = DateTime::from_parts(date, Time::constant(0, 0, 0, 0))
            .checked_add(SignedDuration::from_mins(
                i64::from(hour) * 60 + i64::from(minute),
            ))
            .unwrap_or_default();
        self.tz
            .to_ambiguous_timestamp(dt)
            .compatible()
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// A time on `date` at a random minute of one of `hours`.
    fn local_rand(&mut self, date: Date, hours: std::ops::Range<i8>) -> Timestamp {
        let hour = self.rng.i8(hours);
        let minute = self.rng.i8(0..60);
        self.local(date, hour, minute)
    }

    fn related_to_any(&self, text: &str) -> bool {
        self.matchers.iter().any(|m| m.is_related(text))
    }

    fn pick_member(&mut self, at: Timestamp, except: &[usize]) -> Option<usize> {
        let total: f64 = self
            .members
            .iter()
            .enumerate()
            .filter(|(k, m)| m.joined <= at && !except.contains(k))
            .map(|(_, m)| m.weight)
            .sum();
        if total <= 0.0 {
            return None;
        }
        let mut x = self.rng.f64() * total;
        for (k, m) in self.members.iter().enumerate() {
            if m.joined > at || except.contains(&k) {
                continue;
            }
            x -= m.weight;
            if x <= 0.0 {
                return Some(k);
            }
        }
        None
    }

    fn name(&self, member: usize) -> String {
        self.data.people[self.members[member].person].name.clone()
    }

    fn say(&mut self, at: Timestamp, author: String, text: String, background: bool) {
        self.lines.push(Line {
            at,
            author: Some(author),
            text,
            background,
        });
    }

    /// A background thread on `date`: an opener and up to three replies.
    /// Starts after `not_before` (threads of a day follow each other); returns when it ends.
    fn thread(&mut self, date: Date, not_before: Timestamp) -> Timestamp {
        let mut start = self.local_rand(date, 8..23);
        if start <= not_before {
            start = not_before + SignedDuration::from_mins(self.rng.i64(15..120));
        }
        let Some(opener) = self.pick_member(start, &[]) else {
            return not_before;
        };
        // Not a subject that came up lately.
        let mut pick = self.rng.usize(..THREADS.len());
        for _ in 0..20 {
            if !self.recent.contains(&pick) {
                break;
            }
            pick = self.rng.usize(..THREADS.len());
        }
        self.recent.push(pick);
        if self.recent.len() > THREADS.len() / 2 {
            self.recent.remove(0);
        }
        let (text, replies) = THREADS[pick];
        if self.related_to_any(text) {
            return not_before;
        }
        let mut at = start;
        let mut spoke = vec![opener];
        let mut said: Vec<&str> = Vec::new();
        if self.rng.f64() < 0.06 {
            // A photo first, then the words.
            self.say(at, self.name(opener), MEDIA.to_owned(), true);
            at += SignedDuration::from_mins(1);
        }
        self.say(at, self.name(opener), text.to_owned(), true);
        let n = match self.rng.u8(0..10) {
            0..=3 => 0,
            4..=6 => 1,
            7..=8 => 2,
            _ => 3,
        };
        for _ in 0..n {
            at += SignedDuration::from_mins(self.rng.i64(1..90));
            let Some(who) = self.pick_member(at, &spoke) else {
                break;
            };
            let reply = if !replies.is_empty() && self.rng.f64() < 0.7 {
                replies[self.rng.usize(..replies.len())]
            } else {
                GENERIC_REPLIES[self.rng.usize(..GENERIC_REPLIES.len())]
            };
            if said.contains(&reply) || self.related_to_any(reply) {
                continue;
            }
            said.push(reply);
            spoke.push(who);
            self.say(at, self.name(who), reply.to_owned(), true);
        }
        at
    }

    /// Counts of (window, baseline) messages of an event.
    fn volume(&self, start: Timestamp) -> (usize, usize) {
        let end = start + SignedDuration::from_hours(24 * WINDOW_DAYS);
        let base = start - SignedDuration::from_hours(24 * BASELINE_DAYS);
        let mut window = 0;
        let mut baseline = 0;
        for l in self.lines.iter().filter(|l| l.author.is_some()) {
            if l.at >= start && l.at <= end {
                window += 1;
            } else if l.at >= base && l.at < start {
                baseline += 1;
            }
        }
        (window, baseline)
    }
}

/// How many positive, neutral and negative related messages a discussion of this mood has.
fn plan_tone(rng: &mut fastrand::Rng, mood: Verdict) -> ToneCounts {
    for _ in 0..200 {
        let t = match mood {
            Verdict::Positive => {
                let total = rng.u64(7..14);
                let negative = u64::from(total >= 9 && rng.f64() < 0.4);
                let positive = (total * rng.u64(55..80)).div_ceil(100);
                ToneCounts {
                    positive,
                    neutral: total.saturating_sub(positive + negative),
                    negative,
                }
            }
            Verdict::Mixed => {
                let total = rng.u64(9..14);
                let positive = rng.u64(3..=total / 2);
                let negative = rng.u64(2..=total / 3);
                ToneCounts {
                    positive,
                    neutral: total.saturating_sub(positive + negative),
                    negative,
                }
            }
            Verdict::Negative => {
                let total = rng.u64(8..14);
                let negative = (total * rng.u64(50..70)).div_ceil(100);
                let positive = rng.u64(0..3);
                ToneCounts {
                    positive,
                    neutral: total.saturating_sub(positive + negative),
                    negative,
                }
            }
            _ => return ToneCounts::default(),
        };
        if verdict(true, 2.0, 1.0, &t) == mood {
            return t;
        }
    }
    match mood {
        Verdict::Negative => ToneCounts {
            positive: 1,
            neutral: 3,
            negative: 6,
        },
        Verdict::Mixed => ToneCounts {
            positive: 4,
            neutral: 3,
            negative: 3,
        },
        _ => ToneCounts {
            positive: 7,
            neutral: 3,
            negative: 0,
        },
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tone {
    Positive,
    Neutral,
    Negative,
}

/// The program's community chat as a WhatsApp export (Android, 24-hour clock, day first:
/// "DD/MM/YYYY, HH:MM - Author: text"), local times in the program's zone.
///
/// It starts five weeks or so before the first event and ends a day before `now`, so every
/// held event's week is covered. Authors are the program's people (their display names),
/// joining the group around their first event; the organizers post reminders. The same
/// seed gives the same text; [`intended_verdicts`] says what each event's discussion shows.
pub fn community_chat(data: &Dataset, program: usize, seed: u64, now: Timestamp) -> String {
    let Some(prog) = data.programs.get(program) else {
        return String::new();
    };
    let tz = TimeZone::get(&prog.tz).unwrap_or(TimeZone::UTC);
    let moods: HashMap<usize, Verdict> = intended_verdicts(data, program).into_iter().collect();
    let events: Vec<usize> = data
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.program == program)
        .map(|(i, _)| i)
        .collect();
    let judged = judged_events(data, program);
    let Some(&first_event) = events.first() else {
        return String::new();
    };
    let matchers = matchers_of(data, &judged);
    let mut rng = fastrand::Rng::with_seed(
        seed ^ 0x6368_6174_6368_6174 ^ (program as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
    );

    let first_start = data.events[first_event].starts_at;
    let chat_start = local_date(&tz, first_start)
        .checked_sub((36 + rng.i64(0..8)).days())
        .unwrap_or_else(|_| local_date(&tz, first_start));
    let chat_end = local_date(&tz, now)
        .yesterday()
        .unwrap_or_else(|_| local_date(&tz, now));

    let mut chat = Chat {
        rng,
        tz: tz.clone(),
        data,
        lines: Vec::new(),
        matchers,
        members: Vec::new(),
        recent: Vec::new(),
    };
    let start_ts = chat.local_rand(chat_start, 9..10);
    chat.join_members(&events, first_event, chat_start);

    // The group, and its organizers.
    let organizers: Vec<&str> = data
        .organizers
        .iter()
        .filter(|o| o.programs.contains(&program))
        .map(|o| o.name.as_str())
        .collect();
    chat.open_group(&organizers, &prog.name, start_ts);
    chat.chatter(&judged, &moods, chat_start, chat_end);
    let end_ts = chat
        .local(chat_end, 23, 0)
        .min(now - SignedDuration::from_hours(12));
    chat.notices(&events, &judged, &organizers, chat_end, (start_ts, end_ts));

    // The discussions.
    for (j, &e) in judged.iter().enumerate() {
        let mood = moods.get(&e).copied().unwrap_or(Verdict::Positive);
        if mood == Verdict::Silent {
            continue;
        }
        let last = j + 1 == judged.len();
        discussion(&mut chat, j, e, mood, last);
    }

    chat.settle(end_ts);
    chat.balance_volumes(&judged, &moods);
    chat.settle(end_ts);
    chat.reach_last_day(chat_end, start_ts, end_ts);
    chat.join_notices(start_ts);
    chat.export()
}

/// The local date of `t` in `tz`.
fn local_date(tz: &TimeZone, t: Timestamp) -> Date {
    t.to_zoned_datetime(tz.clone()).date()
}

/// A demo still on its event's program: neither rejected nor withdrawn.
fn is_live(d: &trellis_core::dataset::DemoRecord) -> bool {
    !matches!(d.status, DemoStatus::Rejected | DemoStatus::Withdrawn)
}

/// What ties a message to each judged event: its title, live demos and their presenters.
fn matchers_of(data: &Dataset, judged: &[usize]) -> Vec<Matcher> {
    judged
        .iter()
        .map(|&e| {
            let demos: Vec<_> = data
                .demos
                .iter()
                .filter(|d| d.event == e)
                .filter(|d| is_live(d))
                .collect();
            let names: Vec<&str> = demos
                .iter()
                .flat_map(|d| d.presenters.iter().map(|&p| data.people[p].name.as_str()))
                .collect();
            Matcher::new(
                &data.events[e].title,
                demos.iter().map(|d| d.title.as_str()),
                names,
            )
        })
        .collect()
}

/// The phases of [`community_chat`], in the order they draw from the seeded generator.
impl Chat<'_> {
    /// Who is in the group: everyone who came to one of the program's events.
    fn join_members(&mut self, events: &[usize], first_event: usize, chat_start: Date) {
        let data = self.data;
        let mut attended: HashMap<usize, (usize, u32)> = HashMap::new(); // person → (first event, count)
        let mut order: Vec<usize> = Vec::new();
        for a in &data.attendances {
            if !events.contains(&a.event) || a.rsvp != Rsvp::Going || a.checked_in == CheckedIn::No
            {
                continue;
            }
            let entry = attended.entry(a.person).or_insert_with(|| {
                order.push(a.person);
                (a.event, 0)
            });
            entry.0 = entry.0.min(a.event);
            entry.1 += 1;
        }
        for person in order {
            let (first, count) = attended[&person];
            let lurk = if count >= 4 { 0.3 } else { 0.6 };
            let weight = if self.rng.f64() < lurk {
                0.0
            } else {
                let r = self.rng.f64();
                f64::from(count.min(12)).powf(1.3) * (0.15 + 3.0 * r * r)
            };
            let starts = data.events[first].starts_at;
            let joined = if first == first_event {
                let date = chat_start
                    .checked_add(self.rng.i64(1..30).days())
                    .unwrap_or(chat_start);
                self.local_rand(date, 8..23)
            } else if self.rng.f64() < 0.25 {
                let date = local_date(&self.tz, starts)
                    .checked_sub(self.rng.i64(1..10).days())
                    .unwrap_or_else(|_| local_date(&self.tz, starts));
                self.local_rand(date, 8..23)
            } else {
                // The group's QR code is on the screen at the start.
                starts + SignedDuration::from_mins(self.rng.i64(20..150))
            };
            self.members.push(Member {
                person,
                joined,
                weight,
                first_event: first,
            });
        }
    }

    /// The system lines of the group's creation, and the first organizer's welcome.
    fn open_group(&mut self, organizers: &[&str], group: &str, start_ts: Timestamp) {
        self.lines.push(Line {
            at: start_ts,
            author: None,
            text: "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.".to_owned(),
            background: false,
        });
        if let Some((creator, others)) = organizers.split_first() {
            self.lines.push(Line {
                at: start_ts,
                author: None,
                text: format!("{creator} created group \"{group}\""),
                background: false,
            });
            if !others.is_empty() {
                self.lines.push(Line {
                    at: start_ts,
                    author: None,
                    text: format!("{creator} added {}", others.join(", ")),
                    background: false,
                });
            }
            self.say(
                start_ts + SignedDuration::from_mins(3),
                (*creator).to_owned(),
                format!(
                    "Welcome to {group}! 👋\nThis is the place for everything between our evenings: questions, jobs, lunch plans, links.\nBe kind, no spam."
                ),
                false,
            );
        }
    }

    /// Background chatter, day by day; quieter in the silent event's week.
    fn chatter(
        &mut self,
        judged: &[usize],
        moods: &HashMap<usize, Verdict>,
        chat_start: Date,
        chat_end: Date,
    ) {
        let data = self.data;
        let silent_windows: Vec<(Timestamp, Timestamp)> = judged
            .iter()
            .filter(|e| moods.get(e) == Some(&Verdict::Silent))
            .map(|&e| {
                let s = data.events[e].starts_at;
                (s, s + SignedDuration::from_hours(24 * WINDOW_DAYS))
            })
            .collect();
        let mut day = chat_start;
        while day <= chat_end {
            let noon = self.local(day, 12, 0);
            let quiet = silent_windows
                .iter()
                .any(|(s, e)| noon >= *s - SignedDuration::from_hours(12) && noon <= *e);
            let mut rate = 0.75;
            if quiet {
                rate *= 0.4;
            }
            if matches!(day.month(), 8 | 12) {
                rate *= 0.7;
            }
            if day.weekday().to_monday_one_offset() >= 6 {
                rate *= 0.6;
            }
            let mut busy = Timestamp::UNIX_EPOCH;
            for _ in 0..2 {
                if self.rng.f64() < rate / 2.0 {
                    busy = self.thread(day, busy);
                }
            }
            day = match day.tomorrow() {
                Ok(d) => d,
                Err(_) => break,
            };
        }
    }

    /// Organizers' reminders and notices: never inside an event's window.
    fn notices(
        &mut self,
        events: &[usize],
        judged: &[usize],
        organizers: &[&str],
        chat_end: Date,
        (start_ts, end_ts): (Timestamp, Timestamp),
    ) {
        let data = self.data;
        let windows: Vec<(Timestamp, Timestamp)> = judged
            .iter()
            .map(|&e| {
                let s = data.events[e].starts_at;
                (s, s + SignedDuration::from_hours(24 * WINDOW_DAYS))
            })
            .collect();
        let outside = |t: Timestamp| !windows.iter().any(|(s, e)| t >= *s && t <= *e);
        for &e in events {
            let ev = &data.events[e];
            let Some(author) = ev.history.first().map(|h| h.actor.clone()) else {
                continue;
            };
            if !organizers.contains(&author.as_str()) {
                continue;
            }
            let slots = data
                .demos
                .iter()
                .filter(|d| d.event == e)
                .filter(|d| is_live(d))
                .count();
            let (at, text) = self.notice(e, slots, chat_end);
            if outside(at) && at >= start_ts && at <= end_ts {
                self.say(at, author, text, false);
            }
        }
    }

    /// An event's notice by its organizer: a cancellation, a reminder before it was held,
    /// or a call for demos for one still ahead.
    fn notice(&mut self, e: usize, slots: usize, chat_end: Date) -> (Timestamp, String) {
        let ev = &self.data.events[e];
        let venue = ev.venue.as_deref().unwrap_or("the usual place");
        match ev.status {
            EventStatus::Cancelled => {
                let at = ev
                    .history
                    .iter()
                    .find(|h| h.to == EventStatus::Cancelled)
                    .map_or(ev.starts_at, |h| h.at);
                let date = local_date(&self.tz, at);
                (
                    self.local_rand(date, 11..12),
                    format!(
                        "Bad news: we have to cancel this month's evening ({}). The venue fell through at the last minute. Sorry everyone, see you next month 🙏",
                        ev.title
                    ),
                )
            }
            EventStatus::Held | EventStatus::Closed => {
                let date = local_date(&self.tz, ev.starts_at)
                    .checked_sub(self.rng.i64(2..5).days())
                    .unwrap_or_else(|_| local_date(&self.tz, ev.starts_at));
                (
                    self.local_rand(date, 9..12),
                    format!(
                        "Reminder: {} is on Thursday, doors 18:30 at {venue}.\n{slots} demos lined up. RSVP on the event page please, so we order enough pizza 🍕",
                        ev.title
                    ),
                )
            }
            _ => {
                let date = chat_end.checked_sub(1.days()).unwrap_or(chat_end);
                (
                    self.local_rand(date, 10..11),
                    format!(
                        "Call for demos for {}: {} still open. Work in progress is welcome, reply here or DM me 🙌",
                        ev.title,
                        match ev.slots.saturating_sub(slots as u32) {
                            0 | 1 => "one slot".to_owned(),
                            n => format!("{n} slots"),
                        }
                    ),
                )
            }
        }
    }

    /// Sorts the lines; drops those the store would keep once only (the same time, author
    /// and text) and those after `end_ts`.
    fn settle(&mut self, end_ts: Timestamp) {
        self.lines.sort_by_key(|l| l.at);
        let mut seen = HashSet::new();
        self.lines.retain(|l| {
            l.author.is_none() || seen.insert((l.at, l.author.clone(), l.text.clone()))
        });
        self.lines.retain(|l| l.at <= end_ts);
    }

    /// Volumes: a discussed event's week is busier than the four before it; the silent
    /// event's is not.
    fn balance_volumes(&mut self, judged: &[usize], moods: &HashMap<usize, Verdict>) {
        for &e in judged {
            let start = self.data.events[e].starts_at;
            let end = start + SignedDuration::from_hours(24 * WINDOW_DAYS);
            if moods.get(&e) == Some(&Verdict::Silent) {
                loop {
                    let (window, baseline) = self.volume(start);
                    if window * BASELINE_DAYS as usize <= baseline * WINDOW_DAYS as usize {
                        break;
                    }
                    let Some(k) = self
                        .lines
                        .iter()
                        .rposition(|l| l.background && l.at >= start && l.at <= end)
                    else {
                        break;
                    };
                    self.lines.remove(k);
                }
            } else {
                for _ in 0..50 {
                    let (window, baseline) = self.volume(start);
                    if window * BASELINE_DAYS as usize > baseline * WINDOW_DAYS as usize {
                        break;
                    }
                    let date = local_date(&self.tz, start)
                        .checked_add(self.rng.i64(1..6).days())
                        .unwrap_or_else(|_| local_date(&self.tz, start));
                    self.thread(date, Timestamp::UNIX_EPOCH);
                    self.lines.sort_by_key(|l| l.at);
                }
            }
        }
    }

    /// Someone says something on the last day, so the chat runs up to just before `now`.
    fn reach_last_day(&mut self, chat_end: Date, start_ts: Timestamp, end_ts: Timestamp) {
        for _ in 0..10 {
            let last = self
                .lines
                .iter()
                .rev()
                .find(|l| l.author.is_some())
                .map_or(start_ts, |l| l.at);
            if local_date(&self.tz, last) >= chat_end {
                break;
            }
            self.thread(chat_end, last);
            self.lines.sort_by_key(|l| l.at);
            self.lines.retain(|l| l.at <= end_ts);
        }
    }

    /// Join notices for everyone who wrote.
    fn join_notices(&mut self, start_ts: Timestamp) {
        let wrote: HashSet<String> = self.lines.iter().filter_map(|l| l.author.clone()).collect();
        let mut joins = Vec::new();
        for m in &self.members {
            let name = &self.data.people[m.person].name;
            if wrote.contains(name) && m.joined > start_ts {
                joins.push(Line {
                    at: m.joined,
                    author: None,
                    text: format!("{name} joined using this group's invite link"),
                    background: false,
                });
            }
        }
        self.lines.extend(joins);
        self.lines.sort_by_key(|l| l.at);
    }

    /// The lines as the export's text.
    fn export(&self) -> String {
        let mut out = String::new();
        for l in &self.lines {
            let stamp =
                l.at.to_zoned_datetime(self.tz.clone())
                    .strftime("%d/%m/%Y, %H:%M");
            match &l.author {
                Some(a) => out.push_str(&format!("{stamp} - {a}: {}\n", l.text)),
                None => out.push_str(&format!("{stamp} - {}\n", l.text)),
            }
        }
        out
    }
}

/// One event's discussion in its week: `plan_tone`'s counts of related messages, by the
/// people who were there (presenters thanking, first-timers saying hello), plus photos.
fn discussion(chat: &mut Chat<'_>, j: usize, event: usize, mood: Verdict, last: bool) {
    let start = chat.data.events[event].starts_at;
    let counts = plan_tone(&mut chat.rng, mood);
    let mut tones: Vec<Tone> = std::iter::repeat_n(Tone::Positive, counts.positive as usize)
        .chain(std::iter::repeat_n(Tone::Neutral, counts.neutral as usize))
        .chain(std::iter::repeat_n(
            Tone::Negative,
            counts.negative as usize,
        ))
        .collect();
    chat.rng.shuffle(&mut tones);

    let mut talk = Discussion::new(chat, j, event, mood);
    let times = chat.discussion_times(tones.len(), start);
    // One first-timer says hello after some events (always after the last one).
    talk.newcomer_due = !talk.newcomers.is_empty() && (last || j % 3 == 1 || chat.rng.f64() < 0.3);

    for (tone, at) in tones.into_iter().zip(times) {
        let (author, pool, own) = talk.voice(chat, tone);
        let author = match author {
            Some(k) => k,
            None => match talk.someone_in_the_room(chat, at) {
                Some(k) => k,
                None => continue,
            },
        };
        talk.spoke.push(author);
        let at = at.max(chat.members[author].joined + SignedDuration::from_mins(5));

        // The sentence: a fresh one from the pool, its slots filled, related to the event.
        let on_the_night = at.to_zoned_datetime(chat.tz.clone()).date()
            == start.to_zoned_datetime(chat.tz.clone()).date();
        // Every pool has slot-free sentences; should none fit, a plain one keeps the count.
        let text = talk
            .sentence(chat, pool, own.as_ref(), on_the_night)
            .unwrap_or_else(|| {
                match tone {
                    Tone::Positive => FALLBACK[0],
                    Tone::Neutral => FALLBACK[1],
                    Tone::Negative => FALLBACK[2],
                }
                .to_owned()
            });
        let name = chat.name(author);
        if tone == Tone::Positive && chat.rng.f64() < 0.15 {
            chat.say(
                at - SignedDuration::from_mins(1),
                name.clone(),
                MEDIA.to_owned(),
                false,
            );
        }
        chat.say(at, name, text, false);
    }
    // A few photos from the night.
    for _ in 0..chat.rng.usize(0..3) {
        if talk.room.is_empty() {
            break;
        }
        let k = talk.room[chat.rng.usize(..talk.room.len())];
        let at = start + SignedDuration::from_mins(chat.rng.i64(40..200));
        if chat.members[k].joined <= at {
            let name = chat.name(k);
            chat.say(at, name, MEDIA.to_owned(), false);
        }
    }
}

/// A demo that was shown at an event: its first presenter and what it was.
type Shown = (usize, String);

/// One event's discussion: who was there, and what has been said so far.
struct Discussion {
    event: usize,
    mood: Verdict,
    matcher: Matcher,
    /// What was shown, and by whom.
    shown: Vec<Shown>,
    /// The members who were in the room.
    room: Vec<usize>,
    /// The members in the room for the first time, who joined the group that night.
    newcomers: Vec<usize>,
    used: HashSet<&'static str>,
    spoke: Vec<usize>,
    presenters_thanked: Vec<usize>,
    newcomer_due: bool,
}

impl Discussion {
    fn new(chat: &Chat<'_>, j: usize, event: usize, mood: Verdict) -> Self {
        let data = chat.data;
        let start = data.events[event].starts_at;
        // What was shown, and by whom.
        let shown: Vec<Shown> = data
            .demos
            .iter()
            .filter(|d| d.event == event && d.status == DemoStatus::Presented)
            .filter_map(|d| d.presenters.first().map(|&p| (p, thing(&d.title))))
            .collect();
        // Who was in the room: one pass over the attendances (the large sample has 447k).
        let present: HashSet<usize> = data
            .attendances
            .iter()
            .filter(|a| a.event == event && a.rsvp == Rsvp::Going && a.checked_in != CheckedIn::No)
            .map(|a| a.person)
            .collect();
        let room: Vec<usize> = chat
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| present.contains(&m.person))
            .map(|(k, _)| k)
            .collect();
        let newcomers: Vec<usize> = room
            .iter()
            .copied()
            .filter(|&k| chat.members[k].first_event == event && chat.members[k].joined >= start)
            .collect();
        Discussion {
            event,
            mood,
            matcher: chat.matchers[j].clone(),
            shown,
            room,
            newcomers,
            used: HashSet::new(),
            spoke: Vec::new(),
            presenters_thanked: Vec::new(),
            newcomer_due: false,
        }
    }

    /// Who speaks with this tone, if it is a first-timer or a presenter, and from which pool:
    /// (author, pool, the presenter's own demo).
    fn voice(
        &mut self,
        chat: &mut Chat<'_>,
        tone: Tone,
    ) -> (Option<usize>, &'static [&'static str], Option<Shown>) {
        let mut author: Option<usize> = None;
        let mut pool: &[&'static str] = match tone {
            Tone::Positive => POSITIVE,
            Tone::Neutral => NEUTRAL,
            Tone::Negative if self.mood == Verdict::Negative => NEGATIVE,
            Tone::Negative => NEGATIVE_MILD,
        };
        let mut own: Option<Shown> = None;
        if self.newcomer_due && tone != Tone::Neutral {
            let k = self.newcomers[chat.rng.usize(..self.newcomers.len())];
            author = Some(k);
            pool = if tone == Tone::Positive {
                POSITIVE_NEWCOMER
            } else {
                NEGATIVE_NEWCOMER
            };
            self.newcomer_due = false;
        } else if tone != Tone::Negative && !self.shown.is_empty() && chat.rng.f64() < 0.25 {
            let (p, t) = self.shown[chat.rng.usize(..self.shown.len())].clone();
            if let Some(k) = chat.members.iter().position(|m| m.person == p)
                && !self.presenters_thanked.contains(&k)
            {
                author = Some(k);
                self.presenters_thanked.push(k);
                pool = if tone == Tone::Positive {
                    POSITIVE_PRESENTER
                } else {
                    NEUTRAL_PRESENTER
                };
                own = Some((p, t));
            }
        }
        (author, pool, own)
    }

    /// Someone from the room, often a regular; now and then a lurker speaks up.
    fn someone_in_the_room(&self, chat: &mut Chat<'_>, at: Timestamp) -> Option<usize> {
        let mut pick = None;
        for _ in 0..20 {
            if self.room.is_empty() {
                break;
            }
            let k = self.room[chat.rng.usize(..self.room.len())];
            let m = &chat.members[k];
            // Regulars speak up more readily than first-timers and lurkers.
            let chance = match (m.weight > 0.0, m.first_event == self.event) {
                (true, false) => 0.6,
                (true, true) => 0.15,
                (false, _) => 0.03,
            };
            if m.joined <= at && chat.rng.f64() < chance {
                pick = Some(k);
                if !self.spoke.contains(&k) || chat.rng.f64() < 0.3 {
                    break;
                }
            }
        }
        pick.or_else(|| chat.pick_member(at, &[]))
    }

    /// A fresh sentence from `pool`, its slots filled, related to the event; `None` if none
    /// fits in 40 tries.
    fn sentence(
        &mut self,
        chat: &mut Chat<'_>,
        pool: &'static [&'static str],
        own: Option<&Shown>,
        on_the_night: bool,
    ) -> Option<String> {
        let data = chat.data;
        let shown = &self.shown;
        for attempt in 0..40 {
            let s = pool[chat.rng.usize(..pool.len())];
            if self.used.contains(s) && attempt < 30 {
                continue;
            }
            let (p, t) = match own {
                Some(x) => x.clone(),
                None if !shown.is_empty() => shown[chat.rng.usize(..shown.len())].clone(),
                None => (usize::MAX, String::new()),
            };
            if on_the_night && (s.contains("last night") || s.contains("esterday"))
                || !on_the_night && s.contains("tonight")
            {
                continue;
            }
            let needs_slots = s.contains('{');
            if needs_slots && p == usize::MAX {
                continue;
            }
            let (p2, t2) = if shown.len() > 1 {
                let mut other = shown[chat.rng.usize(..shown.len())].clone();
                for _ in 0..5 {
                    if other.0 != p {
                        break;
                    }
                    other = shown[chat.rng.usize(..shown.len())].clone();
                }
                other
            } else {
                (usize::MAX, String::new())
            };
            if s.contains("{p2}") && (p2 == usize::MAX || p2 == p) {
                continue;
            }
            let name = |x: usize| {
                data.people
                    .get(x)
                    .map_or(String::new(), |q| first_name(&q.name).to_owned())
            };
            let filled = s
                .replace("{p2}", &name(p2))
                .replace("{t2}", &t2)
                .replace("{p}", &name(p))
                .replace("{t}", &t)
                .replace(
                    "{gh}",
                    &data
                        .people
                        .get(p)
                        .map_or(String::new(), |q| handle(&q.name)),
                )
                .replace("{slug}", &t.to_lowercase().replace(' ', "-"));
            if self.matcher.is_related(&filled) {
                self.used.insert(s);
                return Some(filled);
            }
        }
        None
    }
}

impl Chat<'_> {
    /// When a discussion's `n` messages are said: a good part on the night, the rest over
    /// the week; in order.
    fn discussion_times(&mut self, n: usize, start: Timestamp) -> Vec<Timestamp> {
        let mut times: Vec<Timestamp> = (0..n)
            .map(|_| {
                if self.rng.f64() < 0.4 {
                    start + SignedDuration::from_mins(self.rng.i64(150..330))
                } else {
                    let date = start
                        .to_zoned_datetime(self.tz.clone())
                        .date()
                        .checked_add(self.rng.i64(1..6).days())
                        .unwrap_or_else(|_| start.to_zoned_datetime(self.tz.clone()).date());
                    self.local_rand(date, 7..23)
                }
            })
            .collect();
        times.sort();
        times
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trellis_tone::Analyzer;

    fn tone(text: &str) -> Tone {
        let c = Analyzer::shared().polarity_scores(text).compound;
        let e4 = (c * 10_000.0).round() as i64;
        if e4 >= trellis_core::listen::POSITIVE_E4 {
            Tone::Positive
        } else if e4 <= trellis_core::listen::NEGATIVE_E4 {
            Tone::Negative
        } else {
            Tone::Neutral
        }
    }

    fn fills(s: &str) -> Vec<String> {
        let names = ["Kenji", "Chloé", "Анна", "明", "Ben", "Zoë", "Olu"];
        let mut out = Vec::new();
        for (i, what) in DEMO_WHAT.iter().enumerate() {
            let t = what.trim_start_matches("A ");
            let t2 = DEMO_WHAT[(i + 5) % DEMO_WHAT.len()].trim_start_matches("A ");
            let p = names[i % names.len()];
            let p2 = names[(i + 3) % names.len()];
            out.push(
                s.replace("{p2}", p2)
                    .replace("{t2}", t2)
                    .replace("{p}", p)
                    .replace("{t}", t)
                    .replace("{gh}", &handle(p))
                    .replace("{slug}", &t.to_lowercase().replace(' ', "-")),
            );
        }
        out
    }

    #[test]
    fn every_sentence_has_the_tone_it_is_meant_to() {
        let pools: [(&[&str], Tone); 12] = [
            (POSITIVE, Tone::Positive),
            (POSITIVE_PRESENTER, Tone::Positive),
            (POSITIVE_NEWCOMER, Tone::Positive),
            (NEUTRAL, Tone::Neutral),
            (NEUTRAL_PRESENTER, Tone::Neutral),
            (NEGATIVE, Tone::Negative),
            (NEGATIVE_NEWCOMER, Tone::Negative),
            (NEGATIVE_MILD, Tone::Negative),
            (&FALLBACK[..1], Tone::Positive),
            (&FALLBACK[1..2], Tone::Neutral),
            (&FALLBACK[2..], Tone::Negative),
            (&[], Tone::Neutral),
        ];
        let mut wrong = Vec::new();
        for (pool, want) in pools {
            for s in pool {
                for f in fills(s) {
                    if tone(&f) != want {
                        wrong.push(format!(
                            "{f:?}: {}",
                            Analyzer::shared().polarity_scores(&f).compound
                        ));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn demo_subjects() {
        assert_eq!(thing("A robot arm that sorts LEGO"), "robot arm");
        assert_eq!(thing("A Rust CLI in 200 lines"), "Rust CLI");
        assert_eq!(thing("Something else entirely"), "Something else entirely");
    }
}
