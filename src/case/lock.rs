//! The case file's state on disk before it is opened: recovery of a write killed mid-way (a
//! hot rollback journal), and the lock that keeps two writers off one case.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{CaseError, Result};

fn journal_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push("-journal");
    PathBuf::from(p)
}

/// A write killed mid-way (an import with a rollback journal, see `write.rs`) leaves a hot
/// journal that only a writer can roll back: until then every read-only open fails with
/// "attempt to write a readonly database". Rolling it back restores the last committed state
/// and changes nothing that was committed, so it is done before any open, read-only or not.
pub(super) fn recover_interrupted_write(path: &Path) -> Result<()> {
    let journal = journal_path(path);
    if !journal.exists() {
        return Ok(());
    }
    let blocked = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|c| c.pragma_query_value(None, "user_version", |r| r.get::<_, i32>(0)))
    .is_err_and(|e| e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly));
    if !blocked {
        // No journal to roll back (or a live writer holds it): nothing to do.
        return Ok(());
    }
    let why = |e: rusqlite::Error| {
        CaseError::Invalid(format!(
            "{}: a write to the case was interrupted and left {}; it is rolled back when the case is opened with write access, which failed: {e}",
            path.display(),
            journal.display()
        ))
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(why)?;
    // The first read takes a shared lock, finds the hot journal and rolls it back.
    conn.pragma_query_value(None, "user_version", |r| r.get::<_, i32>(0))
        .map_err(why)?;
    Ok(())
}

/// Held by every writable `Case`: an exclusive `flock` on the case file, shared by the opens of
/// one process (reference-counted), so a second Retrace process that wants to change the case
/// is refused at once with a clear message instead of waiting on SQLite's lock and failing
/// with "database is locked". Readers take no lock: SQLite lets them read during a write.
/// (`flock` and SQLite's own `fcntl` locks do not interact on Linux. Elsewhere no lock is
/// taken: Windows would apply it to SQLite's own reads and writes.)
pub(super) struct WriterLock {
    key: PathBuf,
}

#[cfg(unix)]
type Held = std::collections::HashMap<PathBuf, (std::fs::File, usize)>;

#[cfg(unix)]
fn held() -> &'static std::sync::Mutex<Held> {
    static HELD: std::sync::OnceLock<std::sync::Mutex<Held>> = std::sync::OnceLock::new();
    HELD.get_or_init(Default::default)
}

impl WriterLock {
    /// Takes (or shares, within this process) the writer lock of the case at `path`.
    pub(super) fn take(path: &Path) -> Result<WriterLock> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        #[cfg(unix)]
        {
            let mut held = held().lock().unwrap_or_else(|p| p.into_inner());
            if let Some((_, n)) = held.get_mut(&key) {
                *n += 1;
                return Ok(WriterLock { key });
            }
            let file = std::fs::File::open(&key).map_err(|e| {
                CaseError::Invalid(format!("{}: cannot open to lock it: {e}", path.display()))
            })?;
            // A lock held only for a moment is waited for: a child process this process is
            // starting (between fork and exec) briefly shares every open file, the lock's
            // included, so a lock just released can look held for a few milliseconds.
            match try_lock_briefly(&file) {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(CaseError::Invalid(format!(
                        "{}: the case is open for changes in another Retrace (an import, export or sign-off is running); wait until it finishes and try again. Reading it (info, show, verify, the app) works meanwhile",
                        path.display()
                    )));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(CaseError::Invalid(format!(
                        "{}: cannot lock the case file: {e}",
                        path.display()
                    )));
                }
            }
            held.insert(key.clone(), (file, 1));
        }
        Ok(WriterLock { key })
    }
}

/// `try_lock`, retried for up to a second while the lock is held elsewhere.
#[cfg(unix)]
fn try_lock_briefly(file: &std::fs::File) -> std::result::Result<(), std::fs::TryLockError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
    loop {
        match file.try_lock() {
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            other => return other,
        }
    }
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let mut held = held().lock().unwrap_or_else(|p| p.into_inner());
            if let Some((_, n)) = held.get_mut(&self.key) {
                *n -= 1;
                if *n == 0 {
                    // Dropping the file releases the lock.
                    held.remove(&self.key);
                }
            }
        }
    }
}

/// A writable open of a file whose permissions say read-only is refused with a clear message.
/// (Root could write it anyway; Retrace keeps to the file's mode.)
pub(super) fn refuse_read_only_file(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.permissions().readonly() => Err(CaseError::Invalid(format!(
            "{}: the case file is read-only (its permissions); it can be opened for review (info, show, verify, export), but not changed. Make it writable to import into it",
            path.display()
        ))),
        _ => Ok(()),
    }
}
