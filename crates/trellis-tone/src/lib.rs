//! The tone of a chat message: a port of VADER's rules (Hutto & Gilbert, 2014) as published in
//! the Python package `vaderSentiment` 3.3.2, with its lexicon and emoji lexicon embedded
//! (MIT licence; see `data/LICENSE-vaderSentiment.txt` and `data/PROVENANCE.md`).
//!
//! The port follows the reference line by line, including its quirks, because the bar is to give
//! the same scores as the reference: the 3.3 rule for "no" before a sentiment word ("No worries"
//! is positive), the contrastive "but" applied through `list.index` (the first equal score is the
//! one rescaled), ASCII-punctuation stripping that keeps tokens of two characters or fewer whole
//! (so `:)` survives), emoji replaced by their English descriptions one code point at a time,
//! Python's `str.split`, `str.lower` and `str.isupper` semantics, and the scores rounded as
//! Python's `round` does.
//!
//! Limits, stated wherever a tone is shown: the lexicon is English; other languages score
//! neutral unless they use emoji or emoticons. Sarcasm is not detected.
//!
//! Pure: no I/O. The lexicons are parsed once, on first use, from the embedded text.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The limits of the score, for reports to print beside it.
pub const LIMITS: &str = "tone: VADER 3.3.2 lexicon and rules (English only; other languages \
score neutral unless they use emoji; sarcasm is not detected)";

const VADER_LEXICON: &str = include_str!("../data/vader_lexicon.txt");
const EMOJI_LEXICON: &str = include_str!("../data/emoji_utf8_lexicon.txt");

const B_INCR: f64 = 0.293;
const B_DECR: f64 = -0.293;
const C_INCR: f64 = 0.733;
const N_SCALAR: f64 = -0.74;

const NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

const BOOSTERS: &[(&str, f64)] = &[
    ("absolutely", B_INCR),
    ("amazingly", B_INCR),
    ("awfully", B_INCR),
    ("completely", B_INCR),
    ("considerable", B_INCR),
    ("considerably", B_INCR),
    ("decidedly", B_INCR),
    ("deeply", B_INCR),
    ("effing", B_INCR),
    ("enormous", B_INCR),
    ("enormously", B_INCR),
    ("entirely", B_INCR),
    ("especially", B_INCR),
    ("exceptional", B_INCR),
    ("exceptionally", B_INCR),
    ("extreme", B_INCR),
    ("extremely", B_INCR),
    ("fabulously", B_INCR),
    ("flipping", B_INCR),
    ("flippin", B_INCR),
    ("frackin", B_INCR),
    ("fracking", B_INCR),
    ("fricking", B_INCR),
    ("frickin", B_INCR),
    ("frigging", B_INCR),
    ("friggin", B_INCR),
    ("fully", B_INCR),
    ("fuckin", B_INCR),
    ("fucking", B_INCR),
    ("fuggin", B_INCR),
    ("fugging", B_INCR),
    ("greatly", B_INCR),
    ("hella", B_INCR),
    ("highly", B_INCR),
    ("hugely", B_INCR),
    ("incredible", B_INCR),
    ("incredibly", B_INCR),
    ("intensely", B_INCR),
    ("major", B_INCR),
    ("majorly", B_INCR),
    ("more", B_INCR),
    ("most", B_INCR),
    ("particularly", B_INCR),
    ("purely", B_INCR),
    ("quite", B_INCR),
    ("really", B_INCR),
    ("remarkably", B_INCR),
    ("so", B_INCR),
    ("substantially", B_INCR),
    ("thoroughly", B_INCR),
    ("total", B_INCR),
    ("totally", B_INCR),
    ("tremendous", B_INCR),
    ("tremendously", B_INCR),
    ("uber", B_INCR),
    ("unbelievably", B_INCR),
    ("unusually", B_INCR),
    ("utter", B_INCR),
    ("utterly", B_INCR),
    ("very", B_INCR),
    ("almost", B_DECR),
    ("barely", B_DECR),
    ("hardly", B_DECR),
    ("just enough", B_DECR),
    ("kind of", B_DECR),
    ("kinda", B_DECR),
    ("kindof", B_DECR),
    ("kind-of", B_DECR),
    ("less", B_DECR),
    ("little", B_DECR),
    ("marginal", B_DECR),
    ("marginally", B_DECR),
    ("occasional", B_DECR),
    ("occasionally", B_DECR),
    ("partly", B_DECR),
    ("scarce", B_DECR),
    ("scarcely", B_DECR),
    ("slight", B_DECR),
    ("slightly", B_DECR),
    ("somewhat", B_DECR),
    ("sort of", B_DECR),
    ("sorta", B_DECR),
    ("sortof", B_DECR),
    ("sort-of", B_DECR),
];

