//! `retrace bench`'s figures per filter kind (issue 20, part 2): for each kind of filter an
//! investigator sets — system, storage country, data category, action, outcome, each alone
//! and combined with a person, an organization and a one-month range, a query-language
//! filter and free text — the time to the timeline's first data (its per-column counts) and
//! to the table's count, as the app's worker asks them. Kept apart from `bench.rs` so that
//! the two grow without touching each other.

use std::time::Instant;

use anyhow::Result;
use serde::Serialize;

use crate::case::{Buckets, Case, FilterPath, FilterTerm, SortKey, TableQuery};

/// A [`FilterPath`] in the bench's words.
pub fn path_name(path: FilterPath) -> &'static str {
    match path {
        FilterPath::AccountAggregate => "account aggregate",
        FilterPath::Cells => "cells",
        FilterPath::Events => "event scan",
    }
}

/// Pixel columns of a timeline on a 1920-pixel-wide window (as in `bench.rs`).
const COLUMNS: u32 = 1400;

/// One filter kind's latencies.
#[derive(Debug, Clone, Serialize)]
pub struct FilterKindTiming {
    /// What was filtered, e.g. "system + person".
    pub kind: String,
    /// The matching events (the table's count), so a reader sees how selective it was.
    pub events: u64,
    /// How the case answered it: `account aggregate`, `cells` or `event scan`
    /// (`Timeline::filter_path`).
    pub path: String,
    /// First timeline data (the first slice's counts when counted slice by slice).
    pub timeline_p50_ms: f64,
    pub timeline_p95_ms: f64,
    /// The whole timeline answer.
    pub complete_p50_ms: f64,
    pub count_p50_ms: f64,
    pub count_p95_ms: f64,
}

/// The filter values the bench uses: the busiest of each kind in the case.
struct Picks {
    system: i64,
    country: String,
    category: u32,
    action: String,
    outcome: String,
    person: i64,
    organization: String,
}

fn picks(case: &Case) -> Result<Option<Picks>> {
    let systems = case.timeline().systems()?;
    let Some(sys) = systems.iter().max_by_key(|s| s.categories.count_ones()) else {
        return Ok(None);
    };
    let category = (0..64u32)
        .find(|b| sys.categories & (1u64 << b) != 0)
        .unwrap_or(0);
    let action = case.timeline().distinct_event_values(false, 1)?;
    let persons = case.people().persons()?;
    let Some(person) = persons.iter().find(|p| p.organization.is_some()) else {
        return Ok(None);
    };
    Ok(Some(Picks {
        system: sys.id,
        country: sys.country.clone().unwrap_or_default(),
        category,
        action: action.into_iter().next().unwrap_or_default(),
        // The rare outcome is the one an investigator looks for.
        outcome: "denied".to_string(),
        person: person.id,
        organization: person.organization.clone().unwrap_or_default(),
    }))
}

/// The filters timed, by name: each kind alone, with a person, with an organization, and (the
/// range is applied by the caller) over one month.
fn cases(p: &Picks, query: FilterTerm) -> Vec<(String, Vec<FilterTerm>, bool)> {
    let kinds = [
        ("system", FilterTerm::System(p.system)),
        (
            "storage country",
            FilterTerm::StorageCountry(p.country.clone()),
        ),
        ("category", FilterTerm::Category(p.category)),
        ("action", FilterTerm::Action(p.action.clone())),
        ("outcome", FilterTerm::Outcome(p.outcome.clone())),
    ];
    let mut out = Vec::new();
    for (name, term) in kinds {
        out.push((name.to_string(), vec![term.clone()], false));
        out.push((
            format!("{name} + person"),
            vec![term.clone(), FilterTerm::Person(p.person)],
            false,
        ));
        out.push((
            format!("{name} + organization"),
            vec![
                term.clone(),
                FilterTerm::Organization(p.organization.clone()),
            ],
            false,
        ));
        out.push((format!("{name} + one month"), vec![term], true));
    }
    out.push(("query language".to_string(), vec![query], false));
    out.push((
        "free text".to_string(),
        vec![FilterTerm::Text("users".to_string())],
        false,
    ));
    out
}

/// Times every filter kind `runs` times over the whole case `[from, to)` (one month in its
/// middle for the "one month" rows). Empty when the case has no systems or persons.
pub fn filter_kind_bench(
    case: &Case,
    buckets: &mut Buckets,
    (from, to): (i64, i64),
    runs: usize,
) -> Result<Vec<FilterKindTiming>> {
    let Some(p) = picks(case)? else {
        return Ok(Vec::new());
    };
    let query = FilterTerm::parse_query("outcome:denied OR system:jp-*", chrono_tz::UTC)
        .map_err(|e| anyhow::anyhow!("bench query: {e}"))?;
    let mid = from + (to - from) / 2;
    let month = (mid, (mid + 30 * 86_400_000_000).min(to));
    let mut out = Vec::new();
    for (kind, filter, one_month) in cases(&p, query) {
        let (a, b) = if one_month { month } else { (from, to) };
        let (mut tl, mut whole, mut ct) = (Vec::new(), Vec::new(), Vec::new());
        let mut events = 0;
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            let index = buckets.for_view(case, a, b, COLUMNS)?;
            let (first, all) =
                super::bench::time_timeline(case, index, (a, b, COLUMNS), &filter, t)?;
            tl.push(first);
            whole.push(all);
            let q = TableQuery {
                from_us: a,
                to_us: b,
                filter: filter.clone(),
                sort: SortKey::Time,
                descending: false,
            };
            let t = Instant::now();
            events = case.timeline().table_count(&q)?;
            ct.push(t.elapsed().as_secs_f64() * 1e3);
            if whole.iter().chain(&ct).sum::<f64>() > super::bench::SLOW_RUN_MS {
                break;
            }
        }
        let path = path_name(case.timeline().filter_path(&filter)?).to_string();
        out.push(FilterKindTiming {
            kind,
            events,
            path,
            timeline_p50_ms: super::bench::percentile(&mut tl, 0.5),
            timeline_p95_ms: super::bench::percentile(&mut tl, 0.95),
            complete_p50_ms: super::bench::percentile(&mut whole, 0.5),
            count_p50_ms: super::bench::percentile(&mut ct, 0.5),
            count_p95_ms: super::bench::percentile(&mut ct, 0.95),
        });
    }
    Ok(out)
}
