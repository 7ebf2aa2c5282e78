//! Encoding detection and a streaming decoder that turns any supported encoding into UTF-8
//! while keeping line breaks where they were, so line numbers mean the same in both.

use std::io::{self, Read};

use crate::model::encoding::TextEncoding;

/// How the encoding was decided, recorded on the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingHow {
    Declared,
    Bom,
    Detected,
    /// UTF-16 without a BOM, told by where the NUL bytes fall: ASCII text in UTF-16 has a NUL
    /// in every other byte, the odd ones in little-endian, the even ones in big-endian.
    NulPattern,
}

impl EncodingHow {
    pub fn as_str(self) -> &'static str {
        match self {
            EncodingHow::Declared => "declared",
            EncodingHow::Bom => "bom",
            EncodingHow::Detected => "detected",
            EncodingHow::NulPattern => "nul-pattern",
        }
    }
}

/// Decides the encoding from a declared name, a byte-order mark, or the first bytes: valid
/// UTF-8 is UTF-8; otherwise text that decodes cleanly as Shift_JIS (CP932) is Shift_JIS;
/// otherwise UTF-8 (rows with invalid bytes are then rejected one by one).
pub fn detect(head: &[u8], declared: Option<TextEncoding>) -> (TextEncoding, EncodingHow) {
    let bom = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        Some(TextEncoding::Utf8Bom)
    } else if head.starts_with(&[0xFF, 0xFE]) {
        Some(TextEncoding::Utf16Le)
    } else if head.starts_with(&[0xFE, 0xFF]) {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    };
    if let Some(d) = declared {
        // A declared UTF-8 file that carries a BOM still needs the BOM skipped.
        if d == TextEncoding::Utf8 && bom == Some(TextEncoding::Utf8Bom) {
            return (TextEncoding::Utf8Bom, EncodingHow::Declared);
        }
        return (d, EncodingHow::Declared);
    }
    if let Some(b) = bom {
        return (b, EncodingHow::Bom);
    }
    if let Some(e) = utf16_by_nuls(head) {
        return (e, EncodingHow::NulPattern);
    }
    // The sample may end inside a multi-byte character; ignore an incomplete tail.
    match std::str::from_utf8(head) {
        Ok(_) => return (TextEncoding::Utf8, EncodingHow::Detected),
        Err(e) if e.error_len().is_none() => return (TextEncoding::Utf8, EncodingHow::Detected),
        Err(_) => {}
    }
    let (_, had_errors) =
        encoding_rs::SHIFT_JIS.decode_without_bom_handling(trim_partial_sjis(head));
    if !had_errors {
        return (TextEncoding::ShiftJis, EncodingHow::Detected);
    }
    (TextEncoding::Utf8, EncodingHow::Detected)
}

/// UTF-16 without a BOM: at least a third of the code units in the first 4 KiB are ASCII text
/// (a NUL byte and a printable character, tab, CR or LF), the NUL always on the same side, no
/// unit is two NULs, and the sample decodes as UTF-16 without error.
fn utf16_by_nuls(head: &[u8]) -> Option<TextEncoding> {
    let sample = &head[..head.len().min(4096) & !1];
    let units = sample.len() / 2;
    if units < 2 {
        return None;
    }
    let text = |b: u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7E);
    let (mut even, mut odd) = (0usize, 0usize);
    for u in sample.chunks_exact(2) {
        match (u[0] == 0, u[1] == 0) {
            (true, true) => return None,
            (true, false) if text(u[1]) => even += 1,
            (false, true) if text(u[0]) => odd += 1,
            (true, false) | (false, true) => return None,
            (false, false) => {}
        }
    }
    let enc = if odd * 3 >= units && even == 0 {
        TextEncoding::Utf16Le
    } else if even * 3 >= units && odd == 0 {
        TextEncoding::Utf16Be
    } else {
        return None;
    };
    let coder = match enc {
        TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
        _ => encoding_rs::UTF_16BE,
    };
    // The sample may end inside a surrogate pair: drop a last high surrogate.
    let mut end = sample.len();
    let last = match enc {
        TextEncoding::Utf16Le => u16::from_le_bytes([sample[end - 2], sample[end - 1]]),
        _ => u16::from_be_bytes([sample[end - 2], sample[end - 1]]),
    };
    if (0xD800..0xDC00).contains(&last) {
        end -= 2;
    }
    coder
        .decode_without_bom_handling_and_without_replacement(&sample[..end])
        .map(|_| enc)
}

/// Drops a trailing lead byte that the sample cut off from its trail byte.
fn trim_partial_sjis(head: &[u8]) -> &[u8] {
    match head.last() {
        Some(b) if (0x81..=0x9F).contains(b) || (0xE0..=0xFC).contains(b) => {
            &head[..head.len() - 1]
        }
        _ => head,
    }
}

