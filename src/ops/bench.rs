//! `retrace bench`: generate a data set shaped like the sample, import it into a fresh case, and
//! measure the import against SQLite's own copy of the same rows in the same run.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use serde::Serialize;

use crate::case::Case;
use crate::jobs::{CancelToken, ProgressSink};
use crate::synth;

#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub background_events: u64,
    pub seed: u64,
    pub cores: usize,
    pub data_bytes: u64,
    pub gen_secs: f64,
    pub events_imported: u64,
    pub rows_rejected: u64,
    pub import_secs: f64,
    pub import_rows_per_sec: f64,
    pub sqlite_copy_rows: i64,
    pub sqlite_copy_secs: f64,
    pub sqlite_copy_rows_per_sec: f64,
    /// import rate / SQLite copy rate.
    pub ratio: f64,
    /// The same copy into a table that has the event table's indexes.
    pub sqlite_indexed_copy_secs: f64,
    pub sqlite_indexed_copy_rows_per_sec: f64,
    pub ratio_indexed: f64,
    /// Seconds per imported file, in import order.
    pub per_file: Vec<(String, u64, f64)>,
    pub case_bytes: u64,
    pub bytes_per_event: f64,
    pub peak_rss_mib: Option<f64>,
    /// The timeline's query layer on the case just built.
    pub queries: QueryBench,
}

pub fn run(
    background_events: u64,
    seed: u64,
    work_dir: Option<&Path>,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<BenchReport> {
    let scratch;
    let dir: PathBuf = match work_dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            d.to_path_buf()
        }
        None => {
            scratch = super::sample::tempfile_dir()?;
            scratch.path().to_path_buf()
        }
    };
    let data = dir.join("data");
    let case_path = dir.join("bench.retrace");
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", case_path.display()));
    }
    let t = Instant::now();
    synth::generate(
        &data,
        &synth::GenParams {
            seed,
            background_events,
        },
    )?;
    let gen_secs = t.elapsed().as_secs_f64();
    let data_bytes = std::fs::read_dir(&data)?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    let t = Instant::now();
    let reports = super::sample::build_case_from_dir(&case_path, &data, "bench", progress, cancel)?;
    let import_secs = t.elapsed().as_secs_f64();
    let events_imported: u64 = reports
        .iter()
        .filter(|r| r.plan.kind == crate::model::roster::SourceKind::Access)
        .map(|r| r.result.rows_imported)
        .sum();
    let rows_rejected = reports.iter().map(|r| r.result.rows_rejected).sum();
    let mut case = Case::open(&case_path)?;
    let (copy_rows, copy_secs) = case.bench_copy_events(false)?;
    let (_, indexed_secs) = case.bench_copy_events(true)?;
    drop(case);
    let case_bytes = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", case_path.display())).ok())
        .map(|m| m.len())
        .sum();
    let import_rate = events_imported as f64 / import_secs;
    let copy_rate = copy_rows as f64 / copy_secs;
    let indexed_rate = copy_rows as f64 / indexed_secs;
    Ok(BenchReport {
        background_events,
        seed,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        data_bytes,
        gen_secs,
        events_imported,
        rows_rejected,
        import_secs,
        import_rows_per_sec: import_rate,
        sqlite_copy_rows: copy_rows,
        sqlite_copy_secs: copy_secs,
        sqlite_copy_rows_per_sec: copy_rate,
        ratio: import_rate / copy_rate,
        sqlite_indexed_copy_secs: indexed_secs,
        sqlite_indexed_copy_rows_per_sec: indexed_rate,
        ratio_indexed: import_rate / indexed_rate,
        per_file: reports
            .iter()
            .map(|r| {
                (
                    r.plan.file_name.clone(),
                    r.result.rows_imported,
                    r.elapsed_secs,
                )
            })
            .collect(),
        case_bytes,
        bytes_per_event: case_bytes as f64 / events_imported.max(1) as f64,
        peak_rss_mib: peak_rss_mib(),
        queries: query_bench(&case_path, 300)?,
    })
}

