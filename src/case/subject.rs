//! Data-subject queries: resolve a normalized identifier (directly or through an alias) to a
//! subject, list the events that touched it, and the access logs' time coverage. Also the
//! event -> subjects lists of one person's events, for per-session subject counts.

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

impl Case {
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

    /// Every event that touched the subject (all outcomes), oldest first. Uses the
    /// `event_subject` primary key (subject -> events), then each event by row id.
    pub fn subject_events(&self, subject_id: i64) -> Result<Vec<SubjectEventRow>> {
        let sql = format!(
            "SELECT {EVENT_COLS}, p.display_name, p.country, s.country
             FROM event_subject es CROSS JOIN event e ON e.id = es.event_id
             LEFT JOIN account a ON a.id = e.account_id
             LEFT JOIN person p ON p.id = a.person_id
             LEFT JOIN system s ON s.id = e.system_id
             WHERE es.subject_id = ?1 ORDER BY e.ts_us, e.id"
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
