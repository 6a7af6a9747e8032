//! The discussion report's rules (`design.md`, "Listening to the community chat"): which
//! messages are related to an event, and the verdict. Pure: the store loads the messages,
//! this module judges them.

use serde::Serialize;
use std::collections::HashSet;

/// A compound score at or above this is a positive message (VADER's documented threshold).
pub const POSITIVE_E4: i64 = 500;
/// A compound score at or below this is a negative message.
pub const NEGATIVE_E4: i64 = -500;
/// Baseline: the mean messages per day over this many days before the event.
pub const BASELINE_DAYS: i64 = 28;
/// Fewer related messages than this is silence.
pub const MIN_RELATED: u64 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The worst: fewer than 3 related messages, or no lift over the baseline.
    Silent,
    Negative,
    Mixed,
    Positive,
    /// The imported chats do not span the whole window: nothing can be said.
    #[serde(rename = "not covered")]
    NotCovered,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Silent => "silent",
            Verdict::Negative => "negative",
            Verdict::Mixed => "mixed",
            Verdict::Positive => "positive",
            Verdict::NotCovered => "not covered",
        }
    }
}

/// Tone counts over the related messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ToneCounts {
    pub positive: u64,
    pub neutral: u64,
    pub negative: u64,
}

impl ToneCounts {
    pub fn add(&mut self, compound_e4: i64) {
        if compound_e4 >= POSITIVE_E4 {
            self.positive += 1;
        } else if compound_e4 <= NEGATIVE_E4 {
            self.negative += 1;
        } else {
            self.neutral += 1;
        }
    }

    pub fn total(&self) -> u64 {
        self.positive + self.neutral + self.negative
    }
}

/// Whether the imported chats cover a window `[from, to]`: only when one channel holds
/// messages at or before its start and at or after its end. Two chats that each hold half
/// of the window do not cover it: neither could show a silent week for what it is.
/// `spans` are each channel's first and last message.
pub fn covers<T: PartialOrd + Copy>(
    from: T,
    to: T,
    spans: impl IntoIterator<Item = (T, T)>,
) -> bool {
    spans
        .into_iter()
        .any(|(first, last)| first <= from && last >= to)
}

/// The verdict of `design.md`:
/// - not covered when the chats do not span the window (never silent);
/// - **silent**: fewer than 3 related messages, or the window's messages per day do not
///   exceed the baseline's;
/// - **negative**: at least a third of the related messages negative, and more negative
///   than positive;
/// - **positive**: more than half positive and under a sixth negative;
/// - **mixed**: the rest.
pub fn verdict(covered: bool, per_day: f64, baseline_per_day: f64, tone: &ToneCounts) -> Verdict {
    if !covered {
        return Verdict::NotCovered;
    }
    let related = tone.total();
    if related < MIN_RELATED || per_day <= baseline_per_day {
        return Verdict::Silent;
    }
    // Integer comparisons: neg/related ≥ 1/3, pos/related > 1/2, neg/related < 1/6.
    if 3 * tone.negative >= related && tone.negative > tone.positive {
        Verdict::Negative
    } else if 2 * tone.positive > related && 6 * tone.negative < related {
        Verdict::Positive
    } else {
        Verdict::Mixed
    }
}

/// Words too common to tie a message to an event.
const STOPWORDS: &[&str] = &[
    "about", "after", "again", "also", "and", "are", "but", "can", "demo", "demos", "did", "does",
    "evening", "event", "first", "for", "from", "have", "here", "into", "just", "last", "meetup",
    "more", "night", "not", "our", "over", "that", "the", "their", "them", "then", "there", "they",
    "this", "was", "were", "what", "when", "with", "you", "your",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "sept",
    "september",
    "october",
    "november",
    "december",
];

/// What ties a message to an event: words of the event's title and of its demos' titles
/// (four letters or more, common words left out) and its presenters' names (each name
/// part of three letters or more), lower case. A message is related when one of its
/// words is one of these, or it names "the event", "the demo(s)", "the talk(s)", "last
/// night", "yesterday", "tonight".
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    words: HashSet<String>,
}

