//! Text encodings of source files: which ones Retrace reads, how they are named, and how a
//! piece of a file is decoded for display. Detection lives in `ingest`.

/// An encoding a source file can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 with a byte-order mark (the mark is skipped).
    Utf8Bom,
    /// Shift_JIS as Windows writes it (CP932); encoding_rs's `Shift_JIS` is CP932.
    ShiftJis,
    Utf16Le,
    Utf16Be,
}

impl TextEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf8Bom => "utf-8-bom",
            TextEncoding::ShiftJis => "shift_jis",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
        }
    }

    /// Accepts the names users write: `utf8`, `cp932`, `sjis`, `windows-31j`, `utf-16`...
    pub fn parse(name: &str) -> Option<TextEncoding> {
        let n = name.trim().to_ascii_lowercase().replace('_', "-");
        Some(match n.as_str() {
            "utf-8" | "utf8" => TextEncoding::Utf8,
            "utf-8-bom" | "utf8-bom" | "utf-8-sig" => TextEncoding::Utf8Bom,
            "shift-jis" | "shiftjis" | "sjis" | "cp932" | "windows-31j" | "ms932" => {
                TextEncoding::ShiftJis
            }
            "utf-16le" | "utf16le" | "utf-16" | "utf16" => TextEncoding::Utf16Le,
            "utf-16be" | "utf16be" => TextEncoding::Utf16Be,
            _ => return None,
        })
    }

    /// Length of the byte-order mark this encoding starts with, if the file has one.
    pub fn bom_len(self) -> usize {
        match self {
            TextEncoding::Utf8Bom => 3,
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2,
            _ => 0,
        }
    }

    /// Length of this encoding's byte-order mark at the start of `head`: 0 when the file has
    /// none (UTF-16 declared or detected without a BOM keeps its first character).
    pub fn bom_in(self, head: &[u8]) -> usize {
        let bom: &[u8] = match self {
            TextEncoding::Utf8Bom => &[0xEF, 0xBB, 0xBF],
            TextEncoding::Utf16Le => &[0xFF, 0xFE],
            TextEncoding::Utf16Be => &[0xFE, 0xFF],
            _ => return 0,
        };
        if head.starts_with(bom) { bom.len() } else { 0 }
    }

    /// Decodes a piece of the file (no BOM handling: callers slice it off), replacing what
    /// cannot be decoded with U+FFFD.
    pub fn decode_lossy(self, bytes: &[u8]) -> String {
        let enc = match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
                return String::from_utf8_lossy(bytes).into_owned();
            }
            TextEncoding::ShiftJis => encoding_rs::SHIFT_JIS,
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
            TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
        };
        enc.decode_without_bom_handling(bytes).0.into_owned()
    }
}

/// The unit at code-unit index `i` of `bytes` (bytes for single-byte encodings, 16-bit units
/// for UTF-16), as a number.
fn unit(enc: TextEncoding, bytes: &[u8], i: usize) -> u16 {
    match enc {
        TextEncoding::Utf16Le => u16::from_le_bytes([bytes[2 * i], bytes[2 * i + 1]]),
        TextEncoding::Utf16Be => u16::from_be_bytes([bytes[2 * i], bytes[2 * i + 1]]),
        _ => u16::from(bytes[i]),
    }
}

/// Bytes per code unit: 2 for UTF-16, 1 otherwise. (Shift_JIS trail bytes are never CR or
/// LF, so its bytes can be scanned one by one for line ends.)
pub fn unit_len(enc: TextEncoding) -> usize {
    match enc {
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2,
        _ => 1,
    }
}

const LF: u16 = b'\n' as u16;
const CR: u16 = b'\r' as u16;

/// The first line end in encoded bytes at or after byte `from` (aligned to a code unit):
/// (its first byte, its length in bytes). A line ends at LF, at CRLF (one end) and at a CR
/// not followed by LF, in every reader and in the stored original alike; a CR that is the
/// last unit of `bytes` is taken as a line end on its own (chunks of the stored original are
/// never cut between the CR and the LF of a CRLF).
pub fn find_line_end(enc: TextEncoding, bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let w = unit_len(enc);
    let n = bytes.len() / w;
    if w == 1 {
        let i = from + memchr::memchr2(b'\n', b'\r', bytes.get(from..)?)?;
        let crlf = bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n');
        return Some((i, if crlf { 2 } else { 1 }));
    }
    let mut i = from / w;
    while i < n {
        match unit(enc, bytes, i) {
            LF => return Some((i * w, w)),
            CR => {
                let crlf = i + 1 < n && unit(enc, bytes, i + 1) == LF;
                return Some((i * w, if crlf { 2 * w } else { w }));
            }
            _ => i += 1,
        }
    }
    None
}

/// Counts line ends (see [`find_line_end`]) in encoded bytes.
pub fn count_line_ends(enc: TextEncoding, bytes: &[u8]) -> u64 {
    let mut count = 0;
    let mut at = 0;
    while let Some((start, len)) = find_line_end(enc, bytes, at) {
        count += 1;
        at = start + len;
    }
    count
}

/// Whether the bytes end with a line end (their last unit is LF or CR).
pub fn ends_with_line_end(enc: TextEncoding, bytes: &[u8]) -> bool {
    let w = unit_len(enc);
    let n = bytes.len() / w;
    n > 0 && matches!(unit(enc, bytes, n - 1), LF | CR)
}

/// Offset just past the last line end in `bytes` that is known to be whole: an LF, or a CR
/// followed by something other than LF. A CR in the last unit may be the first half of a
/// CRLF whose LF is still to come, so it is not a cut point.
pub fn last_whole_line_end(enc: TextEncoding, bytes: &[u8]) -> Option<usize> {
    let w = unit_len(enc);
    let n = bytes.len() / w;
    if w == 1 {
        let i = memchr::memrchr2(b'\n', b'\r', bytes)?;
        if bytes[i] == b'\r' && i + 1 == n {
            return memchr::memrchr2(b'\n', b'\r', &bytes[..i]).map(|j| j + 1);
        }
        return Some(i + 1);
    }
    let mut i = n;
    while i > 0 {
        i -= 1;
        match unit(enc, bytes, i) {
            LF => return Some((i + 1) * w),
            CR if i + 1 < n => return Some((i + 1) * w),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn every_line_ending_counts_once() {
        let text = "a\nb\r\nc\rd\r\re\n\nf";
        assert_eq!(count_line_ends(TextEncoding::Utf8, text.as_bytes()), 7);
        assert_eq!(count_line_ends(TextEncoding::Utf16Le, &utf16le(text)), 7);
        assert_eq!(
            find_line_end(TextEncoding::Utf8, text.as_bytes(), 2),
            Some((3, 2))
        );
        assert_eq!(
            find_line_end(TextEncoding::Utf16Le, &utf16le(text), 4),
            Some((6, 4))
        );
        // A CR as the last byte may be half a CRLF: not a cut point, but a line end.
        assert_eq!(last_whole_line_end(TextEncoding::Utf8, b"a\nb\r"), Some(2));
        assert_eq!(last_whole_line_end(TextEncoding::Utf8, b"a\rb"), Some(2));
        assert!(ends_with_line_end(TextEncoding::Utf8, b"a\r"));
        assert!(!ends_with_line_end(TextEncoding::Utf16Be, &[0, b'a']));
    }
}
