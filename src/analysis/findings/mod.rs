//! Findings: what the panel must conclude, computed from the case, each backed by the ids of
//! the events that prove it. The rules (exact definitions in the README, "Findings"):
//!
//! - `cross_border`: a session in which a person who works in one country (person roster)
//!   accessed a system that stores its data in another (systems roster); plus, per data-subject
//!   country, whose data was reached from abroad ([`FindingSet::reached_from_abroad`]);
//! - `outside_approval`: a session with an access that no approval of the person covers
//!   (that system, valid_from ≤ ts ≤ valid_to);
//! - `unsupervised`: a covered session whose covering approval names an overseer with no
//!   access on the same system within the window around the session;
//! - `after_revocation`: accesses, and separately refused attempts, after an `access_revoked`
//!   milestone whose scope covers the person (until an `access_granted` milestone covers them
//!   again);
//! - `off_hours`, `bulk`, `new_reach`: working hours in the person's own zone, records per
//!   session, first touch of a system or category;
//! - `coverage_gap`: silences of an access source far longer than is normal for it, and the
//!   declared retention; counts of findings that overlap one are "at least".
//!
//! All rules read one compact scan of `event` (no strings), so ten million events fit in
//! memory; [`impact`] is a second scan that also reads each event's subjects.

mod coverage;
mod impact;
mod params;
mod rules;
mod text;
pub mod triage;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::analysis::{AnalysisError, Result};
use crate::case::{Case, DispositionRow, PersonRow, ScanEvent, SystemInfo};

pub use coverage::{CoverageBand, CoverageKind};
pub use impact::{Impact, ImpactCell, ImpactGroup, impact};
pub use params::{ApprovalScope, IpCountries, IpCountryEntry, ParamSpec, Params, SPECS};
pub use text::{FindingText, Msg, MsgArg, count_phrase_in, severity_in, status_in, unit_count};

pub use crate::model::{CountUnit, DispositionStatus, Rule};

/// The rules, in the order findings are listed.
pub const RULES: &[Rule] = Rule::ALL;

/// How much a finding matters for the panel's questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// The investigator's decision on a finding: the latest `finding_disposition` row of its key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disposition {
    pub status: DispositionStatus,
    pub note: String,
    pub author: String,
    pub at_us: i64,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable across re-runs while the evidence and the session rule are unchanged:
    /// `rule|person|system-or-subject|start_us` (see the README).
    pub key: String,
    pub rule: Rule,
    pub severity: Severity,
    pub title: String,
    /// Roster person ids (`P13`); empty for source-level findings (coverage gaps). A
    /// `cross_border` finding whose actor's country comes from the source IP
    /// (`cross_border.ip_countries`) names the account instead (`svc_batch`).
    pub person_keys: Vec<String>,
    pub organization: Option<String>,
    pub systems: Vec<String>,
    pub start_us: i64,
    pub end_us: i64,
    /// What the finding counts, in `unit`.
    pub count: u64,
    pub unit: CountUnit,
    /// A coverage gap or a period outside declared retention overlaps the finding's span, so
    /// the count is a lower bound ("at least N").
    pub at_least: bool,
    /// Ids of the events that prove the finding, oldest first.
    pub evidence: Vec<i64>,
    pub explanation: String,
    /// The parameters the rule ran with (`rule.key` → value).
    pub parameters: BTreeMap<String, serde_json::Value>,
    pub disposition: Option<Disposition>,
    /// The messages `title` and `explanation` render from in any language (`title_in`).
    #[serde(skip)]
    pub text: FindingText,
}

impl Finding {
    /// "at least 12 access events" / "12 access events".
    pub fn count_text(&self) -> String {
        count_phrase(self.count, self.unit.as_str(), self.at_least)
    }

    /// The disposition's status, `open` when none was recorded.
    pub fn status(&self) -> DispositionStatus {
        self.disposition
            .as_ref()
            .map_or(DispositionStatus::Open, |d| d.status)
    }
}

/// Whose data was reached from abroad: one row per data-subject country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AbroadRow {
    /// Where the subjects live (subjects roster); `??` when unknown.
    pub subject_country: String,
    /// Distinct data subjects of this country in cross-border access events.
    pub subjects: u64,
    pub unit: CountUnit,
    /// (category, distinct subjects) for the categories those events carried.
    pub by_category: Vec<(String, u64)>,
    /// Where the actors worked.
    pub actor_countries: Vec<String>,
    /// Where the reached systems store their data.
    pub storage_countries: Vec<String>,
    /// Cross-border access events that touched a subject of this country.
    pub events: u64,
    pub at_least: bool,
}

