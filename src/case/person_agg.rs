//! Per-person figures derived from the events (schema 3: `person_summary`, `person_hour`,
//! `person_reach`, `person_session`), so a person page reads a few thousand rows instead of
//! every one of the person's events.
//!
//! Nothing here is evidence: [`rebuild_persons`] recomputes a person's rows from `event`,
//! `account` and `person` alone. Distinct subjects and sessions do not add up across days or
//! accounts, so a person's rows are always recomputed whole, from all of the person's events,
//! never patched: at the end of every import for the persons it touched (persons whose
//! accounts got events, persons a roster mapped accounts to, persons without rows yet), and for
//! every person when a case is upgraded to schema 3. [`People::person_tables_mismatches`]
//! recomputes everything in memory and names the persons whose stored rows differ.
//!
//! Definitions are those of `analysis`: an access is an event whose outcome is neither
//! `denied` nor `failed`; a session is a maximal run of one person's access events, across all
//! of the person's accounts in UTC order (ties by event id), whose consecutive gaps are shorter
//! than the session gap (`model::session`, [`SESSION_GAP_US`]).

use super::facade::People;
use std::collections::{BTreeMap, HashMap};

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::read::{EVENT_COLS, event_row};
use super::write::{FastHash, insert_int_rows};
use crate::model::is_access;
use crate::model::session::{SESSION_GAP_US, same_session};

const HOUR_US: i64 = 3_600_000_000;

/// When the persons to rebuild own at least this share of the case's events, one sequential
/// scan of `event` is cheaper than reading their events through the account index (one
/// random row read per event).
const SCAN_SHARE_DIVISOR: i64 = 8;

/// One event as the rebuild needs it (40 bytes, so millions fit).
#[derive(Clone, Copy)]
struct Ev {
    ts_us: i64,
    categories: u64,
    records: i64,
    id: u32,
    system_id: u32,
    subj_off: u32,
    subj_len: u32,
}

/// A person's derived rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PersonAggRows {
    pub summary: AggSummary,
    /// (UTC hour, access events), hour ascending.
    pub hours: Vec<(i64, i64)>,
    /// (system id or 0, categories, access events), key ascending.
    pub reach: Vec<(i64, u64, i64)>,
    pub sessions: Vec<AggSession>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AggSummary {
    pub gap_us: i64,
    pub access_events: i64,
    pub refused_events: i64,
    pub records: i64,
    pub distinct_subjects: i64,
    pub first_access_us: Option<i64>,
    pub last_access_us: Option<i64>,
    pub sessions: i64,
}

/// A stored session.
#[derive(Debug, Clone, PartialEq)]
pub struct AggSession {
    pub start_us: i64,
    pub end_us: i64,
    pub events: i64,
    pub records: i64,
    pub subjects: i64,
    pub first_event_id: i64,
    /// (system id or 0, first access, last access) per system, system id ascending.
    pub spans: Vec<(i64, i64, i64)>,
    /// The distinct subjects, as [`encode_set`] writes them.
    pub subject_set: Vec<u8>,
}

/// A set of subject ids as `person_session.subject_set` stores it: ascending, each as the
/// LEB128 varint of its difference from the previous one (the first from 0). `ids` must be
/// ascending and distinct.
fn encode_set(ids: &[i64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ids.len() * 2);
    let mut prev = 0i64;
    for &id in ids {
        let mut d = id.wrapping_sub(prev) as u64;
        prev = id;
        while d >= 0x80 {
            out.push((d as u8) | 0x80);
            d >>= 7;
        }
        out.push(d as u8);
    }
    out
}

/// The ids of an [`encode_set`] blob, ascending.
fn decode_set(bytes: &[u8], out: &mut Vec<i64>) {
    let (mut prev, mut d, mut shift) = (0i64, 0u64, 0u32);
    for &b in bytes {
        d |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
        shift += 7;
        if b < 0x80 {
            prev = prev.wrapping_add(d as i64);
            out.push(prev);
            d = 0;
            shift = 0;
        }
    }
}

