//! Reading the rows of an export on their own thread: SQLite's stepping and the row decoding
//! run on a named thread with its own read-only connection, handing batches of rows (their
//! text packed in one buffer) to the thread that formats them, which in turn hands bytes to the
//! thread that hashes and writes them. Three stages, so an export uses more than one core.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use anyhow::{Result, anyhow};

use crate::case::{Case, EventSelection, ExportEvent};

const BATCH_ROWS: usize = 4096;
const NONE: i64 = i64::MIN;

#[derive(Clone, Copy)]
struct Span(usize, usize);

const NO_TEXT: Span = Span(usize::MAX, 0);

#[derive(Clone, Copy)]
struct Packed {
    /// id, ts_us, source_id, line, line_end, categories, account_id, system_id, records
    /// (`NONE` for an absent optional).
    ints: [i64; 9],
    /// raw_ts, src_ip, action, object, outcome, session_key, ticket, subject_ids
    texts: [Span; 8],
}

#[derive(Default)]
struct Batch {
    arena: String,
    rows: Vec<Packed>,
}

impl Batch {
    fn push_text(&mut self, t: Option<&str>) -> Span {
        match t {
            Some(t) => {
                let start = self.arena.len();
                self.arena.push_str(t);
                Span(start, t.len())
            }
            None => NO_TEXT,
        }
    }

    fn push(&mut self, e: &ExportEvent<'_>) {
        let texts = [
            self.push_text(Some(e.raw_ts)),
            self.push_text(e.src_ip),
            self.push_text(e.action),
            self.push_text(e.object),
            self.push_text(e.outcome),
            self.push_text(e.session_key),
            self.push_text(e.ticket),
            self.push_text(e.subject_ids),
        ];
        self.rows.push(Packed {
            ints: [
                e.id,
                e.ts_us,
                e.source_id,
                e.line,
                e.line_end,
                e.categories as i64,
                e.account_id.unwrap_or(NONE),
                e.system_id.unwrap_or(NONE),
                e.records.unwrap_or(NONE),
            ],
            texts,
        });
    }

    fn text(&self, s: Span) -> Option<&str> {
        (s.0 != usize::MAX).then(|| &self.arena[s.0..s.0 + s.1])
    }

    fn event(&self, p: &Packed) -> ExportEvent<'_> {
        let opt = |v: i64| (v != NONE).then_some(v);
        ExportEvent {
            id: p.ints[0],
            ts_us: p.ints[1],
            raw_ts: self.text(p.texts[0]).unwrap_or(""),
            source_id: p.ints[2],
            line: p.ints[3],
            line_end: p.ints[4],
            account_id: opt(p.ints[6]),
            src_ip: self.text(p.texts[1]),
            system_id: opt(p.ints[7]),
            action: self.text(p.texts[2]),
            object: self.text(p.texts[3]),
            categories: p.ints[5] as u64,
            records: opt(p.ints[8]),
            outcome: self.text(p.texts[4]),
            session_key: self.text(p.texts[5]),
            ticket: self.text(p.texts[6]),
            subject_ids: self.text(p.texts[7]),
        }
    }
}

/// Calls `f` for every event of the selection, in the selection's order, with the rows read
/// from `case_path` on a named reader thread. Stops when `f` returns `Break`.
pub fn for_each_event_threaded(
    case_path: PathBuf,
    selection: EventSelection,
    mut f: impl FnMut(&ExportEvent<'_>) -> ControlFlow<()>,
) -> Result<u64> {
    let (tx, rx): (SyncSender<Batch>, Receiver<Batch>) = sync_channel(4);
    let (back_tx, back_rx) = sync_channel::<Batch>(6);
    let reader = std::thread::Builder::new()
        .name("export-reader".into())
        .spawn(move || -> Result<u64> {
            let case = Case::open_read_only(&case_path)?;
            let mut batch = Batch::default();
            let mut stopped = false;
            let n = case.export().for_each_export_event(&selection, |e| {
                batch.push(e);
                if batch.rows.len() >= BATCH_ROWS {
                    let mut next = back_rx.try_recv().unwrap_or_default();
                    next.arena.clear();
                    next.rows.clear();
                    if tx.send(std::mem::replace(&mut batch, next)).is_err() {
                        stopped = true;
                        return ControlFlow::Break(());
                    }
                }
                ControlFlow::Continue(())
            })?;
            if !stopped && !batch.rows.is_empty() {
                let _ = tx.send(batch);
            }
            Ok(n)
        })?;
    let mut handed = 0u64;
    'batches: for batch in rx.iter() {
        for p in &batch.rows {
            handed += 1;
            if f(&batch.event(p)).is_break() {
                break 'batches;
            }
        }
        let _ = back_tx.try_send(batch);
    }
    // Dropping the receiver (leaving the loop early) makes the reader stop at its next batch.
    drop(rx);
    reader
        .join()
        .map_err(|_| anyhow!("the export reader thread panicked"))??;
    Ok(handed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_rows_come_back_field_for_field() {
        let e = ExportEvent {
            id: 7,
            ts_us: -5,
            raw_ts: "2020-01-01",
            source_id: 2,
            line: 3,
            line_end: 4,
            account_id: None,
            src_ip: Some(""),
            system_id: Some(9),
            action: None,
            object: Some("users ✓"),
            categories: u64::MAX,
            records: Some(0),
            outcome: Some("denied"),
            session_key: None,
            ticket: Some("T-1"),
            subject_ids: Some("1 2"),
        };
        let mut b = Batch::default();
        b.push(&e);
        b.push(&e);
        let got = b.event(&b.rows[1]);
        assert_eq!(format!("{got:?}"), format!("{e:?}"));
    }
}
