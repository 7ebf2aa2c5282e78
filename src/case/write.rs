//! Imports: one source file = one transaction. A `SourceImport` opens it, takes the original
//! bytes in chunks, the events or roster rows, and the rejects, and `finish` commits it with the
//! final counts, aggregates and a custody entry. Dropping it unfinished rolls everything back,
//! so a failed or cancelled import leaves no trace.

use super::facade::Sources;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::links::{LinkPair, Links};
use super::{Case, CaseError, INDEXES, Result, custody, sql_err};
use crate::model::roster::{
    AccountLink, Approval, Milestone, Person, SourceKind, SubjectInfo, SystemInfo,
};
use crate::model::subject::normalize;
use crate::model::{NewEvent, Text, Vocabulary};

/// What an import records about its source, known before the rows are read.
#[derive(Debug, Clone)]
pub struct ImportMeta {
    pub kind: SourceKind,
    pub file_name: String,
    pub format: String,
    pub encoding: String,
    pub encoding_how: String,
    pub zone: String,
    pub time_rule: String,
    pub mapping_json: String,
    pub imported_by: String,
    /// Size of the file; large files drop the event indexes during the load and rebuild them.
    pub size_bytes: u64,
}

/// A piece of the original file, compressed.
#[derive(Debug, Clone)]
pub struct ChunkRecord {
    pub seq: i64,
    pub first_line: u64,
    pub byte_start: u64,
    pub raw_len: u64,
    pub data: Vec<u8>,
}

/// The outcome of a committed import.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FinishedImport {
    pub source_id: i64,
    pub rows_read: u64,
    pub rows_imported: u64,
    pub rows_rejected: u64,
    pub first_ts_us: Option<i64>,
    pub last_ts_us: Option<i64>,
    /// Where the writer's time went, in order: (phase, seconds). For the import benchmarks;
    /// `rows` is everything up to `finish`, the rest are its steps.
    pub phases: Vec<(&'static str, f64)>,
}

/// The event indexes a bulk load drops and rebuilds after. Only `event_ts`: its rebuild is
/// cheap (rows arrive in about time order, so the sort has little to do), while rebuilding
/// `event_account_ts` would sort every row again. Kept during the load, it is written at one
/// end per account, a few hot pages, and the writer's extra work hides behind the parser
/// (figures in `docs/performance.md`).
const EVENT_INDEXES: &[&str] = &["event_ts"];

/// Files larger than this, into a case with fewer events than the file will add, are loaded
/// with `event_ts` dropped and rebuilt after: building an index once is several times faster
/// than maintaining it row by row.
const BULK_MIN_BYTES: u64 = 32 << 20;

/// The cache while the bulk load's indexes are rebuilt (see `commit_rows`).
const INDEX_BUILD_CACHE: &str = "PRAGMA cache_size=-32768";

/// Access files from this size on are loaded with a rollback journal and a large cache.
const FAST_LOAD_MIN_BYTES: u64 = 1 << 20;

/// An import in progress. See the module docs.
pub struct SourceImport<'c> {
    case: &'c mut Case,
    source_id: i64,
    kind: SourceKind,
    /// Interning state for access imports; lent to the parsing thread by
    /// [`SourceImport::take_resolver`] so the writer only writes.
    resolver: Option<Resolver>,
    rows_imported: u64,
    rows_rejected: u64,
    bulk: bool,
    fast_load: bool,
    journal_switched: bool,
    open: bool,
    started: std::time::Instant,
    /// Seconds spent writing rows and chunks (of `rows`; the rest is waiting for the parser).
    busy_secs: f64,
}

