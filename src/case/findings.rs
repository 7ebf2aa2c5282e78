//! Storage and scans for the findings rules: their parameters (`finding_param`), the
//! investigator's dispositions (`finding_disposition`, latest row per key wins), declared source
//! retention (`source_retention`), and the compact event scans the rules and the impact tables
//! run over. Every change an investigator makes here is appended to the custody log.

use super::facade::{Findings, Writes};
use rusqlite::params;
use serde::Serialize;

use super::{CaseError, Result, custody};
use crate::model::{DispositionStatus, access_sql};

/// One event as the rules see it: no strings, so ten million fit in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanEvent {
    pub id: i64,
    pub ts_us: i64,
    /// `event.account_id`; 0 for events without an account.
    pub account_id: i64,
    pub source_id: i64,
    /// `event.system_id`; 0 for events without a system.
    pub system_id: i64,
    pub categories: u64,
    /// `event.records`; 0 when absent.
    pub records: i64,
    /// Outcome neither `denied` nor `failed` (see `model::is_access`).
    pub access: bool,
}

/// An event of an account with no person in the roster, or whose person has no country (for
/// `cross_border.ip_countries`).
#[derive(Debug, Clone, PartialEq)]
pub struct UnplacedEvent {
    pub id: i64,
    pub ts_us: i64,
    pub account_id: i64,
    pub account: String,
    /// The roster person the account maps to (one without a country), if any.
    pub person_key: Option<String>,
    /// `event.system_id`; 0 for events without a system.
    pub system_id: i64,
    pub categories: u64,
    pub records: i64,
    /// Outcome neither `denied` nor `failed`.
    pub access: bool,
    pub src_ip: Option<String>,
}

/// A parameter of a findings rule as stored in the case.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ParamRow {
    pub rule: String,
    pub key: String,
    /// JSON text.
    pub value: String,
    pub author: String,
    pub at_us: i64,
}

/// One disposition row (a finding's history is all rows of its key, oldest first).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DispositionRow {
    pub id: i64,
    pub finding_key: String,
    pub status: DispositionStatus,
    pub note: String,
    pub author: String,
    pub at_us: i64,
}

/// What was declared about an access source's retention.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RetentionRow {
    pub source_id: i64,
    pub file_name: String,
    pub from_us: Option<i64>,
    pub to_us: Option<i64>,
    pub note: Option<String>,
    pub author: String,
    pub at_us: i64,
}

