//! The case file: one SQLite database per case. This module owns opening, creating and
//! migrating it, every write (imports, rosters, custody) and every read query. It is the only
//! module that uses `rusqlite`.
//!
//! Identification: `PRAGMA application_id` = [`APPLICATION_ID`] ("RTRC"); schema version in
//! `PRAGMA user_version`, raised by the migrations in `case/sql/NNN_*.sql`, each run inside an
//! immediate transaction. The schema is documented in the README and in the `.sql` files.

mod account_subject;
mod annotation;
mod cells;
mod custody;
mod damage;
mod deep;
mod export_read;
mod facade;
mod findings;
mod links;
mod lock;
mod original_text;
mod person_agg;
mod query_sql;
mod read;
mod rejects;
mod repair;
mod report_text;
mod roster;
mod roster_state;
mod saved_view;
mod scope;
mod side_files;
mod slices;
mod source_hours;
mod subject;
mod subject_event;
mod time_forms;
mod timeline;
mod verify;
mod verify_custody;
mod verify_derived;
mod verify_schema;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

pub use annotation::{Annotation, AnnotationKind, AnnotationTarget};
pub use custody::{CustodyEntry, hex};
pub use deep::StoredEvent;
pub use export_read::{
    EventSelection, ExportEvent, ExportLookups, LookupAccount, LookupPerson, LookupSource,
    LookupSubject, LookupSystem,
};
pub use facade::{
    Annotations, Custody, Export, Findings, Integrity, People, Sources, Subjects, Timeline, Writes,
};
pub use findings::{DispositionRow, ParamRow, RetentionRow, ScanEvent, UnplacedEvent};
pub use lock::has_sqlite_header;
pub use person_agg::{AggSummary, PersonAgg, PersonAggSession};
pub use read::{CaseSummary, EventDetail, EventRow, PersonRow, RejectRow, SourceRow};
pub use rejects::LineNeighbours;
pub use repair::LineRepair;
pub use roster::{ApprovalRow, MilestoneRow};
pub use roster_state::{BARE_TABLES, RosterFields, RosterState, is_bare};
pub use saved_view::SavedView;
pub use side_files::{RemoveError, remove_with_side_files, side_files, size_with_wal};
pub(crate) use slices::pause as pause_after_part;
pub use slices::{
    Counting, OnSlice, SLICE_EVENTS, Slice, plan as slice_plan, set_slice_events,
    set_slice_pause_ms,
};
pub use source_hours::SourceHour;
pub use subject::{
    LinkedEvent, LinkedEvents, LookupAccountNames, LookupNames, SubjectEventRow, SubjectRow,
};
pub use time_forms::TimeForms;
pub use timeline::{
    AccountLink, Buckets, COARSE_FIRST_DAYS, ColumnCount, EXACT_LIMIT, EventMark, FilterColumn,
    FilterOp, FilterPath, FilterTerm, HourIndex, MARK_LIMIT, RefusedCount, SortKey, SystemInfo,
    TableEvent, TableQuery, take_paths_taken,
};
pub use verify::{VerifyProblem, VerifyReport};
pub use verify_custody::{ChainCheck, KeyUse, SignatureSummary};
pub use write::{ChunkRecord, FinishedImport, ImportMeta, Resolved, Resolver, SourceImport};

use crate::model::Vocabulary;

/// "RTRC" as a big-endian integer.
pub const APPLICATION_ID: i32 = 0x5254_5243;

/// Migrations in order; the schema version is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/001_initial.sql"),
    include_str!("sql/002_findings_export.sql"),
    include_str!("sql/003_person_agg.sql"),
    include_str!("sql/004_account_subject.sql"),
    include_str!("sql/005_session_subjects.sql"),
    include_str!("sql/006_subject_event.sql"),
    include_str!("sql/007_custody_signatures.sql"),
    include_str!("sql/008_saved_views.sql"),
    include_str!("sql/009_agg_cell.sql"),
    include_str!("sql/010_source_hour.sql"),
    include_str!("sql/011_line_span.sql"),
];
const INDEXES: &str = include_str!("sql/indexes.sql");

