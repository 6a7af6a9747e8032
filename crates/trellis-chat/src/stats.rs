//! The counts behind `trellis chat stats`, gathered in one pass over the messages.

use crate::message::{Format, Kind, MessageRef};
use crate::time::Time;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// What an export holds, in numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub format: Format,
    /// Messages with an author, whatever their kind (media and deleted included).
    pub messages: u64,
    /// Lines or service messages without an author.
    pub system: u64,
    /// Messages that carry media (or the export's placeholder for it).
    pub media: u64,
    /// Deleted or view-once messages.
    pub deleted: u64,
    /// Messages whose text spans several lines.
    pub multiline: u64,
    /// Messages the export marks as edited.
    pub edited: u64,
    /// Polls.
    pub polls: u64,
    /// Author display names in the order they first wrote.
    pub authors: Vec<String>,
    /// The earliest and latest message time.
    pub first: Option<Time>,
    pub last: Option<Time>,
    /// WhatsApp only: whether dates were read day first.
    pub day_first: Option<bool>,
    pub warnings: Vec<String>,
}

/// Accumulates [`Stats`] from a stream of messages.
#[derive(Debug)]
pub struct StatsBuilder {
    stats: Stats,
    /// Authors already listed, by platform id when there is one, else by name, with
    /// their index in `keys`.
    seen: HashMap<String, u32, BuildHasherDefault<FxHasher>>,
    /// The key of each entry of `authors`, in the same order.
    keys: Vec<String>,
    /// Sort keys of `first` and `last`, so each message computes only its own.
    first_key: Option<(i64, u32)>,
    last_key_time: Option<(i64, u32)>,
    /// Recently seen authors by a cheap fingerprint of the key (an index into `keys`):
    /// a chat's regulars are found here with one comparison instead of a hash lookup.
    recent: [u32; RECENT],
}

const RECENT: usize = 64;
const NONE: u32 = u32::MAX;

/// A fingerprint that costs four loads: length and three bytes.
fn slot(key: &str) -> usize {
    let b = key.as_bytes();
    let n = b.len();
    let (first, mid, last) = match n {
        0 => (0, 0, 0),
        _ => (b[0], b[n / 2], b[n - 1]),
    };
    (n.wrapping_mul(31)
        ^ usize::from(first).wrapping_mul(7)
        ^ usize::from(mid) << 3
        ^ usize::from(last))
        % RECENT
}

impl StatsBuilder {
    pub fn new(format: Format) -> StatsBuilder {
        StatsBuilder {
            stats: Stats {
                format,
                messages: 0,
                system: 0,
                media: 0,
                deleted: 0,
                multiline: 0,
                edited: 0,
                polls: 0,
                authors: Vec::new(),
                first: None,
                last: None,
                day_first: None,
                warnings: Vec::new(),
            },
            seen: HashMap::default(),
            keys: Vec::new(),
            recent: [NONE; RECENT],
            first_key: None,
            last_key_time: None,
        }
    }

    pub fn add(&mut self, m: &MessageRef<'_>) {
        let s = &mut self.stats;
        match m.author {
            Some(a) => {
                s.messages += 1;
                let key = a.id.unwrap_or(a.name);
                let slot = slot(key);
                let cached = self.recent[slot];
                let hit = self
                    .keys
                    .get(cached as usize)
                    .is_some_and(|k| k.as_str() == key);
                if !hit {
                    let index = match self.seen.get(key) {
                        Some(&i) => i,
                        None => {
                            let i = u32::try_from(self.keys.len()).unwrap_or(NONE);
                            self.seen.insert(key.to_owned(), i);
                            self.keys.push(key.to_owned());
                            s.authors.push(a.name.to_owned());
                            i
                        }
                    };
                    self.recent[slot] = index;
                }
            }
            None => s.system += 1,
        }
        match m.kind {
            Kind::Media => s.media += 1,
            Kind::Deleted => s.deleted += 1,
            Kind::Message | Kind::System => {}
        }
        s.multiline += u64::from(m.multiline);
        s.edited += u64::from(m.edited);
        s.polls += u64::from(m.poll);
        if let Some(t) = m.time {
            let k = t.sort_key();
            // Ties keep the earlier message, as a reader would.
            if self.first_key.is_none_or(|f| k < f) {
                self.first_key = Some(k);
                s.first = Some(t);
            }
            if self.last_key_time.is_none_or(|l| k > l) {
                self.last_key_time = Some(k);
                s.last = Some(t);
            }
        }
    }

    /// Total messages seen, with or without an author.
    pub fn total(&self) -> u64 {
        self.stats.messages + self.stats.system
    }

    /// Adds the counts of the messages that came after these (the second half of a file
    /// read in two parts): authors keep their first-seen order across both.
    pub fn append(&mut self, later: StatsBuilder) {
        let (s, l) = (&mut self.stats, later.stats);
        s.messages += l.messages;
        s.system += l.system;
        s.media += l.media;
        s.deleted += l.deleted;
        s.multiline += l.multiline;
        s.edited += l.edited;
        s.polls += l.polls;
        for (key, name) in later.keys.into_iter().zip(l.authors) {
            if !self.seen.contains_key(&key) {
                let i = u32::try_from(self.keys.len()).unwrap_or(NONE);
                self.seen.insert(key.clone(), i);
                self.keys.push(key);
                s.authors.push(name);
            }
        }
        if let (Some(k), Some(t)) = (later.first_key, l.first)
            && self.first_key.is_none_or(|f| k < f)
        {
            self.first_key = Some(k);
            s.first = Some(t);
        }
        if let (Some(k), Some(t)) = (later.last_key_time, l.last)
            && self.last_key_time.is_none_or(|f| k > f)
        {
            self.last_key_time = Some(k);
            s.last = Some(t);
        }
    }

    pub fn finish(mut self, day_first: Option<bool>, warnings: Vec<String>) -> Stats {
        self.stats.day_first = day_first;
        self.stats.warnings = warnings;
        self.stats
    }
}

/// The Firefox/rustc hash: a multiply and a rotate per word. Author names are short and
/// looked up once per message; SipHash's flood resistance buys nothing for a local file
/// and cost a tenth of a WhatsApp parse.
#[derive(Default, Clone, Copy)]
struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::AuthorRef;

    fn msg<'a>(name: &'a str, id: Option<&'a str>) -> MessageRef<'a> {
        MessageRef {
            format: Format::WhatsApp,
            chat: None,
            id: None,
            author: Some(AuthorRef { name, id }),
            time: None,
            text: "",
            kind: Kind::Message,
            multiline: false,
            edited: false,
            poll: false,
            reply_to: None,
        }
    }

    #[test]
    fn authors_in_first_seen_order_whatever_the_cache_holds() {
        let mut b = StatsBuilder::new(Format::WhatsApp);
        // "Anna" and "Abna" share the cache fingerprint; ids win over names.
        for (name, id) in [
            ("Anna", None),
            ("Abna", None),
            ("Anna", None),
            ("Abna", None),
            ("Bo", Some("U1")),
            ("Bo (renamed)", Some("U1")),
            ("Bo", Some("U2")),
        ] {
            b.add(&msg(name, id));
        }
        let s = b.finish(None, Vec::new());
        assert_eq!(s.authors, ["Anna", "Abna", "Bo", "Bo"]);
        assert_eq!(s.messages, 7);
    }
}
