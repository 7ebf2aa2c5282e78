//! Creating, opening and refusing case files.

use retrace::case::{APPLICATION_ID, Case, CaseError, SCHEMA_VERSION};

use crate::util::{TestDir, file_bytes};

#[test]
fn new_case_is_identified_versioned_and_in_wal() {
    let t = TestDir::new();
    let case = t.new_case();
    drop(case);
    let conn = rusqlite::Connection::open(t.path("case.retrace")).unwrap();
    let app: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    let ver: i32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
    assert_eq!(ver, SCHEMA_VERSION);
    assert_eq!(mode, "wal");
}

#[test]
fn text_file_is_refused_and_left_unchanged() {
    let t = TestDir::new();
    let p = t.write("notes.txt", "this is not a database\n");
    let before = file_bytes(&p);
    let err = Case::open(&p).unwrap_err();
    assert!(matches!(err, CaseError::NotACase { .. }), "{err}");
    assert!(err.to_string().contains("notes.txt"), "{err}");
    assert!(err.to_string().contains("not changed"), "{err}");
    assert_eq!(file_bytes(&p), before);
    assert!(!t.path("notes.txt-wal").exists());
}

#[test]
fn other_sqlite_file_is_refused_and_left_unchanged() {
    let t = TestDir::new();
    let p = t.path("other.db");
    {
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch("CREATE TABLE x(a); INSERT INTO x VALUES (1);")
            .unwrap();
    }
    let before = file_bytes(&p);
    let err = Case::open(&p).unwrap_err();
    assert!(err.to_string().contains("not a Retrace case"), "{err}");
    assert!(err.to_string().contains("application_id"), "{err}");
    assert_eq!(file_bytes(&p), before);
}

#[test]
fn newer_schema_is_refused_and_left_unchanged() {
    let t = TestDir::new();
    drop(t.new_case());
    let p = t.path("case.retrace");
    {
        let c = rusqlite::Connection::open(&p).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = file_bytes(&p);
    let err = Case::open(&p).unwrap_err();
    assert!(matches!(err, CaseError::TooNew { .. }), "{err}");
    assert!(err.to_string().contains("newer"), "{err}");
    assert_eq!(file_bytes(&p), before);
}

#[test]
fn old_schema_upgrades_to_the_same_schema_as_a_fresh_case() {
    let t = TestDir::new();
    // Version 0: a file Retrace stamped but never migrated (as a crash right after creation
    // would leave it). Opening runs every migration.
    let old = t.path("old.retrace");
    {
        let c = rusqlite::Connection::open(&old).unwrap();
        c.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
    }
    let upgraded = Case::open(&old).unwrap();
    let fresh = t.new_case();
    assert_eq!(
        upgraded.integrity().schema_sql().unwrap(),
        fresh.integrity().schema_sql().unwrap()
    );
    assert!(!fresh.integrity().schema_sql().unwrap().is_empty());
}

#[test]
fn version_1_case_upgrades_to_the_current_schema_keeping_its_rows() {
    let t = TestDir::new();
    // A case as the first release wrote it: schema 1 with its indexes and one meta row.
    let old = t.path("v1.retrace");
    {
        let c = rusqlite::Connection::open(&old).unwrap();
        c.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        c.execute_batch(include_str!("../../src/case/sql/001_initial.sql"))
            .unwrap();
        c.execute_batch(include_str!("../../src/case/sql/indexes.sql"))
            .unwrap();
        c.execute(
            "INSERT INTO meta(key, value) VALUES ('title', 'v1 case')",
            [],
        )
        .unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
    }
    let upgraded = Case::open(&old).unwrap();
    let fresh = t.new_case();
    assert_eq!(
        upgraded.integrity().schema_sql().unwrap(),
        fresh.integrity().schema_sql().unwrap()
    );
    assert_eq!(upgraded.meta("title").unwrap().as_deref(), Some("v1 case"));
    let key = upgraded.meta("pseudonym_key").unwrap().unwrap();
    assert_eq!(key.len(), 64, "{key}");
    assert_ne!(Some(key), fresh.meta("pseudonym_key").unwrap());
}

#[test]
fn missing_file_is_a_clear_error() {
    let t = TestDir::new();
    let err = Case::open(&t.path("nope.retrace")).unwrap_err();
    assert!(err.to_string().contains("no such case file"), "{err}");
}

#[test]
fn read_only_case_refuses_writes() {
    let t = TestDir::new();
    drop(t.new_case());
    let mut c = Case::open_read_only(&t.path("case.retrace")).unwrap();
    let err = c.set_meta("title", "x").unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
}