impl<'c> SourceImport<'c> {
    pub fn begin(case: &'c mut Case, meta: &ImportMeta) -> Result<SourceImport<'c>> {
        case.check_writable()?;
        let path = case.path.clone();
        let conn = &case.conn;
        let e = |err| sql_err(&path, err);
        let mut bulk = false;
        let mut journal_switched = false;
        if meta.kind == SourceKind::Access && meta.size_bytes >= BULK_MIN_BYTES {
            let events: i64 = conn
                .query_row("SELECT count(*) FROM event", [], |r| r.get(0))
                .map_err(e)?;
            // ~100 bytes a row is a low guess for log lines, so this errs towards keeping indexes.
            bulk = (events as u64) < meta.size_bytes / 100;
        }
        let fast_load = meta.kind == SourceKind::Access && meta.size_bytes >= FAST_LOAD_MIN_BYTES;
        if fast_load {
            // A rollback journal records only the pages that existed before the import, so a
            // load that mostly appends writes each page once instead of twice (WAL, then
            // checkpoint). A killed import is still rolled back (the hot journal) on next open;
            // synchronous=OFF only gives up durability against power loss, for the import's
            // duration. The switch needs the case to itself: with a reader open it stays WAL,
            // or fails at once with SQLITE_BUSY — then the import runs in WAL.
            let mode = match conn
                .query_row("PRAGMA journal_mode=DELETE", [], |r| r.get::<_, String>(0))
            {
                Ok(mode) => mode,
                Err(err)
                    if matches!(
                        err.sqlite_error_code(),
                        Some(
                            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                        )
                    ) =>
                {
                    "wal".to_string()
                }
                Err(err) => return Err(e(err)),
            };
            journal_switched = mode.eq_ignore_ascii_case("delete");
            // Sorting for index builds may use a second thread. A 192 MiB cache: against
            // 256 MiB, peak import RSS at 10 M events 594 -> 525 MiB with no loss of speed
            // (alternated runs, docs/performance.md), which keeps 100 M under 1 GiB.
            // A reader's statement holds SQLite's shared lock, which the commit (and a cache
            // spill) must wait for; with a rollback journal a long read can outlast the usual
            // 5 s, and failing a large import for it would lose minutes of work.
            conn.execute_batch(
                "PRAGMA synchronous=OFF; PRAGMA cache_size=-196608; PRAGMA threads=2; PRAGMA busy_timeout=120000;",
            )
            .map_err(e)?;
        }
        if meta.kind == SourceKind::Access {
            // The bundled SQLite enforces foreign keys by default. An access import writes
            // ids it has just assigned or looked up, and checking each one is a lookup per row
            // (at 10 M events, schema 5's per-link `event_subject` checks, a random seek into
            // `event` each, made the load several times slower). `verify` runs
            // `foreign_key_check` over the whole case instead.
            conn.execute_batch("PRAGMA foreign_keys=OFF").map_err(e)?;
        }
        conn.execute_batch("BEGIN IMMEDIATE").map_err(e)?;
        let mut imp = SourceImport {
            source_id: 0,
            kind: meta.kind,
            resolver: None,
            rows_imported: 0,
            rows_rejected: 0,
            bulk,
            fast_load,
            journal_switched,
            open: true,
            started: std::time::Instant::now(),
            busy_secs: 0.0,
            case,
        };
        imp.start(meta).map_err(|err| sql_err(&path, err))?;
        Ok(imp)
    }

    fn start(&mut self, meta: &ImportMeta) -> rusqlite::Result<()> {
        let conn = &self.case.conn;
        if self.bulk {
            for idx in EVENT_INDEXES {
                conn.execute_batch(&format!("DROP INDEX IF EXISTS {idx}"))?;
            }
        }
        conn.execute(
            "INSERT INTO source(kind, file_name, sha256, size_bytes, format, encoding, encoding_how,
                zone, time_rule, mapping_json, line_count, rows_read, rows_imported, rows_rejected,
                imported_at_us, imported_by, tool_version)
             VALUES (?1, ?2, '', ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, 0, 0, 0, ?10, ?11, ?12)",
            params![
                meta.kind.as_str(),
                meta.file_name,
                meta.size_bytes as i64,
                meta.format,
                meta.encoding,
                meta.encoding_how,
                meta.zone,
                meta.time_rule,
                meta.mapping_json,
                crate::model::time::now_us(),
                meta.imported_by,
                env!("CARGO_PKG_VERSION"),
            ],
        )?;
        self.source_id = conn.last_insert_rowid();
        if self.kind == SourceKind::Access {
            let max_id = |table: &str| -> rusqlite::Result<i64> {
                conn.query_row(
                    &format!("SELECT coalesce(max(id), 0) FROM {table}"),
                    [],
                    |r| r.get(0),
                )
            };
            self.resolver = Some(Resolver {
                accounts: load_names(conn, "SELECT name, id FROM account")?,
                systems: load_names(conn, "SELECT name, id FROM system")?,
                subjects: load_names(conn, "SELECT key, id FROM subject")?,
                next_account_id: max_id("account")?,
                next_system_id: max_id("system")?,
                next_subject_id: max_id("subject")?,
                next_event_id: max_id("event")?,
                links: Links::new(
                    super::links::spill_path(&self.case.path, "links"),
                    self.case.spill_run.unwrap_or(super::links::RUN_LINKS),
                ),
                subject_acc: super::account_subject::Accumulator::spilling(
                    super::account_subject::SpillTo {
                        path: super::links::spill_path(&self.case.path, "pairs"),
                        cells: self
                            .case
                            .spill_run
                            .unwrap_or(super::account_subject::SPILL_CELLS),
                    },
                ),
                persons: super::person_agg::Stream::new(conn)?,
                agg: HashMap::default(),
                cells: super::cells::Cells::flushing_at(
                    self.case.spill_run.unwrap_or(super::cells::FLUSH_CELLS),
                ),
                source_id: self.source_id,
                source_hours: Default::default(),
                values: Default::default(),
                first_ts_us: None,
                last_ts_us: None,
                first_event_id: None,
                last_event_id: None,
            });
        }
        Ok(())
    }

    pub fn source_id(&self) -> i64 {
        self.source_id
    }

    fn conn(&self) -> &Connection {
        &self.case.conn
    }

    fn e(&self, err: rusqlite::Error) -> CaseError {
        self.case.err(err)
    }