const GENERIC: &[&str] = &[
    "demo",
    "demos",
    "talk",
    "talks",
    "event",
    "meetup",
    "tonight",
    "yesterday",
    "presentation",
    "presentations",
    "slides",
    "speaker",
    "speakers",
];

impl Matcher {
    pub fn new<'a>(
        title: &str,
        demo_titles: impl IntoIterator<Item = &'a str>,
        presenters: impl IntoIterator<Item = &'a str>,
    ) -> Matcher {
        let mut words = HashSet::new();
        // A title's year or month ("Nov 2026", "June") would tie every message naming
        // that date to the event: only words count.
        let mut add_title = |t: &str| {
            for w in tokens(t) {
                if w.chars().count() >= 4
                    && !STOPWORDS.contains(&w.as_str())
                    && !MONTHS.contains(&w.as_str())
                    && !w.chars().all(|c| c.is_ascii_digit())
                {
                    words.insert(w);
                }
            }
        };
        add_title(title);
        for d in demo_titles {
            add_title(d);
        }
        for p in presenters {
            for w in tokens(p) {
                if w.chars().count() >= 3 {
                    words.insert(w);
                }
            }
        }
        for g in GENERIC {
            words.insert((*g).to_string());
        }
        Matcher { words }
    }

    /// Adds the program's own keywords (its name, its hashtag), lower case.
    pub fn with_keywords<'a>(mut self, keywords: impl IntoIterator<Item = &'a str>) -> Matcher {
        for k in keywords {
            self.words.extend(tokens(k));
        }
        self
    }

    /// The words matched on, sorted (for the report's "how they were matched").
    pub fn words(&self) -> Vec<String> {
        let mut w: Vec<String> = self.words.iter().cloned().collect();
        w.sort();
        w
    }

    pub fn is_related(&self, text: &str) -> bool {
        // Called on every message of a report's window: words already in lower case
        // are looked up as they are, the others lowered into one reused buffer.
        let mut lower = String::new();
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .any(|w| {
                if w.chars().all(|c| !c.is_uppercase()) {
                    self.words.contains(w)
                } else {
                    lower.clear();
                    lower.extend(w.chars().flat_map(char::to_lowercase));
                    self.words.contains(lower.as_str())
                }
            })
    }
}

/// A program keyword as stored: one word (a leading `#` dropped), lower case, three
/// characters or more, so it ties messages to events the way a title word does.
pub fn keyword(raw: &str) -> Result<String, crate::CoreError> {
    let w = raw.trim().trim_start_matches('#');
    let bad = |why: &str| crate::CoreError::invalid("keyword", raw, why);
    if w.chars().count() < 3 {
        return Err(bad("is shorter than three characters"));
    }
    if !w.chars().all(char::is_alphanumeric) {
        return Err(bad(
            "is not one word (letters and digits only; give several words separately)",
        ));
    }
    Ok(w.to_lowercase())
}

/// Many events' matchers at once, for freezing relatedness before message text goes
/// (purge, forget): each message is split into words once and looked up in one map from
/// word to the events that match on it.
#[derive(Debug, Clone, Default)]
pub struct RelatedIndex<K> {
    events: Vec<K>,
    by_word: std::collections::HashMap<String, Vec<usize>>,
}

impl<K: Copy> RelatedIndex<K> {
    pub fn new(matchers: impl IntoIterator<Item = (K, Matcher)>) -> RelatedIndex<K> {
        let mut index = RelatedIndex {
            events: Vec::new(),
            by_word: std::collections::HashMap::new(),
        };
        for (key, m) in matchers {
            let n = index.events.len();
            index.events.push(key);
            for w in m.words {
                index.by_word.entry(w).or_default().push(n);
            }
        }
        index
    }

