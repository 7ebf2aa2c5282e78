//! The export manifest (`manifest.json`): every file with its SHA-256, the case's identity and
//! custody-log head, scope, zone, redaction, tool version, investigator and time. Written last
//! and atomically; `verify_export` re-checks a directory against it.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

pub const MANIFEST_NAME: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
    /// Event rows in the file (unit: events).
    pub rows: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseIdentity {
    pub file_name: String,
    pub case_id: String,
    pub title: String,
    /// The custody log's last hash after this export was recorded in it.
    pub custody_head_hash: String,
    pub custody_entries: i64,
}

/// A source of the case, as rows cite it (`source_id`, `source_file`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestSource {
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    pub kind: String,
    pub format: String,
    pub zone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RedactionNote {
    pub mode: String,
    pub columns: Vec<String>,
    pub method: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub retrace_export_manifest: u32,
    pub tool: String,
    pub created_utc: String,
    pub investigator: String,
    pub case: CaseIdentity,
    pub scope: serde_json::Value,
    pub format: String,
    pub csv_bom: bool,
    pub display_zone: String,
    pub language: Option<String>,
    /// A CSV export whose header row is not the English column names: its language (`ja`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv_headers: Option<String>,
    pub redaction: RedactionNote,
    pub rows: u64,
    pub files: Vec<ManifestFile>,
    /// The custody log's last entry after this export was recorded in it, with its signature
    /// (`signature.rs`); absent in manifests from before signing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custody_head: Option<super::signature::CustodyHead>,
    /// Every source of the case with its SHA-256: rows cite `source_id` and `line`.
    #[serde(default)]
    pub sources: Vec<ManifestSource>,
}

/// Writes `manifest.json` through a temporary file, synced, then renamed into place.
pub fn write_atomically(dir: &Path, m: &Manifest) -> Result<PathBuf> {
    let tmp = dir.join(".manifest.json.tmp");
    let path = dir.join(MANIFEST_NAME);
    let text = serde_json::to_string_pretty(m)?;
    {
        let mut f = std::fs::File::create(&tmp)
            .with_context(|| format!("{}: cannot create", tmp.display()))?;
        f.write_all(text.as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)
        .with_context(|| format!("{}: cannot rename into place", path.display()))?;
    // Make the rename itself durable where the platform allows syncing a directory.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(path)
}

/// One file's check.
#[derive(Debug, Clone, Serialize)]
pub struct FileCheck {
    pub name: String,
    /// ok | changed | missing
    pub status: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VerifyExportReport {
    pub dir: PathBuf,
    pub manifest: Option<Manifest>,
    pub files: Vec<FileCheck>,
    /// Files in the directory the manifest does not list (reported, not a failure).
    pub unlisted: Vec<String>,
}

impl VerifyExportReport {
    pub fn is_clean(&self) -> bool {
        self.files.iter().all(|f| f.status == "ok")
    }
}

/// Checks every file the manifest in `dir` lists against its size and SHA-256.
pub fn verify_export(dir: &Path) -> Result<VerifyExportReport> {
    verify_export_trusting(dir, &[])
}

/// [`verify_export`], and the manifest's signature must be by one of `trusted` (fingerprints)
/// when any are given.
pub fn verify_export_trusting(dir: &Path, trusted: &[String]) -> Result<VerifyExportReport> {
    let mpath = dir.join(MANIFEST_NAME);
    if std::fs::symlink_metadata(&mpath).is_err() {
        bail!(
            "{}: no {MANIFEST_NAME}; this is not a finished Retrace export (an export writes its manifest last)",
            dir.display()
        );
    }
    // The folder is untrusted: see `untrusted.rs`.
    let (m, text) = super::untrusted::read_manifest(dir)?;
    let mut files: Vec<FileCheck> = m
        .files
        .iter()
        .map(|f| super::untrusted::check_listed(dir, f))
        .collect();
    files.push(super::signature::check_manifest_signature(
        dir,
        text.as_bytes(),
        &m,
        trusted,
    ));
    let mut unlisted = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let name = e?.file_name().to_string_lossy().into_owned();
        if name != MANIFEST_NAME
            && name != super::signature::SIGNATURE_NAME
            && !m.files.iter().any(|f| f.name == name)
        {
            unlisted.push(name);
        }
    }
    unlisted.sort();
    Ok(VerifyExportReport {
        dir: dir.to_path_buf(),
        manifest: Some(m),
        files,
        unlisted,
    })
}
