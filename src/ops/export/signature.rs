//! Signed exports: `manifest.json` records the custody head at export time (the last entry's
//! id, hash, key and signature) and `manifest.json.sig` beside it holds a detached Ed25519
//! signature of the manifest's exact bytes with the investigator's key. `verify-export` checks
//! that signature; `verify CASE --against DIR` checks that the case's custody chain still
//! holds the head the export recorded, so a log truncated or rewritten after the export fails.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::manifest::{FileCheck, MANIFEST_NAME, Manifest};
use crate::case::{Case, CustodyEntry, VerifyProblem};
use crate::signing;

/// The detached signature's file, beside the manifest.
pub const SIGNATURE_NAME: &str = "manifest.json.sig";

/// A manifest larger than this is not one Retrace wrote (a listing of a few files and the
/// case's sources).
const MANIFEST_MAX_BYTES: u64 = 64 << 20;

/// The custody log's head when the export was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyHead {
    pub entry_id: i64,
    pub hash: String,
    pub key_fingerprint: Option<String>,
    pub signature: Option<String>,
}

impl CustodyHead {
    pub fn of(e: &CustodyEntry) -> CustodyHead {
        CustodyHead {
            entry_id: e.id,
            hash: e.hash.clone(),
            key_fingerprint: e.key_fingerprint.clone(),
            signature: e.signature.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestSignature {
    pub retrace_manifest_signature: u32,
    pub key_fingerprint: String,
    pub public_key: String,
    /// Ed25519 over "retrace export manifest v1\n" || the bytes of manifest.json, hex.
    pub signature: String,
}

/// Reads a regular file of at most `limit` bytes (no symlink, device or FIFO).
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    if !meta.file_type().is_file() {
        bail!("{}: not a regular file", path.display());
    }
    if meta.len() > limit {
        bail!(
            "{}: {} bytes, more than the {limit} a Retrace export writes",
            path.display(),
            meta.len()
        );
    }
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .with_context(|| format!("{}: cannot read", path.display()))?
        .take(limit + 1)
        .read_to_end(&mut buf)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    if buf.len() as u64 > limit {
        bail!("{}: grew past {limit} bytes while read", path.display());
    }
    Ok(buf)
}

/// Signs the manifest in `dir` with this process's key, if it has one: the signature's path.
pub fn sign_manifest(dir: &Path) -> Result<Option<PathBuf>> {
    let Some(key) = signing::process_key()? else {
        return Ok(None);
    };
    let bytes = read_limited(&dir.join(MANIFEST_NAME), MANIFEST_MAX_BYTES)?;
    let sig = ManifestSignature {
        retrace_manifest_signature: 1,
        key_fingerprint: key.fingerprint(),
        public_key: key.public_hex(),
        signature: key.sign(signing::MANIFEST_DOMAIN, &bytes),
    };
    let path = dir.join(SIGNATURE_NAME);
    let tmp = dir.join(".manifest.json.sig.tmp");
    let mut text = serde_json::to_string_pretty(&sig)?;
    text.push('\n');
    std::fs::write(&tmp, text).with_context(|| format!("{}: cannot write", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(Some(path))
}

/// The check of `manifest.json.sig` against the manifest's bytes, as one more file line of
/// `verify-export`; with `trusted` fingerprints, the key must be one of them.
pub fn check_manifest_signature(
    dir: &Path,
    manifest_bytes: &[u8],
    m: &Manifest,
    trusted: &[String],
) -> FileCheck {
    let check = |status: &str, detail: String| FileCheck {
        name: SIGNATURE_NAME.into(),
        status: status.into(),
        detail,
    };
    let path = dir.join(SIGNATURE_NAME);
    let head_signed = m
        .custody_head
        .as_ref()
        .is_some_and(|h| h.signature.is_some());
    if std::fs::symlink_metadata(&path).is_err() {
        if head_signed || !trusted.is_empty() {
            return check(
                "missing",
                "the manifest is not signed, but its custody head is (the signature was removed)"
                    .into(),
            );
        }
        return check(
            "ok",
            "no signature: the export was made without an investigator key, or before signing existed".into(),
        );
    }
    let sig: ManifestSignature = match read_limited(&path, 64 << 10)
        .and_then(|b| serde_json::from_slice(&b).context("not a Retrace manifest signature"))
    {
        Ok(s) => s,
        Err(e) => return check("changed", format!("{e:#}")),
    };
    if signing::fingerprint_of_hex(&sig.public_key).as_deref() != Some(sig.key_fingerprint.as_str())
    {
        return check(
            "changed",
            format!(
                "its public key does not have the fingerprint {} it names",
                sig.key_fingerprint
            ),
        );
    }
    if let Err(why) = signing::check(
        &sig.public_key,
        signing::MANIFEST_DOMAIN,
        manifest_bytes,
        &sig.signature,
    ) {
        return check(
            "changed",
            format!("{why}: manifest.json was changed after it was signed"),
        );
    }
    if let Some(fp) = m
        .custody_head
        .as_ref()
        .and_then(|h| h.key_fingerprint.as_ref())
        && *fp != sig.key_fingerprint
    {
        return check(
            "changed",
            format!(
                "signed by key {}, but the custody head it records is signed by key {fp}",
                sig.key_fingerprint
            ),
        );
    }
    if !trusted.is_empty()
        && !trusted
            .iter()
            .any(|t| t.trim().eq_ignore_ascii_case(&sig.key_fingerprint))
    {
        return check(
            "changed",
            format!(
                "signed by key {}, which is not among the trusted keys",
                sig.key_fingerprint
            ),
        );
    }
    check(
        "ok",
        format!("manifest signed by key {}", sig.key_fingerprint),
    )
}

/// `verify CASE --against DIR`: the export's manifest (and its signature) are checked, then
/// the case's custody chain must still hold the head the manifest recorded.
pub fn check_against(case: &Case, dir: &Path) -> Result<Vec<VerifyProblem>> {
    let mpath = dir.join(MANIFEST_NAME);
    let bytes = read_limited(&mpath, MANIFEST_MAX_BYTES)?;
    let m: Manifest = serde_json::from_slice(&bytes)
        .with_context(|| format!("{}: not a Retrace export manifest", mpath.display()))?;
    let mut problems = Vec::new();
    let what = format!("export {}", dir.display());
    let sig = check_manifest_signature(dir, &bytes, &m, &[]);
    if sig.status != "ok" {
        problems.push(VerifyProblem {
            what: what.clone(),
            why: format!("{SIGNATURE_NAME}: {}", sig.detail),
        });
    }
    let case_id = case.meta("case_id")?.unwrap_or_default();
    if m.case.case_id != case_id {
        problems.push(VerifyProblem {
            what: what.clone(),
            why: format!(
                "is an export of case {}, this case is {case_id}",
                m.case.case_id
            ),
        });
        return Ok(problems);
    }
    let entries = case.custody().custody_entries()?;
    // Manifests from before the head was recorded give its hash and the number of entries.
    let (id, hash) = match &m.custody_head {
        Some(h) => (Some(h.entry_id), h.hash.clone()),
        None => (None, m.case.custody_head_hash.clone()),
    };
    let found = match id {
        Some(id) => entries.iter().find(|e| e.id == id),
        None => usize::try_from(m.case.custody_entries)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| entries.get(i)),
    };
    match found {
        None => problems.push(VerifyProblem {
            what: what.clone(),
            why: format!(
                "records custody head {hash} (entry {}), but the case's custody log has only {} entries: the log was truncated",
                id.unwrap_or(m.case.custody_entries),
                entries.len()
            ),
        }),
        Some(e) if e.hash != hash => problems.push(VerifyProblem {
            what: what.clone(),
            why: format!(
                "records custody head {hash} at entry {}, but the case's entry {} hashes to {}: the log was rewritten",
                e.id, e.id, e.hash
            ),
        }),
        Some(e) => {
            if let Some(h) = &m.custody_head
                && h.signature.is_some()
                && h.signature != e.signature
            {
                problems.push(VerifyProblem {
                    what,
                    why: format!(
                        "records the signature of custody entry {} by key {}, but the case's entry is signed differently (by {}): the log was re-signed",
                        e.id,
                        h.key_fingerprint.as_deref().unwrap_or("?"),
                        e.key_fingerprint.as_deref().unwrap_or("no key")
                    ),
                });
            }
        }
    }
    Ok(problems)
}
