//! The cell aggregates (`agg_cell_hour`, `agg_cell_day`, schema 9): an edited cell is named
//! by `verify --deep`, and migration 009 fills them from `event` exactly as an import does.

use retrace::case::{Case, FilterPath, FilterTerm, SortKey, TableQuery};

use crate::tamper_inputs::{build, tamper, verify};
use crate::util::TestDir;

/// The plain verify passes; `--deep` fails with these problems.
fn deep_problems(t: &TestDir, case: &str) -> Vec<(String, String)> {
    let (code, plain) = verify(t, case, &[]);
    assert_eq!((code, plain.len()), (0, 0), "{plain:#?}");
    let (code, problems) = verify(t, case, &["--deep"]);
    assert_eq!(code, 1, "{problems:#?}");
    problems
}

#[test]
fn an_edited_hourly_cell_is_named_by_deep_verify() {
    let t = TestDir::new();
    let path = build(&t, "cells.retrace");
    tamper(
        &path,
        "UPDATE agg_cell_hour SET n = n + 5 WHERE action = 'UPDATE'",
    );
    let problems = deep_problems(&t, "cells.retrace");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].0, "agg_cell_hour");
    let why = &problems[0].1;
    assert!(
        why.starts_with("row (hour, account_id, system_id, action, outcome, categories) (")
            && why.contains("Some(\"UPDATE\"), Some(\"success\")")
            && why.ends_with("holds 6, but the events give 1"),
        "{why}"
    );
}

#[test]
fn a_deleted_or_moved_daily_cell_is_named_by_deep_verify() {
    let t = TestDir::new();
    let path = build(&t, "days.retrace");
    tamper(
        &path,
        "DELETE FROM agg_cell_day WHERE action = 'UPDATE';
         UPDATE agg_cell_day SET system_id = system_id + 1 WHERE action = 'SELECT';",
    );
    let problems = deep_problems(&t, "days.retrace");
    assert!(
        problems.iter().all(|p| p.0 == "agg_cell_day"),
        "{problems:#?}"
    );
    // The moved rows are held but not derived; the rows they were and the deleted one are
    // missing (named after the held ones).
    let held = problems
        .iter()
        .take_while(|p| p.1.ends_with("but the events give no such row"))
        .count();
    assert!(held >= 1, "{problems:#?}");
    assert_eq!(problems.len(), 2 * held + 1, "{problems:#?}");
    assert!(
        problems[held..].iter().all(|p| p.1.contains("is missing")),
        "{problems:#?}"
    );
    assert!(
        problems[held..]
            .iter()
            .any(|p| p.1.contains("Some(\"UPDATE\")")),
        "{problems:#?}"
    );
}

/// The cells of a case, both tables, as text rows in key order.
fn cell_rows(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut out = Vec::new();
    for (table, bucket) in [("agg_cell_hour", "hour"), ("agg_cell_day", "day")] {
        let mut st = conn
            .prepare(&format!(
                "SELECT '{table} ' || quote({bucket}) || ' ' || quote(account_id) || ' ' ||
                        quote(system_id) || ' ' || quote(action) || ' ' || quote(outcome)
                        || ' ' || quote(categories) || ' ' || quote(n)
                 FROM {table} ORDER BY {bucket}, account_id, system_id, action, outcome, categories"
            ))
            .unwrap();
        let rows = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out
}

#[test]
fn migration_9_fills_the_cells_from_event_as_an_import_does() {
    let t = TestDir::new();
    let path = build(&t, "old.retrace");
    let imported = cell_rows(&path);
    assert!(imported.len() >= 4, "{imported:#?}");
    // Back to schema 8: the tables gone, as in a case written before them.
    tamper(
        &path,
        &format!(
            "{} DROP TABLE source_hour; DROP TABLE agg_cell_hour; DROP TABLE agg_cell_day;
             PRAGMA user_version = 8;",
            crate::util::SCHEMA_10_LINE_END
        ),
    );
    drop(Case::open(&path).unwrap());
    assert_eq!(cell_rows(&path), imported);
    let (code, problems) = verify(&t, "old.retrace", &["--deep"]);
    assert_eq!((code, problems), (0, vec![]));
}

#[test]
fn a_case_below_schema_9_opened_read_only_scans_event() {
    let t = TestDir::new();
    let path = build(&t, "ro.retrace");
    let filter = vec![FilterTerm::Action("SELECT".into())];
    let q = TableQuery {
        filter: filter.clone(),
        sort: SortKey::Time,
        descending: false,
        ..TableQuery::whole_case(Vec::new())
    };
    {
        let case = Case::open_read_only(&path).unwrap();
        assert_eq!(
            case.timeline().filter_path(&filter).unwrap(),
            FilterPath::Cells
        );
        assert_eq!(case.timeline().table_count(&q).unwrap(), 2);
    }
    tamper(
        &path,
        &format!(
            "{} DROP TABLE source_hour; DROP TABLE agg_cell_hour; DROP TABLE agg_cell_day;
             PRAGMA user_version = 8;",
            crate::util::SCHEMA_10_LINE_END
        ),
    );
    let case = Case::open_read_only(&path).unwrap();
    assert_eq!(
        case.timeline().filter_path(&filter).unwrap(),
        FilterPath::Events
    );
    assert_eq!(case.timeline().table_count(&q).unwrap(), 2);
}