    pub fn add_chunk(&mut self, chunk: &ChunkRecord) -> Result<()> {
        let r = self
            .conn()
            .prepare_cached(
                "INSERT INTO source_chunk(source_id, seq, first_line, byte_start, raw_len, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    self.source_id,
                    chunk.seq,
                    chunk.first_line as i64,
                    chunk.byte_start as i64,
                    chunk.raw_len as i64,
                    chunk.data
                ])
            });
        r.map(|_| ()).map_err(|err| self.e(err))
    }

    pub fn add_reject(&mut self, line: u64, reason: &str, raw: &str) -> Result<()> {
        self.rows_rejected += 1;
        let r = self
            .conn()
            .prepare_cached(
                "INSERT INTO reject(source_id, line, reason, raw) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut st| st.execute(params![self.source_id, line as i64, reason, raw]));
        r.map(|_| ()).map_err(|err| self.e(err))
    }

    /// Lends the interning state to another thread (the parser), which then turns event
    /// batches into [`Resolved`] batches; give it back with [`SourceImport::return_resolver`]
    /// before `finish`.
    pub fn take_resolver(&mut self) -> Option<Resolver> {
        self.resolver.take()
    }

    pub fn return_resolver(&mut self, r: Resolver) {
        self.resolver = Some(r);
    }

    /// Stores a batch resolved by [`Resolver::resolve`]: new names first, then the events.
    pub fn add_resolved(&mut self, batch: &Resolved) -> Result<()> {
        let t = std::time::Instant::now();
        let r = self.insert_resolved(batch).map_err(|err| self.e(err));
        self.busy_secs += t.elapsed().as_secs_f64();
        r
    }

    fn insert_resolved(&mut self, batch: &Resolved) -> rusqlite::Result<()> {
        let conn = &self.case.conn;
        for (id, name) in &batch.new_accounts {
            conn.prepare_cached("INSERT INTO account(id, name) VALUES (?1, ?2)")?
                .execute(params![id, name])?;
        }
        for (id, name) in &batch.new_systems {
            conn.prepare_cached("INSERT INTO system(id, name) VALUES (?1, ?2)")?
                .execute(params![id, name])?;
        }
        for (id, key, kind) in &batch.new_subjects {
            conn.prepare_cached("INSERT INTO subject(id, key, kind) VALUES (?1, ?2, ?3)")?
                .execute(params![id, key, kind])?;
        }
        // Many rows per statement: SQLite's per-statement cost, not the row itself, dominates
        // single-row inserts.
        let (events, ids) = (&batch.events, &batch.ids);
        insert_in_groups(
            conn,
            events.len(),
            EVENTS_PER_INSERT,
            &|rows| multi_row_sql(EVENT_INSERT, EVENT_COLUMNS, rows),
            &mut |st, r| self.insert_events(st, &events[r.clone()], &ids[r]),
        )?;
        self.rows_imported += events.len() as u64;
        if let Some(cells) = &batch.cells {
            cells.write(conn)?;
        }
        // Unmapped fields: one row for each event that has any.
        let extras: Vec<(i64, &str)> = events
            .iter()
            .zip(ids)
            .filter_map(|(ev, id)| ev.extra.as_deref().map(|x| (id.event_id, x)))
            .collect();
        insert_in_groups(
            conn,
            extras.len(),
            EXTRAS_PER_INSERT,
            &|rows| {
                multi_row_sql(
                    "INSERT OR FAIL INTO event_extra(event_id, fields) VALUES ",
                    2,
                    rows,
                )
            },
            &mut |st, r| {
                for (i, (id, fields)) in extras[r].iter().enumerate() {
                    st.raw_bind_parameter(2 * i + 1, id)?;
                    st.raw_bind_parameter(2 * i + 2, fields)?;
                }
                st.raw_execute().map(|_| ())
            },
        )?;
        Ok(())
    }

    /// Binds and runs one multi-row event insert (`st` has a group for each event).
    fn insert_events(
        &self,
        st: &mut rusqlite::Statement,
        evs: &[NewEvent],
        ids: &[EventIds],
    ) -> rusqlite::Result<()> {
        let mut i = 1;
        for (ev, id) in evs.iter().zip(ids) {
            let vals: [&dyn rusqlite::ToSql; EVENT_COLUMNS] = [
                &self.source_id,
                &(ev.line as i64),
                &(ev.line_end as i64 - ev.line as i64),
                &ev.ts_us,
                &ev.raw_ts,
                &ev.ts_flags,
                &id.account_id,
                &ev.src_ip,
                &id.system_id,
                &ev.action,
                &ev.object,
                &(ev.categories.0 as i64),
                &ev.records,
                &ev.outcome.as_ref().map(|o| o.as_str()),
                &ev.session,
                &ev.ticket,
                &id.subject_count,
                &id.subject_ids,
            ];
            for v in vals {
                st.raw_bind_parameter(i, v)?;
                i += 1;
            }
        }
        st.raw_execute()?;
        // SQLite numbers appended rows max(id) + 1, ... — the ids the resolver assigned (this
        // transaction is the only writer). Letting SQLite number them keeps its append fast
        // path; a mismatch would mean the links point elsewhere, so it aborts.
        let want = ids.last().map_or(0, |i| i.event_id);
        let got = self.case.conn.last_insert_rowid();
        if got != want {
            return Err(rusqlite::Error::ToSqlConversionFailure(
                format!("event ids diverged: SQLite assigned {got}, expected {want}").into(),
            ));
        }
        Ok(())
    }

    pub fn add_person(&mut self, p: &Person, line: u64) -> Result<()> {
        let sid = self.source_id;
        let r = self.conn().execute(
            "INSERT INTO person(person_key, display_name, native_name, organization, country, role, zone, source_id, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(person_key) DO UPDATE SET display_name=excluded.display_name,
               native_name=excluded.native_name, organization=excluded.organization,
               country=excluded.country, role=excluded.role, zone=excluded.zone,
               source_id=excluded.source_id, line=excluded.line",
            params![p.key, p.display_name, p.native_name, p.organization, p.country, p.role, p.zone, sid, line as i64],
        );
        self.counted(r)
    }

    /// Maps an account to a person; fails (a reject for the caller) when the person is unknown
    /// or the account is already mapped to someone else.
    pub fn add_account(
        &mut self,
        a: &AccountLink,
        line: u64,
    ) -> Result<std::result::Result<(), String>> {
        let r = (|| {
            let conn = self.conn();
            let Some(person_id) = person_id(conn, &a.person_key)? else {
                return Ok(Err(format!(
                    "person_id {:?} is not in the people roster",
                    a.person_key
                )));
            };
            let existing: Option<Option<i64>> = conn
                .query_row(
                    "SELECT person_id FROM account WHERE name = ?1",
                    [&a.account],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(Some(other)) = existing
                && other != person_id
            {
                let other_key: String = conn.query_row(
                    "SELECT person_key FROM person WHERE id = ?1",
                    [other],
                    |r| r.get(0),
                )?;
                return Ok(Err(format!(
                    "account {:?} is already mapped to person {other_key:?}",
                    a.account
                )));
            }
            conn.execute(
                "INSERT INTO account(name, person_id, note, source_id, line) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(name) DO UPDATE SET person_id=excluded.person_id, note=excluded.note,
                   source_id=excluded.source_id, line=excluded.line",
                params![a.account, person_id, a.note, self.source_id, line as i64],
            )?;
            Ok(Ok(()))
        })();
        match r {
            Ok(Ok(())) => {
                self.rows_imported += 1;
                Ok(Ok(()))
            }
            Ok(Err(why)) => Ok(Err(why)),
            Err(err) => Err(self.e(err)),
        }
    }

    pub fn add_system(&mut self, s: &SystemInfo, line: u64) -> Result<()> {
        let sid = self.source_id;
        let r = self.conn().execute(
            "INSERT INTO system(name, country, categories, description, source_id, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(name) DO UPDATE SET country=excluded.country, categories=excluded.categories,
               description=excluded.description, source_id=excluded.source_id, line=excluded.line",
            params![s.name, s.country, s.categories.0 as i64, s.description, sid, line as i64],
        );
        self.counted(r)
    }

    pub fn add_approval(
        &mut self,
        a: &Approval,
        line: u64,
    ) -> Result<std::result::Result<(), String>> {
        let r = (|| {
            let conn = self.conn();
            let Some(pid) = person_id(conn, &a.person_key)? else {
                return Ok(Err(format!(
                    "person_id {:?} is not in the people roster",
                    a.person_key
                )));
            };
            let opt_person =
                |key: &Option<String>,
                 what: &str|
                 -> rusqlite::Result<std::result::Result<Option<i64>, String>> {
                    match key {
                        None => Ok(Ok(None)),
                        Some(k) => Ok(person_id(conn, k)?
                            .map(Some)
                            .ok_or_else(|| format!("{what} {k:?} is not in the people roster"))),
                    }
                };
            let approver = match opt_person(&a.approver_key, "approver")? {
                Ok(v) => v,
                Err(why) => return Ok(Err(why)),
            };
            let overseer = match opt_person(&a.overseer_key, "overseer")? {
                Ok(v) => v,
                Err(why) => return Ok(Err(why)),
            };
            conn.execute(
                "INSERT OR IGNORE INTO system(name) VALUES (?1)",
                [&a.system],
            )?;
            let system_id: i64 =
                conn.query_row("SELECT id FROM system WHERE name = ?1", [&a.system], |r| {
                    r.get(0)
                })?;
            conn.execute(
                "INSERT INTO approval(person_id, system_id, valid_from_us, valid_to_us, approver_id, overseer_id, ticket, source_id, line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![pid, system_id, a.valid_from_us, a.valid_to_us, approver, overseer, a.ticket, self.source_id, line as i64],
            )?;
            Ok(Ok(()))
        })();
        match r {
            Ok(Ok(())) => {
                self.rows_imported += 1;
                Ok(Ok(()))
            }
            Ok(Err(why)) => Ok(Err(why)),
            Err(err) => Err(self.e(err)),
        }
    }

    /// Adds a milestone; a scope written as a bare name is resolved against the case
    /// (`scope::resolve`): `Ok(Some(note))` says how it was read, `Ok(Err(why))` is a reject —
    /// also when its scope names a person who is not in the people roster (a milestone for
    /// nobody would silently apply to no one).
    pub fn add_milestone(
        &mut self,
        m: &Milestone,
        line: u64,
    ) -> Result<std::result::Result<Option<String>, String>> {
        if let crate::model::roster::Scope::Person(key) = &m.scope
            && person_id(self.conn(), key)
                .map_err(|err| self.e(err))?
                .is_none()
        {
            return Ok(Err(format!(
                "scope person:{key} names a person_id that is not in the people roster"
            )));
        }
        let sid = self.source_id;
        let (scope, note) = match super::scope::resolve(self.conn(), &m.scope) {
            Ok(Ok(v)) => v,
            Ok(Err(why)) => return Ok(Err(why)),
            Err(err) => return Err(self.e(err)),
        };
        let r = self.conn().execute(
            "INSERT INTO milestone(at_us, raw_at, label, kind, scope_kind, scope_value, source_id, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![m.at_us, m.raw_at, m.label, m.kind, scope.kind(), scope.value(), sid, line as i64],
        );
        self.counted(r)?;
        Ok(Ok(note.map(|n| format!("line {line}: {n}"))))
    }

    /// Records notes about how rows were read (e.g. a milestone scope resolved from a name) in
    /// the source's mapping JSON under `notes`, so `info` shows them after the import.
    pub fn record_notes(&mut self, notes: &[String]) -> Result<()> {
        if notes.is_empty() {
            return Ok(());
        }
        let json = serde_json::to_string(notes).unwrap_or_else(|_| "[]".into());
        let r = self.conn().execute(
            "UPDATE source SET mapping_json = json_set(mapping_json, '$.notes', json(?1)) WHERE id = ?2",
            params![json, self.source_id],
        );
        r.map(|_| ()).map_err(|err| self.e(err))
    }

    pub fn add_subject(&mut self, s: &SubjectInfo) -> Result<()> {
        let r = (|| {
            let conn = self.conn();
            let kind = normalize(&s.key).map_or("id", |(_, k)| k.as_str());
            conn.execute(
                "INSERT INTO subject(key, kind, country) VALUES (?1, ?2, ?3)
                 ON CONFLICT(key) DO UPDATE SET country = coalesce(excluded.country, subject.country)",
                params![s.key, kind, s.country],
            )?;
            let id: i64 =
                conn.query_row("SELECT id FROM subject WHERE key = ?1", [&s.key], |r| {
                    r.get(0)
                })?;
            for alias in &s.aliases {
                conn.execute(
                    "INSERT INTO subject_alias(alias, subject_id) VALUES (?1, ?2)
                     ON CONFLICT(alias) DO UPDATE SET subject_id = excluded.subject_id",
                    params![alias, id],
                )?;
            }
            Ok(())
        })();
        self.counted(r.map(|()| 1))
    }

    fn counted(&mut self, r: rusqlite::Result<usize>) -> Result<()> {
        match r {
            Ok(_) => {
                self.rows_imported += 1;
                Ok(())
            }
            Err(err) => Err(self.e(err)),
        }
    }

    /// Commits the import. Refuses (and rolls back) when another source has the same SHA-256,
    /// unless `force`.
    pub fn finish(
        mut self,
        sha256: &str,
        line_count: u64,
        rows_read: u64,
        vocab: &Vocabulary,
        force: bool,
    ) -> Result<FinishedImport> {
        let dup: Option<(i64, String, i64)> = self
            .conn()
            .query_row(
                "SELECT id, file_name, imported_at_us FROM source WHERE sha256 = ?1 AND id <> ?2 LIMIT 1",
                params![sha256, self.source_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|err| self.e(err))?;
        if let Some((source_id, file_name, at)) = dup
            && !force
        {
            return Err(CaseError::AlreadyImported {
                sha256: sha256.to_string(),
                file_name,
                source_id,
                imported_at: crate::model::time::format_utc(at),
            });
        }
        let (first_ts_us, last_ts_us) = self
            .resolver
            .as_ref()
            .map_or((None, None), |r| (r.first_ts_us, r.last_ts_us));
        let mut done = FinishedImport {
            source_id: self.source_id,
            rows_read,
            rows_imported: self.rows_imported,
            rows_rejected: self.rows_rejected,
            first_ts_us,
            last_ts_us,
            phases: vec![
                ("rows", self.started.elapsed().as_secs_f64()),
                ("rows: writing events", self.busy_secs),
            ],
        };
        // The loaded rows are in the OS's cache, not yet on disk: a thread flushes them while
        // this one finishes the import (index, links, derived tables), so the fsync that makes
        // the import durable below has little left to write. An extra fsync changes nothing
        // else; if it fails, the one below still runs and is the one that counts.
        // The process's own descriptor of the case: opening and closing one here would drop
        // SQLite's locks on the file (see `lock.rs`), and readers would take the live journal
        // for a hot one.
        let early_flush = if self.fast_load {
            super::lock::case_file(&self.case.path).ok().and_then(|f| {
                std::thread::Builder::new()
                    .name("retrace-flush".into())
                    .spawn(move || f.sync_data())
                    .ok()
            })
        } else {
            None
        };
        done.phases.extend(
            self.commit_rows(sha256, line_count, vocab, &done)
                .map_err(|err| self.e(err))?,
        );
        let t = std::time::Instant::now();
        self.conn()
            .execute_batch("COMMIT")
            .map_err(|err| self.e(err))?;
        done.phases.push(("commit", t.elapsed().as_secs_f64()));
        self.open = false;
        // Back to WAL: the switch writes the header with synchronous=NORMAL, which flushes the
        // import (loaded with synchronous=OFF) to disk, so a finished import survives a power
        // cut; the early flush above has already written most of it.
        let t = std::time::Instant::now();
        if let Some(h) = early_flush {
            let _ = h.join();
        }
        self.restore_journal();
        done.phases
            .push(("durable (fsync, WAL)", t.elapsed().as_secs_f64()));
        Ok(done)
    }

    fn commit_rows(
        &mut self,
        sha256: &str,
        line_count: u64,
        vocab: &Vocabulary,
        done: &FinishedImport,
    ) -> rusqlite::Result<Vec<(&'static str, f64)>> {
        let conn = &self.case.conn;
        let mut phases = Vec::new();
        let mut t = std::time::Instant::now();
        let mut lap = |name: &'static str| {
            phases.push((name, t.elapsed().as_secs_f64()));
            t = std::time::Instant::now();
        };
        let mut resolver = self.resolver.take();
        let (first_event_id, last_event_id) = resolver
            .as_ref()
            .map_or((None, None), |r| (r.first_event_id, r.last_event_id));
        conn.execute(
            "UPDATE source SET sha256=?1, line_count=?2, rows_read=?3, rows_imported=?4, rows_rejected=?5,
                first_ts_us=?6, last_ts_us=?7, first_event_id=?9, last_event_id=?10 WHERE id=?8",
            params![
                sha256,
                line_count as i64,
                done.rows_read as i64,
                done.rows_imported as i64,
                done.rows_rejected as i64,
                done.first_ts_us,
                done.last_ts_us,
                self.source_id,
                first_event_id,
                last_event_id,
            ],
        )?;
        let (links, agg, (cells, source_hours), values, subject_acc, persons) =
            match resolver.take() {
                Some(r) => (
                    Some(r.links),
                    r.agg,
                    (r.cells, r.source_hours),
                    r.values,
                    Some(r.subject_acc),
                    Some(r.persons),
                ),
                None => Default::default(),
            };
        // One `subject_event` row per subject: its event ids, ascending.
        if let Some(links) = links {
            let mut buf = String::new();
            let spill = super::links::spill_path(&self.case.path, "links");
            let describe = |e: &std::io::Error| super::links::describe(&spill, e);
            links
                .for_each_subject(|subject, ids| {
                    super::subject_event::insert(
                        conn,
                        i64::from(subject),
                        self.source_id,
                        ids.iter().map(|&id| i64::from(id)),
                        &mut buf,
                    )
                })
                .map_err(|e| match e {
                    Ok(io) => rusqlite::Error::ToSqlConversionFailure(describe(&io).into()),
                    Err(e) => e,
                })?;
        }
        lap("subject links");
        write_aggregates(conn, &agg, &values, vocab)?;
        lap("aggregates");
        cells.write(conn)?;
        drop(cells);
        source_hours.write(conn)?;
        lap("cell aggregates");
        if self.bulk {
            // SQLite's sorter keeps up to the cache's size of keys in memory per sorting
            // thread besides the cache itself; a smaller cache bounds the rebuild's memory
            // (at 10 M events it added 230 MiB to the peak) at the cost of a few more runs to
            // merge.
            if self.fast_load {
                conn.execute_batch(INDEX_BUILD_CACHE)?;
            }
            conn.execute_batch(INDEXES)?;
            lap("indexes");
        }
        if let Some(acc) = subject_acc {
            acc.merge_into(conn)?;
        }
        lap("account_subject");
        // Per-person derived figures of the persons this import touched (events or roster);
        // they count distinct subjects from `account_subject`.
        super::person_agg::refresh_after_import(conn, self.source_id, persons)?;
        lap("person tables");
        self.append_import_custody(sha256, line_count, done)?;
        lap("custody");
        Ok(phases)
    }

    /// The custody record of this import.
    fn append_import_custody(
        &self,
        sha256: &str,
        line_count: u64,
        done: &FinishedImport,
    ) -> rusqlite::Result<()> {
        let conn = &self.case.conn;
        let by: String = conn.query_row(
            "SELECT imported_by FROM source WHERE id = ?1",
            [self.source_id],
            |r| r.get(0),
        )?;
        let (file, size_bytes): (String, i64) = conn.query_row(
            "SELECT file_name, size_bytes FROM source WHERE id = ?1",
            [self.source_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        custody::append(
            conn,
            &by,
            "import",
            &json!({
                "source_id": self.source_id,
                "kind": self.kind.as_str(),
                "file": file,
                "sha256": sha256,
                "size_bytes": size_bytes,
                "line_count": line_count,
                "rows_read": done.rows_read,
                "rows_imported": done.rows_imported,
                "rows_rejected": done.rows_rejected,
            }),
        )?;
        Ok(())
    }

    fn restore_journal(&mut self) {
        let _ = self.case.conn.execute_batch("PRAGMA foreign_keys=ON");
        if self.fast_load {
            // Best effort: the data is committed either way; WAL is the normal mode.
            let _ = self.case.conn.execute_batch(
                "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-2000; PRAGMA busy_timeout=5000;",
            );
        }
        if self.journal_switched {
            let _ = self
                .case
                .conn
                .query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()));
        }
    }
}

impl Drop for SourceImport<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.case.conn.execute_batch("ROLLBACK");
            self.restore_journal();
        }
    }
}

