//! Integrity verification: the case file alone proves its events came from the stored sources.

use super::facade::Integrity;
use rusqlite::params;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Case, Result, custody};
use crate::model::encoding::{TextEncoding, count_line_ends, ends_with_line_end};

#[derive(Debug, Clone, Serialize)]
pub struct VerifyProblem {
    /// What failed, e.g. `source 3 (sh_admin_tool.csv)` or `custody entry 7`.
    pub what: String,
    pub why: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub sources_checked: usize,
    pub bytes_checked: u64,
    pub events_checked: i64,
    pub custody_entries: usize,
    /// Which keys signed the custody log (see `verify_custody.rs`).
    pub signatures: super::SignatureSummary,
    pub problems: Vec<VerifyProblem>,
}

impl VerifyReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Integrity<'_> {
    /// Checks SQLite's own structure, every source's stored bytes against its SHA-256, size and
    /// line count, that every event and reject points at an existing line of its source, the row
    /// counts recorded per source, dangling references, the custody chain and its signatures,
    /// every source and investigator input against the custody entry that recorded it, and the
    /// schema against what its version defines. `cancel` is polled between sources.
    pub fn verify(&self, cancel: &dyn Fn() -> bool) -> Result<VerifyReport> {
        let mut problems = Vec::new();
        let check: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if check != "ok" {
            problems.push(VerifyProblem {
                what: "SQLite file".into(),
                why: check,
            });
        }
        let sources = self.sources().list()?;
        let mut bytes_checked = 0;
        for s in &sources {
            if cancel() {
                return Err(super::CaseError::Cancelled);
            }
            let what = format!("source {} ({})", s.id, s.file_name);
            match self.check_source_bytes(s.id, &s.encoding) {
                Ok((sha, size, lines)) => {
                    bytes_checked += size;
                    if sha != s.sha256 {
                        problems.push(VerifyProblem {
                            what: what.clone(),
                            why: format!(
                                "stored bytes hash to {sha}, but the source records {}",
                                s.sha256
                            ),
                        });
                    }
                    if size as i64 != s.size_bytes {
                        problems.push(VerifyProblem {
                            what: what.clone(),
                            why: format!(
                                "stored bytes are {size} long, the source records {}",
                                s.size_bytes
                            ),
                        });
                    }
                    if lines as i64 != s.line_count {
                        problems.push(VerifyProblem {
                            what: what.clone(),
                            why: format!(
                                "stored bytes have {lines} lines, the source records {}",
                                s.line_count
                            ),
                        });
                    }
                }
                Err(why) => problems.push(VerifyProblem {
                    what: what.clone(),
                    why,
                }),
            }
            if s.kind == "access" && s.rows_read != s.rows_imported + s.rows_rejected {
                problems.push(VerifyProblem {
                    what: what.clone(),
                    why: format!(
                        "rows read {} != imported {} + rejected {}",
                        s.rows_read, s.rows_imported, s.rows_rejected
                    ),
                });
            }
            let (events, max_line): (i64, Option<i64>) = self
                .conn
                .query_row(
                    "SELECT count(*), max(line_end) FROM event WHERE id BETWEEN ?2 AND ?3 AND source_id = ?1",
                    params![s.id, s.first_event_id.unwrap_or(0), s.last_event_id.unwrap_or(-1)],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(|e| self.err(e))?;
            if s.kind == "access" && events != s.rows_imported {
                problems.push(VerifyProblem {
                    what: what.clone(),
                    why: format!(
                        "{events} events stored, the source records {} imported",
                        s.rows_imported
                    ),
                });
            }
            if let Some(m) = max_line
                && m > s.line_count
            {
                problems.push(VerifyProblem {
                    what: what.clone(),
                    why: format!(
                        "an event cites line {m}, but the file has {} lines",
                        s.line_count
                    ),
                });
            }
            let (rejects, max_reject): (i64, Option<i64>) = self
                .conn
                .query_row(
                    "SELECT count(*), max(line) FROM reject WHERE source_id = ?1",
                    [s.id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(|e| self.err(e))?;
            if rejects != s.rows_rejected {
                problems.push(VerifyProblem {
                    what: what.clone(),
                    why: format!(
                        "{rejects} rejects stored, the source records {}",
                        s.rows_rejected
                    ),
                });
            }
            if let Some(m) = max_reject
                && m > s.line_count.max(1)
            {
                problems.push(VerifyProblem {
                    what,
                    why: format!(
                        "a reject cites line {m}, but the file has {} lines",
                        s.line_count
                    ),
                });
            }
        }
        let orphans: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM event WHERE source_id NOT IN (SELECT id FROM source)",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        let (total, claimed): (i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM event),
                        (SELECT coalesce(sum(rows_imported), 0) FROM source WHERE kind = 'access')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        if total != claimed {
            problems.push(VerifyProblem {
                what: "events".into(),
                why: format!(
                    "{total} events stored, but the sources account for {claimed} (events outside their source's id range)"
                ),
            });
        }
        if orphans > 0 {
            problems.push(VerifyProblem {
                what: "events".into(),
                why: format!("{orphans} events name a source that does not exist"),
            });
        }
        {
            let mut st = self
                .conn
                .prepare("PRAGMA foreign_key_check")
                .map_err(|e| self.err(e))?;
            let fk: Vec<(String, i64, String)> = st
                .query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                        r.get(2)?,
                    ))
                })
                .and_then(|r| r.collect())
                .map_err(|e| self.err(e))?;
            for (table, rowid, parent) in fk.iter().take(20) {
                problems.push(VerifyProblem {
                    what: format!("{table} row {rowid}"),
                    why: format!("refers to a {parent} row that does not exist"),
                });
            }
        }
        let entries = self.custody().custody_entries()?;
        if let Some((id, why)) = custody::first_break(&entries) {
            problems.push(VerifyProblem {
                what: format!("custody entry {id}"),
                why,
            });
        }
        self.check_schema(&mut problems)?;
        let signatures = self.check_signatures(&entries, &mut problems)?;
        self.check_custody_records(&entries, &mut problems)?;
        let events_checked: i64 = self
            .conn
            .query_row("SELECT count(*) FROM event", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(VerifyReport {
            sources_checked: sources.len(),
            bytes_checked,
            events_checked,
            custody_entries: entries.len(),
            signatures,
            problems,
        })
    }

    /// Recomputes `account_subject` (schema 4, read by the impact tables) from the events and
    /// compares it with the stored rows: `None` when they are equal. Not part of
    /// [`Case::verify`] (whose report the tamper tests pin down); a reading of every event.
    pub fn check_account_subject(&self) -> Result<Option<VerifyProblem>> {
        let want = super::account_subject::compute_all(&self.conn).map_err(|e| self.err(e))?;
        let mut have = Vec::with_capacity(want.len());
        self.findings()
            .scan_account_subjects(|a, s, c, n| have.push((a, s, c, n)))?;
        if have == want {
            return Ok(None);
        }
        let differ = want
            .iter()
            .filter(|r| have.binary_search(r).is_err())
            .count()
            + have
                .iter()
                .filter(|r| want.binary_search(r).is_err())
                .count();
        Ok(Some(VerifyProblem {
            what: "account_subject".into(),
            why: format!(
                "{differ} rows differ from a recomputation from the events ({} stored, {} recomputed); the impact tables read this table",
                have.len(),
                want.len()
            ),
        }))
    }

    /// Recomputes `subject_event` (schema 6, the data-subject lookup) from `event.subject_ids`
    /// and compares it with the stored rows: `None` when they are equal (or the case predates
    /// the table). Not part of [`Case::verify`]; a reading of every event.
    pub fn check_subject_event(&self) -> Result<Option<VerifyProblem>> {
        let e = |err| self.err(err);
        if !self.has_subject_event()? {
            return Ok(None);
        }
        let mut want = super::subject_event::compute_all(&self.conn).map_err(e)?;
        let mut st = self
            .conn
            .prepare(
                "SELECT subject_id, source_id, events, event_ids FROM subject_event ORDER BY 1, 2",
            )
            .map_err(e)?;
        let mut rows = st.query([]).map_err(e)?;
        let (mut stored, mut differ) = (0usize, 0usize);
        while let Some(r) = rows.next().map_err(e)? {
            stored += 1;
            let key: (i64, i64) = (r.get(0).map_err(e)?, r.get(1).map_err(e)?);
            let n: i64 = r.get(2).map_err(e)?;
            let ids: Option<Vec<i64>> =
                serde_json::from_str(&r.get::<_, String>(3).map_err(e)?).ok();
            match (want.remove(&key), ids) {
                (Some(w), Some(h)) if w == h && n == h.len() as i64 => {}
                _ => differ += 1,
            }
        }
        differ += want.len();
        if differ == 0 {
            return Ok(None);
        }
        Ok(Some(VerifyProblem {
            what: "subject_event".into(),
            why: format!(
                "{differ} (subject, source) rows differ from a recomputation from event.subject_ids ({stored} stored); the data-subject lookup reads this table"
            ),
        }))
    }
}

