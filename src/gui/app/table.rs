//! The event table's commands beyond sorting: its columns (kept in the settings), marked
//! rows (click, Ctrl+click, Shift+click), go to a time, and bulk annotations of the marked
//! rows (handed to the trail, which writes them in a job).

use crate::case::{TableEvent, TableQuery};
use crate::gui::command::{MarkHow, TableCommand};
use crate::gui::lang::Words;
use crate::gui::trail::TrailCommand;
use crate::gui::worker::Request;
use crate::i18n::format_in_zone;
use crate::tr;

use super::{OpenCase, RetraceApp};

/// A Shift+click range marks at most this many rows (unit: events), so that marking stays
/// quick and the marked rows fit in memory.
pub const MAX_MARKED: u64 = 50_000;

impl RetraceApp {
    pub(super) fn apply_table(&mut self, cmd: TableCommand) {
        match cmd {
            TableCommand::SetColumns(cols) => self.settings.table_columns = cols,
            TableCommand::Annotate { kind, text } => {
                if self.review {
                    self.say(true, Words::id("table-review-refused"));
                    return;
                }
                let Some(c) = &self.case else { return };
                let ids: Vec<i64> = c.table.marked.values().map(|e| e.id).collect();
                if !ids.is_empty() {
                    self.apply_trail(TrailCommand::AnnotateEvents { ids, kind, text });
                }
            }
            other => {
                let Some(c) = &mut self.case else { return };
                if let Some(msg) = apply(c, other) {
                    self.say(true, msg);
                }
            }
        }
    }
}

/// Marks and go-to; an error to show, if any.
fn apply(c: &mut OpenCase, cmd: TableCommand) -> Option<Words> {
    match cmd {
        TableCommand::Mark { row, how } => return mark(c, row, how),
        TableCommand::ClearMarks => c.table.clear_marks(),
        TableCommand::GoToTime(ts_us) => {
            c.table.going_to = Some(ts_us);
            // The first event after (ts_us - 1 µs, the largest id): at or after ts_us.
            c.table_worker.send(Request::Step {
                ts_us: ts_us.saturating_sub(1),
                id: i64::MAX,
                forward: true,
                filter: c.view.filter.clone(),
            });
        }
        TableCommand::SetColumns(_) | TableCommand::Annotate { .. } => {}
    }
    None
}

/// A Shift+click range's rows arrived: they are the marked rows.
pub(super) fn took_rows(c: &mut OpenCase, query: &TableQuery, offset: u64, rows: Vec<TableEvent>) {
    let t = &mut c.table;
    if t.query.as_ref() == Some(query) && t.pending_range.is_some_and(|(lo, _)| lo == offset) {
        t.marked.clear();
        t.marked.extend((offset..).zip(rows));
        t.pending_range = None;
    }
}

/// A step answered: if it was a go-to that found nothing, the note to show.
pub(super) fn went_to(c: &mut OpenCase, found: bool, zone: chrono_tz::Tz) -> Option<Words> {
    let ts_us = c.table.going_to.take()?;
    (!found).then(|| {
        Words::new(move |lang| {
            tr!(
                lang,
                "table-go-to-none",
                when = format_in_zone(lang, ts_us, zone)
            )
        })
    })
}

fn mark(c: &mut OpenCase, row: u64, how: MarkHow) -> Option<Words> {
    let t = &mut c.table;
    match how {
        MarkHow::Only => {
            t.marked.clear();
            t.pending_range = None;
            if let Some(ev) = t.row(row).cloned() {
                t.marked.insert(row, ev);
            }
            t.anchor = Some(row);
        }
        MarkHow::Toggle => {
            if t.marked.remove(&row).is_none()
                && let Some(ev) = t.row(row).cloned()
            {
                t.marked.insert(row, ev);
            }
            t.anchor = Some(row);
        }
        MarkHow::Range => {
            let from = t.anchor.unwrap_or(row);
            let (lo, hi) = (from.min(row), from.max(row));
            if hi - lo + 1 > MAX_MARKED {
                let count = hi - lo + 1;
                return Some(Words::new(move |lang| {
                    tr!(lang, "table-range-too-big", max = MAX_MARKED, count = count)
                }));
            }
            let rows: Option<Vec<_>> = (lo..=hi).map(|i| t.row(i).cloned()).collect();
            t.marked.clear();
            match rows {
                Some(rows) => {
                    t.marked.extend((lo..=hi).zip(rows));
                    t.pending_range = None;
                }
                // Rows scrolled past unseen are fetched; marked when they arrive.
                None => {
                    t.pending_range = Some((lo, hi));
                    if let Some(query) = t.query.clone() {
                        c.table_worker.send(Request::TableRows {
                            query,
                            offset: lo,
                            limit: (hi - lo + 1) as usize,
                        });
                    }
                }
            }
        }
    }
    None
}
