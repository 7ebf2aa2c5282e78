//! Real-world formats: every file in `tests/fixtures/realdata/` imports through auto-detection with
//! asserted counts; exact field values per format; psort UTC vs CET; syslog year rollover;
//! CloudTrail lookup-events as one event per line.

use std::path::{Path, PathBuf};

use retrace::ingest::{self, Format, Reject, SourceOptions};
use retrace::model::time::{TsFlags, format_utc};
use retrace::model::{NewEvent, Outcome, Vocabulary};

use crate::util::{TestDir, import, realdata};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}

/// What a reader gives for a file: its format, events and rejects.
pub(crate) struct Read {
    pub(crate) format: Format,
    pub(crate) events: Vec<NewEvent>,
    pub(crate) rejects: Vec<Reject>,
}

pub(crate) fn read_with(path: &Path, opts: &SourceOptions) -> Read {
    let plan = ingest::plan(path, opts).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut vocab = Vocabulary::default();
    let (mut events, mut rejects) = (Vec::new(), Vec::new());
    let stats = ingest::parse_access(
        path,
        &plan,
        &mut vocab,
        &mut |b| {
            events.extend(b.events);
            rejects.extend(b.rejects);
            true
        },
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(stats.rows_read as usize, events.len() + rejects.len());
    Read {
        format: plan.format,
        events,
        rejects,
    }
}

fn read(path: &Path) -> Read {
    read_with(
        path,
        &SourceOptions {
            year: Some(2024),
            ..Default::default()
        },
    )
}

fn utc(e: &NewEvent) -> String {
    format_utc(e.ts_us)
}

/// (file, detected format, rows read, imported)
const REALDATA: &[(&str, Format, u64, u64)] = &[
    (
        "aws_cloudtrail/aws.credential-access.secretsmanager-retrieve-secrets.json",
        Format::CloudTrail,
        21,
        21,
    ),
    (
        "aws_cloudtrail/aws.execution.ssm-start-session.json",
        Format::CloudTrail,
        29,
        29,
    ),
    (
        "aws_cloudtrail/aws.exfiltration.rds-share-snapshot.json",
        Format::CloudTrail,
        1,
        1,
    ),
    (
        "aws_cloudtrail/aws.initial-access.console-login-without-mfa.json",
        Format::CloudTrail,
        1,
        1,
    ),
    (
        "aws_cloudtrail/aws.lateral-movement.ec2-instance-connect.json",
        Format::CloudTrail,
        3,
        3,
    ),
    (
        "cloud_saas_audit/gcp_cloud_audit_logging.jsonl",
        Format::GcpAudit,
        11,
        11,
    ),
    (
        "cloud_saas_audit/m365_management_activity_audit.jsonl",
        Format::M365,
        4,
        4,
    ),
    (
        "mysql_general_audit/general_new_style.log",
        Format::MysqlGeneral,
        4,
        4,
    ),
    (
        "mysql_general_audit/general_old_header.log",
        Format::MysqlGeneral,
        2,
        2,
    ),
    (
        "mysql_general_audit/general_old_style.log",
        Format::MysqlGeneral,
        7,
        7,
    ),
    (
        "mysql_general_audit/percona_audit_log_json.excerpt.log",
        Format::MysqlAudit,
        10,
        10,
    ),
    (
        "postgresql_pgaudit/pgaudit_regression_expected.out",
        Format::PgStderr,
        2145,
        0,
    ),
    (
        "postgresql_pgaudit/pgbadger_anonymize_csvlog.csv",
        Format::PgCsv,
        8,
        8,
    ),
    (
        "postgresql_pgaudit/pgbadger_light.postgres.log",
        Format::PgStderr,
        630,
        630,
    ),
    ("sshd_auth_log/audit_enriched.log", Format::Auditd, 29, 29),
    ("sshd_auth_log/syslog_ssh.log", Format::Syslog, 9, 9),
    (
        "teleport_audit/teleport_audit_events.jsonl",
        Format::Teleport,
        23,
        23,
    ),
    (
        "timesketch_csv_jsonl/csv_timestamp_as_datetime.csv",
        Format::TimesketchCsv,
        4,
        4,
    ),
    (
        "timesketch_csv_jsonl/evtx_part.csv",
        Format::TimesketchCsv,
        13,
        13,
    ),
    (
        "timesketch_csv_jsonl/sigma_events.csv",
        Format::TimesketchCsv,
        4,
        4,
    ),
    (
        "timesketch_csv_jsonl/sigma_events.jsonl",
        Format::TimesketchJsonl,
        4,
        4,
    ),
    (
        "timesketch_csv_jsonl/validate_time_precision.csv",
        Format::TimesketchCsv,
        2,
        2,
    ),
];

#[test]
fn every_realdata_file_imports_through_auto_detection() {
    let dir = realdata("");
    let mut on_disk: Vec<String> = Vec::new();
    for sub in std::fs::read_dir(&dir).expect("tests/fixtures/realdata") {
        let sub = sub.unwrap().path();
        if sub.is_dir() && !sub.ends_with("LICENSES") {
            for f in std::fs::read_dir(&sub).unwrap() {
                let f = f.unwrap().path();
                on_disk.push(
                    f.strip_prefix(&dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = REALDATA.iter().map(|r| r.0.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every realdata file has asserted counts");

    let t = TestDir::new();
    let mut case = t.new_case();
    for (rel, format, read, imported) in REALDATA {
        let opts = SourceOptions {
            year: Some(2024),
            ..Default::default()
        };
        let r = import(&mut case, &realdata(rel), opts).unwrap_or_else(|e| panic!("{rel}: {e:#}"));
        assert_eq!(r.plan.format, *format, "{rel}");
        assert!(
            !r.plan.detection.declared && r.plan.detection.confidence >= 0.5,
            "{rel}"
        );
        assert_eq!(r.result.rows_read, *read, "{rel}");
        assert_eq!(r.result.rows_imported, *imported, "{rel}");
        assert_eq!(
            r.result.rows_read,
            r.result.rows_imported + r.result.rows_rejected,
            "{rel}"
        );
        for rej in &r.rejects {
            assert!(
                !rej.reason.is_empty(),
                "{rel}: line {} without a reason",
                rej.line
            );
        }
    }
}

#[test]
fn cloudtrail_document_fields_and_line_spans() {
    let r = read(&realdata(
        "aws_cloudtrail/aws.initial-access.console-login-without-mfa.json",
    ));
    let e = &r.events[0];
    assert_eq!((e.line, e.line_end), (2, 37));
    assert_eq!(utc(e), "2024-08-02T08:53:24Z");
    assert_eq!(
        e.account.as_deref(),
        Some("arn:aws:iam::562283505220:user/stratus-red-team-nmfalu-jfzdtsvchl")
    );
    assert_eq!(e.src_ip.as_deref(), Some("225.01.00.16"));
    assert_eq!(e.system.as_deref(), Some("signin.amazonaws.com"));
    assert_eq!(e.action.as_deref(), Some("ConsoleLogin"));
    assert_eq!(e.outcome, Some(Outcome::Success));
}

#[test]
fn cloudtrail_lookup_events_is_one_event_per_line_in_utc() {
    let r = read(&fixture("cloudtrail_lookup_events.jsonl"));
    assert_eq!(r.format, Format::CloudTrail);
    assert_eq!(r.events.len(), 2);
    assert!(r.rejects.is_empty());
    let e = &r.events[0];
    // EventTime says 10:15:30+01:00; the embedded record says 09:15:30Z: the same instant.
    assert_eq!(utc(e), "2024-03-01T09:15:30Z");
    assert_eq!(
        e.account.as_deref(),
        Some("arn:aws:iam::111122223333:user/alice")
    );
    assert_eq!(
        e.object.as_deref(),
        Some("arn:aws:s3:::hr-files/payroll.csv")
    );
    assert_eq!(e.session.as_deref(), Some("ASIAEXAMPLE"));
    assert_eq!(r.events[1].outcome, Some(Outcome::Denied));
}

#[test]
fn syslog_fields_and_year_rollover() {
    let r = read(&realdata("sshd_auth_log/syslog_ssh.log"));
    let e = &r.events[1];
    assert_eq!(utc(e), "2024-03-11T19:26:39Z");
    assert_eq!(e.raw_ts, "Mar 11 19:26:39");
    assert!(TsFlags(e.ts_flags).has(TsFlags::YEAR_INFERRED));
    assert_eq!(e.account.as_deref(), Some("plaso"));
    assert_eq!(e.src_ip.as_deref(), Some("192.168.0.1"));
    assert_eq!(e.system.as_deref(), Some("osx-machine"));
    assert_eq!(r.events[5].outcome, Some(Outcome::Failed));
    assert_eq!(r.events[5].account.as_deref(), Some("root"));

    let opts = SourceOptions {
        year: Some(2023),
        tz: Some("Asia/Tokyo".into()),
        ..Default::default()
    };
    let plan = ingest::plan(&fixture("auth_rollover.log"), &opts).unwrap();
    assert!(
        plan.time_rule().contains("2023 (declared with --year)"),
        "{}",
        plan.time_rule()
    );
    let r = read_with(&fixture("auth_rollover.log"), &opts);
    let times: Vec<String> = r.events.iter().map(utc).collect();
    assert_eq!(
        times,
        [
            "2023-12-31T14:58:01Z",
            "2023-12-31T14:59:59Z",
            "2023-12-31T15:00:05Z",
            "2023-12-31T15:01:00Z"
        ]
    );
    assert_eq!(r.events[1].account.as_deref(), Some("admin"));
    assert_eq!(r.events[3].action.as_deref(), Some("sudo"));
    assert_eq!(r.events[3].account.as_deref(), Some("bob"));
    assert_eq!(
        r.events[3].object.as_deref(),
        Some("/usr/bin/cat /srv/hr/payroll.csv")
    );
}

#[test]
fn rfc5424_lines() {
    let r = read(&fixture("rfc5424.log"));
    assert_eq!(r.format, Format::Syslog);
    assert_eq!(utc(&r.events[0]), "2024-02-28T23:00:01.250Z");
    assert_eq!(r.events[0].account.as_deref(), Some("carol"));
    assert_eq!(r.events[1].action.as_deref(), Some("session opened"));
    assert_eq!(r.events[1].account.as_deref(), Some("carol"));
}

#[test]
fn auditd_fields() {
    let r = read(&realdata("sshd_auth_log/audit_enriched.log"));
    let e = &r.events[3];
    assert_eq!(utc(e), "2026-07-07T08:56:53.119Z");
    assert_eq!(e.action.as_deref(), Some("USER_AUTH (pubkey)"));
    assert_eq!(e.account.as_deref(), Some("root"));
    assert_eq!(e.src_ip.as_deref(), Some("172.23.112.1"));
    assert_eq!(e.outcome, Some(Outcome::Failed));
}

#[test]
fn postgres_fields() {
    let r = read(&realdata("postgresql_pgaudit/pgbadger_light.postgres.log"));
    let e = &r.events[2];
    assert_eq!(utc(e), "2017-09-06T08:41:42Z");
    assert_eq!(e.account.as_deref(), Some("postgres"));
    assert_eq!(e.system.as_deref(), Some("postgres"));
    assert_eq!(e.src_ip.as_deref(), Some("172.23.0.1"));
    assert_eq!(e.action.as_deref(), Some("INSERT"));

    let r = read(&realdata(
        "postgresql_pgaudit/pgbadger_anonymize_csvlog.csv",
    ));
    assert_eq!(utc(&r.events[0]), "2021-01-22T09:03:22.785Z");
    assert_eq!(r.events[0].src_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(r.events[0].session.as_deref(), Some("6009c305.5ce"));

    // pgaudit regression output: AUDIT lines carry no time (no prefix) and say so.
    let r = read(&realdata(
        "postgresql_pgaudit/pgaudit_regression_expected.out",
    ));
    let no_time = r
        .rejects
        .iter()
        .filter(|j| j.reason.starts_with("no timestamp"))
        .count();
    let not_log = r
        .rejects
        .iter()
        .filter(|j| j.reason.starts_with("not a PostgreSQL log line"))
        .count();
    assert!(no_time > 100, "{no_time}");
    assert_eq!(no_time + not_log, r.rejects.len());

    let r = read(&fixture("postgres_default_prefix.log"));
    assert_eq!(r.format, Format::PgStderr);
    assert_eq!(r.events.len(), 3);
    let e = &r.events[0];
    assert_eq!(e.account.as_deref(), Some("alice"));
    assert_eq!(e.system.as_deref(), Some("sales"));
    assert_eq!(e.action.as_deref(), Some("SELECT (READ)"));
    assert_eq!(e.object.as_deref(), Some("TABLE public.customer"));
    assert_eq!(r.events[1].outcome, Some(Outcome::Failed));
    assert_eq!(r.events[1].object.as_deref(), Some("SELECT * FROM salary;"));
    assert_eq!((r.events[1].line, r.events[1].line_end), (2, 3));
    assert_eq!(r.events[2].account, None);
}

#[test]
fn mysql_fields() {
    let r = read(&realdata("mysql_general_audit/general_old_style.log"));
    let q = &r.events[1];
    assert_eq!(q.action.as_deref(), Some("Query"));
    assert_eq!(q.account.as_deref(), Some("ops_wang"));
    assert_eq!(q.system.as_deref(), Some("members"));
    assert_eq!((q.line, q.line_end), (2, 5));
    assert_eq!(utc(q), "2018-11-04T09:02:11Z");
    // Thread 23 changes database with Init DB; its query runs there.
    let q23 = r
        .events
        .iter()
        .find(|e| e.session.as_deref() == Some("23") && e.action.as_deref() == Some("Query"))
        .unwrap();
    assert_eq!(q23.system.as_deref(), Some("reports"));

    let r = read(&realdata(
        "mysql_general_audit/percona_audit_log_json.excerpt.log",
    ));
    assert_eq!(r.events[0].outcome, Some(Outcome::Failed));
    assert_eq!(r.events[1].account.as_deref(), Some("serverconfig"));
    assert_eq!(r.events[1].src_ip.as_deref(), Some("10.207.85.214"));
    assert_eq!(r.events[1].session.as_deref(), Some("989"));
}

#[test]
fn saas_fields() {
    let r = read(&realdata(
        "cloud_saas_audit/m365_management_activity_audit.jsonl",
    ));
    let e = &r.events[3];
    // CreationTime has no zone and is UTC, whatever --tz says.
    assert_eq!(utc(e), "2022-05-08T15:13:41Z");
    assert_eq!(e.account.as_deref(), Some("piet@sst5f.onmicrosoft.com"));
    assert_eq!(e.action.as_deref(), Some("UserLoggedIn"));
    assert_eq!(e.outcome, Some(Outcome::Success));

    let r = read(&realdata("cloud_saas_audit/gcp_cloud_audit_logging.jsonl"));
    let e = &r.events[0];
    assert_eq!(utc(e), "2021-10-19T02:57:47.339377Z");
    assert_eq!(e.account.as_deref(), Some("fakeemailxyz@gmail.com"));
    assert_eq!(e.src_ip.as_deref(), Some("1.1.1.1"));
    assert_eq!(e.action.as_deref(), Some("beta.compute.networks.insert"));

    let r = read(&realdata("teleport_audit/teleport_audit_events.jsonl"));
    let e = &r.events[1];
    assert_eq!(e.account.as_deref(), Some("mei.chen@example.com"));
    assert_eq!(e.object.as_deref(), Some("select name, phone from members"));
    assert_eq!(e.outcome, Some(Outcome::Success));
    assert_eq!(
        e.session.as_deref(),
        Some("7f3c2a10-5b7e-4c1d-9a0e-2d4b6c8e0f11")
    );
    let start = r
        .events
        .iter()
        .find(|e| e.action.as_deref() == Some("session.start"))
        .unwrap();
    assert_eq!(start.src_ip.as_deref(), Some("203.0.113.45"));
}

#[test]
fn psort_utc_and_cet_land_on_the_same_instant() {
    let pairs = [
        (
            "psort_l2tcsv_utc.csv",
            "psort_l2tcsv_cet.csv",
            Format::L2tCsv,
        ),
        (
            "psort_dynamic_utc.csv",
            "psort_dynamic_cet.csv",
            Format::TimesketchCsv,
        ),
    ];
    for (a, b, format) in pairs {
        let (ra, rb) = (read(&fixture(a)), read(&fixture(b)));
        assert_eq!((ra.format, rb.format), (format, format));
        let ta: Vec<i64> = ra.events.iter().map(|e| e.ts_us).collect();
        let tb: Vec<i64> = rb.events.iter().map(|e| e.ts_us).collect();
        assert_eq!(ta, tb, "{a} vs {b}");
        assert_eq!(utc(&ra.events[0]).get(..19), Some("2012-03-14T04:17:38"));
    }
    let l2t = read(&fixture("psort_l2tcsv_cet.csv"));
    assert_eq!(l2t.events[1].account.as_deref(), Some("jdoe"));
    assert_eq!(l2t.events[1].raw_ts, "03/14/2012 05:20:01 CET");
    let j = read(&fixture("psort_json_line.jsonl"));
    assert_eq!(j.format, Format::TimesketchJsonl);
    assert_eq!(utc(&j.events[0]), "2012-03-14T04:17:38.276340Z");
    assert_eq!(
        j.events[0].system.as_deref(),
        Some("WKS-WIN764BITB.shieldbase.local")
    );
}

#[test]
fn unknown_text_is_refused_with_the_closest_formats() {
    let t = TestDir::new();
    let p = t.write("notes.txt", "hello there\nthis is not a log\n");
    let err = ingest::plan(&p, &SourceOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot tell the format") && err.contains("--format"),
        "{err}"
    );
    // The user can always override.
    let p = t.write(
        "auth.txt",
        "Mar  1 10:00:00 h sshd[1]: Accepted password for a from 10.0.0.1 port 1 ssh2\n",
    );
    let opts = SourceOptions {
        format: Some(Format::Syslog),
        ..Default::default()
    };
    let plan = ingest::plan(&p, &opts).unwrap();
    assert!(plan.detection.declared);
}

#[test]
fn windows_azure_workspace_fixtures() {
    let r = read(&fixture("windows_security.jsonl"));
    assert_eq!(r.format, Format::WindowsJson);
    assert_eq!(r.events.len(), 4);
    let e = &r.events[0];
    assert_eq!(utc(e), "2024-04-02T07:15:03.412345Z");
    assert_eq!(e.account.as_deref(), Some("CORP\\jdoe"));
    assert_eq!(e.src_ip.as_deref(), Some("10.20.30.40"));
    assert_eq!(e.action.as_deref(), Some("4624 logon"));
    assert_eq!(e.session.as_deref(), Some("0x2f1a9c"));
    assert_eq!(r.events[1].outcome, Some(Outcome::Failed));
    assert_eq!(r.events[3].action.as_deref(), Some("4634 logoff"));
    assert_eq!(r.events[3].session.as_deref(), Some("0x2f1a9c"));

    let r = read(&fixture("azure_activity.jsonl"));
    assert_eq!(r.format, Format::AzureActivity);
    assert_eq!(
        r.events[0].account.as_deref(),
        Some("alice@contoso.example")
    );
    assert_eq!(
        r.events[0].action.as_deref(),
        Some("MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION")
    );
    assert_eq!(r.events[1].account.as_deref(), Some("bob@contoso.example"));
    assert_eq!(r.events[1].src_ip.as_deref(), Some("203.0.113.11"));
    assert_eq!(r.events[1].outcome, Some(Outcome::Failed));

    let r = read(&fixture("workspace_activity.jsonl"));
    assert_eq!(r.format, Format::Workspace);
    let e = &r.events[0];
    assert_eq!(utc(e), "2024-02-05T13:45:10.120Z");
    assert_eq!(e.account.as_deref(), Some("carol@example.com"));
    assert_eq!(e.system.as_deref(), Some("drive"));
    assert_eq!(e.action.as_deref(), Some("view"));
    assert_eq!(e.object.as_deref(), Some("1AbCdEfGhIjKlMnOp"));
    assert_eq!(r.events[1].outcome, Some(Outcome::Failed));
}

fn run_cli(args: &[&str]) -> (bool, String, String) {
    let (code, out, err) = crate::util::retrace(args);
    (code == 0, out, err)
}

#[test]
fn cli_reports_the_detected_format_and_refuses_unknown_text() {
    let auth = realdata("sshd_auth_log/syslog_ssh.log");
    let (ok, out, err) = run_cli(&["preview", auth.to_str().unwrap(), "--year", "2015"]);
    assert!(ok, "{err}");
    assert!(out.contains("format:   syslog (detected, 100%)"), "{out}");
    assert!(
        out.contains("first line is in 2015 (declared with --year)"),
        "{out}"
    );
    assert!(out.contains("2015-03-11T19:26:39Z"), "{out}");

    let t = TestDir::new();
    let case = t.path("c.retrace");
    let (ok, out, err) = run_cli(&[
        "import",
        case.to_str().unwrap(),
        auth.to_str().unwrap(),
        "--format",
        "auto",
        "--year",
        "2015",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("syslog (detected, 100%)"), "{out}");

    let notes = t.write("notes.txt", "hello\nworld\n");
    let (ok, out, err) = run_cli(&["preview", notes.to_str().unwrap()]);
    assert!(!ok, "{out}");
    assert!(
        err.contains("cannot tell the format") && err.contains("closest:"),
        "{err}"
    );

    let (ok, _, err) = run_cli(&["preview", auth.to_str().unwrap(), "--format", "nope"]);
    assert!(!ok);
    assert!(err.contains("cloudtrail"), "{err}");
}

/// Issue 7: fields that map to no column are kept per event (`event_extra`, or for CloudTrail
/// in the stored original, read again), found by the timeline's text filter and printed by
/// `show`.
#[test]
fn unmapped_fields_are_stored_searchable_and_shown() {
    use retrace::case::{FilterTerm, TableQuery};
    let t = TestDir::new();
    let case_path = t.path("case.retrace");
    let mut case = t.new_case();
    let opts = || SourceOptions {
        year: Some(2024),
        ..Default::default()
    };
    let ct = import(
        &mut case,
        &realdata("aws_cloudtrail/aws.initial-access.console-login-without-mfa.json"),
        opts(),
    )
    .unwrap();
    let tp = import(
        &mut case,
        &realdata("teleport_audit/teleport_audit_events.jsonl"),
        opts(),
    )
    .unwrap();
    drop(case);
    let case = retrace::case::Case::open_read_only(&case_path).unwrap();
    let ct_event = ct.result.source_id;
    let ct_id = case
        .sources()
        .source(ct_event)
        .unwrap()
        .unwrap()
        .first_event_id
        .unwrap();
    let tp_src = case.sources().source(tp.result.source_id).unwrap().unwrap();
    let (tp_first, tp_last) = (
        tp_src.first_event_id.unwrap(),
        tp_src.last_event_id.unwrap(),
    );

    // CloudTrail: keys the event model has no column for, and userIdentity's other members,
    // read again from the stored original (the case alone has no copy of them).
    let bare = case.sources().event_detail(ct_id).unwrap().unwrap();
    assert!(bare.extra_in_original && bare.extra.is_empty());
    let d = retrace::ingest::event_detail(&case, ct_id)
        .unwrap()
        .unwrap();
    assert!(d.extra_in_original);
    assert_eq!(
        d.extra["userAgent"],
        "stratus-red-team_fccf7123-0651-41f5-b06c-460da5ee1c94"
    );
    assert_eq!(d.extra["userIdentity.type"], "IAMUser");
    assert_eq!(d.extra["additionalEventData"]["MFAUsed"], "No");
    assert_eq!(d.extra["readOnly"], false);
    // Mapped keys are columns, not extra fields.
    for mapped in [
        "eventTime",
        "eventName",
        "eventSource",
        "sourceIPAddress",
        "userIdentity.arn",
    ] {
        assert!(!d.extra.contains_key(mapped), "{mapped}");
    }

    // Teleport: the denied Spanner call (line 1) keeps its status code and error text.
    let tp_ids: Vec<i64> = (tp_first..=tp_last).collect();
    let denied = tp_ids
        .iter()
        .map(|id| case.sources().event_detail(*id).unwrap().unwrap())
        .find(|d| d.row.line == 1)
        .unwrap();
    assert_eq!(denied.extra["code"], "TSPN001W");
    assert_eq!(denied.extra["uid"], "a3f1c9e2-7b44-4d0e-9c61-2f8e5d7a1b90");
    assert_eq!(denied.extra["procedure"], "BatchCreateSessions");
    assert!(!denied.extra.contains_key("time"));

    // The text filter finds an event by an unmapped value, and by nothing else.
    let find = |text: &str| -> Vec<i64> {
        let q = TableQuery::whole_case(vec![FilterTerm::Text(text.into())]);
        let n = case.timeline().table_count(&q).unwrap();
        let ids: Vec<i64> = case
            .timeline()
            .table_page(&q, 0, 100)
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(n as usize, ids.len(), "{text}");
        ids
    };
    assert_eq!(find("fccf7123-0651"), vec![ct_id]);
    assert_eq!(find("a3f1c9e2-7b44"), vec![denied.row.id]);
    assert_eq!(find("no such text anywhere"), Vec::<i64>::new());
    assert!(find("TSPN001W").contains(&denied.row.id));

    // `retrace preview` says where they are; `retrace show` prints them.
    let ct_file = realdata("aws_cloudtrail/aws.initial-access.console-login-without-mfa.json");
    let (ok, out, err) = run_cli(&["preview", ct_file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        out.contains("unmapped fields: read from the stored original"),
        "{out}"
    );
    let (ok, out, _) = run_cli(&[
        "preview",
        ct_file.to_str().unwrap(),
        "--extra-fields",
        "stored",
    ]);
    assert!(
        ok && out.contains("unmapped fields: stored in event_extra"),
        "{out}"
    );
    let (ok, out, err) = run_cli(&["show", case_path.to_str().unwrap(), &ct_id.to_string()]);
    assert!(ok, "{err}");
    assert!(
        out.contains("other fields (not mapped to a column; read from the original record):"),
        "{out}"
    );
    assert!(
        out.contains("    userAgent: stratus-red-team_fccf7123-0651-41f5-b06c-460da5ee1c94"),
        "{out}"
    );
    let (ok, out, err) = run_cli(&[
        "show",
        case_path.to_str().unwrap(),
        &denied.row.id.to_string(),
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["extra"]["code"], "TSPN001W");
}

/// CloudTrail's unmapped fields read again from the original are exactly what storing them
/// gives (`extra_fields = "stored"` in a profile), event by event, for every real sample and
/// for a one-line document whose records share their line (those keep a row); and the text
/// filter finds the same events either way.
#[test]
fn cloudtrail_fields_read_from_the_original_equal_the_stored_ones() {
    use retrace::case::{Case, FilterTerm, TableQuery};
    use retrace::ingest::Profile;
    let t = TestDir::new();
    let one_line = t.path("one_line.json");
    std::fs::write(
        &one_line,
        concat!(
            r#"{"Records":[{"eventTime":"2024-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","#,
            r#""eventName":"GetObject","userAgent":"agent-one","requestID":"R1"},"#,
            r#"{"eventTime":"2024-01-01T00:00:01Z","eventSource":"s3.amazonaws.com","#,
            r#""eventName":"GetObject","userAgent":"agent-two"}]}"#,
            "\n"
        ),
    )
    .unwrap();
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(realdata("aws_cloudtrail"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.push(fixture("cloudtrail_lookup_events.jsonl"));
    files.push(one_line.clone());
    let paths = [t.path("original.retrace"), t.path("stored.retrace")];
    for (i, p) in paths.iter().enumerate() {
        let mut case = Case::create(p, "c").unwrap();
        for f in &files {
            let profile = Profile {
                extra_fields: (i == 1).then(|| "stored".to_string()),
                ..Profile::default()
            };
            let opts = SourceOptions {
                profile: Some(profile),
                ..Default::default()
            };
            import(&mut case, f, opts).unwrap();
        }
    }
    let original = Case::open_read_only(&paths[0]).unwrap();
    let stored = Case::open_read_only(&paths[1]).unwrap();
    let rows = |c: &Case| c.sources().extra_stats().unwrap().0;
    let total = original.summary().unwrap().events;
    assert!(total > 20, "{total}");
    // Only the two records sharing their line keep rows when read from the original.
    assert_eq!(rows(&original), 2);
    assert_eq!(rows(&stored), total);
    let mut from_original = 0;
    for id in 1..=total {
        let a = retrace::ingest::event_detail(&original, id)
            .unwrap()
            .unwrap();
        let b = retrace::ingest::event_detail(&stored, id).unwrap().unwrap();
        assert_eq!(
            a.extra, b.extra,
            "event {id} ({}, line {})",
            a.source.file_name, a.row.line
        );
        assert!(!b.extra_in_original);
        from_original += usize::from(a.extra_in_original);
        if a.source.file_name == "one_line.json" {
            assert!(!a.extra_in_original, "a shared line keeps its row");
        }
    }
    assert_eq!(from_original as i64, total - 2);
    let agent = retrace::ingest::event_detail(&original, total)
        .unwrap()
        .unwrap();
    assert_eq!(agent.extra["userAgent"], "agent-two");
    assert!(!agent.extra.contains_key("requestID"));
    // Search: the same events in both cases, including values that only unmapped fields hold.
    let find = |case: &Case, text: &str| -> Vec<i64> {
        let q = TableQuery::whole_case(vec![FilterTerm::Text(text.into())]);
        case.timeline()
            .table_page(&q, 0, 1000)
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect()
    };
    for text in [
        "c4fff253-825a-4828",
        "AwsApiCall",
        "agent-one",
        "AGENT-TWO",
        "MFAUsed",
        "IAMUser",
        "no such text anywhere",
    ] {
        let a = find(&original, text);
        assert_eq!(a, find(&stored, text), "{text}");
        if text != "no such text anywhere" {
            assert!(!a.is_empty(), "{text}");
        }
    }
    assert_eq!(find(&original, "agent-one").len(), 1);

    // Deep verify derives both cases again cleanly, and a case from before `extra_fields`
    // existed (its mapping without the key, every record's fields stored) too.
    let deep = |path: &Path| {
        let c = Case::open_read_only(path).unwrap();
        retrace::ops::verify_deep::verify_deep(
            &c,
            &retrace::jobs::NoProgress,
            &retrace::jobs::CancelToken::new(),
        )
        .unwrap()
    };
    drop((original, stored));
    for p in &paths {
        let r = deep(p);
        assert!(r.is_clean(), "{:#?}", r.problems);
        assert_eq!(r.events_compared as i64, total);
    }
    let older = Case::open(&paths[1]).unwrap();
    older
        .execute_raw_for_tests(
            "UPDATE source SET mapping_json = json_remove(mapping_json, '$.extra_fields')",
        )
        .unwrap();
    drop(older);
    assert!(deep(&paths[1]).is_clean());
    // A row slipped in for an event whose fields are in the original is named.
    let case = Case::open(&paths[0]).unwrap();
    case.execute_raw_for_tests(
        "INSERT INTO event_extra(event_id, fields) VALUES (1, '{\"k\":\"v\"}')",
    )
    .unwrap();
    drop(case);
    let r = deep(&paths[0]);
    assert_eq!(r.problems.len(), 1, "{:#?}", r.problems);
    assert!(
        r.problems[0].what.starts_with("event 1 "),
        "{:?}",
        r.problems[0]
    );
    assert!(
        r.problems[0].why.starts_with("extra fields differ"),
        "{:?}",
        r.problems[0]
    );
}

/// An event whose fields all map gets no `event_extra` row; unmapped CSV columns and JSON Lines
/// keys do.
#[test]
fn extra_fields_of_generic_csv_and_json_lines() {
    let t = TestDir::new();
    let csv = t.write(
        "a.csv",
        "time,user,action,note,empty\n2024-01-01T00:00:00Z,alice,read,\"said \"\"hi\"\"\",\n2024-01-01T00:00:01Z,bob,read,,\n",
    );
    let jsonl = t.write(
        "a.jsonl",
        "{\"time\":\"2024-01-01T00:00:02Z\",\"user\":\"carol\",\"ua\":{\"name\":\"curl\",\"v\":8},\"n\":null}\n{\"time\":\"2024-01-01T00:00:03Z\",\"user\":\"dave\"}\n",
    );
    let mut case = t.new_case();
    import(&mut case, &csv, SourceOptions::default()).unwrap();
    import(&mut case, &jsonl, SourceOptions::default()).unwrap();
    drop(case);
    let conn = rusqlite::Connection::open(t.path("case.retrace")).unwrap();
    let rows: Vec<(i64, String)> = conn
        .prepare("SELECT event_id, fields FROM event_extra ORDER BY event_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (1, r#"{"note":"said \"hi\""}"#.to_string()),
            (3, r#"{"ua.name":"curl","ua.v":8}"#.to_string()),
        ]
    );
}

/// Issue 7: without `--year`, the year of RFC 3164 lines is the current one, and the import
/// says so and records it on the source (never silently).
#[test]
fn syslog_without_year_says_what_was_assumed() {
    use chrono::Datelike;
    let year = chrono::Utc::now().year();
    let auth = realdata("sshd_auth_log/syslog_ssh.log");
    let t = TestDir::new();
    let case = t.path("c.retrace");
    let (ok, out, err) = run_cli(&["import", case.to_str().unwrap(), auth.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!(
            "note: RFC 3164 syslog lines carry no year and none was given: the first line was taken to be in {year} (the current year"
        )),
        "{out}"
    );
    let c = retrace::case::Case::open_read_only(&case).unwrap();
    let src = &c.sources().list().unwrap()[0];
    assert!(
        src.time_rule.contains(&format!(
            "{year} (DEFAULT: the current year, no --year given)"
        )),
        "{}",
        src.time_rule
    );
    // With --year there is no note.
    let case2 = t.path("d.retrace");
    let (ok, out, _) = run_cli(&[
        "import",
        case2.to_str().unwrap(),
        auth.to_str().unwrap(),
        "--year",
        "2015",
    ]);
    assert!(ok);
    assert!(!out.contains("carry no year"), "{out}");
}