fn load_names<K: From<String> + Eq + std::hash::Hash>(
    conn: &Connection,
    sql: &str,
) -> rusqlite::Result<NameMap<K>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| {
        Ok((K::from(r.get::<_, String>(0)?), r.get::<_, i64>(1)?))
    })?;
    rows.collect()
}

fn person_id(conn: &Connection, key: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT id FROM person WHERE person_key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
}

/// Interned names -> row ids. Subject keys are [`Text`]s, most of them held in the map's own
/// slots: one cache miss less per lookup among the tens of thousands of subjects.
type NameMap<K = String> = HashMap<K, i64, FastHash>;
pub(super) type FastHash = BuildHasherDefault<FxHasher>;

/// The rustc "Fx" hash: a multiply-rotate over 8-byte words. Not DoS-resistant, which is fine
/// for interning names from one file on the investigator's own machine, and several times
/// faster than SipHash on the import's hot path.
#[derive(Default)]
pub(super) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(K);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Adds an import's hourly and daily counts per account, its action and outcome counts, and
/// the vocabulary's categories to the case's tables.
fn write_aggregates(
    conn: &Connection,
    agg: &HashMap<(i64, i64), (i64, u64), FastHash>,
    values: &(NameMap, NameMap),
    vocab: &Vocabulary,
) -> rusqlite::Result<()> {
    let mut up = conn.prepare_cached(
        "INSERT INTO agg_hour(account_id, hour, n, categories) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(account_id, hour) DO UPDATE SET n = n + excluded.n,
           categories = categories | excluded.categories",
    )?;
    let mut days: HashMap<(i64, i64), (i64, u64), FastHash> = HashMap::default();
    for ((acc, hour), (n, cats)) in agg {
        up.execute(params![acc, hour, n, *cats as i64])?;
        let d = days.entry((*acc, hour.div_euclid(24))).or_insert((0, 0));
        d.0 += n;
        d.1 |= cats;
    }
    let mut up_day = conn.prepare_cached(
        "INSERT INTO agg_day(account_id, day, n, categories) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(account_id, day) DO UPDATE SET n = n + excluded.n,
           categories = categories | excluded.categories",
    )?;
    for ((acc, day), (n, cats)) in &days {
        up_day.execute(params![acc, day, n, *cats as i64])?;
    }
    let mut up_value = conn.prepare_cached(
        "INSERT INTO agg_value(kind, value, n) VALUES (?1, ?2, ?3)
         ON CONFLICT(kind, value) DO UPDATE SET n = n + excluded.n",
    )?;
    for (kind, map) in [("action", &values.0), ("outcome", &values.1)] {
        for (v, n) in map {
            up_value.execute(params![kind, v, n])?;
        }
    }
    let mut cat =
        conn.prepare_cached("INSERT OR IGNORE INTO category(bit, name) VALUES (?1, ?2)")?;
    for (bit, name) in vocab.entries() {
        cat.execute(params![bit, name])?;
    }
    Ok(())
}

