//! The cell aggregates `agg_cell_hour` and `agg_cell_day` (schema 9): events per (UTC hour or
//! day, account, system, action, outcome, category set). An import gathers its cells in a
//! [`Cells`] while its events are resolved and adds them to the tables at the end, as it does
//! `agg_hour`; `verify` gathers them again from `event` with the same type and compares.
//! The timeline and the table count read them for filters whose terms all name these
//! dimensions (see `timeline.rs`, [`is_cell_level`]).

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Connection, params};

use super::timeline::{FilterColumn, FilterTerm};
use super::write::FastHash;
use crate::model::query::{Expr, Field};

pub(super) const US_PER_HOUR: i64 = 3_600_000_000;
pub(super) const HOURS_PER_DAY: i64 = 24;

/// One cell's key; action and outcome are indexes into [`Cells::names`] (0: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    bucket: i64,
    account_id: i64,
    system_id: i64,
    action: u32,
    outcome: u32,
    categories: u64,
}

/// A cell's key and its events.
type Counted = (Key, i64);

/// Cells being gathered: per hour, with the action and outcome texts interned.
#[derive(Debug, Default)]
pub struct Cells {
    hours: HashMap<Key, i64, FastHash>,
    /// Cells held before [`Cells::take_full`] gives them up; 0 (a gathering made by
    /// `Default`, as `verify`'s is): never.
    flush_at: usize,
    /// Text -> index in `names` (from 1).
    index: HashMap<String, u32, FastHash>,
    names: Vec<String>,
}

/// A cell as the tables store it: (bucket, account, system, action, outcome, categories) -> n,
/// action and outcome `None` where the table holds 0.
pub(super) type CellRow = ((i64, i64, i64, Option<String>, Option<String>, i64), i64);

/// Hourly cells an import holds before it adds them to the tables (~60–110 MB of map): past
/// this the batch being resolved takes them to the writer (see `write.rs`). The hourly cells
/// grow with the events per hour of a file — 75 M rows over 2.8 years made millions.
pub(super) const FLUSH_CELLS: usize = 1 << 20;

impl Cells {
    /// An empty gathering that [`Cells::take_full`] gives up at `n` cells (the tests' knob
    /// makes it small).
    pub(super) fn flushing_at(n: usize) -> Cells {
        Cells {
            flush_at: n.max(1),
            ..Cells::default()
        }
    }

    /// The cells gathered so far when they number the [`Cells::flushing_at`] limit or more,
    /// leaving this one empty but for the interned names, which the cells taken keep a copy
    /// of.
    pub(super) fn take_full(&mut self) -> Option<Cells> {
        if self.flush_at == 0 || self.hours.len() < self.flush_at {
            return None;
        }
        Some(Cells {
            hours: std::mem::take(&mut self.hours),
            flush_at: self.flush_at,
            index: HashMap::default(),
            names: self.names.clone(),
        })
    }

    fn intern(&mut self, text: Option<&str>) -> u32 {
        let Some(t) = text else { return 0 };
        if let Some(i) = self.index.get(t) {
            return *i;
        }
        self.names.push(t.to_string());
        let i = self.names.len() as u32;
        self.index.insert(t.to_string(), i);
        i
    }

    /// Counts one event.
    #[inline]
    pub fn add(
        &mut self,
        ts_us: i64,
        account_id: Option<i64>,
        system_id: Option<i64>,
        action: Option<&str>,
        outcome: Option<&str>,
        categories: u64,
    ) {
        let key = Key {
            bucket: ts_us.div_euclid(US_PER_HOUR),
            account_id: account_id.unwrap_or(0),
            system_id: system_id.unwrap_or(0),
            action: self.intern(action),
            outcome: self.intern(outcome),
            categories,
        };
        *self.hours.entry(key).or_insert(0) += 1;
    }

    fn name(&self, i: u32) -> Option<&str> {
        (i > 0).then(|| self.names[i as usize - 1].as_str())
    }

    /// The hourly cells in key order, and the daily ones.
    fn sorted(&self) -> (Vec<Counted>, Vec<Counted>) {
        let mut hours: Vec<Counted> = self.hours.iter().map(|(k, n)| (*k, *n)).collect();
        hours.sort_unstable();
        let mut days: HashMap<Key, i64, FastHash> = HashMap::default();
        for (k, n) in &hours {
            *days
                .entry(Key {
                    bucket: k.bucket.div_euclid(HOURS_PER_DAY),
                    ..*k
                })
                .or_insert(0) += n;
        }
        let mut days: Vec<Counted> = days.into_iter().collect();
        days.sort_unstable();
        (hours, days)
    }

