//! Read queries. Every filter value is a bound parameter, never spliced into SQL.

use super::facade::{Custody, People, Sources, Subjects};
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use super::{Case, Result, SCHEMA_VERSION, custody};
use crate::model::encoding::TextEncoding;
use crate::model::{Outcome, access_sql};

#[derive(Debug, Clone, Serialize)]
pub struct SourceRow {
    pub id: i64,
    pub kind: String,
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub format: String,
    pub encoding: String,
    pub encoding_how: String,
    pub zone: String,
    pub time_rule: String,
    pub mapping_json: String,
    pub line_count: i64,
    pub rows_read: i64,
    pub rows_imported: i64,
    pub rows_rejected: i64,
    pub first_ts_us: Option<i64>,
    pub last_ts_us: Option<i64>,
    pub first_event_id: Option<i64>,
    pub last_event_id: Option<i64>,
    pub imported_at_us: i64,
    pub imported_by: String,
    /// Columns of the file that no field read (from `mapping_json`'s `unread_columns`).
    pub unread_columns: Vec<String>,
    /// Notes on how rows were read (from `mapping_json`'s `notes`).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectRow {
    pub source_id: i64,
    pub file_name: String,
    pub line: i64,
    pub reason: String,
    pub raw: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    pub path: String,
    pub title: String,
    pub case_id: String,
    pub schema_version: i32,
    pub display_zone: String,
    pub events: i64,
    pub rejects: i64,
    pub persons: i64,
    pub accounts: i64,
    pub unmapped_accounts: i64,
    pub systems: i64,
    pub subjects: i64,
    pub approvals: i64,
    pub milestones: i64,
    pub custody_entries: i64,
    pub first_ts_us: Option<i64>,
    pub last_ts_us: Option<i64>,
    pub sources: Vec<SourceRow>,
}

/// An event with its names resolved.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventRow {
    pub id: i64,
    pub ts_us: i64,
    pub source_id: i64,
    pub line: i64,
    pub account: Option<String>,
    pub person_key: Option<String>,
    pub system: Option<String>,
    pub action: Option<String>,
    pub object: Option<String>,
    pub categories: u64,
    pub records: Option<i64>,
    pub outcome: Option<Outcome>,
    pub subject_count: i64,
}

/// One event with everything needed to trace it to its source line.
#[derive(Debug, Clone, Serialize)]
pub struct EventDetail {
    pub row: EventRow,
    pub raw_ts: String,
    pub ts_flags: u16,
    pub line_end: i64,
    pub src_ip: Option<String>,
    pub session_key: Option<String>,
    pub ticket: Option<String>,
    pub subjects: Vec<String>,
    pub source: SourceRow,
    /// The record's lines exactly as they are in the stored original.
    pub raw_text: String,
    /// The record's fields that map to no column (`event_extra`), keys sorted; empty when
    /// every field mapped.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// The source keeps unmapped fields only in its original (`extra_fields: "original"` in
    /// its mapping) and this event has no `event_extra` row: `extra` is empty here, and
    /// `ingest::event_detail` fills it from the record read again from `raw_text`.
    pub extra_in_original: bool,
}

const SOURCE_COLS: &str = "id, kind, file_name, sha256, size_bytes, format, encoding, encoding_how, zone,
    time_rule, mapping_json, line_count, rows_read, rows_imported, rows_rejected, first_ts_us, last_ts_us,
    imported_at_us, imported_by, first_event_id, last_event_id";

impl SourceRow {
    /// Whether the source's unmapped fields are read again from its original instead of being
    /// stored in `event_extra` (the mapping it was read with says `"extra_fields": "original"`).
    pub fn extras_in_original(&self) -> bool {
        extras_in_original(&self.mapping_json)
    }
}

/// Whether a source's `mapping_json` says `"extra_fields": "original"`.
pub(super) fn extras_in_original(mapping_json: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(mapping_json)
        .is_ok_and(|m| m["extra_fields"] == "original")
}

/// A list of strings under `key` in a source's `mapping_json` (empty when absent).
fn mapping_list(mapping_json: &str, key: &str) -> Vec<String> {
    serde_json::from_str::<serde_json::Value>(mapping_json)
        .ok()
        .and_then(|m| serde_json::from_value(m[key].clone()).ok())
        .unwrap_or_default()
}

