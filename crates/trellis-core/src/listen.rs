//! The discussion report's rules (`design.md`, "Listening to the community chat"): which
//! messages are related to an event, and the verdict. Pure: the store loads the messages,
//! this module judges them.

use serde::Serialize;

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

/// Words too common to tie a message to an event: everyday words, and the generic words
/// of tech titles ("text", "auto", "edge", "tool", "data") that a channel uses every day.
const STOPWORDS: &[&str] = &[
    "about", "after", "again", "also", "and", "are", "auto", "back", "best", "better", "build",
    "built", "but", "can", "code", "cool", "data", "demo", "demos", "did", "does", "done", "easy",
    "edge", "evening", "event", "fast", "file", "files", "first", "for", "free", "from", "good",
    "great", "have", "here", "home", "into", "just", "last", "like", "live", "local", "make",
    "made", "meetup", "more", "much", "need", "news", "next", "nice", "night", "open", "only",
    "over", "part", "real", "same", "show", "simple", "small", "some", "stuff", "than", "that",
    "the", "their", "them", "then", "there", "they", "thing", "things", "this", "time", "text",
    "tool", "tools", "using", "very", "want", "was", "were", "what", "when", "with", "work",
    "works", "you", "your",
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

/// What ties a message to an event, each with the rule that put it there:
/// - a word of the event's or its demos' titles: four letters or more, not a common word
///   (the stop list), a month or a year, and rare in the program's chat before the event
///   ([`Matcher::without_common`]): in a Rust meetup's chat "rust" is everyday talk;
/// - a presenter's **full name** as consecutive words ("priya shah"), never a first name
///   alone: "ana" or "max" would tie every greeting to the event;
/// - a presenter's chat handle, the name their linked chat author writes under
///   ([`Matcher::with_handles`]), again never a first name alone;
/// - one of the program's own keywords;
/// - the event named generically ("the demo", "the talk", "tonight", "yesterday").
///
/// Lower case. A message is related when one of its words, or a full name, is one of these.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    words: std::collections::HashMap<String, Rule>,
    names: Vec<(Vec<String>, Rule)>,
    /// Every word of every presenter's name: none of them alone ties a message.
    name_words: std::collections::HashSet<String>,
    /// Title words left out as common in the chat, with the share of messages (‰) that
    /// used them.
    common: Vec<(String, u64)>,
}

/// Which rule ties a word to the event: the report says it beside each word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Title,
    Keyword,
    Generic,
    FullName,
    Handle,
}

impl Rule {
    fn label(self) -> &'static str {
        match self {
            Rule::Title => "title word",
            Rule::Keyword => "program keyword",
            Rule::Generic => "the event named generically",
            Rule::FullName => "presenter's full name",
            Rule::Handle => "presenter's chat handle",
        }
    }
}

/// How many of a channel's latest messages of the baseline (the 28 days before an event)
/// tell which title words are everyday talk there (those whose text was purged are not
/// read).
pub const USAGE_SAMPLE: u64 = 2_000;
/// Under this many messages read, nothing is known to be common: every title word counts.
pub const USAGE_MIN_SAMPLE: u64 = 200;
/// A title word in more than this many per thousand of those messages is common in the
/// chat and ties nothing to the event.
pub const COMMON_PER_MILLE: u64 = 20;

/// How many of the chat's messages before an event use each of its title words: the
/// facts behind [`Matcher::without_common`]. The store feeds it message texts.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    counts: std::collections::HashMap<String, u64>,
    sample: u64,
}

impl Usage {
    /// Counts one message: each title word it uses, once.
    pub fn add(&mut self, text: &str) {
        self.sample += 1;
        let mut seen: Vec<String> = Vec::new();
        for w in tokens(text) {
            if !seen.contains(&w)
                && let Some(n) = self.counts.get_mut(&w)
            {
                *n += 1;
                seen.push(w);
            }
        }
    }

