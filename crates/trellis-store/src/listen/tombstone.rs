//! What stays of a forgotten chat author: a key that a re-import of the same export can
//! recognise (so the person's words do not come back) but that does not say who it was.

use sha2::{Digest, Sha256};

/// The author key of a forgotten author: a digest of the channel and the key it replaced.
/// A digest, not the name: reading the database does not tell who was forgotten, though
/// somebody holding the export could still test a guess, as they could by reading the
/// export itself.
pub(crate) fn forgotten_key(channel_id: i64, author_key: &str) -> String {
    let mut h = Sha256::new();
    h.update(channel_id.to_be_bytes());
    h.update(author_key.as_bytes());
    let d = h.finalize();
    let hex: String = d.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("forgotten:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tombstones_are_per_channel_and_opaque() {
        let a = forgotten_key(1, "name:Ada Lovelace");
        assert_eq!(a, forgotten_key(1, "name:Ada Lovelace"));
        assert_ne!(a, forgotten_key(2, "name:Ada Lovelace"));
        assert!(a.starts_with("forgotten:") && !a.contains("Ada"));
    }
}