const EVENT_COLUMNS: usize = 18;
/// `OR FAIL`, not the default `OR ABORT`: an abort must undo the statement's earlier rows, so
/// SQLite copies every page the statement touches that the transaction had already changed
/// (the table's last leaf, the index's hot pages) into a statement journal first. A failed
/// row fails the whole import anyway (its transaction is rolled back).
const EVENT_INSERT: &str =
    "INSERT OR FAIL INTO event(source_id, line, line_span, ts_us, raw_ts, ts_flags,
    account_id, src_ip, system_id, action, object, categories, records, outcome, session_key,
    ticket, subject_count, subject_ids) VALUES ";
/// 64 rows x 18 columns stays far below SQLite's 32766 bound parameters.
const EVENTS_PER_INSERT: usize = 64;
const EXTRAS_PER_INSERT: usize = 128;

impl rusqlite::ToSql for crate::model::Text {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::Borrowed(
            rusqlite::types::ValueRef::Text(self.as_bytes()),
        ))
    }
}

/// The ids an event gets when it is stored.
struct EventIds {
    event_id: i64,
    account_id: Option<i64>,
    system_id: Option<i64>,
    subject_count: i64,
    subject_ids: Option<Text>,
}

/// Inserts integer rows `ROWS_PER_INSERT` at a time: `head` is `INSERT INTO t(a, b) VALUES `,
/// `tail` what follows the values (an `ON CONFLICT` clause, or nothing).
pub(super) fn insert_int_rows<const N: usize>(
    conn: &Connection,
    head: &str,
    tail: &str,
    rows: &[[i64; N]],
) -> rusqlite::Result<()> {
    const ROWS_PER_INSERT: usize = 256;
    insert_in_groups(
        conn,
        rows.len(),
        ROWS_PER_INSERT,
        &|n| format!("{} {tail}", multi_row_sql(head, N, n)),
        &mut |st, r| {
            for (i, v) in rows[r].iter().flatten().enumerate() {
                st.raw_bind_parameter(i + 1, v)?;
            }
            st.raw_execute().map(|_| ())
        },
    )
}

