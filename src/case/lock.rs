//! The case file's state on disk before it is opened: the lock that keeps two writers off one
//! case and tells readers a write is live, and what happens to a write killed mid-way (a hot
//! rollback journal).
//!
//! The rule (see `docs/safety.md`): only an open that may write rolls an interrupted write
//! back, and only while it holds the writer lock, so the journal it plays back cannot belong to
//! a live writer. A read-only open never writes to the case: with an interrupted write pending
//! it reads the last committed state from a private copy ([`private_copy`]); while a writer is
//! live it reads through SQLite's own locks, and an SQLite read-only connection never plays a
//! journal back.
//!
//! POSIX `fcntl` locks (SQLite's) belong to the process and are all dropped when *any*
//! descriptor of the file is closed in that process. A descriptor of the case file opened and
//! closed beside SQLite (to `fsync` it, to `flock` it, to peek at its header) would silently
//! drop a writer's RESERVED/EXCLUSIVE lock, and another process would then take the writer's
//! live journal for a hot one and play it back over the file being written. So this process
//! opens each case file once ([`case_file`]) and never closes that descriptor; everything
//! outside SQLite that touches the case file goes through it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OpenFlags};

use super::{CaseError, Result};

pub(super) fn journal_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push("-journal");
    PathBuf::from(p)
}

/// The process's one descriptor of a case file and how many writable `Case`s of this process
/// share its writer lock.
#[cfg(unix)]
struct Held {
    file: Arc<std::fs::File>,
    writers: usize,
}

#[cfg(unix)]
type HeldMap = std::collections::HashMap<PathBuf, Held>;

#[cfg(unix)]
fn held() -> std::sync::MutexGuard<'static, HeldMap> {
    static HELD: std::sync::OnceLock<std::sync::Mutex<HeldMap>> = std::sync::OnceLock::new();
    HELD.get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

fn key_of(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Descriptors of files replaced at their path since they were opened, never closed.
#[cfg(unix)]
fn retired() -> std::sync::MutexGuard<'static, Vec<Arc<std::fs::File>>> {
    static RETIRED: std::sync::Mutex<Vec<Arc<std::fs::File>>> = std::sync::Mutex::new(Vec::new());
    RETIRED.lock().unwrap_or_else(|p| p.into_inner())
}

/// The entry of `key`, opening the file the first time. A file replaced on disk since (same
/// name, other inode: a case removed and rebuilt) gets a fresh descriptor unless a writer of
/// this process still holds the old one.
#[cfg(unix)]
fn entry<'m>(map: &'m mut HeldMap, key: &Path, shown: &Path) -> Result<&'m mut Held> {
    use std::os::unix::fs::MetadataExt;
    let same = |f: &std::fs::File| match (f.metadata(), std::fs::metadata(key)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => true,
    };
    let stale = map
        .get(key)
        .is_some_and(|h| h.writers == 0 && !same(&h.file));
    if stale && let Some(old) = map.remove(key) {
        // The old descriptor's file is no longer at this path, but may be at another (a
        // case built beside its name and renamed into place) and have SQLite connections
        // of this process: kept open for good, like every other (see the module docs).
        retired().push(old.file);
    }
    if !map.contains_key(key) {
        let file = std::fs::File::open(key).map_err(|e| {
            CaseError::Invalid(format!("{}: cannot open to lock it: {e}", shown.display()))
        })?;
        map.insert(
            key.to_path_buf(),
            Held {
                file: Arc::new(file),
                writers: 0,
            },
        );
    }
    map.get_mut(key)
        .ok_or_else(|| CaseError::Invalid(format!("{}: lost its lock entry", shown.display())))
}

/// This process's descriptor of the case file, for reads and `fsync` outside SQLite (never
/// open one of your own: see the module docs).
pub(super) fn case_file(path: &Path) -> Result<Arc<std::fs::File>> {
    #[cfg(unix)]
    {
        let key = key_of(path);
        let mut map = held();
        Ok(entry(&mut map, &key, path)?.file.clone())
    }
    #[cfg(not(unix))]
    {
        std::fs::File::open(path)
            .map(Arc::new)
            .map_err(|e| CaseError::Invalid(format!("{}: cannot open: {e}", path.display())))
    }
}