    /// The events `text` is related to, among those `keep` accepts, each once.
    pub fn related(&self, text: &str, mut keep: impl FnMut(K) -> bool) -> Vec<K> {
        let mut hit: Vec<usize> = Vec::new();
        for w in tokens(text) {
            if let Some(events) = self.by_word.get(&w) {
                hit.extend_from_slice(events);
            }
        }
        hit.sort_unstable();
        hit.dedup();
        hit.into_iter()
            .map(|n| self.events[n])
            .filter(|k| keep(*k))
            .collect()
    }
}

fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

#[cfg(test)]
mod tests {

    #[test]
    fn one_channel_must_span_the_whole_window() {
        assert!(covers(10, 20, [(5, 25)]));
        assert!(covers(10, 20, [(10, 20)]), "the bounds are inclusive");
        assert!(
            !covers(10, 20, [(5, 15), (15, 25)]),
            "two halves are not a cover"
        );
        assert!(!covers(10, 20, std::iter::empty::<(i32, i32)>()));
    }

    use super::*;

    fn t(p: u64, n: u64, neg: u64) -> ToneCounts {
        ToneCounts {
            positive: p,
            neutral: n,
            negative: neg,
        }
    }

    #[test]
    fn verdicts() {
        assert_eq!(verdict(false, 9.0, 0.0, &t(9, 0, 0)), Verdict::NotCovered);
        assert_eq!(verdict(true, 9.0, 0.0, &t(1, 1, 0)), Verdict::Silent);
        assert_eq!(verdict(true, 1.0, 1.0, &t(5, 0, 0)), Verdict::Silent);
        assert_eq!(verdict(true, 2.0, 1.0, &t(1, 1, 2)), Verdict::Negative);
        assert_eq!(verdict(true, 2.0, 1.0, &t(4, 2, 0)), Verdict::Positive);
        assert_eq!(verdict(true, 2.0, 1.0, &t(5, 2, 1)), Verdict::Positive);
        assert_eq!(verdict(true, 2.0, 1.0, &t(4, 1, 1)), Verdict::Mixed);
        assert_eq!(verdict(true, 2.0, 1.0, &t(2, 2, 2)), Verdict::Mixed);
        assert_eq!(verdict(true, 2.0, 1.0, &t(3, 0, 3)), Verdict::Mixed);
    }

    #[test]
    fn matching() {
        let m = Matcher::new("Robots & Rust night", ["Arm kinematics"], ["Priya Shah"]);
        assert!(m.is_related("the ROBOTS were fun"));
        assert!(m.is_related("priya, great job"));
        assert!(m.is_related("loved the demo"));
        assert!(!m.is_related("anyone for lunch?"));
        assert!(!m.is_related("good night"));
        let own = Matcher::new("Robots night", [], []).with_keywords(["Tinkerers"]);
        assert!(own.is_related("#tinkerers forever"));
        let dated = Matcher::new("Voice demo night, June 2026", [], []);
        assert!(dated.is_related("the voice cloning was wild"));
        assert!(!dated.is_related("see you in June 2026"));
    }

    #[test]
    fn keywords_are_single_words() {
        assert_eq!(keyword(" #Tinkerers ").unwrap(), "tinkerers");
        assert!(keyword("ab").is_err());
        assert!(keyword("demo night").is_err());
        assert!(keyword("c++").is_err());
    }

    #[test]
    fn an_index_finds_what_each_matcher_finds() {
        let a = Matcher::new("Robots night", ["Arm kinematics"], ["Priya Shah"]);
        let b = Matcher::new("Synth night", ["Modular synths"], ["Ola Berg"]);
        let index = RelatedIndex::new([(1, a.clone()), (2, b.clone())]);
        for text in [
            "the robots!",
            "Ola, the synth was loud",
            "loved the demo",
            "lunch?",
            "kinematics and modular synths",
        ] {
            let expect: Vec<i32> = [(1, &a), (2, &b)]
                .into_iter()
                .filter(|(_, m)| m.is_related(text))
                .map(|(k, _)| k)
                .collect();
            assert_eq!(index.related(text, |_| true), expect, "{text}");
        }
        assert_eq!(index.related("loved the demo", |k| k == 2), vec![2]);
    }
}
