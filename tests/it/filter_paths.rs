//! Issue 20, part 2: whichever path the timeline and the table take for a filter (the
//! hourly aggregate, the per-account aggregate, or a scan of `event`), their counts must be
//! the ones a scan of `event` gives. Random combinations of every filter kind over a
//! generated case large enough that the whole-case view is answered from the aggregates.

use std::collections::BTreeMap;

use retrace::case::{
    Buckets, COARSE_FIRST_DAYS, Case, ColumnCount, FilterColumn, FilterOp, FilterPath, FilterTerm,
    SortKey, TableQuery, take_paths_taken,
};
use retrace::jobs::{CancelToken, NoProgress};
use retrace::{ops, synth};

use crate::util::TestDir;

const US_PER_HOUR: i64 = 3_600_000_000;

fn generated_case(t: &TestDir) -> Case {
    Case::open_read_only(&generated_case_path(t)).unwrap()
}

/// A generated case of ~30 000 events over two and a half years, built in `t`.
pub(crate) fn generated_case_path(t: &TestDir) -> std::path::PathBuf {
    let data = t.path("data");
    synth::generate(
        &data,
        &synth::GenParams {
            seed: 7,
            background_events: 30_000,
        },
    )
    .unwrap();
    let path = t.path("gen.retrace");
    ops::sample::build_case_from_dir(&path, &data, "gen", &NoProgress, &CancelToken::new())
        .unwrap();
    path
}

/// Events per (account, categories): what a timeline's lanes add up to.
fn per_lane(cols: &[ColumnCount]) -> BTreeMap<(i64, u64), u64> {
    let mut out = BTreeMap::new();
    for c in cols {
        *out.entry((c.account_id, c.categories)).or_default() += c.events;
    }
    out
}

/// A xorshift stream: the combinations are random but the same on every run.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Terms of every kind the case has values for.
fn vocabulary(case: &Case) -> Vec<Vec<FilterTerm>> {
    let systems = case.timeline().systems().unwrap();
    let persons = case.people().persons().unwrap();
    let mut orgs: Vec<String> = persons
        .iter()
        .filter_map(|p| p.organization.clone())
        .collect();
    orgs.dedup();
    let mut countries: Vec<String> = systems.iter().filter_map(|s| s.country.clone()).collect();
    countries.sort();
    countries.dedup();
    let actions = case.timeline().distinct_event_values(false, 20).unwrap();
    let outcomes = case.timeline().distinct_event_values(true, 20).unwrap();
    vec![
        systems.iter().map(|s| FilterTerm::System(s.id)).collect(),
        countries
            .into_iter()
            .map(FilterTerm::StorageCountry)
            .collect(),
        (0..8).map(FilterTerm::Category).collect(),
        actions.into_iter().map(FilterTerm::Action).collect(),
        outcomes.into_iter().map(FilterTerm::Outcome).collect(),
        persons.iter().map(|p| FilterTerm::Person(p.id)).collect(),
        orgs.into_iter().map(FilterTerm::Organization).collect(),
        [
            "outcome:denied OR system:jp-*",
            "NOT action:login",
            "person:chen* OR org:Hoshizora*",
            // Cell-level structure over several fields, regexes and negation.
            "(stored:JP OR stored:KR) AND NOT outcome:success",
            "system:/^(jp|kr)-/ AND (cat:contact OR cat:message*)",
            "NOT (person:chen* OR action:SELECT) OR outcome:denied",
            "country:CN AND NOT system:*img*",
            // Event-level: these must still scan.
            "object:users*",
            "outcome:denied OR ip:10.*",
        ]
        .iter()
        .map(|q| FilterTerm::parse_query(q, chrono_tz::UTC).unwrap())
        .collect(),
        vec![
            FilterTerm::Column {
                column: FilterColumn::System,
                op: FilterOp::Contains,
                value: "jp".into(),
            },
            FilterTerm::Column {
                column: FilterColumn::Action,
                op: FilterOp::Not,
                value: "view".into(),
            },
            FilterTerm::Column {
                column: FilterColumn::Object,
                op: FilterOp::Contains,
                value: "report".into(),
            },
        ],
    ]
}

