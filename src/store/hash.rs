//! What the TUI's session remembers of the file's bytes instead of the
//! bytes themselves: a hash of them, taken as they are read or written.
//!
//! Keeping the text to compare with cost a second copy of the whole file
//! for as long as the TUI ran, and a third during each save. A hash is
//! eight bytes, and taken while the bytes pass by, so neither a save nor
//! a look for other writers holds the file's text to know whether it
//! changed.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, Result};
use xxhash_rust::xxh3::Xxh3;

/// A hash of a file's bytes (a byte-order mark included). The same bytes
/// always give the same hash, however they were cut into pieces on the
/// way; different bytes give the same hash by chance only, about once in
/// 2^64 (XXH3, which hashes at the speed memory is read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentHash(u64);

impl ContentHash {
    /// The hash of `bytes`, all at once: what the tests compare with, as
    /// the program hashes bytes while they pass by.
    #[cfg(test)]
    #[must_use]
    pub fn of(bytes: &[u8]) -> Self {
        ContentHash(xxhash_rust::xxh3::xxh3_64(bytes))
    }

    /// The hash of the file at `path`, read a piece at a time and kept
    /// nowhere; `None` when there is no file.
    ///
    /// # Errors
    /// When the file exists but cannot be read.
    pub fn of_file(path: &Path) -> Result<Option<Self>> {
        let mut file = match File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let mut hashing = Hashing::new(io::sink());
        io::copy(&mut file, &mut hashing)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Ok(Some(hashing.finish()))
    }
}

/// A writer that hashes what passes through it on its way to `out`.
pub struct Hashing<W> {
    out: W,
    hasher: Xxh3,
}

impl<W: Write> Hashing<W> {
    pub fn new(out: W) -> Self {
        Hashing {
            out,
            hasher: Xxh3::new(),
        }
    }

    /// The hash of everything written through.
    pub fn finish(&self) -> ContentHash {
        ContentHash(self.hasher.digest())
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        // Only what `out` took is hashed: the rest comes again.
        let written = self.out.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_the_same_however_the_bytes_are_cut() {
        let bytes: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut hashing = Hashing::new(Vec::new());
        for piece in bytes.chunks(777) {
            hashing.write_all(piece).unwrap();
        }
        assert_eq!(hashing.finish(), ContentHash::of(&bytes));
        assert_eq!(hashing.out, bytes);
        let mut other = bytes.clone();
        other[50_000] ^= 1;
        assert_ne!(ContentHash::of(&other), ContentHash::of(&bytes));
    }

    #[test]
    fn a_file_hashes_as_its_bytes_and_no_file_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        assert_eq!(ContentHash::of_file(&path).unwrap(), None);
        let bytes = "{\"schema\": 7}\n".repeat(10_000);
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(
            ContentHash::of_file(&path).unwrap(),
            Some(ContentHash::of(bytes.as_bytes()))
        );
    }
}
