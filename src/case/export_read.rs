//! The streaming row query behind exports: the events of a selection (whole case, a time range
//! with timeline filters, persons, data subjects, or a list of event ids), oldest first, handed
//! one at a time to a callback with borrowed text, so an export of ten million rows never
//! holds more than one row. Names (accounts, persons, systems, sources, subjects) are read once
//! into [`ExportLookups`] instead of being joined per row.

use super::facade::{Custody, Export, Writes};
use std::collections::HashMap;
use std::ops::ControlFlow;

use rusqlite::types::{Value, ValueRef};

use super::timeline::{FilterTerm, filter_clause};
use super::{Case, CaseError, Result};

/// Which events an export covers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EventSelection {
    /// Every event of the case.
    All,
    /// `[from_us, to_us)` and the timeline's filter terms (the GUI's current view).
    Range {
        from_us: i64,
        to_us: i64,
        filter: Vec<FilterTerm>,
    },
    /// The events of these persons' accounts (roster person ids, `P13`).
    Persons(Vec<String>),
    /// The events that touched these subjects (`subject.id`).
    Subjects(Vec<i64>),
    /// These events (`event.id`), e.g. a finding's evidence.
    Events(Vec<i64>),
}

/// One event as the export writer sees it; text borrowed from the current SQLite row.
#[derive(Debug, Clone, Copy)]
pub struct ExportEvent<'a> {
    pub id: i64,
    pub ts_us: i64,
    pub raw_ts: &'a str,
    pub source_id: i64,
    pub line: i64,
    pub line_end: i64,
    pub account_id: Option<i64>,
    pub src_ip: Option<&'a str>,
    pub system_id: Option<i64>,
    pub action: Option<&'a str>,
    pub object: Option<&'a str>,
    pub categories: u64,
    pub records: Option<i64>,
    pub outcome: Option<&'a str>,
    pub session_key: Option<&'a str>,
    pub ticket: Option<&'a str>,
    /// `subject.id`s, space-separated.
    pub subject_ids: Option<&'a str>,
}

#[derive(Debug, Clone, Default)]
pub struct LookupPerson {
    pub key: String,
    pub display_name: String,
    pub organization: Option<String>,
    pub country: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct LookupAccount {
    pub name: String,
    pub person_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct LookupSystem {
    pub name: String,
    pub country: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct LookupSource {
    pub file_name: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Default)]
pub struct LookupSubject {
    pub key: String,
    /// id | phone | email
    pub kind: String,
    pub country: Option<String>,
}

/// Every name an export row refers to, by row id.
#[derive(Debug, Clone, Default)]
pub struct ExportLookups {
    pub persons: HashMap<i64, LookupPerson>,
    pub accounts: HashMap<i64, LookupAccount>,
    pub systems: HashMap<i64, LookupSystem>,
    pub sources: HashMap<i64, LookupSource>,
    pub subjects: HashMap<i64, LookupSubject>,
}

const EXPORT_COLS: &str =
    "e.id, e.ts_us, e.raw_ts, e.source_id, e.line, e.line + e.line_span, e.account_id,
    e.src_ip, e.system_id, e.action, e.object, e.categories, e.records, e.outcome,
    e.session_key, e.ticket, e.subject_ids";

fn opt_text(v: ValueRef<'_>) -> Option<&str> {
    match v {
        ValueRef::Text(t) => std::str::from_utf8(t).ok(),
        _ => None,
    }
}

fn opt_int(v: ValueRef<'_>) -> Option<i64> {
    match v {
        ValueRef::Integer(i) => Some(i),
        _ => None,
    }
}

impl Export<'_> {
    /// Every name export rows refer to.
    pub fn export_lookups(&self) -> Result<ExportLookups> {
        let mut l = ExportLookups::default();
        for (id, p) in self.query_vec(
            "SELECT id, person_key, display_name, organization, country FROM person",
            [],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    LookupPerson {
                        key: r.get(1)?,
                        display_name: r.get(2)?,
                        organization: r.get(3)?,
                        country: r.get(4)?,
                    },
                ))
            },
        )? {
            l.persons.insert(id, p);
        }
        for (id, a) in self.query_vec("SELECT id, name, person_id FROM account", [], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                LookupAccount {
                    name: r.get(1)?,
                    person_id: r.get(2)?,
                },
            ))
        })? {
            l.accounts.insert(id, a);
        }
        for (id, s) in self.query_vec("SELECT id, name, country FROM system", [], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                LookupSystem {
                    name: r.get(1)?,
                    country: r.get(2)?,
                },
            ))
        })? {
            l.systems.insert(id, s);
        }
        for (id, s) in self.query_vec("SELECT id, file_name, sha256 FROM source", [], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                LookupSource {
                    file_name: r.get(1)?,
                    sha256: r.get(2)?,
                },
            ))
        })? {
            l.sources.insert(id, s);
        }
        for (id, s) in self.query_vec("SELECT id, key, kind, country FROM subject", [], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                LookupSubject {
                    key: r.get(1)?,
                    kind: r.get(2)?,
                    country: r.get(3)?,
                },
            ))
        })? {
            l.subjects.insert(id, s);
        }
        Ok(l)
    }
}

