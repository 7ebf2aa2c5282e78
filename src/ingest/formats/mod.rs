//! Real-world log formats: each reads physical lines into records mapped to the event model,
//! keeping the lines every record spans. `detect` sniffs the head of a file and scores them.

pub(super) mod auditd;
pub(super) mod cloudtrail;
pub(super) mod json_audit;
pub(super) mod l2tcsv;
pub(super) mod mysql_general;
pub mod parquet;
pub(super) mod postgres;
pub(super) mod syslog;

use std::io::{BufReader, Read};
use std::path::Path;

use serde_json::Value;

use super::{
    Batch, Field, Format, IngestError, ParseStats, Plan, RawRow, Reject, RowContext, clip,
};
use crate::model::Vocabulary;

/// One record read from the file, before conversion to an event.
#[derive(Debug, Default, Clone)]
pub(crate) struct Rec {
    pub line: u64,
    pub line_end: u64,
    pub fields: [Option<String>; 12],
    /// The timestamp as written, when the time field holds a completed form of it.
    pub raw_ts: Option<String>,
    /// `TsFlags` bits to add.
    pub flags: u16,
    pub raw: String,
    /// Unmapped fields as a JSON object, when the reader builds it itself (CloudTrail).
    pub extra: Option<String>,
    /// Otherwise: the record's (key, value) pairs; those whose value no event column holds
    /// become the event's extra fields (see `extra::from_pairs`).
    pub pairs: Vec<(String, String)>,
}

impl Rec {
    pub fn new(line: u64, raw: &str) -> Rec {
        Rec {
            line,
            line_end: line,
            raw: raw.to_string(),
            ..Rec::default()
        }
    }
    pub fn set(&mut self, f: Field, v: impl Into<String>) {
        let v: String = v.into();
        if !v.trim().is_empty() {
            self.fields[f as usize] = Some(v);
        }
    }
    pub fn set_opt(&mut self, f: Field, v: Option<impl Into<String>>) {
        if let Some(v) = v {
            self.set(f, v);
        }
    }
    pub fn has(&self, f: Field) -> bool {
        self.fields[f as usize].is_some()
    }
}

/// What a format makes of its input.
#[allow(clippy::large_enum_variant)] // short-lived, moved once
pub(crate) enum Item {
    Rec(Rec),
    Reject(Reject),
}

/// A fixed-column record's cells as (column, value) pairs from column `skip` on; cells past the
/// known columns (a newer writer's additions) are kept as `_cell_N`, N counting from 1, never
/// dropped.
pub(crate) fn column_pairs(
    names: &[&str],
    rec: &csv::StringRecord,
    skip: usize,
) -> Vec<(String, String)> {
    rec.iter()
        .enumerate()
        .skip(skip)
        .map(|(i, v)| {
            let k = names
                .get(i)
                .map_or_else(|| format!("_cell_{}", i + 1), |n| (*n).to_string());
            (k, v.to_string())
        })
        .collect()
}

pub(crate) fn reject(line: u64, reason: impl Into<String>, raw: &str) -> Item {
    Item::Reject(Reject {
        line,
        reason: reason.into(),
        raw: clip(raw),
    })
}

/// A format reads the file one physical line at a time (without its line break).
pub(crate) trait LineFormat {
    fn line(&mut self, no: u64, text: &str, out: &mut Vec<Item>);
    fn finish(&mut self, out: &mut Vec<Item>);
}

/// The unmapped fields of the record held by `lines` (a stored event's lines), read again,
/// for a format that [`Format::reads_extras_again`]; `None` for the others.
pub(crate) fn extra_of(format: Format, lines: &str) -> Option<Result<Option<String>, String>> {
    match format {
        Format::CloudTrail => Some(cloudtrail::extra_of(lines)),
        _ => None,
    }
}

