//! Counting an event scan slice by slice, so that a filter only `event` can answer (free text,
//! an object regex, an IP glob) gives its first timeline data in well under a second at ten
//! million events, shows how far it has got, and can be stopped or superseded between slices.
//!
//! A view is cut into slices of whole pixel columns holding about the same number of events
//! (by the unfiltered hourly aggregate), visited in a spread order — first, middle, quarters,
//! … — so that a partial answer already shows the whole view's shape. Each slice is counted
//! exactly, so every column drawn is exact; the columns not yet counted are said to be so.

use std::sync::atomic::{AtomicU64, Ordering};

use super::facade::Timeline;
use super::timeline::{ColumnCount, FilterPath, FilterTerm, HourIndex, TableQuery};
use crate::case::Result;

/// Events a slice aims at (by the unfiltered aggregate): about a quarter to half a second of
/// an event scan in the release build (1–2 µs a row for free text or a regex).
pub const SLICE_EVENTS: u64 = 250_000;

/// At most this many slices: each costs a query of its own.
const MAX_SLICES: u64 = 64;

static SLICE_TARGET: AtomicU64 = AtomicU64::new(SLICE_EVENTS);

/// Sets the events per slice (the tests' knob, so a small case is counted in many slices;
/// the answers are the same whatever it is). Returns the previous value.
pub fn set_slice_events(n: u64) -> u64 {
    SLICE_TARGET.swap(n.max(1), Ordering::Relaxed)
}

fn slice_events() -> u64 {
    SLICE_TARGET.load(Ordering::Relaxed)
}

static SLICE_PAUSE_MS: AtomicU64 = AtomicU64::new(0);

/// A pause after each slice and after a first answer from the daily cells (the tests' knob,
/// so that a count on a small case lasts long enough to be watched and stopped; 0, the
/// default, pauses nothing). Returns the previous.
pub fn set_slice_pause_ms(ms: u64) -> u64 {
    SLICE_PAUSE_MS.swap(ms, Ordering::Relaxed)
}

pub(crate) fn pause() {
    let ms = SLICE_PAUSE_MS.load(Ordering::Relaxed);
    if ms > 0 {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// One slice of a view: pixel columns `[first_column, end_column)`, that is the events in
/// `[from_us, to_us)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    pub first_column: u32,
    pub end_column: u32,
    pub from_us: i64,
    pub to_us: i64,
    /// Events in it by the unfiltered aggregate (unit: events).
    pub estimate: u64,
}

/// The first microsecond of pixel column `c` of a view: the events of column `c` are those
/// with `ts_us` in `[column_start(c), column_start(c + 1))`, as the scans compute the column
/// (`((ts - from) * columns) / span`, rounded down).
fn column_start(from_us: i64, to_us: i64, columns: u32, c: u32) -> i64 {
    let span = i128::from((to_us - from_us).max(1));
    let num = i128::from(c) * span;
    let cols = i128::from(columns.max(1));
    from_us + ((num + cols - 1) / cols) as i64
}

/// The slices of the view `[from_us, to_us)` in `columns` columns, in visiting order; one
/// slice (the whole view) when it holds few events.
pub fn plan(hours: &HourIndex, from_us: i64, to_us: i64, columns: u32) -> Vec<Slice> {
    let columns = columns.max(1);
    let mut per_column = vec![0u64; columns as usize];
    for c in hours.columns(from_us, to_us, columns, None) {
        per_column[c.column.min(columns - 1) as usize] += c.events;
    }
    let total: u64 = per_column.iter().sum();
    let target = slice_events().max(total.div_ceil(MAX_SLICES)).max(1);
    let mut slices = Vec::new();
    let (mut first, mut n) = (0u32, 0u64);
    for (c, events) in per_column.iter().enumerate() {
        n += events;
        let end = c as u32 + 1;
        if n >= target || end == columns {
            slices.push(Slice {
                first_column: first,
                end_column: end,
                from_us: column_start(from_us, to_us, columns, first),
                to_us: if end == columns {
                    to_us
                } else {
                    column_start(from_us, to_us, columns, end)
                },
                estimate: n,
            });
            (first, n) = (end, 0);
        }
    }
    spread(slices)
}

/// `v` in a spread order: the first, then the middle of what is left, then the middles of
/// its halves, and so on, so that any prefix of the order covers the whole range evenly.
fn spread<T: Copy>(v: Vec<T>) -> Vec<T> {
    if v.len() <= 2 {
        return v;
    }
    let mut out = vec![v[0]];
    let mut ranges = std::collections::VecDeque::from([(1usize, v.len())]);
    while let Some((lo, hi)) = ranges.pop_front() {
        if lo >= hi {
            continue;
        }
        let mid = (lo + hi) / 2;
        out.push(v[mid]);
        ranges.push_back((lo, mid));
        ranges.push_back((mid + 1, hi));
    }
    out
}

/// How far a sliced count has got.
#[derive(Debug, Clone, PartialEq)]
pub struct Counting {
    /// Per pixel column of the view: counted yet.
    pub counted: Vec<bool>,
    /// Events of the slices counted, by the unfiltered aggregate, and of the whole view.
    pub done_estimate: u64,
    pub estimate: u64,
}

impl Counting {
    /// The part of the view counted, 0–1, by the events it holds.
    pub fn fraction(&self) -> f64 {
        if self.estimate == 0 {
            1.0
        } else {
            self.done_estimate as f64 / self.estimate as f64
        }
    }
}

/// What a sliced count is told after each slice but the last: `false` stops it.
pub type OnSlice<'a, T> = dyn FnMut(&T, &Counting) -> bool + 'a;

impl Timeline<'_> {
    /// [`Timeline::timeline_columns`], counted slice by slice when the filter needs `event`
    /// and the view holds more than one slice: `each` sees the counts so far (of the columns
    /// `counted` says) after every slice but the last. `None` when `each` stopped it.
    pub fn timeline_columns_sliced(
        &self,
        hours: &HourIndex,
        from_us: i64,
        to_us: i64,
        columns: u32,
        filter: &[FilterTerm],
        each: &mut OnSlice<'_, Vec<ColumnCount>>,
    ) -> Result<Option<(Vec<ColumnCount>, bool)>> {
        let slices = self.slices_for(hours, filter, from_us, to_us, columns)?;
        if slices.len() <= 1 {
            return self
                .timeline_columns(hours, from_us, to_us, columns, filter)
                .map(Some);
        }
        let mut rows = Vec::new();
        let counted = columns.max(1) as usize;
        let whole = counted_in_slices(&slices, counted, &mut rows, each, |s, rows| {
            rows.extend(
                self.event_columns_part(from_us, to_us, columns, filter, s.from_us, s.to_us)?,
            );
            Ok(())
        })?;
        Ok(whole.then(|| (super::timeline::clamp_columns(rows, columns), true)))
    }

    /// [`Timeline::table_count`], counted slice by slice as
    /// [`Timeline::timeline_columns_sliced`] counts: `each` sees the events counted so far.
    /// `None` when `each` stopped it.
    pub fn table_count_sliced(
        &self,
        hours: &HourIndex,
        q: &TableQuery,
        each: &mut OnSlice<'_, u64>,
    ) -> Result<Option<u64>> {
        // Pixel columns only decide where slices may be cut here.
        let slices = self.slices_for(hours, &q.filter, q.from_us, q.to_us, 4096)?;
        if slices.len() <= 1 {
            return self.table_count(q).map(Some);
        }
        let mut total = 0u64;
        let whole = counted_in_slices(&slices, 0, &mut total, each, |s, total| {
            *total += self.count_events(&TableQuery {
                from_us: s.from_us,
                to_us: s.to_us,
                ..q.clone()
            })?;
            Ok(())
        })?;
        Ok(whole.then_some(total))
    }

    /// The slices a view is counted in: more than one only when `filter` takes the event scan.
    fn slices_for(
        &self,
        hours: &HourIndex,
        filter: &[FilterTerm],
        from_us: i64,
        to_us: i64,
        columns: u32,
    ) -> Result<Vec<Slice>> {
        if to_us <= from_us || self.filter_path(filter)? != FilterPath::Events {
            return Ok(Vec::new());
        }
        Ok(plan(hours, from_us, to_us, columns))
    }
}