/// Whether a Retrace writer (this process or another) holds the case's writer lock now.
/// Unknown (no `flock` here, or it failed) counts as live: the caller then leaves any journal
/// alone.
pub(super) fn writer_is_live(path: &Path) -> bool {
    #[cfg(unix)]
    {
        let key = key_of(path);
        let mut map = held();
        let Ok(h) = entry(&mut map, &key, path) else {
            return true;
        };
        if h.writers > 0 {
            return true;
        }
        match h.file.try_lock_shared() {
            Ok(()) => {
                let _ = h.file.unlock();
                false
            }
            Err(_) => true,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        true
    }
}

/// Runs `f` holding a shared `flock` on the case, so no Retrace writer can start (and roll
/// the journal back, or write) meanwhile. `None` when a writer holds the lock.
fn with_shared_lock<T>(path: &Path, f: impl FnOnce(&std::fs::File) -> T) -> Result<Option<T>> {
    #[cfg(unix)]
    {
        let key = key_of(path);
        let mut map = held();
        let h = entry(&mut map, &key, path)?;
        if h.writers > 0 {
            return Ok(None);
        }
        match h.file.try_lock_shared() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(CaseError::Invalid(format!(
                    "{}: cannot lock the case file: {e}",
                    path.display()
                )));
            }
        }
        let out = f(&h.file);
        let _ = h.file.unlock();
        Ok(Some(out))
    }
    #[cfg(not(unix))]
    {
        let file = std::fs::File::open(path)
            .map_err(|e| CaseError::Invalid(format!("{}: cannot open: {e}", path.display())))?;
        Ok(Some(f(&file)))
    }
}

/// Whether `path` starts with SQLite's header. A case this process has open is read through
/// its descriptor (see the module docs); any other file with one of its own.
pub fn has_sqlite_header(path: &Path) -> bool {
    let mut header = [0u8; 16];
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let known = held().get(&key_of(path)).map(|h| h.file.clone());
        let read = match known {
            Some(f) => f.read_exact_at(&mut header, 0),
            None => std::fs::File::open(path).and_then(|f| f.read_exact_at(&mut header, 0)),
        };
        read.is_ok() && &header == b"SQLite format 3\0"
    }
    #[cfg(not(unix))]
    {
        std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
            .is_ok_and(|()| &header == b"SQLite format 3\0")
    }
}

/// Whether the case's header says WAL mode (bytes 18 and 19, the file format versions, are
/// 2), read through this process's descriptor. Unknown counts as not.
pub(super) fn in_wal_mode(path: &Path) -> bool {
    let mut versions = [0u8; 2];
    #[cfg(unix)]
    let read = {
        use std::os::unix::fs::FileExt;
        case_file(path).is_ok_and(|f| f.read_exact_at(&mut versions, 18).is_ok())
    };
    #[cfg(not(unix))]
    let read = std::fs::File::open(path).is_ok_and(|mut f| {
        use std::io::{Read, Seek};
        f.seek(std::io::SeekFrom::Start(18)).is_ok() && f.read_exact(&mut versions).is_ok()
    });
    read && versions == [2, 2]
}

/// Whether the journal beside `path` is hot: a read-only connection finds it must be played
/// back and cannot (SQLite checks that no connection holds the RESERVED lock first).
fn journal_is_hot(path: &Path) -> bool {
    if !journal_path(path).exists() {
        return false;
    }
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|c| c.pragma_query_value(None, "user_version", |r| r.get::<_, i32>(0)))
    .is_err_and(|e| e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly))
}