/// Multi-row inserts of `n` rows, `per` to a statement: `sql(k)` is the statement for `k` rows,
/// and `run` binds and executes the rows of a range. One statement serves every full group,
/// one more the rest: a statement handed back to rusqlite's cache has its bindings cleared,
/// freeing the buffers SQLite copied bound text into, so preparing one per group allocated
/// them all again (8 text values an event).
fn insert_in_groups(
    conn: &Connection,
    n: usize,
    per: usize,
    sql: &dyn Fn(usize) -> String,
    run: &mut dyn FnMut(&mut rusqlite::Statement, std::ops::Range<usize>) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let full = n / per;
    if full > 0 {
        let mut st = conn.prepare_cached(&sql(per))?;
        for g in 0..full {
            run(&mut st, g * per..(g + 1) * per)?;
        }
    }
    if full * per < n {
        let mut st = conn.prepare_cached(&sql(n - full * per))?;
        run(&mut st, full * per..n)?;
    }
    Ok(())
}

/// `prefix` followed by `rows` groups of `cols` placeholders.
fn multi_row_sql(prefix: &str, cols: usize, rows: usize) -> String {
    let group = format!("({})", vec!["?"; cols].join(","));
    let mut sql = String::with_capacity(prefix.len() + rows * (group.len() + 1));
    sql.push_str(prefix);
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push_str(&group);
    }
    sql
}

