//! `retrace bench`: import speed against SQLite's own table copy, the timeline's queries, the
//! findings rules, the CSV export, and one format's reader and import, each on its own flag.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use super::{BarProgress, print_json};
use crate::jobs::CancelToken;
use crate::ops;

#[derive(Debug, Args)]
pub struct BenchArgs {
    #[arg(long, default_value_t = 1_000_000)]
    events: u64,
    #[arg(long, default_value_t = crate::synth::SAMPLE_SEED)]
    seed: u64,
    /// Keep the data and case here instead of a temporary directory.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Skip generating and importing: measure the timeline's queries on this existing case.
    #[arg(long)]
    queries_only: Option<PathBuf>,
    /// Zoom/pan requests to time.
    #[arg(long, default_value_t = 300)]
    requests: usize,
    /// Skip everything else: time the findings rules and the impact tables on this existing
    /// case (opened read-only); medians of --findings-runs runs.
    #[arg(long)]
    findings: Option<PathBuf>,
    #[arg(long, default_value_t = 3)]
    findings_runs: usize,
    /// Skip everything else: time the CSV export of this existing case (opened read-only;
    /// written to --dir or a temporary directory, deleted after each run).
    #[arg(long)]
    export: Option<PathBuf>,
    /// Runs of the export measurement (the median is reported).
    #[arg(long, default_value_t = 3)]
    export_runs: usize,
    /// Skip everything else: generate a log file in this format (cloudtrail: JSON Lines
    /// records of ~1 KB; authlog: RFC 3164 sshd/PAM/sudo lines; parquet: a lake extract, one
    /// row per 100 bytes of --bytes, so 1G is ~10.7 M rows) of --bytes and import it.
    #[arg(long)]
    format: Option<String>,
    /// Size of the --format file: a number with an optional K, M or G (1024-based).
    #[arg(long, default_value = "1G")]
    bytes: String,
    /// --format: where the unmapped fields go (`original` or `stored`; default: the
    /// format's default, as an import).
    #[arg(long, value_parser = ["original", "stored"])]
    extra_fields: Option<String>,
    #[arg(long)]
    json: bool,
}

pub(super) fn run(args: BenchArgs, cancel: &CancelToken) -> Result<ExitCode> {
    let BenchArgs {
        events,
        seed,
        dir,
        queries_only,
        requests,
        findings,
        findings_runs,
        export,
        export_runs,
        format,
        bytes,
        extra_fields,
        json,
    } = args;
    if let Some(case) = export {
        return super::export::bench(&case, dir.as_deref(), export_runs, json);
    }
    if let Some(format) = format {
        let extra = extra_fields.as_deref();
        return format_bench(&format, &bytes, seed, extra, dir.as_deref(), json, cancel);
    }
    if let Some(case) = findings {
        return findings_bench(&case, findings_runs, json);
    }
    if let Some(case) = queries_only {
        let q = ops::bench::query_bench(&case, requests)?;
        if json {
            print_json(&q)?;
        } else {
            print_query_bench(&q);
        }
        return Ok(ExitCode::SUCCESS);
    }
    import_bench(events, seed, dir.as_deref(), json, cancel)
}

