//! Analysis over a case: what counts as an access, sessions, and per-person figures. Every
//! count here names its unit. Reads through `case`, never SQLite directly.

pub mod approval;
mod error;
pub mod findings;
pub mod person;
pub mod rejects;
pub mod subject;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono_tz::Tz;
use serde::Serialize;

pub use error::{AnalysisError, Result};

use crate::case::{Case, EventRow};
use crate::model::CategorySet;
use crate::model::session::US_PER_MINUTE;

/// The default session gap (the one rule of `model::session`): a new session starts when a
/// person's next access comes this long or later after their previous one.
pub use crate::model::SESSION_GAP_MINUTES as DEFAULT_SESSION_GAP_MINUTES;

pub use crate::model::{is_access, is_access_outcome};

/// A run of one person's accesses with gaps under the session gap.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Session {
    pub start_us: i64,
    pub end_us: i64,
    pub event_ids: Vec<i64>,
    pub systems: BTreeSet<String>,
    pub records: i64,
}

/// Splits access events (sorted by time) into sessions: consecutive accesses whose gap is
/// shorter than `gap_us` belong to one session. Non-access events are skipped.
pub fn sessionize(events: &[EventRow], gap_us: i64) -> Vec<Session> {
    let access = |e: &EventRow| is_access_outcome(e.outcome.as_ref());
    crate::model::session_spans(events, |e| e.ts_us, access, gap_us)
        .into_iter()
        .map(|span| {
            let evs = events[span.lo..=span.hi].iter().filter(|e| access(e));
            let mut s = Session {
                start_us: span.start_us,
                end_us: span.end_us,
                event_ids: Vec::new(),
                systems: BTreeSet::new(),
                records: 0,
            };
            for e in evs {
                s.event_ids.push(e.id);
                s.systems.extend(e.system.clone());
                s.records += e.records.unwrap_or(0);
            }
            s
        })
        .collect()
}

/// Figures for one person (or one unattributed account), each in its named unit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ActorFigures {
    /// Access events (denied and failed attempts excluded).
    pub access_events: usize,
    /// Denied or failed attempts.
    pub refused_events: usize,
    pub sessions: usize,
    /// Distinct calendar dates of access, in `zone`.
    pub active_days: usize,
    pub zone: String,
    pub systems: BTreeSet<String>,
    pub categories: Vec<String>,
    pub distinct_subjects: usize,
    pub records: i64,
    pub first_access_us: Option<i64>,
    pub last_access_us: Option<i64>,
}

/// Computes a person's figures; `zone` is the person's own zone (UTC when unknown).
pub fn person_figures(case: &Case, person_key: &str, gap_minutes: i64) -> Result<ActorFigures> {
    let zone = case
        .people()
        .persons()?
        .into_iter()
        .find(|p| p.key == person_key)
        .and_then(|p| p.zone)
        .and_then(|z| z.parse::<Tz>().ok())
        .unwrap_or(Tz::UTC);
    let events = case.people().person_events(person_key)?;
    let subjects = case.subjects().subject_links(&[person_key], &[])?;
    figures(case, &events, &subjects, zone, gap_minutes)
}

/// Computes an unattributed account's figures (in UTC).
pub fn account_figures(case: &Case, account: &str, gap_minutes: i64) -> Result<ActorFigures> {
    let events = case.people().account_events(account)?;
    let subjects = case.subjects().subject_links(&[], &[account])?;
    figures(case, &events, &subjects, Tz::UTC, gap_minutes)
}

fn figures(
    case: &Case,
    events: &[EventRow],
    subject_links: &[(i64, Option<String>, u64)],
    zone: Tz,
    gap_minutes: i64,
) -> Result<ActorFigures> {
    let access: Vec<&EventRow> = events
        .iter()
        .filter(|e| is_access_outcome(e.outcome.as_ref()))
        .collect();
    let mut cats = CategorySet::default();
    let mut days = HashSet::new();
    for e in &access {
        cats = cats.union(CategorySet(e.categories));
        if let Some(dt) = chrono::DateTime::from_timestamp_micros(e.ts_us) {
            days.insert(dt.with_timezone(&zone).date_naive());
        }
    }
    let subjects: HashSet<i64> = subject_links.iter().map(|l| l.0).collect();
    Ok(ActorFigures {
        access_events: access.len(),
        refused_events: events.len() - access.len(),
        sessions: sessionize(events, gap_minutes * US_PER_MINUTE).len(),
        active_days: days.len(),
        zone: zone.name().to_string(),
        systems: access.iter().filter_map(|e| e.system.clone()).collect(),
        categories: case.vocabulary()?.names(cats),
        distinct_subjects: subjects.len(),
        records: access.iter().map(|e| e.records.unwrap_or(0)).sum(),
        first_access_us: access.first().map(|e| e.ts_us),
        last_access_us: access.last().map(|e| e.ts_us),
    })
}

/// Distinct data subjects per (subject country, category name) over subject links.
/// Subjects without a known country count under `"??"`.
pub fn subjects_by_country_category(
    case: &Case,
    links: &[(i64, Option<String>, u64)],
) -> Result<BTreeMap<(String, String), usize>> {
    let vocab = case.vocabulary()?;
    let mut sets: BTreeMap<(String, String), HashSet<i64>> = BTreeMap::new();
    for (subject, country, cats) in links {
        for name in vocab.names(CategorySet(*cats)) {
            let c = country.clone().unwrap_or_else(|| "??".into());
            sets.entry((c, name)).or_default().insert(*subject);
        }
    }
    Ok(sets.into_iter().map(|(k, v)| (k, v.len())).collect())
}
