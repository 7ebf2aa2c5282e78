//! `retrace repair-lines`: the line numbers of a case imported before line ends were counted
//! for CRLF, lone CR, BOM and blank lines are set to what the stored original says. Only line
//! columns change (event, reject, source_chunk, source.line_count); the change is one
//! transaction with a custody entry naming the source and the counts. `ops::repair_lines`
//! works out the new numbers.

use super::facade::{Sources, Writes};
use rusqlite::params;

use super::{Result, custody};
use crate::model::encoding::{TextEncoding, count_line_ends, ends_with_line_end};

/// (seq, first line) of the chunks to change, and the new line count if it changes.
pub type ChunkFixes = (Vec<(i64, i64)>, Option<i64>);

/// New line numbers for one source.
#[derive(Debug, Clone, Default)]
pub struct LineRepair {
    pub source_id: i64,
    /// (event id, line, line_end)
    pub events: Vec<(i64, i64, i64)>,
    /// (reject id, line)
    pub rejects: Vec<(i64, i64)>,
    /// (chunk seq, first_line)
    pub chunks: Vec<(i64, i64)>,
    pub line_count: Option<i64>,
}

impl LineRepair {
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
            && self.rejects.is_empty()
            && self.chunks.is_empty()
            && self.line_count.is_none()
    }
}

impl Sources<'_> {
    /// (id, line) of a source's rejects, in the order they were read.
    pub fn reject_lines(&self, source_id: i64) -> Result<Vec<(i64, i64)>> {
        self.query_vec(
            "SELECT id, line FROM reject WHERE source_id = ?1 ORDER BY id",
            [source_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// The chunks whose recorded first line differs from a count of the line ends before
    /// them, as (seq, first line), and the source's line count if it differs too.
    pub fn chunk_line_fixes(
        &self,
        source_id: i64,
        encoding: TextEncoding,
        recorded_lines: i64,
    ) -> Result<ChunkFixes> {
        let mut st = self
            .conn
            .prepare(
                "SELECT seq, first_line, data FROM source_chunk WHERE source_id = ?1 ORDER BY seq",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = st.query([source_id]).map_err(|e| self.err(e))?;
        let mut fixes = Vec::new();
        let mut ends = 0u64;
        let mut last_ends_line = None;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let seq: i64 = r.get(0).map_err(|e| self.err(e))?;
            let first: i64 = r.get(1).map_err(|e| self.err(e))?;
            let data: Vec<u8> = r.get(2).map_err(|e| self.err(e))?;
            let raw = zstd::decode_all(&data[..]).map_err(|e| {
                super::CaseError::Invalid(format!(
                    "source {source_id}: stored chunk {seq} cannot be decompressed: {e}"
                ))
            })?;
            let want = ends as i64 + 1;
            if first != want {
                fixes.push((seq, want));
            }
            ends += count_line_ends(encoding, &raw);
            if !raw.is_empty() {
                last_ends_line = Some(ends_with_line_end(encoding, &raw));
            }
        }
        let lines = match last_ends_line {
            None => 0,
            Some(true) => ends as i64,
            Some(false) => ends as i64 + 1,
        };
        Ok((fixes, (lines != recorded_lines).then_some(lines)))
    }
}

impl Writes<'_> {
    /// Writes the new line numbers and the custody entry, in one transaction.
    pub fn apply_line_repair(
        &mut self,
        r: &LineRepair,
        actor: &str,
        details: &serde_json::Value,
    ) -> Result<()> {
        self.with_tx(|c| {
            let mut ev =
                c.prepare("UPDATE event SET line = ?2, line_span = ?3 - ?2 WHERE id = ?1")?;
            for (id, line, end) in &r.events {
                ev.execute(params![id, line, end])?;
            }
            let mut rj = c.prepare("UPDATE reject SET line = ?2 WHERE id = ?1")?;
            for (id, line) in &r.rejects {
                rj.execute(params![id, line])?;
            }
            let mut ch = c.prepare(
                "UPDATE source_chunk SET first_line = ?3 WHERE source_id = ?1 AND seq = ?2",
            )?;
            for (seq, first) in &r.chunks {
                ch.execute(params![r.source_id, seq, first])?;
            }
            if let Some(n) = r.line_count {
                c.execute(
                    "UPDATE source SET line_count = ?2 WHERE id = ?1",
                    params![r.source_id, n],
                )?;
            }
            custody::append(c, actor, "repair-lines", details)
        })
    }
}
