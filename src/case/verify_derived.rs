//! The deep verify's recomputation of the tables derived from the events at import that the
//! other checks do not cover: `agg_hour` (the timeline), `agg_day`, `agg_cell_hour` and
//! `agg_cell_day` (the filtered timeline and table count), `source_hour` (the impact tables'
//! coverage bands), `agg_value` (the filter choices), each source's event range (`first_event_id`..`last_event_id`, first and last
//! time) and every event's `subject_count`. One reading of every event.

use super::facade::Integrity;
use std::collections::{BTreeMap, HashMap};

use super::{Case, Result, VerifyProblem};

/// Problems named per table before the rest are only counted.
const MAX_NAMED: usize = 20;

const HOUR_US: i64 = 3_600_000_000;

#[derive(Default)]
struct SourceSpan {
    events: i64,
    first_id: i64,
    last_id: i64,
    first_ts: i64,
    last_ts: i64,
}

/// Compares two keyed tables: the first differences named, the rest counted.
fn compare<K: Ord + std::fmt::Debug, V: PartialEq + std::fmt::Debug>(
    table: &str,
    key_names: &str,
    stored: &BTreeMap<K, V>,
    derived: &BTreeMap<K, V>,
    problems: &mut Vec<VerifyProblem>,
) {
    let mut named = 0usize;
    let mut differ = 0usize;
    let mut note = |why: String| {
        differ += 1;
        if named < MAX_NAMED {
            named += 1;
            problems.push(VerifyProblem {
                what: table.to_string(),
                why,
            });
        }
    };
    for (k, v) in stored {
        match derived.get(k) {
            None => note(format!(
                "row {key_names} {k:?} holds {v:?}, but the events give no such row"
            )),
            Some(d) if d != v => note(format!(
                "row {key_names} {k:?} holds {v:?}, but the events give {d:?}"
            )),
            Some(_) => {}
        }
    }
    for (k, d) in derived {
        if !stored.contains_key(k) {
            note(format!(
                "row {key_names} {k:?} is missing; the events give {d:?}"
            ));
        }
    }
    if differ > named {
        problems.push(VerifyProblem {
            what: table.to_string(),
            why: format!(
                "{} more rows differ from a recomputation from the events",
                differ - named
            ),
        });
    }
}

/// What one reading of every event gives: the aggregates and source spans recomputed, and
/// the events whose `subject_count` is not the number of subjects they list.
#[derive(Default)]
struct EventTotals {
    hours: HashMap<(i64, i64), (i64, i64)>,
    cells: super::cells::Cells,
    source_hours: super::source_hours::SourceHours,
    /// Per kind (`action`, `outcome`), value -> events: counted without a key allocated per
    /// event.
    actions: HashMap<String, i64>,
    outcomes: HashMap<String, i64>,
    spans: BTreeMap<i64, SourceSpan>,
    bad_counts: usize,
    /// The first [`MAX_NAMED`] events with a wrong `subject_count`, named.
    named_bad_counts: Vec<VerifyProblem>,
}

/// Adds one to `value`'s count.
fn count_value(counts: &mut HashMap<String, i64>, value: Option<&str>) {
    let Some(v) = value.filter(|v| !v.is_empty()) else {
        return;
    };
    match counts.get_mut(v) {
        Some(n) => *n += 1,
        None => {
            counts.insert(v.to_string(), 1);
        }
    }
}

impl EventTotals {
    /// `agg_value`'s rows as the events give them.
    fn values(&self) -> BTreeMap<(String, String), i64> {
        let kinds = [("action", &self.actions), ("outcome", &self.outcomes)];
        kinds
            .into_iter()
            .flat_map(|(kind, counts)| {
                counts
                    .iter()
                    .map(move |(v, n)| ((kind.to_string(), v.clone()), *n))
            })
            .collect()
    }

    /// `agg_day`'s rows, from the hours.
    fn days(&self) -> BTreeMap<(i64, i64), (i64, i64)> {
        let mut days: BTreeMap<(i64, i64), (i64, i64)> = BTreeMap::new();
        for ((acc, hour), (n, cats)) in &self.hours {
            let d = days.entry((*acc, hour.div_euclid(24))).or_insert((0, 0));
            d.0 += n;
            d.1 |= cats;
        }
        days
    }
}

impl Integrity<'_> {
    /// Recomputes the aggregates and source spans from the events and compares them with the
    /// stored rows; `cancel` is polled every million events.
    pub fn check_event_aggregates(&self, cancel: &dyn Fn() -> bool) -> Result<Vec<VerifyProblem>> {
        let totals = self.read_event_totals(cancel)?;
        let mut problems = totals.named_bad_counts.clone();
        if totals.bad_counts > MAX_NAMED {
            problems.push(VerifyProblem {
                what: "event".into(),
                why: format!(
                    "{} more events whose subject_count differs from their subjects",
                    totals.bad_counts - MAX_NAMED
                ),
            });
        }
        self.check_aggregate_tables(&totals, &mut problems)?;
        self.check_source_spans(&totals.spans, &mut problems)?;
        Ok(problems)
    }
}