    /// Adds the cells to `agg_cell_hour` and `agg_cell_day`.
    pub fn write(&self, conn: &Connection) -> rusqlite::Result<()> {
        let (hours, days) = self.sorted();
        for (table, bucket, rows) in [
            ("agg_cell_hour", "hour", &hours),
            ("agg_cell_day", "day", &days),
        ] {
            let mut up = conn.prepare_cached(&format!(
                "INSERT INTO {table}({bucket}, account_id, system_id, action, outcome, categories, n)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT DO UPDATE SET n = n + excluded.n"
            ))?;
            for (k, n) in rows.iter() {
                let text = |i| {
                    self.name(i)
                        .map_or(Value::Integer(0), |t| Value::Text(t.into()))
                };
                up.execute(params![
                    k.bucket,
                    k.account_id,
                    k.system_id,
                    text(k.action),
                    text(k.outcome),
                    k.categories as i64,
                    n
                ])?;
            }
        }
        Ok(())
    }

    /// The hourly (`daily` false) or daily cells as [`CellRow`]s, for `verify`.
    pub(super) fn rows(&self, daily: bool) -> Vec<CellRow> {
        let (hours, days) = self.sorted();
        let rows = if daily { days } else { hours };
        rows.into_iter()
            .map(|(k, n)| {
                let text = |i| self.name(i).map(str::to_string);
                (
                    (
                        k.bucket,
                        k.account_id,
                        k.system_id,
                        text(k.action),
                        text(k.outcome),
                        k.categories as i64,
                    ),
                    n,
                )
            })
            .collect()
    }
}

/// Reads a stored cell table as [`CellRow`]s (`daily`: `agg_cell_day`).
pub(super) fn stored_rows(conn: &Connection, daily: bool) -> rusqlite::Result<Vec<CellRow>> {
    let (table, bucket) = if daily {
        ("agg_cell_day", "day")
    } else {
        ("agg_cell_hour", "hour")
    };
    let mut st = conn.prepare(&format!(
        "SELECT {bucket}, account_id, system_id, action, outcome, categories, n FROM {table}"
    ))?;
    let rows = st.query_map([], |r| {
        let text = |i| -> rusqlite::Result<Option<String>> {
            Ok(match r.get_ref(i)? {
                rusqlite::types::ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into()),
                // 0 (none); anything else is not what an import writes and shows as such.
                rusqlite::types::ValueRef::Integer(0) => None,
                other => Some(format!("{other:?}")),
            })
        };
        Ok((
            (
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                text(3)?,
                text(4)?,
                r.get(5)?,
            ),
            r.get(6)?,
        ))
    })?;
    rows.collect()
}

/// Whether a query-language term can be decided on a cell: it names only the account, the
/// person behind it, the system, the action, the outcome or a category (free text, object,
/// IP, session, ticket, source, raw time, unmapped fields and time ranges are event-level).
fn expr_is_cell_level(e: &Expr) -> bool {
    match e {
        Expr::Any(_) | Expr::Time { .. } => false,
        Expr::Field(f, _) => matches!(
            f,
            Field::Account
                | Field::Person
                | Field::Organization
                | Field::ActorCountry
                | Field::System
                | Field::StorageCountry
                | Field::Action
                | Field::Outcome
                | Field::Category
        ),
        Expr::Not(e) => expr_is_cell_level(e),
        Expr::And(v) | Expr::Or(v) => v.iter().all(expr_is_cell_level),
    }
}

/// Whether the term can be decided on a cell of `agg_cell_hour`/`agg_cell_day`: its SQL names
/// only `e.account_id`, `e.system_id`, `e.action`, `e.outcome`, `e.categories` and the
/// account, person and system tables.
pub fn is_cell_level(term: &FilterTerm) -> bool {
    match term {
        FilterTerm::Person(_)
        | FilterTerm::Organization(_)
        | FilterTerm::ActorCountry(_)
        | FilterTerm::System(_)
        | FilterTerm::StorageCountry(_)
        | FilterTerm::Category(_)
        | FilterTerm::Action(_)
        | FilterTerm::Outcome(_) => true,
        FilterTerm::Query(q) => expr_is_cell_level(&q.expr),
        FilterTerm::Column { column, .. } => matches!(
            column,
            FilterColumn::Person
                | FilterColumn::Organization
                | FilterColumn::Account
                | FilterColumn::System
                | FilterColumn::StorageCountry
                | FilterColumn::Action
                | FilterColumn::Outcome
        ),
        FilterTerm::Text(_)
        | FilterTerm::Events { .. }
        | FilterTerm::Tag(_)
        | FilterTerm::Starred => false,
    }
}

