//! Integrity verification: the case file alone proves its events came from the stored sources.

use super::facade::Integrity;
use std::path::Path;

use rusqlite::{Connection, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Case, CaseError, Result, custody, sql_err};
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
    /// Wall time of each phase (name, seconds), in the order they ran on their thread: the
    /// structure checks run beside the rest (`retrace verify --timings`). Not part of the
    /// JSON report.
    #[serde(skip)]
    pub phases: Vec<(&'static str, f64)>,
}

impl VerifyReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The structure checks that read the whole file page by page (SQLite's `quick_check` and
/// `foreign_key_check`): they run on a second connection on another thread, beside the checks
/// of the stored originals. Neither compares one table with another, so their own read
/// snapshot is as good as the main one.
struct SideChecks {
    quick_check: Option<VerifyProblem>,
    foreign_keys: Vec<VerifyProblem>,
    phases: Vec<(&'static str, f64)>,
}

/// `quick_check` then `foreign_key_check` of every table but `event`, on `conn` (the case's
/// own, or a second one). The references of `event` (the largest table) are checked in the
/// main thread's reading of each source's events ([`Case::check_source_rows`]), so the events
/// are read once for both.
fn side_checks(conn: &Connection, path: &Path) -> Result<SideChecks> {
    let t = std::time::Instant::now();
    let quick_check = check_sqlite_structure(conn, path)?;
    let quick_s = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    let foreign_keys = check_foreign_keys_except_event(conn, path)?;
    Ok(SideChecks {
        quick_check,
        foreign_keys,
        phases: vec![
            ("structure (quick_check)", quick_s),
            (
                "references of every table but event (foreign_key_check)",
                t.elapsed().as_secs_f64(),
            ),
        ],
    })
}

/// `foreign_key_check` of every table but `event`, the first 20 (in no defined order: when
/// any is found, [`check_foreign_keys`] lists them again for the report).
fn check_foreign_keys_except_event(conn: &Connection, path: &Path) -> Result<Vec<VerifyProblem>> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name != 'event' ORDER BY name",
        )
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| sql_err(path, e))?;
    let mut out = Vec::new();
    for table in tables {
        let sql = format!(
            "PRAGMA foreign_key_check(\"{}\")",
            table.replace('"', "\"\"")
        );
        out.extend(foreign_key_rows(conn, path, &sql)?);
        if out.len() >= 20 {
            break;
        }
    }
    Ok(out)
}

/// Damage to SQLite's own structure (pages, b-trees, index entries), by `quick_check`.
fn check_sqlite_structure(conn: &Connection, path: &Path) -> Result<Option<VerifyProblem>> {
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| sql_err(path, e))?;
    Ok((check != "ok").then(|| VerifyProblem {
        what: "SQLite file".into(),
        why: check,
    }))
}

/// Rows referring to a row that does not exist (`foreign_key_check` of every table), the
/// first 20.
fn check_foreign_keys(conn: &Connection, path: &Path) -> Result<Vec<VerifyProblem>> {
    foreign_key_rows(conn, path, "PRAGMA foreign_key_check")
}

/// The first 20 rows of a `foreign_key_check` pragma as problems.
fn foreign_key_rows(conn: &Connection, path: &Path, sql: &str) -> Result<Vec<VerifyProblem>> {
    let mut st = conn.prepare(sql).map_err(|e| sql_err(path, e))?;
    let fk: Vec<(String, i64, String)> = st
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                r.get(2)?,
            ))
        })
        .and_then(|r| r.collect())
        .map_err(|e| sql_err(path, e))?;
    Ok(fk
        .iter()
        .take(20)
        .map(|(table, rowid, parent)| VerifyProblem {
            what: format!("{table} row {rowid}"),
            why: format!("refers to a {parent} row that does not exist"),
        })
        .collect())
}