impl Case {
    /// One reading of every event, in id order.
    fn read_event_totals(&self, cancel: &dyn Fn() -> bool) -> Result<EventTotals> {
        let e = |err| self.err(err);
        let mut t = EventTotals::default();
        let mut st = self
            .conn
            .prepare(
                "SELECT id, source_id, coalesce(account_id, 0), ts_us, categories, action,
                        outcome, subject_count, subject_ids, system_id
                 FROM event ORDER BY id",
            )
            .map_err(e)?;
        let mut rows = st.query([]).map_err(e)?;
        let mut n = 0u64;
        while let Some(r) = rows.next().map_err(e)? {
            n += 1;
            if n.is_multiple_of(1 << 20) && cancel() {
                return Err(super::CaseError::Cancelled);
            }
            let id: i64 = r.get(0).map_err(e)?;
            let source: i64 = r.get(1).map_err(e)?;
            let account: i64 = r.get(2).map_err(e)?;
            let ts: i64 = r.get(3).map_err(e)?;
            let cats: i64 = r.get(4).map_err(e)?;
            let h = t
                .hours
                .entry((account, ts.div_euclid(HOUR_US)))
                .or_insert((0, 0));
            h.0 += 1;
            h.1 |= cats;
            let text = |col| r.get_ref(col).and_then(|v| Ok(v.as_str_or_null()?));
            let (action, outcome) = (text(5).map_err(e)?, text(6).map_err(e)?);
            count_value(&mut t.actions, action);
            count_value(&mut t.outcomes, outcome);
            let system: Option<i64> = r.get(9).map_err(e)?;
            t.cells
                .add(ts, Some(account), system, action, outcome, cats as u64);
            let count: i64 = r.get(7).map_err(e)?;
            let listed = text(8)
                .map_err(e)?
                .map_or(0, |s| s.split_ascii_whitespace().count()) as i64;
            if count != listed {
                t.bad_counts += 1;
                if t.bad_counts <= MAX_NAMED {
                    t.named_bad_counts.push(VerifyProblem {
                        what: format!("event {id}"),
                        why: format!("subject_count is {count}, but it lists {listed} subjects"),
                    });
                }
            }
            let s = t.spans.entry(source).or_insert(SourceSpan {
                first_id: id,
                first_ts: ts,
                last_ts: ts,
                ..SourceSpan::default()
            });
            t.source_hours.add(source, ts, id);
            s.events += 1;
            s.last_id = id;
            s.first_ts = s.first_ts.min(ts);
            s.last_ts = s.last_ts.max(ts);
        }
        Ok(t)
    }

    /// Rows of `agg_hour` (the timeline), `agg_day` and `agg_value` (the filter choices) that
    /// differ from what the events give.
    fn check_aggregate_tables(
        &self,
        totals: &EventTotals,
        problems: &mut Vec<VerifyProblem>,
    ) -> Result<()> {
        let hours: BTreeMap<_, _> = totals.hours.iter().map(|(k, v)| (*k, *v)).collect();
        let stored_hours: BTreeMap<(i64, i64), (i64, i64)> = self
            .query_vec(
                "SELECT account_id, hour, n, categories FROM agg_hour",
                [],
                |r| Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?))),
            )?
            .into_iter()
            .collect();
        compare(
            "agg_hour",
            "(account_id, hour)",
            &stored_hours,
            &hours,
            problems,
        );
        let stored_days: BTreeMap<(i64, i64), (i64, i64)> = self
            .query_vec(
                "SELECT account_id, day, n, categories FROM agg_day",
                [],
                |r| Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?))),
            )?
            .into_iter()
            .collect();
        compare(
            "agg_day",
            "(account_id, day)",
            &stored_days,
            &totals.days(),
            problems,
        );
        // A case opened read-only below schema 9 has no cells to compare.
        let cell_tables: &[bool] = if self.has_cells()? {
            &[false, true]
        } else {
            &[]
        };
        for &daily in cell_tables {
            let stored: BTreeMap<_, _> = super::cells::stored_rows(&self.conn, daily)
                .map_err(|e| self.err(e))?
                .into_iter()
                .collect();
            let derived: BTreeMap<_, _> = totals.cells.rows(daily).into_iter().collect();
            let (table, key) = if daily {
                (
                    "agg_cell_day",
                    "(day, account_id, system_id, action, outcome, categories)",
                )
            } else {
                (
                    "agg_cell_hour",
                    "(hour, account_id, system_id, action, outcome, categories)",
                )
            };
            compare(table, key, &stored, &derived, problems);
        }
        if self.has_source_hours()? {
            let stored = super::source_hours::stored_map(&self.conn).map_err(|e| self.err(e))?;
            compare(
                "source_hour",
                "(source_id, hour)",
                &stored,
                &totals.source_hours.rows(),
                problems,
            );
        }
        let stored_values: BTreeMap<(String, String), i64> = self
            .query_vec("SELECT kind, value, n FROM agg_value", [], |r| {
                Ok(((r.get(0)?, r.get(1)?), r.get(2)?))
            })?
            .into_iter()
            .collect();
        compare(
            "agg_value",
            "(kind, value)",
            &stored_values,
            &totals.values(),
            problems,
        );
        Ok(())
    }

    /// Access sources whose recorded event range (ids, first and last time) is not their
    /// events'.
    fn check_source_spans(
        &self,
        spans: &BTreeMap<i64, SourceSpan>,
        problems: &mut Vec<VerifyProblem>,
    ) -> Result<()> {
        for s in self.sources().list()? {
            if s.kind != "access" {
                continue;
            }
            let derived = spans.get(&s.id).map_or((None, None, None, None), |p| {
                (
                    Some(p.first_id),
                    Some(p.last_id),
                    Some(p.first_ts),
                    Some(p.last_ts),
                )
            });
            let stored = (
                s.first_event_id,
                s.last_event_id,
                s.first_ts_us,
                s.last_ts_us,
            );
            if stored != derived {
                problems.push(VerifyProblem {
                    what: format!("source {} ({})", s.id, s.file_name),
                    why: format!(
                        "records events {:?}..{:?} at {:?}..{:?} µs, but its events are {:?}..{:?} at {:?}..{:?} µs",
                        stored.0, stored.1, stored.2, stored.3, derived.0, derived.1, derived.2, derived.3
                    ),
                });
            }
        }
        Ok(())
    }
}
