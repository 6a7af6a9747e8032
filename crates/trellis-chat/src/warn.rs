//! Warnings are counted, not listed one per line: a 10-million-line export with one odd
//! line per thousand must not print ten thousand warnings.

/// How often something happened and where first.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub count: u64,
    /// The first line (or message index) where it happened.
    pub first: Option<u64>,
}

impl Tally {
    pub fn note(&mut self, at: u64) {
        self.count += 1;
        self.first.get_or_insert(at);
    }
}
