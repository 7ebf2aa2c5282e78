//! The person page: everything the drill-down on one person shows, computed in one pass over
//! the person's events. Every count names its unit; every time is UTC microseconds, and the
//! charts say which zone they were binned in.
//!
//! Session rule: a session is a maximal run of one person's access events (outcome neither
//! denied nor failed), across all sources sorted by UTC time, whose consecutive gaps are
//! shorter than the gap threshold (default 30 minutes). A session is covered when every one of
//! its events lies inside an approval (valid_from ≤ ts ≤ valid_to) for that person and that
//! event's system.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, Timelike};
use chrono_tz::Tz;
use serde::Serialize;

use super::{ActorFigures, is_access, sessionize};
use crate::case::{ApprovalRow, Case, EventRow, PersonRow, Result};
use crate::model::CategorySet;

/// The session rule in words, shown beside the session count.
pub fn session_rule(gap_minutes: i64) -> String {
    format!(
        "a session = consecutive access events of one person, across all sources, with gaps under {gap_minutes} min; refused attempts belong to no session"
    )
}

/// One session with its figures.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SessionFigures {
    pub start_us: i64,
    pub end_us: i64,
    pub event_ids: Vec<i64>,
    pub systems: BTreeSet<String>,
    pub records: i64,
    pub distinct_subjects: usize,
    /// Every event inside an approval for this person and that event's system.
    pub covered: bool,
    /// Tickets of the approvals that cover the session's events (empty when not covered).
    pub tickets: BTreeSet<String>,
}

/// Events per month (`YYYY-MM`) and per weekday × hour (Monday = 0), in one zone.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ActivityChart {
    pub zone: String,
    /// (month `YYYY-MM`, access events)
    pub monthly_events: Vec<(String, usize)>,
    /// `[weekday][hour]` access events, weekday 0 = Monday.
    pub weekday_hour_events: [[u32; 24]; 7],
}

/// Everything on a person page.
#[derive(Debug, Clone, Serialize)]
pub struct PersonPage {
    pub person: PersonRow,
    /// Unmapped accounts whose names look like this person's (a shared name stem): hints only.
    pub lookalike_accounts: Vec<String>,
    pub gap_minutes: i64,
    pub session_rule: String,
    pub figures: ActorFigures,
    /// (category, access events carrying it)
    pub category_events: Vec<(String, usize)>,
    /// (system, country where it stores data, access events)
    pub system_events: Vec<(String, Option<String>, usize)>,
    /// Binned in the person's own zone.
    pub own_zone_chart: ActivityChart,
    /// Binned in the display zone.
    pub display_zone_chart: ActivityChart,
    /// Approvals for this person, oldest first.
    pub approvals: Vec<ApprovalRow>,
    pub sessions: Vec<SessionFigures>,
    pub covered_sessions: usize,
    pub uncovered_sessions: usize,
    /// Every event of the person (refused attempts included), oldest first.
    pub events: Vec<EventRow>,
}

impl PersonPage {
    pub fn event(&self, id: i64) -> Option<&EventRow> {
        self.events
            .binary_search_by_key(&id, |e| e.id)
            .ok()
            .map(|i| &self.events[i])
            .or_else(|| self.events.iter().find(|e| e.id == id))
    }
}

/// Finds a person by roster key (`P13`), account name, display or native name (case-insensitive,
/// exact first, then a unique substring).
pub fn find_person(case: &Case, needle: &str) -> Result<Option<PersonRow>> {
    let persons = case.persons()?;
    let n = needle.trim().to_lowercase();
    let exact = persons.iter().find(|p| {
        p.key.to_lowercase() == n
            || p.display_name.to_lowercase() == n
            || p.native_name.as_deref() == Some(needle.trim())
            || p.accounts.iter().any(|a| a.to_lowercase() == n)
    });
    if let Some(p) = exact {
        return Ok(Some(p.clone()));
    }
    let partial: Vec<&PersonRow> = persons
        .iter()
        .filter(|p| {
            !n.is_empty()
                && (p.display_name.to_lowercase().contains(&n)
                    || p.native_name
                        .as_deref()
                        .is_some_and(|x| x.contains(needle.trim())))
        })
        .collect();
    Ok(match partial.as_slice() {
        [one] => Some((*one).clone()),
        _ => None,
    })
}

/// Lower-case alphanumeric tokens of three or more characters, without generic prefixes.
fn stems(text: &str) -> Vec<String> {
    const GENERIC: &[&str] = &["db", "svc", "tmp", "admin", "user", "example", "com", "jp"];
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|t| t.chars().count() >= 3 && !GENERIC.contains(&t.as_str()))
        .collect()
}

/// Unmapped accounts sharing a name stem with the person's name or accounts.
pub fn lookalike_accounts(person: &PersonRow, unmapped: &[String]) -> Vec<String> {
    let mut mine: HashSet<String> = stems(&person.display_name).into_iter().collect();
    for a in &person.accounts {
        // The local part of an e-mail-like account is the name; the domain is the employer.
        let local = a.split('@').next().unwrap_or(a);
        mine.extend(stems(local));
    }
    unmapped
        .iter()
        .filter(|u| {
            let local = u.split('@').next().unwrap_or(u);
            stems(local).iter().any(|s| mine.contains(s))
        })
        .cloned()
        .collect()
}

