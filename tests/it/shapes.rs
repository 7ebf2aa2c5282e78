//! Format shapes as real tools write them (fixtures in `tests/fixtures/formats/`): Windows
//! Security events converted by xmltodict and by PowerShell (with a BOM and CRLF), Azure
//! activity logs as the Azure SDK serialises them (snake_case), PostgreSQL stderr logs with
//! tab continuation lines and two `log_line_prefix`es, CloudTrail `Records` entries that are
//! not objects, and a truncated CloudTrail document.

use std::path::{Path, PathBuf};

use retrace::ingest::{Format, SourceOptions};
use retrace::model::Outcome;
use retrace::model::time::format_utc;

use crate::formats::{Read, read_with};
use crate::util::{TestDir, import};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}

fn read(path: &Path) -> Read {
    read_with(path, &SourceOptions::default())
}

fn s(v: &Option<retrace::model::Text>) -> Option<&str> {
    v.as_deref()
}

#[test]
fn windows_events_converted_by_xmltodict_read_with_every_field() {
    let r = read(&fixture("windows_xmltodict.json"));
    assert_eq!(r.format, Format::WindowsJson);
    assert!(r.rejects.is_empty(), "{:?}", r.rejects);
    assert_eq!(r.events.len(), 4);
    let e = &r.events[0];
    assert_eq!(format_utc(e.ts_us), "2024-04-02T07:15:03.412345Z");
    assert_eq!(e.raw_ts.as_str(), "2024-04-02T07:15:03.4123450Z");
    assert_eq!(s(&e.account), Some("CORP\\jdoe"));
    assert_eq!(s(&e.src_ip), Some("10.20.30.40"));
    assert_eq!(s(&e.system), Some("HR-FS01.corp.example"));
    // EventID as {"@Qualifiers": "", "#text": "4624"}.
    assert_eq!(s(&e.action), Some("4624 logon"));
    assert_eq!(s(&e.object), Some("logon type 3"));
    assert_eq!(s(&e.session), Some("0x8dcdc"));
    assert_eq!(e.outcome, Some(Outcome::Success));
    assert_eq!((e.line, e.line_end), (1, 1));
    let f = &r.events[1];
    assert_eq!(s(&f.action), Some("4625 logon failed"));
    assert_eq!(f.outcome, Some(Outcome::Failed));
    assert_eq!(s(&f.account), Some("CORP\\admin"));
    let o = &r.events[2];
    assert_eq!(s(&o.object), Some("D:\\HR\\salaries_2024.xlsx"));
    assert_eq!(s(&o.account), Some("CORP\\jdoe"));
    // One Data item: an object, not a list.
    let one = &r.events[3];
    assert_eq!(s(&one.account), Some("jdoe"));
    assert_eq!(one.line, 4);
}

#[test]
fn windows_events_converted_by_powershell_read() {
    let r = read(&fixture("windows_powershell.json"));
    assert_eq!(r.format, Format::WindowsJson);
    assert!(r.rejects.is_empty(), "{:?}", r.rejects);
    assert_eq!(r.events.len(), 2);
    assert_eq!(s(&r.events[0].account), Some("CORP\\mkato"));
    assert_eq!(s(&r.events[0].system), Some("JP-DC01.corp.example"));
    assert_eq!(s(&r.events[0].object), Some("logon type 10"));
    assert_eq!(r.events[1].outcome, Some(Outcome::Failed));
}

#[test]
fn powershell_dates_are_read_as_utc_milliseconds() {
    let t = TestDir::new();
    let f = t.write(
        "ps.json",
        "{\"Id\":4624,\"TimeCreated\":\"/Date(1712042103412)/\",\"ProviderName\":\"Microsoft-Windows-Security-Auditing\",\"MachineName\":\"HR-FS01\"}\n",
    );
    let r = read(&f);
    assert_eq!(r.format, Format::WindowsJson);
    assert!(r.rejects.is_empty(), "{:?}", r.rejects);
    assert_eq!(format_utc(r.events[0].ts_us), "2024-04-02T07:15:03.412Z");
    assert_eq!(r.events[0].raw_ts.as_str(), "/Date(1712042103412)/");
    assert_eq!(s(&r.events[0].action), Some("4624 logon"));
}

