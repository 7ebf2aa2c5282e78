//! The damage check that keeps a write out of a damaged case file: SQLite's `quick_check`
//! (pages, b-trees, index entries; ~1 s per 1.5 M events), run before a writable handle's
//! first write rather than when it opens, so a handle that only reads never pays for it.
//!
//! The result is kept for the handle and, when it was sound, for the rest of the process:
//! when a writable handle that checked sound closes, the state of the file it leaves (sizes,
//! modification times and identity of the file and its WAL) is noted, and a later handle in
//! this process that finds the file in exactly that state skips the check. Only this
//! process's own checked writer can have produced that state: it held the writer lock until
//! the note was taken. The app, which opens the case anew for every change it records, so
//! pays the check once per session instead of once per change.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// What a file looks like on disk: length, modification time and (on Unix) device and inode.
type FileState = (u64, Option<SystemTime>, u64, u64);

/// The case file's and its WAL's state (the WAL absent: `None`).
#[derive(Clone, PartialEq, Eq, Debug)]
struct Stamp([Option<FileState>; 2]);

fn file_state(path: &Path) -> Option<FileState> {
    let m = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let (dev, ino) = {
        use std::os::unix::fs::MetadataExt;
        (m.dev(), m.ino())
    };
    #[cfg(not(unix))]
    let (dev, ino) = (0, 0);
    Some((m.len(), m.modified().ok(), dev, ino))
}

fn stamp(path: &Path) -> Option<Stamp> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    Some(Stamp([
        Some(file_state(path)?),
        file_state(Path::new(&wal)),
    ]))
}

/// Case files (canonical path) in the state a sound, checked writer of this process left them.
static SOUND: Mutex<Vec<(PathBuf, Stamp)>> = Mutex::new(Vec::new());

fn key_of(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn known_sound(key: &Path, now: &Stamp) -> bool {
    let sound = SOUND.lock().unwrap_or_else(|p| p.into_inner());
    sound.iter().any(|(k, s)| k == key && s == now)
}

/// One writable handle's damage check: not run yet, or its result (`None`: sound).
pub(super) struct DamageCheck {
    /// The case file; `None` for a case in memory or one that is read-only (never checked).
    file: Option<PathBuf>,
    result: OnceCell<Option<String>>,
}

impl DamageCheck {
    /// For a handle that may write to `file`: checked before its first write.
    pub(super) fn before_first_write(file: &Path) -> DamageCheck {
        DamageCheck {
            file: Some(file.to_path_buf()),
            result: OnceCell::new(),
        }
    }

    /// For a handle that needs no check: a case just created, in memory, or read-only
    /// (which never writes). Notes nothing when dropped.
    pub(super) fn not_needed() -> DamageCheck {
        DamageCheck {
            file: None,
            result: OnceCell::from(None),
        }
    }

    /// The damage found (`None`: sound), running `quick_check` the first time unless this
    /// process's own checked writer left the file as it is now. A failure to check is not
    /// kept: the next write checks again.
    pub(super) fn damage(
        &self,
        quick_check: impl FnOnce() -> super::Result<Option<String>>,
    ) -> super::Result<Option<&str>> {
        if let Some(r) = self.result.get() {
            return Ok(r.as_deref());
        }
        let unchanged = self
            .file
            .as_deref()
            .and_then(|f| Some((key_of(f), stamp(f)?)))
            .is_some_and(|(key, now)| known_sound(&key, &now));
        let found = if unchanged { None } else { quick_check()? };
        Ok(self.result.get_or_init(|| found).as_deref())
    }
}

impl Drop for DamageCheck {
    /// Notes the state a checked, sound writer leaves the file in. `Case` drops this after
    /// its connection (which may checkpoint the WAL into the file as it closes) and before
    /// its writer lock.
    fn drop(&mut self) {
        let (Some(file), Some(None)) = (&self.file, self.result.get()) else {
            return;
        };
        let Some(now) = stamp(file) else {
            return;
        };
        let key = key_of(file);
        let mut sound = SOUND.lock().unwrap_or_else(|p| p.into_inner());
        sound.retain(|(k, _)| *k != key);
        sound.push((key, now));
    }
}
