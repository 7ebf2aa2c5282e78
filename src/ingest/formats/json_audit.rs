//! JSON Lines audit formats that differ only in their keys: the Percona / MySQL Enterprise
//! audit log (JSON), Teleport audit events, Google Cloud audit logs and Microsoft 365
//! Management Activity records. Unknown keys are kept in the stored original record.

use serde_json::Value;

use super::{Item, LineFormat, Rec, jstr, reject, strip_port};
use crate::ingest::{Field, Format};

/// Keys that identify each format (any one key set, all keys of it).
pub(super) const SIGNATURES: &[(Format, &[&[&str]])] = &[
    (
        Format::MysqlAudit,
        &[
            &["audit_record.name", "audit_record.timestamp"],
            &["class", "event", "connection_id", "timestamp"],
        ],
    ),
    (
        Format::Teleport,
        &[&["event", "time", "code", "uid"], &["event", "time", "ei"]],
    ),
    (
        Format::GcpAudit,
        &[
            &["protoPayload.methodName", "timestamp"],
            &["protoPayload.serviceName", "logName"],
        ],
    ),
    (
        Format::AzureActivity,
        &[
            &["resourceId", "operationName", "time"],
            &["resourceId", "operationName", "eventTimestamp"],
        ],
    ),
    (
        Format::Workspace,
        &[&["id.time", "id.applicationName", "actor"]],
    ),
    (
        Format::WindowsJson,
        &[
            &["Event.System.EventID"],
            &["winlog.event_id"],
            &["EventID", "TimeCreated"],
        ],
    ),
    (
        Format::M365,
        &[
            &["CreationTime", "Operation", "Workload"],
            &["CreationTime", "RecordType", "UserId"],
        ],
    ),
];

pub(crate) struct JsonLines(pub fn(&Value, &mut Rec));

impl LineFormat for JsonLines {
    fn line(&mut self, no: u64, text: &str, out: &mut Vec<Item>) {
        let t = text.trim();
        if t.is_empty() {
            return;
        }
        // A repeated key keeps every value (json_dup), and the record says which repeated.
        match crate::ingest::json_dup::parse(t) {
            Ok((mut v @ Value::Object(_), dups)) => {
                crate::ingest::json_dup::flag(&mut v, &dups);
                let mut r = Rec::new(no, text);
                (self.0)(&v, &mut r);
                // Every key; those whose value went into a column are dropped after mapping.
                crate::ingest::extra::pairs_of(&v, &mut r.pairs);
                out.push(Item::Rec(r));
            }
            Ok(_) => out.push(reject(no, "not a JSON object", text)),
            Err(e) => out.push(reject(no, format!("invalid JSON: {e}"), text)),
        }
    }
    fn finish(&mut self, _out: &mut Vec<Item>) {}
}

pub(crate) fn mysql_audit(v: &Value, r: &mut Rec) {
    let a = v.get("audit_record").unwrap_or(v);
    let ts = jstr(a, "timestamp");
    // MySQL Enterprise writes `2019-10-03 13:33:38` (UTC, documented).
    let naive = ts
        .as_deref()
        .is_some_and(|t| t.len() == 19 && t.as_bytes()[10] == b' ');
    if naive {
        r.raw_ts = ts.clone();
        r.set_opt(Field::Time, ts.map(|t| format!("{t}Z")));
    } else {
        r.set_opt(Field::Time, ts);
    }
    r.set_opt(
        Field::Account,
        jstr(a, "user")
            .or_else(|| jstr(a, "priv_user"))
            .or_else(|| jstr(a, "login.user"))
            .map(|u| u.split('[').next().unwrap_or(&u).trim().to_string()),
    );
    r.set_opt(
        Field::SrcIp,
        jstr(a, "ip")
            .or_else(|| jstr(a, "login.ip"))
            .or_else(|| jstr(a, "host")),
    );
    r.set_opt(Field::System, jstr(a, "db"));
    let name = jstr(a, "name").or_else(|| jstr(a, "event"));
    r.set_opt(
        Field::Action,
        match (name, jstr(a, "command_class").or_else(|| jstr(a, "class"))) {
            (Some(n), Some(c)) => Some(format!("{n} ({c})")),
            (n, c) => n.or(c),
        },
    );
    r.set_opt(
        Field::Object,
        jstr(a, "sqltext").or_else(|| jstr(a, "general_data.query")),
    );
    r.set_opt(
        Field::Outcome,
        jstr(a, "status").map(|s| {
            if s == "0" {
                "success".to_string()
            } else {
                format!("error {s}")
            }
        }),
    );
    if let Some(code) = jstr(a, "status").filter(|s| s != "0") {
        r.set(
            Field::Outcome,
            if code == "1045" { "denied" } else { "failed" },
        );
    }
    r.set_opt(Field::Session, jstr(a, "connection_id"));
}