/// A cell table read as `e` with `event`'s column names (0 back to NULL for action and
/// outcome), and the joins every filter clause names. SQLite flattens the subquery, so the
/// bucket range still walks the primary key, and drops the joins a clause does not use.
pub(super) fn from_cells(daily: bool) -> &'static str {
    if daily {
        "FROM (SELECT day AS bucket, account_id, system_id, nullif(action, 0) AS action,
                      nullif(outcome, 0) AS outcome, categories, n FROM agg_cell_day) e
         LEFT JOIN account a ON a.id = e.account_id
         LEFT JOIN person p ON p.id = a.person_id
         LEFT JOIN system s ON s.id = e.system_id"
    } else {
        "FROM (SELECT hour AS bucket, account_id, system_id, nullif(action, 0) AS action,
                      nullif(outcome, 0) AS outcome, categories, n FROM agg_cell_hour) e
         LEFT JOIN account a ON a.id = e.account_id
         LEFT JOIN person p ON p.id = a.person_id
         LEFT JOIN system s ON s.id = e.system_id"
    }
}

/// Where each part of a time range is counted: whole days in `agg_cell_day`, whole hours
/// (of the partial days at the ends) in `agg_cell_hour`, the partial hours at the ends in
/// `event`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// Buckets `[from, to)` of the daily (`true`) or hourly table.
    Cells { daily: bool, from: i64, to: i64 },
    /// `[from_us, to_us)` in `event`.
    Events { from_us: i64, to_us: i64 },
}

/// Splits `[from_us, to_us)` into [`Part`]s, coarsest first: days when `days` is allowed,
/// then hours, then events. Empty parts are left out.
pub(super) fn split(from_us: i64, to_us: i64, days: bool) -> Vec<Part> {
    let mut out = Vec::new();
    if to_us <= from_us {
        return out;
    }
    let ceil = |t: i64, w: i64| t.div_euclid(w) + i64::from(t.rem_euclid(w) != 0);
    let h0 = ceil(from_us, US_PER_HOUR);
    let h1 = to_us.div_euclid(US_PER_HOUR);
    if h1 <= h0 {
        out.push(Part::Events { from_us, to_us });
        return out;
    }
    let mut hours = vec![(h0, h1)];
    if days {
        let d0 = ceil(h0, HOURS_PER_DAY);
        let d1 = h1.div_euclid(HOURS_PER_DAY);
        if d1 > d0 {
            out.push(Part::Cells {
                daily: true,
                from: d0,
                to: d1,
            });
            hours = vec![(h0, d0 * HOURS_PER_DAY), (d1 * HOURS_PER_DAY, h1)];
        }
    }
    for (a, b) in hours {
        if b > a {
            out.push(Part::Cells {
                daily: false,
                from: a,
                to: b,
            });
        }
    }
    for (a, b) in [(from_us, h0 * US_PER_HOUR), (h1 * US_PER_HOUR, to_us)] {
        if b > a {
            out.push(Part::Events {
                from_us: a,
                to_us: b,
            });
        }
    }
    out
}

impl super::Case {
    /// Whether the case has the cell tables (schema 9; a case opened read-only is not
    /// upgraded, so an older one lacks them and is answered from `event`).
    pub(super) fn has_cells(&self) -> super::Result<bool> {
        let version: i32 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(version >= 9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = US_PER_HOUR;

    #[test]
    fn a_range_splits_into_days_hours_and_events() {
        // 1 h 30 min before day 2 to 2 h 15 min into day 4.
        let from = 2 * 24 * H - 90 * 60_000_000;
        let to = 4 * 24 * H + 2 * H + 15 * 60_000_000;
        assert_eq!(
            split(from, to, true),
            vec![
                Part::Cells {
                    daily: true,
                    from: 2,
                    to: 4
                },
                Part::Cells {
                    daily: false,
                    from: 47,
                    to: 48
                },
                Part::Cells {
                    daily: false,
                    from: 96,
                    to: 98
                },
                Part::Events {
                    from_us: from,
                    to_us: 47 * H
                },
                Part::Events {
                    from_us: 98 * H,
                    to_us: to
                },
            ]
        );
        assert_eq!(
            split(from, to, false),
            vec![
                Part::Cells {
                    daily: false,
                    from: 47,
                    to: 98
                },
                Part::Events {
                    from_us: from,
                    to_us: 47 * H
                },
                Part::Events {
                    from_us: 98 * H,
                    to_us: to
                },
            ]
        );
        // Inside one hour: events only; negative times floor.
        assert_eq!(
            split(-H + 5, -5, true),
            vec![Part::Events {
                from_us: -H + 5,
                to_us: -5
            }]
        );
        assert_eq!(
            split(-2 * H, 0, true),
            vec![Part::Cells {
                daily: false,
                from: -2,
                to: 0
            }]
        );
        assert!(split(5, 5, true).is_empty());
    }
}
