//! `source_hour` (schema 10): kept at import, filled by migration 010 from `event` as an
//! import fills it, named by `verify --deep` when edited, and what the impact tables' "at
//! least" (a coverage gap) is read from — with the same answer as the scan a case below
//! schema 10 opened read-only still runs.

use retrace::analysis::findings;
use retrace::case::Case;

use crate::tamper_inputs::{build, run_in, tamper, verify};
use crate::util::TestDir;

/// `source_hour` as text rows in key order.
fn rows(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut st = conn
        .prepare(
            "SELECT source_id || ' ' || hour || ' ' || n || ' ' || first_ts || ' ' || first_id
                    || ' ' || last_ts || ' ' || last_id
             FROM source_hour ORDER BY source_id, hour",
        )
        .unwrap();
    let rows = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
    rows.map(|r| r.unwrap()).collect()
}

#[test]
fn an_import_keeps_one_row_per_source_hour_with_its_first_and_last_event() {
    let t = TestDir::new();
    let path = build(&t, "hours.retrace");
    // access.csv: 09:15 and 09:16 JST (one hour, events 1 and 2), 10:17 JST (event 3); the
    // unreadable row is a reject, in no hour.
    let got = rows(&path);
    let h = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_micros()
    };
    let (a, b, c) = (
        h("2021-02-24T09:15:00+09:00"),
        h("2021-02-24T09:16:00+09:00"),
        h("2021-02-24T10:17:00+09:00"),
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (source, first_id): (i64, i64) = conn
        .query_row("SELECT source_id, min(id) FROM event", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let hour = |us: i64| us.div_euclid(3_600_000_000);
    assert_eq!(
        got,
        vec![
            format!("{source} {} 2 {a} {first_id} {b} {}", hour(a), first_id + 1),
            format!(
                "{source} {} 1 {c} {} {c} {}",
                hour(c),
                first_id + 2,
                first_id + 2
            ),
        ]
    );
}

#[test]
fn an_edited_source_hour_is_named_by_deep_verify() {
    let t = TestDir::new();
    let path = build(&t, "edited.retrace");
    tamper(
        &path,
        "UPDATE source_hour SET first_id = last_id WHERE n = 2;
         DELETE FROM source_hour WHERE n = 1;",
    );
    let (code, plain) = verify(&t, "edited.retrace", &[]);
    assert_eq!((code, plain.len()), (0, 0), "{plain:#?}");
    let (code, problems) = verify(&t, "edited.retrace", &["--deep"]);
    assert_eq!(code, 1, "{problems:#?}");
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems.iter().all(|p| p.0 == "source_hour"),
        "{problems:#?}"
    );
    assert!(
        problems[0].1.starts_with("row (source_id, hour) (")
            && problems[0].1.contains("holds (2, (")
            && problems[0].1.contains("but the events give (2, ("),
        "{problems:#?}"
    );
    assert!(
        problems[1].1.contains("is missing; the events give (1, ("),
        "{problems:#?}"
    );
}

#[test]
fn migration_10_fills_source_hour_from_event_as_an_import_does() {
    let t = TestDir::new();
    let path = build(&t, "old.retrace");
    let imported = rows(&path);
    assert_eq!(imported.len(), 2, "{imported:#?}");
    tamper(
        &path,
        &format!(
            "{} DROP TABLE source_hour; PRAGMA user_version = 9;",
            crate::util::SCHEMA_10_LINE_END
        ),
    );
    drop(Case::open(&path).unwrap());
    assert_eq!(rows(&path), imported);
    let (code, problems) = verify(&t, "old.retrace", &["--deep"]);
    assert_eq!((code, problems), (0, vec![]));
}

/// One access source: an event every hour for ten days, then silent for five, then ten days
/// more — one coverage gap, and no rejects, so the gap is the only reason for "at least".
fn gap_case(t: &TestDir) -> std::path::PathBuf {
    let mut csv = String::from("time,account,system,action,outcome,subjects\n");
    let start = chrono::DateTime::parse_from_rfc3339("2024-03-01T00:10:00Z").unwrap();
    for h in (0..240).chain(360..600) {
        let at = start + chrono::Duration::hours(h);
        csv.push_str(&format!(
            "{},a.user,db,SELECT,success,U{}\n",
            at.format("%Y-%m-%dT%H:%M:%SZ"),
            h % 7
        ));
    }
    t.write("access.csv", &csv);
    let (code, out, err) = run_in(
        t.dir.path(),
        &t.path("config"),
        &["import", "gap.retrace", "access.csv", "--tz", "UTC"],
    );
    assert_eq!(code, 0, "{out}{err}");
    t.path("gap.retrace")
}

#[test]
fn impact_reads_its_coverage_gaps_from_source_hour_as_the_scan_finds_them() {
    let t = TestDir::new();
    let path = gap_case(&t);
    let before = findings::impact(&Case::open(&path).unwrap()).unwrap();
    assert!(before.at_least, "the five silent days are a gap");
    assert!(before.rejected_rows.is_empty());

    // Below schema 10 and opened read-only: not upgraded, the event times are scanned.
    tamper(
        &path,
        &format!(
            "{} PRAGMA user_version = 9;",
            crate::util::SCHEMA_10_LINE_END
        ),
    );
    let ro = Case::open_read_only(&path).unwrap();
    assert_eq!(findings::impact(&ro).unwrap(), before);
    findings::set_parallel_scan_min_span(0);
    let split = findings::impact(&ro);
    findings::set_parallel_scan_min_span(500_000);
    assert_eq!(split.unwrap(), before);
    drop(ro);

    // Upgraded again (rebuilt by migration 010), then the gap's hours filled in by hand: the
    // impact reads the table (no gap now), and deep verify names each made-up row.
    drop(Case::open(&path).unwrap());
    tamper(
        &path,
        "WITH RECURSIVE h(x) AS (SELECT (SELECT min(hour) FROM source_hour) + 240
                                UNION ALL SELECT x + 1 FROM h WHERE x < (SELECT min(hour) FROM source_hour) + 359)
         INSERT INTO source_hour SELECT (SELECT min(source_id) FROM source_hour), x, 1, 0, 0, 0, 0 FROM h;",
    );
    assert!(
        !findings::impact(&Case::open(&path).unwrap())
            .unwrap()
            .at_least
    );
    let (code, problems) = verify(&t, "gap.retrace", &["--deep"]);
    assert_eq!(code, 1);
    assert!(
        problems.iter().all(|p| p.0 == "source_hour"
            && p.1.contains("the events give no such row")
            || p.1.contains("more rows differ")),
        "{problems:#?}"
    );
}
