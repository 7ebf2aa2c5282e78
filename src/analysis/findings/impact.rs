//! Impact: distinct data subjects by data category × subject country, for the whole case, per
//! organization and per person (and for accounts no roster maps). A subject counts in a cell
//! when at least one *access* event (outcome neither denied nor failed) touched the subject
//! and carried the category. These are the PPC report's "items of personal data" (the
//! categories) and "number of persons" (distinct data subjects).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::Params;
use crate::analysis::{AnalysisError, Result};
use crate::case::{Case, ScanEvent};
use crate::model::{CategorySet, CountUnit};

/// The unit of every impact count.
pub const IMPACT_UNIT: CountUnit = CountUnit::DistinctDataSubjects;

/// One cell of a category × country table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImpactCell {
    pub category: String,
    pub country: String,
    pub subjects: u64,
}

/// The table of one group (the whole case, an organization, a person, an unmapped account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImpactGroup {
    /// `case`, `organization`, `person` or `account`.
    pub kind: String,
    /// Organization name, person id or account name (`*` for the whole case).
    pub key: String,
    pub label: String,
    /// Distinct subjects of any category.
    pub subjects: u64,
    /// Distinct subjects per country, any category.
    pub by_country: Vec<(String, u64)>,
    /// Non-zero cells, by category (vocabulary order) then country.
    pub cells: Vec<ImpactCell>,
    /// Access events that touched at least one subject (unit: events).
    pub events: u64,
}

impl ImpactGroup {
    pub fn cell(&self, category: &str, country: &str) -> u64 {
        self.cells
            .iter()
            .find(|c| c.category == category && c.country == country)
            .map_or(0, |c| c.subjects)
    }
}

/// Every impact table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    pub unit: CountUnit,
    /// A coverage gap or an undeclared-retention period lies inside the case's span, so every
    /// figure is a lower bound ("at least").
    pub at_least: bool,
    /// Category names in vocabulary order, and countries (`??`: not in the subjects roster).
    pub categories: Vec<String>,
    pub countries: Vec<String>,
    pub whole_case: ImpactGroup,
    pub by_organization: Vec<ImpactGroup>,
    pub by_person: Vec<ImpactGroup>,
    /// Accounts that no roster maps to a person.
    pub by_account: Vec<ImpactGroup>,
    /// Rejected rows of access logs (`analysis::rejects`): in no figure here, yet any may
    /// record an access, so when there are any every figure is "at least".
    pub rejected_rows: Vec<crate::analysis::rejects::RejectedRow>,
}

/// Per actor: the union of categories per subject it touched. Dense (indexed by subject row
/// id) when the case is small enough for one array per actor, else a map.
struct Acc {
    dense: Vec<u64>,
    sparse: HashMap<i64, u64>,
    events: u64,
}

impl Acc {
    fn new(dense_len: usize) -> Acc {
        Acc {
            dense: vec![0; dense_len],
            sparse: HashMap::new(),
            events: 0,
        }
    }

    fn add(&mut self, subject: i64, mask: u64) {
        match usize::try_from(subject)
            .ok()
            .filter(|&i| i < self.dense.len())
        {
            Some(i) => self.dense[i] |= mask,
            None => *self.sparse.entry(subject).or_default() |= mask,
        }
    }

    /// (subject, categories) of every subject touched.
    fn subjects(&self) -> impl Iterator<Item = (i64, u64)> + '_ {
        self.dense
            .iter()
            .enumerate()
            .filter(|(_, m)| **m != 0)
            .map(|(i, m)| (i as i64, *m))
            .chain(self.sparse.iter().map(|(s, m)| (*s, *m)))
    }

    fn merge(&mut self, other: &Acc) {
        for (s, m) in other.subjects() {
            self.add(s, m);
        }
        self.events += other.events;
    }
}

const US_PER_HOUR: i64 = 3_600_000_000;

/// A source's current hour: hour, (first ts, id), (last ts, id).
type HourCell = (i64, (i64, i64), (i64, i64));

/// Folds (id, time) rows, in time order, into a coverage hour map: per source the current
/// hour's first and last event, handed to the map when the source's hour changes (one map
/// update per source and hour instead of per event).
struct HourFold<'a> {
    /// Sources' event id ranges (first, last, source id), by first id.
    ranges: &'a [(i64, i64, i64)],
    /// The range the previous event fell in.
    last: usize,
    /// Per range (and one more for events in none): hour, (min ts, id), (max ts, id).
    cur: Vec<Option<HourCell>>,
    map: super::coverage::HourMap,
}

