//! Shared machinery of the JSON parsers (Telegram, Discord, Slack): running a serde seed
//! over a stream with errors that say where, and small seeds that write a value into a
//! reusable buffer instead of allocating one per message.
//!
//! Why seeds: serde_json's `StreamDeserializer` cannot stream the elements of one array
//! (serde-rs/json#404), and deserializing a whole export into a `Vec` holds it all in
//! memory. A `DeserializeSeed` carries a `&mut` context into the array's visitor, which
//! hands each element to the sink and forgets it, so memory stays flat however long the
//! array is.

pub(crate) mod escapes;
pub(crate) mod scan;

use crate::error::ChatError;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::cell::Cell;
use std::fmt::{self, Write as _};
use std::io::{BufReader, Read};
use std::marker::PhantomData;
use std::rc::Rc;

/// Runs `seed` over the JSON document in `reader`, then checks nothing but whitespace
/// follows it.
pub(crate) fn run<'de, S: DeserializeSeed<'de>>(
    place: &str,
    reader: &mut dyn Read,
    seed: S,
) -> Result<S::Value, ChatError> {
    let read = Rc::new(Cell::new(0u64));
    let stream = BufReader::with_capacity(64 << 10, escapes::XEscapes::new(reader, read.clone()));
    let mut de = serde_json::Deserializer::from_reader(stream);
    let result = seed
        .deserialize(&mut de)
        .and_then(|value| de.end().map(|()| value));
    result.map_err(|e| error(place, &e, read.get()))
}

/// A serde_json error as a [`ChatError`] that names the place.
fn error(place: &str, e: &serde_json::Error, bytes_read: u64) -> ChatError {
    use serde_json::error::Category;
    let place = place.to_owned();
    match e.classify() {
        // At the end of the input every byte has been read: that is where it stops.
        Category::Eof => ChatError::Truncated {
            place,
            offset: bytes_read,
        },
        Category::Io => ChatError::Io {
            place,
            error: std::io::Error::other(e.to_string()),
        },
        Category::Syntax | Category::Data => {
            let full = e.to_string();
            let message = match full.rfind(" at line ") {
                Some(i) => full[..i].to_owned(),
                None => full,
            };
            ChatError::Json {
                place,
                line: e.line(),
                column: e.column(),
                message,
            }
        }
    }
}

/// Object keys a visitor cares about, read without allocating.
pub(crate) trait FromKey: Sized {
    fn from_key(key: &str) -> Self;
}

pub(crate) struct Key<K>(PhantomData<K>);

impl<K> Key<K> {
    pub fn seed() -> Key<K> {
        Key(PhantomData)
    }
}

impl<'de, K: FromKey> DeserializeSeed<'de> for Key<K> {
    type Value = K;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<K, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de, K: FromKey> Visitor<'de> for Key<K> {
    type Value = K;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<K, E> {
        Ok(K::from_key(v))
    }
}

/// Appends a string value to a buffer; `null` appends nothing. The value is `false` for
/// `null`, so a caller can tell `"from": null` from a name.
pub(crate) struct StrInto<'b>(pub &'b mut String);

impl<'de> DeserializeSeed<'de> for StrInto<'_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrInto<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a number or null")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        self.0.push_str(v);
        Ok(true)
    }
    // Ids are strings in new exports and numbers in old ones (Telegram `from_id`).
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        let _ = write!(self.0, "{v}");
        Ok(true)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        let _ = write!(self.0, "{v}");
        Ok(true)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        let _ = write!(self.0, "{v}");
        Ok(true)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        let _ = write!(self.0, "{v}");
        Ok(true)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

/// The number of elements of an array (`null` or anything else counts as 0).
pub(crate) struct Count;

impl<'de> DeserializeSeed<'de> for Count {
    type Value = u64;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u64, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Count {
    type Value = u64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u64, A::Error> {
        let mut n = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            n += 1;
        }
        Ok(n)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<u64, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(1)
    }
    fn visit_unit<E: de::Error>(self) -> Result<u64, E> {
        Ok(0)
    }
    fn visit_none<E: de::Error>(self) -> Result<u64, E> {
        Ok(0)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<u64, E> {
        Ok(1)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<u64, E> {
        Ok(u64::from(v))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<u64, E> {
        Ok(1)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<u64, E> {
        Ok(1)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<u64, E> {
        Ok(1)
    }
}

/// Something that can read one element of an array after another: the array's visitor
/// asks it for a fresh seed per element, each borrowing the shared context in turn.
pub(crate) trait Elements {
    type Seed<'a>: for<'de> DeserializeSeed<'de, Value = ()>
    where
        Self: 'a;
    fn element(&mut self) -> Self::Seed<'_>;
}

/// Streams an array: each element is read by a seed from `E` and then dropped.
pub(crate) struct Each<'e, E>(pub &'e mut E);

impl<'de, E: Elements> DeserializeSeed<'de> for Each<'_, E> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, E: Elements> Visitor<'de> for Each<'_, E> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(self.0.element())?.is_some() {}
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_json_names_the_byte_offset() {
        let doc = br#"{"messages": [{"id": 1}, {"id"#;
        let err = run("result.json", &mut &doc[..], PhantomData::<IgnoredAny>).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "result.json: the JSON ends early at byte offset {}: the export is truncated",
                doc.len()
            )
        );
        let err = run(
            "result.json",
            &mut &b"{\n \"a\": tru }"[..],
            PhantomData::<IgnoredAny>,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "result.json: invalid JSON at line 2, column 10: expected ident"
        );
        let err = run("r.json", &mut &b"{} {}"[..], PhantomData::<IgnoredAny>).unwrap_err();
        assert!(err.to_string().contains("trailing characters"), "{err}");
    }
}