fn source_row(r: &Row) -> rusqlite::Result<SourceRow> {
    let mapping_json: String = r.get(10)?;
    Ok(SourceRow {
        unread_columns: mapping_list(&mapping_json, "unread_columns"),
        notes: mapping_list(&mapping_json, "notes"),
        id: r.get(0)?,
        kind: r.get(1)?,
        file_name: r.get(2)?,
        sha256: r.get(3)?,
        size_bytes: r.get(4)?,
        format: r.get(5)?,
        encoding: r.get(6)?,
        encoding_how: r.get(7)?,
        zone: r.get(8)?,
        time_rule: r.get(9)?,
        mapping_json,
        line_count: r.get(11)?,
        rows_read: r.get(12)?,
        rows_imported: r.get(13)?,
        rows_rejected: r.get(14)?,
        first_ts_us: r.get(15)?,
        last_ts_us: r.get(16)?,
        imported_at_us: r.get(17)?,
        imported_by: r.get(18)?,
        first_event_id: r.get(19)?,
        last_event_id: r.get(20)?,
    })
}

pub(super) const EVENT_COLS: &str =
    "e.id, e.ts_us, e.source_id, e.line, a.name, p.person_key, s.name, e.action, e.object,
    e.categories, e.records, e.outcome, e.subject_count";
pub(super) const EVENT_JOINS: &str = "FROM event e
    LEFT JOIN account a ON a.id = e.account_id
    LEFT JOIN person p ON p.id = a.person_id
    LEFT JOIN system s ON s.id = e.system_id";

fn id_list_row(r: &Row) -> rusqlite::Result<(String, u64)> {
    Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))
}

/// Subject row ids from `event.subject_ids`.
fn parse_ids(ids: &str) -> impl Iterator<Item = i64> + '_ {
    ids.split_ascii_whitespace().filter_map(|t| t.parse().ok())
}

fn expand_links(
    ids: &str,
    cats: u64,
    countries: &std::collections::HashMap<i64, Option<String>>,
    out: &mut Vec<(i64, Option<String>, u64)>,
) {
    for id in parse_ids(ids) {
        out.push((id, countries.get(&id).cloned().flatten(), cats));
    }
}

pub(super) fn event_row(r: &Row) -> rusqlite::Result<EventRow> {
    Ok(EventRow {
        id: r.get(0)?,
        ts_us: r.get(1)?,
        source_id: r.get(2)?,
        line: r.get(3)?,
        account: r.get(4)?,
        person_key: r.get(5)?,
        system: r.get(6)?,
        action: r.get(7)?,
        object: r.get(8)?,
        categories: r.get::<_, i64>(9)? as u64,
        records: r.get(10)?,
        outcome: r.get_ref(11)?.as_str_or_null()?.map(Outcome::from_stored),
        subject_count: r.get(12)?,
    })
}

/// A person from the roster with their accounts.
#[derive(Debug, Clone, Serialize)]
pub struct PersonRow {
    pub id: i64,
    pub key: String,
    pub display_name: String,
    pub native_name: Option<String>,
    pub organization: Option<String>,
    pub country: Option<String>,
    pub role: Option<String>,
    pub zone: Option<String>,
    pub accounts: Vec<String>,
}

