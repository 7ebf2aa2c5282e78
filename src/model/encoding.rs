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

    /// The line-feed as it appears in the encoded bytes.
    pub fn newline(self) -> &'static [u8] {
        match self {
            TextEncoding::Utf16Le => b"\n\0",
            TextEncoding::Utf16Be => b"\0\n",
            _ => b"\n",
        }
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

/// Counts line feeds in encoded bytes (for UTF-16, code units at even offsets).
pub fn count_newlines(enc: TextEncoding, bytes: &[u8]) -> u64 {
    match enc {
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let nl = enc.newline();
            bytes.chunks_exact(2).filter(|c| *c == nl).count() as u64
        }
        _ => bytes.iter().filter(|b| **b == b'\n').count() as u64,
    }
}