#[test]
fn every_filter_path_counts_what_a_scan_of_event_counts() {
    let t = TestDir::new();
    let case = generated_case(&t);
    let summary = case.summary().unwrap();
    // Whole hours, so that every hour of the aggregate lies wholly in the view.
    let from = summary.first_ts_us.unwrap().div_euclid(US_PER_HOUR) * US_PER_HOUR;
    let to = (summary.last_ts_us.unwrap().div_euclid(US_PER_HOUR) + 1) * US_PER_HOUR;
    let vocab = vocabulary(&case);
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut buckets = Buckets::default();
    let mut nonzero = 0;
    let mut cells = 0;
    let mut scans = 0;
    let mut coarse_answers = 0;
    take_paths_taken();
    for round in 0..90 {
        let mut filter = Vec::new();
        for _ in 0..rng.below(3) + usize::from(round > 0) {
            let kind = &vocab[rng.below(vocab.len())];
            if !kind.is_empty() {
                filter.push(kind[rng.below(kind.len())].clone());
            }
        }
        // Every third round a range of whole hours inside the case.
        let (a, b) = if round % 3 == 2 {
            let hours = ((to - from) / US_PER_HOUR) as usize;
            let start = rng.below(hours);
            let len = 1 + rng.below(hours - start);
            (
                from + start as i64 * US_PER_HOUR,
                from + (start + len) as i64 * US_PER_HOUR,
            )
        } else {
            (from, to)
        };
        let scan: u64 = case
            .timeline()
            .event_columns(a, b, 1400, &filter)
            .unwrap()
            .iter()
            .map(|c| c.events)
            .sum();
        let index = buckets.for_view(&case, a, b, 1400).unwrap();
        let (cols, _) = case
            .timeline()
            .timeline_columns(index, a, b, 1400, &filter)
            .unwrap();
        let timeline: u64 = cols.iter().map(|c| c.events).sum();
        let count = case
            .timeline()
            .table_count(&TableQuery {
                from_us: a,
                to_us: b,
                filter: filter.clone(),
                sort: SortKey::Time,
                descending: false,
            })
            .unwrap();
        assert_eq!(
            timeline, scan,
            "timeline total, filter {filter:?} over {a}..{b}"
        );
        assert_eq!(count, scan, "table count, filter {filter:?} over {a}..{b}");
        nonzero += usize::from(scan > 0);
        // The path the two took is the one `filter_path` names: the cells exactly when every
        // term is cell-level and some is not account-level.
        let path = case.timeline().filter_path(&filter).unwrap();
        assert_eq!(take_paths_taken(), vec![path, path], "{filter:?}");
        let expected = if filter.iter().all(FilterTerm::is_account_level) {
            FilterPath::AccountAggregate
        } else if filter.iter().all(FilterTerm::is_cell_level) {
            FilterPath::Cells
        } else {
            FilterPath::Events
        };
        assert_eq!(path, expected, "{filter:?}");
        // A wide view on the cell path answers first from the daily cells: the same events
        // per lane and category as the hourly answer, only spread differently within a day.
        let index = buckets.for_view(&case, a, b, 1400).unwrap();
        match case
            .timeline()
            .coarse_columns(index, a, b, 1400, &filter)
            .unwrap()
        {
            Some(coarse) => {
                assert_eq!(path, FilterPath::Cells, "{filter:?}");
                assert!(b - a >= COARSE_FIRST_DAYS * 86_400_000_000);
                assert!(coarse.iter().all(|c| c.column < 1400));
                assert_eq!(
                    per_lane(&coarse),
                    per_lane(&cols),
                    "{filter:?} over {a}..{b}"
                );
                coarse_answers += 1;
            }
            None => assert!(
                path != FilterPath::Cells || (a, b) != (from, to),
                "the whole case on the cell path gave no first answer from the days: {filter:?}"
            ),
        }
        if path == FilterPath::Cells {
            // Ends inside hours and days: those parts are counted in `event`, so the totals
            // stay exact.
            let a = a + (rng.below(7200) as i64) * 1_000_003;
            let b = (b - (rng.below(7200) as i64) * 999_983).max(a);
            let scan: u64 = case
                .timeline()
                .event_columns(a, b, 1400, &filter)
                .unwrap()
                .iter()
                .map(|c| c.events)
                .sum();
            let cols = case
                .timeline()
                .cell_columns(a, b, 1400, &filter, true)
                .unwrap();
            let timeline: u64 = cols.iter().map(|c| c.events).sum();
            assert_eq!(timeline, scan, "cells, filter {filter:?} over {a}..{b}");
            assert!(cols.iter().all(|c| c.column < 1400));
            let count = case
                .timeline()
                .table_count(&TableQuery {
                    from_us: a,
                    to_us: b,
                    filter: filter.clone(),
                    sort: SortKey::Time,
                    descending: false,
                })
                .unwrap();
            assert_eq!(count, scan, "cell count, filter {filter:?} over {a}..{b}");
            take_paths_taken();
        }
        cells += usize::from(path == FilterPath::Cells);
        scans += usize::from(path == FilterPath::Events);
    }
    assert!(cells >= 25, "only {cells} of 90 filters took the cell path");
    assert!(
        coarse_answers >= 15,
        "only {coarse_answers} first answers from the days"
    );
    assert!(scans >= 5, "only {scans} of 90 filters scanned event");
    // The combinations must not all be empty, or the comparison proves nothing.
    assert!(
        nonzero >= 20,
        "only {nonzero} of 90 filters matched any event"
    );
}
