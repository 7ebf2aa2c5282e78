//! CSV / TSV access logs (RFC 4180 quoting, any one-byte delimiter, header row).

use std::io::Read;
use std::path::Path;

use super::{Batch, Field, IngestError, ParseStats, Plan, RawRow, Reject, RowContext, clip};
use crate::model::Vocabulary;

pub(super) fn parse<R: Read>(
    reader: R,
    path: &Path,
    plan: &Plan,
    ctx: &RowContext,
    vocab: &mut Vocabulary,
    sink: &mut dyn FnMut(Batch) -> bool,
    progress: &mut dyn FnMut(u64),
) -> Result<ParseStats, IngestError> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(plan.delimiter)
        .has_headers(true)
        .flexible(true)
        .buffer_capacity(256 * 1024)
        .from_reader(Tracking {
            inner: reader,
            total: 0,
            last: None,
            eof: false,
        });
    let headers = rdr
        .byte_headers()
        .map_err(|e| IngestError::file(path, format!("line 1: cannot read the header: {e}")))?
        .clone();
    // Column index for each field, resolved once.
    let mut index: [Option<usize>; 12] = [None; 12];
    for f in Field::ALL {
        if let Some(col) = plan.mapping.get(f) {
            let i = headers
                .iter()
                .position(|h| String::from_utf8_lossy(h).trim() == col)
                .ok_or_else(|| {
                    IngestError::file(
                        path,
                        format!(
                            "the mapping names column {col:?} for {}, but the header has no such column (header: {})",
                            f.as_str(),
                            plan.headers.join(", ")
                        ),
                    )
                })?;
            index[f as usize] = Some(i);
        }
    }
    let n_cols = headers.len();
    // Columns no field maps: their non-empty cells become the event's extra fields.
    let unmapped: Vec<(usize, String)> = headers
        .iter()
        .enumerate()
        .filter(|(i, _)| !index.contains(&Some(*i)))
        .map(|(i, h)| (i, String::from_utf8_lossy(h).trim().to_string()))
        .filter(|(_, h)| !h.is_empty())
        .collect();
    let mut stats = ParseStats::default();
    let mut batch = Batch::default();
    let mut rec = csv::ByteRecord::new();
    loop {
        let more = match rdr.read_byte_record(&mut rec) {
            Ok(more) => more,
            Err(e) => {
                // A broken record (e.g. a quote that never closes): reject it with where it
                // started, then carry on if the reader can.
                let line = e.position().map_or(stats.rows_read + 2, |p| p.line());
                stats.rows_read += 1;
                batch.rejects.push(Reject {
                    line,
                    reason: format!("unreadable CSV record: {e}"),
                    raw: String::new(),
                });
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(IngestError::file(path, format!("line {line}: {e}")));
                }
                continue;
            }
        };
        if !more {
            break;
        }
        // The csv crate reports a record that follows blank lines as starting on the first
        // blank line, so lines are counted back from where the reader stopped: the record ends
        // on the line before (or, with no final line break, on that line) and starts as many
        // lines earlier as its quoted fields hold line breaks.
        let next_line = rdr.position().line();
        let t = rdr.get_ref();
        let (t_eof, t_total, t_last) = (t.eof, t.total, t.last);
        let unterminated = t.eof
            && t.last != Some(b'\n')
            && t.last != Some(b'\r')
            && rdr.position().byte() == t.total;
        let line_end = if unterminated {
            next_line
        } else {
            next_line - 1
        };
        let inner_breaks: u64 = rec
            .iter()
            .map(|f| f.iter().filter(|b| **b == b'\n').count() as u64)
            .sum();
        let line = line_end.saturating_sub(inner_breaks).max(1);
        // Blank lines are not rows.
        if rec.len() == 1
            && rec
                .get(0)
                .is_some_and(|f| f.iter().all(|b| b.is_ascii_whitespace()))
        {
            continue;
        }
        stats.rows_read += 1;
        // A quote that never closes: the csv crate reads the rest of the file into the last
        // field without an error. Only a quoted field holds a line break, and a closed one ends
        // before the record's terminator, so a last field that ends in a line break (or, with no
        // final line break, holds one while the file does not end in a quote) was never closed.
        let at_eof = t_eof && rdr.position().byte() == t_total;
        let last_field = rec.get(rec.len().saturating_sub(1)).unwrap_or_default();
        let ends_in_break = matches!(last_field.last(), Some(b'\n' | b'\r'));
        if at_eof
            && (ends_in_break
                || (unterminated && last_field.contains(&b'\n') && t_last != Some(b'"')))
        {
            // The final line break is inside the field: the record starts one line later
            // than counted back above.
            let line = if ends_in_break && last_field.last() == Some(&b'\n') {
                (line + 1).min(line_end)
            } else {
                line
            };
            batch.rejects.push(Reject {
                line,
                reason: format!(
                    "a quote opened in this record never closes: lines {line}..{line_end} (the rest of the file) were read as one field; fix the quoting and import again"
                ),
                raw: clip(&raw_text(&rec, plan.delimiter)),
            });
            continue;
        }
        match row_to_event(&rec, &index, n_cols, line, line_end, ctx, vocab) {
            Ok(mut ev) => {
                if !unmapped.is_empty() {
                    ev.extra = extra_of(&rec, &unmapped);
                }
                batch.events.push(ev)
            }
            Err(reason) => batch.rejects.push(Reject {
                line,
                reason,
                raw: clip(&raw_text(&rec, plan.delimiter)),
            }),
        }
        if batch.is_full() {
            stats.bytes_read = rdr.position().byte();
            progress(stats.bytes_read);
            if !sink(std::mem::take(&mut batch)) {
                return Ok(stats);
            }
        }
    }
    stats.bytes_read = rdr.position().byte();
    progress(stats.bytes_read);
    if !batch.is_empty() {
        sink(batch);
    }
    Ok(stats)
}