#[test]
fn azure_activity_as_the_sdk_serialises_it_is_detected_and_read() {
    let r = read(&fixture("azure_activity_sdk.jsonl"));
    assert_eq!(r.format, Format::AzureActivity);
    assert!(r.rejects.is_empty(), "{:?}", r.rejects);
    assert_eq!(r.events.len(), 3);
    let e = &r.events[0];
    assert_eq!(format_utc(e.ts_us), "2024-01-10T08:31:12.123456Z");
    assert_eq!(s(&e.account), Some("alice@contoso.example"));
    assert_eq!(s(&e.src_ip), Some("203.0.113.10"));
    assert_eq!(s(&e.system), Some("Microsoft.Storage"));
    assert_eq!(
        s(&e.action),
        Some("Microsoft.Storage/storageAccounts/listKeys/action")
    );
    assert_eq!(
        s(&e.object),
        Some(
            "/subscriptions/0000/resourceGroups/HR/providers/Microsoft.Storage/storageAccounts/hrdata"
        )
    );
    assert_eq!(e.outcome, Some(Outcome::Success));
    assert_eq!(s(&e.session), Some("6f2b9a3e-0d1c-4d5e-9f8a-1b2c3d4e5f60"));
    let f = &r.events[1];
    assert_eq!(format_utc(f.ts_us), "2024-01-10T09:00:00.500Z");
    assert_eq!(f.outcome, Some(Outcome::Failed));
    assert_eq!(s(&f.src_ip), Some("198.51.100.20"));
    assert_eq!(s(&r.events[2].system), Some("Microsoft.KeyVault"));
}

#[test]
fn postgres_continuation_lines_join_their_record_and_two_prefixes_both_read() {
    let r = read(&fixture("postgres_continuation_two_prefixes.log"));
    assert_eq!(r.format, Format::PgStderr);
    assert!(r.rejects.is_empty(), "{:?}", r.rejects);
    let spans: Vec<(u64, u64)> = r.events.iter().map(|e| (e.line, e.line_end)).collect();
    assert_eq!(
        spans,
        vec![(1, 3), (4, 6), (7, 9), (10, 10), (11, 13), (14, 14)]
    );
    let e = &r.events[0];
    assert_eq!(
        s(&e.object),
        Some("SELECT name, phone FROM customer WHERE id = 7;")
    );
    assert_eq!(s(&e.account), Some("alice"));
    let f = &r.events[1];
    assert_eq!(s(&f.account), Some("mallory"));
    assert_eq!(f.outcome, Some(Outcome::Failed));
    // The second prefix: `%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h `.
    let g = &r.events[3];
    assert_eq!(format_utc(g.ts_us), "2024-05-01T10:05:00Z");
    assert_eq!(s(&g.account), Some("bob"));
    assert_eq!(s(&g.system), Some("hr"));
    assert_eq!(s(&g.src_ip), Some("10.1.2.3"));
    assert_eq!(s(&g.action), Some("SELECT (READ)"));
    assert_eq!(s(&g.object), Some("TABLE public.employee"));
    assert_eq!(s(&r.events[4].action), Some("UPDATE"));
    assert_eq!(s(&r.events[5].account), Some("carol"));
    assert_eq!(r.events[5].outcome, Some(Outcome::Failed));
}