impl Findings<'_> {
    /// Streams every event, in id order, with `subjects` the event's `subject_ids` text (row
    /// ids, space-separated) when it has any. One sequential pass over `event`.
    pub fn scan_events(&self, f: impl FnMut(&ScanEvent, Option<&str>)) -> Result<()> {
        self.scan_events_range(i64::MIN, i64::MAX, f)
    }

    /// Events of accounts that no roster person maps to, or whose person has no country,
    /// ordered by account, then (ts, id). Events without an account are not included.
    pub fn events_without_actor_country(&self) -> Result<Vec<UnplacedEvent>> {
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT e.id, e.ts_us, e.account_id, a.name, p.person_key, coalesce(e.system_id, 0),
                        e.categories, coalesce(e.records, 0), {}, e.src_ip
                 FROM account a
                 LEFT JOIN person p ON p.id = a.person_id
                 JOIN event e ON e.account_id = a.id
                 WHERE p.country IS NULL
                 ORDER BY e.account_id, e.ts_us, e.id",
                access_sql("e.outcome")
            ))
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok(UnplacedEvent {
                    id: r.get(0)?,
                    ts_us: r.get(1)?,
                    account_id: r.get(2)?,
                    account: r.get(3)?,
                    person_key: r.get(4)?,
                    system_id: r.get(5)?,
                    categories: r.get::<_, i64>(6)? as u64,
                    records: r.get(7)?,
                    access: r.get(8)?,
                    src_ip: r.get(9)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// The smallest and largest event id (`None` for a case without events); no scan.
    pub fn event_id_range(&self) -> Result<Option<(i64, i64)>> {
        self.conn
            // Two subqueries: SQLite answers a lone min() or max() from the b-tree's edge, but
            // min() and max() together scan every row.
            .query_row(
                "SELECT (SELECT min(id) FROM event), (SELECT max(id) FROM event)",
                [],
                |r| Ok(r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?)),
            )
            .map_err(|e| self.err(e))
    }

    /// [`Findings::scan_events`] over the events with `lo <= id <= hi` (a rowid range: reads only
    /// those pages), so several connections can scan parts of a case at once.
    pub fn scan_events_range(
        &self,
        lo: i64,
        hi: i64,
        mut f: impl FnMut(&ScanEvent, Option<&str>),
    ) -> Result<()> {
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT id, ts_us, coalesce(account_id, 0), source_id, coalesce(system_id, 0),
                        categories, coalesce(records, 0), {}, subject_ids
                 FROM event WHERE id BETWEEN ?1 AND ?2",
                access_sql("outcome")
            ))
            .map_err(|e| self.err(e))?;
        let mut rows = st.query(params![lo, hi]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let ev = (|| -> rusqlite::Result<ScanEvent> {
                Ok(ScanEvent {
                    id: r.get(0)?,
                    ts_us: r.get(1)?,
                    account_id: r.get(2)?,
                    source_id: r.get(3)?,
                    system_id: r.get(4)?,
                    categories: r.get::<_, i64>(5)? as u64,
                    records: r.get(6)?,
                    access: r.get(7)?,
                })
            })()
            .map_err(|e| self.err(e))?;
            let subjects = r
                .get_ref(8)
                .map_err(|e| self.err(e))?
                .as_str_or_null()
                .map_err(|e| self.err(e.into()))?;
            f(&ev, subjects);
        }
        Ok(())
    }

    /// Events in the case according to the sources' own counts (no scan).
    pub fn event_count_hint(&self) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT coalesce(sum(rows_imported), 0) FROM source WHERE kind = 'access'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Events per account (from the per-day aggregate), to size buffers before a scan.
    pub fn events_per_account(&self) -> Result<Vec<(i64, i64)>> {
        self.query_vec(
            "SELECT account_id, sum(n) FROM agg_day GROUP BY account_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Whether the case has `account_subject` (schema 4; an older case opened read-only has not).
    pub fn has_account_subject(&self) -> Result<bool> {
        self.has_table("account_subject")
    }

    /// How many `account_subject` rows there are (0 below schema 4).
    pub fn account_subject_rows(&self) -> Result<usize> {
        if !self.has_account_subject()? {
            return Ok(0);
        }
        self.conn
            .query_row("SELECT count(*) FROM account_subject", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n.max(0) as usize)
            .map_err(|e| self.err(e))
    }

    /// Every `account_subject` row (schema 4): account id (0: none), subject row id (0: the
    /// account's totals row), categories, events; in key order.
    pub fn scan_account_subjects(&self, mut f: impl FnMut(i64, i64, u64, i64)) -> Result<()> {
        let mut st = self
            .conn
            .prepare(
                "SELECT account_id, subject_id, categories, events FROM account_subject
                 ORDER BY account_id, subject_id",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = st.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let row = (|| -> rusqlite::Result<(i64, i64, i64, i64)> {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })()
            .map_err(|e| self.err(e))?;
            f(row.0, row.1, row.2 as u64, row.3);
        }
        Ok(())
    }

    /// Streams (id, ts_us) of the events with `lo <= ts_us <= hi`, from the `event_ts` index
    /// alone (a covering index read, far smaller than `event`).
    pub fn scan_event_times(&self, lo: i64, hi: i64, mut f: impl FnMut(i64, i64)) -> Result<()> {
        let mut st = self
            .conn
            .prepare("SELECT id, ts_us FROM event WHERE ts_us BETWEEN ?1 AND ?2")
            .map_err(|e| self.err(e))?;
        let mut rows = st.query(params![lo, hi]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let (id, ts) = (|| -> rusqlite::Result<(i64, i64)> { Ok((r.get(0)?, r.get(1)?)) })()
                .map_err(|e| self.err(e))?;
            f(id, ts);
        }
        Ok(())
    }

    /// Every access source's non-empty UTC hours (`source_hour`), by source then hour; `None`
    /// for a case below schema 10 opened read-only (not upgraded), which must scan `event`.
    pub fn source_hours(&self) -> Result<Option<Vec<super::SourceHour>>> {
        if !self.has_source_hours()? {
            return Ok(None);
        }
        super::source_hours::stored(&self.conn)
            .map(Some)
            .map_err(|e| self.err(e))
    }

    /// The smallest and largest event time (`None` without events); two index look-ups.
    pub fn event_ts_range(&self) -> Result<Option<(i64, i64)>> {
        self.conn
            .query_row(
                "SELECT (SELECT min(ts_us) FROM event), (SELECT max(ts_us) FROM event)",
                [],
                |r| Ok(r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?)),
            )
            .map_err(|e| self.err(e))
    }

    /// Every data subject's row id and country (`None`: unknown).
    pub fn subject_country_rows(&self) -> Result<Vec<(i64, Option<String>)>> {
        self.query_vec("SELECT id, country FROM subject ORDER BY id", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
    }

    /// The stored parameters of the findings rules.
    pub fn finding_params(&self) -> Result<Vec<ParamRow>> {
        self.query_vec(
            "SELECT rule, key, value, author, at_us FROM finding_param ORDER BY rule, key",
            [],
            |r| {
                Ok(ParamRow {
                    rule: r.get(0)?,
                    key: r.get(1)?,
                    value: r.get(2)?,
                    author: r.get(3)?,
                    at_us: r.get(4)?,
                })
            },
        )
    }
}

impl Writes<'_> {
    /// Stores a rule's parameter (`value_json` is JSON text), or removes it (back to its
    /// default) when `value_json` is `None`; either way the change goes to the custody log.
    pub fn set_finding_param(
        &mut self,
        rule: &str,
        key: &str,
        value_json: Option<&str>,
        author: &str,
    ) -> Result<()> {
        self.set_finding_params(&[(rule, key, value_json)], author)
    }

    /// [`Writes::set_finding_param`] for several parameters at once, all or nothing: one
    /// transaction, and nothing is written when any value is not JSON.
    pub fn set_finding_params(
        &mut self,
        changes: &[(&str, &str, Option<&str>)],
        author: &str,
    ) -> Result<()> {
        for (rule, key, value_json) in changes {
            if let Some(v) = value_json
                && serde_json::from_str::<serde_json::Value>(v).is_err()
            {
                return Err(CaseError::Invalid(format!(
                    "parameter {rule}.{key}: {v:?} is not a JSON value; no parameter was changed"
                )));
            }
        }
        let now = crate::model::time::now_us();
        self.with_tx(|c| {
            for (rule, key, value_json) in changes {
                match value_json {
                    Some(v) => c.execute(
                        "INSERT INTO finding_param(rule, key, value, author, at_us) VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT(rule, key) DO UPDATE SET value = excluded.value,
                            author = excluded.author, at_us = excluded.at_us",
                        params![rule, key, v, author, now],
                    )?,
                    None => c.execute(
                        "DELETE FROM finding_param WHERE rule = ?1 AND key = ?2",
                        params![rule, key],
                    )?,
                };
                let value: serde_json::Value = value_json
                    .and_then(|v| serde_json::from_str(v).ok())
                    .unwrap_or(serde_json::Value::Null);
                custody::append(
                    c,
                    author,
                    "finding_param",
                    &serde_json::json!({ "rule": rule, "key": key, "value": value, "reset": value_json.is_none() }),
                )?;
            }
            Ok(())
        })
    }
}

