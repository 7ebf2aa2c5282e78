//! The investigator's Ed25519 key pair, which signs every custody entry and every export
//! manifest, so a case's log cannot be rewritten by someone who can only edit the file.
//!
//! The key lives in the user's config directory (`$RETRACE_CONFIG_DIR`, else
//! `$XDG_CONFIG_HOME/retrace`, else `~/.config/retrace`, else `%APPDATA%\retrace`) as
//! `investigator.key` (the 32-byte secret in hex, mode 0600) beside `investigator.pub`; it is
//! created on first use. Its fingerprint is the first 16 bytes of the SHA-256 of the public key,
//! in hex: what `retrace verify --trust` takes.
//!
//! The key a process signs with is process-wide: the binary turns on the config-directory key
//! at start ([`use_config_dir_key`]); a library user (the tests) may set one
//! ([`set_process_key`]) or write unsigned entries.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

/// The private key file in the config directory.
pub const SECRET_FILE: &str = "investigator.key";
/// The public key file beside it (for the user to hand to whoever checks their work).
pub const PUBLIC_FILE: &str = "investigator.pub";

/// What a custody entry's signature covers: this prefix and the entry's hash (hex).
pub const CUSTODY_DOMAIN: &[u8] = b"retrace custody entry v1\n";
/// What an export's detached signature covers: this prefix and the bytes of `manifest.json`.
pub const MANIFEST_DOMAIN: &[u8] = b"retrace export manifest v1\n";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: {why}")]
    File { path: PathBuf, why: String },
    #[error("{0}")]
    Unavailable(String),
}

fn file_err(path: &Path, why: impl std::fmt::Display) -> KeyError {
    KeyError::File {
        path: path.to_path_buf(),
        why: why.to_string(),
    }
}

/// An investigator's key pair.
pub struct InvestigatorKey {
    key: SigningKey,
}

impl std::fmt::Debug for InvestigatorKey {
    // Never prints the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InvestigatorKey")
            .field("fingerprint", &self.fingerprint())
            .finish()
    }
}

impl InvestigatorKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> Result<InvestigatorKey, KeyError> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)
            .map_err(|e| KeyError::Unavailable(format!("no random source for a new key: {e}")))?;
        Ok(InvestigatorKey::from_secret(secret))
    }

    pub fn from_secret(secret: [u8; 32]) -> InvestigatorKey {
        InvestigatorKey {
            key: SigningKey::from_bytes(&secret),
        }
    }

    /// The public key, 64 hex digits.
    pub fn public_hex(&self) -> String {
        hex(self.key.verifying_key().as_bytes())
    }

    pub fn fingerprint(&self) -> String {
        fingerprint_of(self.key.verifying_key().as_bytes())
    }

    /// Signs `domain || msg`; the signature in hex (128 digits).
    pub fn sign(&self, domain: &[u8], msg: &[u8]) -> String {
        let mut m = Vec::with_capacity(domain.len() + msg.len());
        m.extend_from_slice(domain);
        m.extend_from_slice(msg);
        hex(&self.key.sign(&m).to_bytes())
    }
}

/// The fingerprint of a public key: the first 16 bytes of its SHA-256, in hex.
pub fn fingerprint_of(public: &[u8]) -> String {
    hex(&Sha256::digest(public)[..16])
}

/// The fingerprint of a public key given in hex, if it is one.
pub fn fingerprint_of_hex(public_hex: &str) -> Option<String> {
    let b = unhex(public_hex)?;
    (b.len() == 32).then(|| fingerprint_of(&b))
}

/// Checks a hex signature of `domain || msg` against a hex public key: why it fails, if it does.
pub fn check(public_hex: &str, domain: &[u8], msg: &[u8], sig_hex: &str) -> Result<(), String> {
    let pk: [u8; 32] = unhex(public_hex)
        .and_then(|b| b.try_into().ok())
        .ok_or("the public key is not 32 bytes of hex")?;
    let pk =
        VerifyingKey::from_bytes(&pk).map_err(|_| "the public key is not a valid Ed25519 key")?;
    let sig: [u8; 64] = unhex(sig_hex)
        .and_then(|b| b.try_into().ok())
        .ok_or("the signature is not 64 bytes of hex")?;
    let mut m = Vec::with_capacity(domain.len() + msg.len());
    m.extend_from_slice(domain);
    m.extend_from_slice(msg);
    pk.verify(&m, &Signature::from_bytes(&sig))
        .map_err(|_| "the signature does not verify".to_string())
}

/// The config directory: `$RETRACE_CONFIG_DIR`, else `$XDG_CONFIG_HOME/retrace`, else
/// `~/.config/retrace`, else `%APPDATA%\retrace`.
pub fn config_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env("RETRACE_CONFIG_DIR")
        .or_else(|| env("XDG_CONFIG_HOME").map(|d| d.join("retrace")))
        .or_else(|| env("HOME").map(|h| h.join(".config").join("retrace")))
        .or_else(|| env("APPDATA").map(|d| d.join("retrace")))
}

