//! An access import's subject links spilled in sorted runs and merged (`case/links.rs`), and its
//! cell aggregates added to the tables in parts, store the same `subject_event`,
//! `account_subject`, `agg_cell_hour` and `agg_cell_day` rows as an import that holds them all,
//! and every case passes `verify --deep`.

use std::path::Path;

use retrace::case::Case;
use retrace::ingest::{Profile, SourceOptions};
use retrace::jobs::{CancelToken, NoProgress};
use retrace::model::roster::SourceKind;
use retrace::ops::{self, ImportRequest};
use retrace::synth::{self, GenParams};

use crate::util::{TestDir, retrace};

/// Imports every file of the data set in `data` into a new case at `path`, access imports
/// holding `run` links before they spill.
fn build(path: &Path, data: &Path, run: usize) {
    let mut case = Case::create(path, "links").unwrap();
    case.writes().set_import_spill_run(run);
    for f in synth::manifest() {
        let req = ImportRequest {
            path: data.join(f.name),
            options: SourceOptions {
                kind: SourceKind::parse(f.kind),
                tz: f.tz.map(str::to_string),
                profile: f.profile.map(|p| Profile::load(&data.join(p)).unwrap()),
                ..Default::default()
            },
            force: false,
            imported_by: "tester".into(),
        };
        ops::import_file(&mut case, &req, &NoProgress, &CancelToken::new())
            .unwrap_or_else(|e| panic!("{}: {e:#}", f.name));
    }
}

/// Every row of `sql`'s four columns, as text.
fn rows(path: &Path, sql: &str) -> Vec<[String; 4]> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut st = conn.prepare(sql).unwrap();
    st.query_map([], |r| {
        let col = |i| -> rusqlite::Result<String> {
            Ok(match r.get_ref(i)? {
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                v => format!("{v:?}"),
            })
        };
        Ok([col(0)?, col(1)?, col(2)?, col(3)?])
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn verify_deep(path: &Path) {
    let (code, out, err) = retrace(&["verify", path.to_str().unwrap(), "--deep", "--json"]);
    assert_eq!(code, 0, "{}: {out}{err}", path.display());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["problems"].as_array().map(Vec::len), Some(0), "{out}");
    assert_eq!(
        v["deep"]["problems"].as_array().map(Vec::len),
        Some(0),
        "{out}"
    );
}

#[test]
fn spilled_subject_links_store_the_rows_of_one_run() {
    let t = TestDir::new();
    let data = t.path("data");
    synth::generate(
        &data,
        &GenParams {
            seed: 20,
            background_events: 12_000,
        },
    )
    .unwrap();
    let cases = t.path("cases");
    std::fs::create_dir_all(&cases).unwrap();
    // One run (the default holds millions of links), runs of a few links (thousands of runs,
    // events' links cut at every event), and runs of about a thousand.
    let runs = [usize::MAX, 3, 1000];
    let paths: Vec<_> = runs
        .iter()
        .map(|&run| {
            let path = cases.join(format!("run-{run}.retrace"));
            build(&path, &data, run);
            path
        })
        .collect();

    const SUBJECT_EVENT: &str =
        "SELECT subject_id, source_id, events, event_ids FROM subject_event ORDER BY 1, 2";
    const ACCOUNT_SUBJECT: &str = "SELECT account_id, subject_id, categories, events
        FROM account_subject ORDER BY 1, 2";
    let whole = rows(&paths[0], SUBJECT_EVENT);
    // The test means something: many subjects, some touched by several events of a file.
    assert!(whole.len() > 1000, "{} rows", whole.len());
    let links: i64 = whole.iter().map(|r| r[2].parse::<i64>().unwrap()).sum();
    assert!(links > 3 * 1000, "{links} links");
    assert!(whole.iter().any(|r| r[2].parse::<i64>().unwrap() > 5));
    let acc = rows(&paths[0], ACCOUNT_SUBJECT);
    assert!(acc.len() > 1000, "{} rows", acc.len());
    // The cell aggregates, added to the tables whenever the import held `run` cells (the
    // same cell then reaches a table more than once and is added up there).
    let cells = |table: &str, bucket: &str| {
        format!(
            "SELECT {bucket}, account_id, system_id || '/' || action || '/' || outcome || '/' ||
                    categories, n FROM {table} ORDER BY 1, 2, 3"
        )
    };
    let hour_cells = rows(&paths[0], &cells("agg_cell_hour", "hour"));
    let day_cells = rows(&paths[0], &cells("agg_cell_day", "day"));
    assert!(hour_cells.len() > 1000, "{} cells", hour_cells.len());
    assert!(day_cells.iter().any(|r| r[3].parse::<i64>().unwrap() > 1));
    for (run, path) in runs.iter().zip(&paths).skip(1) {
        assert!(
            rows(path, SUBJECT_EVENT) == whole,
            "subject_event with runs of {run}"
        );
        let got = rows(path, ACCOUNT_SUBJECT);
        if got != acc {
            eprintln!("lens {} {}", got.len(), acc.len());
            for (g, w) in got.iter().zip(&acc).filter(|(g, w)| g != w).take(5) {
                eprintln!("got {g:?} want {w:?}");
            }
        }
        assert!(got == acc, "account_subject with runs of {run}");
        assert!(
            rows(path, &cells("agg_cell_hour", "hour")) == hour_cells,
            "agg_cell_hour with runs of {run}"
        );
        assert!(
            rows(path, &cells("agg_cell_day", "day")) == day_cells,
            "agg_cell_day with runs of {run}"
        );
    }
    for path in &paths {
        verify_deep(path);
    }
    // The spill file is gone: only the cases (and SQLite's own side files) are left.
    for e in std::fs::read_dir(&cases).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        assert!(!name.contains("links.tmp"), "{name} left beside the cases");
    }
}
