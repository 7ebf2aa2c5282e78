//! Issues 18 and 20: a filter only `event` can answer (free text, object, IP, session,
//! ticket, a regex) is counted slice by slice, so that its first timeline data comes early
//! and the count can be stopped. Every slice is exact: the sliced answers must be those of
//! one scan, each partial answer exact in the columns it says are counted, and nothing in
//! the columns it says are not.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use retrace::case::{
    Buckets, Case, ColumnCount, Counting, FilterPath, FilterTerm, SortKey, TableQuery,
    set_slice_events, set_slice_pause_ms, slice_plan,
};

use crate::util::TestDir;

/// The knob is global: the tests that turn it take turns.
pub(crate) static KNOB: Mutex<()> = Mutex::new(());

/// Events per (account, column, categories).
type Columns = HashMap<(i64, u32, u64), u64>;

fn per_column(rows: &[ColumnCount]) -> Columns {
    let mut m = HashMap::new();
    for r in rows {
        *m.entry((r.account_id, r.column, r.categories)).or_default() += r.events;
    }
    m
}

const FILTERS: [&str; 6] = [
    "users",
    "object:/^users?\\./ OR ip:10.*",
    "ip:10.*",
    "NOT object:*phone* AND outcome:success",
    "session:* OR ticket:*",
    "/[0-9]{3}/",
];

fn term(q: &str) -> FilterTerm {
    FilterTerm::parse_query(q, chrono_tz::UTC).unwrap_or_else(|e| panic!("{q}: {e}"))
}

/// The sample case, opened read-only, and its first and last event's time.
fn sample(t: &TestDir) -> (Case, (i64, i64)) {
    let (case, _) = crate::util::build_sample_case(t);
    let case = Case::open_read_only(case.path()).unwrap();
    let s = case.summary().unwrap();
    let span = (s.first_ts_us.unwrap(), s.last_ts_us.unwrap());
    (case, span)
}

/// Small slices (and a pause after each) for as long as it lives: the knobs are global, so
/// the tests that turn them take turns, and they are put back even when a test fails.
pub(crate) struct SmallSlices {
    before: (u64, u64),
    _turn: MutexGuard<'static, ()>,
}

impl SmallSlices {
    pub(crate) fn new(events: u64, pause_ms: u64) -> SmallSlices {
        let turn = KNOB.lock().unwrap_or_else(|e| e.into_inner());
        SmallSlices {
            before: (set_slice_events(events), set_slice_pause_ms(pause_ms)),
            _turn: turn,
        }
    }
}

impl Drop for SmallSlices {
    fn drop(&mut self) {
        set_slice_events(self.before.0);
        set_slice_pause_ms(self.before.1);
    }
}

