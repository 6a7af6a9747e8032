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
        let mut member = archive
            .by_index(self.index)
            .map_err(|error| ChatError::Zip {
                place: self.place.clone(),
                error,
            })?;
        f(&mut member)
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