    /// Messages read.
    pub fn sample(&self) -> u64 {
        self.sample
    }
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
        let mut words = std::collections::HashMap::new();
        // A title's year or month ("Nov 2026", "June") would tie every message naming
        // that date to the event: only words count.
        let mut add_title = |t: &str| {
            for w in tokens(t) {
                if w.chars().count() >= 4
                    && !STOPWORDS.contains(&w.as_str())
                    && !MONTHS.contains(&w.as_str())
                    && !w.chars().all(|c| c.is_ascii_digit())
                {
                    words.insert(w, Rule::Title);
                }
            }
        };
        add_title(title);
        for d in demo_titles {
            add_title(d);
        }
        // Full names only: a single known name is a first name, too common to match on.
        let mut names = Vec::new();
        let mut name_words = std::collections::HashSet::new();
        for p in presenters {
            let n: Vec<String> = tokens(p).collect();
            name_words.extend(n.iter().cloned());
            if n.len() >= 2 {
                names.push((n, Rule::FullName));
            }
        }
        for g in GENERIC {
            words.insert((*g).to_string(), Rule::Generic);
        }
        Matcher {
            words,
            names,
            name_words,
            common: Vec::new(),
        }
    }

    /// Adds the presenters' chat handles (the names their linked chat authors write
    /// under): several words match as consecutive words, like a full name; one word only
    /// when it is not part of a presenter's name ("priya" is a first name, "pshah" a
    /// handle), four letters or more and not a common word.
    pub fn with_handles<'a>(mut self, handles: impl IntoIterator<Item = &'a str>) -> Matcher {
        for h in handles {
            let n: Vec<String> = tokens(h).collect();
            match n.as_slice() {
                [] => {}
                [one] => {
                    if one.chars().count() >= 4
                        && !self.name_words.contains(one)
                        && !STOPWORDS.contains(&one.as_str())
                        && !self.words.contains_key(one)
                    {
                        self.words.insert(one.clone(), Rule::Handle);
                    }
                }
                _ => {
                    if !self.names.iter().any(|(known, _)| *known == n) {
                        self.names.push((n, Rule::Handle));
                    }
                }
            }
        }
        self
    }

    /// A counter of the title words' use in the chat, for [`Matcher::without_common`].
    pub fn usage(&self) -> Usage {
        Usage {
            counts: self
                .words
                .iter()
                .filter(|(_, r)| **r == Rule::Title)
                .map(|(w, _)| (w.clone(), 0))
                .collect(),
            sample: 0,
        }
    }

    /// Leaves out the title words the chat uses every day: more than
    /// [`COMMON_PER_MILLE`] ‰ of the messages `usage` read, when it read at least
    /// [`USAGE_MIN_SAMPLE`]. Keywords, names and handles stay: they were chosen.
    pub fn without_common(mut self, usage: &Usage) -> Matcher {
        if usage.sample < USAGE_MIN_SAMPLE {
            return self;
        }
        for (w, n) in &usage.counts {
            let per_mille = n * 1000 / usage.sample;
            if per_mille > COMMON_PER_MILLE && self.words.get(w) == Some(&Rule::Title) {
                self.words.remove(w);
                self.common.push((w.clone(), per_mille));
            }
        }
        self.common.sort();
        self
    }

    /// The title words left out as common, for the report: "rust (title word, in 6.1% of
    /// the chat's messages before the event)".
    pub fn common(&self) -> Vec<String> {
        self.common
            .iter()
            .map(|(w, pm)| {
                format!(
                    "{w} (title word, in {}.{}% of the chat's messages before the event)",
                    pm / 10,
                    pm % 10
                )
            })
            .collect()
    }

    /// Adds the program's own keywords (its name, its hashtag), lower case.
    pub fn with_keywords<'a>(mut self, keywords: impl IntoIterator<Item = &'a str>) -> Matcher {
        for k in keywords {
            for w in tokens(k) {
                self.words.insert(w, Rule::Keyword);
            }
        }
        self
    }

    /// What is matched on, each with its rule, sorted (the report's "how they were
    /// matched"): "robots (title word)", "priya shah (presenter's full name)".
    pub fn words(&self) -> Vec<String> {
        let mut w: Vec<String> = self
            .words
            .iter()
            .map(|(w, r)| format!("{w} ({})", r.label()))
            .chain(
                self.names
                    .iter()
                    .map(|(n, r)| format!("{} ({})", n.join(" "), r.label())),
            )
            .collect();
        w.sort();
        w
    }

    pub fn is_related(&self, text: &str) -> bool {
        self.has_word(text) || (!self.names.is_empty() && names_in(&self.names, text))
    }

    fn has_word(&self, text: &str) -> bool {
        // Called on every message of a report's window: words already in lower case
        // are looked up as they are, the others lowered into one reused buffer.
        let mut lower = String::new();
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .any(|w| {
                if w.chars().all(|c| !c.is_uppercase()) {
                    self.words.contains_key(w)
                } else {
                    lower.clear();
                    lower.extend(w.chars().flat_map(char::to_lowercase));
                    self.words.contains_key(lower.as_str())
                }
            })
    }
}