fn row_to_event(
    rec: &csv::ByteRecord,
    index: &[Option<usize>; 12],
    n_cols: usize,
    line: u64,
    line_end: u64,
    ctx: &RowContext,
    vocab: &mut Vocabulary,
) -> Result<crate::model::NewEvent, String> {
    if rec.len() < n_cols && index.iter().flatten().any(|i| *i >= rec.len()) {
        return Err(format!(
            "row has {} fields, the header has {n_cols}",
            rec.len()
        ));
    }
    let mut row = RawRow::default();
    for (slot, idx) in row.values.iter_mut().zip(index) {
        if let Some(i) = idx
            && let Some(bytes) = rec.get(*i)
        {
            *slot = Some(std::str::from_utf8(bytes).map_err(|e| {
                format!(
                    "invalid UTF-8 in field {} at byte {}",
                    i + 1,
                    e.valid_up_to()
                )
            })?);
        }
    }
    ctx.to_event(&row, line, line_end, vocab)
}

/// The non-empty cells of the unmapped columns, as a JSON object keyed by header.
fn extra_of(rec: &csv::ByteRecord, unmapped: &[(usize, String)]) -> Option<String> {
    let mut out = super::extra::ExtraBuf::default();
    for (i, header) in unmapped {
        if let Some(cell) = rec.get(*i) {
            let cell = String::from_utf8_lossy(cell);
            let cell = cell.trim();
            if !cell.is_empty() {
                out.text("", header, cell);
            }
        }
    }
    out.finish()
}

fn raw_text(rec: &csv::ByteRecord, delimiter: u8) -> String {
    let parts: Vec<String> = rec
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    parts.join(&(delimiter as char).to_string())
}

/// Remembers how many bytes were read and the last one, so the parser can tell whether the
/// final record ended with a line break.
struct Tracking<R> {
    inner: R,
    total: u64,
    last: Option<u8>,
    eof: bool,
}

impl<R: Read> Read for Tracking<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.eof = true;
        } else {
            self.total += n as u64;
            self.last = Some(buf[n - 1]);
        }
        Ok(n)
    }
}