impl HourFold<'_> {
    fn range_of(&mut self, id: i64) -> usize {
        let hit = |r: &(i64, i64, i64)| r.0 <= id && id <= r.1;
        if self.ranges.get(self.last).is_some_and(hit) {
            return self.last;
        }
        let i = self.ranges.partition_point(|r| r.0 <= id);
        match i.checked_sub(1) {
            Some(i) if hit(&self.ranges[i]) => {
                self.last = i;
                i
            }
            _ => self.ranges.len(),
        }
    }

    fn add(&mut self, id: i64, ts_us: i64) {
        let k = self.range_of(id);
        let hour = ts_us.div_euclid(US_PER_HOUR);
        match &mut self.cur[k] {
            Some((h, lo, hi)) if *h == hour => {
                *lo = (*lo).min((ts_us, id));
                *hi = (*hi).max((ts_us, id));
            }
            slot => {
                if let Some(done) = slot.replace((hour, (ts_us, id), (ts_us, id))) {
                    Self::flush(&mut self.map, self.ranges, k, done);
                }
            }
        }
    }

    fn flush(
        map: &mut super::coverage::HourMap,
        ranges: &[(i64, i64, i64)],
        k: usize,
        (_, lo, hi): HourCell,
    ) {
        let source_id = ranges.get(k).map_or(-1, |r| r.2);
        for (ts_us, id) in [lo, hi] {
            map.observe(&ScanEvent {
                id,
                ts_us,
                account_id: 0,
                source_id,
                system_id: 0,
                categories: 0,
                records: 0,
                access: true,
            });
        }
    }

    fn finish(mut self) -> super::coverage::HourMap {
        for k in 0..self.cur.len() {
            if let Some(done) = self.cur[k].take() {
                Self::flush(&mut self.map, self.ranges, k, done);
            }
        }
        self.map
    }
}

/// Per access source: the non-empty UTC hours (coverage gaps make every figure a lower bound)
/// of a case below schema 10 opened read-only, which has no `source_hour`: read from the
/// `event_ts` index alone — ids and times, no event row — split by time over one
/// read-only connection and thread per core (at most 4).
fn hour_map(case: &Case, ts: (i64, i64)) -> Result<super::coverage::HourMap> {
    let mut ranges: Vec<(i64, i64, i64)> = case
        .sources()
        .list()?
        .into_iter()
        .filter_map(|s| Some((s.first_event_id?, s.last_event_id?, s.id)))
        .collect();
    ranges.sort_unstable();
    let ranges = &ranges;
    let new_fold = || HourFold {
        ranges,
        last: 0,
        cur: vec![None; ranges.len() + 1],
        map: super::coverage::HourMap::default(),
    };
    let parts = std::thread::available_parallelism().map_or(1, |n| n.get().min(4)) as i64;
    let span = case.findings().event_id_range()?.map_or(0, |(a, b)| b - a);
    let min_span = super::PARALLEL_SCAN_MIN_SPAN.load(std::sync::atomic::Ordering::Relaxed);
    let (lo, hi) = ts;
    if parts <= 1 || span < min_span || hi - lo < parts {
        let mut fold = new_fold();
        case.findings()
            .scan_event_times(lo, hi, |id, t| fold.add(id, t))?;
        return Ok(fold.finish());
    }
    let step = (hi - lo) / parts + 1;
    let path = case.path().to_path_buf();
    let maps: Vec<Result<super::coverage::HourMap>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..parts)
            .map(|i| {
                let (a, b) = (lo + i * step, (lo + (i + 1) * step - 1).min(hi));
                let (path, new_fold) = (&path, &new_fold);
                std::thread::Builder::new()
                    .name(format!("retrace-impact-hours-{i}"))
                    .spawn_scoped(scope, move || {
                        let c = Case::open_read_only(path)?;
                        let mut fold = new_fold();
                        c.findings()
                            .scan_event_times(a, b, |id, t| fold.add(id, t))?;
                        Ok(fold.finish())
                    })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h {
                Ok(h) => h.join().unwrap_or_else(|_| {
                    Err(AnalysisError::ThreadPanicked("an impact scan thread"))
                }),
                Err(e) => Err(AnalysisError::ThreadStart(e)),
            })
            .collect()
    });
    let mut all = super::coverage::HourMap::default();
    for m in maps {
        all.merge(m?);
    }
    Ok(all)
}