pub(crate) fn teleport(v: &Value, r: &mut Rec) {
    r.set_opt(Field::Time, jstr(v, "time"));
    r.set_opt(Field::Account, jstr(v, "user"));
    r.set_opt(
        Field::SrcIp,
        jstr(v, "addr.remote")
            .or_else(|| jstr(v, "remote_addr"))
            .map(|a| strip_port(&a)),
    );
    r.set_opt(
        Field::System,
        jstr(v, "server_hostname")
            .or_else(|| jstr(v, "db_service"))
            .or_else(|| jstr(v, "app_name"))
            .or_else(|| jstr(v, "cluster_name")),
    );
    r.set_opt(Field::Action, jstr(v, "event"));
    r.set_opt(
        Field::Object,
        jstr(v, "db_query")
            .or_else(|| jstr(v, "query"))
            .or_else(|| jstr(v, "args.sql"))
            .or_else(|| jstr(v, "path"))
            .or_else(|| jstr(v, "command"))
            .or_else(|| jstr(v, "db_name"))
            .or_else(|| jstr(v, "name")),
    );
    let outcome = match jget_bool(v, "success") {
        Some(true) => Some("success"),
        Some(false) => Some("failed"),
        None => jstr(v, "code").and_then(|c| match c.chars().last() {
            Some('I') => Some("success"),
            Some('W' | 'E') => Some("failed"),
            _ => None,
        }),
    };
    r.set_opt(Field::Outcome, outcome);
    r.set_opt(Field::Session, jstr(v, "sid"));
}

fn jget_bool(v: &Value, k: &str) -> Option<bool> {
    v.get(k).and_then(Value::as_bool)
}

pub(crate) fn gcp(v: &Value, r: &mut Rec) {
    r.set_opt(
        Field::Time,
        jstr(v, "timestamp").or_else(|| jstr(v, "receiveTimestamp")),
    );
    r.set_opt(
        Field::Account,
        jstr(v, "protoPayload.authenticationInfo.principalEmail")
            .or_else(|| jstr(v, "protoPayload.authenticationInfo.principalSubject")),
    );
    r.set_opt(
        Field::SrcIp,
        jstr(v, "protoPayload.requestMetadata.callerIp"),
    );
    r.set_opt(Field::System, jstr(v, "protoPayload.serviceName"));
    r.set_opt(Field::Action, jstr(v, "protoPayload.methodName"));
    r.set_opt(Field::Object, jstr(v, "protoPayload.resourceName"));
    let code = v
        .get("protoPayload")
        .and_then(|p| p.get("status"))
        .and_then(|s| s.get("code"))
        .and_then(Value::as_i64);
    r.set(
        Field::Outcome,
        match code {
            None | Some(0) => "success",
            Some(7 | 16) => "denied",
            Some(_) => "failed",
        },
    );
    r.set_opt(Field::Session, jstr(v, "operation.id"));
}