/// Peak resident set of this process (Linux `VmHWM`).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// What the timeline's query layer costs on a case: opening it to the first timeline data,
/// then zoom/pan requests as the desktop app makes them (counts per pixel column, the
/// events themselves when few are in view, the table's count and first page).
#[derive(Debug, Clone, Serialize)]
pub struct QueryBench {
    pub events: i64,
    /// Open the case, read what the app shows first, and the whole-case timeline columns.
    pub open_to_first_data_ms: f64,
    pub requests: usize,
    pub timeline_p50_ms: f64,
    pub timeline_p95_ms: f64,
    pub timeline_max_ms: f64,
    pub table_p50_ms: f64,
    pub table_p95_ms: f64,
    pub table_max_ms: f64,
    pub rss_mib: Option<f64>,
    /// Person page and data-subject lookup timings.
    pub lookups: super::lookup_bench::LookupBench,
}

/// Pixel columns of a timeline on a 1920-pixel-wide window.
const BENCH_COLUMNS: u32 = 1400;

pub fn query_bench(case_path: &Path, requests: usize) -> Result<QueryBench> {
    use crate::case::{SortKey, TableQuery};
    let t = Instant::now();
    let case = Case::open_read_only(case_path)?;
    let summary = case.summary()?;
    case.persons()?;
    case.account_links()?;
    case.systems()?;
    case.milestones()?;
    case.distinct_event_values(false, 200)?;
    case.distinct_event_values(true, 200)?;
    let (from, to) = match (summary.first_ts_us, summary.last_ts_us) {
        (Some(a), Some(b)) => (a, b + 1),
        _ => anyhow::bail!("{}: the case has no events", case_path.display()),
    };
    let mut buckets = crate::case::Buckets::default();
    let index = buckets.for_view(&case, from, to, BENCH_COLUMNS)?;
    let (cols, _) = case.timeline_columns(index, from, to, BENCH_COLUMNS, &[])?;
    let first_ms = t.elapsed().as_secs_f64() * 1e3;
    let _ = cols;

    // A fixed pseudo-random walk: zoom levels from the whole case down to ~20 minutes,
    // centred anywhere in the case.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let full = to - from;
    let mut timeline_ms = Vec::with_capacity(requests);
    let mut table_ms = Vec::with_capacity(requests);
    for _ in 0..requests {
        let level = (next() % 18) as u32;
        let span = (full >> level).max(60_000_000);
        let centre = from + (next() % full as u64) as i64;
        let (a, b) = (centre - span / 2, centre + span / 2);
        let t = Instant::now();
        let index = buckets.for_view(&case, a, b, BENCH_COLUMNS)?;
        let (rows, _) = case.timeline_columns(index, a, b, BENCH_COLUMNS, &[])?;
        let in_view: u64 = rows.iter().map(|c| c.events).sum();
        if in_view <= crate::case::MARK_LIMIT as u64 {
            case.event_marks(a, b, &[], crate::case::MARK_LIMIT)?;
        }
        timeline_ms.push(t.elapsed().as_secs_f64() * 1e3);
        let q = TableQuery {
            from_us: a,
            to_us: b,
            filter: vec![],
            sort: SortKey::Time,
            descending: false,
        };
        let t = Instant::now();
        case.table_count(&q)?;
        case.table_page(&q, 0, 100)?;
        table_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let pct = |v: &mut Vec<f64>, p: f64| -> f64 {
        v.sort_by(f64::total_cmp);
        v.get(((v.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let lookups = super::lookup_bench::lookup_bench(&case, &[], 10_000)?;
    Ok(QueryBench {
        lookups,
        events: summary.events,
        open_to_first_data_ms: first_ms,
        requests,
        timeline_p50_ms: pct(&mut timeline_ms, 0.5),
        timeline_p95_ms: pct(&mut timeline_ms, 0.95),
        timeline_max_ms: pct(&mut timeline_ms, 1.0),
        table_p50_ms: pct(&mut table_ms, 0.5),
        table_p95_ms: pct(&mut table_ms, 0.95),
        table_max_ms: pct(&mut table_ms, 1.0),
        rss_mib: current_rss_mib(),
    })
}

/// Current resident set of this process (Linux `VmRSS`).
pub fn current_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
