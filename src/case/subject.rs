//! Data-subject queries: resolve a normalized identifier (directly or through an alias) to a
//! subject, list the events that touched it, and the access logs' time coverage. Also the
//! event -> subjects lists of one person's events, for per-session subject counts.

use super::facade::{People, Subjects};
use std::collections::HashMap;

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::read::{EVENT_COLS, event_row};
use super::{Case, EventRow, Result};

/// A data subject as stored.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SubjectRow {
    pub id: i64,
    /// The subject's normalized primary identifier.
    pub key: String,
    /// id | phone | email
    pub kind: String,
    /// Where the subject lives (ISO 3166 alpha-2), from the subjects roster.
    pub country: Option<String>,
}

/// An event that touched a subject, with who did it and where.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SubjectEventRow {
    pub event: EventRow,
    pub person_name: Option<String>,
    /// Where the acting person works (the roster's country); `None` for unmapped accounts.
    pub actor_country: Option<String>,
    /// Where the system stores its data.
    pub system_country: Option<String>,
}

/// An event as the bulk subject lookup reads it: ids, not names (see [`LookupNames`]), and
/// action and outcome as indexes into [`LinkedEvents::values`] — 56 bytes, so millions fit.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedEvent {
    pub id: i64,
    pub ts_us: i64,
    pub categories: u64,
    pub records: Option<i64>,
    /// Account row id; 0 for none (row ids start at 1).
    pub account_id: u32,
    /// System row id; 0 for none.
    pub system_id: u32,
    /// Index into `values` + 1; 0 for none.
    pub action: u32,
    /// Index into `values` + 1; 0 for none.
    pub outcome: u32,
}

/// Events read by [`Subjects::events_by_sorted_ids`], with the action and outcome texts they use.
#[derive(Debug, Clone, Default)]
pub struct LinkedEvents {
    pub events: Vec<LinkedEvent>,
    pub values: Vec<String>,
}

impl LinkedEvents {
    /// The text behind an `action` or `outcome` index.
    pub fn value(&self, index: u32) -> Option<&str> {
        index
            .checked_sub(1)
            .and_then(|i| self.values.get(i as usize))
            .map(String::as_str)
    }
}

/// An account with the person a roster maps it to.
#[derive(Debug, Clone, PartialEq)]
pub struct LookupAccountNames {
    pub name: String,
    pub person_key: Option<String>,
    pub person_name: Option<String>,
    /// Where the person works.
    pub person_country: Option<String>,
}

/// Account and system names by row id, for answering many lookups without joins.
#[derive(Debug, Clone, Default)]
pub struct LookupNames {
    pub accounts: HashMap<i64, LookupAccountNames>,
    /// system id -> (name, country where it stores data)
    pub systems: HashMap<i64, (String, Option<String>)>,
}

/// Ids this close together are read with one range scan rather than a seek each: stepping
/// over a row costs a fraction of a microsecond, a new range query a microsecond or two.
const NEAR_IDS: i64 = 8;

impl Subjects<'_> {
    /// The subject whose key is `key` (already normalized), else the one that has `key` as an
    /// alias. The flag says whether the alias matched.
    pub fn subject_by_key(&self, key: &str) -> Result<Option<(SubjectRow, bool)>> {
        let row = |r: &rusqlite::Row| -> rusqlite::Result<SubjectRow> {
            Ok(SubjectRow {
                id: r.get(0)?,
                key: r.get(1)?,
                kind: r.get(2)?,
                country: r.get(3)?,
            })
        };
        let direct = self
            .conn
            .prepare_cached("SELECT id, key, kind, country FROM subject WHERE key = ?1")
            .and_then(|mut st| st.query_row([key], row).optional())
            .map_err(|e| self.err(e))?;
        if let Some(s) = direct {
            return Ok(Some((s, false)));
        }
        let alias = self
            .conn
            .prepare_cached(
                "SELECT s.id, s.key, s.kind, s.country FROM subject_alias al
                 JOIN subject s ON s.id = al.subject_id WHERE al.alias = ?1",
            )
            .and_then(|mut st| st.query_row([key], row).optional())
            .map_err(|e| self.err(e))?;
        Ok(alias.map(|s| (s, true)))
    }
}