impl Integrity<'_> {
    /// Checks SQLite's own structure, every source's stored bytes against its SHA-256, size and
    /// line count, that every event and reject points at an existing line of its source, the row
    /// counts recorded per source, dangling references, the custody chain and its signatures,
    /// every source and investigator input against the custody entry that recorded it, and the
    /// schema against what its version defines. `cancel` is polled between sources.
    pub fn verify(&self, cancel: &dyn Fn() -> bool) -> Result<VerifyReport> {
        let side = self.side_connection()?;
        let path = self.path.as_path();
        let interrupt = side.as_ref().map(|c| c.get_interrupt_handle());
        let (side_checks, main) = std::thread::scope(|scope| {
            let side_thread = side.map(|conn| {
                std::thread::Builder::new()
                    .name("retrace-verify-structure".into())
                    .spawn_scoped(scope, move || side_checks(&conn, path))
            });
            let main = self.verify_contents(cancel);
            if main.is_err()
                && let Some(i) = &interrupt
            {
                // Cancelled or failed: the structure checks' answer is not wanted.
                i.interrupt();
            }
            let side_checks = match side_thread {
                Some(Ok(t)) => t.join().unwrap_or_else(|_| {
                    Err(CaseError::Invalid(format!(
                        "{}: the verify's structure check stopped unexpectedly",
                        self.path.display()
                    )))
                }),
                Some(Err(e)) => Err(CaseError::Invalid(format!(
                    "{}: cannot start the verify's structure check: {e}",
                    self.path.display()
                ))),
                None => side_checks(&self.conn, path),
            };
            (side_checks, main)
        });
        let (mut report, rest, events_refs_checked) = main?;
        let mut side_checks = side_checks?;
        if !events_refs_checked || !side_checks.foreign_keys.is_empty() {
            // A reference of an event to a missing row, or events the reading of each
            // source's range may have missed, or a dangling reference elsewhere: the whole
            // check again, for the same list (and order) as it has always given.
            let t = std::time::Instant::now();
            side_checks.foreign_keys = check_foreign_keys(&self.conn, path)?;
            report.phases.push((
                "references of every table (foreign_key_check)",
                t.elapsed().as_secs_f64(),
            ));
        }
        // The report's order: structure, sources and events, references, then the rest.
        let mut problems: Vec<VerifyProblem> = side_checks.quick_check.into_iter().collect();
        problems.append(&mut report.problems);
        problems.extend(side_checks.foreign_keys);
        problems.extend(rest);
        report.problems = problems;
        report.phases.extend(side_checks.phases);
        Ok(report)
    }
}

impl Case {
    /// Everything but the structure checks: the report with the source and event problems,
    /// the custody and schema problems that follow the reference problems in the report, and
    /// whether every event was read with its source and none refers to a missing account or
    /// system (otherwise the caller runs the whole `foreign_key_check`).
    fn verify_contents(
        &self,
        cancel: &dyn Fn() -> bool,
    ) -> Result<(VerifyReport, Vec<VerifyProblem>, bool)> {
        let mut problems = Vec::new();
        let mut phases = Vec::new();
        let sources = self.sources().list()?;
        let mut bytes_checked = 0;
        let mut counts_match = true;
        let mut dangling = 0;
        let (mut hash_s, mut rows_s) = (0.0, 0.0);
        for s in &sources {
            if cancel() {
                return Err(CaseError::Cancelled);
            }
            let t = std::time::Instant::now();
            bytes_checked += self.check_stored_original(s, &mut problems);
            hash_s += t.elapsed().as_secs_f64();
            let t = std::time::Instant::now();
            let rows = self.check_source_rows(s, &mut problems)?;
            rows_s += t.elapsed().as_secs_f64();
            counts_match &= rows.counts_match;
            dangling += rows.dangling_refs;
        }
        phases.push(("stored originals (decompress, SHA-256, lines)", hash_s));
        phases.push(("events and rejects per source, event references", rows_s));
        let t = std::time::Instant::now();
        let all_in_ranges = self.check_event_sources(counts_match, &mut problems)?;
        phases.push((
            "events outside their source's range",
            t.elapsed().as_secs_f64(),
        ));
        let t = std::time::Instant::now();
        let mut rest = Vec::new();
        let entries = self.custody().custody_entries()?;
        if let Some((id, why)) = custody::first_break(&entries) {
            rest.push(VerifyProblem {
                what: format!("custody entry {id}"),
                why,
            });
        }
        self.check_schema(&mut rest)?;
        let signatures = self.check_signatures(&entries, &mut rest)?;
        self.check_custody_records(&entries, &mut rest)?;
        let events_checked: i64 = self
            .conn
            .query_row("SELECT count(*) FROM event", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        phases.push(("custody, signatures, schema", t.elapsed().as_secs_f64()));
        let report = VerifyReport {
            sources_checked: sources.len(),
            bytes_checked,
            events_checked,
            custody_entries: entries.len(),
            signatures,
            problems,
            phases,
        };
        Ok((report, rest, all_in_ranges && dangling == 0))
    }

    /// A source's stored bytes that differ from its recorded SHA-256, size or line count, or
    /// that cannot be read back; returns the bytes checked.
    fn check_stored_original(
        &self,
        s: &super::SourceRow,
        problems: &mut Vec<VerifyProblem>,
    ) -> u64 {
        let what = format!("source {} ({})", s.id, s.file_name);
        let (sha, size, lines) = match self.check_source_bytes(s.id, &s.encoding) {
            Ok(r) => r,
            Err(why) => {
                problems.push(VerifyProblem { what, why });
                return 0;
            }
        };
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
                what,
                why: format!(
                    "stored bytes have {lines} lines, the source records {}",
                    s.line_count
                ),
            });
        }
        size
    }

    /// Recorded row counts that do not add up, events or rejects stored that the source does
    /// not account for, and events or rejects citing a line past the source's end. Returns
    /// whether an access source's events in its id range are exactly the imported count, and
    /// how many of them refer to an account or system that does not exist (the
    /// `foreign_key_check` of `event`, in the same reading).
    fn check_source_rows(
        &self,
        s: &super::SourceRow,
        problems: &mut Vec<VerifyProblem>,
    ) -> Result<SourceRowsCheck> {
        let what = format!("source {} ({})", s.id, s.file_name);
        if s.kind == "access" && s.rows_read != s.rows_imported + s.rows_rejected {
            problems.push(VerifyProblem {
                what: what.clone(),
                why: format!(
                    "rows read {} != imported {} + rejected {}",
                    s.rows_read, s.rows_imported, s.rows_rejected
                ),
            });
        }
        // A reference to a missing row, as `foreign_key_check` sees one: a value that is not
        // NULL and matches no parent row.
        let (events, max_line, dangling_refs): (i64, Option<i64>, i64) = self
            .conn
            .query_row(
                "SELECT count(*), max(line + line_span),
                        coalesce(sum((account_id IS NOT NULL
                                      AND account_id NOT IN (SELECT id FROM account))
                                     + (system_id IS NOT NULL
                                        AND system_id NOT IN (SELECT id FROM system))), 0)
                 FROM event WHERE id BETWEEN ?2 AND ?3 AND source_id = ?1",
                params![
                    s.id,
                    s.first_event_id.unwrap_or(0),
                    s.last_event_id.unwrap_or(-1)
                ],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| self.err(e))?;
        let counts_match = s.kind != "access" || events == s.rows_imported;
        if !counts_match {
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
        Ok(SourceRowsCheck {
            counts_match,
            dangling_refs,
        })
    }

    /// Events outside their source's id range, and events naming a source that does not exist.
    /// `counts_match`: every access source holds exactly its imported count in its range.
    /// Returns whether every event lies in the range of the source it names (so the reading
    /// of each source's range read every event).
    fn check_event_sources(
        &self,
        counts_match: bool,
        problems: &mut Vec<VerifyProblem>,
    ) -> Result<bool> {
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
        // When every access source's range holds its imported count and they add up to all
        // events, every event lies in the range of the source it names, so none can name a
        // missing source: the scan of every event that counts those runs only otherwise.
        if counts_match && total == claimed {
            return Ok(true);
        }
        let orphans: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM event WHERE source_id NOT IN (SELECT id FROM source)",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        if orphans > 0 {
            problems.push(VerifyProblem {
                what: "events".into(),
                why: format!("{orphans} events name a source that does not exist"),
            });
        }
        Ok(false)
    }
}