fn chart(access: &[&EventRow], zone: Tz) -> ActivityChart {
    let mut months: BTreeMap<String, usize> = BTreeMap::new();
    let mut grid = [[0u32; 24]; 7];
    for e in access {
        if let Some(dt) = chrono::DateTime::from_timestamp_micros(e.ts_us) {
            let local = dt.with_timezone(&zone);
            *months
                .entry(format!("{:04}-{:02}", local.year(), local.month()))
                .or_default() += 1;
            grid[local.weekday().num_days_from_monday() as usize][local.hour() as usize] += 1;
        }
    }
    ActivityChart {
        zone: zone.name().to_string(),
        monthly_events: months.into_iter().collect(),
        weekday_hour_events: grid,
    }
}

/// Builds the person page. `display_zone` bins the second chart.
pub fn person_page(
    case: &Case,
    person_key: &str,
    gap_minutes: i64,
    display_zone: Tz,
) -> Result<Option<PersonPage>> {
    let Some(person) = case.persons()?.into_iter().find(|p| p.key == person_key) else {
        return Ok(None);
    };
    let zone = person
        .zone
        .as_deref()
        .and_then(|z| z.parse::<Tz>().ok())
        .unwrap_or(Tz::UTC);
    let events = case.person_events(person_key)?;
    let subject_lists: HashMap<i64, Vec<i64>> = case
        .person_event_subjects(person_key)?
        .into_iter()
        .collect();
    let vocab = case.vocabulary()?;
    let systems_info = case.systems()?;
    let approvals: Vec<ApprovalRow> = case
        .approvals()?
        .into_iter()
        .filter(|a| a.person_key == person_key)
        .collect();

    let access: Vec<&EventRow> = events
        .iter()
        .filter(|e| is_access(e.outcome.as_deref()))
        .collect();
    let mut cats = CategorySet::default();
    let mut days = HashSet::new();
    let mut by_cats: HashMap<u64, usize> = HashMap::new();
    let mut by_system: BTreeMap<String, usize> = BTreeMap::new();
    let mut subjects: HashSet<i64> = HashSet::new();
    for e in &access {
        cats = cats.union(CategorySet(e.categories));
        *by_cats.entry(e.categories).or_default() += 1;
        if let Some(s) = &e.system {
            *by_system.entry(s.clone()).or_default() += 1;
        }
        if let Some(dt) = chrono::DateTime::from_timestamp_micros(e.ts_us) {
            days.insert(dt.with_timezone(&zone).date_naive());
        }
        if let Some(list) = subject_lists.get(&e.id) {
            subjects.extend(list);
        }
    }
    let mut category_counts: BTreeMap<u32, usize> = BTreeMap::new();
    for (set, n) in by_cats {
        for bit in CategorySet(set).bits() {
            *category_counts.entry(bit).or_default() += n;
        }
    }
    let category_events = category_counts
        .into_iter()
        .map(|(bit, n)| (vocab.names(CategorySet(1u64 << bit)).remove(0), n))
        .collect();
    let system_events = by_system
        .into_iter()
        .map(|(name, n)| {
            let country = systems_info
                .iter()
                .find(|s| s.name == name)
                .and_then(|s| s.country.clone());
            (name, country, n)
        })
        .collect();

    let by_id: HashMap<i64, &EventRow> = events.iter().map(|e| (e.id, e)).collect();
    let sessions: Vec<SessionFigures> = sessionize(&events, gap_minutes * 60_000_000)
        .into_iter()
        .map(|s| {
            let mut tickets = BTreeSet::new();
            let mut covered = true;
            let mut subj: HashSet<i64> = HashSet::new();
            for id in &s.event_ids {
                let e = by_id[id];
                if let Some(list) = subject_lists.get(id) {
                    subj.extend(list);
                }
                let cover = approvals.iter().find(|a| {
                    Some(&a.system) == e.system.as_ref()
                        && a.valid_from_us <= e.ts_us
                        && e.ts_us <= a.valid_to_us
                });
                match cover {
                    Some(a) => tickets.extend(a.ticket.clone()),
                    None => covered = false,
                }
            }
            if !covered {
                tickets.clear();
            }
            SessionFigures {
                start_us: s.start_us,
                end_us: s.end_us,
                event_ids: s.event_ids,
                systems: s.systems,
                records: s.records,
                distinct_subjects: subj.len(),
                covered,
                tickets,
            }
        })
        .collect();
    let covered_sessions = sessions.iter().filter(|s| s.covered).count();

    let figures = ActorFigures {
        access_events: access.len(),
        refused_events: events.len() - access.len(),
        sessions: sessions.len(),
        active_days: days.len(),
        zone: zone.name().to_string(),
        systems: access.iter().filter_map(|e| e.system.clone()).collect(),
        categories: vocab.names(cats),
        distinct_subjects: subjects.len(),
        records: access.iter().map(|e| e.records.unwrap_or(0)).sum(),
        first_access_us: access.first().map(|e| e.ts_us),
        last_access_us: access.last().map(|e| e.ts_us),
    };
    let lookalike = lookalike_accounts(&person, &case.unmapped_accounts()?);
    Ok(Some(PersonPage {
        own_zone_chart: chart(&access, zone),
        display_zone_chart: chart(&access, display_zone),
        lookalike_accounts: lookalike,
        gap_minutes,
        session_rule: session_rule(gap_minutes),
        figures,
        category_events,
        system_events,
        approvals,
        uncovered_sessions: sessions.len() - covered_sessions,
        covered_sessions,
        sessions,
        events,
        person,
    }))
}
