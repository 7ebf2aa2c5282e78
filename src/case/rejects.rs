//! What the rejects viewer and the person page read besides the reject rows themselves: the
//! events of a source just before and after a rejected line, and a person's refused attempts.

use rusqlite::{OptionalExtension, params};

use super::facade::{People, Sources};
use super::read::{EVENT_COLS, event_row};
use super::{EventRow, Result};
use crate::model::access_sql;

const JOINS: &str = "FROM event e
    LEFT JOIN account a ON a.id = e.account_id
    LEFT JOIN person p ON p.id = a.person_id
    LEFT JOIN system s ON s.id = e.system_id";

/// The events of one source around a rejected line: up to `n` before it and `n` after it, in
/// file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineNeighbours {
    pub before: Vec<EventRow>,
    pub after: Vec<EventRow>,
}

impl Sources<'_> {
    /// The events of `source_id` whose lines come just before and just after `line`.
    ///
    /// One import inserts a source's events contiguously and in file order (ids
    /// `first_event_id ..= last_event_id`, lines rising with ids), so the first event past the
    /// line is found by bisecting that id range: about 25 point reads at 10 M events, where a
    /// `WHERE line > ?` would scan the source.
    pub fn events_around_line(
        &self,
        source_id: i64,
        line: i64,
        n: usize,
    ) -> Result<LineNeighbours> {
        let range: Option<(Option<i64>, Option<i64>)> = self
            .conn
            .query_row(
                "SELECT first_event_id, last_event_id FROM source WHERE id = ?1",
                [source_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((Some(first), Some(last))) = range else {
            return Ok(LineNeighbours::default());
        };
        let mut st = self
            .conn
            .prepare_cached("SELECT line FROM event WHERE id = ?1")
            .map_err(|e| self.err(e))?;
        // The first id in first..=last+1 whose line is past `line`.
        let (mut lo, mut hi) = (first, last + 1);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let at: Option<i64> = st
                .query_row([mid], |r| r.get(0))
                .optional()
                .map_err(|e| self.err(e))?;
            if at.is_some_and(|l| l > line) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let n = n as i64;
        let sql = format!(
            "SELECT {EVENT_COLS} {JOINS} WHERE e.id >= ?1 AND e.id < ?2 AND e.source_id = ?3
             ORDER BY e.id"
        );
        let before =
            self.query_vec(&sql, params![(lo - n).max(first), lo, source_id], event_row)?;
        let after = self.query_vec(
            &sql,
            params![lo, (lo + n).min(last + 1), source_id],
            event_row,
        )?;
        Ok(LineNeighbours { before, after })
    }
}

impl People<'_> {
    /// The person's refused attempts (outcome denied or failed), oldest first, at most
    /// `limit`.
    pub fn refused_events(&self, person_key: &str, limit: usize) -> Result<Vec<EventRow>> {
        // Through the person's accounts and the (account_id, ts_us) index, as person_events.
        let sql = format!(
            "SELECT {EVENT_COLS} FROM account pa CROSS JOIN event e ON e.account_id = pa.id
             LEFT JOIN account a ON a.id = e.account_id
             LEFT JOIN person p ON p.id = a.person_id
             LEFT JOIN system s ON s.id = e.system_id
             WHERE pa.person_id = (SELECT id FROM person WHERE person_key = ?1)
               AND NOT ({})
             ORDER BY e.ts_us, e.id LIMIT ?2",
            access_sql("e.outcome")
        );
        self.query_vec(&sql, params![person_key, limit as i64], event_row)
    }
}
