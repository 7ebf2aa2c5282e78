//! Coverage: when each access source is silent far longer than is normal for it (a gap in the
//! evidence), and what each source was declared to retain. Both are drawn on the timeline as
//! hatched bands, and a count over a span that overlaps one is a lower bound ("at least").
//!
//! Gap rule: per access source, the UTC hours that hold at least one of its events; between
//! each two consecutive such hours lies a *silence* of 0 or more empty hours. A silence is a
//! gap when it is at least `coverage_gap.min_hours` long and at least `coverage_gap.factor`
//! times the source's 99th-percentile silence (nearest rank, zero-length silences included):
//! what is normal for that source, so that nights and weekends of an office log, or the
//! months between the bursts of a rarely used tool, are not gaps. Only silences between a source's first and last event are considered;
//! silences that lie wholly outside the source's declared retention are not gaps (nothing was
//! kept there to lose), the declared limits are bands of their own.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::{Finding, Loaded, Params, Severity};
use crate::analysis::Result;
use crate::case::{Case, ScanEvent};
use crate::model::time::format_utc;
use crate::model::{CountUnit, Rule};

const US_PER_HOUR: i64 = 3_600_000_000;

/// What a band is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageKind {
    /// A silence far longer than normal for the source.
    Gap,
    /// Outside the source's declared retention.
    NotRetained,
}

/// A period a source does not cover.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageBand {
    pub source_id: i64,
    pub file_name: String,
    pub kind: CoverageKind,
    pub from_us: i64,
    pub to_us: i64,
    /// Whole empty UTC hours (gaps only; 0 for retention bands).
    pub empty_hours: i64,
    /// The threshold the silence was measured against (hours; gaps only).
    pub threshold_hours: i64,
    /// Systems the source has events for.
    pub systems: Vec<String>,
    #[serde(skip)]
    pub system_ids: Vec<i64>,
    /// The last event before and the first event after the gap (gaps only).
    pub evidence: Vec<i64>,
}

#[derive(Clone, Copy)]
struct Cell {
    min_ts: i64,
    min_id: i64,
    max_ts: i64,
    max_id: i64,
}

/// Per source: the non-empty UTC hours with their first and last event, and its systems.
#[derive(Default)]
pub(crate) struct HourMap {
    sources: HashMap<i64, (HashMap<i64, Cell>, BTreeSet<i64>)>,
}

impl HourMap {
    /// Adds another part's hours (a scan split by id range).
    pub fn merge(&mut self, other: HourMap) {
        for (source, (cells, systems)) in other.sources {
            let (mine, my_systems) = self.sources.entry(source).or_default();
            my_systems.extend(systems);
            for (h, c) in cells {
                let m = mine.entry(h).or_insert(c);
                if (c.min_ts, c.min_id) < (m.min_ts, m.min_id) {
                    m.min_ts = c.min_ts;
                    m.min_id = c.min_id;
                }
                if (c.max_ts, c.max_id) > (m.max_ts, m.max_id) {
                    m.max_ts = c.max_ts;
                    m.max_id = c.max_id;
                }
            }
        }
    }

    /// The map of the stored hours (`source_hour`; no systems).
    pub fn from_stored(rows: &[crate::case::SourceHour]) -> HourMap {
        let mut map = HourMap::default();
        for r in rows {
            map.sources.entry(r.source_id).or_default().0.insert(
                r.hour,
                Cell {
                    min_ts: r.first.0,
                    min_id: r.first.1,
                    max_ts: r.last.0,
                    max_id: r.last.1,
                },
            );
        }
        map
    }

    pub fn observe(&mut self, e: &ScanEvent) {
        let (hours, systems) = self.sources.entry(e.source_id).or_default();
        if e.system_id != 0 {
            systems.insert(e.system_id);
        }
        let h = e.ts_us.div_euclid(US_PER_HOUR);
        let c = hours.entry(h).or_insert(Cell {
            min_ts: e.ts_us,
            min_id: e.id,
            max_ts: e.ts_us,
            max_id: e.id,
        });
        if (e.ts_us, e.id) < (c.min_ts, c.min_id) {
            c.min_ts = e.ts_us;
            c.min_id = e.id;
        }
        if (e.ts_us, e.id) > (c.max_ts, c.max_id) {
            c.max_ts = e.ts_us;
            c.max_id = e.id;
        }
    }
}

/// The 99th percentile (nearest rank) of `v`, 0 for none.
fn p99(mut v: Vec<i64>) -> i64 {
    if v.is_empty() {
        return 0;
    }
    v.sort_unstable();
    let rank = (v.len() * 99).div_ceil(100);
    v[rank.clamp(1, v.len()) - 1]
}