/// The reader for a structured format, or `None` for the generic CSV / JSON Lines readers.
pub(super) fn reader_for(plan: &Plan) -> Option<Box<dyn LineFormat>> {
    Some(match plan.format {
        Format::CloudTrail => Box::new(cloudtrail::CloudTrail::new(plan.extras_in_original)),
        Format::Syslog => Box::new(syslog::Syslog::new(plan)),
        Format::Auditd => Box::new(auditd::Auditd),
        Format::PgCsv => Box::new(postgres::CsvLog::default()),
        Format::PgStderr => Box::new(postgres::Stderr::new(plan)),
        Format::MysqlGeneral => Box::new(mysql_general::General::default()),
        Format::MysqlAudit => Box::new(json_audit::JsonLines(json_audit::mysql_audit)),
        Format::Teleport => Box::new(json_audit::JsonLines(json_audit::teleport)),
        Format::GcpAudit => Box::new(json_audit::JsonLines(json_audit::gcp)),
        Format::M365 => Box::new(json_audit::JsonLines(json_audit::m365)),
        Format::AzureActivity => Box::new(json_audit::JsonLines(json_audit::azure)),
        Format::Workspace => Box::new(json_audit::JsonLines(json_audit::workspace)),
        Format::WindowsJson => Box::new(json_audit::JsonLines(json_audit::windows)),
        Format::L2tCsv => Box::new(l2tcsv::L2t::new(plan.tz())),
        Format::Csv
        | Format::Jsonl
        | Format::TimesketchCsv
        | Format::TimesketchJsonl
        | Format::Parquet => {
            return None;
        }
    })
}

/// Where each model field comes from, per format (shown in the preview and the README).
pub fn source_fields(format: Format) -> &'static [(Field, &'static str)] {
    match format {
        Format::CloudTrail => source_tables::CLOUD_TRAIL_FIELDS,
        Format::Syslog => source_tables::SYSLOG_FIELDS,
        Format::Auditd => source_tables::AUDITD_FIELDS,
        Format::PgCsv | Format::PgStderr => source_tables::POSTGRES_FIELDS,
        Format::MysqlGeneral => source_tables::MYSQL_GENERAL_FIELDS,
        Format::MysqlAudit => source_tables::MYSQL_AUDIT_FIELDS,
        Format::Teleport => source_tables::TELEPORT_FIELDS,
        Format::GcpAudit => source_tables::GCP_AUDIT_FIELDS,
        Format::M365 => source_tables::M365_FIELDS,
        Format::AzureActivity => source_tables::AZURE_ACTIVITY_FIELDS,
        Format::Workspace => source_tables::WORKSPACE_FIELDS,
        Format::WindowsJson => source_tables::WINDOWS_JSON_FIELDS,
        Format::L2tCsv => source_tables::L2T_CSV_FIELDS,
        Format::TimesketchCsv | Format::TimesketchJsonl => source_tables::TIMESKETCH_FIELDS,
        Format::Csv | Format::Jsonl | Format::Parquet => &[],
    }
}

/// The per-format tables of [`source_fields`], as data.
mod source_tables {
    use super::Field::{self, *};