impl Case {
    /// Decompresses a source's chunks in order: (sha256 hex, size, line count).
    fn check_source_bytes(
        &self,
        source_id: i64,
        encoding: &str,
    ) -> std::result::Result<(String, u64, u64), String> {
        let enc = TextEncoding::parse(encoding).unwrap_or(TextEncoding::Utf8);
        let mut st = self
            .conn
            .prepare("SELECT seq, first_line, byte_start, raw_len, data FROM source_chunk WHERE source_id = ?1 ORDER BY seq")
            .map_err(|e| e.to_string())?;
        let mut rows = st.query(params![source_id]).map_err(|e| e.to_string())?;
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut newlines: u64 = 0;
        let mut ends_in_line_end: Option<bool> = None;
        let mut expect_seq = 0i64;
        while let Some(r) = rows.next().map_err(|e| e.to_string())? {
            let seq: i64 = r.get(0).map_err(|e| e.to_string())?;
            let first_line: i64 = r.get(1).map_err(|e| e.to_string())?;
            let byte_start: i64 = r.get(2).map_err(|e| e.to_string())?;
            let raw_len: i64 = r.get(3).map_err(|e| e.to_string())?;
            let data: Vec<u8> = r.get(4).map_err(|e| e.to_string())?;
            if seq != expect_seq {
                return Err(format!("stored chunk {expect_seq} is missing"));
            }
            if byte_start as u64 != size || first_line as u64 != newlines + 1 {
                return Err(format!(
                    "stored chunk {seq} does not follow the chunk before it"
                ));
            }
            let raw = zstd::decode_all(&data[..])
                .map_err(|e| format!("stored chunk {seq} cannot be decompressed: {e}"))?;
            if raw.len() as i64 != raw_len {
                return Err(format!(
                    "stored chunk {seq} is {} bytes, recorded as {raw_len}",
                    raw.len()
                ));
            }
            hasher.update(&raw);
            size += raw.len() as u64;
            newlines += count_line_ends(enc, &raw);
            if !raw.is_empty() {
                ends_in_line_end = Some(ends_with_line_end(enc, &raw));
            }
            expect_seq += 1;
        }
        let lines = match ends_in_line_end {
            None => 0,
            Some(true) => newlines,
            Some(false) => newlines + 1,
        };
        Ok((custody::hex(&hasher.finalize()), size, lines))
    }
}
