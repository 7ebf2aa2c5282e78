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
            // The Azure SDK's serialisation (`as_dict()`): snake_case keys.
            &["resource_id", "operation_name", "event_timestamp"],
            &["operation_name.value", "event_timestamp"],
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
            &["System.EventID", "System.TimeCreated"],
            &["winlog.event_id"],
            &["EventID", "TimeCreated"],
            &["Id", "TimeCreated", "ProviderName"],
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
/// (`winlog.event_data.X`), a flat export (`X`), or the XML converted to JSON by xmltodict or
/// PowerShell (`EventData.Data` a list of `{"@Name": "X", "#text": ...}`).
fn win(v: &Value, key: &str) -> Option<String> {
    ["Event.EventData.", "winlog.event_data.", "EventData.", ""]
        .iter()
        .find_map(|p| jstr(v, &format!("{p}{key}")))
        .or_else(|| win_data(v, key))
        .filter(|s| s != "-" && s != "::1" && !s.is_empty())
}

/// `EventData.Data` (under `Event` or not) as xmltodict writes it: a list of
/// `{"@Name": key, "#text": value}`, one such object when the event has one item, a
/// `{"@Name": key}` without `#text` for an empty value. PowerShell writes `Name` for `@Name`.
fn win_data(v: &Value, key: &str) -> Option<String> {
    ["Event.EventData.Data", "EventData.Data"]
        .iter()
        .filter_map(|p| super::jget(v, p))
        .flat_map(|d| match d {
            Value::Array(items) => items.iter().collect::<Vec<_>>(),
            one @ Value::Object(_) => vec![one],
            _ => Vec::new(),
        })
        .find(|item| {
            item.get("@Name")
                .or_else(|| item.get("Name"))
                .and_then(Value::as_str)
                == Some(key)
        })
        .and_then(|item| jstr(item, "#text"))
}

/// The first of `paths` with a value (see [`jstr`]), as text.
fn first(v: &Value, paths: &[&str]) -> Option<String> {
    paths.iter().find_map(|p| jstr(v, p))
}

/// PowerShell's `ConvertTo-Json` writes a `DateTime` as `/Date(1704067200000)/` (UTC
/// milliseconds, optionally followed by an offset it applies for display): RFC 3339 UTC.
fn ps_date(t: &str) -> Option<String> {
    let inner = t.trim().strip_prefix("/Date(")?.strip_suffix(")/")?;
    let digits_end = inner
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && *c == '-')))
        .map_or(inner.len(), |(i, _)| i);
    let ms: i64 = inner[..digits_end].parse().ok()?;
    Some(crate::model::time::format_utc(ms.checked_mul(1000)?))
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
    // xmltodict writes `EventID` as `{"@Qualifiers": "", "#text": "4624"}` when the element
    // has attributes, as the bare text otherwise.
    let id = first(
        v,
        &[
            "Event.System.EventID.#text",
            "Event.System.EventID",
            "System.EventID.#text",
            "System.EventID",
            "winlog.event_id",
            "EventID",
            "Id",
        ],
    )
    .unwrap_or_default();
    let time = first(
        v,
        &[
            "Event.System.TimeCreated.#attributes.SystemTime",
            "Event.System.TimeCreated.@SystemTime",
            "Event.System.TimeCreated.SystemTime",
            "System.TimeCreated.@SystemTime",
            "System.TimeCreated.SystemTime",
            "@timestamp",
            "TimeCreated",
            "TimeGenerated",
        ],
    );
    match time.as_deref().and_then(ps_date) {
        Some(utc) => {
            r.raw_ts = time.clone();
            r.set(Field::Time, utc);
        }
        None => r.set_opt(Field::Time, time),
    }
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
        first(
            v,
            &[
                "Event.System.Computer",
                "System.Computer",
                "winlog.computer_name",
                "Computer",
                "MachineName",
            ],
        ),
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
        || first(v, &["Event.System.Keywords", "System.Keywords"])
            .is_some_and(|k| k == "0x8010000000000000")
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
        first(v, &["time", "eventTimestamp", "event_timestamp"]),
    );
    r.set_opt(
        Field::Account,
        jstr(v, "caller").or_else(|| {
            let claims = v.pointer("/identity/claims").or_else(|| v.get("claims"))?;
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
        first(
            v,
            &[
                "callerIpAddress",
                "httpRequest.clientIpAddress",
                "http_request.client_ip_address",
            ],
        ),
    );
    r.set_opt(
        Field::System,
        first(
            v,
            &[
                "resourceProviderName.value",
                "resourceProviderName",
                "resource_provider_name.value",
                "resource_provider_name",
                "category.value",
                "category",
            ],
        ),
    );
    r.set_opt(
        Field::Action,
        first(
            v,
            &[
                "operationName.value",
                "operationName",
                "operation_name.value",
                "operation_name",
            ],
        ),
    );
    r.set_opt(Field::Object, first(v, &["resourceId", "resource_id"]));
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
    r.set_opt(
        Field::Session,
        first(v, &["correlationId", "correlation_id"]),
    );
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