    pub(super) const CLOUD_TRAIL_FIELDS: &[(Field, &str)] = &[
        (Time, "eventTime"),
        (Account, "userIdentity.arn | userName | principalId"),
        (SrcIp, "sourceIPAddress"),
        (System, "eventSource"),
        (Action, "eventName"),
        (Object, "resources[].ARN | requestParameters"),
        (Outcome, "errorCode | responseElements.ConsoleLogin"),
        (Session, "userIdentity.accessKeyId"),
    ];
    pub(super) const SYSLOG_FIELDS: &[(Field, &str)] = &[
        (Time, "timestamp (+ reference year)"),
        (Account, "sshd/pam user"),
        (SrcIp, "from ADDR"),
        (System, "host"),
        (Action, "program + message kind"),
        (Object, "message"),
        (Outcome, "Accepted / Failed / Invalid"),
        (Session, "host:program[pid]"),
    ];
    pub(super) const AUDITD_FIELDS: &[(Field, &str)] = &[
        (Time, "msg=audit(EPOCH:SERIAL)"),
        (Account, "acct | AUID | UID"),
        (SrcIp, "addr"),
        (System, "hostname | node"),
        (Action, "type (op)"),
        (Object, "cmd | exe"),
        (Outcome, "res"),
        (Session, "ses"),
    ];
    pub(super) const POSTGRES_FIELDS: &[(Field, &str)] = &[
        (Time, "log_time / %m %t"),
        (Account, "user_name / %u"),
        (SrcIp, "connection_from / %h %r"),
        (System, "database_name / %d"),
        (Action, "AUDIT command | statement kind | severity"),
        (Object, "AUDIT object | statement"),
        (Categories, "AUDIT class"),
        (Outcome, "severity (ERROR/FATAL = failed)"),
        (Session, "session_id / %c | %p"),
    ];
    pub(super) const MYSQL_GENERAL_FIELDS: &[(Field, &str)] = &[
        (Time, "YYMMDD H:MM:SS | ISO (carried forward)"),
        (Account, "Connect user (by thread id)"),
        (SrcIp, "Connect host"),
        (System, "database (Connect / Init DB)"),
        (Action, "command"),
        (Object, "argument (query text)"),
        (Session, "thread id"),
    ];
    pub(super) const MYSQL_AUDIT_FIELDS: &[(Field, &str)] = &[
        (Time, "timestamp"),
        (Account, "user | priv_user"),
        (SrcIp, "ip | host"),
        (System, "db"),
        (Action, "name (command_class)"),
        (Object, "sqltext"),
        (Outcome, "status (0 = success)"),
        (Session, "connection_id"),
    ];
    pub(super) const TELEPORT_FIELDS: &[(Field, &str)] = &[
        (Time, "time"),
        (Account, "user"),
        (SrcIp, "addr.remote"),
        (
            System,
            "server_hostname | db_service | app_name | cluster_name",
        ),
        (Action, "event"),
        (Object, "query | db_name | path | command"),
        (Outcome, "success | code suffix"),
        (Session, "sid"),
    ];
    pub(super) const GCP_AUDIT_FIELDS: &[(Field, &str)] = &[
        (Time, "timestamp"),
        (Account, "protoPayload.authenticationInfo.principalEmail"),
        (SrcIp, "protoPayload.requestMetadata.callerIp"),
        (System, "protoPayload.serviceName"),
        (Action, "protoPayload.methodName"),
        (Object, "protoPayload.resourceName"),
        (Outcome, "protoPayload.status.code"),
        (Session, "operation.id"),
    ];
    pub(super) const M365_FIELDS: &[(Field, &str)] = &[
        (Time, "CreationTime (UTC)"),
        (Account, "UserId"),
        (SrcIp, "ClientIP"),
        (System, "Workload"),
        (Action, "Operation"),
        (Object, "ObjectId"),
        (Outcome, "ResultStatus"),
        (Session, "SessionId"),
    ];
    pub(super) const AZURE_ACTIVITY_FIELDS: &[(Field, &str)] = &[
        (Time, "time | eventTimestamp"),
        (Account, "caller | identity.claims"),
        (SrcIp, "callerIpAddress | httpRequest.clientIpAddress"),
        (System, "resourceProviderName | category"),
        (Action, "operationName"),
        (Object, "resourceId"),
        (Outcome, "resultType | status"),
        (Session, "correlationId"),
    ];
    pub(super) const WORKSPACE_FIELDS: &[(Field, &str)] = &[
        (Time, "id.time"),
        (Account, "actor.email"),
        (SrcIp, "ipAddress"),
        (System, "id.applicationName"),
        (Action, "events[].name"),
        (
            Object,
            "events[].parameters doc_title | doc_id | USER_EMAIL",
        ),
        (Outcome, "login_success / *failure"),
        (Session, "id.uniqueQualifier"),
    ];
    pub(super) const WINDOWS_JSON_FIELDS: &[(Field, &str)] = &[
        (
            Time,
            "System.TimeCreated.SystemTime | @timestamp | TimeCreated",
        ),
        (
            Account,
            "TargetDomainName\\TargetUserName | SubjectUserName",
        ),
        (SrcIp, "IpAddress"),
        (System, "Computer"),
        (Action, "EventID + meaning (4624 logon, ...)"),
        (Object, "ObjectName | NewProcessName | LogonType"),
        (Outcome, "4625 / audit failure = failed"),
        (Session, "TargetLogonId | SubjectLogonId"),
    ];
    pub(super) const L2T_CSV_FIELDS: &[(Field, &str)] = &[
        (Time, "date + time + timezone"),
        (Account, "user"),
        (System, "host"),
        (Action, "type | sourcetype"),
        (Object, "desc"),
    ];
    pub(super) const TIMESKETCH_FIELDS: &[(Field, &str)] = &[
        (Time, "datetime | timestamp"),
        (Account, "username | user_sid"),
        (System, "hostname | computer_name"),
        (Action, "timestamp_desc"),
        (Object, "message"),
    ];
}