const SPECIAL_CASES: &[(&str, f64)] = &[
    ("the shit", 3.0),
    ("the bomb", 3.0),
    ("bad ass", 1.5),
    ("badass", 1.5),
    ("bus stop", 0.0),
    ("yeah right", -2.0),
    ("kiss of death", -1.5),
    ("to die for", 3.0),
    ("beating heart", 3.5),
];

/// VADER's four scores for one text, rounded as the reference rounds them
/// (`neg`, `neu`, `pos` to 3 decimals, `compound` to 4).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub neg: f64,
    pub neu: f64,
    pub pos: f64,
    pub compound: f64,
}

/// The usual three-way reading of the compound score (VADER's documented thresholds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tone {
    /// compound ≥ 0.05
    Positive,
    /// −0.05 < compound < 0.05
    Neutral,
    /// compound ≤ −0.05
    Negative,
}

impl Tone {
    pub fn of(compound: f64) -> Tone {
        if compound >= 0.05 {
            Tone::Positive
        } else if compound <= -0.05 {
            Tone::Negative
        } else {
            Tone::Neutral
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Positive => "positive",
            Tone::Neutral => "neutral",
            Tone::Negative => "negative",
        }
    }
}

impl Scores {
    pub fn tone(&self) -> Tone {
        Tone::of(self.compound)
    }
}

/// The lexicons, parsed. Build one with [`Analyzer::shared`] (parsed once per process).
#[derive(Debug)]
pub struct Analyzer {
    lexicon: HashMap<String, f64>,
    /// Only single-code-point keys can ever match: the reference tests `chr in emojis`.
    emojis: HashMap<char, &'static str>,
    boosters: HashMap<&'static str, f64>,
    special: HashMap<&'static str, f64>,
}

/// Scores `text` with the shared analyzer.
pub fn polarity_scores(text: &str) -> Scores {
    Analyzer::shared().polarity_scores(text)
}