/// A digest of this build's version and schema, stored in cases that can be rebuilt at will
/// (the bundled sample), so a case written by another build is recognised and rebuilt.
pub fn build_fingerprint() -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    for sql in MIGRATIONS.iter().chain([&INDEXES]) {
        h.update(sql.as_bytes());
    }
    hex(&h.finalize())
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{path}: not a Retrace case file ({why}); the file was not changed")]
    NotACase { path: PathBuf, why: String },
    #[error(
        "{path}: case schema version {found} is newer than this Retrace understands ({supported}); upgrade Retrace. The file was not changed"
    )]
    TooNew {
        path: PathBuf,
        found: i32,
        supported: i32,
    },
    #[error("{path}: no such case file")]
    Missing { path: PathBuf },
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "{path}: the case file is damaged ({why}). Nothing was changed: a damaged case accepts no change (import, annotation, finding parameter or disposition, export, sign-off); reading commands still show what they can. `retrace verify` names the damage; restore the case from a copy"
    )]
    Damaged { path: PathBuf, why: String },
    #[error("{0}")]
    Invalid(String),
    #[error("import cancelled; nothing of it was kept")]
    Cancelled,
    /// The file's bytes were imported before (same SHA-256); a forced import takes them
    /// again. Each front end says how to force it (`--force`, a button).
    #[error(
        "already imported: a file with the same SHA-256 ({sha256}) was imported as {file_name:?} (source {source_id}) at {imported_at}"
    )]
    AlreadyImported {
        sha256: String,
        file_name: String,
        source_id: i64,
        imported_at: String,
    },
}

pub type Result<T> = std::result::Result<T, CaseError>;

/// An open case file.
pub struct Case {
    conn: Connection,
    /// Dropped after `conn` and before `_writer` (see `damage.rs`).
    damage: damage::DamageCheck,
    path: PathBuf,
    read_only: bool,
    /// Writable cases hold the writer lock (see `lock.rs`) while open.
    _writer: Option<lock::WriterLock>,
    /// A read-only open of a case with an interrupted write reads this rolled-back copy.
    _copy: Option<std::sync::Arc<lock::PrivateCopy>>,
    /// Records an access import holds before spilling a sorted run (`links.rs`), if not the
    /// defaults.
    spill_run: Option<usize>,
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Case").field("path", &self.path).finish()
    }
}

impl Case {
    /// Creates a new case file; fails if `path` exists.
    pub fn create(path: &Path, title: &str) -> Result<Case> {
        if path.exists() {
            return Err(CaseError::Invalid(format!(
                "{}: already exists; open it instead",
                path.display()
            )));
        }
        let conn = Connection::open(path).map_err(|e| sql_err(path, e))?;
        let writer = lock::WriterLock::take(path)?;
        original_text::register(&conn, path).map_err(|e| sql_err(path, e))?;
        let mut case = Case {
            conn,
            damage: damage::DamageCheck::not_needed(),
            path: path.to_path_buf(),
            read_only: false,
            _writer: Some(writer),
            _copy: None,
            spill_run: None,
        };
        case.set_pragmas()?;
        case.conn
            .pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(|e| case.err(e))?;
        case.migrate()?;
        let now = crate::model::time::now_us();
        let id = format!("{:016x}{:08x}", now, std::process::id());
        case.with_tx(|c| {
            for (k, v) in [
                ("title", title.to_string()),
                ("created_us", now.to_string()),
                ("case_id", id.clone()),
                ("tool_version", env!("CARGO_PKG_VERSION").to_string()),
                ("display_zone", "UTC".to_string()),
            ] {
                c.execute(
                    "INSERT INTO meta(key, value) VALUES (?1, ?2)",
                    params![k, v],
                )?;
            }
            Ok(())
        })?;
        Ok(case)
    }

    /// Opens an existing case, migrating an older schema. A file that is not a Retrace case,
    /// or has a newer schema, is refused without being written to.
    pub fn open(path: &Path) -> Result<Case> {
        Self::open_with(path, false)
    }