impl Case {
    fn count(&self, sql: &str) -> Result<i64> {
        self.conn
            .query_row(sql, [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }
}

impl Sources<'_> {
    pub fn list(&self) -> Result<Vec<SourceRow>> {
        let rows = self.query_vec(
            &format!("SELECT {SOURCE_COLS} FROM source ORDER BY id"),
            [],
            source_row,
        )?;
        Ok(rows)
    }

    pub fn source(&self, id: i64) -> Result<Option<SourceRow>> {
        self.conn
            .query_row(
                &format!("SELECT {SOURCE_COLS} FROM source WHERE id = ?1"),
                [id],
                source_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// A source already imported with this SHA-256, if any.
    pub fn source_by_sha(&self, sha256: &str) -> Result<Option<SourceRow>> {
        self.conn
            .query_row(
                &format!("SELECT {SOURCE_COLS} FROM source WHERE sha256 = ?1 LIMIT 1"),
                [sha256],
                source_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }
}

impl Case {
    pub fn summary(&self) -> Result<CaseSummary> {
        let (first, last): (Option<i64>, Option<i64>) = self
            .conn
            .query_row(
                "SELECT (SELECT min(ts_us) FROM event), (SELECT max(ts_us) FROM event)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        Ok(CaseSummary {
            path: self.path.display().to_string(),
            title: self.meta("title")?.unwrap_or_default(),
            case_id: self.meta("case_id")?.unwrap_or_default(),
            schema_version: SCHEMA_VERSION,
            display_zone: self.meta("display_zone")?.unwrap_or_else(|| "UTC".into()),
            // The sources' own counts (verify checks they match the rows), so opening a large
            // case does not scan it.
            events: self.count(
                "SELECT coalesce(sum(rows_imported), 0) FROM source WHERE kind = 'access'",
            )?,
            rejects: self.count("SELECT coalesce(sum(rows_rejected), 0) FROM source")?,
            persons: self.count("SELECT count(*) FROM person")?,
            accounts: self.count("SELECT count(*) FROM account")?,
            unmapped_accounts: self
                .count("SELECT count(*) FROM account WHERE person_id IS NULL")?,
            systems: self.count("SELECT count(*) FROM system")?,
            subjects: self.count("SELECT count(*) FROM subject")?,
            approvals: self.count("SELECT count(*) FROM approval")?,
            milestones: self.count("SELECT count(*) FROM milestone")?,
            custody_entries: self.count("SELECT count(*) FROM custody")?,
            first_ts_us: first,
            last_ts_us: last,
            sources: self.sources().list()?,
        })
    }
}

impl Sources<'_> {
    pub fn rejects(&self, source_id: Option<i64>, limit: usize) -> Result<Vec<RejectRow>> {
        let rows = self.query_vec(
            "SELECT r.source_id, s.file_name, r.line, r.reason, r.raw FROM reject r
                 JOIN source s ON s.id = r.source_id
                 WHERE ?1 IS NULL OR r.source_id = ?1 ORDER BY r.source_id, r.line LIMIT ?2",
            params![source_id, limit as i64],
            |r| {
                Ok(RejectRow {
                    source_id: r.get(0)?,
                    file_name: r.get(1)?,
                    line: r.get(2)?,
                    reason: r.get(3)?,
                    raw: r.get(4)?,
                })
            },
        )?;
        Ok(rows)
    }
}

impl People<'_> {
    pub fn persons(&self) -> Result<Vec<PersonRow>> {
        let rows = self.query_vec("SELECT p.id, p.person_key, p.display_name, p.native_name, p.organization, p.country, p.role, p.zone,
                        (SELECT group_concat(name, char(31)) FROM (SELECT name FROM account WHERE person_id = p.id ORDER BY name))
                 FROM person p ORDER BY p.organization, p.person_key", [], |r| {
                let accounts: Option<String> = r.get(8)?;
                Ok(PersonRow {
                    id: r.get(0)?,
                    key: r.get(1)?,
                    display_name: r.get(2)?,
                    native_name: r.get(3)?,
                    organization: r.get(4)?,
                    country: r.get(5)?,
                    role: r.get(6)?,
                    zone: r.get(7)?,
                    accounts: accounts
                        .map(|a| a.split('\u{1f}').map(str::to_string).collect())
                        .unwrap_or_default(),
                })
            })?;
        Ok(rows)
    }

    /// Events of one person (by roster person_id), oldest first.
    pub fn person_events(&self, person_key: &str) -> Result<Vec<EventRow>> {
        // Through the person's accounts and the (account_id, ts_us) index: a plain
        // `WHERE p.person_key = ?` over the LEFT JOINs makes SQLite scan every event.
        let sql = format!(
            "SELECT {EVENT_COLS} FROM account pa CROSS JOIN event e ON e.account_id = pa.id
             LEFT JOIN account a ON a.id = e.account_id
             LEFT JOIN person p ON p.id = a.person_id
             LEFT JOIN system s ON s.id = e.system_id
             WHERE pa.person_id = (SELECT id FROM person WHERE person_key = ?1)
             ORDER BY e.ts_us, e.id"
        );
        let rows = self.query_vec(&sql, [person_key], event_row)?;
        Ok(rows)
    }
}

