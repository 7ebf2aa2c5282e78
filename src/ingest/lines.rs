//! Where lines end, for every reader: a line ends at LF, at CRLF (one end) and at a CR that no
//! LF follows, as in the stored original ([`crate::model::encoding::find_line_end`]), so the
//! line an event cites is the line `show` prints. Readers see the decoded text (UTF-8, BOM
//! skipped); line ends sit on the same lines in the decoded text as in the original bytes.
//!
//! Line-based formats read with [`read_line`]. The CSV reader reads through [`LineTrack`],
//! which notes where each line end falls as the bytes go by, and maps the csv crate's byte
//! positions (exact, unlike its line counter, which counts LF only) to lines.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

/// Reads one line into `buf` (without its line end). Returns the bytes consumed, line end
/// included; 0 at the end of the input.
pub(crate) fn read_line<R: BufRead + ?Sized>(r: &mut R, buf: &mut Vec<u8>) -> io::Result<usize> {
    let mut consumed = 0;
    loop {
        let avail = fill(r)?;
        if avail.is_empty() {
            return Ok(consumed);
        }
        match memchr::memchr2(b'\n', b'\r', avail) {
            Some(i) => {
                buf.extend_from_slice(&avail[..i]);
                let cr = avail[i] == b'\r';
                r.consume(i + 1);
                consumed += i + 1;
                // The LF of a CRLF may be in the next buffer.
                if cr && fill(r)?.first() == Some(&b'\n') {
                    r.consume(1);
                    consumed += 1;
                }
                return Ok(consumed);
            }
            None => {
                let n = avail.len();
                buf.extend_from_slice(avail);
                r.consume(n);
                consumed += n;
            }
        }
    }
}

fn fill<R: BufRead + ?Sized>(r: &mut R) -> io::Result<&[u8]> {
    loop {
        match r.fill_buf() {
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    r.fill_buf()
}

/// A reader that notes the byte range of every line end it passes on, and answers which line
/// a byte offset is on. Offsets must be asked in increasing order; the line ends behind the
/// last one asked are dropped, so memory stays at what the consumer has buffered.
pub(crate) struct LineTrack<R> {
    inner: R,
    /// Bytes passed on.
    pub total: u64,
    /// The last three bytes passed on (the newest last), `tail_len` of them valid.
    tail: [u8; 3],
    tail_len: usize,
    /// The input is exhausted.
    pub eof: bool,
    /// A CR that was the last byte passed on: its LF (if any) is still to come.
    pending_cr: Option<u64>,
    /// (first byte, byte past the end) of line ends not yet passed by [`line_of`].
    ends: VecDeque<(u64, u64)>,
    /// Line ends dropped from `ends`.
    passed: u64,
}

impl<R: Read> LineTrack<R> {
    pub fn new(inner: R) -> Self {
        LineTrack {
            inner,
            total: 0,
            tail: [0; 3],
            tail_len: 0,
            eof: false,
            pending_cr: None,
            ends: VecDeque::with_capacity(8192),
            passed: 0,
        }
    }

    /// The line (1-based) byte `at` is on; a line end's bytes are on the line they end.
    pub fn line_of(&mut self, at: u64) -> u64 {
        while let Some(&(_, end)) = self.ends.front() {
            if end > at {
                break;
            }
            self.ends.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }

    /// The line a record starts on, given where the reader began reading it: line ends at
    /// that point (blank lines, or the LF of a CRLF the record before it stopped at) are
    /// passed over, as the reader passes over them.
    pub fn record_line(&mut self, at: u64) -> u64 {
        let mut pos = at;
        self.line_of(pos);
        while let Some(&(start, end)) = self.ends.front() {
            if start > pos {
                break;
            }
            pos = end;
            self.ends.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }

    /// The last byte passed on before the line end the input ends with (if it ends with one).
    pub fn last_before_line_end(&self) -> Option<u8> {
        let t = &self.tail[3 - self.tail_len..];
        let t = t.strip_suffix(b"\n").unwrap_or(t);
        let t = t.strip_suffix(b"\r").unwrap_or(t);
        t.last().copied()
    }

    fn note(&mut self, buf: &[u8]) {
        let base = self.total;
        let mut from = 0;
        if let Some(cr) = self.pending_cr.take() {
            if buf.first() == Some(&b'\n') {
                self.ends.push_back((cr, cr + 2));
                from = 1;
            } else {
                self.ends.push_back((cr, cr + 1));
            }
        }
        let mut skip_lf_at = usize::MAX;
        for i in memchr::memchr2_iter(b'\n', b'\r', &buf[from..]).map(|i| i + from) {
            if i == skip_lf_at {
                continue;
            }
            let at = base + i as u64;
            if buf[i] == b'\n' {
                self.ends.push_back((at, at + 1));
            } else if i + 1 == buf.len() {
                self.pending_cr = Some(at);
            } else if buf[i + 1] == b'\n' {
                self.ends.push_back((at, at + 2));
                skip_lf_at = i + 1;
            } else {
                self.ends.push_back((at, at + 1));
            }
        }
    }
}

impl<R: Read> Read for LineTrack<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.eof = true;
            if let Some(cr) = self.pending_cr.take() {
                self.ends.push_back((cr, cr + 1));
            }
        } else {
            self.note(&buf[..n]);
            self.total += n as u64;
            for b in &buf[n.saturating_sub(3)..n] {
                self.tail = [self.tail[1], self.tail[2], *b];
            }
            self.tail_len = (self.tail_len + n).min(3);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &[u8], cap: usize) -> Vec<(Vec<u8>, usize)> {
        let mut r = io::BufReader::with_capacity(cap, text);
        let mut out = Vec::new();
        loop {
            let mut buf = Vec::new();
            let n = read_line(&mut r, &mut buf).unwrap();
            if n == 0 {
                return out;
            }
            out.push((buf, n));
        }
    }

    #[test]
    fn read_line_ends_lines_at_lf_crlf_and_cr_across_buffers() {
        let text = b"a\nbb\r\ncc\rd\r\r\ne";
        for cap in [1, 2, 3, 64] {
            let got = lines_of(text, cap);
            let want: Vec<(Vec<u8>, usize)> = vec![
                (b"a".to_vec(), 2),
                (b"bb".to_vec(), 4),
                (b"cc".to_vec(), 3),
                (b"d".to_vec(), 2),
                (b"".to_vec(), 2),
                (b"e".to_vec(), 1),
            ];
            assert_eq!(got, want, "buffer of {cap}");
        }
    }

    #[test]
    fn line_track_maps_offsets_to_lines_across_reads() {
        let text = b"h\r\nx\r\ry\rz\n";
        // Reads of one byte put every CR at the end of a read.
        struct OneByte<'a>(&'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut t = LineTrack::new(OneByte(text));
        let mut all = Vec::new();
        t.read_to_end(&mut all).unwrap();
        assert_eq!(t.line_of(0), 1);
        assert_eq!(t.line_of(2), 1, "the LF of a CRLF is on the line it ends");
        assert_eq!(t.line_of(3), 2);
        assert_eq!(t.record_line(5), 4, "a blank line (lone CR) is passed over");
        assert_eq!(t.line_of(7), 4);
        assert_eq!(t.line_of(8), 5);
    }
}
