//! The checks of the plain `verify` that tie the case's tables to its custody log: every
//! entry's Ed25519 signature; every source against its import entry (SHA-256, size, lines,
//! counts) and every import entry against an existing source; the findings parameters,
//! dispositions, retention declarations, report texts and annotations against the entries that
//! recorded them. An edit of a table that leaves the log alone is named here; an edit of the
//! log breaks its hash chain or its signatures.

use super::facade::Custody;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value;

use super::custody::CustodyEntry;
use super::{Case, Result, VerifyProblem, VerifyReport};
use crate::signing;

/// Problems of one kind named before the rest are only counted.
const MAX_NAMED: usize = 20;

/// Who signed the custody log.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SignatureSummary {
    pub signed: usize,
    pub unsigned: usize,
    /// Every key that signed entries, in the order of its first entry.
    pub keys: Vec<KeyUse>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyUse {
    pub fingerprint: String,
    pub public_key: Option<String>,
    /// The investigator names its entries were written as.
    pub actors: Vec<String>,
    pub entries: usize,
    pub first_entry: i64,
    pub last_entry: i64,
}

impl VerifyReport {
    /// `--trust`: every entry must be signed by one of `trusted` (fingerprints); entries signed
    /// by another key, and unsigned entries, become problems.
    pub fn require_trusted(&mut self, trusted: &[String]) {
        let trusted: Vec<String> = trusted.iter().map(|t| normalize_fp(t)).collect();
        for k in &self.signatures.keys {
            if !trusted.contains(&k.fingerprint) {
                self.problems.push(VerifyProblem {
                    what: format!("custody entries {}..{}", k.first_entry, k.last_entry),
                    why: format!(
                        "{} entries are signed by key {} (as {}), which is not among the trusted keys",
                        k.entries,
                        k.fingerprint,
                        k.actors.join(", ")
                    ),
                });
            }
        }
        if self.signatures.unsigned > 0 {
            self.problems.push(VerifyProblem {
                what: "custody log".into(),
                why: format!(
                    "{} entries are unsigned (written before signing existed, or without a key); --trust requires every entry to be signed by a trusted key",
                    self.signatures.unsigned
                ),
            });
        }
    }
}

/// A fingerprint as typed: case and a leading `ed25519:` or separators do not matter.
fn normalize_fp(s: &str) -> String {
    let s = s.trim();
    let s = s.strip_prefix("ed25519:").unwrap_or(s);
    s.chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Collects problems, naming the first [`MAX_NAMED`] of each group.
struct Named<'a> {
    out: &'a mut Vec<VerifyProblem>,
    group: &'static str,
    named: usize,
    more: usize,
}

impl<'a> Named<'a> {
    fn new(out: &'a mut Vec<VerifyProblem>, group: &'static str) -> Named<'a> {
        Named {
            out,
            group,
            named: 0,
            more: 0,
        }
    }
    fn push(&mut self, what: String, why: String) {
        if self.named < MAX_NAMED {
            self.out.push(VerifyProblem { what, why });
            self.named += 1;
        } else {
            self.more += 1;
        }
    }
}

impl Drop for Named<'_> {
    fn drop(&mut self) {
        if self.more > 0 {
            self.out.push(VerifyProblem {
                what: self.group.into(),
                why: format!("{} more problems of this kind not listed", self.more),
            });
        }
    }
}

impl Custody<'_> {
    /// The custody log's last entry (its head), if it has one.
    pub fn custody_last(&self) -> Result<Option<CustodyEntry>> {
        super::custody::last(&self.conn).map_err(|e| self.err(e))
    }
}