impl AggSession {
    fn spans_text(&self) -> String {
        self.spans
            .iter()
            .map(|(s, a, b)| format!("{s}:{a}:{b}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn parse_spans(text: &str) -> Vec<(i64, i64, i64)> {
        text.split_ascii_whitespace()
            .filter_map(|t| {
                let mut p = t.split(':').map(|v| v.parse::<i64>().ok());
                Some((p.next()??, p.next()??, p.next()??))
            })
            .collect()
    }
}

/// A person's derived figures with names resolved, for the person page.
#[derive(Debug, Clone)]
pub struct PersonAgg {
    pub summary: AggSummary,
    pub hours: Vec<(i64, i64)>,
    /// (system name, categories, access events); `None` for events without a system.
    pub reach: Vec<(Option<String>, u64, i64)>,
    pub sessions: Vec<PersonAggSession>,
}

/// A stored session with system names.
#[derive(Debug, Clone)]
pub struct PersonAggSession {
    pub start_us: i64,
    pub end_us: i64,
    pub events: i64,
    pub records: i64,
    pub subjects: i64,
    pub first_event_id: i64,
    /// (system name or `None`, first access, last access) per system.
    pub spans: Vec<(Option<String>, i64, i64)>,
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Reads the events of the given accounts, grouped by person index (`account -> person index`),
/// with every linked subject id in `arena`. Refused attempts are kept (counted apart).
fn load_events(
    conn: &Connection,
    account_person: &HashMap<i64, usize>,
    persons: usize,
    arena: &mut Vec<u32>,
) -> rusqlite::Result<(Vec<Vec<Ev>>, Vec<i64>)> {
    let mut out: Vec<Vec<Ev>> = vec![Vec::new(); persons];
    let mut refused = vec![0i64; persons];
    if account_person.is_empty() {
        return Ok((out, refused));
    }
    let mut accounts: Vec<i64> = account_person.keys().copied().collect();
    accounts.sort_unstable();
    let list = id_list(&accounts);
    // Each person's event count from the per-day aggregate: the vectors are sized once, so
    // millions of events are not copied while they grow.
    let mut expected = 0i64;
    {
        let mut st = conn.prepare(&format!(
            "SELECT account_id, sum(n) FROM agg_day WHERE account_id IN ({list}) GROUP BY account_id"
        ))?;
        let mut rows = st.query([])?;
        let mut per = vec![0usize; persons];
        while let Some(r) = rows.next()? {
            let (account, n): (i64, i64) = (r.get(0)?, r.get(1)?);
            expected += n;
            if let Some(&p) = account_person.get(&account) {
                per[p] += n.max(0) as usize;
            }
        }
        for (v, n) in out.iter_mut().zip(per) {
            v.reserve_exact(n);
        }
        // Most events carry one or two subjects.
        arena.reserve(2 * expected.max(0) as usize);
    }
    let total: i64 = conn.query_row(
        "SELECT coalesce(sum(n), 0) FROM agg_day WHERE account_id <> 0",
        [],
        |r| r.get(0),
    )?;
    // The id list holds integers this function formatted, never text from a file.
    let from = if expected * SCAN_SHARE_DIVISOR >= total {
        "event NOT INDEXED"
    } else {
        "event"
    };
    let sql = format!(
        "SELECT account_id, id, ts_us, system_id, categories, records, outcome, subject_ids
         FROM {from} WHERE account_id IN ({list})"
    );
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query([])?;
    let narrow = |v: i64| {
        u32::try_from(v).map_err(|_| {
            rusqlite::Error::ToSqlConversionFailure(
                format!("row id {v} is beyond the 2^32 this case format supports").into(),
            )
        })
    };
    while let Some(r) = rows.next()? {
        let account: i64 = r.get(0)?;
        let Some(&p) = account_person.get(&account) else {
            continue;
        };
        let outcome = r.get_ref(6)?.as_str_or_null()?;
        if !is_access(outcome) {
            refused[p] += 1;
            continue;
        }
        let subj_off = arena.len();
        if let Some(ids) = r.get_ref(7)?.as_str_or_null()? {
            arena.extend(
                ids.split_ascii_whitespace()
                    .filter_map(|t| t.parse::<u32>().ok()),
            );
        }
        out[p].push(Ev {
            ts_us: r.get(2)?,
            categories: r.get::<_, i64>(4)? as u64,
            records: r.get::<_, Option<i64>>(5)?.unwrap_or(0),
            id: narrow(r.get(1)?)?,
            system_id: narrow(r.get::<_, Option<i64>>(3)?.unwrap_or(0))?,
            subj_off: narrow(subj_off as i64)?,
            subj_len: narrow((arena.len() - subj_off) as i64)?,
        });
    }
    Ok((out, refused))
}

/// Computes one person's rows from their access events (any order) and refused count, with
/// the code an import folds its events with.
fn compute(mut evs: Vec<Ev>, refused: i64, arena: &[u32], gap_us: i64) -> PersonAggRows {
    evs.sort_unstable_by_key(|e| (e.ts_us, e.id));
    let mut p = Partial::new();
    p.refused_events = refused;
    let mut all_subjects: Vec<u32> = Vec::new();
    let mut subjects: Vec<i64> = Vec::new();
    for e in &evs {
        let subj = &arena[e.subj_off as usize..(e.subj_off + e.subj_len) as usize];
        all_subjects.extend_from_slice(subj);
        subjects.clear();
        subjects.extend(subj.iter().map(|&s| i64::from(s)));
        p.add_access(
            &StreamEvent {
                id: i64::from(e.id),
                ts_us: e.ts_us,
                account_id: None,
                system_id: Some(i64::from(e.system_id)),
                categories: e.categories,
                records: Some(e.records),
                access: true,
                subjects: &subjects,
            },
            gap_us,
        );
    }
    p.close_session();
    all_subjects.sort_unstable();
    all_subjects.dedup();
    let (hours, reach) = p.sorted_counts();
    PersonAggRows {
        summary: AggSummary {
            gap_us,
            access_events: p.access_events,
            refused_events: p.refused_events,
            records: p.records,
            distinct_subjects: all_subjects.len() as i64,
            first_access_us: p.first_access_us,
            last_access_us: p.last_access_us,
            sessions: p.sessions.len() as i64,
        },
        hours,
        reach,
        sessions: p.sessions,
    }
}

/// Computes the rows of `persons` (person row ids) from the events.
fn compute_persons(
    conn: &Connection,
    persons: &[i64],
) -> rusqlite::Result<Vec<(i64, PersonAggRows)>> {
    let index: HashMap<i64, usize> = persons.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let mut account_person: HashMap<i64, usize> = HashMap::new();
    {
        let mut st =
            conn.prepare("SELECT id, person_id FROM account WHERE person_id IS NOT NULL")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let (account, person): (i64, i64) = (r.get(0)?, r.get(1)?);
            if let Some(&i) = index.get(&person) {
                account_person.insert(account, i);
            }
        }
    }
    let mut arena = Vec::new();
    let (events, refused) = load_events(conn, &account_person, persons.len(), &mut arena)?;
    Ok(persons
        .iter()
        .zip(events)
        .zip(refused)
        .map(|((p, evs), r)| (*p, compute(evs, r, &arena, SESSION_GAP_US)))
        .collect())
}

fn write_rows(conn: &Connection, person: i64, rows: &PersonAggRows) -> rusqlite::Result<()> {
    for table in [
        "person_summary",
        "person_hour",
        "person_reach",
        "person_session",
    ] {
        conn.prepare_cached(&format!("DELETE FROM {table} WHERE person_id = ?1"))?
            .execute([person])?;
    }
    write_summary(conn, person, &rows.summary)?;
    add_counts(conn, person, &rows.hours, &rows.reach)?;
    insert_sessions(conn, person, &rows.sessions)
}

/// Stores (replaces) a person's summary row.
fn write_summary(conn: &Connection, person: i64, s: &AggSummary) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO person_summary(person_id, gap_us, access_events, refused_events,
            records, distinct_subjects, first_access_us, last_access_us, sessions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        person,
        s.gap_us,
        s.access_events,
        s.refused_events,
        s.records,
        s.distinct_subjects,
        s.first_access_us,
        s.last_access_us,
        s.sessions
    ])?;
    Ok(())
}

