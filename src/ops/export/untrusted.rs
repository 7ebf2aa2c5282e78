//! Reading an export folder that may have been prepared by someone hostile (`verify-export`):
//! only regular files are read (no symlink, device, FIFO or socket: a symlink to `/dev/zero`
//! would be read forever, a FIFO would block), the manifest is read up to a size limit, a
//! file's size is compared with the manifest before it is hashed and no more than that is
//! read, and the rows of the event files are counted.

use std::io::Read;
use std::path::Path;

use anyhow::{Result, bail};
use sha2::{Digest, Sha256};

use super::manifest::{FileCheck, MANIFEST_NAME, Manifest, ManifestFile};

/// The largest manifest read. A real one lists a file or two and the case's sources (a few
/// hundred bytes each): 16 MiB is tens of thousands of sources.
pub const MANIFEST_MAX_BYTES: u64 = 16 << 20;

/// What a path in the folder is, without following a symlink.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a directory"
    } else if t.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// Opens `path` if it is a regular file (not through a symlink), and checks that the file
/// opened is the one looked at (not swapped for another meanwhile). Returns it with its size.
fn open_regular(path: &Path) -> std::result::Result<(std::fs::File, u64), String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            "not in the directory".to_string()
        } else {
            format!("cannot read: {e}")
        }
    })?;
    if !meta.file_type().is_file() {
        return Err(format!("{}, not a regular file: refused", kind_of(&meta)));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let opened = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (opened.dev(), opened.ino()) != (meta.dev(), meta.ino()) || !opened.is_file() {
            return Err("replaced while it was being opened: refused".into());
        }
    }
    Ok((file, opened.len()))
}

/// Reads and parses the manifest, refusing a symlink or special file, one larger than
/// [`MANIFEST_MAX_BYTES`], an empty or malformed one, and one that lists no file, a name twice
/// or a name that is not a plain file name. Returns the manifest and its text (which its
/// detached signature covers).
pub fn read_manifest(dir: &Path) -> Result<(Manifest, String)> {
    let path = dir.join(MANIFEST_NAME);
    let (file, len) =
        open_regular(&path).map_err(|why| anyhow::anyhow!("{}: {why}", path.display()))?;
    if len > MANIFEST_MAX_BYTES {
        bail!(
            "{}: {len} bytes; a Retrace manifest is far smaller (limit {MANIFEST_MAX_BYTES} bytes): refused",
            path.display()
        );
    }
    let mut text = String::new();
    file.take(MANIFEST_MAX_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
    if text.len() as u64 > MANIFEST_MAX_BYTES {
        bail!(
            "{}: grew past {MANIFEST_MAX_BYTES} bytes while being read: refused",
            path.display()
        );
    }
    if text.trim().is_empty() {
        bail!("{}: empty; not a Retrace export manifest", path.display());
    }
    let m: Manifest = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: not a Retrace export manifest: {e}", path.display()))?;
    if m.files.is_empty() {
        bail!(
            "{}: lists no files; a Retrace export manifest lists the file it describes: nothing is verified",
            path.display()
        );
    }
    let mut seen = std::collections::HashSet::new();
    for f in &m.files {
        if !seen.insert(f.name.as_str()) {
            bail!("{}: lists {:?} twice: malformed", path.display(), f.name);
        }
    }
    let listed: u64 = m.files.iter().filter_map(|f| f.rows).sum();
    if m.files.iter().all(|f| f.rows.is_some()) && listed != m.rows {
        bail!(
            "{}: says {} rows, but its files' rows add up to {listed}: malformed",
            path.display(),
            m.rows
        );
    }
    Ok((m, text))
}

/// Whether `name` is a plain file name inside the folder.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name != MANIFEST_NAME
        && !name.contains(['/', '\\', '\0'])
}

/// Counts the rows of an event file as it is hashed: JSON Lines one per non-empty line, CSV
/// one per record after the header (a quoted field may hold line breaks).
struct RowCounter {
    csv: bool,
    in_quotes: bool,
    records: u64,
    /// Bytes since the last record end (a last record without a final newline counts).
    pending: bool,
}