    /// Opens for review: no write of any kind is possible.
    pub fn open_read_only(path: &Path) -> Result<Case> {
        Self::open_with(path, true)
    }

    fn open_with(path: &Path, read_only: bool) -> Result<Case> {
        if !path.exists() {
            return Err(CaseError::Missing {
                path: path.to_path_buf(),
            });
        }
        // This process's descriptor of the case, kept open from now on (see `lock.rs`).
        lock::case_file(path)?;
        // Writers take the lock first: holding it, no other Retrace writer is live, so a
        // journal found now is an interrupted write, safe to roll back. Readers never roll
        // back; with an interrupted write pending they read a private copy (`lock.rs`).
        let (writer, copy) = if read_only {
            match lock::read_from(path)? {
                lock::ReadFrom::File => (None, None),
                lock::ReadFrom::Copy(c) => (None, Some(c)),
            }
        } else {
            lock::refuse_read_only_file(path)?;
            let writer = lock::WriterLock::take(path)?;
            lock::roll_back_interrupted_write(path)?;
            (Some(writer), None)
        };
        let file = copy.as_ref().map_or(path, |c| c.file.as_path());
        // Look before writing anything: open read-only and check the identity first.
        {
            let probe = Connection::open_with_flags(
                file,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| sql_err(path, e))?;
            set_read_pragmas(&probe).map_err(|e| sql_err(path, e))?;
            let app_id: i32 = probe
                .pragma_query_value(None, "application_id", |r| r.get(0))
                .map_err(|e| match sql_err(path, e) {
                    CaseError::Sqlite { source, .. } => CaseError::NotACase {
                        path: path.to_path_buf(),
                        why: source.to_string(),
                    },
                    other => other,
                })?;
            if app_id != APPLICATION_ID {
                return Err(CaseError::NotACase {
                    path: path.to_path_buf(),
                    why: format!("application_id is {app_id:#x}, expected {APPLICATION_ID:#x}"),
                });
            }
            let version: i32 = probe
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(|e| sql_err(path, e))?;
            if version > SCHEMA_VERSION {
                return Err(CaseError::TooNew {
                    path: path.to_path_buf(),
                    found: version,
                    supported: SCHEMA_VERSION,
                });
            }
        }
        let flags = if read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let conn = Connection::open_with_flags(file, flags).map_err(|e| sql_err(path, e))?;
        original_text::register(&conn, file).map_err(|e| sql_err(path, e))?;
        let damage = if read_only {
            damage::DamageCheck::not_needed()
        } else {
            damage::DamageCheck::before_first_write(file)
        };
        let mut case = Case {
            conn,
            damage,
            path: path.to_path_buf(),
            read_only,
            _writer: writer,
            _copy: copy,
            spill_run: None,
        };
        if read_only {
            set_read_pragmas(&case.conn).map_err(|e| case.err(e))?;
            case.show_old_events_as_current()?;
        } else {
            // The damage check runs before the first write (`check_writable`), not here; but
            // switching a case out of a rollback journal into WAL writes its header.
            if !lock::in_wal_mode(path) {
                case.check_for_changes()?;
            }
            case.set_pragmas()?;
            // A pending migration is a write: it checks first.
            case.migrate()?;
        }
        Ok(case)
    }

    /// A case below schema 11 opened read-only is not upgraded: its `event` has the last line
    /// itself (`line_end`), which every reader here takes as `line + line_span`. A temporary
    /// view of that name (the temp schema is searched before the file's, and SQLite flattens
    /// the view, so the indexes still serve) shows it as schema 11 stores it, on this
    /// connection only; the file is not touched.
    fn show_old_events_as_current(&self) -> Result<()> {
        let version: i32 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if version >= 11 {
            return Ok(());
        }
        self.conn
            .execute_batch(
                "CREATE TEMP VIEW event AS
                 SELECT id, source_id, line, line_end - line AS line_span, ts_us, raw_ts,
                        ts_flags, account_id, src_ip, system_id, action, object, categories,
                        records, outcome, session_key, ticket, subject_count, subject_ids
                 FROM main.event",
            )
            .map_err(|e| self.err(e))
    }

