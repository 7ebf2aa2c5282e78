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

use super::Result;
use super::rejects::{RejectedRow, reject_callouts};
use super::{ActorFigures, is_access_outcome, sessionize};
use crate::case::{ApprovalRow, Case, EventRow, PersonRow};
use crate::model::CategorySet;
use crate::model::session::US_PER_MINUTE;

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
    /// Access events in the session.
    pub events: usize,
    /// The session's first access event (a link to the timeline when its events are not listed).
    pub first_event_id: i64,
    /// The session's access event ids, oldest first; empty when the page does not list events
    /// (see [`PersonPage::events_listed`]).
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
    /// Every event of the person (refused attempts included), oldest first, when
    /// `events_listed`.
    pub events: Vec<EventRow>,
    /// Whether `events` and each session's `event_ids` are filled. A person with more events
    /// than the page lists ([`EVENT_LIST_LIMIT`]) gets counts, charts and sessions only; the
    /// timeline shows the events.
    pub events_listed: bool,
    /// How the figures were obtained: `stored` (per-person tables kept at import) or `scan`
    /// (every event of the person read now: a gap other than the stored one, or a zone whose
    /// offset is not whole hours).
    pub computed_from: &'static str,
    /// The person's refused attempts (denied or failed), oldest first, at most
    /// [`REFUSED_LIST_LIMIT`] (their number is `figures.refused_events`).
    pub refused_attempts: Vec<EventRow>,
    /// Rejected rows of access sources that mention the person, their id or one of their
    /// accounts (`analysis::rejects`): accesses the counts above may lack.
    pub rejected_rows: Vec<RejectedRow>,
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

/// The person with exactly this roster key.
fn person_by_key(case: &Case, person_key: &str) -> Result<Option<PersonRow>> {
    Ok(case
        .people()
        .persons()?
        .into_iter()
        .find(|p| p.key == person_key))
}

/// Finds a person by roster key (`P13`), account name, display or native name (case-insensitive,
/// exact first, then a unique substring).
pub fn find_person(case: &Case, needle: &str) -> Result<Option<PersonRow>> {
    let persons = case.people().persons()?;
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

/// Persons with at most this many events (access and refused) have them listed on the page
/// (and in each session); for more, the page holds counts, charts and sessions only.
pub const EVENT_LIST_LIMIT: usize = 20_000;

/// Builds the person page. `display_zone` bins the second chart.
///
/// At the stored session gap (30 minutes) the figures come from the per-person tables kept at
/// import (`case::person_agg`), so the page costs a few thousand rows whatever the person's
/// event count; at any other gap, or when a chart zone's offset is not whole hours, every
/// event of the person is read ([`person_page_scan`]). Both give the same figures.
pub fn person_page(
    case: &Case,
    person_key: &str,
    gap_minutes: i64,
    display_zone: Tz,
) -> Result<Option<PersonPage>> {
    person_page_with(
        case,
        person_key,
        gap_minutes,
        display_zone,
        EVENT_LIST_LIMIT,
    )
}

/// [`person_page`] listing the person's events only when they have at most
/// `event_list_limit`.
pub fn person_page_with(
    case: &Case,
    person_key: &str,
    gap_minutes: i64,
    display_zone: Tz,
    event_list_limit: usize,
) -> Result<Option<PersonPage>> {
    let Some(person) = person_by_key(case, person_key)? else {
        return Ok(None);
    };
    if let Some(agg) = case.people().person_agg(person_key)?
        && agg.summary.gap_us == gap_minutes * US_PER_MINUTE
        && let Some(page) = stored_page(
            case,
            person.clone(),
            &agg,
            gap_minutes,
            display_zone,
            event_list_limit,
        )?
    {
        return Ok(Some(page));
    }
    person_page_scan(case, person_key, gap_minutes, display_zone)
}

/// The local (year, month, weekday from Monday, hour, date) of a whole UTC hour in `zone`, or
/// `None` when the hour does not map to one local hour (an offset that is not whole hours, or
/// a change of offset inside the hour).
fn local_hour(hour: i64, zone: Tz) -> Option<(i32, u32, usize, usize, chrono::NaiveDate)> {
    use chrono::Offset;
    let start = chrono::DateTime::from_timestamp(hour * 3600, 0)?.with_timezone(&zone);
    let end =
        chrono::DateTime::from_timestamp(hour * 3600 + 3599, 999_999_999)?.with_timezone(&zone);
    let (a, b) = (
        start.offset().fix().local_minus_utc(),
        end.offset().fix().local_minus_utc(),
    );
    (a == b && a % 3600 == 0).then(|| {
        (
            start.year(),
            start.month(),
            start.weekday().num_days_from_monday() as usize,
            start.hour() as usize,
            start.date_naive(),
        )
    })
}

/// Charts (and the set of local dates) from hourly counts; `None` when an hour does not map to
/// one local hour in `zone`.
fn chart_from_hours(
    hours: &[(i64, i64)],
    zone: Tz,
) -> Option<(ActivityChart, HashSet<chrono::NaiveDate>)> {
    let mut months: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    let mut grid = [[0u32; 24]; 7];
    let mut days = HashSet::new();
    for &(hour, n) in hours {
        let (y, m, wd, h, date) = local_hour(hour, zone)?;
        *months.entry((y, m)).or_default() += n as usize;
        grid[wd][h] += n as u32;
        days.insert(date);
    }
    Some((
        ActivityChart {
            zone: zone.name().to_string(),
            monthly_events: months
                .into_iter()
                .map(|((y, m), n)| (format!("{y:04}-{m:02}"), n))
                .collect(),
            weekday_hour_events: grid,
        },
        days,
    ))
}

/// Whether each event is covered, with the first covering approval's ticket (the rule of
/// the module docs); returns (covered, tickets) for a run of events.
fn cover_of<'a>(
    events: impl Iterator<Item = &'a EventRow>,
    approvals: &[ApprovalRow],
) -> (bool, BTreeSet<String>) {
    let mut tickets = BTreeSet::new();
    let mut covered = true;
    for e in events {
        let cover = approvals
            .iter()
            .find(|a| super::approval::covers(a, e.system.as_deref(), e.ts_us));
        match cover {
            Some(a) => tickets.extend(a.ticket.clone()),
            None => covered = false,
        }
    }
    if !covered {
        tickets.clear();
    }
    (covered, tickets)
}