impl Analyzer {
    /// The analyzer over the embedded lexicons, parsed on first use.
    pub fn shared() -> &'static Analyzer {
        static SHARED: OnceLock<Analyzer> = OnceLock::new();
        SHARED.get_or_init(Analyzer::new)
    }

    fn new() -> Analyzer {
        let mut lexicon = HashMap::with_capacity(7600);
        // make_lex_dict: rstrip('\n'), split('\n'), skip empty, strip(), split('\t')[0:2].
        for line in VADER_LEXICON.trim_end_matches('\n').split('\n') {
            if line.is_empty() {
                continue;
            }
            let mut fields = py_strip(line).split('\t');
            let (Some(word), Some(measure)) = (fields.next(), fields.next()) else {
                continue;
            };
            if let Ok(value) = measure.parse::<f64>() {
                lexicon.insert(word.to_string(), value);
            }
        }
        let mut emojis = HashMap::with_capacity(3600);
        for line in EMOJI_LEXICON.trim_end_matches('\n').split('\n') {
            let mut fields = py_strip(line).split('\t');
            let (Some(emoji), Some(description)) = (fields.next(), fields.next()) else {
                continue;
            };
            let mut chars = emoji.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                emojis.insert(c, description);
            }
        }
        Analyzer {
            lexicon,
            emojis,
            boosters: BOOSTERS.iter().copied().collect(),
            special: SPECIAL_CASES.iter().copied().collect(),
        }
    }

    /// VADER's `polarity_scores`.
    pub fn polarity_scores(&self, text: &str) -> Scores {
        // Emoji to their descriptions, one code point at a time.
        let mut replaced = String::with_capacity(text.len() + 16);
        let mut prev_space = true;
        for c in text.chars() {
            if let Some(description) = self.emojis.get(&c) {
                if !prev_space {
                    replaced.push(' ');
                }
                replaced.push_str(description);
                prev_space = false;
            } else {
                replaced.push(c);
                prev_space = c == ' ';
            }
        }
        let text = py_strip(&replaced);

        // SentiText: split on whitespace, strip ASCII punctuation unless ≤ 2 characters remain.
        let words: Vec<&str> = py_split(text).map(strip_punc_if_word).collect();
        let lower: Vec<Lowered<'_>> = words.iter().map(|w| Lowered::new(w)).collect();
        let upper: Vec<bool> = words.iter().map(|w| py_isupper(w)).collect();
        let allcaps = upper.iter().filter(|u| **u).count();
        let is_cap_diff = {
            let diff = words.len() - allcaps;
            0 < diff && diff < words.len()
        };
        let ctx = Ctx {
            lower: &lower,
            upper: &upper,
            is_cap_diff,
        };

        let mut sentiments: Vec<f64> = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let item = lower[i].as_str();
            if self.boosters.contains_key(item) {
                sentiments.push(0.0);
                continue;
            }
            if i + 1 < words.len() && item == "kind" && lower[i + 1].as_str() == "of" {
                sentiments.push(0.0);
                continue;
            }
            sentiments.push(self.sentiment_valence(&ctx, i));
        }

        but_check(&lower, &mut sentiments);
        score_valence(&sentiments, text)
    }

    fn in_lexicon(&self, word: &str) -> bool {
        self.lexicon.contains_key(word)
    }

    fn sentiment_valence(&self, ctx: &Ctx<'_>, i: usize) -> f64 {
        let w = |k: usize| ctx.lower[k].as_str();
        let n = ctx.lower.len();
        let item = w(i);
        let Some(&base) = self.lexicon.get(item) else {
            return 0.0;
        };
        let mut valence = base;
        if item == "no" && i != n - 1 && self.in_lexicon(w(i + 1)) {
            valence = 0.0;
        }
        if (i > 0 && w(i - 1) == "no")
            || (i > 1 && w(i - 2) == "no")
            || (i > 2 && w(i - 3) == "no" && matches!(w(i - 1), "or" | "nor"))
        {
            valence = base * N_SCALAR;
        }
        if ctx.upper[i] && ctx.is_cap_diff {
            if valence > 0.0 {
                valence += C_INCR;
            } else {
                valence -= C_INCR;
            }
        }
        for start_i in 0..3 {
            if i > start_i && !self.in_lexicon(w(i - (start_i + 1))) {
                let mut s = self.scalar_inc_dec(ctx, i - (start_i + 1), valence);
                if start_i == 1 && s != 0.0 {
                    s *= 0.95;
                }
                if start_i == 2 && s != 0.0 {
                    s *= 0.9;
                }
                valence += s;
                valence = negation_check(valence, ctx.lower, start_i, i);
                if start_i == 2 {
                    valence = self.special_idioms_check(valence, ctx.lower, i);
                }
            }
        }
        self.least_check(valence, ctx.lower, i)
    }

    fn scalar_inc_dec(&self, ctx: &Ctx<'_>, k: usize, valence: f64) -> f64 {
        let mut scalar = 0.0;
        if let Some(&b) = self.boosters.get(ctx.lower[k].as_str()) {
            scalar = b;
            if valence < 0.0 {
                scalar *= -1.0;
            }
            if ctx.upper[k] && ctx.is_cap_diff {
                if valence > 0.0 {
                    scalar += C_INCR;
                } else {
                    scalar -= C_INCR;
                }
            }
        }
        scalar
    }

    fn least_check(&self, mut valence: f64, lower: &[Lowered<'_>], i: usize) -> f64 {
        if i > 1 && !self.in_lexicon(lower[i - 1].as_str()) && lower[i - 1].as_str() == "least" {
            let before = lower[i - 2].as_str();
            if before != "at" && before != "very" {
                valence *= N_SCALAR;
            }
        } else if i > 0
            && !self.in_lexicon(lower[i - 1].as_str())
            && lower[i - 1].as_str() == "least"
        {
            valence *= N_SCALAR;
        }
        valence
    }

    /// Only called with `i >= 3`.
    fn special_idioms_check(&self, mut valence: f64, lower: &[Lowered<'_>], i: usize) -> f64 {
        let w = |k: usize| lower[k].as_str();
        let onezero = format!("{} {}", w(i - 1), w(i));
        let twoonezero = format!("{} {} {}", w(i - 2), w(i - 1), w(i));
        let twoone = format!("{} {}", w(i - 2), w(i - 1));
        let threetwoone = format!("{} {} {}", w(i - 3), w(i - 2), w(i - 1));
        let threetwo = format!("{} {}", w(i - 3), w(i - 2));
        for seq in [&onezero, &twoonezero, &twoone, &threetwoone, &threetwo] {
            if let Some(&v) = self.special.get(seq.as_str()) {
                valence = v;
                break;
            }
        }
        if lower.len() - 1 > i {
            let zeroone = format!("{} {}", w(i), w(i + 1));
            if let Some(&v) = self.special.get(zeroone.as_str()) {
                valence = v;
            }
        }
        if lower.len() - 1 > i + 1 {
            let zeroonetwo = format!("{} {} {}", w(i), w(i + 1), w(i + 2));
            if let Some(&v) = self.special.get(zeroonetwo.as_str()) {
                valence = v;
            }
        }
        for ngram in [&threetwoone, &threetwo, &twoone] {
            if let Some(&b) = self.boosters.get(ngram.as_str()) {
                valence += b;
            }
        }
        valence
    }
}

struct Ctx<'a> {
    lower: &'a [Lowered<'a>],
    upper: &'a [bool],
    is_cap_diff: bool,
}