impl RowCounter {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match b {
                b'"' if self.csv => self.in_quotes = !self.in_quotes,
                b'\n' if !self.in_quotes => {
                    if self.pending {
                        self.records += 1;
                    }
                    self.pending = false;
                    continue;
                }
                b'\r' if !self.in_quotes => continue,
                _ => {}
            }
            self.pending = true;
        }
    }

    fn rows(&self) -> u64 {
        let records = self.records + u64::from(self.pending);
        if self.csv {
            records.saturating_sub(1)
        } else {
            records
        }
    }
}

/// Checks one listed file: a regular file, of the listed size (compared before it is read),
/// with the listed SHA-256 and, for `events.csv` / `events.jsonl`, the listed rows.
pub fn check_listed(dir: &Path, f: &ManifestFile) -> FileCheck {
    let verdict = |status: &str, detail: String| FileCheck {
        name: f.name.clone(),
        status: status.into(),
        detail,
    };
    if !plain_name(&f.name) {
        return verdict(
            "changed",
            "the manifest names a file outside the export directory (or the manifest itself)"
                .into(),
        );
    }
    let (file, len) = match open_regular(&dir.join(&f.name)) {
        Ok(v) => v,
        Err(why) if why == "not in the directory" => {
            return verdict(
                "missing",
                "listed in the manifest but not in the directory".into(),
            );
        }
        Err(why) => return verdict("changed", why),
    };
    if len != f.bytes {
        return verdict(
            "changed",
            format!(
                "{len} bytes, the manifest records {} bytes (not hashed)",
                f.bytes
            ),
        );
    }
    let counted = f.rows.is_some() && (f.name.ends_with(".csv") || f.name.ends_with(".jsonl"));
    let mut rows = RowCounter {
        csv: f.name.ends_with(".csv"),
        in_quotes: false,
        records: 0,
        pending: false,
    };
    let mut h = Sha256::new();
    let mut n = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    // At most one byte more than listed: a file growing meanwhile is not read without end.
    let mut r = file.take(f.bytes + 1);
    loop {
        let k = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => k,
            Err(e) => return verdict("changed", format!("cannot read: {e}")),
        };
        h.update(&buf[..k]);
        if counted {
            // A BOM before the header is not a row's text; it holds no quote or newline.
            rows.feed(&buf[..k]);
        }
        n += k as u64;
    }
    let sha = crate::case::hex(&h.finalize());
    if sha != f.sha256 || n != f.bytes {
        return verdict(
            "changed",
            format!(
                "SHA-256 {sha} ({n} bytes), the manifest records {} ({} bytes)",
                f.sha256, f.bytes
            ),
        );
    }
    if counted && Some(rows.rows()) != f.rows {
        return verdict(
            "changed",
            format!(
                "{} rows, the manifest records {} rows",
                rows.rows(),
                f.rows.unwrap_or(0)
            ),
        );
    }
    verdict("ok", format!("SHA-256 {} ({} bytes)", f.sha256, f.bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(csv: bool, text: &str) -> u64 {
        let mut c = RowCounter {
            csv,
            in_quotes: false,
            records: 0,
            pending: false,
        };
        // Fed in two pieces: a record may straddle reads.
        let (a, b) = text.split_at(text.len() / 2);
        c.feed(a.as_bytes());
        c.feed(b.as_bytes());
        c.rows()
    }

    #[test]
    fn rows_are_counted_as_records() {
        assert_eq!(count(true, "a,b\n1,2\n3,4\n"), 2);
        assert_eq!(count(true, "a,b\r\n1,\"x\ny\"\r\n3,\"\"\"\"\n"), 2);
        assert_eq!(count(true, "a,b\n1,2"), 1);
        assert_eq!(count(true, "\u{feff}a,b\n"), 0);
        assert_eq!(count(false, "{}\n{}\n\n"), 2);
        assert_eq!(count(false, ""), 0);
    }
}