/// Interning state of an access import: names -> ids (new ones numbered from the table's
/// max id, so they can be assigned off the writer thread), plus what `finish` needs: subject
/// links, hourly aggregates, the time span and the event id range.
pub struct Resolver {
    accounts: NameMap,
    systems: NameMap,
    subjects: NameMap<Text>,
    next_account_id: i64,
    next_system_id: i64,
    next_subject_id: i64,
    next_event_id: i64,
    /// (subject, event) links, written at `finish` as one `subject_event` row per subject.
    links: Links,
    /// This import's `account_subject` rows and per-person figures, gathered here so the
    /// writer need not read the events back.
    subject_acc: super::account_subject::Accumulator,
    persons: super::person_agg::Stream,
    /// (account id or 0, UTC hour) -> (events, categories)
    agg: HashMap<(i64, i64), (i64, u64), FastHash>,
    /// Events per (hour, account, system, action, outcome, categories): `agg_cell_*`.
    cells: super::cells::Cells,
    /// The import's source, and its events per UTC hour: `source_hour`.
    source_id: i64,
    source_hours: super::source_hours::SourceHours,
    /// Occurrences of each action and each outcome.
    values: (NameMap, NameMap),
    first_ts_us: Option<i64>,
    last_ts_us: Option<i64>,
    first_event_id: Option<i64>,
    last_event_id: Option<i64>,
}