/// Reads every line of the file through `fmt`, converting records to events.
#[allow(clippy::too_many_arguments)]
pub(super) fn parse<R: Read>(
    reader: R,
    path: &Path,
    mut fmt: Box<dyn LineFormat>,
    ctx: &RowContext,
    vocab: &mut Vocabulary,
    sink: &mut dyn FnMut(Batch) -> bool,
    progress: &mut dyn FnMut(u64),
) -> Result<ParseStats, IngestError> {
    let mut rdr = BufReader::with_capacity(256 * 1024, reader);
    let mut stats = ParseStats::default();
    let mut batch = Batch::default();
    let mut buf = Vec::with_capacity(4096);
    let mut items = Vec::new();
    let mut line: u64 = 0;
    let mut done = false;
    while !done {
        buf.clear();
        let n = super::lines::read_line(&mut rdr, &mut buf)
            .map_err(|e| IngestError::file(path, format!("line {}: {e}", line + 1)))?;
        if n == 0 {
            fmt.finish(&mut items);
            done = true;
        } else {
            line += 1;
            stats.bytes_read += n as u64;
            match std::str::from_utf8(&buf) {
                Ok(t) => fmt.line(line, t, &mut items),
                // Not read with U+FFFD in place of what the file holds: the line is a reject.
                Err(e) => items.push(reject(
                    line,
                    format!(
                        "invalid text at byte {}: not UTF-8 (or not the file's encoding)",
                        e.valid_up_to()
                    ),
                    &String::from_utf8_lossy(&buf),
                )),
            }
        }
        for item in items.drain(..) {
            stats.rows_read += 1;
            match item {
                Item::Reject(r) => batch.rejects.push(r),
                Item::Rec(rec) => {
                    let mut row = RawRow::default();
                    for (slot, v) in row.values.iter_mut().zip(&rec.fields) {
                        *slot = v.as_deref();
                    }
                    match ctx.to_event(&row, rec.line, rec.line_end, vocab) {
                        Ok(mut ev) => {
                            ev.extra = match rec.extra {
                                Some(x) => Some(x),
                                None if rec.pairs.is_empty() => None,
                                None => super::extra::from_pairs(
                                    &rec.pairs,
                                    &[
                                        rec.raw_ts.as_deref(),
                                        row.values[Field::Time as usize],
                                        ev.account.as_deref(),
                                        ev.src_ip.as_deref(),
                                        ev.system.as_deref(),
                                        ev.action.as_deref(),
                                        ev.object.as_deref(),
                                        ev.session.as_deref(),
                                        ev.ticket.as_deref(),
                                        ev.outcome.as_ref().map(|o| o.as_str()),
                                    ],
                                ),
                            };
                            if let Some(r) = rec.raw_ts {
                                ev.raw_ts = r.into();
                            }
                            ev.ts_flags |= rec.flags;
                            batch.events.push(ev);
                        }
                        Err(reason) => batch.rejects.push(Reject {
                            line: rec.line,
                            reason,
                            raw: clip(&rec.raw),
                        }),
                    }
                }
            }
        }
        if batch.is_full() && !batch.hand_on(stats.bytes_read, progress, sink) {
            return Ok(stats);
        }
    }
    batch.hand_on_rest(stats.bytes_read, progress, sink);
    Ok(stats)
}

/// A JSON value by dotted path (`a.b.c`), also trying the whole path as one key.
pub(crate) fn jget<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(x) = v.get(path) {
        return Some(x);
    }
    let mut cur = v;
    for part in path.split('.') {
        cur = cur.get(part)?;
    }
    Some(cur)
}

/// Scalar text at a dotted path; empty strings and nulls are `None`.
pub(crate) fn jstr(v: &Value, path: &str) -> Option<String> {
    match jget(v, path)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(_) | Value::Array(_) => Some(jget(v, path)?.to_string()),
        _ => None,
    }
}