/// Everything the rules found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingSet {
    pub params: Params,
    /// Ordered by rule (as in [`RULES`]), then start.
    pub findings: Vec<Finding>,
    /// Per data-subject country: whose data was reached from abroad.
    pub reached_from_abroad: Vec<AbroadRow>,
    /// Coverage gaps and periods outside declared retention, for the timeline's hatched bands.
    pub coverage: Vec<CoverageBand>,
    /// Events the rules read (unit: events).
    pub events_scanned: u64,
}

impl FindingSet {
    /// The findings of one rule (a [`Rule`] or its name).
    pub fn of_rule<'a, R>(&'a self, rule: R) -> impl Iterator<Item = &'a Finding> + 'a
    where
        Rule: PartialEq<R>,
        R: 'a,
    {
        self.findings.iter().filter(move |f| f.rule == rule)
    }

    pub fn get(&self, key: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.key == key)
    }
}

/// One event as the rules keep it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ev {
    pub id: i64,
    pub ts_us: i64,
    pub categories: u64,
    pub records: i64,
    pub system_id: i64,
    pub access: bool,
}

/// The case as the rules see it.
pub(crate) struct Loaded {
    pub persons: Vec<PersonRow>,
    /// Per person (same index): every event, refused attempts included, by (ts, id).
    pub events: Vec<Vec<Ev>>,
    /// Per person: the sessions at `session.gap_minutes`.
    pub sessions: Vec<Vec<Sess>>,
    pub systems: HashMap<i64, SystemInfo>,
    pub vocab: crate::model::Vocabulary,
    pub coverage: Vec<CoverageBand>,
    pub abroad: Vec<AbroadRow>,
    pub events_scanned: u64,
}

impl Loaded {
    pub fn system_name(&self, id: i64) -> String {
        self.systems
            .get(&id)
            .map_or_else(|| "(no system)".to_string(), |s| s.name.clone())
    }

    pub fn system_country(&self, id: i64) -> Option<&str> {
        self.systems.get(&id).and_then(|s| s.country.as_deref())
    }

    /// A count over `[from_us, to_us]` on some systems is a lower bound when a band of a
    /// source with events on one of those systems overlaps it.
    pub fn at_least<'a>(
        &self,
        from_us: i64,
        to_us: i64,
        evs: impl Iterator<Item = &'a Ev>,
    ) -> bool {
        let systems: BTreeSet<i64> = evs.map(|e| e.system_id).collect();
        self.coverage.iter().any(|b| {
            b.from_us <= to_us
                && from_us <= b.to_us
                && b.system_ids.iter().any(|s| systems.contains(s))
        })
    }
}

/// Runs every rule over the case, with dispositions attached.
pub fn run(case: &Case, params: &Params) -> Result<FindingSet> {
    let loaded = load(case, params)?;
    let mut findings = Vec::new();
    findings.extend(rules::cross_border(&loaded, params));
    let ip_countries = IpCountries::parse(&params.cross_border_ip_countries)
        .map_err(AnalysisError::IpCountries)?;
    if !ip_countries.is_empty() {
        let events = case.findings().events_without_actor_country()?;
        findings.extend(rules::cross_border_by_ip(
            &loaded,
            params,
            &ip_countries,
            &events,
        ));
    }
    findings.extend(rules::outside_approval_and_unsupervised(
        case, &loaded, params,
    )?);
    findings.extend(rules::after_revocation(case, &loaded, params)?);
    findings.extend(rules::off_hours(&loaded, params));
    findings.extend(rules::bulk(&loaded, params));
    findings.extend(rules::new_reach(&loaded, params));
    findings.extend(coverage::gap_findings(&loaded, params));
    // `Rule`'s order is the listing order of `RULES`.
    findings.sort_by(|a, b| (a.rule, a.start_us, &a.key).cmp(&(b.rule, b.start_us, &b.key)));
    attach_dispositions(&mut findings, &case.findings().finding_dispositions()?);
    Ok(FindingSet {
        params: params.clone(),
        findings,
        reached_from_abroad: loaded.abroad,
        coverage: loaded.coverage,
        events_scanned: loaded.events_scanned,
    })
}