    /// Rolls back a write to the case that was interrupted (a hot journal left by an import
    /// killed mid-way), taking the writer lock to do so; returns whether there was one. A
    /// no-op while another Retrace writes to the case (its journal is live, not
    /// interrupted). For the app's normal (not review) open, so that its many read-only
    /// opens afterwards read the file itself.
    pub fn roll_back_interrupted_write(path: &Path) -> Result<bool> {
        if !lock::journal_path(path).exists() || lock::writer_is_live(path) {
            return Ok(false);
        }
        lock::refuse_read_only_file(path)?;
        let _writer = lock::WriterLock::take(path)?;
        lock::roll_back_interrupted_write(path)
    }

    /// Whether the case has an interrupted write pending that a read-only open reads around
    /// (from a private copy): this `Case` then reads the last committed state, not the file.
    pub fn reads_private_copy(&self) -> bool {
        self._copy.is_some()
    }

    /// Opens `path` if it exists, otherwise creates it with a title from its file name.
    pub fn open_or_create(path: &Path) -> Result<Case> {
        if path.exists() {
            Case::open(path)
        } else {
            let title = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "case".into());
            Case::create(path, &title)
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn set_pragmas(&mut self) -> Result<()> {
        self.conn
            .execute_batch(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            )
            .map_err(|e| self.err(e))
    }

    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let version: i32 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| sql_err(&path, e))?;
        if version >= SCHEMA_VERSION {
            return Ok(());
        }
        // All pending steps in one transaction: the derived tables are rebuilt once, after the
        // last step, with the columns this build writes.
        self.with_tx(|c| {
            for (i, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
                c.execute_batch(sql)?;
                if i == 0 {
                    c.execute_batch(INDEXES)?;
                    seed_categories(c)?;
                }
            }
            if version < 4 {
                // Per (account, subject) categories of the events already in the case.
                account_subject::rebuild_all(c)?;
            }
            if version < 6 {
                // Subject -> event links, one row per subject and source (schema 6).
                subject_event::rebuild_all(c)?;
            }
            if version < 5 {
                // Derived per-person rows (schema 3) with their sessions' subject sets
                // (schema 5), from the events already in the case.
                person_agg::rebuild_all(c)?;
            }
            c.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            Ok(())
        })
    }

    /// Runs `f` in an immediate transaction, committing on success.
    fn with_tx<T>(&mut self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        self.check_writable()?;
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| sql_err(&path, e))?;
        let out = f(&tx).map_err(|e| sql_err(&path, e))?;
        tx.commit().map_err(|e| sql_err(&path, e))?;
        Ok(out)
    }

    /// Runs `f` in one read transaction, so that all its queries see the same committed state
    /// even when a writer commits meanwhile (a verify during an import).
    pub fn read_snapshot<T>(&self, f: impl FnOnce(&Case) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN").map_err(|e| self.err(e))?;
        let out = f(self);
        // A read transaction has nothing to keep: ending it cannot lose anything.
        let _ = self.conn.execute_batch("COMMIT");
        out
    }

    /// A second, read-only connection to the file this case reads (the private copy when it
    /// reads one), for a check that runs on another thread; `None` for a case in memory.
    fn side_connection(&self) -> Result<Option<Connection>> {
        let Some(file) = self.conn.path().filter(|p| !p.is_empty()) else {
            return Ok(None);
        };
        let c = Connection::open_with_flags(
            file,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| self.err(e))?;
        set_read_pragmas(&c).map_err(|e| self.err(e))?;
        Ok(Some(c))
    }

    /// A second read-only `Case` on the file this one reads, for reads on another thread
    /// beside this one's (the deep verify's recomputations); `None` for a case in memory.
    pub fn side_reader(&self) -> Result<Option<Case>> {
        let Some(conn) = self.side_connection()? else {
            return Ok(None);
        };
        let file = PathBuf::from(conn.path().unwrap_or_default());
        original_text::register(&conn, &file).map_err(|e| self.err(e))?;
        Ok(Some(Case {
            conn,
            damage: damage::DamageCheck::not_needed(),
            path: self.path.clone(),
            read_only: true,
            _writer: None,
            _copy: self._copy.clone(),
            spill_run: self.spill_run,
        }))
    }

    /// Stops this case's running query from another thread (it fails as interrupted): for
    /// a [`Case::side_reader`] whose answer is no longer wanted.
    pub fn interrupter(&self) -> impl Fn() + Send + Sync + use<> {
        let handle = self.conn.get_interrupt_handle();
        move || handle.interrupt()
    }

    /// SQLite's `quick_check` (every page and index entry's structure, not the index contents):
    /// `None` when the case is sound, else what is damaged (the first lines of the report).
    pub fn quick_check(&self) -> Result<Option<String>> {
        let mut st = self
            .conn
            .prepare("PRAGMA quick_check(20)")
            .map_err(|e| self.err(e))?;
        let lines = st
            .query_map([], |r| r.get::<_, String>(0))
            .and_then(|r| r.collect::<rusqlite::Result<Vec<_>>>());
        match lines {
            Ok(l) if l.len() == 1 && l[0] == "ok" => Ok(None),
            Ok(l) => Ok(Some(l.join("; "))),
            Err(e) if is_corrupt(&e) => Ok(Some(e.to_string())),
            Err(e) => Err(self.err(e)),
        }
    }

    /// Refuses a change to a damaged case (`quick_check`; the cost is in `docs/safety.md`): a
    /// change written into a damaged file can spread the damage. Runs once per handle, before
    /// its first write (every write passes through `check_writable`); see `damage.rs`.
    pub fn check_for_changes(&self) -> Result<()> {
        match self.damage.damage(|| self.quick_check())? {
            None => Ok(()),
            Some(why) => Err(CaseError::Damaged {
                path: self.path.clone(),
                why: why.to_string(),
            }),
        }
    }

    fn check_writable(&self) -> Result<()> {
        if self.read_only {
            Err(CaseError::Invalid(format!(
                "{}: opened for review (read-only); no change is allowed",
                self.path.display()
            )))
        } else {
            self.check_for_changes()
        }
    }

    fn err(&self, e: rusqlite::Error) -> CaseError {
        sql_err(&self.path, e)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.with_tx(|c| {
            c.execute(
                "INSERT INTO meta(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map(|_| ())
        })
    }

    pub fn vocabulary(&self) -> Result<Vocabulary> {
        let mut stmt = self
            .conn
            .prepare("SELECT bit, name FROM category ORDER BY bit")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        Ok(Vocabulary::from_entries(rows))
    }
}

