//! Where a parser's bytes come from: a file, a member of a zip archive, or memory. A
//! source can be read more than once (the WhatsApp parser's survey pass reads it again
//! from the start), always as a fresh stream, never loaded whole.

use crate::error::ChatError;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

pub(crate) trait Source {
    /// How errors name this input: `chat.txt`, `export.zip!_chat.txt`.
    fn place(&self) -> &str;
    /// The path when this is a plain file, which can be read in parts.
    fn file_path(&self) -> Option<&Path> {
        None
    }
    /// Opens a fresh stream from the start and hands it to `f`.
    fn read_with(
        &self,
        f: &mut dyn FnMut(&mut dyn Read) -> Result<(), ChatError>,
    ) -> Result<(), ChatError>;
}

/// A plain file.
pub(crate) struct FileSource {
    path: PathBuf,
    place: String,
}

impl FileSource {
    pub fn new(path: &Path) -> FileSource {
        FileSource {
            path: path.to_owned(),
            place: path.display().to_string(),
        }
    }
}

impl Source for FileSource {
    fn place(&self) -> &str {
        &self.place
    }

    fn file_path(&self) -> Option<&Path> {
        Some(&self.path)
    }

    fn read_with(
        &self,
        f: &mut dyn FnMut(&mut dyn Read) -> Result<(), ChatError>,
    ) -> Result<(), ChatError> {
        let mut file = File::open(&self.path).map_err(|e| ChatError::io(&self.place, e))?;
        f(&mut file)
    }
}

/// One member of a zip archive, streamed (decompressed as it is read).
pub(crate) struct ZipMember {
    zip: PathBuf,
    index: usize,
    place: String,
}

impl ZipMember {
    pub fn new(zip: &Path, index: usize, name: &str) -> ZipMember {
        ZipMember {
            zip: zip.to_owned(),
            index,
            place: format!("{}!{name}", zip.display()),
        }
    }
}

/// Opens a zip archive for reading, with errors that name it.
pub(crate) fn open_zip(path: &Path) -> Result<zip::ZipArchive<BufReader<File>>, ChatError> {
    let place = path.display().to_string();
    let file = File::open(path).map_err(|e| ChatError::io(&place, e))?;
    zip::ZipArchive::new(BufReader::new(file)).map_err(|error| ChatError::Zip { place, error })
}

impl Source for ZipMember {
    fn place(&self) -> &str {
        &self.place
    }

    fn read_with(
        &self,
        f: &mut dyn FnMut(&mut dyn Read) -> Result<(), ChatError>,
    ) -> Result<(), ChatError> {
        let mut archive = open_zip(&self.zip)?;
        let member = archive
            .by_index(self.index)
            .map_err(|error| ChatError::Zip {
                place: self.place.clone(),
                error,
            })?;
        let mut unpacked = Unpacked::default();
        unpacked.member(member.compressed_size());
        let result = f(&mut unpacked.reader(member));
        unpacked.verdict(&self.place, result)
    }
}

/// The most a zip may unpack to, in bytes: a real chat export is far smaller.
pub const ZIP_MAX_UNPACKED: u64 = 2 << 30;
/// The most its unpacked bytes may be per compressed byte. Chat text deflates about 3 to
/// 10 times; a zip bomb (a 2.9 MB file of 1 GiB) hundreds of times.
pub const ZIP_MAX_RATIO: u64 = 200;
/// The ratio is judged only past this many unpacked bytes: a small member of repeated
/// text may compress very well and harm no one.
const RATIO_FROM: u64 = 1 << 20;

/// What a zip's members have unpacked to so far, counted as the bytes are read (the
/// sizes an archive declares can lie), and whether a cap was passed.
pub(crate) struct Unpacked {
    bytes: u64,
    compressed: u64,
    max: u64,
    ratio: u64,
    over: Option<String>,
}

impl Default for Unpacked {
    fn default() -> Unpacked {
        Unpacked {
            bytes: 0,
            compressed: 0,
            max: ZIP_MAX_UNPACKED,
            ratio: ZIP_MAX_RATIO,
            over: None,
        }
    }
}

impl Unpacked {
    /// Counts another member's compressed size before it is read.
    pub fn member(&mut self, compressed: u64) {
        self.compressed = self.compressed.saturating_add(compressed);
    }

    /// A reader over a member that stops with an error once a cap is passed.
    pub fn reader<R: Read>(&mut self, inner: R) -> Capped<'_, R> {
        Capped {
            inner,
            unpacked: self,
        }
    }

    fn add(&mut self, n: usize) -> std::io::Result<()> {
        self.bytes = self.bytes.saturating_add(n as u64);
        if self.bytes > self.max {
            self.over = Some(format!("it unpacks to more than {} MiB", self.max >> 20));
        } else if self.bytes > RATIO_FROM && self.bytes > self.compressed.saturating_mul(self.ratio)
        {
            self.over = Some(format!(
                "it unpacks to more than {} times its compressed size ({} bytes)",
                self.ratio, self.compressed
            ));
        }
        match &self.over {
            Some(why) => Err(std::io::Error::other(why.clone())),
            None => Ok(()),
        }
    }

    /// A reader's result, or the cap it passed (whatever error the parser made of it).
    pub fn verdict(&self, place: &str, result: Result<(), ChatError>) -> Result<(), ChatError> {
        match &self.over {
            Some(why) => Err(ChatError::TooLarge {
                place: place.to_owned(),
                why: why.clone(),
            }),
            None => result,
        }
    }
}

pub(crate) struct Capped<'a, R> {
    inner: R,
    unpacked: &'a mut Unpacked,
}

impl<R: Read> Read for Capped<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.unpacked.add(n)?;
        Ok(n)
    }
}

/// Bytes in memory, for callers that already hold them and for tests.
pub(crate) struct Bytes<'a> {
    place: String,
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    pub fn new(place: &str, data: &'a [u8]) -> Bytes<'a> {
        Bytes {
            place: place.to_owned(),
            data,
        }
    }
}

impl Source for Bytes<'_> {
    fn place(&self) -> &str {
        &self.place
    }

    fn read_with(
        &self,
        f: &mut dyn FnMut(&mut dyn Read) -> Result<(), ChatError>,
    ) -> Result<(), ChatError> {
        let mut r = self.data;
        f(&mut r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(u: &mut Unpacked, data: &[u8]) -> Result<(), ChatError> {
        let mut sink = Vec::new();
        let result = u
            .reader(data)
            .read_to_end(&mut sink)
            .map(|_| ())
            .map_err(|e| ChatError::io("x.zip!a", e));
        u.verdict("x.zip!a", result)
    }

    #[test]
    fn unpacking_past_a_cap_is_refused_clearly() {
        let data = vec![b'a'; 3 << 20];
        let mut u = Unpacked::default();
        u.member(1 << 20);
        assert!(read_all(&mut u, &data).is_ok(), "3 times: fine");
        let mut u = Unpacked::default();
        u.member(10_000);
        let e = read_all(&mut u, &data).unwrap_err().to_string();
        assert_eq!(
            e,
            "x.zip!a: refused: it unpacks to more than 200 times its compressed size (10000 bytes); a chat export is never packed this tightly"
        );
        let mut u = Unpacked {
            max: 2 << 20,
            ..Unpacked::default()
        };
        u.member(3 << 20);
        let e = read_all(&mut u, &data).unwrap_err().to_string();
        assert!(e.contains("it unpacks to more than 2 MiB"), "{e}");
        // Small members are not judged by their ratio.
        let mut u = Unpacked::default();
        u.member(10);
        assert!(read_all(&mut u, &[b'a'; 100_000]).is_ok());
    }
}
