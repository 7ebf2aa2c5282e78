//! `retrace bench --export CASE`: the CSV export's streaming writer timed on an existing case
//! (opened read-only: the bench writes no custody entry), a few runs, median rows/s.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use super::{ExportFormat, ExportRequest, ExportScope, Lang, RedactionMode, ReportLayout};
use crate::case::{Case, EventSelection};
use crate::jobs::{CancelToken, NoProgress};

#[derive(Debug, Clone, Serialize)]
pub struct ExportBench {
    pub case_events: u64,
    pub format: String,
    pub redaction: String,
    pub rows: u64,
    pub bytes: u64,
    /// Seconds per run.
    pub runs_secs: Vec<f64>,
    pub median_secs: f64,
    pub median_rows_per_sec: f64,
    pub median_mib_per_sec: f64,
    pub peak_rss_mib: Option<f64>,
    /// CPU seconds (user + system, all threads) per run, and the rows per CPU second of the
    /// median run: the rate on an otherwise idle machine is bounded by this.
    pub runs_cpu_secs: Vec<f64>,
    pub rows_per_cpu_sec: Option<f64>,
    /// The machine's 1-minute load average before and after (other work shares the cores).
    pub load_before: Option<f64>,
    pub load_after: Option<f64>,
}

/// Exports the whole case as CSV `runs` times into `dir` (each file deleted after its run).
pub fn export_bench(
    case_path: &Path,
    dir: &Path,
    runs: usize,
    redaction: RedactionMode,
) -> Result<ExportBench> {
    let case = Case::open_read_only(case_path)?;
    let zone = case.meta("display_zone")?.unwrap_or_else(|| "UTC".into());
    let tz = crate::model::time::parse_zone(&zone).map_err(anyhow::Error::msg)?;
    let key = case.meta("pseudonym_key")?;
    let redactor = super::Redactor::new(redaction, key.as_deref()).map_err(anyhow::Error::msg)?;
    let total = case.export().selection_count(&EventSelection::All)?;
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let req = ExportRequest {
        scope: ExportScope::Case,
        format: ExportFormat::Csv,
        bom: false,
        redaction,
        zone: zone.clone(),
        lang: Lang::En,
        headers: Lang::En,
        layout: ReportLayout::Ppc,
        out_dir: dir.to_path_buf(),
        investigator: "bench".into(),
    };
    let path = dir.join("bench-events.csv");
    let mut secs = Vec::new();
    let mut cpu = Vec::new();
    let (mut rows, mut bytes) = (0, 0);
    let load_before = crate::ops::bench::load_average();
    for _ in 0..runs.max(1) {
        let cpu0 = crate::ops::bench::cpu_secs();
        let t = std::time::Instant::now();
        let (n, _sha, b) = super::write_rows(
            &case,
            &EventSelection::All,
            &req,
            tz,
            &redactor,
            &path,
            total,
            &NoProgress,
            &CancelToken::new(),
        )?;
        secs.push(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu0, crate::ops::bench::cpu_secs()) {
            cpu.push(b - a);
        }
        rows = n;
        bytes = b;
        std::fs::remove_file(&path).ok();
    }
    let load_after = crate::ops::bench::load_average();
    let mut sorted = secs.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let mut cpu_sorted = cpu.clone();
    cpu_sorted.sort_by(f64::total_cmp);
    let rows_per_cpu_sec = cpu_sorted
        .get(cpu_sorted.len() / 2)
        .map(|c| rows as f64 / c.max(1e-9));
    Ok(ExportBench {
        case_events: total,
        format: "csv".into(),
        redaction: redaction.as_str().into(),
        rows,
        bytes,
        runs_secs: secs,
        median_secs: median,
        median_rows_per_sec: rows as f64 / median.max(1e-9),
        median_mib_per_sec: bytes as f64 / 1_048_576.0 / median.max(1e-9),
        peak_rss_mib: crate::ops::bench::peak_rss_mib(),
        runs_cpu_secs: cpu,
        rows_per_cpu_sec,
        load_before,
        load_after,
    })
}