/// Adds hourly and per-(system, categories) counts to a person's rows.
fn add_counts(
    conn: &Connection,
    person: i64,
    hours: &[(i64, i64)],
    reach: &[(i64, u64, i64)],
) -> rusqlite::Result<()> {
    let hours: Vec<[i64; 3]> = hours.iter().map(|(h, n)| [person, *h, *n]).collect();
    insert_int_rows(
        conn,
        "INSERT OR FAIL INTO person_hour(person_id, hour, n) VALUES ",
        "ON CONFLICT(person_id, hour) DO UPDATE SET n = n + excluded.n",
        &hours,
    )?;
    let reach: Vec<[i64; 4]> = reach
        .iter()
        .map(|(sys, cats, n)| [person, *sys, *cats as i64, *n])
        .collect();
    insert_int_rows(
        conn,
        "INSERT OR FAIL INTO person_reach(person_id, system_id, categories, n) VALUES ",
        "ON CONFLICT(person_id, system_id, categories) DO UPDATE SET n = n + excluded.n",
        &reach,
    )
}

fn insert_sessions(
    conn: &Connection,
    person: i64,
    sessions: &[AggSession],
) -> rusqlite::Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT INTO person_session(person_id, start_us, end_us, events, records, subjects,
            first_event_id, spans, subject_set) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for x in sessions {
        st.execute(params![
            person,
            x.start_us,
            x.end_us,
            x.events,
            x.records,
            x.subjects,
            x.first_event_id,
            x.spans_text(),
            x.subject_set
        ])?;
    }
    Ok(())
}

/// Recomputes and stores the derived rows of `persons` (person row ids). Runs inside the
/// caller's transaction.
pub(super) fn rebuild_persons(conn: &Connection, persons: &[i64]) -> rusqlite::Result<()> {
    if persons.is_empty() {
        return Ok(());
    }
    for (p, rows) in compute_persons(conn, persons)? {
        write_rows(conn, p, &rows)?;
    }
    Ok(())
}

