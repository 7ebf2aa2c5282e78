//! Named pipes (FIFOs) and other files that are not regular files can be read only once, and
//! an import reads a file's head (to choose the format) before it reads the whole: reading a
//! pipe twice waits forever for a second writer. Such a file is copied once, as it is read, to
//! a temporary file of our own, which is imported in its place (under the pipe's name).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// A temporary copy of a pipe, removed when dropped.
pub(super) struct Spool {
    dir: PathBuf,
    file: PathBuf,
}

impl Spool {
    /// `None` for a regular file (imported in place); a copy of anything else that can be read.
    pub fn if_needed(path: &Path) -> Result<Option<Spool>> {
        let meta =
            std::fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
        if meta.is_file() || meta.is_dir() {
            return Ok(None);
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!("retrace-pipe-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("{}: cannot create", dir.display()))?;
        // The name is kept: its extension is part of how the file is read (`.tsv`).
        let name = path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| "pipe".into());
        let spool = Spool {
            file: dir.join(name),
            dir,
        };
        let mut from = std::fs::File::open(path)
            .with_context(|| format!("{}: cannot open", path.display()))?;
        let mut to = std::fs::File::create(&spool.file)
            .with_context(|| format!("{}: cannot create", spool.file.display()))?;
        std::io::copy(&mut from, &mut to).with_context(|| {
            format!(
                "{}: cannot read the pipe into {}",
                path.display(),
                spool.file.display()
            )
        })?;
        Ok(Some(spool))
    }

    pub fn path(&self) -> &Path {
        &self.file
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