impl Sources<'_> {
    /// Events of a source, in file order (for checks and exports of one file).
    pub fn source_events(&self, source_id: i64, limit: usize) -> Result<Vec<EventRow>> {
        let sql = format!(
            "SELECT {EVENT_COLS} {EVENT_JOINS}
             WHERE e.id BETWEEN (SELECT first_event_id FROM source WHERE id = ?1)
                            AND (SELECT last_event_id FROM source WHERE id = ?1)
               AND e.source_id = ?1
             ORDER BY e.id LIMIT ?2"
        );
        let rows = self.query_vec(&sql, params![source_id, limit as i64], event_row)?;
        Ok(rows)
    }
}

impl Subjects<'_> {
    /// (subject id, subject country, event categories) for every subject link of the access
    /// events (outcome neither denied nor failed) of the given persons, or of unattributed
    /// account names when `accounts` is set. One row per (event, subject).
    pub fn subject_links(
        &self,
        person_keys: &[&str],
        accounts: &[&str],
    ) -> Result<Vec<(i64, Option<String>, u64)>> {
        let sql = format!(
            "SELECT e.subject_ids, e.categories FROM event e
             JOIN account a ON a.id = e.account_id LEFT JOIN person p ON p.id = a.person_id
             WHERE (p.person_key = ?1 OR (?2 IS NOT NULL AND a.name = ?2))
               AND e.subject_ids IS NOT NULL
               AND {}",
            access_sql("e.outcome")
        );
        let countries = self.subject_countries()?;
        let keys = person_keys.iter().map(|k| (Some(*k), None));
        let names = accounts.iter().map(|a| (None, Some(*a)));
        let mut out = Vec::new();
        for (key, name) in keys.chain(names) {
            for (ids, cats) in self.query_vec(&sql, params![key, name], id_list_row)? {
                expand_links(&ids, cats, &countries, &mut out);
            }
        }
        Ok(out)
    }

    /// Every subject link of access events in the case, as in [`Subjects::subject_links`].
    pub fn all_subject_links(&self) -> Result<Vec<(i64, Option<String>, u64)>> {
        let countries = self.subject_countries()?;
        let mut out = Vec::new();
        let rows = self.query_vec(
            &format!(
                "SELECT subject_ids, categories FROM event
                 WHERE subject_ids IS NOT NULL AND {}",
                access_sql("outcome")
            ),
            [],
            id_list_row,
        )?;
        for (ids, cats) in rows {
            expand_links(&ids, cats, &countries, &mut out);
        }
        Ok(out)
    }
}

impl Case {
    fn subject_countries(&self) -> Result<std::collections::HashMap<i64, Option<String>>> {
        Ok(self
            .query_vec("SELECT id, country FROM subject", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .into_iter()
            .collect())
    }
}

impl People<'_> {
    /// Events of one log account (for accounts no roster maps), oldest first.
    pub fn account_events(&self, account: &str) -> Result<Vec<EventRow>> {
        let sql =
            format!("SELECT {EVENT_COLS} {EVENT_JOINS} WHERE a.name = ?1 ORDER BY e.ts_us, e.id");
        let rows = self.query_vec(&sql, [account], event_row)?;
        Ok(rows)
    }

    /// Names of accounts that no roster maps to a person.
    pub fn unmapped_accounts(&self) -> Result<Vec<String>> {
        let rows = self.query_vec::<String>(
            "SELECT name FROM account WHERE person_id IS NULL ORDER BY name",
            [],
            |r| r.get(0),
        )?;
        Ok(rows)
    }
}