/// Runs only the rules named (all when `rules` is empty); the rest of the set is complete.
pub fn run_rules(case: &Case, params: &Params, rules: &[String]) -> Result<FindingSet> {
    let rules = rules
        .iter()
        .map(|r| {
            r.parse::<Rule>().map_err(|_| AnalysisError::UnknownRule {
                rule: r.clone(),
                known: Rule::known(),
            })
        })
        .collect::<Result<Vec<Rule>>>()?;
    let mut set = run(case, params)?;
    if !rules.is_empty() {
        set.findings.retain(|f| rules.contains(&f.rule));
    }
    Ok(set)
}

/// Sets each finding's disposition from the latest row of its key.
pub fn attach_dispositions(findings: &mut [Finding], rows: &[DispositionRow]) {
    let mut latest: HashMap<&str, &DispositionRow> = HashMap::new();
    for r in rows {
        latest.insert(r.finding_key.as_str(), r); // rows come oldest first: later wins
    }
    for f in findings {
        f.disposition = latest.get(f.key.as_str()).map(|r| Disposition {
            status: r.status,
            note: r.note.clone(),
            author: r.author.clone(),
            at_us: r.at_us,
        });
    }
}

/// One scan of `event`: per-person events (sorted), per-source hourly coverage, and the
/// subjects of cross-border accesses.
fn load(case: &Case, params: &Params) -> Result<Loaded> {
    let persons = case.people().persons()?;
    let person_index: HashMap<i64, usize> =
        persons.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let links = case.timeline().account_links()?;
    let person_of_account: HashMap<i64, usize> = links
        .iter()
        .filter_map(|a| Some((a.id, *person_index.get(&a.person_id?)?)))
        .collect();
    let systems: HashMap<i64, SystemInfo> = case
        .timeline()
        .systems()?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();

    struct Part {
        events: Vec<Vec<Ev>>,
        hours: coverage::HourMap,
        abroad: rules::AbroadTally,
        scanned: u64,
    }
    let template = rules::AbroadTally::new(case, &persons, &systems)?;
    let n_persons = persons.len();
    let parts = scan_parallel(
        case,
        || Part {
            events: vec![Vec::new(); n_persons],
            hours: coverage::HourMap::default(),
            abroad: template.clone(),
            scanned: 0,
        },
        |part, e: &ScanEvent, subjects| {
            part.scanned += 1;
            part.hours.observe(e);
            let Some(&p) = person_of_account.get(&e.account_id) else {
                return;
            };
            part.events[p].push(Ev {
                id: e.id,
                ts_us: e.ts_us,
                categories: e.categories,
                records: e.records,
                system_id: e.system_id,
                access: e.access,
            });
            if e.access {
                part.abroad.observe(p, e, subjects);
            }
        },
    )?;
    let mut parts = parts.into_iter();
    let mut all = parts
        .next()
        .expect("scan_parallel returns at least one part");
    for mut part in parts {
        for (mine, theirs) in all.events.iter_mut().zip(&mut part.events) {
            mine.append(theirs);
        }
        all.hours.merge(part.hours);
        all.abroad.merge(part.abroad);
        all.scanned += part.scanned;
    }
    let Part {
        mut events,
        hours,
        abroad,
        scanned,
    } = all;
    for list in &mut events {
        list.sort_unstable_by_key(|e| (e.ts_us, e.id));
    }
    let coverage = coverage::bands(case, &hours, params)?;
    let gap_us = params.session_gap_minutes * crate::model::session::US_PER_MINUTE;
    let sessions = events.iter().map(|evs| sessions(evs, gap_us)).collect();
    let mut loaded = Loaded {
        persons,
        events,
        sessions,
        systems,
        vocab: case.vocabulary()?,
        coverage,
        abroad: Vec::new(),
        events_scanned: scanned,
    };
    loaded.abroad = abroad.finish(case, &loaded)?;
    Ok(loaded)
}

static PARALLEL_SCAN_MIN_SPAN: std::sync::atomic::AtomicI64 =
    std::sync::atomic::AtomicI64::new(500_000);

/// Cases whose event ids span fewer than `span` are scanned on one thread (default 500 000).
/// For tests, which check that a split scan gives the same answers on small cases.
#[doc(hidden)]
pub fn set_parallel_scan_min_span(span: i64) {
    PARALLEL_SCAN_MIN_SPAN.store(span, std::sync::atomic::Ordering::Relaxed);
}