/// Gaps and retention bands of every access source, by source then time.
pub(crate) fn bands(case: &Case, hours: &HourMap, params: &Params) -> Result<Vec<CoverageBand>> {
    let systems: HashMap<i64, String> = case
        .timeline()
        .systems()?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let retention: HashMap<i64, (Option<i64>, Option<i64>)> = case
        .findings()
        .source_retention()?
        .into_iter()
        .map(|r| (r.source_id, (r.from_us, r.to_us)))
        .collect();
    let sources: Vec<_> = case
        .sources()
        .list()?
        .into_iter()
        .filter(|s| s.kind == "access")
        .collect();
    let case_first = sources.iter().filter_map(|s| s.first_ts_us).min();
    let case_last = sources.iter().filter_map(|s| s.last_ts_us).max();
    let mut out = Vec::new();
    for s in &sources {
        let Some((cells, sys)) = hours.sources.get(&s.id) else {
            continue;
        };
        let mut system_ids: Vec<i64> = sys.iter().copied().collect();
        system_ids.sort_unstable();
        let mut names: Vec<String> = system_ids
            .iter()
            .filter_map(|id| systems.get(id).cloned())
            .collect();
        names.sort();
        let (kept_from, kept_to) = retention.get(&s.id).copied().unwrap_or((None, None));
        if let (Some(from), Some(first)) = (kept_from, case_first)
            && from > first
        {
            out.push(CoverageBand {
                source_id: s.id,
                file_name: s.file_name.clone(),
                kind: CoverageKind::NotRetained,
                from_us: first,
                to_us: from,
                empty_hours: 0,
                threshold_hours: 0,
                systems: names.clone(),
                system_ids: system_ids.clone(),
                evidence: Vec::new(),
            });
        }
        let mut order: Vec<i64> = cells.keys().copied().collect();
        order.sort_unstable();
        let silences: Vec<i64> = order.windows(2).map(|w| w[1] - w[0] - 1).collect();
        let threshold = params
            .gap_min_hours
            .max((params.gap_factor * p99(silences) as f64).ceil() as i64);
        for w in order.windows(2) {
            let empty = w[1] - w[0] - 1;
            if empty < threshold {
                continue;
            }
            let before = cells[&w[0]];
            let after = cells[&w[1]];
            let (from_us, to_us) = (before.max_ts, after.min_ts);
            let outside =
                kept_to.is_some_and(|t| from_us >= t) || kept_from.is_some_and(|f| to_us <= f);
            if outside {
                continue;
            }
            out.push(CoverageBand {
                source_id: s.id,
                file_name: s.file_name.clone(),
                kind: CoverageKind::Gap,
                from_us,
                to_us,
                empty_hours: empty,
                threshold_hours: threshold,
                systems: names.clone(),
                system_ids: system_ids.clone(),
                evidence: vec![before.max_id, after.min_id],
            });
        }
        if let (Some(to), Some(last)) = (kept_to, case_last)
            && to < last
        {
            out.push(CoverageBand {
                source_id: s.id,
                file_name: s.file_name.clone(),
                kind: CoverageKind::NotRetained,
                from_us: to,
                to_us: last,
                empty_hours: 0,
                threshold_hours: 0,
                systems: names.clone(),
                system_ids: system_ids.clone(),
                evidence: Vec::new(),
            });
        }
    }
    Ok(out)
}

/// One finding per band.
pub(crate) fn gap_findings(l: &Loaded, params: &Params) -> Vec<Finding> {
    l.coverage
        .iter()
        .map(|b| {
            let (title, explanation, severity, count, unit) = match b.kind {
                CoverageKind::Gap => (
                    format!("{}: no events for {} hours", b.file_name, b.empty_hours),
                    format!(
                        "The access log {} has no event from {} to {} (UTC): {} empty hours, where {} hours (the larger of coverage_gap.min_hours and coverage_gap.factor × its 99th-percentile silence) already counts as a gap. Accesses in this period would not appear in any count; counts that span it are lower bounds. Evidence: the last event before and the first after.",
                        b.file_name,
                        format_utc(b.from_us),
                        format_utc(b.to_us),
                        b.empty_hours,
                        b.threshold_hours
                    ),
                    Severity::Medium,
                    b.empty_hours as u64,
                    CountUnit::HoursWithoutEvents,
                ),
                CoverageKind::NotRetained => (
                    format!("{}: not retained (declared)", b.file_name),
                    format!(
                        "The investigator declared that {} was not retained from {} to {} (UTC). Its absence there is not a gap in the log, but no count can include accesses of that period.",
                        b.file_name,
                        format_utc(b.from_us),
                        format_utc(b.to_us)
                    ),
                    Severity::Info,
                    ((b.to_us - b.from_us).max(0) / US_PER_HOUR) as u64,
                    CountUnit::HoursNotRetained,
                ),
            };
            let msgs = match b.kind {
                CoverageKind::Gap => (
                    super::Msg::new("findings-gap-title")
                        .text("file", b.file_name.as_str())
                        .text("hours", b.empty_hours.to_string()),
                    super::Msg::new("findings-gap-explanation")
                        .text("file", b.file_name.as_str())
                        .time("from", b.from_us)
                        .time("to", b.to_us)
                        .text("hours", b.empty_hours.to_string())
                        .text("threshold", b.threshold_hours.to_string()),
                ),
                CoverageKind::NotRetained => (
                    super::Msg::new("findings-retention-title").text("file", b.file_name.as_str()),
                    super::Msg::new("findings-retention-explanation")
                        .text("file", b.file_name.as_str())
                        .time("from", b.from_us)
                        .time("to", b.to_us),
                ),
            };
            let kind = match b.kind {
                CoverageKind::Gap => "gap",
                CoverageKind::NotRetained => "retention",
            };
            Finding {
                key: format!("coverage_gap|{}|{kind}|{}", b.file_name, b.from_us),
                rule: Rule::CoverageGap,
                severity,
                title,
                person_keys: Vec::new(),
                organization: None,
                systems: b.systems.clone(),
                start_us: b.from_us,
                end_us: b.to_us,
                count,
                unit,
                at_least: false,
                evidence: b.evidence.clone(),
                explanation,
                parameters: params.for_rule(Rule::CoverageGap.as_str()),
                disposition: None,
                text: super::FindingText {
                    title: Some(msgs.0),
                    explanation: Some(msgs.1),
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::p99;

    #[test]
    fn p99_is_nearest_rank() {
        assert_eq!(p99(vec![]), 0);
        assert_eq!(p99(vec![5]), 5);
        let v: Vec<i64> = (1..=100).collect();
        assert_eq!(p99(v), 99);
        let v: Vec<i64> = (1..=1000).collect();
        assert_eq!(p99(v), 990);
    }
}