/// The person's own zone (UTC when unknown).
fn person_zone(person: &PersonRow) -> Tz {
    person
        .zone
        .as_deref()
        .and_then(|z| z.parse::<Tz>().ok())
        .unwrap_or(Tz::UTC)
}

/// The approvals held by one person.
fn approvals_of(case: &Case, person_key: &str) -> Result<Vec<ApprovalRow>> {
    Ok(case
        .people()
        .approvals()?
        .into_iter()
        .filter(|a| a.person_key == person_key)
        .collect())
}

/// (category, access events) from (category set, access events) counts: an event counts
/// once under each of its categories.
fn category_events(
    vocab: &crate::model::Vocabulary,
    sets: impl IntoIterator<Item = (u64, usize)>,
) -> Vec<(String, usize)> {
    let mut category_counts: BTreeMap<u32, usize> = BTreeMap::new();
    for (set, n) in sets {
        for bit in CategorySet(set).bits() {
            *category_counts.entry(bit).or_default() += n;
        }
    }
    category_counts
        .into_iter()
        .map(|(bit, n)| (vocab.names(CategorySet(1u64 << bit)).remove(0), n))
        .collect()
}

/// (system, country where it stores data, access events) from per-system counts.
fn system_events(
    systems_info: &[crate::case::SystemInfo],
    by_system: &BTreeMap<String, usize>,
) -> Vec<(String, Option<String>, usize)> {
    by_system
        .iter()
        .map(|(name, n)| {
            let country = systems_info
                .iter()
                .find(|s| &s.name == name)
                .and_then(|s| s.country.clone());
            (name.clone(), country, *n)
        })
        .collect()
}

