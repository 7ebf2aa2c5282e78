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
    pub per_file: Vec<FileTiming>,
    pub case_bytes: u64,
    pub bytes_per_event: f64,
    pub peak_rss_mib: Option<f64>,
    /// The timeline's query layer on the case just built.
    pub queries: QueryBench,
}

/// One imported file of a bench: rows, seconds, and where the writer's time went.
#[derive(Debug, Clone, Serialize)]
pub struct FileTiming {
    pub file: String,
    pub rows: u64,
    pub secs: f64,
    pub phases: Vec<(&'static str, f64)>,
}

/// Where a bench writes its data and case: `work_dir` (created, kept), else a scratch
/// directory removed when the returned guard drops.
fn bench_dir(work_dir: Option<&Path>) -> Result<(Option<super::sample::ScratchDir>, PathBuf)> {
    Ok(match work_dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            (None, d.to_path_buf())
        }
        None => {
            let scratch = super::sample::tempfile_dir()?;
            let dir = scratch.path().to_path_buf();
            (Some(scratch), dir)
        }
    })
}

/// Above this many events SQLite's copies (the ceiling the import is compared with) copy
/// only the first this many rows of `event`, and the generated input is removed once imported.
pub const COPY_PREFIX: u64 = 20_000_000;

pub fn run(
    background_events: u64,
    seed: u64,
    work_dir: Option<&Path>,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<BenchReport> {
    let (_scratch, dir) = bench_dir(work_dir)?;
    let data = dir.join("data");
    let case_path = dir.join("bench.retrace");
    // A case left by an earlier run; one still in the way makes the import below say so.
    let _ = crate::case::remove_with_side_files(&case_path);
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
    if background_events > COPY_PREFIX {
        // The case holds every source's bytes; a 100 M-event input (~16 GB) would only
        // crowd the disk for the rest of the run.
        std::fs::remove_dir_all(&data)?;
    }
    let events_imported: u64 = reports
        .iter()
        .filter(|r| r.plan.kind == crate::model::roster::SourceKind::Access)
        .map(|r| r.result.rows_imported)
        .sum();
    let rows_rejected = reports.iter().map(|r| r.result.rows_rejected).sum();
    // The size before the copies below, whose pages stay in the file (free) after them.
    let case_bytes = crate::case::size_with_wal(&case_path);
    let mut case = Case::open(&case_path)?;
    let prefix = (events_imported > COPY_PREFIX).then_some(COPY_PREFIX);
    let (copy_rows, copy_secs) = case.writes().bench_copy_events(false, prefix)?;
    let (_, indexed_secs) = case.writes().bench_copy_events(true, prefix)?;
    drop(case);
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
            .map(|r| FileTiming {
                file: r.plan.file_name.clone(),
                rows: r.result.rows_imported,
                secs: r.elapsed_secs,
                phases: r.result.phases.clone(),
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
    /// Query-language filters ([`QUERY_CASES`]) over the whole case: from the filter to the
    /// timeline's first data (its per-column counts, as the app's timeline worker asks them).
    pub query_filter: QueryFilterBench,
    /// Time to first timeline data and table count per filter kind (`filter_bench`).
    pub filter_kinds: Vec<super::filter_bench::FilterKindTiming>,
    /// Person page and data-subject lookup timings.
    pub lookups: super::lookup_bench::LookupBench,
}

/// The query-language filter figures: each of [`QUERY_CASES`] `runs` times.
#[derive(Debug, Clone, Serialize)]
pub struct QueryFilterBench {
    pub queries: Vec<String>,
    /// Per query, in `queries`' order: its medians over the runs and the path it takes.
    pub per_query: Vec<QueryTiming>,
    pub runs: usize,
    /// First timeline data: the first slice's counts when the view is counted slice by
    /// slice (an event scan), else the whole answer.
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    /// The whole answer (every column counted).
    pub complete_p50_ms: f64,
    pub complete_p95_ms: f64,
}

/// One query of [`QueryFilterBench`].
#[derive(Debug, Clone, Serialize)]
pub struct QueryTiming {
    pub first_p50_ms: f64,
    pub complete_p50_ms: f64,
    pub path: String,
}

/// Times the timeline's counts as the app asks for them: the first data (the daily cells'
/// answer of a wide cell-path view, the first slice's partial answer when the view is counted
/// slice by slice, else the whole answer) and the whole answer, in ms from `started`.
pub(crate) fn time_timeline(
    case: &Case,
    index: &crate::case::HourIndex,
    (from, to, columns): (i64, i64, u32),
    filter: &[crate::case::FilterTerm],
    started: Instant,
) -> Result<(f64, f64)> {
    let mut first = None;
    // A wide view on the cell path answers first from the daily cells, as the app does.
    if case
        .timeline()
        .coarse_columns(index, from, to, columns, filter)?
        .is_some()
    {
        first = Some(started.elapsed());
    }
    let mut each = |_: &Vec<crate::case::ColumnCount>, _: &crate::case::Counting| {
        first.get_or_insert_with(|| started.elapsed());
        true
    };
    case.timeline()
        .timeline_columns_sliced(index, from, to, columns, filter, &mut each)?;
    let all = started.elapsed();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    Ok((ms(first.unwrap_or(all)), ms(all)))
}

/// The filters the bench times, as an investigator would type them; `{mid}` and `{end}` are
/// replaced by dates inside the case (a month in its middle).
pub const QUERY_CASES: [&str; 5] = [
    "outcome:denied OR outcome:failed",
    "org:Hoshizora* AND system:jp-*",
    "person:chen* AND NOT action:login",
    "time:[{mid} {end}] AND NOT outcome:success",
    "object:/^users?\\./ OR ip:10.*",
];

fn query_filter_bench(
    case: &Case,
    buckets: &mut crate::case::Buckets,
    (from, to): (i64, i64),
    runs: usize,
) -> Result<QueryFilterBench> {
    let zone = chrono_tz::UTC;
    let mid = from + (to - from) / 2;
    let day = |us: i64| crate::model::time::format_in_zone(us, zone)[..10].to_string();
    let (mid, end) = (day(mid), day(mid + 30 * 86_400_000_000));
    let queries: Vec<String> = QUERY_CASES
        .iter()
        .map(|q| q.replace("{mid}", &mid).replace("{end}", &end))
        .collect();
    let (mut firsts, mut wholes) = (Vec::new(), Vec::new());
    let mut each = vec![(Vec::new(), Vec::new()); queries.len()];
    for run in 0..runs {
        for (i, q) in queries.iter().enumerate() {
            if run > 0 && each[i].1.iter().any(|&ms| ms > SLOW_RUN_MS) {
                continue;
            }
            let t = Instant::now();
            let term = crate::case::FilterTerm::parse_query(q, zone)
                .map_err(|e| anyhow::anyhow!("bench query {q:?}: {e}"))?;
            let index = buckets.for_view(case, from, to, BENCH_COLUMNS)?;
            let (first, whole) = time_timeline(case, index, (from, to, BENCH_COLUMNS), &[term], t)?;
            firsts.push(first);
            wholes.push(whole);
            each[i].0.push(first);
            each[i].1.push(whole);
        }
    }
    let mut per_query = Vec::new();
    for (q, (mut first, mut whole)) in queries.iter().zip(each) {
        let term = crate::case::FilterTerm::parse_query(q, zone)
            .map_err(|e| anyhow::anyhow!("bench query {q:?}: {e}"))?;
        let path = super::filter_bench::path_name(case.timeline().filter_path(&[term])?);
        per_query.push(QueryTiming {
            first_p50_ms: percentile(&mut first, 0.5),
            complete_p50_ms: percentile(&mut whole, 0.5),
            path: path.to_string(),
        });
    }
    Ok(QueryFilterBench {
        queries,
        per_query,
        runs,
        p50_ms: percentile(&mut firsts, 0.5),
        p95_ms: percentile(&mut firsts, 0.95),
        max_ms: percentile(&mut firsts, 1.0),
        complete_p50_ms: percentile(&mut wholes, 0.5),
        complete_p95_ms: percentile(&mut wholes, 0.95),
    })
}

/// The `p` quantile of `v` (nearest rank, sorting `v`); 0 when empty.
pub(crate) fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(((v.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(0.0)
}

/// A measurement whose first run took longer than this (ms) is not repeated: at 100 M events
/// an event scan takes minutes, and its repetitions would add nothing but hours to the bench.
pub(crate) const SLOW_RUN_MS: f64 = 20_000.0;

/// Pixel columns of a timeline on a 1920-pixel-wide window.
const BENCH_COLUMNS: u32 = 1400;

pub fn query_bench(case_path: &Path, requests: usize) -> Result<QueryBench> {
    use crate::case::{SortKey, TableQuery};
    let t = Instant::now();
    let case = Case::open_read_only(case_path)?;
    let summary = case.summary()?;
    case.people().persons()?;
    case.timeline().account_links()?;
    case.timeline().systems()?;
    case.people().milestones()?;
    case.timeline().distinct_event_values(false, 200)?;
    case.timeline().distinct_event_values(true, 200)?;
    let (from, to) = match (summary.first_ts_us, summary.last_ts_us) {
        (Some(a), Some(b)) => (a, b + 1),
        _ => anyhow::bail!("{}: the case has no events", case_path.display()),
    };
    let mut buckets = crate::case::Buckets::default();
    let index = buckets.for_view(&case, from, to, BENCH_COLUMNS)?;
    let (cols, _) = case
        .timeline()
        .timeline_columns(index, from, to, BENCH_COLUMNS, &[])?;
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
        let (rows, _) = case
            .timeline()
            .timeline_columns(index, a, b, BENCH_COLUMNS, &[])?;
        let in_view: u64 = rows.iter().map(|c| c.events).sum();
        if in_view <= crate::case::MARK_LIMIT as u64 {
            case.timeline()
                .event_marks(a, b, &[], crate::case::MARK_LIMIT)?;
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
        case.timeline().table_count(&q)?;
        case.timeline().table_page(&q, 0, 100)?;
        table_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let pct = |v: &mut Vec<f64>, p: f64| -> f64 {
        v.sort_by(f64::total_cmp);
        v.get(((v.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let lookups = super::lookup_bench::lookup_bench(&case, &[], 10_000)?;
    let query_filter = query_filter_bench(&case, &mut buckets, (from, to), 4)?;
    let filter_kinds = super::filter_bench::filter_kind_bench(&case, &mut buckets, (from, to), 5)?;
    Ok(QueryBench {
        lookups,
        query_filter,
        filter_kinds,
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

/// `retrace bench --format cloudtrail|authlog --bytes N`: a generated log file of about N bytes
/// in a real-world format, imported through auto-detection into a fresh case.
#[derive(Debug, Clone, Serialize)]
pub struct FormatBenchReport {
    pub format: String,
    /// Where the writer's time went (see `FinishedImport::phases`).
    pub phases: Vec<(&'static str, f64)>,
    pub file_bytes: u64,
    pub records: u64,
    pub gen_secs: f64,
    /// The format reader alone (parse, map, time), no case.
    pub parse_secs: f64,
    pub parse_events_per_sec: f64,
    /// `import_file` end to end: hash, compress, parse, store, index.
    pub import_secs: f64,
    pub events_imported: u64,
    pub rows_rejected: u64,
    pub import_events_per_sec: f64,
    pub import_mib_per_sec: f64,
    /// Events that got an `event_extra` row, and the bytes of their JSON.
    pub extra_rows: i64,
    pub extra_bytes: i64,
    /// Unmapped fields are read again from the stored original (`extra_fields = original`).
    pub extras_in_original: bool,
    /// The timeline's text filter over every event for a text nothing holds (its worst case:
    /// every unmapped field is searched), seconds and events found (0).
    pub search_secs: f64,
    pub search_hits: u64,
    pub case_bytes: u64,
    pub peak_rss_mib: Option<f64>,
    /// CPU seconds (user + system, all threads) the import took, and per event in µs: a
    /// figure that does not depend on what else the machine is doing.
    pub import_cpu_secs: Option<f64>,
    pub import_cpu_us_per_event: Option<f64>,
    /// The 1-minute load average before and after the import (2 cores: above 2 means the
    /// import shared them).
    pub load_before: Option<f64>,
    pub load_after: Option<f64>,
}

/// CPU time of this process so far (user + system; Linux `/proc/self/stat`, USER_HZ = 100).
pub fn cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the `(comm)`, which may hold spaces: state is field 3, utime 14, stime 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The 1-minute load average (`/proc/loadavg`).
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Formats `retrace bench --format` can generate.
pub const BENCH_FORMATS: [&str; 3] = ["cloudtrail", "authlog", "parquet"];

/// Writes a `format` log file of about `bytes` in `dir`: its path, records and seconds.
fn gen_format_file(
    format: &str,
    dir: &Path,
    bytes: u64,
    seed: u64,
) -> Result<(std::path::PathBuf, u64, f64)> {
    let t = Instant::now();
    let (file, records) = match format {
        "cloudtrail" => (
            dir.join("cloudtrail.jsonl"),
            gen_cloudtrail(&dir.join("cloudtrail.jsonl"), bytes, seed)?,
        ),
        "authlog" => (
            dir.join("auth.log"),
            gen_authlog(&dir.join("auth.log"), bytes, seed)?,
        ),
        "parquet" => (
            dir.join("extract.parquet"),
            super::bench_parquet::gen_parquet(
                &dir.join("extract.parquet"),
                (bytes / super::bench_parquet::BYTES_PER_ROW).max(1),
                seed,
            )?,
        ),
        other => anyhow::bail!(
            "bench --format {other:?}: one of {}",
            BENCH_FORMATS.join(", ")
        ),
    };
    Ok((file, records, t.elapsed().as_secs_f64()))
}

/// The reader alone over the file, nothing written: its plan, events parsed and seconds.
fn time_reader(
    file: &Path,
    options: &crate::ingest::SourceOptions,
    cancel: &CancelToken,
) -> Result<(crate::ingest::Plan, u64, f64)> {
    let t = Instant::now();
    let plan = crate::ingest::plan(file, options)?;
    let mut vocab = crate::model::Vocabulary::default();
    let mut parsed = 0u64;
    crate::ingest::parse_access(
        file,
        &plan,
        &mut vocab,
        &mut |b| {
            parsed += b.events.len() as u64;
            !cancel.is_cancelled()
        },
        &mut |_| {},
    )?;
    Ok((plan, parsed, t.elapsed().as_secs_f64()))
}

pub fn format_bench(
    format: &str,
    bytes: u64,
    seed: u64,
    extra_fields: Option<&str>,
    work_dir: Option<&Path>,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<FormatBenchReport> {
    let (_scratch, dir) = bench_dir(work_dir)?;
    let (file, records, gen_secs) = gen_format_file(format, &dir, bytes, seed)?;
    let file_bytes = std::fs::metadata(&file)?.len();
    let mut options = crate::ingest::SourceOptions {
        year: Some(2024),
        profile: extra_fields.map(|x| crate::ingest::Profile {
            extra_fields: Some(x.to_string()),
            ..Default::default()
        }),
        ..Default::default()
    };

    if format == "parquet" {
        options.profile = Some(super::bench_parquet::profile());
    }
    let (plan, parsed, parse_secs) = time_reader(&file, &options, cancel)?;

    let case_path = dir.join(format!("bench-{format}.retrace"));
    // A case left by an earlier run; one still in the way makes the import below say so.
    let _ = crate::case::remove_with_side_files(&case_path);
    let mut case = Case::create(&case_path, "format bench")?;
    let (load_before, cpu0) = (load_average(), cpu_secs());
    let t = Instant::now();
    let report = super::import::import_file(
        &mut case,
        &super::import::ImportRequest {
            path: file.clone(),
            options,
            force: true,
            imported_by: "bench".into(),
        },
        progress,
        cancel,
    )?;
    let import_secs = t.elapsed().as_secs_f64();
    let import_cpu_secs = cpu_secs().zip(cpu0).map(|(b, a)| b - a);
    let load_after = load_average();
    let (extra_rows, extra_bytes) = case.sources().extra_stats()?;
    let t = Instant::now();
    let search_hits = case
        .timeline()
        .table_count(&crate::case::TableQuery::whole_case(vec![
            crate::case::FilterTerm::Text("no field holds this".into()),
        ]))?;
    let search_secs = t.elapsed().as_secs_f64();
    drop(case);
    let case_bytes = crate::case::size_with_wal(&case_path);
    let events = report.result.rows_imported;
    Ok(FormatBenchReport {
        format: plan.format.as_str().to_string(),
        phases: report.result.phases.clone(),
        file_bytes,
        records,
        gen_secs,
        parse_secs,
        parse_events_per_sec: parsed as f64 / parse_secs,
        import_secs,
        events_imported: events,
        rows_rejected: report.result.rows_rejected,
        import_events_per_sec: events as f64 / import_secs,
        import_mib_per_sec: file_bytes as f64 / (1 << 20) as f64 / import_secs,
        extra_rows,
        extra_bytes,
        extras_in_original: plan.extras_in_original,
        search_secs,
        search_hits,
        case_bytes,
        peak_rss_mib: peak_rss_mib(),
        import_cpu_secs,
        import_cpu_us_per_event: import_cpu_secs.map(|c| c * 1e6 / events.max(1) as f64),
        load_before,
        load_after,
    })
}

/// xorshift64*: the bench's own numbers (the data only has to look like logs).
struct Xs(u64);

impl Xs {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

const USERS: [&str; 12] = [
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "ivan",
    "judy",
    "mallory",
    "svc-backup",
];

/// CloudTrail records of ~1 KB as JSON Lines (the shape of a flattened trail export).
fn gen_cloudtrail(path: &Path, bytes: u64, seed: u64) -> Result<u64> {
    use std::io::Write;
    const EVENTS: [(&str, &str); 8] = [
        ("s3.amazonaws.com", "GetObject"),
        ("s3.amazonaws.com", "PutObject"),
        ("s3.amazonaws.com", "ListObjects"),
        ("dynamodb.amazonaws.com", "GetItem"),
        ("rds.amazonaws.com", "DescribeDBInstances"),
        ("secretsmanager.amazonaws.com", "GetSecretValue"),
        ("iam.amazonaws.com", "ListUsers"),
        ("signin.amazonaws.com", "ConsoleLogin"),
    ];
    let mut rng = Xs(seed | 1);
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let (mut written, mut n) = (0u64, 0u64);
    let t0 = 1_704_067_200i64; // 2024-01-01T00:00:00Z
    while written < bytes {
        let user = USERS[rng.below(USERS.len() as u64) as usize];
        let (source, name) = EVENTS[rng.below(EVENTS.len() as u64) as usize];
        let ts = chrono::DateTime::from_timestamp(t0 + (n as i64) / 20, 0)
            .unwrap_or_default()
            .format("%Y-%m-%dT%H:%M:%SZ");
        let denied = rng.below(50) == 0;
        let error = if denied {
            r#""errorCode":"AccessDenied","errorMessage":"User is not authorized to perform this operation","#
        } else {
            ""
        };
        let line = format!(
            r#"{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","principalId":"AIDA{p:016X}","arn":"arn:aws:iam::111122223333:user/{user}","accountId":"111122223333","accessKeyId":"AKIA{k:016X}","userName":"{user}"}},"eventTime":"{ts}","eventSource":"{source}","eventName":"{name}","awsRegion":"ap-northeast-1","sourceIPAddress":"10.{a}.{b}.{c}","userAgent":"aws-cli/2.15.{v} Python/3.11.6 Linux/6.1 command/s3api.{name}",{error}"requestParameters":{{"bucketName":"hr-records-{d}","key":"employees/{e:08}.json"}},"responseElements":null,"additionalEventData":{{"bytesTransferredOut":{o}}},"requestID":"{r:016X}","eventID":"{i:08x}-{j:04x}-4{j2:03x}-8{j3:03x}-{q:012x}","readOnly":true,"resources":[{{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::hr-records-{d}/employees/{e:08}.json"}},{{"accountId":"111122223333","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::hr-records-{d}"}}],"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333","eventCategory":"Data","tlsDetails":{{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"hr-records-{d}.s3.ap-northeast-1.amazonaws.com"}}}}"#,
            p = rng.below(u64::MAX),
            k = rng.below(u64::MAX),
            a = rng.below(256),
            b = rng.below(256),
            c = rng.below(256),
            v = rng.below(40),
            d = rng.below(20),
            e = rng.below(100_000_000),
            o = rng.below(1_000_000),
            r = rng.below(u64::MAX),
            i = rng.below(u64::from(u32::MAX)),
            j = rng.below(0xffff),
            j2 = rng.below(0xfff),
            j3 = rng.below(0xfff),
            q = rng.below(1 << 48),
        );
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        written += line.len() as u64 + 1;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}

/// RFC 3164 sshd / PAM / sudo lines as an auth.log writes them.
fn gen_authlog(path: &Path, bytes: u64, seed: u64) -> Result<u64> {
    use std::io::Write;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut rng = Xs(seed | 1);
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let (mut written, mut n) = (0u64, 0u64);
    let mut line = String::with_capacity(256);
    while written < bytes {
        // One year of lines (2024, a leap year), in order, so the year never rolls over.
        let secs = (n * 31_000_000 / (bytes / 100).max(1)).min(365 * 86_400);
        let rem = secs % 86_400;
        let date =
            chrono::NaiveDate::from_yo_opt(2024, (secs / 86_400) as u32 + 1).unwrap_or_default();
        let (month, dom) = (
            MONTHS[chrono::Datelike::month0(&date) as usize],
            chrono::Datelike::day(&date),
        );
        let host = format!("db-{:02}", rng.below(16));
        let user = USERS[rng.below(USERS.len() as u64) as usize];
        let pid = 1000 + rng.below(60_000);
        let ip = format!(
            "10.{}.{}.{}",
            rng.below(256),
            rng.below(256),
            rng.below(256)
        );
        let msg = match rng.below(10) {
            0..=3 => format!(
                "sshd[{pid}]: Accepted publickey for {user} from {ip} port {} ssh2: RSA SHA256:{:016x}",
                rng.below(65_535),
                rng.below(u64::MAX)
            ),
            4..=5 => format!(
                "sshd[{pid}]: Failed password for {user} from {ip} port {} ssh2",
                rng.below(65_535)
            ),
            6 => format!(
                "sshd[{pid}]: Failed password for invalid user {user}x from {ip} port {} ssh2",
                rng.below(65_535)
            ),
            7 => format!(
                "sshd[{pid}]: pam_unix(sshd:session): session opened for user {user}(uid={}) by (uid=0)",
                1000 + rng.below(100)
            ),
            8 => format!("sshd[{pid}]: pam_unix(sshd:session): session closed for user {user}"),
            _ => format!(
                "sudo: {user} : TTY=pts/{} ; PWD=/home/{user} ; USER=root ; COMMAND=/usr/bin/cat /srv/hr/payroll-{}.csv",
                rng.below(8),
                rng.below(100)
            ),
        };
        line.clear();
        use std::fmt::Write as _;
        let _ = writeln!(
            line,
            "{month} {dom:>2} {:02}:{:02}:{:02} {host} {msg}",
            rem / 3600,
            rem / 60 % 60,
            rem % 60
        );
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}

/// Findings timings on an existing case (`retrace bench --findings CASE`): one bare scan of
/// `event` (what every rule run must read), all rules with dispositions attached, and the
/// impact tables, each run `runs` times; medians.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FindingsBench {
    pub case: String,
    pub events: u64,
    pub runs: usize,
    /// Median seconds of a scan of `event` that does nothing with the rows.
    pub scan_secs: f64,
    /// Median seconds of `analysis::findings::run` (all rules).
    pub rules_secs: f64,
    /// Median seconds of `analysis::findings::impact`.
    pub impact_secs: f64,
    /// Findings per rule.
    pub findings: Vec<(String, usize)>,
    pub peak_rss_mib: Option<f64>,
}

pub fn findings_bench(case_path: &Path, runs: usize) -> Result<FindingsBench> {
    use crate::analysis::findings;
    let case = Case::open_read_only(case_path)?;
    let params = findings::Params::from_case(&case)?;
    let runs = runs.max(1);
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut scan = Vec::new();
    let mut rules = Vec::new();
    let mut impact = Vec::new();
    let mut events = 0u64;
    let mut last = None;
    for _ in 0..runs {
        let t = std::time::Instant::now();
        let mut n = 0u64;
        case.findings().scan_events(|_, _| n += 1)?;
        scan.push(t.elapsed().as_secs_f64());
        events = n;
        let t = std::time::Instant::now();
        let set = findings::run(&case, &params)?;
        rules.push(t.elapsed().as_secs_f64());
        last = Some(set);
        let t = std::time::Instant::now();
        findings::impact(&case)?;
        impact.push(t.elapsed().as_secs_f64());
    }
    let set = last.expect("at least one run");
    Ok(FindingsBench {
        case: case_path.display().to_string(),
        events,
        runs,
        scan_secs: median(scan),
        rules_secs: median(rules),
        impact_secs: median(impact),
        findings: findings::RULES
            .iter()
            .map(|r| (r.to_string(), set.of_rule(*r).count()))
            .collect(),
        peak_rss_mib: peak_rss_mib(),
    })
}