impl Case {
    /// The SQL text and parameters of a selection; `cols` is the select list.
    fn selection_sql(&self, sel: &EventSelection, cols: &str) -> Result<(String, Vec<Value>)> {
        Ok(match sel {
            EventSelection::All => (
                format!("SELECT {cols} FROM event e ORDER BY e.ts_us, e.id"),
                vec![],
            ),
            EventSelection::Range {
                from_us,
                to_us,
                filter,
            } => {
                // The timeline's own clause: the export of the current view matches what it shows.
                let (clause, values) = filter_clause(filter);
                let mut params = vec![Value::Integer(*from_us), Value::Integer(*to_us)];
                params.extend(values);
                (
                    format!(
                        "SELECT {cols} FROM event e
                         LEFT JOIN account a ON a.id = e.account_id
                         LEFT JOIN person p ON p.id = a.person_id
                         LEFT JOIN system s ON s.id = e.system_id
                         WHERE e.ts_us >= ?1 AND e.ts_us < ?2 {clause}
                         ORDER BY e.ts_us, e.id"
                    ),
                    params,
                )
            }
            EventSelection::Persons(keys) => {
                let json = serde_json::to_string(keys)
                    .map_err(|e| CaseError::Invalid(format!("person list: {e}")))?;
                (
                    format!(
                        "SELECT {cols} FROM account pa CROSS JOIN event e ON e.account_id = pa.id
                         WHERE pa.person_id IN (SELECT id FROM person
                               WHERE person_key IN (SELECT value FROM json_each(?1)))
                         ORDER BY e.ts_us, e.id"
                    ),
                    vec![Value::Text(json)],
                )
            }
            EventSelection::Subjects(ids) => {
                let super::subject::SubjectLinks { from, event } = self.subject_link_sql()?;
                let json = serde_json::to_string(ids)
                    .map_err(|e| CaseError::Invalid(format!("subject list: {e}")))?;
                (
                    format!(
                        "SELECT {cols} FROM event e WHERE e.id IN
                           (SELECT {event} FROM {from}
                            WHERE se.subject_id IN (SELECT value FROM json_each(?1)))
                         ORDER BY e.ts_us, e.id"
                    ),
                    vec![Value::Text(json)],
                )
            }
            EventSelection::Events(ids) => {
                let json = serde_json::to_string(ids)
                    .map_err(|e| CaseError::Invalid(format!("event list: {e}")))?;
                (
                    format!(
                        "SELECT {cols} FROM event e
                         WHERE e.id IN (SELECT value FROM json_each(?1))
                         ORDER BY e.ts_us, e.id"
                    ),
                    vec![Value::Text(json)],
                )
            }
        })
    }
}

impl Export<'_> {
    /// How many events the selection holds (unit: events), for progress bars and manifests.
    pub fn selection_count(&self, sel: &EventSelection) -> Result<u64> {
        if *sel == EventSelection::All {
            let n: i64 = self
                .conn
                .query_row(
                    "SELECT coalesce(sum(rows_imported), 0) FROM source WHERE kind = 'access'",
                    [],
                    |r| r.get(0),
                )
                .map_err(|e| self.err(e))?;
            return Ok(n.max(0) as u64);
        }
        let (sql, params) = self.selection_sql(sel, "count(*)")?;
        // The ORDER BY of a count query is harmless but useless; drop it.
        let sql = match sql.rfind("ORDER BY") {
            Some(i) => sql[..i].to_string(),
            None => sql,
        };
        let n: i64 = self
            .conn
            .query_row(&sql, rusqlite::params_from_iter(params), |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(n.max(0) as u64)
    }

    /// Calls `f` for every event of the selection, oldest first (ties by id), until it
    /// returns `Break`. Returns the number of rows handed over.
    pub fn for_each_export_event(
        &self,
        sel: &EventSelection,
        mut f: impl FnMut(&ExportEvent<'_>) -> ControlFlow<()>,
    ) -> Result<u64> {
        let (sql, params) = self.selection_sql(sel, EXPORT_COLS)?;
        let mut st = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = st
            .query(rusqlite::params_from_iter(params))
            .map_err(|e| self.err(e))?;
        let mut n = 0u64;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let v = |i: usize| r.get_ref(i).unwrap_or(ValueRef::Null);
            let ev = ExportEvent {
                id: opt_int(v(0)).unwrap_or(0),
                ts_us: opt_int(v(1)).unwrap_or(0),
                raw_ts: opt_text(v(2)).unwrap_or(""),
                source_id: opt_int(v(3)).unwrap_or(0),
                line: opt_int(v(4)).unwrap_or(0),
                line_end: opt_int(v(5)).unwrap_or(0),
                account_id: opt_int(v(6)),
                src_ip: opt_text(v(7)),
                system_id: opt_int(v(8)),
                action: opt_text(v(9)),
                object: opt_text(v(10)),
                categories: opt_int(v(11)).unwrap_or(0) as u64,
                records: opt_int(v(12)),
                outcome: opt_text(v(13)),
                session_key: opt_text(v(14)),
                ticket: opt_text(v(15)),
                subject_ids: opt_text(v(16)),
            };
            n += 1;
            if f(&ev).is_break() {
                break;
            }
        }
        Ok(n)
    }
}

impl Custody<'_> {
    /// The custody log's last hash (the genesis hash when it is empty) and its length.
    pub fn custody_head(&self) -> Result<(String, i64)> {
        let head: Option<String> = self
            .conn
            .query_row(
                "SELECT hash FROM custody ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .map_err(|e| self.err(e))?;
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM custody", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok((
            head.unwrap_or_else(|| super::custody::GENESIS.to_string()),
            n,
        ))
    }
}

impl Writes<'_> {
    /// Appends an entry to the custody log (in its own transaction). Refused when the case is
    /// open for review.
    pub fn append_custody(
        &mut self,
        actor: &str,
        action: &str,
        details: &serde_json::Value,
    ) -> Result<()> {
        self.with_tx(|c| super::custody::append(c, actor, action, details))
    }
}