pub(crate) fn m365(v: &Value, r: &mut Rec) {
    // CreationTime has no zone and is UTC (Management Activity API schema).
    if let Some(t) = jstr(v, "CreationTime") {
        // `get`: byte 19 may fall inside a character of a damaged value.
        let has_zone = t.ends_with('Z') || t.get(19..).is_some_and(|z| z.contains(['+', '-']));
        r.raw_ts = Some(t.clone());
        r.set(Field::Time, if has_zone { t } else { format!("{t}Z") });
    }
    r.set_opt(
        Field::Account,
        jstr(v, "UserId").or_else(|| jstr(v, "UserKey")),
    );
    r.set_opt(
        Field::SrcIp,
        jstr(v, "ClientIP")
            .or_else(|| jstr(v, "ActorIpAddress"))
            .map(|a| strip_port(&a)),
    );
    r.set_opt(Field::System, jstr(v, "Workload"));
    r.set_opt(Field::Action, jstr(v, "Operation"));
    r.set_opt(
        Field::Object,
        jstr(v, "ObjectId").or_else(|| jstr(v, "SourceFileName")),
    );
    r.set_opt(
        Field::Outcome,
        jstr(v, "ResultStatus").map(|s| match s.as_str() {
            "True" | "Succeeded" | "Success" => "success".to_string(),
            "False" | "Failed" => "failed".to_string(),
            _ => s,
        }),
    );
    r.set_opt(
        Field::Session,
        jstr(v, "SessionId").or_else(|| jstr(v, "AppAccessContext.AADSessionId")),
    );
}

/// A Windows event's field from evtx_dump JSON (`Event.EventData.X`), Winlogbeat / ECS
/// (`winlog.event_data.X`) or a flat export (`X`).
fn win(v: &Value, key: &str) -> Option<String> {
    ["Event.EventData.", "winlog.event_data.", "EventData.", ""]
        .iter()
        .find_map(|p| jstr(v, &format!("{p}{key}")))
        .filter(|s| s != "-" && s != "::1" && !s.is_empty())
}

fn windows_action(id: &str) -> &'static str {
    match id {
        "4624" => "logon",
        "4625" => "logon failed",
        "4634" => "logoff",
        "4647" => "logoff (user initiated)",
        "4648" => "logon with explicit credentials",
        "4656" => "object handle requested",
        "4663" => "object access",
        "4672" => "special privileges assigned",
        "4688" => "process created",
        "4720" => "user account created",
        "4728" | "4732" | "4756" => "member added to group",
        "4740" => "account locked out",
        "4768" => "kerberos TGT requested",
        "4769" => "kerberos service ticket requested",
        "4776" => "credential validation",
        "4778" => "session reconnected",
        "4779" => "session disconnected",
        _ => "event",
    }
}

pub(crate) fn windows(v: &Value, r: &mut Rec) {
    let id = jstr(v, "Event.System.EventID.#text")
        .or_else(|| jstr(v, "Event.System.EventID"))
        .or_else(|| jstr(v, "winlog.event_id"))
        .or_else(|| jstr(v, "EventID"))
        .or_else(|| jstr(v, "Id"))
        .unwrap_or_default();
    r.set_opt(
        Field::Time,
        jstr(v, "Event.System.TimeCreated.#attributes.SystemTime")
            .or_else(|| jstr(v, "Event.System.TimeCreated.SystemTime"))
            .or_else(|| jstr(v, "@timestamp"))
            .or_else(|| jstr(v, "TimeCreated"))
            .or_else(|| jstr(v, "TimeGenerated")),
    );
    let user = win(v, "TargetUserName").or_else(|| win(v, "SubjectUserName"));
    let domain = win(v, "TargetDomainName").or_else(|| win(v, "SubjectDomainName"));
    r.set_opt(
        Field::Account,
        match (user, domain) {
            (Some(u), Some(d)) if !u.contains('\\') && !u.contains('@') => {
                Some(format!("{d}\\{u}"))
            }
            (u, _) => u,
        },
    );
    r.set_opt(Field::SrcIp, win(v, "IpAddress"));
    r.set_opt(
        Field::System,
        jstr(v, "Event.System.Computer")
            .or_else(|| jstr(v, "winlog.computer_name"))
            .or_else(|| jstr(v, "Computer"))
            .or_else(|| jstr(v, "MachineName")),
    );
    r.set(Field::Action, format!("{id} {}", windows_action(&id)));
    r.set_opt(
        Field::Object,
        win(v, "ObjectName")
            .or_else(|| win(v, "NewProcessName"))
            .or_else(|| win(v, "ServiceName"))
            .or_else(|| win(v, "LogonType").map(|t| format!("logon type {t}"))),
    );
    let failed = id == "4625"
        || id == "4771"
        || jstr(v, "Event.System.Keywords").is_some_and(|k| k == "0x8010000000000000")
        || jstr(v, "winlog.keywords").is_some_and(|k| k.contains("Audit Failure"));
    r.set(Field::Outcome, if failed { "failed" } else { "success" });
    r.set_opt(
        Field::Session,
        win(v, "TargetLogonId").or_else(|| win(v, "SubjectLogonId")),
    );
}

