//! The check of line citations in `verify --deep` that does not trust the importer: the stored
//! original is split into lines here by a loop of its own (not the readers' line counter, not
//! their parsers), and every event's cited lines `line..=line_end` must hold its record:
//!
//! - every word of the event's raw timestamp text is in those lines, as written or as JSON
//!   escapes it (MySQL general logs are exempt: a line there carries the time only when it
//!   changes, so most records cite a line without one);
//! - for CSV sources, those lines parse (the csv crate, no header, the recorded delimiter) to
//!   exactly one record, whose cell in the time column is the raw timestamp.
//!
//! A case imported before line ends were counted for CRLF, CR, BOM and blank lines fails here,
//! event by event; `retrace repair-lines` recomputes its lines.

use std::io::{BufReader, Read, Seek};
use std::path::Path;

use anyhow::{Context, Result};

use crate::case::{Case, SourceRow, VerifyProblem};
use crate::model::encoding::TextEncoding;

/// Byte offsets in the original at which its lines start (the first after any BOM), and its
/// length. Lines end at LF, CRLF and a lone CR, counted one code unit at a time.
struct LineStarts {
    starts: Vec<u64>,
    size: u64,
}

impl LineStarts {
    fn read(path: &Path, enc: TextEncoding) -> Result<LineStarts> {
        let mut f = BufReader::with_capacity(
            1 << 20,
            std::fs::File::open(path)
                .with_context(|| format!("{}: cannot open", path.display()))?,
        );
        let unit = match enc {
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2,
            _ => 1,
        };
        let code = |u: &[u8]| -> u16 {
            match enc {
                TextEncoding::Utf16Le => u16::from_le_bytes([u[0], u[1]]),
                TextEncoding::Utf16Be => u16::from_be_bytes([u[0], u[1]]),
                _ => u16::from(u[0]),
            }
        };
        let mut all_head = [0u8; 3];
        let mut head_len = 0;
        let mut starts = Vec::new();
        let mut pos: u64 = 0;
        // After a CR: its line ends here unless an LF comes next.
        let mut after_cr = false;
        let mut buf = vec![0u8; 1 << 20];
        let mut carry: Vec<u8> = Vec::new();
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            if head_len < 3 {
                let take = (3 - head_len).min(n);
                all_head[head_len..head_len + take].copy_from_slice(&buf[..take]);
                head_len += take;
            }
            carry.extend_from_slice(&buf[..n]);
            let whole = carry.len() / unit * unit;
            for u in carry[..whole].chunks_exact(unit) {
                if starts.is_empty() {
                    starts.push(0);
                }
                let c = code(u);
                if after_cr {
                    after_cr = false;
                    if c == u16::from(b'\n') {
                        pos += unit as u64;
                        starts.push(pos);
                        continue;
                    }
                    starts.push(pos);
                }
                pos += unit as u64;
                if c == u16::from(b'\r') {
                    after_cr = true;
                } else if c == u16::from(b'\n') {
                    starts.push(pos);
                }
            }
            carry.drain(..whole);
        }
        pos += carry.len() as u64;
        if after_cr {
            starts.push(pos);
        }
        // A start at the very end begins no line.
        if starts.last() == Some(&pos) {
            starts.pop();
        }
        if let Some(first) = starts.first_mut() {
            *first = enc.bom_in(&all_head[..head_len]) as u64;
        }
        Ok(LineStarts { starts, size: pos })
    }

    fn count(&self) -> usize {
        self.starts.len()
    }

    /// Bytes of lines `first..=last` (1-based), line ends included.
    fn span(&self, first: usize, last: usize) -> (u64, u64) {
        let from = self.starts[first - 1];
        let to = self.starts.get(last).copied().unwrap_or(self.size);
        (from, to)
    }
}

