//! Analysis over a case: what counts as an access, sessions, and per-person figures. Every
//! count here names its unit. Reads through `case`, never SQLite directly.

pub mod findings;
pub mod person;
pub mod subject;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono_tz::Tz;
use serde::Serialize;

use crate::case::{Case, EventRow, Result};
use crate::model::CategorySet;

/// The default session gap: a new session starts when a person's next access comes this long
/// or later after their previous one.
pub const DEFAULT_SESSION_GAP_MINUTES: i64 = 30;

pub use crate::model::is_access;

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
    let mut out: Vec<Session> = Vec::new();
    for e in events.iter().filter(|e| is_access(e.outcome.as_deref())) {
        match out.last_mut() {
            Some(s) if e.ts_us - s.end_us < gap_us => {
                s.end_us = e.ts_us;
                s.event_ids.push(e.id);
                s.systems.extend(e.system.clone());
                s.records += e.records.unwrap_or(0);
            }
            _ => out.push(Session {
                start_us: e.ts_us,
                end_us: e.ts_us,
                event_ids: vec![e.id],
                systems: e.system.clone().into_iter().collect(),
                records: e.records.unwrap_or(0),
            }),
        }
    }
    out
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
        .persons()?
        .into_iter()
        .find(|p| p.key == person_key)
        .and_then(|p| p.zone)
        .and_then(|z| z.parse::<Tz>().ok())
        .unwrap_or(Tz::UTC);
    let events = case.person_events(person_key)?;
    let subjects = case.subject_links(&[person_key], &[])?;
    figures(case, &events, &subjects, zone, gap_minutes)
}

/// Computes an unattributed account's figures (in UTC).
pub fn account_figures(case: &Case, account: &str, gap_minutes: i64) -> Result<ActorFigures> {
    let events = case.account_events(account)?;
    let subjects = case.subject_links(&[], &[account])?;
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
        .filter(|e| is_access(e.outcome.as_deref()))
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
        sessions: sessionize(events, gap_minutes * 60_000_000).len(),
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