/// A batch of events with their ids, and the names first seen in it.
pub struct Resolved {
    new_accounts: Vec<(i64, String)>,
    new_systems: Vec<(i64, String)>,
    new_subjects: Vec<(i64, String, &'static str)>,
    events: Vec<NewEvent>,
    ids: Vec<EventIds>,
    /// The cells gathered so far, when they reached [`super::cells::FLUSH_CELLS`]: added to
    /// the tables with the batch so that the map does not grow with the file.
    cells: Option<super::cells::Cells>,
}

fn intern_name(map: &mut NameMap, next: &mut i64, new: &mut Vec<(i64, String)>, name: &str) -> i64 {
    if let Some(id) = map.get(name) {
        return *id;
    }
    *next += 1;
    map.insert(name.to_string(), *next);
    new.push((*next, name.to_string()));
    *next
}

impl Resolver {
    /// Assigns ids to a batch of events and the names they use.
    pub fn resolve(&mut self, events: Vec<NewEvent>) -> Result<Resolved> {
        let mut out = Resolved {
            new_accounts: Vec::new(),
            new_systems: Vec::new(),
            new_subjects: Vec::new(),
            ids: Vec::with_capacity(events.len()),
            events: Vec::new(),
            cells: None,
        };
        // Scratch reused for every event.
        let mut digits = [0u8; 20];
        let mut sids: Vec<i64> = Vec::new();
        let mut subject_ids = String::new();
        for ev in &events {
            let account_id = ev.account.as_deref().map(|a| {
                intern_name(
                    &mut self.accounts,
                    &mut self.next_account_id,
                    &mut out.new_accounts,
                    a,
                )
            });
            let system_id = ev.system.as_deref().map(|s| {
                intern_name(
                    &mut self.systems,
                    &mut self.next_system_id,
                    &mut out.new_systems,
                    s,
                )
            });
            self.next_event_id += 1;
            let event_id = self.next_event_id;
            self.first_event_id.get_or_insert(event_id);
            self.last_event_id = Some(event_id);
            subject_ids.clear();
            sids.clear();
            self.links
                .make_room(ev.subjects.len())
                .map_err(|e| CaseError::Invalid(self.links.describe(&e)))?;
            for key in &ev.subjects {
                let sid = self.intern_subject(key, &mut out.new_subjects);
                if !subject_ids.is_empty() {
                    subject_ids.push(' ');
                }
                subject_ids.push_str(crate::model::itoa_i64(sid, &mut digits));
                sids.push(sid);
                self.links.push(
                    LinkPair::new(sid, event_id).map_err(|e| CaseError::Invalid(e.to_string()))?,
                );
            }
            let outcome = ev.outcome.as_ref().map(|o| o.as_str());
            let access = crate::model::is_access(outcome);
            self.subject_acc
                .add(account_id.unwrap_or(0), ev.categories.0, access, &sids);
            self.persons.add(&super::person_agg::StreamEvent {
                id: event_id,
                ts_us: ev.ts_us,
                account_id,
                system_id,
                categories: ev.categories.0,
                records: ev.records,
                access,
                subjects: &sids,
            });
            out.ids.push(EventIds {
                event_id,
                account_id,
                system_id,
                subject_count: ev.subjects.len() as i64,
                subject_ids: (!subject_ids.is_empty()).then(|| Text::new(&subject_ids)),
            });
            self.count(ev, account_id, outcome);
            self.cells.add(
                ev.ts_us,
                account_id,
                system_id,
                ev.action.as_deref(),
                outcome,
                ev.categories.0,
            );
            self.source_hours.add(self.source_id, ev.ts_us, event_id);
        }
        self.subject_acc
            .bound()
            .map_err(|e| CaseError::Invalid(self.subject_acc.describe(&e)))?;
        out.cells = self.cells.take_full();
        out.events = events;
        Ok(out)
    }

    /// The id of a subject key, numbering (and noting) a new one.
    #[inline]
    fn intern_subject(
        &mut self,
        key: &Text,
        new_subjects: &mut Vec<(i64, String, &'static str)>,
    ) -> i64 {
        match self.subjects.get(key) {
            Some(id) => *id,
            None => {
                self.next_subject_id += 1;
                let id = self.next_subject_id;
                self.subjects.insert(key.clone(), id);
                let kind = normalize(key).map_or("id", |(_, k)| k.as_str());
                new_subjects.push((id, key.to_string(), kind));
                id
            }
        }
    }

    /// Counts an event in the hourly aggregate, the action and outcome counts and the span.
    #[inline]
    fn count(&mut self, ev: &NewEvent, account_id: Option<i64>, outcome: Option<&str>) {
        let bucket = self
            .agg
            .entry((account_id.unwrap_or(0), ev.ts_us.div_euclid(3_600_000_000)))
            .or_insert((0, 0));
        bucket.0 += 1;
        bucket.1 |= ev.categories.0;
        for (map, v) in [
            (&mut self.values.0, ev.action.as_deref()),
            (&mut self.values.1, outcome),
        ] {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                match map.get_mut(v) {
                    Some(n) => *n += 1,
                    None => {
                        map.insert(v.to_string(), 1);
                    }
                }
            }
        }
        self.first_ts_us = Some(self.first_ts_us.map_or(ev.ts_us, |t| t.min(ev.ts_us)));
        self.last_ts_us = Some(self.last_ts_us.map_or(ev.ts_us, |t| t.max(ev.ts_us)));
    }
}

impl Sources<'_> {
    /// Rows in `event_extra` and the bytes of their JSON (for the import benchmarks).
    pub fn extra_stats(&self) -> Result<(i64, i64)> {
        self.conn
            .query_row(
                "SELECT count(*), coalesce(sum(length(fields)), 0) FROM event_extra",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))
    }
}
