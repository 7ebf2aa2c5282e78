//! What the deep verify (`ops::verify_deep`) reads back: a source's stored original bytes, and
//! its stored events with every field as an import would have produced it (names, not ids).

use super::facade::Sources;
use std::collections::HashMap;

use rusqlite::params;

use super::{CaseError, Result, SourceRow};
use crate::model::Outcome;

/// One stored event, in the shape of `model::NewEvent` (names resolved, subjects as keys).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub id: i64,
    pub line: i64,
    pub line_end: i64,
    pub ts_us: i64,
    pub raw_ts: String,
    pub ts_flags: i64,
    pub account: Option<String>,
    pub src_ip: Option<String>,
    pub system: Option<String>,
    pub action: Option<String>,
    pub object: Option<String>,
    pub categories: i64,
    pub records: Option<i64>,
    pub outcome: Option<Outcome>,
    pub session: Option<String>,
    pub ticket: Option<String>,
    /// Subject keys in the order the event lists them.
    pub subjects: Vec<String>,
    /// `event_extra.fields`.
    pub extra: Option<String>,
}

impl Sources<'_> {
    /// Streams a source's stored original (decompressed chunks, in order) to `sink`.
    pub fn source_original(
        &self,
        source_id: i64,
        sink: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<()> {
        let mut st = self
            .conn
            .prepare("SELECT seq, data FROM source_chunk WHERE source_id = ?1 ORDER BY seq")
            .map_err(|e| self.err(e))?;
        let mut rows = st.query(params![source_id]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let seq: i64 = r.get(0).map_err(|e| self.err(e))?;
            let data: Vec<u8> = r.get(1).map_err(|e| self.err(e))?;
            let raw = zstd::decode_all(&data[..]).map_err(|e| {
                CaseError::Invalid(format!(
                    "source {source_id}: stored chunk {seq} cannot be decompressed: {e}"
                ))
            })?;
            sink(&raw).map_err(|e| {
                CaseError::Invalid(format!(
                    "source {source_id}: cannot write its original: {e}"
                ))
            })?;
        }
        Ok(())
    }

    /// The stored events of a source in id order (the order they were read), each handed to
    /// `f`, which returns `false` to stop.
    pub fn for_each_stored_event(
        &self,
        source: &SourceRow,
        f: &mut dyn FnMut(StoredEvent) -> bool,
    ) -> Result<()> {
        let subjects: HashMap<i64, String> = self
            .query_vec("SELECT id, key FROM subject", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .into_iter()
            .collect();
        let mut st = self
            .conn
            .prepare(
                "SELECT e.id, e.line, e.line + e.line_span, e.ts_us, e.raw_ts, e.ts_flags, a.name, e.src_ip,
                        s.name, e.action, e.object, e.categories, e.records, e.outcome,
                        e.session_key, e.ticket, e.subject_ids, x.fields
                 FROM event e
                 LEFT JOIN account a ON a.id = e.account_id
                 LEFT JOIN system s ON s.id = e.system_id
                 LEFT JOIN event_extra x ON x.event_id = e.id
                 WHERE e.source_id = ?1 AND e.id BETWEEN ?2 AND ?3
                 ORDER BY e.id",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = st
            .query(params![
                source.id,
                source.first_event_id.unwrap_or(0),
                source.last_event_id.unwrap_or(-1)
            ])
            .map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let get = |e: rusqlite::Error| self.err(e);
            let subject_ids: Option<String> = r.get(16).map_err(get)?;
            let subjects = subject_ids
                .as_deref()
                .unwrap_or("")
                .split_ascii_whitespace()
                .map(|id| {
                    id.parse::<i64>()
                        .ok()
                        .and_then(|id| subjects.get(&id).cloned())
                        .unwrap_or_else(|| format!("<subject row {id}?>"))
                })
                .collect();
            let ev = StoredEvent {
                id: r.get(0).map_err(get)?,
                line: r.get(1).map_err(get)?,
                line_end: r.get(2).map_err(get)?,
                ts_us: r.get(3).map_err(get)?,
                raw_ts: r.get(4).map_err(get)?,
                ts_flags: r.get(5).map_err(get)?,
                account: r.get(6).map_err(get)?,
                src_ip: r.get(7).map_err(get)?,
                system: r.get(8).map_err(get)?,
                action: r.get(9).map_err(get)?,
                object: r.get(10).map_err(get)?,
                categories: r.get(11).map_err(get)?,
                records: r.get(12).map_err(get)?,
                outcome: r
                    .get_ref(13)
                    .and_then(|v| v.as_str_or_null().map_err(rusqlite::Error::from))
                    .map_err(get)?
                    .map(Outcome::from_stored),
                session: r.get(14).map_err(get)?,
                ticket: r.get(15).map_err(get)?,
                subjects,
                extra: r.get(17).map_err(get)?,
            };
            if !f(ev) {
                break;
            }
        }
        Ok(())
    }
}