/// Computes the impact tables from `account_subject` (per account and subject, the union of
/// categories of its access events), the roster mapping and the subjects' countries; the
/// coverage bands (for "at least") from `source_hour`.
pub fn impact(case: &Case) -> Result<Impact> {
    let persons = case.people().persons()?;
    let (accounts, slot) = actor_slots(&persons, &case.timeline().account_links()?);
    let country_rows = case.findings().subject_country_rows()?;
    let max_subject = country_rows.iter().map(|r| r.0).max().unwrap_or(0).max(0) as usize;
    let n_actors = persons.len() + accounts.len() + 1;
    // One array per actor (8 B a subject) while that takes no more than 16 Mi entries in
    // all, or than twice the (account, subject) rows, whose maps would take ≥ 20 B a pair:
    // at 100 M events (666 666 subjects, 17 M rows) arrays are both smaller and faster.
    let pairs = case.findings().account_subject_rows()?;
    let budget = (16usize << 20).max(pairs.saturating_mul(2));
    let dense_len = if (max_subject + 1).saturating_mul(n_actors + 2) <= budget {
        max_subject + 1
    } else {
        0
    };
    let actors = actor_masks(case, &slot, n_actors, dense_len)?;
    let first_last = case.findings().event_ts_range()?;
    let hours = match (first_last, case.findings().source_hours()?) {
        (_, Some(stored)) => super::coverage::HourMap::from_stored(&stored),
        (Some(ts), None) => hour_map(case, ts)?,
        (None, None) => super::coverage::HourMap::default(),
    };
    let params = Params::from_case(case)?;
    let bands = super::coverage::bands(case, &hours, &params)?;
    let tables = Tables::new(case.vocabulary()?, country_rows);

    let no_account = n_actors - 1;
    let mut whole = Acc::new(dense_len);
    let mut orgs: BTreeMap<String, Acc> = BTreeMap::new();
    let mut by_person = Vec::new();
    for (i, p) in persons.iter().enumerate() {
        let acc = &actors[i];
        whole.merge(acc);
        let org = p
            .organization
            .clone()
            .unwrap_or_else(|| "(no organization)".into());
        orgs.entry(org)
            .or_insert_with(|| Acc::new(dense_len))
            .merge(acc);
        let label = format!("{} {}", p.key, p.display_name);
        by_person.push(tables.group("person", p.key.clone(), label, acc));
    }
    let mut by_account = Vec::new();
    for (k, (_, name)) in accounts.iter().enumerate() {
        let acc = &actors[persons.len() + k];
        whole.merge(acc);
        if acc.events > 0 {
            by_account.push(tables.group("account", name.clone(), name.clone(), acc));
        }
    }
    whole.merge(&actors[no_account]);
    let by_organization = orgs
        .iter()
        .map(|(o, acc)| tables.group("organization", o.clone(), o.clone(), acc))
        .collect();
    let whole_case = tables.group("case", "*".into(), "whole case".into(), &whole);
    let used: BTreeSet<u32> = whole
        .subjects()
        .flat_map(|(_, m)| CategorySet(m).bits())
        .collect();
    let rejects = crate::analysis::rejects::reject_callouts(case)?;
    let at_least = first_last
        .is_some_and(|(f, l)| bands.iter().any(|b| b.from_us <= l && f <= b.to_us))
        || rejects.access_rejects > 0;
    Ok(Impact {
        unit: IMPACT_UNIT,
        at_least,
        rejected_rows: rejects.rows,
        categories: used
            .into_iter()
            .map(|b| tables.vocab.name_of(b).unwrap_or("?").to_string())
            .collect(),
        countries: countries_by_subjects(&whole_case),
        whole_case,
        by_organization,
        by_person,
        by_account,
    })
}

/// Account id → actor slot: the roster persons first (their index), then each account no
/// person maps to, in `links` order (returned with their names).
fn actor_slots(
    persons: &[crate::case::PersonRow],
    links: &[crate::case::AccountLink],
) -> (Vec<(i64, String)>, HashMap<i64, usize>) {
    let person_index: HashMap<i64, usize> =
        persons.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let mut accounts: Vec<(i64, String)> = Vec::new();
    let mut slot: HashMap<i64, usize> = HashMap::new();
    for a in links {
        match a.person_id.and_then(|p| person_index.get(&p)) {
            Some(&p) => {
                slot.insert(a.id, p);
            }
            None => {
                slot.insert(a.id, persons.len() + accounts.len());
                accounts.push((a.id, a.name.clone()));
            }
        }
    }
    (accounts, slot)
}

/// Per actor slot (the last for events without an account): the subjects it reached with
/// their category masks, and its access events that touched a subject.
fn actor_masks(
    case: &Case,
    slot: &HashMap<i64, usize>,
    n_actors: usize,
    dense_len: usize,
) -> Result<Vec<Acc>> {
    let no_account = n_actors - 1;
    let mut actors: Vec<Acc> = (0..n_actors).map(|_| Acc::new(dense_len)).collect();
    if case.findings().has_account_subject()? {
        case.findings()
            .scan_account_subjects(|account, subject, mask, events| {
                let acc = &mut actors[slot.get(&account).copied().unwrap_or(no_account)];
                if subject == 0 {
                    acc.events += events as u64;
                } else {
                    acc.add(subject, mask);
                }
            })?;
        return Ok(actors);
    }
    // A case older than schema 4 opened for review (read-only: not upgraded): the same
    // masks from a scan of every access event's subject ids.
    let parts = super::scan_parallel(
        case,
        || {
            (0..n_actors)
                .map(|_| Acc::new(dense_len))
                .collect::<Vec<Acc>>()
        },
        |part, e, subjects| {
            let (true, Some(ids)) = (e.access, subjects) else {
                return;
            };
            let acc = &mut part[slot.get(&e.account_id).copied().unwrap_or(no_account)];
            let mut any = false;
            for id in ids.split_ascii_whitespace().filter_map(|i| i.parse().ok()) {
                acc.add(id, e.categories);
                any = true;
            }
            acc.events += u64::from(any);
        },
    )?;
    for part in parts {
        for (mine, theirs) in actors.iter_mut().zip(&part) {
            mine.merge(theirs);
        }
    }
    Ok(actors)
}