/// Rolls back a write killed mid-way (a hot rollback journal, see `write.rs`). Only called
/// with the writer lock held: no Retrace writer is live, so the journal is not one being
/// written. Rolling back restores the last committed state and changes nothing committed.
/// Returns whether there was one.
pub(super) fn roll_back_interrupted_write(path: &Path) -> Result<bool> {
    if !journal_is_hot(path) {
        return Ok(false);
    }
    let journal = journal_path(path);
    let why = |e: rusqlite::Error| {
        CaseError::Invalid(format!(
            "{}: a write to the case was interrupted and left {}; rolling it back failed: {e}",
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
    Ok(true)
}

/// A private, rolled-back copy of a case with an interrupted write, for a read-only open. The
/// folder is removed when the last `Case` reading it closes.
#[derive(Debug)]
pub(super) struct PrivateCopy {
    dir: PathBuf,
    pub(super) file: PathBuf,
}

impl Drop for PrivateCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// How a read-only open reads the case at `path`.
pub(super) enum ReadFrom {
    /// The file itself: no interrupted write is pending (or a writer is live and SQLite's
    /// locks keep the reader off its uncommitted pages).
    File,
    /// A private copy rolled back to the last committed state; the case file is not touched.
    Copy(Arc<PrivateCopy>),
}

/// Decides how a read-only open reads `path`, making the private copy when the case has an
/// interrupted write and no writer is live. Copies of one case are shared within the process
/// while any `Case` reads one (an export's reader threads open the case several times).
pub(super) fn read_from(path: &Path) -> Result<ReadFrom> {
    if !journal_path(path).exists() || writer_is_live(path) {
        return Ok(ReadFrom::File);
    }
    type Copies = std::collections::HashMap<PathBuf, std::sync::Weak<PrivateCopy>>;
    static COPIES: std::sync::OnceLock<std::sync::Mutex<Copies>> = std::sync::OnceLock::new();
    let mut copies = COPIES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let key = key_of(path);
    if let Some(copy) = copies.get(&key).and_then(std::sync::Weak::upgrade)
        && journal_path(path).exists()
    {
        return Ok(ReadFrom::Copy(copy));
    }
    let made = with_shared_lock(path, |file| -> Result<Option<PrivateCopy>> {
        if !journal_is_hot(path) {
            return Ok(None);
        }
        make_private_copy(path, file).map(Some)
    })?;
    match made {
        // A writer started meanwhile: it rolls the journal back before writing; read the file.
        None | Some(Ok(None)) => Ok(ReadFrom::File),
        Some(Err(e)) => Err(e),
        Some(Ok(Some(copy))) => {
            let copy = Arc::new(copy);
            copies.insert(key, Arc::downgrade(&copy));
            Ok(ReadFrom::Copy(copy))
        }
    }
}

fn make_private_copy(path: &Path, case: &std::fs::File) -> Result<PrivateCopy> {
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let refuse = |what: String| {
        CaseError::Invalid(format!(
            "{}: a write to the case was interrupted and left {}. A read-only open does not change the case, so it reads the last committed state from a private copy, and {what}. Open the case for changes once (an import, `retrace recover`, or the app opened normally) to roll the interrupted write back",
            path.display(),
            journal_path(path).display()
        ))
    };
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("retrace-private-copy-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| refuse(format!("cannot create {}: {e}", dir.display())))?;
    let copy = PrivateCopy {
        file: dir.join("case.retrace"),
        dir,
    };
    // The case through this process's descriptor (see the module docs); the journal is no
    // SQLite lock's file.
    copy_positional(case, &copy.file)
        .and_then(|()| std::fs::copy(journal_path(path), journal_path(&copy.file)).map(|_| ()))
        .map_err(|e| refuse(format!("copying it failed: {e}")))?;
    roll_back_interrupted_write(&copy.file)
        .map_err(|e| refuse(format!("rolling the copy back failed: {e}")))?;
    Ok(copy)
}

/// Copies `from` into a new file `to` with positional reads: the descriptor's offset is shared
/// with every other user of it in this process.
fn copy_positional(from: &std::fs::File, to: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::fs::File::create(to)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut at = 0u64;
    loop {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(from, &mut buf, at)?;
        #[cfg(not(unix))]
        let n = std::os::windows::fs::FileExt::seek_read(from, &mut buf, at)?;
        if n == 0 {
            break;
        }
        out.write_all(&buf[..n])?;
        at += n as u64;
    }
    out.sync_all()
}

/// Held by every writable `Case`: an exclusive `flock` on the case file, shared by the opens of
/// one process (reference-counted), so a second Retrace process that wants to change the case
/// is refused at once with a clear message instead of waiting on SQLite's lock and failing
/// with "database is locked", and readers know a write is live. (`flock` and SQLite's own
/// `fcntl` locks do not interact on Linux. Elsewhere no lock is taken: Windows would apply it
/// to SQLite's own reads and writes.)
pub(super) struct WriterLock {
    key: PathBuf,
}

impl WriterLock {
    /// Takes (or shares, within this process) the writer lock of the case at `path`.
    pub(super) fn take(path: &Path) -> Result<WriterLock> {
        let key = key_of(path);
        #[cfg(unix)]
        {
            let mut map = held();
            let h = entry(&mut map, &key, path)?;
            if h.writers > 0 {
                h.writers += 1;
                return Ok(WriterLock { key });
            }
            // A lock held only for a moment is waited for: a child process this process is
            // starting (between fork and exec) briefly shares every open file, the lock's
            // included, so a lock just released can look held for a few milliseconds; a
            // reader making a private copy holds a shared lock while it copies.
            match try_lock_briefly(&h.file) {
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
            h.writers = 1;
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
            let mut map = held();
            if let Some(h) = map.get_mut(&self.key) {
                h.writers -= 1;
                if h.writers == 0 {
                    // Unlocked, not closed: see the module docs.
                    let _ = h.file.unlock();
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