/// Scans `event` in as many id ranges as there are cores (at most 4), each on its own
/// read-only connection and named thread, folding rows into a state made by `init`; returns
/// the states in id order. A small case is scanned on the calling thread.
pub(crate) fn scan_parallel<T: Send>(
    case: &Case,
    init: impl Fn() -> T + Sync,
    fold: impl Fn(&mut T, &ScanEvent, Option<&str>) + Sync,
) -> Result<Vec<T>> {
    let parts = std::thread::available_parallelism().map_or(1, |n| n.get().min(4)) as i64;
    let range = case.findings().event_id_range()?;
    let (lo, hi) = match range {
        Some((lo, hi))
            if parts > 1
                && hi - lo >= PARALLEL_SCAN_MIN_SPAN.load(std::sync::atomic::Ordering::Relaxed) =>
        {
            (lo, hi)
        }
        _ => {
            let mut t = init();
            case.findings().scan_events(|e, s| fold(&mut t, e, s))?;
            return Ok(vec![t]);
        }
    };
    let step = (hi - lo) / parts + 1;
    let path = case.path().to_path_buf();
    std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for i in 0..parts {
            let (a, b) = (lo + i * step, (lo + (i + 1) * step - 1).min(hi));
            let (init, fold, path) = (&init, &fold, &path);
            let h = std::thread::Builder::new()
                .name(format!("retrace-findings-scan-{i}"))
                .spawn_scoped(scope, move || -> Result<T> {
                    let c = Case::open_read_only(path)?;
                    let mut t = init();
                    c.findings()
                        .scan_events_range(a, b, |e, s| fold(&mut t, e, s))?;
                    Ok(t)
                })
                .map_err(AnalysisError::ThreadStart)?;
            handles.push(h);
        }
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| AnalysisError::ThreadPanicked("a scan thread"))?
            })
            .collect()
    })
}

/// A session of one person's accesses: the index range `lo..=hi` of the person's event list
/// (refused attempts inside the range belong to no session and are skipped).
pub(crate) type Sess = crate::model::session::SessionSpan;

/// The session's access events, oldest first.
pub(crate) fn session_events<'a>(s: &Sess, evs: &'a [Ev]) -> impl Iterator<Item = &'a Ev> + 'a {
    evs[s.lo..=s.hi].iter().filter(|e| e.access)
}

/// Sessions of access events (refused attempts skipped): consecutive gaps under `gap_us`.
pub(crate) fn sessions(events: &[Ev], gap_us: i64) -> Vec<Sess> {
    crate::model::session_spans(events, |e| e.ts_us, |e| e.access, gap_us)
}

/// Names of the distinct systems of some events, sorted.
pub(crate) fn system_names<'a>(l: &Loaded, evs: impl Iterator<Item = &'a Ev>) -> Vec<String> {
    let ids: BTreeSet<i64> = evs.map(|e| e.system_id).collect();
    let mut names: Vec<String> = ids.into_iter().map(|id| l.system_name(id)).collect();
    names.sort();
    names
}

/// "12 access events", "at least 12 access events"; a count of one names its unit in the
/// singular ("1 access event").
pub fn count_phrase(count: u64, unit: &str, at_least: bool) -> String {
    // "hours without events" is plural in its first word, the other units in their last.
    let one = match unit.strip_prefix("hours ") {
        Some(rest) => Some(format!("hour {rest}")),
        None => unit.strip_suffix('s').map(str::to_string),
    };
    let unit = match &one {
        Some(one) if count == 1 => one.as_str(),
        _ => unit,
    };
    if at_least {
        format!("at least {count} {unit}")
    } else {
        format!("{count} {unit}")
    }
}

#[cfg(test)]
mod count_phrase_tests {
    use super::count_phrase;

    #[test]
    fn one_is_singular_and_lower_bounds_say_so() {
        assert_eq!(count_phrase(1, "access events", false), "1 access event");
        assert_eq!(count_phrase(2, "access events", false), "2 access events");
        assert_eq!(count_phrase(0, "records", false), "0 records");
        assert_eq!(
            count_phrase(1, "refused attempts", true),
            "at least 1 refused attempt"
        );
        assert_eq!(
            count_phrase(1, "hours without events", false),
            "1 hour without events"
        );
        assert_eq!(
            count_phrase(1, "distinct data subjects", false),
            "1 distinct data subject"
        );
    }
}