/// Counts `slices` in turn into `acc` with `part`, telling `each` after every slice but the
/// last how far it has got (`columns`: the view's, for the columns counted; 0 when no one
/// asks). False when `each` stopped it.
fn counted_in_slices<T>(
    slices: &[Slice],
    columns: usize,
    acc: &mut T,
    each: &mut OnSlice<'_, T>,
    mut part: impl FnMut(&Slice, &mut T) -> Result<()>,
) -> Result<bool> {
    super::timeline::note_path(FilterPath::Events);
    let mut counting = Counting {
        counted: vec![false; columns],
        done_estimate: 0,
        estimate: slices.iter().map(|s| s.estimate).sum(),
    };
    for (i, s) in slices.iter().enumerate() {
        part(s, acc)?;
        if let Some(cols) = counting
            .counted
            .get_mut(s.first_column as usize..s.end_column as usize)
        {
            cols.fill(true);
        }
        counting.done_estimate += s.estimate;
        pause();
        if i + 1 < slices.len() && !each(acc, &counting) {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_starts_bound_exactly_the_events_each_column_counts() {
        for (from, to, columns) in [(0i64, 1_000, 7u32), (-5_000, 12_345, 1400), (3, 4, 3)] {
            let span = (to - from).max(1);
            for c in 0..columns {
                let start = column_start(from, to, columns, c);
                let col = |t: i64| ((t - from) * i64::from(columns)) / span;
                if start < to {
                    assert_eq!(col(start), i64::from(c), "{from} {to} {columns} {c}");
                }
                if start > from {
                    assert!(col(start - 1) < i64::from(c));
                }
            }
        }
    }

    #[test]
    fn the_spread_order_visits_every_slice_once_halves_first() {
        for n in 0..40usize {
            let v: Vec<usize> = (0..n).collect();
            let s = spread(v.clone());
            let mut sorted = s.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, v);
            if n > 4 {
                assert_eq!(s[0], 0);
                assert!(s[1].abs_diff(n / 2) <= 1, "{n}: {s:?}");
                // The first quarter of the order already reaches both ends' quarters.
                let early = &s[..n / 4 + 1];
                assert!(early.iter().any(|&i| i >= n / 2), "{n}: {s:?}");
            }
        }
    }
}