#[test]
fn a_rejected_postgres_line_keeps_its_continuation_lines() {
    let t = TestDir::new();
    let f = t.write(
        "pg.log",
        "2024-05-01 10:00:00.123 UTC [1] alice@db LOG:  statement: SELECT 1\n\
         garbage that is no log line\n\
         \tand its continuation\n\
         2024-05-01 10:00:01.000 UTC [1] alice@db LOG:  statement: SELECT 2\n\
         \tFROM t\n",
    );
    let r = read(&f);
    assert_eq!(r.events.len(), 2);
    assert_eq!((r.events[0].line, r.events[0].line_end), (1, 1));
    assert_eq!((r.events[1].line, r.events[1].line_end), (4, 5));
    assert_eq!(r.rejects.len(), 1);
    assert_eq!(r.rejects[0].line, 2);
    assert!(r.rejects[0].raw.contains("and its continuation"));
}

#[test]
fn cloudtrail_records_that_are_not_objects_are_counted_and_rejected() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let r = import(
        &mut case,
        &fixture("cloudtrail_non_objects.json"),
        SourceOptions::default(),
    )
    .unwrap();
    assert_eq!(r.plan.format, Format::CloudTrail);
    assert_eq!(
        (
            r.result.rows_read,
            r.result.rows_imported,
            r.result.rows_rejected
        ),
        (6, 2, 4)
    );
    let why: Vec<(i64, &str)> = r
        .rejects
        .iter()
        .map(|x| (x.line, x.reason.as_str()))
        .collect();
    assert_eq!(why[0].0, 4);
    assert!(why[0].1.contains("is a string, not an object"), "{why:?}");
    assert_eq!(why[1].0, 5);
    assert!(why[1].1.contains("is a number"));
    assert_eq!(why[2].0, 6);
    assert!(why[2].1.contains("is null"));
    assert_eq!(why[3].0, 7);
    assert!(why[3].1.contains("is an array"));
}

#[test]
fn a_truncated_cloudtrail_document_says_so() {
    let r = read(&fixture("cloudtrail_truncated.json"));
    assert_eq!(r.format, Format::CloudTrail);
    assert_eq!(r.events.len(), 2);
    assert_eq!(r.rejects.len(), 2, "{:?}", r.rejects);
    assert_eq!(r.rejects[0].line, 6);
    assert!(
        r.rejects[0]
            .reason
            .contains("ends inside this Records entry")
    );
    assert!(
        r.rejects[1]
            .reason
            .contains("ends before its Records array closes")
    );
    // Only the closing brace missing.
    let t = TestDir::new();
    let f = t.write(
        "ct.json",
        "{\"Records\": [\n{\"eventTime\": \"2024-03-01T11:00:00Z\", \"eventSource\": \"iam.amazonaws.com\", \"eventName\": \"ListUsers\"}\n]\n",
    );
    let r = read(&f);
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.rejects.len(), 1);
    assert!(r.rejects[0].reason.contains("without the closing `}`"));
    // A whole document has no such reject.
    let f = t.write(
        "ok.json",
        "{\"Records\": [\n{\"eventTime\": \"2024-03-01T11:00:00Z\", \"eventSource\": \"iam.amazonaws.com\", \"eventName\": \"ListUsers\"}\n]}\n",
    );
    let r = read(&f);
    assert_eq!((r.events.len(), r.rejects.len()), (1, 0));
}

/// Fixed-column formats (psort l2tcsv, PostgreSQL csvlog) keep a cell past their known columns
/// under its position instead of dropping it.
#[test]
fn a_cell_past_a_fixed_format_s_columns_is_kept_by_position() {
    let t = TestDir::new();
    let text = std::fs::read_to_string(fixture("psort_l2tcsv_utc.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[1].push_str(",written-by-a-newer-psort");
    let path = t.write("l2t_extra.csv", lines.join("\n") + "\n");
    let mut case = t.new_case();
    let r = import(&mut case, &path, SourceOptions::default()).unwrap();
    assert_eq!(r.result.rows_rejected, 0);
    let src = case.sources().source(r.result.source_id).unwrap().unwrap();
    let first = src.first_event_id.unwrap();
    let d = retrace::ingest::event_detail(&case, first)
        .unwrap()
        .unwrap();
    assert_eq!(d.extra["_cell_18"], "written-by-a-newer-psort");
}