/// The key in `dir`, if there is one.
pub fn load(dir: &Path) -> Result<Option<InvestigatorKey>, KeyError> {
    let path = dir.join(SECRET_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(file_err(&path, format!("cannot read: {e}"))),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .map_err(|e| file_err(&path, format!("cannot read: {e}")))?
            .permissions()
            .mode();
        // Like ssh: a secret others can read is no longer the investigator's alone.
        if mode & 0o077 != 0 {
            return Err(file_err(
                &path,
                format!(
                    "the private key is readable by other users (mode {:o}); run `chmod 600 {}`",
                    mode & 0o777,
                    path.display()
                ),
            ));
        }
    }
    let secret: [u8; 32] = text
        .trim()
        .strip_prefix("ed25519-secret:")
        .and_then(unhex)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| file_err(&path, "not a Retrace investigator key (ed25519-secret:HEX)"))?;
    Ok(Some(InvestigatorKey::from_secret(secret)))
}

/// The key in `dir`, created (with its directory) if there is none. Safe against another
/// process creating it at the same time: the file is published with a hard link, which never
/// replaces an existing key; the loser reads the winner's.
pub fn load_or_create(dir: &Path) -> Result<InvestigatorKey, KeyError> {
    if let Some(k) = load(dir)? {
        return Ok(k);
    }
    std::fs::create_dir_all(dir).map_err(|e| file_err(dir, format!("cannot create: {e}")))?;
    let key = InvestigatorKey::generate()?;
    let path = dir.join(SECRET_FILE);
    let tmp = dir.join(format!(".{SECRET_FILE}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    write_private(
        &tmp,
        &format!("ed25519-secret:{}\n", hex(&key.key.to_bytes())),
    )?;
    let linked = std::fs::hard_link(&tmp, &path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return load(dir)?.ok_or_else(|| file_err(&path, "vanished while being created"));
        }
        Err(e) => return Err(file_err(&path, format!("cannot create: {e}"))),
    }
    // The public half is for the user to hand on; the key works without it.
    let _ = std::fs::write(
        dir.join(PUBLIC_FILE),
        format!(
            "ed25519-public:{}\nfingerprint:{}\n",
            key.public_hex(),
            key.fingerprint()
        ),
    );
    Ok(key)
}

fn write_private(path: &Path, text: &str) -> Result<(), KeyError> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| file_err(path, format!("cannot create: {e}")))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| file_err(path, format!("cannot write: {e}")))
}

static PROCESS_KEY: OnceLock<Result<InvestigatorKey, String>> = OnceLock::new();
static FROM_CONFIG_DIR: AtomicBool = AtomicBool::new(false);

/// From now on this process signs with the key in the config directory (created on first use).
pub fn use_config_dir_key() {
    FROM_CONFIG_DIR.store(true, Ordering::SeqCst);
}

/// Sets the key this process signs with; `false` if one was already in use.
pub fn set_process_key(key: InvestigatorKey) -> bool {
    PROCESS_KEY.set(Ok(key)).is_ok()
}

/// The key this process signs with: `None` when none was set up (entries are then unsigned).
pub fn process_key() -> Result<Option<&'static InvestigatorKey>, KeyError> {
    if PROCESS_KEY.get().is_none() {
        if !FROM_CONFIG_DIR.load(Ordering::SeqCst) {
            return Ok(None);
        }
        let loaded = config_dir()
            .ok_or_else(|| {
                "no config directory for the investigator key (set RETRACE_CONFIG_DIR)".to_string()
            })
            .and_then(|d| load_or_create(&d).map_err(|e| e.to_string()));
        let _ = PROCESS_KEY.set(loaded);
    }
    match PROCESS_KEY.get() {
        Some(Ok(k)) => Ok(Some(k)),
        Some(Err(why)) => Err(KeyError::Unavailable(format!(
            "cannot use the investigator's signing key: {why}"
        ))),
        None => Ok(None),
    }
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_message_and_key() {
        let a = InvestigatorKey::from_secret([7; 32]);
        let b = InvestigatorKey::from_secret([8; 32]);
        let sig = a.sign(CUSTODY_DOMAIN, b"abc");
        assert_eq!(check(&a.public_hex(), CUSTODY_DOMAIN, b"abc", &sig), Ok(()));
        assert!(check(&a.public_hex(), CUSTODY_DOMAIN, b"abd", &sig).is_err());
        assert!(check(&a.public_hex(), MANIFEST_DOMAIN, b"abc", &sig).is_err());
        assert!(check(&b.public_hex(), CUSTODY_DOMAIN, b"abc", &sig).is_err());
        assert_eq!(a.fingerprint().len(), 32);
        assert_eq!(fingerprint_of_hex(&a.public_hex()), Some(a.fingerprint()));
    }

    #[test]
    fn the_key_is_created_once_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("retrace-key-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let k1 = load_or_create(&dir).unwrap();
        let k2 = load_or_create(&dir).unwrap();
        assert_eq!(k1.fingerprint(), k2.fingerprint());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let p = dir.join(SECRET_FILE);
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = load(&dir).unwrap_err().to_string();
            assert!(e.contains("readable by other users"), "{e}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