/// A token in lower case, borrowed when it already is.
enum Lowered<'a> {
    Borrowed(&'a str),
    Owned(String),
}

impl<'a> Lowered<'a> {
    fn new(word: &'a str) -> Lowered<'a> {
        if word
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            Lowered::Borrowed(word)
        } else {
            Lowered::Owned(word.to_lowercase())
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Lowered::Borrowed(s) => s,
            Lowered::Owned(s) => s,
        }
    }
}

fn negated(word: &str) -> bool {
    NEGATE.contains(&word) || word.contains("n't")
}

fn negation_check(mut valence: f64, lower: &[Lowered<'_>], start_i: usize, i: usize) -> f64 {
    let w = |k: usize| lower[k].as_str();
    match start_i {
        0 => {
            if negated(w(i - 1)) {
                valence *= N_SCALAR;
            }
        }
        1 => {
            if w(i - 2) == "never" && matches!(w(i - 1), "so" | "this") {
                valence *= 1.25;
            } else if w(i - 2) == "without" && w(i - 1) == "doubt" {
                // unchanged
            } else if negated(w(i - 2)) {
                valence *= N_SCALAR;
            }
        }
        _ => {
            if (w(i - 3) == "never" && matches!(w(i - 2), "so" | "this"))
                || matches!(w(i - 1), "so" | "this")
            {
                valence *= 1.25;
            } else if w(i - 3) == "without" && (w(i - 2) == "doubt" || w(i - 1) == "doubt") {
                // unchanged
            } else if negated(w(i - 3)) {
                valence *= N_SCALAR;
            }
        }
    }
    valence
}

/// The reference's `_but_check`, quirk included: each score is looked up again with
/// `list.index`, so when two words share a score it is the first of them that is rescaled.
fn but_check(lower: &[Lowered<'_>], sentiments: &mut [f64]) {
    let Some(bi) = lower.iter().position(|w| w.as_str() == "but") else {
        return;
    };
    for k in 0..sentiments.len() {
        let sentiment = sentiments[k];
        let si = sentiments.iter().position(|s| *s == sentiment).unwrap_or(k);
        if si < bi {
            sentiments[si] = sentiment * 0.5;
        } else if si > bi {
            sentiments[si] = sentiment * 1.5;
        }
    }
}

fn punctuation_emphasis(text: &str) -> f64 {
    let ep = text.bytes().filter(|b| *b == b'!').count().min(4);
    let ep_amplifier = ep as f64 * 0.292;
    let qm = text.bytes().filter(|b| *b == b'?').count();
    let qm_amplifier = if qm > 1 {
        if qm <= 3 { qm as f64 * 0.18 } else { 0.96 }
    } else {
        0.0
    };
    ep_amplifier + qm_amplifier
}

fn normalize(score: f64) -> f64 {
    let alpha = 15.0;
    let norm = score / ((score * score) + alpha).sqrt();
    norm.clamp(-1.0, 1.0)
}

fn score_valence(sentiments: &[f64], text: &str) -> Scores {
    if sentiments.is_empty() {
        return Scores {
            neg: 0.0,
            neu: 0.0,
            pos: 0.0,
            compound: 0.0,
        };
    }
    // Python's sum() starts from the integer 0 and adds left to right.
    let mut sum_s = sentiments.iter().fold(0.0, |acc, s| acc + s);
    let punct = punctuation_emphasis(text);
    if sum_s > 0.0 {
        sum_s += punct;
    } else if sum_s < 0.0 {
        sum_s -= punct;
    }
    let compound = normalize(sum_s);

    let mut pos_sum = 0.0;
    let mut neg_sum = 0.0;
    let mut neu_count = 0usize;
    for &s in sentiments {
        if s > 0.0 {
            pos_sum += s + 1.0;
        }
        if s < 0.0 {
            neg_sum += s - 1.0;
        }
        if s == 0.0 {
            neu_count += 1;
        }
    }
    if pos_sum > neg_sum.abs() {
        pos_sum += punct;
    } else if pos_sum < neg_sum.abs() {
        neg_sum -= punct;
    }
    let total = pos_sum + neg_sum.abs() + neu_count as f64;
    Scores {
        neg: py_round((neg_sum / total).abs(), 3),
        neu: py_round((neu_count as f64 / total).abs(), 3),
        pos: py_round((pos_sum / total).abs(), 3),
        compound: py_round(compound, 4),
    }
}

/// Python's `round(x, digits)`: the double's exact decimal value rounded half to even, which
/// is what Rust's fixed-precision formatting produces.
fn py_round(x: f64, digits: usize) -> f64 {
    if !x.is_finite() {
        return x;
    }
    format!("{x:.digits$}").parse().unwrap_or(x)
}

/// Python's `str.isspace` for one character: Unicode White_Space plus the four
/// information separators U+001C..U+001F.
fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(py_isspace)
}

fn py_split(s: &str) -> impl Iterator<Item = &str> {
    s.split(py_isspace).filter(|w| !w.is_empty())
}

/// `_strip_punc_if_word`: strip ASCII punctuation at both ends; if two characters or fewer
/// remain, keep the token whole (it was probably an emoticon).
fn strip_punc_if_word(token: &str) -> &str {
    let stripped = token.trim_matches(|c: char| c.is_ascii_punctuation());
    if stripped.chars().count() <= 2 {
        token
    } else {
        stripped
    }
}

/// Python's `str.isupper`: at least one cased character and none lower case or title case.
fn py_isupper(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        if c.is_uppercase() {
            cased = true;
        }
    }
    cased
}