/// `1.2.3.4:5678` -> `1.2.3.4`; `[::1]:22` -> `::1`; bare IPv6 kept.
pub(crate) fn strip_port(addr: &str) -> String {
    let a = addr.trim();
    if let Some(rest) = a.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest).to_string();
    }
    if a.matches(':').count() == 1 {
        return a.split(':').next().unwrap_or(a).to_string();
    }
    a.to_string()
}

/// A detection result: a format and how well the head of the file fits it (0..=1).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    pub format: Format,
    pub confidence: f32,
}

/// Scores every structured format on the head of a file, best first.
pub fn detect(head: &str) -> Vec<Candidate> {
    let lines: Vec<&str> = head
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .collect();
    // The last line of a 64 KiB head may be cut off.
    let lines: &[&str] = if lines.len() > 1 && !head.ends_with('\n') {
        &lines[..lines.len() - 1]
    } else {
        &lines
    };
    let objects: Vec<Option<Value>> = lines
        .iter()
        .take(20)
        .map(|l| {
            serde_json::from_str::<Value>(l)
                .ok()
                .filter(Value::is_object)
        })
        .collect();
    let mut out = vec![
        Candidate {
            format: Format::CloudTrail,
            confidence: cloudtrail::sniff(head, &objects),
        },
        Candidate {
            format: Format::Syslog,
            confidence: fraction(lines, syslog::looks_like),
        },
        Candidate {
            format: Format::Auditd,
            confidence: fraction(lines, auditd::looks_like),
        },
        Candidate {
            format: Format::PgCsv,
            confidence: fraction(lines, postgres::looks_like_csvlog),
        },
        Candidate {
            format: Format::PgStderr,
            confidence: postgres::sniff_stderr(lines),
        },
        Candidate {
            format: Format::MysqlGeneral,
            confidence: mysql_general::sniff(lines),
        },
        Candidate {
            format: Format::L2tCsv,
            confidence: l2tcsv::sniff(lines),
        },
    ];
    for (format, keys) in json_audit::SIGNATURES {
        out.push(Candidate {
            format: *format,
            confidence: json_fraction(&objects, keys),
        });
    }
    let first = lines.first().copied().unwrap_or("");
    let ts_keys = ["datetime", "timestamp_desc", "message"];
    let ts_header = ts_keys.iter().all(|k| {
        first
            .split([',', '\t'])
            .any(|h| h.trim().trim_matches('"') == *k)
    });
    out.push(Candidate {
        format: Format::TimesketchCsv,
        confidence: if ts_header && !first.starts_with('{') {
            0.9
        } else {
            0.0
        },
    });
    out.push(Candidate {
        format: Format::TimesketchJsonl,
        confidence: json_fraction(&objects, &[&["message", "timestamp_desc"]]).max(json_fraction(
            &objects,
            &[&["__container_type__", "timestamp"]],
        )),
    });
    out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    out
}

fn fraction(lines: &[&str], f: impl Fn(&str) -> bool) -> f32 {
    if lines.is_empty() {
        return 0.0;
    }
    lines.iter().filter(|l| f(l)).count() as f32 / lines.len() as f32
}

/// Share of the first objects that have all keys of one of the key sets.
fn json_fraction(objects: &[Option<Value>], sets: &[&[&str]]) -> f32 {
    if objects.is_empty() {
        return 0.0;
    }
    let hits = objects
        .iter()
        .filter(|o| {
            o.as_ref().is_some_and(|o| {
                sets.iter()
                    .any(|keys| keys.iter().all(|k| jget(o, k).is_some()))
            })
        })
        .count();
    hits as f32 / objects.len() as f32
}

#[cfg(test)]
mod column_tests {
    use super::column_pairs;

    #[test]
    fn cells_past_the_known_columns_are_kept_by_position() {
        let rec = csv::StringRecord::from(vec!["t", "alice", "db", "new-in-v18", ""]);
        let pairs = column_pairs(&["time", "user", "database"], &rec, 1);
        assert_eq!(
            pairs,
            vec![
                ("user".to_string(), "alice".to_string()),
                ("database".to_string(), "db".to_string()),
                ("_cell_4".to_string(), "new-in-v18".to_string()),
                ("_cell_5".to_string(), String::new()),
            ]
        );
    }
}
