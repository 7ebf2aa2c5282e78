//! Reads a file's original bytes once: hashes them (SHA-256), counts lines, and cuts them into
//! zstd-compressed chunks at line ends, so the case can keep the original and show any line.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::case::ChunkRecord;
use crate::model::encoding::{
    TextEncoding, count_line_ends, ends_with_line_end, last_whole_line_end,
};

/// Target uncompressed chunk size. A chunk grows past it only to reach the next line end.
pub const CHUNK_BYTES: usize = 4 << 20;
// Level 1: the chunker shares two cores with parsing and writing; level 3 cost ~2x the CPU
// for ~10% smaller blobs.
const ZSTD_LEVEL: i32 = 1;

/// A chunk is cut inside a line only when the line is longer than this; such a chunk starts
/// mid-line (its `first_line` is the line it continues).
const MAX_PENDING: usize = 4 * CHUNK_BYTES;

/// Hash, size and line count of a whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub sha256: String,
    pub size: u64,
    pub lines: u64,
}

/// Streams `path` into chunks handed to `sink` (which returns `false` to stop early, when the
/// result is `None`).
pub fn chunk_file(
    path: &Path,
    encoding: TextEncoding,
    sink: &mut dyn FnMut(ChunkRecord) -> bool,
) -> std::io::Result<Option<FileDigest>> {
    chunk_file_tee(path, encoding, sink, &mut |_| true)
}

/// [`chunk_file`], also handing every block read to `tee` (which returns `false` to stop
/// early), so one read of the file feeds the hash, the chunks and a parser: what is parsed is
/// what is stored and hashed. A regular file whose size or modification time changes while it
/// is read is an error ("the file changed while it was read"), as the bytes read are then no
/// copy of any state the file was in.
pub fn chunk_file_tee(
    path: &Path,
    encoding: TextEncoding,
    sink: &mut dyn FnMut(ChunkRecord) -> bool,
    tee: &mut dyn FnMut(&[u8]) -> bool,
) -> std::io::Result<Option<FileDigest>> {
    let mut file = std::fs::File::open(path)?;
    let before = file.metadata()?;
    let mut hasher = Sha256::new();
    let mut pending: Vec<u8> = Vec::with_capacity(CHUNK_BYTES * 2);
    let mut read_buf = vec![0u8; 1 << 20];
    let mut size: u64 = 0;
    let mut lines_before: u64 = 0;
    let mut seq = 0i64;
    let mut byte_start: u64 = 0;
    let mut ends_in_line_end = false;
    let mut eof = false;
    // `pending[..no_line_end_before]` is known to hold no line end.
    let mut no_line_end_before = 0usize;
    while !eof {
        let n = file.read(&mut read_buf)?;
        if n == 0 {
            eof = true;
        } else {
            hasher.update(&read_buf[..n]);
            size += n as u64;
            pending.extend_from_slice(&read_buf[..n]);
            if !tee(&read_buf[..n]) {
                return Ok(None);
            }
        }
        while pending.len() >= CHUNK_BYTES || (eof && !pending.is_empty()) {
            let cut = if eof && pending.len() < CHUNK_BYTES {
                pending.len()
            } else {
                // Search only what was not searched before (less a code unit of overlap): a
                // line of 100 MB would otherwise be rescanned after every read.
                let from = no_line_end_before.saturating_sub(2) & !1;
                match last_whole_line_end(encoding, &pending[from..]) {
                    Some(end) => from + end,
                    None if eof => pending.len(),
                    // A line longer than MAX_PENDING: cut inside it (at an even offset, so
                    // UTF-16 code units stay whole), keeping memory bounded.
                    None if pending.len() >= MAX_PENDING => CHUNK_BYTES,
                    // No line end yet: read more before cutting.
                    None => {
                        no_line_end_before = pending.len();
                        break;
                    }
                }
            };
            no_line_end_before = 0;
            let raw = &pending[..cut];
            // One-shot compression of the contiguous chunk: the streaming encoder copied the
            // input into its window first (most of this thread's time went to that copy).
            let data = zstd::bulk::compress(raw, ZSTD_LEVEL)?;
            let rec = ChunkRecord {
                seq,
                first_line: lines_before + 1,
                byte_start,
                raw_len: raw.len() as u64,
                data,
            };
            lines_before += count_line_ends(encoding, raw);
            byte_start += raw.len() as u64;
            ends_in_line_end = ends_with_line_end(encoding, raw);
            pending.drain(..cut);
            seq += 1;
            if !sink(rec) {
                return Ok(None);
            }
        }
    }
    if before.is_file() {
        let after = file.metadata()?;
        if size != before.len()
            || after.len() != before.len()
            || after.modified().ok() != before.modified().ok()
        {
            return Err(std::io::Error::other(format!(
                "the file changed while it was read ({} bytes when opened, {size} read, {} at the end): nothing was imported; import a copy that nothing writes to",
                before.len(),
                after.len()
            )));
        }
    }
    let lines = if size == 0 {
        0
    } else if ends_in_line_end {
        lines_before
    } else {
        lines_before + 1
    };
    Ok(Some(FileDigest {
        sha256: crate::case::hex(&hasher.finalize()),
        size,
        lines,
    }))
}

/// SHA-256 (hex) of a file, without keeping anything.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(crate::case::hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_reassemble_and_count_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.txt");
        let text: String = (0..400_000).map(|i| format!("line {i}\n")).collect();
        std::fs::write(&p, &text).unwrap();
        let mut chunks = Vec::new();
        let d = chunk_file(&p, TextEncoding::Utf8, &mut |c| {
            chunks.push(c);
            true
        })
        .unwrap()
        .unwrap();
        assert!(chunks.len() > 1);
        assert_eq!(d.lines, 400_000);
        assert_eq!(d.size, text.len() as u64);
        let mut all = Vec::new();
        let mut line = 1;
        for c in &chunks {
            assert_eq!(c.first_line, line);
            let raw = zstd::decode_all(&c.data[..]).unwrap();
            assert_eq!(raw.last(), Some(&b'\n'), "chunks end at a line end");
            line += raw.iter().filter(|b| **b == b'\n').count() as u64;
            all.extend(raw);
        }
        assert_eq!(all, text.as_bytes());
    }

    #[test]
    fn a_line_longer_than_the_cap_is_cut_and_reassembles() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.txt");
        let mut text = b"head\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_PENDING + CHUNK_BYTES + 7));
        text.extend_from_slice(b"\ntail\n");
        std::fs::write(&p, &text).unwrap();
        let mut all = Vec::new();
        let mut firsts = Vec::new();
        let d = chunk_file(&p, TextEncoding::Utf8, &mut |c| {
            firsts.push(c.first_line);
            all.extend(zstd::decode_all(&c.data[..]).unwrap());
            true
        })
        .unwrap()
        .unwrap();
        assert_eq!(all, text);
        assert_eq!(d.lines, 3);
        assert!(firsts.len() >= 2, "{firsts:?}");
        assert!(firsts.windows(2).all(|w| w[0] <= w[1]), "{firsts:?}");
    }

    #[test]
    fn last_line_without_newline_counts() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.txt");
        std::fs::write(&p, "a\nb").unwrap();
        let d = chunk_file(&p, TextEncoding::Utf8, &mut |_| true)
            .unwrap()
            .unwrap();
        assert_eq!(d.lines, 2);
    }
}