/// `--findings CASE`: the rules and the impact tables, medians of `runs` runs.
fn findings_bench(case: &Path, runs: usize, json: bool) -> Result<ExitCode> {
    let b = ops::bench::findings_bench(case, runs)?;
    if json {
        print_json(&b)?;
    } else {
        outln!(
            "findings bench: {} events, medians of {} runs",
            b.events,
            b.runs
        );
        outln!("  bare scan of event  {:>8.2} s", b.scan_secs);
        outln!("  all rules           {:>8.2} s", b.rules_secs);
        outln!("  impact tables       {:>8.2} s", b.impact_secs);
        for (rule, n) in &b.findings {
            outln!("  {rule:<20} {n:>8} findings");
        }
        if let Some(m) = b.peak_rss_mib {
            outln!("  peak RSS            {m:>8.0} MiB");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The default: generate a data set, import it, and compare with SQLite's own copy.
fn import_bench(
    events: u64,
    seed: u64,
    dir: Option<&Path>,
    json: bool,
    cancel: &CancelToken,
) -> Result<ExitCode> {
    let bar = BarProgress::new(!json, "bench import");
    let r = ops::bench::run(events, seed, dir, &bar, cancel)?;
    bar.0.finish_and_clear();
    if json {
        print_json(&r)?;
    } else {
        outln!(
            "bench: {} background events (seed {}), {} cores",
            r.background_events,
            r.seed,
            r.cores
        );
        outln!(
            "  generated       {:>12} bytes in {:.2} s",
            r.data_bytes,
            r.gen_secs
        );
        outln!(
            "  import          {:>12} events in {:.2} s = {:.0} rows/s (end to end, rosters included; {} rejected)",
            r.events_imported,
            r.import_secs,
            r.import_rows_per_sec,
            r.rows_rejected
        );
        outln!(
            "  SQLite copy     {:>12} rows   in {:.2} s = {:.0} rows/s (INSERT INTO copy SELECT * FROM event)",
            r.sqlite_copy_rows,
            r.sqlite_copy_secs,
            r.sqlite_copy_rows_per_sec
        );
        outln!(
            "  ratio           {:.3} (import rate / SQLite copy rate)",
            r.ratio
        );
        outln!(
            "  indexed copy    {:>12} rows   in {:.2} s = {:.0} rows/s (same, into a copy with the event indexes); ratio {:.3}",
            r.sqlite_copy_rows,
            r.sqlite_indexed_copy_secs,
            r.sqlite_indexed_copy_rows_per_sec,
            r.ratio_indexed
        );
        for f in &r.per_file {
            outln!(
                "    {:<32} {:>10} rows {:>7.2} s {:>9.0} rows/s",
                f.file,
                f.rows,
                f.secs,
                f.rows as f64 / f.secs.max(1e-9)
            );
            // Where the writer's time went, for files where it is worth reading.
            if f.secs >= 0.5 {
                outln!("      {}", phase_line(&f.phases));
            }
        }
        outln!(
            "  case size       {} bytes ({:.0} bytes/event)",
            r.case_bytes,
            r.bytes_per_event
        );
        match r.peak_rss_mib {
            Some(m) => outln!("  peak RSS        {m:.0} MiB"),
            None => outln!("  peak RSS        (not available on this platform)"),
        }
        print_query_bench(&r.queries);
    }
    Ok(ExitCode::SUCCESS)
}

/// `1G`, `500M`, `64K`, `1000` -> bytes.
fn parse_size(s: &str) -> Result<u64> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, 'K' | 'k')) => (&t[..i], 1u64 << 10),
        Some((i, 'M' | 'm')) => (&t[..i], 1 << 20),
        Some((i, 'G' | 'g')) => (&t[..i], 1 << 30),
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|n| *n > 0)
        .with_context(|| format!("--bytes {s:?}: a positive number with an optional K, M or G"))
}

fn format_bench(
    format: &str,
    bytes: &str,
    seed: u64,
    extra_fields: Option<&str>,
    dir: Option<&Path>,
    json: bool,
    cancel: &CancelToken,
) -> Result<ExitCode> {
    let bytes = parse_size(bytes)?;
    let bar = BarProgress::new(!json, "bench import");
    let r = ops::bench::format_bench(format, bytes, seed, extra_fields, dir, &bar, cancel)?;
    bar.0.finish_and_clear();
    if json {
        print_json(&r)?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "bench --format {format}: {} records, {:.1} MiB ({}), generated in {:.1} s",
        r.records,
        r.file_bytes as f64 / (1 << 20) as f64,
        r.format,
        r.gen_secs
    );
    outln!(
        "  reader alone     {:>10.0} events/s  ({:.2} s)",
        r.parse_events_per_sec,
        r.parse_secs
    );
    outln!(
        "  import           {:>10.0} events/s  ({:.2} s, {:.1} MiB/s; {} imported, {} rejected)",
        r.import_events_per_sec,
        r.import_secs,
        r.import_mib_per_sec,
        r.events_imported,
        r.rows_rejected
    );
    outln!("    {}", phase_line(&r.phases));
    outln!(
        "  extra fields     {} events, {:.0} bytes each on average{}",
        r.extra_rows,
        r.extra_bytes as f64 / r.extra_rows.max(1) as f64,
        if r.extras_in_original {
            "; the others are read from the original"
        } else {
            ""
        }
    );
    outln!(
        "  text search      {:.2} s to search every event for a text no field holds ({} hits)",
        r.search_secs,
        r.search_hits
    );
    outln!(
        "  case size        {:.1} MiB ({:.0} bytes per event)",
        r.case_bytes as f64 / (1 << 20) as f64,
        r.case_bytes as f64 / r.events_imported.max(1) as f64
    );
    if let Some(rss) = r.peak_rss_mib {
        outln!("  peak RSS         {rss:.0} MiB");
    }
    if let (Some(cpu), Some(per)) = (r.import_cpu_secs, r.import_cpu_us_per_event) {
        outln!(
            "  import CPU       {cpu:.2} s (user + system, all threads) = {per:.1} µs per event"
        );
    }
    if let (Some(a), Some(b)) = (r.load_before, r.load_after) {
        outln!("  load average     {a:.2} before, {b:.2} after (the machine's, 1 minute)");
    }
    Ok(ExitCode::SUCCESS)
}

