//! The files SQLite keeps beside a case file (`-wal`, `-shm`, `-journal`). A case on disk is
//! the file and these, so code that removes, replaces or measures a case goes through here:
//! a side file left behind would be read (or, a journal, played back) with the next case of
//! that name.

use std::path::{Path, PathBuf};

/// The suffixes SQLite appends to the case file's name for its side files.
const SIDE_SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// A file the case could not be cleared of.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot remove: {source}", path.display())]
pub struct RemoveError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// The case file's side files, whether or not they exist.
pub fn side_files(path: &Path) -> [PathBuf; 3] {
    SIDE_SUFFIXES.map(|s| with_suffix(path, s))
}

/// Removes the case file and its side files, those that exist; stops at the first that
/// cannot be removed and names it.
pub fn remove_with_side_files(path: &Path) -> Result<(), RemoveError> {
    for p in std::iter::once(path.to_path_buf()).chain(side_files(path)) {
        if p.exists() {
            std::fs::remove_file(&p).map_err(|source| RemoveError { path: p, source })?;
        }
    }
    Ok(())
}

/// Bytes on disk of the case file and its write-ahead log (what a case occupies while open).
pub fn size_with_wal(path: &Path) -> u64 {
    [path.to_path_buf(), with_suffix(path, "-wal")]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}