impl Findings<'_> {
    /// Every disposition row, oldest first.
    pub fn finding_dispositions(&self) -> Result<Vec<DispositionRow>> {
        self.query_vec(
            "SELECT id, finding_key, status, note, author, at_us FROM finding_disposition ORDER BY id",
            [],
            |r| {
                Ok(DispositionRow {
                    id: r.get(0)?,
                    finding_key: r.get(1)?,
                    status: r.get_ref(2)?.as_str()?.parse().map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            2,
                            rusqlite::types::Type::Text,
                            Box::new(e),
                        )
                    })?,
                    note: r.get(3)?,
                    author: r.get(4)?,
                    at_us: r.get(5)?,
                })
            },
        )
    }
}

impl Writes<'_> {
    /// Records a decision on a finding (a new row; the latest row of a key is its
    /// disposition) and appends it to the custody log.
    pub fn dispose_finding(
        &mut self,
        finding_key: &str,
        status: &str,
        note: &str,
        author: &str,
    ) -> Result<()> {
        let status: DispositionStatus = status
            .parse()
            .map_err(|e: crate::model::UnknownWord| CaseError::Invalid(e.to_string()))?;
        if finding_key.trim().is_empty() {
            return Err(CaseError::Invalid(
                "a disposition needs a finding key".into(),
            ));
        }
        let now = crate::model::time::now_us();
        self.with_tx(|c| {
            c.execute(
                "INSERT INTO finding_disposition(finding_key, status, note, author, at_us)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![finding_key, status.as_str(), note, author, now],
            )?;
            custody::append(
                c,
                author,
                "finding_disposition",
                &serde_json::json!({ "finding_key": finding_key, "status": status.as_str(), "note": note }),
            )
        })
    }
}

