//! The custody log: an append-only, hash-chained record of investigator actions. Each entry's
//! hash covers the previous entry's hash, so changing or removing any entry breaks the chain
//! from there on; `verify` names the first broken entry. Each entry is also signed with the
//! investigator's Ed25519 key (schema 7, `crate::signing`), which the hash alone is not proof
//! against: anyone can recompute a hash chain, no one without the key can sign it.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// The hash the first entry chains from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, serde::Serialize)]
pub struct CustodyEntry {
    pub id: i64,
    pub at_us: i64,
    pub actor: String,
    pub action: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
    /// The key that signed the entry (`None`: unsigned, written before schema 7 or by a
    /// process without a key).
    pub key_fingerprint: Option<String>,
    pub signature: Option<String>,
}

pub fn entry_hash(prev: &str, at_us: i64, actor: &str, action: &str, details: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, &at_us.to_string(), actor, action, details] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

pub fn append(
    conn: &Connection,
    actor: &str,
    action: &str,
    details: &serde_json::Value,
) -> rusqlite::Result<()> {
    let prev: String = conn
        .query_row(
            "SELECT hash FROM custody ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let at = crate::model::time::now_us();
    let details = details.to_string();
    let hash = entry_hash(&prev, at, actor, action, &details);
    let key = crate::signing::process_key()
        .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))?;
    let (fingerprint, signature) = match key {
        Some(k) => {
            conn.execute(
                "INSERT OR IGNORE INTO investigator_key(fingerprint, public_key, actor, added_us)
                 VALUES (?1, ?2, ?3, ?4)",
                params![k.fingerprint(), k.public_hex(), actor, at],
            )?;
            (
                Some(k.fingerprint()),
                Some(k.sign(crate::signing::CUSTODY_DOMAIN, hash.as_bytes())),
            )
        }
        None => (None, None),
    };
    conn.execute(
        "INSERT INTO custody(at_us, actor, action, details, prev_hash, hash, key_fingerprint, signature)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![at, actor, action, details, prev, hash, fingerprint, signature],
    )?;
    Ok(())
}

/// Whether the case has schema 7's signature columns (an older case opened read-only has not).
fn has_signatures(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'investigator_key'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

pub fn entries(conn: &Connection) -> rusqlite::Result<Vec<CustodyEntry>> {
    select(conn, "ORDER BY id")
}

/// The last entry: the head of the chain.
pub fn last(conn: &Connection) -> rusqlite::Result<Option<CustodyEntry>> {
    Ok(select(conn, "ORDER BY id DESC LIMIT 1")?.pop())
}

fn select(conn: &Connection, order: &str) -> rusqlite::Result<Vec<CustodyEntry>> {
    let signed = if has_signatures(conn)? {
        "key_fingerprint, signature"
    } else {
        "NULL, NULL"
    };
    let mut st = conn.prepare(&format!(
        "SELECT id, at_us, actor, action, details, prev_hash, hash, {signed} FROM custody {order}"
    ))?;
    let rows = st.query_map([], |r| {
        Ok(CustodyEntry {
            id: r.get(0)?,
            at_us: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            details: r.get(4)?,
            prev_hash: r.get(5)?,
            hash: r.get(6)?,
            key_fingerprint: r.get(7)?,
            signature: r.get(8)?,
        })
    })?;
    rows.collect()
}

/// The first entry whose chain is broken, with why.
pub fn first_break(entries: &[CustodyEntry]) -> Option<(i64, String)> {
    let mut prev = GENESIS.to_string();
    for e in entries {
        if e.prev_hash != prev {
            return Some((
                e.id,
                "its prev_hash does not match the entry before it (an entry was removed or changed)".into(),
            ));
        }
        let want = entry_hash(&e.prev_hash, e.at_us, &e.actor, &e.action, &e.details);
        if want != e.hash {
            return Some((
                e.id,
                "its contents do not match its hash (the entry was changed)".into(),
            ));
        }
        prev = e.hash.clone();
    }
    None
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