/// A stored session's cover, from each system's first and last access in the session: one
/// approval holding the whole span covers every event of it; none overlapping it covers none.
/// Anything else reads the session's events.
fn stored_cover(
    case: &Case,
    person_key: &str,
    s: &crate::case::PersonAggSession,
    approvals: &[ApprovalRow],
) -> Result<(bool, BTreeSet<String>)> {
    let mut covered = true;
    let mut tickets = BTreeSet::new();
    let mut exact = true;
    for (system, a, b) in &s.spans {
        let over: Vec<&ApprovalRow> = approvals
            .iter()
            .filter(|ap| {
                Some(&ap.system) == system.as_ref()
                    && ap.valid_from_us <= *b
                    && *a <= ap.valid_to_us
            })
            .collect();
        match over.as_slice() {
            [] => covered = false,
            [one] if one.valid_from_us <= *a && *b <= one.valid_to_us => {
                tickets.extend(one.ticket.clone());
            }
            _ => exact = false,
        }
    }
    if !exact {
        let evs = case
            .people()
            .person_events_between(person_key, s.start_us, s.end_us)?;
        return Ok(cover_of(
            evs.iter().filter(|e| is_access_outcome(e.outcome.as_ref())),
            approvals,
        ));
    }
    if !covered {
        tickets.clear();
    }
    Ok((covered, tickets))
}

/// The stored sessions with their cover; each lists its access event ids when `events` (the
/// person's events, oldest first) is the full list.
fn stored_sessions(
    case: &Case,
    person_key: &str,
    agg: &crate::case::PersonAgg,
    approvals: &[ApprovalRow],
    events: &[EventRow],
    events_listed: bool,
) -> Result<Vec<SessionFigures>> {
    let mut next = 0;
    let mut sessions = Vec::with_capacity(agg.sessions.len());
    for s in &agg.sessions {
        let (covered, tickets) = stored_cover(case, person_key, s, approvals)?;
        let mut event_ids = Vec::new();
        if events_listed {
            while next < events.len() && events[next].ts_us < s.start_us {
                next += 1;
            }
            while next < events.len() && events[next].ts_us <= s.end_us {
                if is_access_outcome(events[next].outcome.as_ref()) {
                    event_ids.push(events[next].id);
                }
                next += 1;
            }
        }
        sessions.push(SessionFigures {
            start_us: s.start_us,
            end_us: s.end_us,
            events: s.events as usize,
            first_event_id: s.first_event_id,
            event_ids,
            systems: s.spans.iter().filter_map(|sp| sp.0.clone()).collect(),
            records: s.records,
            distinct_subjects: s.subjects as usize,
            covered,
            tickets,
        });
    }
    Ok(sessions)
}

/// The page from the stored per-person tables; `None` when a chart zone needs the scan.
fn stored_page(
    case: &Case,
    person: PersonRow,
    agg: &crate::case::PersonAgg,
    gap_minutes: i64,
    display_zone: Tz,
    event_list_limit: usize,
) -> Result<Option<PersonPage>> {
    let zone = person_zone(&person);
    let Some((own_zone_chart, days)) = chart_from_hours(&agg.hours, zone) else {
        return Ok(None);
    };
    let Some((display_zone_chart, _)) = chart_from_hours(&agg.hours, display_zone) else {
        return Ok(None);
    };
    let vocab = case.vocabulary()?;
    let approvals = approvals_of(case, &person.key)?;
    let mut cats = CategorySet::default();
    let mut by_system: BTreeMap<String, usize> = BTreeMap::new();
    for (system, set, n) in &agg.reach {
        cats = cats.union(CategorySet(*set));
        if let Some(s) = system {
            *by_system.entry(s.clone()).or_default() += *n as usize;
        }
    }
    let category_events = category_events(
        &vocab,
        agg.reach.iter().map(|(_, set, n)| (*set, *n as usize)),
    );
    let system_events = system_events(&case.timeline().systems()?, &by_system);

    let sum = &agg.summary;
    let events_listed = (sum.access_events + sum.refused_events) as usize <= event_list_limit;
    let events = if events_listed {
        case.people().person_events(&person.key)?
    } else {
        Vec::new()
    };
    let sessions = stored_sessions(case, &person.key, agg, &approvals, &events, events_listed)?;
    let covered_sessions = sessions.iter().filter(|s| s.covered).count();
    let figures = ActorFigures {
        access_events: sum.access_events as usize,
        refused_events: sum.refused_events as usize,
        sessions: sessions.len(),
        active_days: days.len(),
        zone: zone.name().to_string(),
        systems: by_system.into_keys().collect(),
        categories: vocab.names(cats),
        distinct_subjects: sum.distinct_subjects as usize,
        records: sum.records,
        first_access_us: sum.first_access_us,
        last_access_us: sum.last_access_us,
    };
    let lookalike = lookalike_accounts(&person, &case.people().unmapped_accounts()?);
    let mut page = PersonPage {
        own_zone_chart,
        display_zone_chart,
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
        events_listed,
        computed_from: "stored",
        person,
        refused_attempts: Vec::new(),
        rejected_rows: Vec::new(),
    };
    // The stored count says whether there are any: without, the listing (which reads every
    // event of the person for its outcome) is skipped.
    add_refused_and_rejects(case, &mut page, sum.refused_events > 0)?;
    Ok(Some(page))
}