/// Reads bytes in `encoding` (after its BOM) and yields UTF-8.
pub struct DecodeReader<R: Read> {
    inner: R,
    decoder: Option<encoding_rs::Decoder>,
    in_buf: Vec<u8>,
    in_start: usize,
    in_end: usize,
    out_buf: Vec<u8>,
    out_start: usize,
    out_end: usize,
    /// The input is exhausted and the decoder has been flushed.
    finished: bool,
    encoding: TextEncoding,
    /// The start of the input has been checked for a BOM.
    bom_checked: bool,
}

/// Put in the UTF-8 output where the input could not be decoded: 0xFF is never UTF-8 (and is
/// neither CR nor LF), so the row holding it fails its UTF-8 check and becomes a reject that
/// says so, rather than carrying a U+FFFD nobody wrote.
pub const UNDECODABLE: u8 = 0xFF;

impl<R: Read> DecodeReader<R> {
    pub fn new(inner: R, encoding: TextEncoding) -> Self {
        let decoder = match encoding {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => None,
            TextEncoding::ShiftJis => {
                Some(encoding_rs::SHIFT_JIS.new_decoder_without_bom_handling())
            }
            TextEncoding::Utf16Le => Some(encoding_rs::UTF_16LE.new_decoder_without_bom_handling()),
            TextEncoding::Utf16Be => Some(encoding_rs::UTF_16BE.new_decoder_without_bom_handling()),
        };
        DecodeReader {
            inner,
            decoder,
            in_buf: vec![0; 64 * 1024],
            in_start: 0,
            in_end: 0,
            out_buf: vec![0; 3 * 64 * 1024 + 16],
            out_start: 0,
            out_end: 0,
            finished: false,
            encoding,
            bom_checked: false,
        }
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.bom_checked {
            self.bom_checked = true;
            // Only a BOM that is there is skipped: a file declared UTF-16 without one keeps its
            // first character.
            let want = self.encoding.bom_len();
            while self.in_end < want {
                let n = self.inner.read(&mut self.in_buf[self.in_end..want])?;
                if n == 0 {
                    break;
                }
                self.in_end += n;
            }
            self.in_start = self.encoding.bom_in(&self.in_buf[..self.in_end]);
        }
        let Some(decoder) = self.decoder.as_mut() else {
            if self.in_start < self.in_end {
                let n = buf.len().min(self.in_end - self.in_start);
                buf[..n].copy_from_slice(&self.in_buf[self.in_start..self.in_start + n]);
                self.in_start += n;
                return Ok(n);
            }
            return self.inner.read(buf);
        };
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.out_buf[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            let last = if self.in_start == self.in_end {
                let n = self.inner.read(&mut self.in_buf)?;
                self.in_start = 0;
                self.in_end = n;
                n == 0
            } else {
                false
            };
            // One byte of room is kept for the UNDECODABLE mark.
            let room = self.out_buf.len() - 1;
            let (result, read, written) = decoder.decode_to_utf8_without_replacement(
                &self.in_buf[self.in_start..self.in_end],
                &mut self.out_buf[..room],
                last,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            match result {
                encoding_rs::DecoderResult::Malformed(..) => {
                    self.out_buf[written] = UNDECODABLE;
                    self.out_end += 1;
                }
                encoding_rs::DecoderResult::InputEmpty if last => self.finished = true,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], enc: TextEncoding) -> String {
        let mut s = String::new();
        DecodeReader::new(bytes, enc)
            .read_to_string(&mut s)
            .unwrap();
        s
    }

    #[test]
    fn detects_and_decodes_each_encoding() {
        let text = "日時,担当者\n2021/02/24 10:00:00,山田\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        assert_eq!(
            detect(&sjis, None),
            (TextEncoding::ShiftJis, EncodingHow::Detected)
        );
        assert_eq!(decode_all(&sjis, TextEncoding::ShiftJis), text);

        let mut u16le = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            u16le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(
            detect(&u16le, None),
            (TextEncoding::Utf16Le, EncodingHow::Bom)
        );
        assert_eq!(decode_all(&u16le, TextEncoding::Utf16Le), text);

        let mut u8bom = vec![0xEF, 0xBB, 0xBF];
        u8bom.extend_from_slice(text.as_bytes());
        assert_eq!(
            detect(&u8bom, None),
            (TextEncoding::Utf8Bom, EncodingHow::Bom)
        );
        assert_eq!(decode_all(&u8bom, TextEncoding::Utf8Bom), text);
        assert_eq!(detect(text.as_bytes(), None).0, TextEncoding::Utf8);
        // A UTF-8 sample cut inside a character is still UTF-8.
        assert_eq!(detect(&text.as_bytes()[..5], None).0, TextEncoding::Utf8);
    }

    #[test]
    fn decodes_across_buffer_boundaries() {
        let text: String = (0..50_000).map(|i| format!("{i},漢字テスト\n")).collect();
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        assert_eq!(decode_all(&sjis, TextEncoding::ShiftJis), text);
    }
}
