//! Shared helpers: temporary cases, fixture files, and running imports.

use std::path::{Path, PathBuf};

use retrace::case::Case;
use retrace::ingest::{Profile, SourceOptions};
use retrace::jobs::{CancelToken, NoProgress};
use retrace::model::roster::SourceKind;
use retrace::ops::{self, ImportReport, ImportRequest};

/// The config directory every `retrace` the tests start uses (`RETRACE_CONFIG_DIR`), so no
/// test reads or creates the investigator's settings or signing key in the real home.
pub fn test_config_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("config temp dir"))
        .path()
}

/// Runs the `retrace` binary with `args`, the custody log's investigator set to
/// `investigator`: (exit code, stdout, stderr).
pub fn retrace_as(investigator: &str, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_retrace"))
        .args(args)
        .env("RETRACE_INVESTIGATOR", investigator)
        .env("RETRACE_CONFIG_DIR", test_config_dir())
        .env("NO_COLOR", "1")
        .output()
        .expect("run retrace");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs the `retrace` binary as investigator `cli-tester`: (exit code, stdout, stderr).
pub fn retrace(args: &[&str]) -> (i32, String, String) {
    retrace_as("cli-tester", args)
}

/// A vendored real-world sample under `tests/fixtures/realdata/` (see its `SOURCES.md`).
pub fn realdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/realdata")
        .join(rel)
}

pub struct TestDir {
    pub dir: tempfile::TempDir,
}

impl TestDir {
    pub fn new() -> TestDir {
        TestDir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).expect("write fixture");
        p
    }
    pub fn new_case(&self) -> Case {
        Case::create(&self.path("case.retrace"), "test").expect("create case")
    }
}

pub fn options(
    kind: Option<SourceKind>,
    tz: Option<&str>,
    profile: Option<Profile>,
) -> SourceOptions {
    SourceOptions {
        kind,
        tz: tz.map(str::to_string),
        profile,
        ..Default::default()
    }
}

pub fn import(case: &mut Case, path: &Path, opts: SourceOptions) -> anyhow::Result<ImportReport> {
    import_forced(case, path, opts, false)
}

pub fn import_forced(
    case: &mut Case,
    path: &Path,
    opts: SourceOptions,
    force: bool,
) -> anyhow::Result<ImportReport> {
    let req = ImportRequest {
        path: path.to_path_buf(),
        options: opts,
        force,
        imported_by: "tester".into(),
    };
    ops::import_file(case, &req, &NoProgress, &CancelToken::new())
}

/// The repository's `sample_data/` directory.
pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

pub fn file_bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).expect("read file")
}

/// The sample's `ground_truth.json`.
pub fn truth() -> serde_json::Value {
    let text = std::fs::read_to_string(sample_dir().join("ground_truth.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Builds the sample case from `sample_data/` into `t` and opens it; returns its path too.
pub fn build_sample_case(t: &TestDir) -> (Case, PathBuf) {
    let path = t.path("sample.retrace");
    ops::sample::build_case_from_dir(
        &path,
        &sample_dir(),
        "sample",
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    (Case::open(&path).unwrap(), path)
}

/// SQL that turns a current case's `event.line_span` (schema 11) back into schema 10's
/// `line_end` (the last line itself), for tests that open a case as an older version
/// (followed by their own `PRAGMA user_version`).
pub const SCHEMA_10_LINE_END: &str = "
    ALTER TABLE event RENAME COLUMN line_span TO line_end;
    UPDATE event SET line_end = line + line_end;";

/// SQL that takes schema 11's line spans, schema 10's source hours, schema 9's cell tables, schema 8's saved views and schema 7's custody signatures out of a current
/// case (as schema 6 had it),
/// for tests that open a case as an older version (followed by their own `PRAGMA user_version`).
pub const SCHEMA_6_UNSIGNED: &str = "
    ALTER TABLE event RENAME COLUMN line_span TO line_end;
    UPDATE event SET line_end = line + line_end;
    DROP TABLE source_hour;
    DROP TABLE agg_cell_hour;
    DROP TABLE agg_cell_day;
    DROP TABLE saved_view;
    DROP TABLE investigator_key;
    ALTER TABLE custody DROP COLUMN signature;
    ALTER TABLE custody DROP COLUMN key_fingerprint;";

/// SQL that turns a current case's `subject_event` back into schema 5's `event_subject` (and
/// takes schema 7's signatures out, [`SCHEMA_6_UNSIGNED`]), for tests that open a case as an
/// older version (followed by their own `PRAGMA user_version`).
pub const SCHEMA_5_SUBJECT_LINKS: &str = "
    ALTER TABLE event RENAME COLUMN line_span TO line_end;
    UPDATE event SET line_end = line + line_end;
    DROP TABLE source_hour;
    DROP TABLE agg_cell_hour;
    DROP TABLE agg_cell_day;
    DROP TABLE saved_view;
    DROP TABLE investigator_key;
    ALTER TABLE custody DROP COLUMN signature;
    ALTER TABLE custody DROP COLUMN key_fingerprint;
    CREATE TABLE event_subject (
        subject_id INTEGER NOT NULL REFERENCES subject(id),
        event_id   INTEGER NOT NULL REFERENCES event(id),
        PRIMARY KEY (subject_id, event_id)
    ) WITHOUT ROWID;
    INSERT INTO event_subject(subject_id, event_id)
    SELECT se.subject_id, j.value FROM subject_event se, json_each(se.event_ids) j;
    DROP TABLE subject_event;";

/// Every `.rs` file under `dir`, recursively (the source checks read them as text).
pub fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}