impl Writes<'_> {
    /// Records one decision for every finding of a group (`group` names it, e.g.
    /// `cross_border|P07|kr-media-01`): a `finding_disposition` row per finding, all in one
    /// transaction, and ONE custody entry (`finding_disposition_group`) that names the group,
    /// the number of findings and their keys, so that `verify` can tell each row from it.
    pub fn dispose_finding_group(
        &mut self,
        group: &str,
        finding_keys: &[String],
        status: &str,
        note: &str,
        author: &str,
    ) -> Result<()> {
        let status: DispositionStatus = status
            .parse()
            .map_err(|e: crate::model::UnknownWord| CaseError::Invalid(e.to_string()))?;
        if group.trim().is_empty() || finding_keys.is_empty() {
            return Err(CaseError::Invalid(
                "a group disposition needs a group and at least one finding".into(),
            ));
        }
        // A group dismissal without a reason would put many findings out of sight silently.
        if status == DispositionStatus::Dismissed && note.trim().is_empty() {
            return Err(CaseError::Invalid(format!(
                "group {group}: dismissing {} findings needs a note saying why they are expected; nothing was recorded",
                finding_keys.len()
            )));
        }
        if let Some(k) = finding_keys.iter().find(|k| k.trim().is_empty()) {
            return Err(CaseError::Invalid(format!(
                "group {group}: finding key {k:?} is empty; nothing was recorded"
            )));
        }
        let now = crate::model::time::now_us();
        self.with_tx(|c| {
            let mut st = c.prepare(
                "INSERT INTO finding_disposition(finding_key, status, note, author, at_us)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for key in finding_keys {
                st.execute(params![key, status.as_str(), note, author, now])?;
            }
            custody::append(
                c,
                author,
                "finding_disposition_group",
                &serde_json::json!({
                    "group": group,
                    "findings": finding_keys.len(),
                    "finding_keys": finding_keys,
                    "status": status.as_str(),
                    "note": note,
                }),
            )
        })
    }
}

impl Findings<'_> {
    /// Declared retention of the access sources.
    pub fn source_retention(&self) -> Result<Vec<RetentionRow>> {
        self.query_vec(
            "SELECT r.source_id, s.file_name, r.from_us, r.to_us, r.note, r.author, r.at_us
             FROM source_retention r JOIN source s ON s.id = r.source_id ORDER BY r.source_id",
            [],
            |r| {
                Ok(RetentionRow {
                    source_id: r.get(0)?,
                    file_name: r.get(1)?,
                    from_us: r.get(2)?,
                    to_us: r.get(3)?,
                    note: r.get(4)?,
                    author: r.get(5)?,
                    at_us: r.get(6)?,
                })
            },
        )
    }
}

impl Writes<'_> {
    /// Declares (replaces) what an access source retained: events before `from_us` or after
    /// `to_us` were never kept. Appended to the custody log.
    pub fn set_source_retention(
        &mut self,
        source_id: i64,
        from_us: Option<i64>,
        to_us: Option<i64>,
        note: Option<&str>,
        author: &str,
    ) -> Result<()> {
        if let (Some(f), Some(t)) = (from_us, to_us)
            && f > t
        {
            return Err(CaseError::Invalid(format!(
                "retention of source {source_id}: the start is after the end"
            )));
        }
        let kind: Option<String> = self
            .conn
            .query_row("SELECT kind FROM source WHERE id = ?1", [source_id], |r| {
                r.get(0)
            })
            .ok();
        match kind.as_deref() {
            Some("access") => {}
            Some(k) => {
                return Err(CaseError::Invalid(format!(
                    "source {source_id} is a {k} roster, not an access log; retention applies to access logs"
                )));
            }
            None => {
                return Err(CaseError::Invalid(format!(
                    "no source {source_id} in this case"
                )));
            }
        }
        let now = crate::model::time::now_us();
        self.with_tx(|c| {
            c.execute(
                "INSERT INTO source_retention(source_id, from_us, to_us, note, author, at_us)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(source_id) DO UPDATE SET from_us = excluded.from_us,
                    to_us = excluded.to_us, note = excluded.note, author = excluded.author,
                    at_us = excluded.at_us",
                params![source_id, from_us, to_us, note, author, now],
            )?;
            custody::append(
                c,
                author,
                "source_retention",
                &serde_json::json!({ "source_id": source_id, "from_us": from_us, "to_us": to_us, "note": note }),
            )
        })
    }
}