impl Sources<'_> {
    pub fn event_detail(&self, id: i64) -> Result<Option<EventDetail>> {
        let sql = format!(
            "SELECT {EVENT_COLS}, e.raw_ts, e.ts_flags, e.line + e.line_span, e.src_ip, e.session_key, e.ticket
             {EVENT_JOINS} WHERE e.id = ?1"
        );
        let found = self
            .conn
            .query_row(&sql, [id], |r| {
                Ok((
                    event_row(r)?,
                    r.get::<_, String>(13)?,
                    r.get::<_, u16>(14)?,
                    r.get::<_, i64>(15)?,
                    r.get::<_, Option<String>>(16)?,
                    r.get::<_, Option<String>>(17)?,
                    r.get::<_, Option<String>>(18)?,
                ))
            })
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((row, raw_ts, ts_flags, line_end, src_ip, session_key, ticket)) = found else {
            return Ok(None);
        };
        let ids: Option<String> = self
            .conn
            .query_row("SELECT subject_ids FROM event WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))?;
        let mut subjects = Vec::new();
        for sid in ids.as_deref().map(parse_ids).into_iter().flatten() {
            subjects.extend(self.query_vec::<String>(
                "SELECT key FROM subject WHERE id = ?1",
                [sid],
                |r| r.get(0),
            )?);
        }
        subjects.sort();
        let source = self.source(row.source_id)?.ok_or_else(|| {
            super::CaseError::Invalid(format!("event {id} names missing source {}", row.source_id))
        })?;
        let raw_text = self.raw_lines(&source, row.line, line_end)?;
        let extra_text: Option<String> = self
            .conn
            .query_row(
                "SELECT fields FROM event_extra WHERE event_id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let extra_in_original = extra_text.is_none() && source.extras_in_original();
        let extra = match extra_text {
            Some(t) => match serde_json::from_str(&t) {
                Ok(serde_json::Value::Object(m)) => m,
                _ => {
                    return Err(super::CaseError::Invalid(format!(
                        "event {id}: event_extra.fields is not a JSON object"
                    )));
                }
            },
            None => serde_json::Map::new(),
        };
        Ok(Some(EventDetail {
            row,
            raw_ts,
            ts_flags,
            line_end,
            src_ip,
            session_key,
            ticket,
            subjects,
            source,
            raw_text,
            extra,
            extra_in_original,
        }))
    }

    /// Lines `first..=last` (1-based) of a source's stored original, decoded for display.
    pub fn raw_lines(&self, source: &SourceRow, first: i64, last: i64) -> Result<String> {
        let enc = TextEncoding::parse(&source.encoding).unwrap_or(TextEncoding::Utf8);
        let mut st = self
            .conn
            .prepare(
                "SELECT first_line, byte_start, data FROM source_chunk
                 WHERE source_id = ?1 AND seq >= coalesce((SELECT max(seq) FROM source_chunk WHERE source_id = ?1 AND first_line <= ?2), 0)
                 ORDER BY seq",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = st
            .query(params![source.id, first])
            .map_err(|e| self.err(e))?;
        let mut out: Vec<u8> = Vec::new();
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let first_line: i64 = r.get(0).map_err(|e| self.err(e))?;
            let byte_start: i64 = r.get(1).map_err(|e| self.err(e))?;
            let data: Vec<u8> = r.get(2).map_err(|e| self.err(e))?;
            let raw = zstd::decode_all(&data[..]).map_err(|e| {
                super::CaseError::Invalid(format!(
                    "stored original of {} is damaged: {e}",
                    source.file_name
                ))
            })?;
            let mut line = first_line;
            let bom = if byte_start == 0 { enc.bom_in(&raw) } else { 0 };
            let mut pos = bom;
            while pos < raw.len() && line <= last {
                let end = crate::model::encoding::find_line_end(enc, &raw, pos)
                    .map_or(raw.len(), |(at, len)| at + len);
                if line >= first {
                    out.extend_from_slice(&raw[pos..end]);
                }
                pos = end;
                line += 1;
            }
            if line > last {
                break;
            }
        }
        let text = enc.decode_lossy(&out);
        Ok(text.trim_end_matches(['\n', '\r']).to_string())
    }
}

impl Custody<'_> {
    pub fn custody_entries(&self) -> Result<Vec<custody::CustodyEntry>> {
        custody::entries(&self.conn).map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod access_sql_tests {
    use crate::model::{Outcome, access_sql, is_access};

    /// The SQL predicate the queries use and the Rust one agree on every outcome.
    #[test]
    fn access_sql_agrees_with_is_access() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let sql = format!(
            "SELECT {} FROM (SELECT ?1 AS outcome)",
            access_sql("outcome")
        );
        let mut outcomes: Vec<Option<String>> = vec![None, Some(String::new())];
        outcomes.extend(
            [Outcome::Success, Outcome::Denied, Outcome::Failed]
                .iter()
                .map(|o| Some(o.as_str().to_string())),
        );
        // Source words that are no closed outcome, and near misses of the refused ones.
        for w in ["partial", "Denied", "FAILED", "denied ", "ok", "200"] {
            outcomes.push(Some(w.to_string()));
        }
        for o in &outcomes {
            let in_sql: bool = conn.query_row(&sql, [o], |r| r.get(0)).unwrap();
            assert_eq!(in_sql, is_access(o.as_deref()), "outcome {o:?}");
        }
    }
}
