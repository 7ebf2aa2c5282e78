//! What the report's methodology says about a source's times, from the events themselves: how
//! many carried their own UTC offset (and which), were epoch numbers, or were naive and read
//! in the source's zone. The source's recorded rule says what would be done with each form;
//! this says which forms occurred. Also one event's row by id, for the report's annotations.

use rusqlite::OptionalExtension;

use super::facade::Sources;
use super::read::{EVENT_COLS, EVENT_JOINS, EventRow, event_row};
use super::{Result, SourceRow};
use crate::model::TsFlags;

/// How one source's timestamps were written, counted over its events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeForms {
    pub source_id: i64,
    /// Events whose text carried a UTC offset or `Z`, by the offset as written (`+09:00`,
    /// `+0900`, `Z`; `other` for a zone name or abbreviation), most frequent first.
    pub offsets: Vec<(String, u64)>,
    /// Epoch numbers (UTC by definition).
    pub epoch: u64,
    /// Naive text, read in the source's zone.
    pub naive: u64,
}

impl TimeForms {
    pub fn with_offset(&self) -> u64 {
        self.offsets.iter().map(|o| o.1).sum()
    }
}

/// The offset written at the end of a timestamp with an offset, in SQL: `Z`, `±HH:MM`,
/// `±HHMM`, or `other` (RFC 2822 zone names, abbreviations resolved to an offset).
const OFFSET_SQL: &str = "CASE
    WHEN upper(substr(raw_ts, -1)) = 'Z' THEN 'Z'
    WHEN substr(raw_ts, -6, 1) IN ('+', '-') AND substr(raw_ts, -3, 1) = ':' THEN substr(raw_ts, -6)
    WHEN substr(raw_ts, -5, 1) IN ('+', '-') AND substr(raw_ts, -4) GLOB '[0-9][0-9][0-9][0-9]' THEN substr(raw_ts, -5)
    ELSE 'other' END";

impl Sources<'_> {
    /// The forms of one source's timestamps (one pass over its events, by their id range).
    pub fn time_forms(&self, source: &SourceRow) -> Result<TimeForms> {
        let sql = format!(
            "SELECT ts_flags & {mask}, CASE WHEN ts_flags & {off} THEN {OFFSET_SQL} END, count(*)
             FROM event
             WHERE id BETWEEN ?1 AND ?2 AND source_id = ?3
             GROUP BY 1, 2",
            mask = TsFlags::OFFSET | TsFlags::EPOCH | TsFlags::NAIVE,
            off = TsFlags::OFFSET,
        );
        let (first, last) = (
            source.first_event_id.unwrap_or(0),
            source.last_event_id.unwrap_or(-1),
        );
        let rows = self.query_vec(&sql, rusqlite::params![first, last, source.id], |r| {
            Ok((
                r.get::<_, i64>(0)? as u16,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, i64>(2)? as u64,
            ))
        })?;
        let mut forms = TimeForms {
            source_id: source.id,
            ..TimeForms::default()
        };
        for (flags, offset, n) in rows {
            let flags = TsFlags(flags);
            if flags.has(TsFlags::OFFSET) {
                let o = offset.unwrap_or_else(|| "other".into());
                match forms.offsets.iter_mut().find(|x| x.0 == o) {
                    Some(x) => x.1 += n,
                    None => forms.offsets.push((o, n)),
                }
            } else if flags.has(TsFlags::EPOCH) {
                forms.epoch += n;
            } else {
                forms.naive += n;
            }
        }
        forms
            .offsets
            .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(forms)
    }

    /// One event's row (time, account, person, system, action, source line), if it exists.
    pub fn event_row(&self, id: i64) -> Result<Option<EventRow>> {
        let sql = format!("SELECT {EVENT_COLS} {EVENT_JOINS} WHERE e.id = ?1");
        self.conn
            .query_row(&sql, [id], event_row)
            .optional()
            .map_err(|e| self.err(e))
    }
}
