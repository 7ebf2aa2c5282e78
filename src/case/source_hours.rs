//! `source_hour` (schema 10): per access source and UTC hour that holds any of its events,
//! how many it holds and the first and last of them (by time, then id). An import gathers them
//! while its events are resolved, as it does `agg_hour`; `verify --deep` gathers them again
//! from `event` and compares. The impact tables' coverage bands (gaps in a source's record)
//! read them instead of every event's time: at 100 M events that read was most of `impact`.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{Connection, params};

use super::write::FastHash;

const US_PER_HOUR: i64 = 3_600_000_000;

/// One stored row: the hour's events and its first and last event as (time µs, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceHour {
    pub source_id: i64,
    pub hour: i64,
    pub events: i64,
    pub first: (i64, i64),
    pub last: (i64, i64),
}

/// The value part of a row, keyed by (source, hour) when compared.
pub(super) type HourValue = (i64, (i64, i64), (i64, i64));

/// Hours being gathered, per (source, hour).
#[derive(Debug, Default)]
pub struct SourceHours {
    hours: HashMap<(i64, i64), HourValue, FastHash>,
}

impl SourceHours {
    /// Counts one event.
    #[inline]
    pub fn add(&mut self, source_id: i64, ts_us: i64, id: i64) {
        let key = (source_id, ts_us.div_euclid(US_PER_HOUR));
        let e = self
            .hours
            .entry(key)
            .or_insert((0, (ts_us, id), (ts_us, id)));
        e.0 += 1;
        e.1 = e.1.min((ts_us, id));
        e.2 = e.2.max((ts_us, id));
    }

    /// The rows in key order.
    pub(super) fn rows(&self) -> BTreeMap<(i64, i64), HourValue> {
        self.hours.iter().map(|(k, v)| (*k, *v)).collect()
    }

    /// Adds the rows to `source_hour`. An import's source is new, so a row already there is
    /// an error, not a sum.
    pub fn write(&self, conn: &Connection) -> rusqlite::Result<()> {
        let mut st = conn.prepare_cached(
            "INSERT OR FAIL INTO source_hour(source_id, hour, n, first_ts, first_id, last_ts, last_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for ((source, hour), (n, first, last)) in self.rows() {
            st.execute(params![source, hour, n, first.0, first.1, last.0, last.1])?;
        }
        Ok(())
    }
}

/// The stored rows in key order.
pub(super) fn stored(conn: &Connection) -> rusqlite::Result<Vec<SourceHour>> {
    let mut st = conn.prepare(
        "SELECT source_id, hour, n, first_ts, first_id, last_ts, last_id
         FROM source_hour ORDER BY source_id, hour",
    )?;
    let rows = st.query_map([], |r| {
        Ok(SourceHour {
            source_id: r.get(0)?,
            hour: r.get(1)?,
            events: r.get(2)?,
            first: (r.get(3)?, r.get(4)?),
            last: (r.get(5)?, r.get(6)?),
        })
    })?;
    rows.collect()
}

/// The stored rows keyed as [`SourceHours::rows`] gives them, for `verify`.
pub(super) fn stored_map(conn: &Connection) -> rusqlite::Result<BTreeMap<(i64, i64), HourValue>> {
    Ok(stored(conn)?
        .into_iter()
        .map(|h| ((h.source_id, h.hour), (h.events, h.first, h.last)))
        .collect())
}

impl super::Case {
    /// Whether the case has `source_hour` (schema 10; a case opened read-only is not
    /// upgraded).
    pub(super) fn has_source_hours(&self) -> super::Result<bool> {
        let version: i32 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(version >= 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = US_PER_HOUR;

    #[test]
    fn an_hour_keeps_its_count_and_its_first_and_last_event_by_time_then_id() {
        let mut s = SourceHours::default();
        // Out of order, a tie on time, and an hour before the epoch.
        for (src, ts, id) in [
            (1, 5 * H + 30, 7),
            (1, 5 * H + 10, 9),
            (1, 5 * H + 10, 8),
            (1, 5 * H + 59, 3),
            (2, 5 * H + 1, 4),
            (1, -1, 1),
        ] {
            s.add(src, ts, id);
        }
        let rows = s.rows();
        assert_eq!(
            rows.into_iter().collect::<Vec<_>>(),
            vec![
                ((1, -1), (1, (-1, 1), (-1, 1))),
                ((1, 5), (4, (5 * H + 10, 8), (5 * H + 59, 3))),
                ((2, 5), (1, (5 * H + 1, 4), (5 * H + 1, 4))),
            ]
        );
    }
}