impl Integrity<'_> {
    /// The SQLite schema as stored, for comparing files made by different paths.
    pub fn schema_sql(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<String>>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}

impl Case {
    /// Whether the case has a table of that name (an older case opened read-only may lack one).
    pub(super) fn has_table(&self, name: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [name],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(|e| self.err(e))
    }

    /// Runs SQL that is not part of the API: only for tests that must damage a copy of a case.
    #[doc(hidden)]
    pub fn execute_raw_for_tests(&self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql).map_err(|e| self.err(e))
    }
}

/// How long a read waits for a writer's exclusive lock (the last moments of a commit, or a
/// large import whose pages no longer fit in its cache) before it is refused.
const READ_BUSY_TIMEOUT_MS: u32 = 3000;

fn set_read_pragmas(c: &Connection) -> rusqlite::Result<()> {
    c.busy_timeout(std::time::Duration::from_millis(
        READ_BUSY_TIMEOUT_MS.into(),
    ))
}

fn seed_categories(c: &Connection) -> rusqlite::Result<()> {
    let mut stmt = c.prepare("INSERT INTO category(bit, name) VALUES (?1, ?2)")?;
    for (bit, name) in Vocabulary::default().entries() {
        stmt.execute(params![bit, name])?;
    }
    Ok(())
}