/// What [`Case::check_source_rows`] found beyond its problems.
struct SourceRowsCheck {
    /// An access source's events in its id range are exactly its imported count.
    counts_match: bool,
    /// Events of the source referring to an account or system that does not exist.
    dangling_refs: i64,
}

impl Integrity<'_> {
    /// Recomputes `account_subject` (schema 4, read by the impact tables) from the events and
    /// compares it with the stored rows: `None` when they are equal. Not part of
    /// [`Integrity::verify`] (whose report the tamper tests pin down); a reading of every event.
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
    /// the table). Not part of [`Integrity::verify`]; a reading of every event.
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
        // One decompressor and one output buffer for every chunk: no fresh allocation (and
        // page faults) per chunk.
        let mut decoder = zstd::bulk::Decompressor::new()
            .map_err(|e| format!("cannot start decompressing the stored chunks: {e}"))?;
        let mut raw: Vec<u8> = Vec::new();
        while let Some(r) = rows.next().map_err(|e| e.to_string())? {
            let seq: i64 = r.get(0).map_err(|e| e.to_string())?;
            let first_line: i64 = r.get(1).map_err(|e| e.to_string())?;
            let byte_start: i64 = r.get(2).map_err(|e| e.to_string())?;
            let raw_len: i64 = r.get(3).map_err(|e| e.to_string())?;
            let data: &[u8] = r
                .get_ref(4)
                .and_then(|v| v.as_blob().map_err(rusqlite::Error::from))
                .map_err(|e| e.to_string())?;
            if seq != expect_seq {
                return Err(format!("stored chunk {expect_seq} is missing"));
            }
            if byte_start as u64 != size || first_line as u64 != newlines + 1 {
                return Err(format!(
                    "stored chunk {seq} does not follow the chunk before it"
                ));
            }
            decompress_chunk(&mut decoder, data, raw_len, &mut raw)
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

/// Decompresses one stored chunk into `out` (cleared first). The recorded length sizes the
/// buffer; a frame that holds more than that (a chunk whose recorded length was lowered) is
/// decompressed whole all the same, so the length check after names it.
fn decompress_chunk(
    decoder: &mut zstd::bulk::Decompressor<'_>,
    data: &[u8],
    raw_len: i64,
    out: &mut Vec<u8>,
) -> std::io::Result<()> {
    out.clear();
    let want = usize::try_from(raw_len).unwrap_or(0);
    // Decompress into a buffer one byte larger than recorded: a frame that fills it holds
    // more than the recorded length, and the whole of it is decoded by the stream decoder.
    out.reserve(want + 1);
    match decoder.decompress_to_buffer(data, out) {
        Ok(_) if out.len() <= want => Ok(()),
        _ => {
            out.clear();
            *out = zstd::decode_all(data)?;
            Ok(())
        }
    }
}