/// The per-filter-kind figures (issue 20, part 2), one line per kind.
fn print_filter_kinds(rows: &[ops::filter_bench::FilterKindTiming]) {
    if rows.is_empty() {
        return;
    }
    outln!("  per filter kind (whole case unless one month; first timeline data / table count):");
    for r in rows {
        outln!(
            "    {:<32} timeline p50 {:>8.1} ms  p95 {:>8.1} ms  whole p50 {:>8.1} ms   count p50 {:>8.1} ms  p95 {:>8.1} ms  ({} events, {})",
            r.kind,
            r.timeline_p50_ms,
            r.timeline_p95_ms,
            r.complete_p50_ms,
            r.count_p50_ms,
            r.count_p95_ms,
            r.events,
            r.path
        );
    }
}

fn print_query_bench(q: &ops::bench::QueryBench) {
    outln!("timeline query layer, {} events:", q.events);
    outln!(
        "  open case -> first timeline data   {:.1} ms",
        q.open_to_first_data_ms
    );
    outln!(
        "  zoom/pan timeline queries ({})      p50 {:.1} ms  p95 {:.1} ms  max {:.1} ms",
        q.requests,
        q.timeline_p50_ms,
        q.timeline_p95_ms,
        q.timeline_max_ms
    );
    outln!(
        "  table count + first page           p50 {:.1} ms  p95 {:.1} ms  max {:.1} ms",
        q.table_p50_ms,
        q.table_p95_ms,
        q.table_max_ms
    );
    let f = &q.query_filter;
    outln!(
        "  query filter: first timeline data  p50 {:.1} ms  p95 {:.1} ms  max {:.1} ms  ({} queries × {} runs, whole case, {} columns)",
        f.p50_ms,
        f.p95_ms,
        f.max_ms,
        f.queries.len(),
        f.runs,
        1400
    );
    outln!(
        "  query filter: whole answer         p50 {:.1} ms  p95 {:.1} ms",
        f.complete_p50_ms,
        f.complete_p95_ms
    );
    for (query, t) in f.queries.iter().zip(&f.per_query) {
        outln!(
            "      {query:<48} first p50 {:>8.1} ms  whole p50 {:>8.1} ms  ({})",
            t.first_p50_ms,
            t.complete_p50_ms,
            t.path
        );
    }
    print_filter_kinds(&q.filter_kinds);
    if let Some(m) = q.rss_mib {
        outln!("  RSS after the queries              {m:.0} MiB");
    }
    let l = &q.lookups;
    outln!("person page data (gap 30 min):");
    for (key, events, ms) in &l.person_pages {
        outln!("  {key:<6} {events:>9} access events  {ms:>9.1} ms");
    }
    outln!(
        "subject lookup ({} single lookups, mean {:.0} events each): p50 {:.1} ms  max {:.1} ms",
        l.subject_lookups,
        l.subject_mean_events,
        l.subject_p50_ms,
        l.subject_max_ms
    );
    outln!(
        "bulk subject lookup to CSV: {} identifiers ({} with access events), {} bytes in {:.2} s",
        l.bulk_identifiers,
        l.bulk_with_hits,
        l.bulk_csv_bytes,
        l.bulk_secs
    );
}

/// An import's writer phases as `name seconds · ...`, leaving out those under 5 ms.
fn phase_line(phases: &[(&str, f64)]) -> String {
    let steps: Vec<String> = phases
        .iter()
        .filter(|(_, s)| *s >= 0.005)
        .map(|(p, s)| format!("{p} {s:.2}"))
        .collect();
    steps.join(" · ")
}