fn is_corrupt(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

fn sql_err(path: &Path, e: rusqlite::Error) -> CaseError {
    if is_corrupt(&e) {
        return CaseError::Damaged {
            path: path.to_path_buf(),
            why: e.to_string(),
        };
    }
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        if f.code == rusqlite::ErrorCode::DatabaseBusy
            || f.code == rusqlite::ErrorCode::DatabaseLocked
        {
            return CaseError::Invalid(format!(
                "{}: the case is busy: another Retrace holds SQLite's lock on it (an import writing, or a read while a large import commits) and did not release it in time; try again when it finishes. Nothing was changed",
                path.display()
            ));
        }
        if f.extended_code == rusqlite::ffi::SQLITE_READONLY_ROLLBACK {
            return CaseError::Invalid(format!(
                "{}: the case has an unfinished write (its -journal) that only an open for changes may roll back, and another Retrace holds the case for changes; try again when it finishes. Nothing was changed",
                path.display()
            ));
        }
    }
    if let rusqlite::Error::SqliteFailure(f, _) = &e
        && f.code == rusqlite::ErrorCode::NotADatabase
    {
        return CaseError::NotACase {
            path: path.to_path_buf(),
            why: "not an SQLite database".into(),
        };
    }
    if let rusqlite::Error::SqliteFailure(f, _) = &e
        && (f.code == rusqlite::ErrorCode::DiskFull
            || f.extended_code == rusqlite::ffi::SQLITE_IOERR_WRITE)
    {
        let why = if f.code == rusqlite::ErrorCode::DiskFull {
            "the disk is full"
        } else {
            "cannot write to the disk (full, over a file-size limit, or failing)"
        };
        return CaseError::Invalid(format!(
            "{}: {why}: the change was not made and the case keeps its last committed state; free some space and try again",
            path.display()
        ));
    }
    CaseError::Sqlite {
        path: path.to_path_buf(),
        source: e,
    }
}

impl Writes<'_> {
    /// How many (subject, event) links, and (account, subject) cells, an access import into
    /// this case holds in memory before it sorts them and spills them to a temporary file
    /// beside the case (at least 1; by default 4 Mi links and 5 Mi cells), and how many
    /// hourly cells before it adds them to the cell tables (by default 1 Mi). The stored
    /// rows are the same for every value; tests set a tiny one to exercise the merges.
    #[doc(hidden)]
    pub fn set_import_spill_run(&mut self, records: usize) {
        self.spill_run = Some(records.max(1));
    }

    /// For the benchmark: SQLite's own `INSERT INTO copy SELECT * FROM event` into a table
    /// of the same shape — bare, or (`indexed`) with the event table's indexes — timed, then
    /// dropped. Returns (rows, seconds).
    /// `limit`: copy only the first rows (by rowid), so a 100 M-event case measures SQLite's
    /// ceiling on a prefix instead of doubling the case file on disk.
    pub fn bench_copy_events(&mut self, indexed: bool, limit: Option<u64>) -> Result<(i64, f64)> {
        self.check_writable()?;
        let conn = &self.conn;
        let e = |err| sql_err(&self.path, err);
        conn.execute_batch("DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy AS SELECT * FROM event WHERE 0;")
            .map_err(e)?;
        if indexed {
            conn.execute_batch(
                "CREATE INDEX bench_copy_ts ON bench_copy(ts_us);
                 CREATE INDEX bench_copy_account_ts ON bench_copy(account_id, ts_us);",
            )
            .map_err(e)?;
        }
        let t = std::time::Instant::now();
        conn.execute_batch("BEGIN").map_err(e)?;
        let rows = conn
            .execute(
                "INSERT INTO bench_copy SELECT * FROM event ORDER BY id LIMIT ?1",
                [limit.map_or(-1, |n| n as i64)],
            )
            .map_err(e)?;
        conn.execute_batch("COMMIT").map_err(e)?;
        let secs = t.elapsed().as_secs_f64();
        conn.execute_batch("DROP TABLE bench_copy").map_err(e)?;
        Ok((rows as i64, secs))
    }
}

impl Case {
    /// Runs a query and collects its rows through `f`.
    fn query_vec<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        f: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut st = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        st.query_map(params, f)
            .and_then(|r| r.collect())
            .map_err(|e| self.err(e))
    }
}