/// The sessions of a person's events (oldest first) at `gap_us`, with their subjects and cover.
fn scan_sessions(
    events: &[EventRow],
    subject_lists: &HashMap<i64, Vec<i64>>,
    approvals: &[ApprovalRow],
    gap_us: i64,
) -> Vec<SessionFigures> {
    let by_id: HashMap<i64, &EventRow> = events.iter().map(|e| (e.id, e)).collect();
    sessionize(events, gap_us)
        .into_iter()
        .map(|s| {
            let mut subj: HashSet<i64> = HashSet::new();
            for id in &s.event_ids {
                if let Some(list) = subject_lists.get(id) {
                    subj.extend(list);
                }
            }
            let (covered, tickets) = cover_of(s.event_ids.iter().map(|id| by_id[id]), approvals);
            SessionFigures {
                start_us: s.start_us,
                end_us: s.end_us,
                events: s.event_ids.len(),
                first_event_id: s.event_ids[0],
                event_ids: s.event_ids,
                systems: s.systems,
                records: s.records,
                distinct_subjects: subj.len(),
                covered,
                tickets,
            }
        })
        .collect()
}

/// The person page from every one of the person's events, read now: any session gap.
pub fn person_page_scan(
    case: &Case,
    person_key: &str,
    gap_minutes: i64,
    display_zone: Tz,
) -> Result<Option<PersonPage>> {
    let Some(person) = person_by_key(case, person_key)? else {
        return Ok(None);
    };
    let zone = person_zone(&person);
    let events = case.people().person_events(person_key)?;
    let subject_lists: HashMap<i64, Vec<i64>> = case
        .subjects()
        .person_event_subjects(person_key)?
        .into_iter()
        .collect();
    let vocab = case.vocabulary()?;
    let approvals = approvals_of(case, person_key)?;

    let access: Vec<&EventRow> = events
        .iter()
        .filter(|e| is_access_outcome(e.outcome.as_ref()))
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
    let category_events = category_events(&vocab, by_cats);
    let system_events = system_events(&case.timeline().systems()?, &by_system);
    let sessions = scan_sessions(
        &events,
        &subject_lists,
        &approvals,
        gap_minutes * US_PER_MINUTE,
    );
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
    let lookalike = lookalike_accounts(&person, &case.people().unmapped_accounts()?);
    let mut page = PersonPage {
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
        events_listed: true,
        computed_from: "scan",
        person,
        refused_attempts: Vec::new(),
        rejected_rows: Vec::new(),
    };
    add_refused_and_rejects(case, &mut page, false)?;
    // From the events just read (the stored page reads them by their outcome instead).
    page.refused_attempts = page
        .events
        .iter()
        .filter(|e| !is_access_outcome(e.outcome.as_ref()))
        .take(REFUSED_LIST_LIMIT)
        .cloned()
        .collect();
    Ok(Some(page))
}

/// A person page lists at most this many refused attempts (all of them are counted).
pub const REFUSED_LIST_LIMIT: usize = 1_000;

/// The person's refused attempts (read only when `any_refused`: the person's figures count
/// some) and the rejected rows that mention them.
fn add_refused_and_rejects(case: &Case, page: &mut PersonPage, any_refused: bool) -> Result<()> {
    let key = page.person.key.clone();
    page.refused_attempts = if any_refused {
        case.people().refused_events(&key, REFUSED_LIST_LIMIT)?
    } else {
        Vec::new()
    };
    page.rejected_rows = reject_callouts(case)?.for_person(&key).cloned().collect();
    Ok(())
}