/// Whether `text` names one of `names` (each a full name or handle as lower-case words)
/// as consecutive words.
fn names_in(names: &[(Vec<String>, Rule)], text: &str) -> bool {
    let t: Vec<String> = tokens(text).collect();
    names
        .iter()
        .any(|(n, _)| t.windows(n.len()).any(|w| w == n.as_slice()))
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
    /// Full names, by their first word: (event, the whole name).
    by_name: std::collections::HashMap<String, Vec<(usize, Vec<String>)>>,
}

impl<K: Copy> RelatedIndex<K> {
    pub fn new(matchers: impl IntoIterator<Item = (K, Matcher)>) -> RelatedIndex<K> {
        let mut index = RelatedIndex {
            events: Vec::new(),
            by_word: std::collections::HashMap::new(),
            by_name: std::collections::HashMap::new(),
        };
        for (key, m) in matchers {
            let n = index.events.len();
            index.events.push(key);
            for w in m.words.into_keys() {
                index.by_word.entry(w).or_default().push(n);
            }
            for (name, _) in m.names {
                if let Some(first) = name.first().cloned() {
                    index.by_name.entry(first).or_default().push((n, name));
                }
            }
        }
        index
    }

    /// The events `text` is related to, among those `keep` accepts, each once.
    pub fn related(&self, text: &str, mut keep: impl FnMut(K) -> bool) -> Vec<K> {
        let mut hit: Vec<usize> = Vec::new();
        let words: Vec<String> = tokens(text).collect();
        for (i, w) in words.iter().enumerate() {
            if let Some(events) = self.by_word.get(w) {
                hit.extend_from_slice(events);
            }
            for (n, name) in self.by_name.get(w).into_iter().flatten() {
                if words.get(i..i + name.len()) == Some(name.as_slice()) {
                    hit.push(*n);
                }
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
        assert!(m.is_related("Priya Shah, great job"));
        assert!(
            !m.is_related("priya, great job"),
            "a first name alone is not the presenter"
        );
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
    fn each_matching_rule_is_pinned() {
        let m = Matcher::new(
            "Edge AI night",
            ["Auto text summaries", "Kinematics for arms"],
            ["Ana Castro", "Max"],
        );
        // Under four letters: "AI", "arms" passes (4) but "AI" never.
        assert!(!m.is_related("ai is everywhere"));
        // The stop list: generic words of tech titles.
        assert!(!m.is_related("auto-complete my text please"));
        assert!(!m.is_related("living on the edge"));
        // A rarer title word still matches.
        assert!(m.is_related("kinematics is hard"));
        // A first name alone is not a presenter; a full name is; a lone name is skipped.
        assert!(!m.is_related("hi ana!"));
        assert!(!m.is_related("max, lunch?"));
        assert!(m.is_related("Ana Castro was great"));
        assert!(m.is_related("ana castro's robot"));
        // The report says which rule put each word there.
        let words = m.words();
        assert!(
            words.contains(&"kinematics (title word)".to_owned()),
            "{words:?}"
        );
        assert!(words.contains(&"ana castro (presenter's full name)".to_owned()));
        assert!(words.contains(&"demo (the event named generically)".to_owned()));
        assert!(
            !words
                .iter()
                .any(|w| w.starts_with("edge ") || w.starts_with("max"))
        );
        let k = Matcher::new("x", [], []).with_keywords(["Tinkerers"]);
        assert!(
            k.words()
                .contains(&"tinkerers (program keyword)".to_owned())
        );
        // The index (purge) finds full names too.
        let idx = RelatedIndex::new([(1, m)]);
        assert_eq!(idx.related("Ana Castro rocks", |_| true), vec![1]);
        assert!(idx.related("ana rocks", |_| true).is_empty());
    }

    #[test]
    fn a_title_word_the_chat_uses_every_day_ties_nothing() {
        let m = Matcher::new("Rust in production", ["Kinematics in Rust"], []);
        let mut usage = m.usage();
        // 300 messages before the event: "rust" in 30 of them (10%), "kinematics" in 3 (1%).
        for i in 0..300 {
            usage.add(match i % 100 {
                0..10 => "rust rust everywhere",
                10 => "kinematics homework",
                _ => "lunch?",
            });
        }
        assert_eq!(usage.sample(), 300);
        let m = m.without_common(&usage);
        assert!(!m.is_related("rust 1.95 is out"), "common in this chat");
        assert!(
            m.is_related("kinematics!"),
            "rare in this chat: still a title word"
        );
        assert!(m.is_related("production was down, fun"));
        assert_eq!(
            m.common(),
            vec!["rust (title word, in 10.0% of the chat's messages before the event)"]
        );
        assert!(!m.words().iter().any(|w| w.starts_with("rust ")));
        // Too few messages to know: every title word counts.
        let few = Matcher::new("Rust in production", [], []);
        let mut u = few.usage();
        for _ in 0..(USAGE_MIN_SAMPLE - 1) {
            u.add("rust");
        }
        assert!(few.without_common(&u).is_related("rust"));
        // Keywords are the program's choice: never dropped as common.
        let k = Matcher::new("x", [], []).with_keywords(["rustaceans"]);
        let mut u = k.usage();
        for _ in 0..USAGE_MIN_SAMPLE {
            u.add("rustaceans");
        }
        assert!(k.without_common(&u).is_related("rustaceans unite"));
    }

    #[test]
    fn a_presenters_chat_handle_ties_a_message_but_never_a_first_name() {
        let m = Matcher::new("Robots", [], ["Priya Shah", "Max"]).with_handles([
            "pshah",
            "Priya",
            "Max",
            "Robo Max",
            "Priya Shah",
            "the",
        ]);
        assert!(m.is_related("thanks @pshah!"));
        assert!(m.is_related("robo max was on fire"));
        assert!(
            !m.is_related("priya, lunch?"),
            "a first name as handle is skipped"
        );
        assert!(!m.is_related("max?"));
        let words = m.words();
        assert!(
            words.contains(&"pshah (presenter's chat handle)".to_owned()),
            "{words:?}"
        );
        assert!(words.contains(&"robo max (presenter's chat handle)".to_owned()));
        assert!(words.contains(&"priya shah (presenter's full name)".to_owned()));
        let idx = RelatedIndex::new([(7, m)]);
        assert_eq!(idx.related("go pshah", |_| true), vec![7]);
        assert_eq!(idx.related("Robo Max!", |_| true), vec![7]);
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