#[test]
fn a_sliced_count_gives_one_scans_answer_and_exact_partial_answers() {
    let _slices = SmallSlices::new(40, 0);
    let t = TestDir::new();
    let (case, (a, b)) = sample(&t);
    let mut buckets = Buckets::default();
    let mut checked_partials = 0;
    for q in FILTERS {
        let filter = vec![term(q)];
        assert_eq!(
            case.timeline().filter_path(&filter).unwrap(),
            FilterPath::Events,
            "{q}"
        );
        // The whole case and a range whose ends fall inside pixel columns.
        for (from, to, columns) in [
            (a, b + 1, 700u32),
            (a + (b - a) / 3 + 7, b - (b - a) / 5, 333),
        ] {
            let hours = buckets.for_view(&case, from, to, columns).unwrap();
            assert!(
                slice_plan(hours, from, to, columns).len() > 4,
                "the sample case is counted in several slices"
            );
            let scan = case
                .timeline()
                .event_columns(from, to, columns, &filter)
                .unwrap();
            let scan = per_column(&scan);
            let mut partials: Vec<(Columns, Counting)> = Vec::new();
            let mut each = |rows: &Vec<ColumnCount>, c: &Counting| {
                partials.push((per_column(rows), c.clone()));
                true
            };
            let (rows, exact) = case
                .timeline()
                .timeline_columns_sliced(hours, from, to, columns, &filter, &mut each)
                .unwrap()
                .expect("not stopped");
            assert!(exact);
            assert_eq!(per_column(&rows), scan, "{q} over [{from}, {to})");
            assert!(!partials.is_empty(), "{q}: partial answers were given");
            let mut last_fraction = 0.0;
            let mut last_counted = 0;
            for (part, c) in &partials {
                let counted = c.counted.iter().filter(|x| **x).count();
                assert!(
                    counted > last_counted,
                    "{q}: each slice counts more columns"
                );
                // The last slice by time may hold no events by the aggregate (its hour lies across
                // the range's end): the fraction may stay, never fall.
                assert!(c.fraction() >= last_fraction && c.fraction() < 1.0);
                (last_fraction, last_counted) = (c.fraction(), counted);
                // Exact where counted, nothing where not.
                for (key, n) in part {
                    assert!(
                        c.counted[key.1 as usize],
                        "{q}: a count in an uncounted column"
                    );
                    assert_eq!(scan.get(key), Some(n), "{q}: column {} differs", key.1);
                }
                for (key, n) in &scan {
                    if c.counted[key.1 as usize] {
                        assert_eq!(part.get(key), Some(n), "{q}: column {} missing", key.1);
                    }
                }
                checked_partials += 1;
            }
            // The spread order: the first half of the partial answers reaches both halves.
            let first = &partials[0].1.counted;
            let half = columns as usize / 2;
            let mid = &partials[partials.len() / 2].1.counted;
            assert!(first[..half].iter().any(|x| *x));
            assert!(
                mid[half..].iter().any(|x| *x),
                "{q}: the second half is reached early"
            );

            let query = TableQuery {
                from_us: from,
                to_us: to,
                filter: filter.clone(),
                sort: SortKey::Time,
                descending: false,
            };
            let whole = case.timeline().table_count(&query).unwrap();
            let mut seen = Vec::new();
            let mut each = |n: &u64, c: &Counting| {
                seen.push((*n, c.fraction()));
                true
            };
            let sliced = case
                .timeline()
                .table_count_sliced(hours, &query, &mut each)
                .unwrap();
            assert_eq!(sliced, Some(whole), "{q}: the sliced table count");
            assert!(!seen.is_empty());
            assert!(
                seen.windows(2)
                    .all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1),
                "{q}: {:?}",
                seen.windows(2)
                    .find(|w| !(w[0].0 <= w[1].0 && w[0].1 <= w[1].1))
            );
            assert!(seen.iter().all(|(n, _)| *n <= whole));
        }
    }
    assert!(
        checked_partials > 50,
        "{checked_partials} partial answers checked"
    );
}

#[test]
fn a_sliced_count_stops_when_told_and_other_filters_are_not_sliced() {
    let _slices = SmallSlices::new(40, 0);
    let t = TestDir::new();
    let (case, (a, b)) = sample(&t);
    let mut buckets = Buckets::default();
    let hours = buckets.for_view(&case, a, b + 1, 700).unwrap();
    let mut calls = 0;
    let mut each = |_: &Vec<ColumnCount>, _: &Counting| {
        calls += 1;
        calls < 3
    };
    let stopped = case
        .timeline()
        .timeline_columns_sliced(hours, a, b + 1, 700, &[term("users")], &mut each)
        .unwrap();
    assert_eq!(stopped, None, "stopped after the third slice");
    assert_eq!(calls, 3);
    // The aggregates answer these at once: no slices, the same answer as unsliced.
    for filter in [vec![], vec![term("outcome:denied OR system:jp-*")]] {
        let mut each = |_: &Vec<ColumnCount>, _: &Counting| -> bool {
            panic!("{filter:?} is not counted in slices")
        };
        let sliced = case
            .timeline()
            .timeline_columns_sliced(hours, a, b + 1, 700, &filter, &mut each)
            .unwrap()
            .unwrap();
        let whole = case
            .timeline()
            .timeline_columns(hours, a, b + 1, 700, &filter)
            .unwrap();
        assert_eq!(per_column(&sliced.0), per_column(&whole.0));
    }
}
