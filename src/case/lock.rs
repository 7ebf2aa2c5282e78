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
