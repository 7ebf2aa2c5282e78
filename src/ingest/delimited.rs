//! CSV / TSV access logs (RFC 4180 quoting, any one-byte delimiter, header row).

use std::io::Read;
use std::path::Path;

use super::lines::LineTrack;
use super::{Batch, Field, IngestError, ParseStats, Plan, RawRow, Reject, RowContext, clip};
use crate::model::Vocabulary;

/// What the header says about every row, resolved once.
struct Columns {
    /// Column index for each field.
    index: [Option<usize>; 12],
    n_cols: usize,
    /// Columns no field maps: their non-empty cells become the event's extra fields.
    unmapped: Vec<(usize, String)>,
    /// Cells past the header are kept as `_cell_N` (else such a row is a reject).
    keep_extra_cells: bool,
}

impl Columns {
    fn new(headers: &csv::ByteRecord, path: &Path, plan: &Plan) -> Result<Columns, IngestError> {
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
        let unmapped: Vec<(usize, String)> = headers
            .iter()
            .enumerate()
            .filter(|(i, _)| !index.contains(&Some(*i)))
            .map(|(i, h)| (i, String::from_utf8_lossy(h).trim().to_string()))
            .filter(|(_, h)| !h.is_empty())
            .collect();
        let keep_extra_cells = match plan.profile.extra_cells.as_deref() {
            None | Some("reject") => false,
            Some("keep") => true,
            Some(other) => {
                return Err(IngestError::file(
                    path,
                    format!("extra_cells is {other:?}: expected \"reject\" or \"keep\""),
                ));
            }
        };
        Ok(Columns {
            index,
            n_cols: headers.len(),
            unmapped,
            keep_extra_cells,
        })
    }

    /// Why a record's shape makes it a reject before its cells are read: a quote that never
    /// closes, or more cells than the header when they are not kept.
    #[inline]
    fn shape_problem(
        &self,
        rec: &csv::ByteRecord,
        line: u64,
        line_end: u64,
        unclosed_at_eof: bool,
    ) -> Option<String> {
        // A quote that never closes: the csv crate reads the rest of the file into the last
        // field without an error. Only a quoted field holds a line break, and a quoted field
        // that closes ends in a quote: a last record whose last field holds a line break, in a
        // file that does not end in a quote (before its final line end), was never closed.
        let last_field = rec.get(rec.len().saturating_sub(1)).unwrap_or_default();
        let holds_break = last_field.iter().any(|b| matches!(b, b'\n' | b'\r'));
        if unclosed_at_eof && holds_break {
            return Some(format!(
                "a quote opened in this record never closes: lines {line}..{line_end} (the rest of the file) were read as one field; fix the quoting and import again"
            ));
        }
        let n_cols = self.n_cols;
        if rec.len() > n_cols && !self.keep_extra_cells {
            return Some(format!(
                "row has {} fields, the header has {n_cols}: the {} past the header would be lost (an unquoted delimiter in a cell?); quote the cell, or keep them with extra_cells = \"keep\" in a mapping profile",
                rec.len(),
                rec.len() - n_cols
            ));
        }
        None
    }
}

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
        .from_reader(LineTrack::new(reader));
    let headers = rdr
        .byte_headers()
        .map_err(|e| IngestError::file(path, format!("line 1: cannot read the header: {e}")))?
        .clone();
    let cols = Columns::new(&headers, path, plan)?;
    let mut stats = ParseStats::default();
    let mut batch = Batch::default();
    let mut rec = csv::ByteRecord::new();
    loop {
        let more = match rdr.read_byte_record(&mut rec) {
            Ok(more) => more,
            Err(e) => {
                // A broken record: reject it with where it started, then carry on if the
                // reader can.
                let at = e.position().map(|p| p.byte());
                let line = at.map_or(stats.rows_read + 2, |b| rdr.get_mut().record_line(b));
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
        // Lines from byte positions, which the csv crate keeps exactly (its line counter
        // counts LF only, so every CRLF or CR file would cite the line before).
        let start = rec.position().map_or(0, |p| p.byte());
        let end = rdr.position().byte();
        let t = rdr.get_mut();
        let line = t.record_line(start);
        let line_end = t.line_of(end.saturating_sub(1)).max(line);
        let unclosed_at_eof = t.eof && end == t.total && t.last_before_line_end() != Some(b'"');
        // Blank lines are not rows.
        if rec.len() == 1
            && rec
                .get(0)
                .is_some_and(|f| f.iter().all(|b| b.is_ascii_whitespace()))
        {
            continue;
        }
        stats.rows_read += 1;
        let read = match cols.shape_problem(&rec, line, line_end, unclosed_at_eof) {
            Some(reason) => Err(reason),
            None => row_to_event(&rec, &cols.index, cols.n_cols, line, line_end, ctx, vocab)
                .and_then(|mut ev| {
                    ev.extra = extra_of(&rec, &cols.unmapped, cols.n_cols)?;
                    Ok(ev)
                }),
        };
        match read {
            Ok(ev) => batch.events.push(ev),
            Err(reason) => batch.rejects.push(Reject {
                line,
                reason,
                raw: clip(&raw_text(&rec, plan.delimiter)),
            }),
        }
        if batch.is_full() {
            stats.bytes_read = rdr.position().byte();
            if !batch.hand_on(stats.bytes_read, progress, sink) {
                return Ok(stats);
            }
        }
    }
    stats.bytes_read = rdr.position().byte();
    batch.hand_on_rest(stats.bytes_read, progress, sink);
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

/// The non-empty cells of the unmapped columns, as a JSON object keyed by header, and the
/// cells past the header (kept only when the profile says so) as `_cell_N`. A cell that is
/// not valid UTF-8 makes the row a reject: it would otherwise be stored with U+FFFD in it.
fn extra_of(
    rec: &csv::ByteRecord,
    unmapped: &[(usize, String)],
    n_cols: usize,
) -> Result<Option<String>, String> {
    if unmapped.is_empty() && rec.len() <= n_cols {
        return Ok(None);
    }
    let cell_text = |i: usize, cell: &[u8]| -> Result<String, String> {
        std::str::from_utf8(cell)
            .map(|c| c.trim().to_string())
            .map_err(|e| {
                format!(
                    "invalid text in field {}: not UTF-8 (or not the file's encoding) at byte {}",
                    i + 1,
                    e.valid_up_to()
                )
            })
    };
    let mut out = super::extra::ExtraBuf::default();
    for (i, header) in unmapped {
        if let Some(cell) = rec.get(*i) {
            let cell = cell_text(*i, cell)?;
            if !cell.is_empty() {
                out.text("", header, &cell);
            }
        }
    }
    for (i, cell) in rec.iter().enumerate().skip(n_cols) {
        let cell = cell_text(i, cell)?;
        if !cell.is_empty() {
            out.text("", &format!("_cell_{}", i + 1), &cell);
        }
    }
    Ok(out.finish())
}

fn raw_text(rec: &csv::ByteRecord, delimiter: u8) -> String {
    let parts: Vec<String> = rec
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    parts.join(&(delimiter as char).to_string())
}