/// Checks the cited lines of every stored event of `s`, whose original is at `original`.
/// Returns the number of events checked.
pub(super) fn check(
    case: &Case,
    s: &SourceRow,
    original: &Path,
    note: &mut dyn FnMut(VerifyProblem),
) -> Result<u64> {
    let enc = TextEncoding::parse(&s.encoding).unwrap_or(TextEncoding::Utf8);
    let lines = LineStarts::read(original, enc)?;
    let mapping: serde_json::Value = serde_json::from_str(&s.mapping_json).unwrap_or_default();
    let is_csv = matches!(s.format.as_str(), "csv" | "timesketch-csv");
    let check_time_text = s.format != "mysql-general";
    let delimiter = mapping["delimiter"]
        .as_str()
        .and_then(|d| d.bytes().next())
        .unwrap_or(b',');
    let time_col = if is_csv {
        mapping["columns"]["time"]
            .as_str()
            .and_then(|col| header_index(original, &lines, enc, delimiter, col))
    } else {
        None
    };
    let mut file = BufReader::with_capacity(
        256 * 1024,
        std::fs::File::open(original)
            .with_context(|| format!("{}: cannot open", original.display()))?,
    );
    let mut at: u64 = 0;
    let mut raw = Vec::new();
    let mut csv_lines = CsvLines::new(delimiter);
    let mut checked = 0u64;
    let what = |id: i64, line: i64| format!("event {id} ({}, line {line})", s.file_name);
    let mut failure: Option<anyhow::Error> = None;
    case.sources().for_each_stored_event(s, &mut |ev| {
        checked += 1;
        let (first, last) = (ev.line, ev.line_end);
        if first < 1 || last < first || last as usize > lines.count() {
            note(VerifyProblem {
                what: what(ev.id, first),
                why: format!(
                    "cites lines {first}..{last}, but the stored original has {} lines",
                    lines.count()
                ),
            });
            return true;
        }
        let (from, to) = lines.span(first as usize, last as usize);
        let r = (|| -> std::io::Result<()> {
            file.seek_relative(from as i64 - at as i64)?;
            raw.resize((to - from) as usize, 0);
            file.read_exact(&mut raw)?;
            at = to;
            Ok(())
        })();
        if let Err(e) = r {
            failure = Some(anyhow::Error::from(e).context("reading the stored original"));
            return false;
        }
        let text = enc.decode_lossy(&raw);
        let quoted = |w: &str| {
            let q = serde_json::to_string(w).unwrap_or_default();
            q.get(1..q.len().saturating_sub(1)).unwrap_or("").to_string()
        };
        let missing = check_time_text
            && ev
                .raw_ts
                .split_whitespace()
                .any(|w| !text.contains(w) && !text.contains(&quoted(w)));
        let why = if missing {
            Some(format!(
                "its cited lines {first}..{last} do not hold its record: its timestamp {:?} is not in them",
                ev.raw_ts
            ))
        } else if is_csv {
            csv_mismatch(&mut csv_lines, &text, time_col, &ev.raw_ts)
                .map(|w| format!("its cited lines {first}..{last} do not hold its record: {w}"))
        } else {
            None
        };
        if let Some(why) = why {
            let shown: String = text.trim_end().chars().take(160).collect();
            note(VerifyProblem {
                what: what(ev.id, first),
                why: format!("{why} (they read {shown:?}); `retrace repair-lines` recomputes the lines of a case imported before line ends were counted exactly"),
            });
        }
        true
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(checked)
}

/// The index of column `col` in the header: the first non-blank line of the original.
fn header_index(
    original: &Path,
    lines: &LineStarts,
    enc: TextEncoding,
    delimiter: u8,
    col: &str,
) -> Option<usize> {
    let mut f = std::fs::File::open(original).ok()?;
    for i in 1..=lines.count().min(100) {
        let (from, to) = lines.span(i, i);
        let mut raw = vec![0u8; (to - from) as usize];
        f.seek(std::io::SeekFrom::Start(from)).ok()?;
        f.read_exact(&mut raw).ok()?;
        let text = enc.decode_lossy(&raw);
        if text.trim().is_empty() {
            continue;
        }
        let rec = csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(text.as_bytes())
            .into_records()
            .next()?
            .ok()?;
        return rec.iter().position(|h| h.trim() == col);
    }
    None
}

/// One CSV reader (no header, the recorded delimiter, flexible) for every event's lines,
/// reset to each new text: building a reader builds its parser's tables, which, done per
/// event, was half the deep verify's time.
struct CsvLines {
    rdr: csv::Reader<std::io::Cursor<Vec<u8>>>,
}

impl CsvLines {
    fn new(delimiter: u8) -> CsvLines {
        CsvLines {
            rdr: csv::ReaderBuilder::new()
                .has_headers(false)
                .delimiter(delimiter)
                .flexible(true)
                .from_reader(std::io::Cursor::new(Vec::new())),
        }
    }

    /// The reader, reset to read `text` from its start as a fresh reader would.
    fn read(&mut self, text: &str) -> csv::Result<&mut csv::Reader<std::io::Cursor<Vec<u8>>>> {
        let buf = self.rdr.get_mut().get_mut();
        buf.clear();
        buf.extend_from_slice(text.as_bytes());
        self.rdr
            .seek_raw(std::io::SeekFrom::Start(0), csv::Position::new())?;
        Ok(&mut self.rdr)
    }
}

/// Why CSV lines are not the one record whose time cell is `raw_ts`, if they are not.
fn csv_mismatch(
    csv_lines: &mut CsvLines,
    text: &str,
    time_col: Option<usize>,
    raw_ts: &str,
) -> Option<String> {
    let rdr = match csv_lines.read(text) {
        Ok(r) => r,
        Err(e) => return Some(format!("they do not parse as CSV: {e}")),
    };
    let mut records = Vec::new();
    for r in rdr.records() {
        match r {
            Ok(r) if r.iter().all(|c| c.trim().is_empty()) => {}
            Ok(r) => records.push(r),
            Err(e) => return Some(format!("they do not parse as CSV: {e}")),
        }
    }
    if records.len() != 1 {
        return Some(format!("they hold {} CSV records, not one", records.len()));
    }
    let cell = time_col.and_then(|i| records[0].get(i)).map(str::trim);
    match cell {
        Some(c) if c == raw_ts.trim() => None,
        Some(c) => Some(format!(
            "the record's time cell is {c:?}, the event's timestamp {raw_ts:?}"
        )),
        None => Some("the record has no time cell".into()),
    }
}