fn all_persons(conn: &Connection) -> rusqlite::Result<Vec<i64>> {
    let mut st = conn.prepare("SELECT id FROM person ORDER BY id")?;
    let rows = st.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// Recomputes every person's rows (the upgrade to schema 3).
pub(super) fn rebuild_all(conn: &Connection) -> rusqlite::Result<()> {
    rebuild_persons(conn, &all_persons(conn)?)
}

/// The import hook, run after the import's events and `account_subject` rows are written
/// (inside its transaction): folds `stream` (the import's events, gathered as they were parsed)
/// into the stored rows of the persons it touched, recomputes from all of their events the
/// persons it cannot fold (see [`Stream::apply`]) and those that source `source_id` mapped
/// accounts to (a roster), and gives persons without rows theirs.
pub(super) fn refresh_after_import(
    conn: &Connection,
    source_id: i64,
    stream: Option<Stream>,
) -> rusqlite::Result<()> {
    let mut persons = match stream {
        Some(stream) => stream.apply(conn)?,
        None => Vec::new(),
    };
    let mut st = conn.prepare(
        "SELECT DISTINCT person_id FROM account WHERE source_id = ?1 AND person_id IS NOT NULL
         UNION SELECT id FROM person WHERE id NOT IN (SELECT person_id FROM person_summary)",
    )?;
    persons.extend(
        st.query_map([source_id], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    );
    persons.sort_unstable();
    persons.dedup();
    rebuild_persons(conn, &persons)
}

/// (system id or 0, categories, access events).
type Reach = (i64, u64, i64);

/// The least length at which a session's open subject list is deduplicated.
const MIN_COMPACT_AT: usize = 1 << 16;

/// One person's figures from one import's events, gathered in arrival order.
struct Partial {
    access_events: i64,
    refused_events: i64,
    records: i64,
    first_access_us: Option<i64>,
    last_access_us: Option<i64>,
    hours: HashMap<i64, i64, FastHash>,
    /// The hour the last events fell in and how many did (not yet in `hours`): events in
    /// time order mostly fall in the hour of the one before.
    hour_run: (i64, i64),
    reach: HashMap<(i64, u64), i64, FastHash>,
    /// The sessions of these events alone, the last one open (its subjects in `open_subjects`).
    sessions: Vec<AggSession>,
    open_subjects: Vec<i64>,
    /// `open_subjects` is sorted and deduplicated when it reaches this length (then set to
    /// twice what is left): a session that never pauses for `gap_us` — a service account,
    /// or a busy person over a generated case — would otherwise hold every subject of every
    /// one of its events (8 bytes each, ~600 MiB at 100 M events), not each subject once.
    compact_at: usize,
    /// Whether the access events came in time order (ties in id order, which is arrival
    /// order). Only then are `sessions` kept; otherwise the person is recomputed whole.
    ordered: bool,
}

impl Partial {
    fn new() -> Partial {
        Partial {
            access_events: 0,
            refused_events: 0,
            records: 0,
            first_access_us: None,
            last_access_us: None,
            hours: HashMap::default(),
            hour_run: (0, 0),
            reach: HashMap::default(),
            sessions: Vec::new(),
            open_subjects: Vec::new(),
            compact_at: MIN_COMPACT_AT,
            ordered: true,
        }
    }

    /// Adds an access event; sessions are cut at `gap_us` while events come in time order.
    fn add_access(&mut self, e: &StreamEvent, gap_us: i64) {
        self.access_events += 1;
        let records = e.records.unwrap_or(0);
        self.records += records;
        let hour = e.ts_us.div_euclid(HOUR_US);
        if self.hour_run.0 == hour {
            self.hour_run.1 += 1;
        } else {
            if self.hour_run.1 > 0 {
                *self.hours.entry(self.hour_run.0).or_default() += self.hour_run.1;
            }
            self.hour_run = (hour, 1);
        }
        let sys = e.system_id.unwrap_or(0);
        *self.reach.entry((sys, e.categories)).or_default() += 1;
        self.first_access_us = min_opt(self.first_access_us, Some(e.ts_us));
        if self.last_access_us.is_some_and(|t| e.ts_us < t) {
            self.ordered = false;
            self.sessions = Vec::new();
            self.open_subjects = Vec::new();
        }
        self.last_access_us = max_opt(self.last_access_us, Some(e.ts_us));
        if !self.ordered {
            return;
        }
        let joins = self
            .sessions
            .last()
            .is_some_and(|s| same_session(s.end_us, e.ts_us, gap_us));
        if !joins {
            self.close_session();
            self.sessions.push(AggSession {
                start_us: e.ts_us,
                end_us: e.ts_us,
                events: 0,
                records: 0,
                subjects: 0,
                first_event_id: e.id,
                spans: Vec::new(),
                subject_set: Vec::new(),
            });
        }
        let s = self.sessions.last_mut().expect("a session was just pushed");
        s.end_us = e.ts_us;
        s.events += 1;
        s.records += records;
        self.open_subjects.extend_from_slice(e.subjects);
        if self.open_subjects.len() >= self.compact_at {
            self.open_subjects.sort_unstable();
            self.open_subjects.dedup();
            self.compact_at = (2 * self.open_subjects.len()).max(MIN_COMPACT_AT);
        }
        match s.spans.iter_mut().find(|sp| sp.0 == sys) {
            Some(sp) => sp.2 = e.ts_us,
            None => s.spans.push((sys, e.ts_us, e.ts_us)),
        }
    }

    /// (hour, events) and (system, categories, events), key ascending.
    fn sorted_counts(&mut self) -> (Vec<(i64, i64)>, Vec<Reach>) {
        if self.hour_run.1 > 0 {
            *self.hours.entry(self.hour_run.0).or_default() += self.hour_run.1;
            self.hour_run = (0, 0);
        }
        let mut hours: Vec<(i64, i64)> = self.hours.drain().collect();
        hours.sort_unstable();
        let mut reach: Vec<Reach> = self.reach.drain().map(|((s, c), n)| (s, c, n)).collect();
        reach.sort_unstable();
        (hours, reach)
    }

    fn close_session(&mut self) {
        if let Some(s) = self.sessions.last_mut() {
            let subj = &mut self.open_subjects;
            subj.sort_unstable();
            subj.dedup();
            s.subjects = subj.len() as i64;
            s.subject_set = encode_set(subj);
            subj.clear();
            s.spans.sort_unstable();
        }
        self.compact_at = MIN_COMPACT_AT;
    }
}

/// The per-person figures of one access import, gathered while its events are parsed (off
/// the writer thread) and folded into the stored rows at the end by [`Stream::apply`], so an
/// import does not read its persons' events back.
pub struct Stream {
    /// Account id -> index in `persons`, for the accounts mapped when the import began.
    slot_of: HashMap<i64, usize, FastHash>,
    /// (person id, their accounts, figures), one per person with a mapped account.
    persons: Vec<(i64, Vec<i64>, Option<Partial>)>,
    gap_us: i64,
}

/// One event as [`Stream::add`] takes it.
pub(super) struct StreamEvent<'a> {
    pub id: i64,
    pub ts_us: i64,
    pub account_id: Option<i64>,
    pub system_id: Option<i64>,
    pub categories: u64,
    pub records: Option<i64>,
    pub access: bool,
    pub subjects: &'a [i64],
}

impl Default for Stream {
    fn default() -> Stream {
        Stream {
            slot_of: HashMap::default(),
            persons: Vec::new(),
            gap_us: SESSION_GAP_US,
        }
    }
}

impl Stream {
    pub(super) fn new(conn: &Connection) -> rusqlite::Result<Stream> {
        let mut st = conn.prepare(
            "SELECT id, person_id FROM account WHERE person_id IS NOT NULL ORDER BY person_id, id",
        )?;
        let pairs = st
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stream = Stream::default();
        for (account, person) in pairs {
            if stream.persons.last().is_none_or(|(p, _, _)| *p != person) {
                stream.persons.push((person, Vec::new(), None));
            }
            let slot = stream.persons.len() - 1;
            stream.persons[slot].1.push(account);
            stream.slot_of.insert(account, slot);
        }
        Ok(stream)
    }

    pub(super) fn add(&mut self, e: &StreamEvent) {
        let Some(&slot) = e.account_id.and_then(|a| self.slot_of.get(&a)) else {
            return;
        };
        let p = self.persons[slot].2.get_or_insert_with(Partial::new);
        if e.access {
            p.add_access(e, self.gap_us);
        } else {
            p.refused_events += 1;
        }
    }

    /// Folds the gathered figures into the stored rows. Returns the persons it could not fold
    /// (events out of time order, or rows cut at another session gap), for a full recompute.
    pub(super) fn apply(self, conn: &Connection) -> rusqlite::Result<Vec<i64>> {
        let mut recompute = Vec::new();
        for (person, accounts, p) in self.persons {
            let Some(mut p) = p else { continue };
            let stored = read_summary(conn, person)?;
            if !p.ordered || stored.as_ref().is_some_and(|s| s.gap_us != self.gap_us) {
                recompute.push(person);
                continue;
            }
            p.close_session();
            fold(conn, person, &accounts, stored, p, self.gap_us)?;
        }
        Ok(recompute)
    }
}

/// Folds one person's [`Partial`] into their stored rows (none yet: `stored` is `None`).
fn fold(
    conn: &Connection,
    person: i64,
    accounts: &[i64],
    stored: Option<AggSummary>,
    mut p: Partial,
    gap_us: i64,
) -> rusqlite::Result<()> {
    let (hours, reach) = p.sorted_counts();
    add_counts(conn, person, &hours, &reach)?;
    let mut s = stored.unwrap_or(AggSummary {
        gap_us,
        ..AggSummary::default()
    });
    s.access_events += p.access_events;
    s.refused_events += p.refused_events;
    s.records += p.records;
    s.first_access_us = min_opt(s.first_access_us, p.first_access_us);
    s.last_access_us = max_opt(s.last_access_us, p.last_access_us);
    if let (Some(first), Some(last)) = (p.first_access_us, p.last_access_us) {
        let (removed, added) = merge_sessions(conn, person, p.sessions, first, last, gap_us)?;
        s.sessions += added - removed;
    }
    // `account_subject` already has this import's rows.
    s.distinct_subjects = conn.query_row(
        &format!(
            "SELECT count(DISTINCT subject_id) FROM account_subject
             WHERE subject_id <> 0 AND account_id IN ({})",
            id_list(accounts)
        ),
        [],
        |r| r.get(0),
    )?;
    write_summary(conn, person, &s)
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Merges `new` (the sessions of one import's events alone, in time order, all within
/// `first..=last`) with the person's stored sessions. A stored session and a new one belong
/// to one session when they come closer than the gap; such a merged session's subjects are
/// the union of theirs. Returns (stored sessions removed, sessions
/// written).
fn merge_sessions(
    conn: &Connection,
    person: i64,
    new: Vec<AggSession>,
    first: i64,
    last: i64,
    gap_us: i64,
) -> rusqlite::Result<(i64, i64)> {
    // Only stored sessions that come closer than the gap to the new events can merge.
    let stored: Vec<AggSession> = conn
        .prepare_cached(
            "SELECT start_us, end_us, events, records, subjects, first_event_id, spans, subject_set
             FROM person_session WHERE person_id = ?1 AND start_us < ?2 AND end_us > ?3",
        )?
        .query_map(
            params![
                person,
                last.saturating_add(gap_us),
                first.saturating_sub(gap_us)
            ],
            session_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    let mut all: Vec<(AggSession, bool)> = stored
        .into_iter()
        .map(|s| (s, true))
        .chain(new.into_iter().map(|s| (s, false)))
        .collect();
    all.sort_unstable_by_key(|(s, _)| (s.start_us, s.first_event_id));
    let (mut removed, mut added) = (0, 0);
    let mut i = 0;
    while i < all.len() {
        // A group: sessions, by start, each closer than the gap to the group so far. Events of
        // different groups are at least the gap apart, so the groups are the new sessions.
        let mut end = all[i].0.end_us;
        let mut j = i + 1;
        while j < all.len() && same_session(end, all[j].0.start_us, gap_us) {
            end = end.max(all[j].0.end_us);
            j += 1;
        }
        let group = &all[i..j];
        let old = group.iter().filter(|(_, stored)| *stored).count() as i64;
        if old < group.len() as i64 {
            let merged = if group.len() == 1 {
                group[0].0.clone()
            } else {
                combine(group)
            };
            for (s, _) in group.iter().filter(|(_, stored)| *stored) {
                conn.prepare_cached(
                    "DELETE FROM person_session WHERE person_id = ?1 AND start_us = ?2",
                )?
                .execute(params![person, s.start_us])?;
            }
            insert_sessions(conn, person, std::slice::from_ref(&merged))?;
            removed += old;
            added += 1;
        }
        i = j;
    }
    Ok((removed, added))
}

/// One session from sessions that merge (in start order); its subjects are the union of theirs.
fn combine(group: &[(AggSession, bool)]) -> AggSession {
    let mut out = group[0].0.clone();
    let mut spans: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    let mut subjects: Vec<i64> = Vec::new();
    for (s, _) in group {
        if (s.start_us, s.first_event_id) < (out.start_us, out.first_event_id) {
            out.first_event_id = s.first_event_id;
        }
        out.start_us = out.start_us.min(s.start_us);
        for (sys, a, b) in &s.spans {
            let e = spans.entry(*sys).or_insert((*a, *b));
            e.0 = e.0.min(*a);
            e.1 = e.1.max(*b);
        }
        decode_set(&s.subject_set, &mut subjects);
    }
    out.end_us = group
        .iter()
        .map(|(s, _)| s.end_us)
        .max()
        .unwrap_or(out.end_us);
    out.events = group.iter().map(|(s, _)| s.events).sum();
    out.records = group.iter().map(|(s, _)| s.records).sum();
    out.spans = spans.into_iter().map(|(s, (a, b))| (s, a, b)).collect();
    subjects.sort_unstable();
    subjects.dedup();
    out.subjects = subjects.len() as i64;
    out.subject_set = encode_set(&subjects);
    out
}

/// A `person_session` row read as `start_us, end_us, events, records, subjects,
/// first_event_id, spans, subject_set`.
fn session_row(r: &rusqlite::Row) -> rusqlite::Result<AggSession> {
    Ok(AggSession {
        start_us: r.get(0)?,
        end_us: r.get(1)?,
        events: r.get(2)?,
        records: r.get(3)?,
        subjects: r.get(4)?,
        first_event_id: r.get(5)?,
        spans: AggSession::parse_spans(r.get_ref(6)?.as_str()?),
        subject_set: r.get(7)?,
    })
}

fn read_summary(conn: &Connection, person: i64) -> rusqlite::Result<Option<AggSummary>> {
    conn.prepare_cached(
        "SELECT gap_us, access_events, refused_events, records, distinct_subjects,
            first_access_us, last_access_us, sessions FROM person_summary WHERE person_id = ?1",
    )?
    .query_row([person], |r| {
        Ok(AggSummary {
            gap_us: r.get(0)?,
            access_events: r.get(1)?,
            refused_events: r.get(2)?,
            records: r.get(3)?,
            distinct_subjects: r.get(4)?,
            first_access_us: r.get(5)?,
            last_access_us: r.get(6)?,
            sessions: r.get(7)?,
        })
    })
    .optional()
}

/// A person's stored rows; each session's `subject_set` only when `subject_sets` (the page
/// does not show them, and a long session's set can span overflow pages).
fn read_rows(
    conn: &Connection,
    person: i64,
    subject_sets: bool,
) -> rusqlite::Result<Option<PersonAggRows>> {
    let Some(summary) = read_summary(conn, person)? else {
        return Ok(None);
    };
    let hours = conn
        .prepare_cached("SELECT hour, n FROM person_hour WHERE person_id = ?1 ORDER BY hour")?
        .query_map([person], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let reach = conn
        .prepare_cached(
            "SELECT system_id, categories, n FROM person_reach WHERE person_id = ?1
             ORDER BY system_id, categories",
        )?
        .query_map([person], |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? as u64, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let sessions = conn
        .prepare_cached(if subject_sets {
            "SELECT start_us, end_us, events, records, subjects, first_event_id, spans, subject_set
             FROM person_session WHERE person_id = ?1 ORDER BY start_us"
        } else {
            "SELECT start_us, end_us, events, records, subjects, first_event_id, spans, x''
             FROM person_session WHERE person_id = ?1 ORDER BY start_us"
        })?
        .query_map([person], session_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(PersonAggRows {
        summary,
        hours,
        reach,
        sessions,
    }))
}

impl People<'_> {
    /// The stored derived figures of a person (by roster key), names resolved; `None` when the
    /// person is unknown or has no rows (a schema-2 case opened read-only, not yet upgraded).
    pub fn person_agg(&self, person_key: &str) -> Result<Option<PersonAgg>> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM person WHERE person_key = ?1",
                [person_key],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some(id) = id else { return Ok(None) };
        // A case of schema 2 opened read-only has no such tables until it is upgraded.
        let has_tables = self
            .conn
            .query_row(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'person_summary'",
                [],
                |_| Ok(()),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .is_some();
        if !has_tables {
            return Ok(None);
        }
        let Some(rows) = read_rows(&self.conn, id, false).map_err(|e| self.err(e))? else {
            return Ok(None);
        };
        let names: HashMap<i64, String> = self
            .query_vec("SELECT id, name FROM system", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .into_iter()
            .collect();
        let name = |sid: i64| names.get(&sid).cloned();
        Ok(Some(PersonAgg {
            summary: rows.summary,
            hours: rows.hours,
            reach: rows
                .reach
                .into_iter()
                .map(|(s, c, n)| (name(s), c, n))
                .collect(),
            sessions: rows
                .sessions
                .into_iter()
                .map(|s| PersonAggSession {
                    start_us: s.start_us,
                    end_us: s.end_us,
                    events: s.events,
                    records: s.records,
                    subjects: s.subjects,
                    first_event_id: s.first_event_id,
                    spans: s
                        .spans
                        .into_iter()
                        .map(|(x, a, b)| (name(x), a, b))
                        .collect(),
                })
                .collect(),
        }))
    }

    /// A person's events (refused attempts included) with `from_us <= ts_us <= to_us`, oldest
    /// first, through the `(account_id, ts_us)` index.
    pub fn person_events_between(
        &self,
        person_key: &str,
        from_us: i64,
        to_us: i64,
    ) -> Result<Vec<super::EventRow>> {
        let sql = format!(
            "SELECT {EVENT_COLS} FROM account pa CROSS JOIN event e ON e.account_id = pa.id
             LEFT JOIN account a ON a.id = e.account_id
             LEFT JOIN person p ON p.id = a.person_id
             LEFT JOIN system s ON s.id = e.system_id
             WHERE pa.person_id = (SELECT id FROM person WHERE person_key = ?1)
               AND e.ts_us BETWEEN ?2 AND ?3
             ORDER BY e.ts_us, e.id"
        );
        self.query_vec(&sql, params![person_key, from_us, to_us], event_row)
    }

    /// Recomputes every person's derived rows in memory and returns the keys of persons whose
    /// stored rows differ (or are missing): empty when the tables are consistent.
    pub fn person_tables_mismatches(&self) -> Result<Vec<String>> {
        let e = |err| self.err(err);
        let persons = all_persons(&self.conn).map_err(e)?;
        let mut out = Vec::new();
        for (p, want) in compute_persons(&self.conn, &persons).map_err(e)? {
            if read_rows(&self.conn, p, true).map_err(e)?.as_ref() != Some(&want) {
                let key: String = self
                    .conn
                    .query_row("SELECT person_key FROM person WHERE id = ?1", [p], |r| {
                        r.get(0)
                    })
                    .map_err(e)?;
                out.push(key);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(ts_us: i64, id: u32, system_id: u32, subj: (u32, u32)) -> Ev {
        Ev {
            ts_us,
            categories: 1 << system_id,
            records: 2,
            id,
            system_id,
            subj_off: subj.0,
            subj_len: subj.1,
        }
    }

    #[test]
    fn sessions_cut_at_the_gap_and_count_distinct_subjects() {
        let min = 60_000_000;
        // Subjects: event 1 -> [7, 8], event 2 -> [8], event 3 -> [9].
        let arena = vec![7, 8, 8, 9];
        // Out of order on purpose: the rebuild sorts by time.
        let evs = vec![
            ev(100 * min, 3, 2, (3, 1)),
            ev(0, 1, 1, (0, 2)),
            ev(29 * min, 2, 2, (2, 1)),
        ];
        let rows = compute(evs, 4, &arena, 30 * min);
        assert_eq!(rows.summary.sessions, 2);
        assert_eq!(rows.summary.access_events, 3);
        assert_eq!(rows.summary.refused_events, 4);
        assert_eq!(rows.summary.records, 6);
        assert_eq!(rows.summary.distinct_subjects, 3);
        assert_eq!(rows.summary.first_access_us, Some(0));
        assert_eq!(rows.summary.last_access_us, Some(100 * min));
        let s = &rows.sessions[0];
        assert_eq!(
            (s.start_us, s.end_us, s.events, s.subjects),
            (0, 29 * min, 2, 2)
        );
        assert_eq!(s.first_event_id, 1);
        assert_eq!(s.spans, vec![(1, 0, 0), (2, 29 * min, 29 * min)]);
        assert_eq!(s.subject_set, encode_set(&[7, 8]));
        assert_eq!(rows.sessions[1].subjects, 1);
        // Exactly the gap apart starts a new session.
        let rows = compute(
            vec![ev(0, 1, 1, (0, 0)), ev(30 * min, 2, 1, (0, 0))],
            0,
            &[],
            30 * min,
        );
        assert_eq!(rows.summary.sessions, 2);
        assert_eq!(rows.hours, vec![(0, 2)]);
        assert_eq!(rows.reach, vec![(1, 2, 2)]);
    }

    #[test]
    fn a_session_that_never_pauses_holds_each_subject_once() {
        let mut p = Partial::new();
        let subjects = [5, 3, 9];
        let n = 10 * MIN_COMPACT_AT as i64;
        for i in 0..n {
            p.add_access(
                &StreamEvent {
                    id: i + 1,
                    ts_us: i * 1_000_000,
                    account_id: Some(1),
                    system_id: Some(1),
                    categories: 1,
                    records: None,
                    access: true,
                    subjects: &subjects[(i % 3) as usize..],
                },
                SESSION_GAP_US,
            );
            assert!(p.open_subjects.len() <= MIN_COMPACT_AT + 3);
        }
        p.close_session();
        assert_eq!(p.sessions.len(), 1);
        let s = &p.sessions[0];
        assert_eq!((s.events, s.subjects), (n, 3));
        assert_eq!(s.subject_set, encode_set(&[3, 5, 9]));
    }

    #[test]
    fn spans_round_trip_through_text() {
        let s = AggSession {
            start_us: 0,
            end_us: 5,
            events: 2,
            records: 0,
            subjects: 0,
            first_event_id: 1,
            spans: vec![(0, -3, 4), (12, 5, 5)],
            subject_set: Vec::new(),
        };
        assert_eq!(AggSession::parse_spans(&s.spans_text()), s.spans);
    }

    #[test]
    fn subject_sets_round_trip_through_varints() {
        for ids in [
            vec![],
            vec![1],
            vec![0, 1, 2, 127, 128, 300, 16_384, 1 << 40, i64::MAX],
        ] {
            let bytes = encode_set(&ids);
            let mut back = Vec::new();
            decode_set(&bytes, &mut back);
            assert_eq!(back, ids);
        }
        // Small gaps take one byte each.
        assert_eq!(encode_set(&[5, 6, 7]), vec![5, 1, 1]);
        assert_eq!(encode_set(&[200]), vec![0xc8, 0x01]);
    }
}