impl Case {
    /// Whether the case has `subject_event` (schema 6; not a schema-5 case opened read-only).
    pub(super) fn has_subject_event(&self) -> Result<bool> {
        self.has_table("subject_event")
    }

    /// Where a query finds subject -> event links: `subject_event` (schema 6), or the
    /// `event_subject` of a schema-5 case opened read-only (not upgraded).
    pub(super) fn subject_link_sql(&self) -> Result<SubjectLinks> {
        Ok(if self.has_subject_event()? {
            SubjectLinks {
                from: "subject_event se CROSS JOIN json_each(se.event_ids) j",
                event: "j.value",
            }
        } else {
            SubjectLinks {
                from: "event_subject se",
                event: "se.event_id",
            }
        })
    }
}

impl Subjects<'_> {
    /// Every event that touched the subject (all outcomes), oldest first. Reads the subject's
    /// `subject_event` rows (subject -> event ids), then each event by row id.
    pub fn subject_events(&self, subject_id: i64) -> Result<Vec<SubjectEventRow>> {
        let SubjectLinks { from, event } = self.subject_link_sql()?;
        let sql = format!(
            "SELECT {EVENT_COLS}, p.display_name, p.country, s.country
             FROM {from} CROSS JOIN event e ON e.id = {event}
             LEFT JOIN account a ON a.id = e.account_id
             LEFT JOIN person p ON p.id = a.person_id
             LEFT JOIN system s ON s.id = e.system_id
             WHERE se.subject_id = ?1 ORDER BY e.ts_us, e.id"
        );
        self.query_vec(&sql, [subject_id], |r| {
            Ok(SubjectEventRow {
                event: event_row(r)?,
                person_name: r.get(13)?,
                actor_country: r.get(14)?,
                system_country: r.get(15)?,
            })
        })
    }

    /// Ids of the events that touched the subject, ascending (from `subject_event`).
    pub fn subject_event_ids(&self, subject_id: i64) -> Result<Vec<i64>> {
        let SubjectLinks { from, event } = self.subject_link_sql()?;
        self.query_vec(
            &format!("SELECT {event} FROM {from} WHERE se.subject_id = ?1 ORDER BY 1"),
            [subject_id],
            |r| r.get(0),
        )
    }

    /// The events with the given ids, which must be ascending and unique, in that order (ids
    /// with no event are skipped). Runs of nearby ids are read with one range scan over the
    /// table, so many ids cost about one pass over the part of `event` they span.
    pub fn events_by_sorted_ids(&self, ids: &[i64]) -> Result<LinkedEvents> {
        let mut out = Vec::with_capacity(ids.len());
        let mut values: Vec<String> = Vec::new();
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut intern = |v: Option<&str>| -> u32 {
            let Some(v) = v else { return 0 };
            if let Some(i) = index.get(v) {
                return *i;
            }
            values.push(v.to_string());
            let i = values.len() as u32;
            index.insert(v.to_string(), i);
            i
        };
        let narrow = |v: Option<i64>| -> rusqlite::Result<u32> {
            v.map_or(Ok(0), |v| {
                u32::try_from(v).map_err(|_| {
                    rusqlite::Error::ToSqlConversionFailure(
                        format!("row id {v} is beyond the 2^32 this case format supports").into(),
                    )
                })
            })
        };
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, ts_us, account_id, system_id, action, categories, records, outcome
                 FROM event WHERE id BETWEEN ?1 AND ?2",
            )
            .map_err(|e| self.err(e))?;
        let mut i = 0;
        while i < ids.len() {
            let mut j = i;
            while j + 1 < ids.len() && ids[j + 1] - ids[j] <= NEAR_IDS {
                j += 1;
            }
            let mut rows = st.query([ids[i], ids[j]]).map_err(|e| self.err(e))?;
            let mut k = i;
            while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                let id: i64 = r.get(0).map_err(|e| self.err(e))?;
                while k <= j && ids[k] < id {
                    k += 1;
                }
                if k > j {
                    break;
                }
                if ids[k] != id {
                    continue;
                }
                let row = (|| {
                    Ok(LinkedEvent {
                        id,
                        ts_us: r.get(1)?,
                        account_id: narrow(r.get(2)?)?,
                        system_id: narrow(r.get(3)?)?,
                        action: intern(r.get_ref(4)?.as_str_or_null()?),
                        categories: r.get::<_, i64>(5)? as u64,
                        records: r.get(6)?,
                        outcome: intern(r.get_ref(7)?.as_str_or_null()?),
                    })
                })()
                .map_err(|e: rusqlite::Error| self.err(e))?;
                out.push(row);
                k += 1;
            }
            i = j + 1;
        }
        Ok(LinkedEvents {
            events: out,
            values,
        })
    }

    /// Every account (with its person) and system by row id.
    pub fn lookup_names(&self) -> Result<LookupNames> {
        let accounts = self.query_vec(
            "SELECT a.id, a.name, p.person_key, p.display_name, p.country
             FROM account a LEFT JOIN person p ON p.id = a.person_id",
            [],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    LookupAccountNames {
                        name: r.get(1)?,
                        person_key: r.get(2)?,
                        person_name: r.get(3)?,
                        person_country: r.get(4)?,
                    },
                ))
            },
        )?;
        let systems = self.query_vec("SELECT id, name, country FROM system", [], |r| {
            Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?)))
        })?;
        Ok(LookupNames {
            accounts: accounts.into_iter().collect(),
            systems: systems.into_iter().collect(),
        })
    }

    /// The earliest and latest event time over all access-log sources (UTC µs): the span the
    /// logs cover, for "no access recorded in sources covering ..." answers.
    pub fn access_coverage(&self) -> Result<(Option<i64>, Option<i64>)> {
        self.conn
            .query_row(
                "SELECT min(first_ts_us), max(last_ts_us) FROM source WHERE kind = 'access'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))
    }

    /// Events of one person with their subject row ids (`event.subject_ids`), oldest first:
    /// (event id, subject ids).
    pub fn person_event_subjects(&self, person_key: &str) -> Result<Vec<(i64, Vec<i64>)>> {
        let rows = self.query_vec(
            "SELECT e.id, e.subject_ids FROM account a CROSS JOIN event e ON e.account_id = a.id
             WHERE a.person_id = (SELECT id FROM person WHERE person_key = ?1)
               AND e.subject_ids IS NOT NULL",
            [person_key],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
        )?;
        Ok(rows
            .into_iter()
            .map(|(id, ids)| {
                let list = ids
                    .split_ascii_whitespace()
                    .filter_map(|t| t.parse().ok())
                    .collect();
                (id, list)
            })
            .collect())
    }

    /// Up to `limit` subject keys, in id order (for benchmarks and samples).
    pub fn subject_keys(&self, limit: usize) -> Result<Vec<String>> {
        self.query_vec(
            "SELECT key FROM subject ORDER BY id LIMIT ?1",
            [limit as i64],
            |r| r.get(0),
        )
    }
}

impl People<'_> {
    /// Display name of a person key, for labels.
    pub fn person_name(&self, person_key: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT display_name FROM person WHERE person_key = ?1",
                [person_key],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }
}

/// SQL for reading subject -> event links (see [`Case::subject_link_sql`]): `from` binds the
/// subject's rows as `se` (filter on `se.subject_id`); `event` is the event id column.
pub(super) struct SubjectLinks {
    pub from: &'static str,
    pub event: &'static str,
}
