//! Timings of the person page and the data-subject lookup on an existing case, for
//! `retrace bench --queries-only`.

use std::time::Instant;

use anyhow::Result;
use serde::Serialize;

use crate::analysis::DEFAULT_SESSION_GAP_MINUTES;
use crate::analysis::person::person_page;
use crate::analysis::subject::{SubjectLookup, lookup_subjects_to_csv};
use crate::case::Case;

#[derive(Debug, Clone, Serialize)]
pub struct LookupBench {
    /// (person key, access events, milliseconds) for the person page's data.
    pub person_pages: Vec<(String, usize, f64)>,
    /// Median and slowest person page (milliseconds).
    pub person_page_p50_ms: f64,
    pub person_page_max_ms: f64,
    /// Single-identifier lookups timed.
    pub subject_lookups: usize,
    /// Events per lookup, on average (unit: events).
    pub subject_mean_events: f64,
    pub subject_p50_ms: f64,
    pub subject_max_ms: f64,
    /// Identifiers in the bulk lookup (case subjects, then aliases of none, then unknown ids).
    pub bulk_identifiers: usize,
    pub bulk_with_hits: usize,
    pub bulk_csv_bytes: u64,
    pub bulk_secs: f64,
}

struct Counter(u64);
impl std::io::Write for Counter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len() as u64;
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Times the person page for `persons` (all persons when empty), 50 single subject lookups and
/// one bulk lookup of `bulk` identifiers written as CSV (to a byte counter).
pub fn lookup_bench(case: &Case, persons: &[&str], bulk: usize) -> Result<LookupBench> {
    let keys: Vec<String> = if persons.is_empty() {
        case.people()
            .persons()?
            .into_iter()
            .map(|p| p.key)
            .collect()
    } else {
        persons.iter().map(|s| (*s).to_string()).collect()
    };
    let mut person_pages = Vec::new();
    for k in keys {
        let t = Instant::now();
        let page = person_page(case, &k, DEFAULT_SESSION_GAP_MINUTES, chrono_tz::UTC)?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if let Some(p) = page {
            person_pages.push((k, p.figures.access_events, ms));
        }
    }
    let subjects = case.subjects().subject_keys(bulk)?;
    let lookup = SubjectLookup::new(case)?;
    let step = (subjects.len() / 50).max(1);
    let mut ms = Vec::new();
    let mut events = 0usize;
    for key in subjects.iter().step_by(step).take(50) {
        let t = Instant::now();
        let a = lookup.answer(key)?;
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        events += a.hits.len();
    }
    ms.sort_by(f64::total_cmp);
    let mut page_ms: Vec<f64> = person_pages.iter().map(|p| p.2).collect();
    page_ms.sort_by(f64::total_cmp);
    let mut list = subjects;
    let mut i = 0;
    while list.len() < bulk {
        list.push(format!("Unknown{i:08}"));
        i += 1;
    }
    let t = Instant::now();
    let mut out = Counter(0);
    let (answered, with_hits) = lookup_subjects_to_csv(
        case,
        &list,
        chrono_tz::UTC,
        std::io::BufWriter::new(&mut out),
    )?;
    let bulk_secs = t.elapsed().as_secs_f64();
    Ok(LookupBench {
        person_pages,
        person_page_p50_ms: page_ms.get(page_ms.len() / 2).copied().unwrap_or(0.0),
        person_page_max_ms: page_ms.last().copied().unwrap_or(0.0),
        subject_lookups: ms.len(),
        subject_mean_events: events as f64 / ms.len().max(1) as f64,
        subject_p50_ms: ms.get(ms.len() / 2).copied().unwrap_or(0.0),
        subject_max_ms: ms.last().copied().unwrap_or(0.0),
        bulk_identifiers: answered,
        bulk_with_hits: with_hits,
        bulk_csv_bytes: out.0,
        bulk_secs,
    })
}