/// What turns an actor's subject masks into an [`ImpactGroup`].
struct Tables {
    vocab: crate::model::Vocabulary,
    /// The subjects' countries (`??` when unknown), in name order: a country is its index.
    countries: Vec<String>,
    /// Subject row id → country index; ids beyond it are of no roster row (`unknown`).
    country_of: Vec<u32>,
    unknown: u32,
}

impl Tables {
    fn new(vocab: crate::model::Vocabulary, rows: Vec<(i64, Option<String>)>) -> Tables {
        const UNKNOWN: &str = "??";
        let mut countries: Vec<String> = rows
            .iter()
            .filter_map(|(_, c)| c.clone())
            .chain([UNKNOWN.to_string()])
            .collect();
        countries.sort_unstable();
        countries.dedup();
        let index = |c: &str| {
            countries
                .binary_search_by(|x| x.as_str().cmp(c))
                .unwrap_or(0) as u32
        };
        let unknown = index(UNKNOWN);
        let len = rows.iter().map(|r| r.0).max().unwrap_or(0).max(0) as usize + 1;
        let mut country_of = vec![unknown; len];
        for (id, c) in &rows {
            if let (Ok(i), Some(c)) = (usize::try_from(*id), c) {
                country_of[i] = index(c);
            }
        }
        Tables {
            vocab,
            countries,
            country_of,
            unknown,
        }
    }

    fn country(&self, subject: i64) -> usize {
        usize::try_from(subject)
            .ok()
            .and_then(|i| self.country_of.get(i))
            .copied()
            .unwrap_or(self.unknown) as usize
    }

    /// Counted per subject in arrays indexed by country and category bit: a map keyed by
    /// country names cost a string clone per subject and bit (most of the 18.5 s the impact
    /// tables took at 100 M events).
    fn group(&self, kind: &str, key: String, label: String, acc: &Acc) -> ImpactGroup {
        let n = self.countries.len();
        let mut by_country = vec![0u64; n];
        let mut cells = vec![0u64; 64 * n];
        let mut subjects = 0u64;
        for (s, mask) in acc.subjects() {
            subjects += 1;
            let c = self.country(s);
            by_country[c] += 1;
            for bit in CategorySet(mask).bits() {
                cells[bit as usize * n + c] += 1;
            }
        }
        ImpactGroup {
            kind: kind.into(),
            key,
            label,
            subjects,
            by_country: by_country
                .iter()
                .enumerate()
                .filter(|(_, k)| **k > 0)
                .map(|(c, k)| (self.countries[c].clone(), *k))
                .collect(),
            cells: cells
                .iter()
                .enumerate()
                .filter(|(_, k)| **k > 0)
                .map(|(i, k)| ImpactCell {
                    category: self
                        .vocab
                        .name_of((i / n) as u32)
                        .unwrap_or("?")
                        .to_string(),
                    country: self.countries[i % n].clone(),
                    subjects: *k,
                })
                .collect(),
            events: acc.events,
        }
    }
}

/// The whole case's subject countries, most subjects first (ties in name order).
fn countries_by_subjects(whole_case: &ImpactGroup) -> Vec<String> {
    let mut countries: Vec<String> = whole_case
        .by_country
        .iter()
        .map(|(c, _)| c.clone())
        .collect();
    countries.sort_by_key(|c| {
        std::cmp::Reverse(
            whole_case
                .by_country
                .iter()
                .find(|x| &x.0 == c)
                .map_or(0, |x| x.1),
        )
    });
    countries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_masks_merge_alike() {
        let mut a = Acc::new(4);
        a.add(1, 0b01);
        a.add(9, 0b10);
        let mut b = Acc::new(4);
        b.add(1, 0b10);
        b.add(9, 0b01);
        b.merge(&a);
        let mut got: Vec<(i64, u64)> = b.subjects().collect();
        got.sort_unstable();
        assert_eq!(got, vec![(1, 0b11), (9, 0b11)]);
    }
}