impl Case {
    /// Every custody entry's signature against the key it names, which must be recorded in
    /// the case; an unsigned entry after a signed one is a problem (a signed log does not go
    /// back to unsigned by itself).
    pub(super) fn check_signatures(
        &self,
        entries: &[CustodyEntry],
        problems: &mut Vec<VerifyProblem>,
    ) -> Result<SignatureSummary> {
        let keys: HashMap<String, String> = if self.has_table("investigator_key")? {
            self.query_vec(
                "SELECT fingerprint, public_key FROM investigator_key",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .into_iter()
            .collect()
        } else {
            HashMap::new()
        };
        let mut p = Named::new(problems, "custody signatures");
        for (fp, public) in &keys {
            if signing::fingerprint_of_hex(public).as_deref() != Some(fp.as_str()) {
                p.push(
                    format!("investigator key {fp}"),
                    "its recorded public key does not have this fingerprint (the key table was changed)".into(),
                );
            }
        }
        let mut summary = SignatureSummary::default();
        let mut first_signed: Option<i64> = None;
        for entry in entries {
            let (Some(fp), Some(sig)) = (&entry.key_fingerprint, &entry.signature) else {
                summary.unsigned += 1;
                if let Some(first) = first_signed {
                    p.push(
                        format!("custody entry {}", entry.id),
                        format!(
                            "is unsigned, but entry {first} before it is signed (the entry was written or rewritten without the investigator's key)"
                        ),
                    );
                }
                continue;
            };
            summary.signed += 1;
            first_signed.get_or_insert(entry.id);
            let public = keys.get(fp);
            match public {
                None => p.push(
                    format!("custody entry {}", entry.id),
                    format!("is signed by key {fp}, which the case does not record"),
                ),
                Some(public) => {
                    if let Err(why) =
                        signing::check(public, signing::CUSTODY_DOMAIN, entry.hash.as_bytes(), sig)
                    {
                        p.push(
                            format!("custody entry {}", entry.id),
                            format!(
                                "signature by key {fp}: {why} (the entry was changed, or signed without that key)"
                            ),
                        );
                    }
                }
            }
            match summary.keys.iter_mut().find(|k| &k.fingerprint == fp) {
                Some(k) => {
                    k.entries += 1;
                    k.last_entry = entry.id;
                    if !k.actors.contains(&entry.actor) {
                        k.actors.push(entry.actor.clone());
                    }
                }
                None => summary.keys.push(KeyUse {
                    fingerprint: fp.clone(),
                    public_key: public.cloned(),
                    actors: vec![entry.actor.clone()],
                    entries: 1,
                    first_entry: entry.id,
                    last_entry: entry.id,
                }),
            }
        }
        drop(p);
        Ok(summary)
    }

    /// Sources against their import entries and the other way round, and the investigator's
    /// inputs (findings parameters, dispositions, retention, report texts, annotations) against
    /// the entries that recorded them.
    pub(super) fn check_custody_records(
        &self,
        entries: &[CustodyEntry],
        problems: &mut Vec<VerifyProblem>,
    ) -> Result<()> {
        let details: Vec<(&CustodyEntry, Value)> = entries
            .iter()
            .map(|e| (e, serde_json::from_str(&e.details).unwrap_or(Value::Null)))
            .collect();
        self.check_sources_against_custody(&details, problems)?;
        self.check_params_against_custody(&details, problems)?;
        self.check_dispositions_against_custody(&details, problems)?;
        self.check_retention_against_custody(&details, problems)?;
        self.check_report_text_against_custody(&details, problems)?;
        self.check_annotations_against_custody(&details, problems)?;
        self.check_saved_views_against_custody(&details, problems)?;
        Ok(())
    }

    fn check_sources_against_custody(
        &self,
        details: &[(&CustodyEntry, Value)],
        problems: &mut Vec<VerifyProblem>,
    ) -> Result<()> {
        let sources = self.sources().list()?;
        let mut by_source: HashMap<i64, Vec<(&CustodyEntry, &Value)>> = HashMap::new();
        for (e, d) in details.iter().filter(|(e, _)| e.action == "import") {
            match d["source_id"].as_i64() {
                Some(id) => by_source.entry(id).or_default().push((e, d)),
                None => problems.push(VerifyProblem {
                    what: format!("custody entry {}", e.id),
                    why: "is an import entry that names no source".into(),
                }),
            }
        }
        let mut p = Named::new(problems, "sources and their import entries");
        for s in &sources {
            let what = format!("source {} ({})", s.id, s.file_name);
            let Some(found) = by_source.remove(&s.id) else {
                p.push(
                    what,
                    "has no import entry in the custody log (the entry was removed, or the source was added outside an import)".into(),
                );
                continue;
            };
            if found.len() > 1 {
                p.push(
                    what.clone(),
                    format!(
                        "has {} import entries in the custody log ({}); an import writes one",
                        found.len(),
                        found
                            .iter()
                            .map(|(e, _)| e.id.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            let (entry, d) = found[0];
            let mut differ = |field: &str, recorded: String, stored: String| {
                if recorded != stored {
                    p.push(
                        what.clone(),
                        format!(
                            "{field} is {stored}, but its import entry (custody entry {}) records {recorded}",
                            entry.id
                        ),
                    );
                }
            };
            let text = |k: &str| d[k].as_str().map(str::to_string);
            let int = |k: &str| d[k].as_i64();
            differ(
                "SHA-256",
                text("sha256").unwrap_or_default(),
                s.sha256.clone(),
            );
            if let Some(kind) = text("kind") {
                differ("kind", kind, s.kind.clone());
            }
            if let Some(file) = text("file") {
                differ(
                    "file name",
                    format!("{file:?}"),
                    format!("{:?}", s.file_name),
                );
            }
            for (k, stored) in [
                ("rows_read", s.rows_read),
                ("rows_imported", s.rows_imported),
                ("rows_rejected", s.rows_rejected),
                ("size_bytes", s.size_bytes),
                ("line_count", s.line_count),
            ] {
                // size_bytes and line_count are recorded from this version on.
                if let Some(recorded) = int(k) {
                    differ(k, recorded.to_string(), stored.to_string());
                } else if k.starts_with("rows_") {
                    differ(k, "nothing".into(), stored.to_string());
                }
            }
        }
        let mut orphans: Vec<_> = by_source.into_iter().collect();
        orphans.sort_by_key(|(id, _)| *id);
        for (id, found) in orphans {
            for (e, d) in found {
                p.push(
                    format!("custody entry {}", e.id),
                    format!(
                        "records the import of source {id} ({}), which the case does not hold",
                        d["file"].as_str().unwrap_or("?")
                    ),
                );
            }
        }
        Ok(())
    }

    fn check_params_against_custody(
        &self,
        details: &[(&CustodyEntry, Value)],
        problems: &mut Vec<VerifyProblem>,
    ) -> Result<()> {
        // The log replayed: the last entry of a (rule, key) is its value.
        let mut want: BTreeMap<(String, String), (i64, String, Value)> = BTreeMap::new();
        for (e, d) in details.iter().filter(|(e, _)| e.action == "finding_param") {
            let (Some(rule), Some(key)) = (d["rule"].as_str(), d["key"].as_str()) else {
                continue;
            };
            let k = (rule.to_string(), key.to_string());
            if d["reset"].as_bool() == Some(true) {
                want.remove(&k);
            } else {
                want.insert(k, (e.id, e.actor.clone(), d["value"].clone()));
            }
        }
        let stored = self.findings().finding_params()?;
        let mut p = Named::new(problems, "findings parameters");
        for row in &stored {
            let what = format!("findings parameter {}.{}", row.rule, row.key);
            let value: Value = serde_json::from_str(&row.value).unwrap_or(Value::Null);
            match want.remove(&(row.rule.clone(), row.key.clone())) {
                None => p.push(
                    what,
                    format!(
                        "is set to {} in the case, but the custody log records no such setting",
                        row.value
                    ),
                ),
                Some((id, actor, recorded)) => {
                    if recorded != value || actor != row.author {
                        p.push(
                            what,
                            format!(
                                "is {} (by {}), but custody entry {id} records {recorded} (by {actor})",
                                row.value, row.author
                            ),
                        );
                    }
                }
            }
        }
        for ((rule, key), (id, _, recorded)) in want {
            p.push(
                format!("findings parameter {rule}.{key}"),
                format!(
                    "custody entry {id} sets it to {recorded}, but the case does not hold it (it takes its default)"
                ),
            );
        }
        Ok(())
    }

    fn check_dispositions_against_custody(
        &self,
        details: &[(&CustodyEntry, Value)],
        problems: &mut Vec<VerifyProblem>,
    ) -> Result<()> {
        let recorded = recorded_dispositions(details, problems);
        let stored = self.findings().finding_dispositions()?;
        let mut p = Named::new(problems, "findings dispositions");
        for (i, row) in stored.iter().enumerate() {
            let what = format!("disposition {} of {}", row.id, row.finding_key);
            match recorded.get(i) {
                None => p.push(
                    what,
                    "is in the case, but the custody log records no such decision".into(),
                ),
                Some((e, d)) => {
                    let same = d["finding_key"].as_str() == Some(row.finding_key.as_str())
                        && d["status"].as_str() == Some(row.status.as_str())
                        && d["note"].as_str() == Some(row.note.as_str())
                        && e.actor == row.author;
                    if !same {
                        p.push(
                            what,
                            format!(
                                "is {:?} {:?} by {}, but custody entry {} records {:?} {:?} {:?} by {}",
                                row.status,
                                row.note,
                                row.author,
                                e.id,
                                d["finding_key"].as_str().unwrap_or(""),
                                d["status"].as_str().unwrap_or(""),
                                d["note"].as_str().unwrap_or(""),
                                e.actor
                            ),
                        );
                    }
                }
            }
        }
        for (e, d) in recorded.iter().skip(stored.len()) {
            p.push(
                format!("custody entry {}", e.id),
                format!(
                    "records a disposition of {} that the case does not hold",
                    d["finding_key"].as_str().unwrap_or("?")
                ),
            );
        }
        Ok(())
    }

    fn check_retention_against_custody(
        &self,
        details: &[(&CustodyEntry, Value)],
        problems: &mut Vec<VerifyProblem>,
    ) -> Result<()> {
        let mut want: BTreeMap<i64, (i64, &Value)> = BTreeMap::new();
        for (e, d) in details
            .iter()
            .filter(|(e, _)| e.action == "source_retention")
        {
            if let Some(id) = d["source_id"].as_i64() {
                want.insert(id, (e.id, d));
            }
        }
        let mut p = Named::new(problems, "retention declarations");
        for row in self.findings().source_retention()? {
            let what = format!("retention of source {}", row.source_id);
            match want.remove(&row.source_id) {
                None => p.push(
                    what,
                    "is declared in the case, but the custody log records no such declaration"
                        .into(),
                ),
                Some((id, d)) => {
                    if d["from_us"].as_i64() != row.from_us
                        || d["to_us"].as_i64() != row.to_us
                        || d["note"].as_str() != row.note.as_deref()
                    {
                        p.push(
                            what,
                            format!(
                                "is {:?}..{:?}, but custody entry {id} records {}..{}",
                                row.from_us, row.to_us, d["from_us"], d["to_us"]
                            ),
                        );
                    }
                }
            }
        }
        for (source, (id, _)) in want {
            p.push(
                format!("retention of source {source}"),
                format!("custody entry {id} declares it, but the case does not hold it"),
            );
        }
        Ok(())
    }

    fn check_report_text_against_custody(
        &self,
        details: &[(&CustodyEntry, Value)],
        problems: &mut Vec<VerifyProblem>,
    ) -> Result<()> {
        let mut want: BTreeMap<(String, String), (i64, String)> = BTreeMap::new();
        for (e, d) in details.iter().filter(|(e, _)| e.action == "report_text") {
            if let (Some(s), Some(l), Some(h)) = (
                d["section"].as_str(),
                d["lang"].as_str(),
                d["sha256"].as_str(),
            ) {
                want.insert((s.into(), l.into()), (e.id, h.into()));
            }
        }
        let stored: Vec<(String, String, String)> = self.query_vec(
            "SELECT section, lang, text FROM report_text ORDER BY section, lang",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut p = Named::new(problems, "report texts");
        for (section, lang, text) in stored {
            let what = format!("report text {section} ({lang})");
            let sha = {
                use sha2::{Digest, Sha256};
                super::custody::hex(&Sha256::digest(text.as_bytes()))
            };
            match want.remove(&(section, lang)) {
                None => p.push(
                    what,
                    "is in the case, but the custody log records no such text".into(),
                ),
                Some((id, h)) if h != sha => p.push(
                    what,
                    format!("hashes to {sha}, but custody entry {id} records {h}"),
                ),
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn check_annotations_against_custody(
        &self,
        details: &[(&CustodyEntry, Value)],
        problems: &mut Vec<VerifyProblem>,
    ) -> Result<()> {
        let mut want: BTreeMap<i64, (&CustodyEntry, &Value)> = BTreeMap::new();
        for (e, d) in details.iter().filter(|(e, _)| e.action == "annotate") {
            if let Some(id) = d["annotation_id"].as_i64() {
                want.insert(id, (e, d));
            }
        }
        let mut p = Named::new(problems, "annotations");
        for a in self.annotations().list()? {
            let what = format!("annotation {}", a.id);
            match want.remove(&a.id) {
                None => p.push(
                    what,
                    "is in the case, but the custody log records no such annotation".into(),
                ),
                Some((e, d)) => {
                    let (event_id, from_us, to_us) = match a.target {
                        super::AnnotationTarget::Event(id) => (Some(id), None, None),
                        super::AnnotationTarget::Range { from_us, to_us } => {
                            (None, Some(from_us), Some(to_us))
                        }
                    };
                    let same = d["kind"].as_str() == Some(a.kind.as_str())
                        && d["text"].as_str().unwrap_or("") == a.text
                        && d["event_id"].as_i64() == event_id
                        && d["from_us"].as_i64() == from_us
                        && d["to_us"].as_i64() == to_us
                        && e.actor == a.author;
                    if !same {
                        p.push(
                            what,
                            format!("differs from custody entry {} that recorded it", e.id),
                        );
                    }
                }
            }
        }
        for (id, (e, _)) in want {
            p.push(
                format!("annotation {id}"),
                format!(
                    "custody entry {} records it, but the case does not hold it",
                    e.id
                ),
            );
        }
        Ok(())
    }

    /// Saved views against the last custody entry of each name: saved or replaced with the
    /// digest the table's row still has, or deleted.
    fn check_saved_views_against_custody(
        &self,
        details: &[(&CustodyEntry, Value)],
        problems: &mut Vec<VerifyProblem>,
    ) -> Result<()> {
        // name -> (entry id, Some(digest) when saved, None when deleted), the last one wins.
        let mut want: BTreeMap<String, (i64, Option<String>)> = BTreeMap::new();
        for (e, d) in details.iter().filter(|(e, _)| e.action == "saved_view") {
            if let Some(name) = d["name"].as_str() {
                let sha = match d["op"].as_str() {
                    Some("delete") => None,
                    _ => Some(d["sha256"].as_str().unwrap_or("").to_string()),
                };
                want.insert(name.to_string(), (e.id, sha));
            }
        }
        let mut p = Named::new(problems, "saved views");
        for v in self.annotations().saved_view_digests()? {
            let what = format!("saved view {:?}", v.name);
            match want.remove(&v.name) {
                None => p.push(
                    what,
                    "is in the case, but the custody log records no such view".into(),
                ),
                Some((id, None)) => p.push(
                    what,
                    format!("is in the case, but custody entry {id} records its deletion"),
                ),
                Some((id, Some(h))) if h != v.sha256 => p.push(
                    what,
                    format!(
                        "was changed: it hashes to {}, but custody entry {id} records {h}",
                        v.sha256
                    ),
                ),
                Some(_) => {}
            }
        }
        for (name, (id, sha)) in want {
            if sha.is_some() {
                p.push(
                    format!("saved view {name:?}"),
                    format!("custody entry {id} records it, but the case does not hold it"),
                );
            }
        }
        Ok(())
    }
}

/// The decisions the custody log records, one per disposition row, oldest first. A group
/// disposition is one entry for many rows: it stands for one decision per key it lists, in
/// that order (that is how they were inserted); an entry whose count and list disagree is named.
fn recorded_dispositions<'a>(
    details: &'a [(&'a CustodyEntry, Value)],
    problems: &mut Vec<VerifyProblem>,
) -> Vec<(&'a CustodyEntry, Value)> {
    let mut recorded: Vec<(&CustodyEntry, Value)> = Vec::new();
    for (e, d) in details {
        match e.action.as_str() {
            "finding_disposition" => recorded.push((*e, d.clone())),
            "finding_disposition_group" => {
                let keys = d["finding_keys"].as_array().map_or(0, Vec::len) as u64;
                if d["findings"].as_u64() != Some(keys) {
                    problems.push(VerifyProblem {
                        what: format!("custody entry {}", e.id),
                        why: format!(
                            "a group disposition of {} says {} findings but lists {keys}",
                            d["group"].as_str().unwrap_or("?"),
                            d["findings"]
                        ),
                    });
                }
                for key in d["finding_keys"].as_array().into_iter().flatten() {
                    recorded.push((
                            *e,
                            serde_json::json!({"finding_key": key, "status": d["status"], "note": d["note"]}),
                        ));
                }
            }
            _ => {}
        }
    }
    recorded
}