pub(crate) fn azure(v: &Value, r: &mut Rec) {
    r.set_opt(
        Field::Time,
        jstr(v, "time").or_else(|| jstr(v, "eventTimestamp")),
    );
    r.set_opt(
        Field::Account,
        jstr(v, "caller").or_else(|| {
            let claims = v.pointer("/identity/claims")?;
            [
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
                "name",
            ]
            .iter()
            .find_map(|k| claims.get(*k)?.as_str().map(str::to_string))
        }),
    );
    r.set_opt(
        Field::SrcIp,
        jstr(v, "callerIpAddress").or_else(|| jstr(v, "httpRequest.clientIpAddress")),
    );
    r.set_opt(
        Field::System,
        jstr(v, "resourceProviderName.value")
            .or_else(|| jstr(v, "resourceProviderName"))
            .or_else(|| jstr(v, "category.value"))
            .or_else(|| jstr(v, "category")),
    );
    r.set_opt(
        Field::Action,
        jstr(v, "operationName.value").or_else(|| jstr(v, "operationName")),
    );
    r.set_opt(Field::Object, jstr(v, "resourceId"));
    r.set_opt(
        Field::Outcome,
        jstr(v, "resultType")
            .or_else(|| jstr(v, "status.value"))
            .map(|s| match s.as_str() {
                "Succeeded" | "Success" | "Started" | "Accepted" => "success".to_string(),
                "Failed" | "Failure" => "failed".to_string(),
                _ => s,
            }),
    );
    r.set_opt(Field::Session, jstr(v, "correlationId"));
}

pub(crate) fn workspace(v: &Value, r: &mut Rec) {
    r.set_opt(Field::Time, jstr(v, "id.time"));
    r.set_opt(
        Field::Account,
        jstr(v, "actor.email").or_else(|| jstr(v, "actor.profileId")),
    );
    r.set_opt(Field::SrcIp, jstr(v, "ipAddress"));
    r.set_opt(Field::System, jstr(v, "id.applicationName"));
    let events = v.get("events").and_then(Value::as_array);
    let names: Vec<&str> = events
        .map(|e| {
            e.iter()
                .filter_map(|x| x.get("name").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    r.set(Field::Action, names.join(";"));
    let param = |wanted: &[&str]| -> Option<String> {
        events?.iter().find_map(|e| {
            e.get("parameters")?.as_array()?.iter().find_map(|p| {
                let n = p.get("name")?.as_str()?;
                wanted
                    .contains(&n)
                    .then(|| jstr(p, "value").or_else(|| jstr(p, "multiValue")))
                    .flatten()
            })
        })
    };
    r.set_opt(
        Field::Object,
        param(&["doc_title", "doc_id", "USER_EMAIL", "setting_name", "email"]),
    );
    if names.iter().any(|n| n.contains("failure")) {
        r.set(Field::Outcome, "failed");
    } else if names.contains(&"login_success") {
        r.set(Field::Outcome, "success");
    }
    r.set_opt(Field::Session, jstr(v, "id.uniqueQualifier"));
}