/// The Unicode general category Lt.
fn is_titlecase(c: char) -> bool {
    matches!(c,
        '\u{01C5}' | '\u{01C8}' | '\u{01CB}' | '\u{01F2}'
        | '\u{1F88}'..='\u{1F8F}'
        | '\u{1F98}'..='\u{1F9F}'
        | '\u{1FA8}'..='\u{1FAF}'
        | '\u{1FBC}' | '\u{1FCC}' | '\u{1FFC}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_examples() {
        // From vaderSentiment 3.3.2's own __main__ examples, scored by the reference.
        let cases = [
            ("VADER is smart, handsome, and funny.", 0.8316),
            ("VADER is very smart, handsome, and funny.", 0.8545),
            ("VADER is VERY SMART, handsome, and FUNNY!!!", 0.9342),
            ("VADER is not smart, handsome, nor funny.", -0.7424),
            ("At least it isn't a horrible book.", 0.431),
            ("Today only kinda sux! But I'll get by, lol", 0.5249),
            ("Make sure you :) or :D today!", 0.8633),
            ("Catch utf-8 emoji such as 💘 and 💋 and 😁", 0.875),
            ("Not bad at all", 0.431),
            ("No worries", 0.3252),
        ];
        for (text, compound) in cases {
            assert_eq!(polarity_scores(text).compound, compound, "{text}");
        }
    }

    #[test]
    fn empty_and_blank() {
        assert_eq!(polarity_scores("").compound, 0.0);
        assert_eq!(polarity_scores("   ").tone(), Tone::Neutral);
    }
}
