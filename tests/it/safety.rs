//! Issue 16's safety items: readers during a write never play back its journal (1), a damaged
//! case refuses writes (2), read-only opens never write (3), `verify-export` distrusts its
//! folder (6), no CSV the project writes starts a cell with a formula (7), and the smaller
//! items (8).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use retrace::case::Case;

use crate::util::{TestDir, retrace};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A case with one small access source (`first.csv`, `events` rows).
fn small_case(t: &TestDir, name: &str, events: usize) -> PathBuf {
    let mut text = String::from("time,account,system,action,object,subjects\n");
    for i in 0..events {
        text.push_str(&format!(
            "2021-02-24T09:{:02}:{:02}Z,user{},db{},SELECT,users,U{i:05}\n",
            (i / 60) % 60,
            i % 60,
            i % 7,
            i % 3
        ));
    }
    let first = t.write("first.csv", text);
    let case = t.path(name);
    let (code, out, err) = retrace(&["import", s(&case), s(&first)]);
    assert_eq!(code, 0, "{out}{err}");
    case
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

fn journal(case: &Path) -> PathBuf {
    PathBuf::from(format!("{}-journal", case.display()))
}

// ---- 1. Concurrency -----------------------------------------------------------------------

/// A writer whose SQLite locks are gone (any descriptor of the file closed in its process drops
/// them: the import's early flush did that) is still live while it holds Retrace's writer lock:
/// a reader must not take its journal for a hot one and play it back.
#[test]
fn a_reader_never_plays_back_the_journal_of_a_live_writer() {
    let t = TestDir::new();
    let case = small_case(&t, "live.retrace", 3);
    let c = Case::open(&case).unwrap();
    // A rollback journal, and more changed pages than the cache holds, so some are already in
    // the file: played back now, the journal would undo them under the writer.
    c.execute_raw_for_tests(
        "PRAGMA journal_mode=DELETE; PRAGMA cache_size=10; BEGIN IMMEDIATE;
         INSERT INTO meta(key, value)
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
           SELECT 'live' || i, hex(randomblob(500)) FROM n;
         INSERT INTO meta(key, value) VALUES ('marker', 'written-by-the-live-writer');",
    )
    .unwrap();
    assert!(journal(&case).exists(), "the writer's journal");
    // Drops this process's fcntl locks on the case, as a stray descriptor would.
    drop(std::fs::File::open(&case).unwrap());
    let (db, jr) = (bytes(&case), bytes(&journal(&case)));
    for args in [
        vec!["info", s(&case)],
        vec!["verify", s(&case)],
        vec!["show", s(&case), "1"],
    ] {
        let (code, out, err) = retrace(&args);
        assert_ne!(
            code, 0,
            "{args:?} cannot read a case whose writer holds it: {out}"
        );
        assert!(
            err.contains("holds the case for changes") || err.contains("the case is busy"),
            "{args:?}: a clear refusal: {err}"
        );
        assert_eq!(bytes(&case), db, "{args:?} changed the case file");
        assert_eq!(bytes(&journal(&case)), jr, "{args:?} changed the journal");
    }
    // The app's read-only open, in the writer's own process.
    let e = retrace::gui::CaseInfo::load(&case).unwrap_err();
    assert!(format!("{e:#}").contains("busy"), "{e:#}");
    c.execute_raw_for_tests("COMMIT").unwrap();
    drop(c);
    let (code, out, err) = retrace(&["verify", s(&case)]);
    assert_eq!(code, 0, "{out}{err}");
    let c = Case::open_read_only(&case).unwrap();
    assert_eq!(
        c.meta("marker").unwrap().as_deref(),
        Some("written-by-the-live-writer")
    );
    assert_eq!(c.meta("live2000").unwrap().map(|v| v.len()), Some(1000));
}

/// What a reader run during an import may answer: its answer, or a refusal that says the case
/// is busy. Never a damaged case.
fn acceptable(what: &str, code: i32, out: &str, err: &str) {
    if code == 0 {
        if what == "verify" {
            assert!(out.contains("OK: the case file verifies"), "{what}: {out}");
        }
        return;
    }
    assert!(
        err.contains("the case is busy"),
        "{what} during the import: exit {code}: {out}{err}"
    );
}

/// Runs `retrace import CASE FILE` with readers (`info`, `verify`, `show`, the app's read-only
/// open) started again and again until it ends — from the start, or only once its rollback
/// journal exists (`after_journal`). Every reader answers or is refused as busy, and the
/// import succeeds. Returns the reader rounds started while the journal existed.
fn import_beside_readers(t: &TestDir, case: &Path, file: &str, after_journal: bool) -> usize {
    let dir = t.dir.path();
    let name = case.file_name().unwrap().to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_retrace"))
        .env("RETRACE_CONFIG_DIR", crate::util::test_config_dir())
        .args(["import", name, file])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(t.path("import.out")).unwrap())
        .stderr(std::fs::File::create(t.path("import.err")).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut seen_journal = false;
    let mut during = 0;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(started.elapsed() < Duration::from_secs(300), "import hangs");
        let writing = journal(case).exists();
        seen_journal |= writing;
        if after_journal && !seen_journal {
            std::thread::sleep(Duration::from_millis(2));
            continue;
        }
        // The readers of one moment run at once.
        let readers: Vec<_> = [
            vec!["info", name],
            vec!["verify", name],
            vec!["show", name, "1"],
        ]
        .into_iter()
        .map(|args| {
            let c = Command::new(env!("CARGO_BIN_EXE_retrace"))
                .env("RETRACE_CONFIG_DIR", crate::util::test_config_dir())
                .args(&args)
                .current_dir(dir)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            (args[0], c)
        })
        .collect();
        match retrace::gui::CaseInfo::load(case) {
            Ok(info) => assert!(info.summary.events >= 1, "the app's open"),
            Err(e) => acceptable("the app's open", 1, "", &format!("{e:#}")),
        }
        for (what, c) in readers {
            let o = c.wait_with_output().unwrap();
            acceptable(
                what,
                o.status.code().unwrap_or(-1),
                &String::from_utf8_lossy(&o.stdout),
                &String::from_utf8_lossy(&o.stderr),
            );
        }
        during += usize::from(writing);
    };
    let err = std::fs::read_to_string(t.path("import.err")).unwrap();
    assert!(
        status.success(),
        "the import of {file} beside the readers: {err}"
    );
    during
}

/// `rows` access rows that name no data subject, the cheapest rows to import: 2 M of them load
/// in a debug build within the budget of the test below (rows with a new subject each, as
/// `crash::write_big_csv` writes, take several times as long).
fn write_plain_csv(path: &Path, rows: usize) {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(rows * 40 + 32);
    text.push_str("time,account,system,action\n");
    for i in 0..rows {
        writeln!(
            text,
            "2021-{:02}-{:02}T{:02}:{:02}:{:02}Z,user{},db{},SELECT",
            1 + i % 12,
            1 + i % 28,
            i % 24,
            (i / 24) % 60,
            i % 60,
            i % 97,
            i % 5
        )
        .unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// Readers during large imports into a case that already holds a source: the imports
/// succeed, and the case verifies and keeps every earlier source. The first import, of the
/// issue's 2 M rows, is read from the moment its rollback journal exists (the phase a reader
/// once played back); the second from its start, when a reader keeps it from switching to a
/// rollback journal (it then loads in WAL).
#[test]
fn readers_at_many_moments_of_large_imports_leave_the_case_whole() {
    let t = TestDir::new();
    let case = small_case(&t, "busy.retrace", 1);
    let rows = 2_000_000;
    write_plain_csv(&t.path("big.csv"), rows);
    let during = import_beside_readers(&t, &case, "big.csv", true);
    assert!(
        during >= 10,
        "readers ran at only {during} moments of the import's journal; make the file bigger"
    );
    crate::crash::write_big_csv(&t.path("second.csv"), 100_000);
    import_beside_readers(&t, &case, "second.csv", false);
    let (code, out, err) = retrace(&["verify", s(&case)]);
    assert_eq!(code, 0, "{out}{err}");
    let c = Case::open_read_only(&case).unwrap();
    let sources = c.sources().list().unwrap();
    assert_eq!(sources.len(), 3, "{sources:?}");
    assert_eq!(sources[0].file_name, "first.csv");
    assert_eq!(
        c.sources().source_events(sources[0].id, 10).unwrap().len(),
        1
    );
    assert_eq!(c.summary().unwrap().events, 1 + rows as i64 + 100_000);
}

// ---- 3. Read-only opens never write -------------------------------------------------------

/// A copy of `case` as a write killed mid-way leaves it: the file with uncommitted pages in
/// it and the hot journal that undoes them.
fn interrupted_copy(t: &TestDir, case: &Path, name: &str) -> PathBuf {
    let c = rusqlite::Connection::open(case).unwrap();
    c.execute_batch(
        "PRAGMA journal_mode=DELETE; PRAGMA cache_size=10; BEGIN IMMEDIATE;
         INSERT INTO meta(key, value)
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
           SELECT 'uncommitted' || i, hex(randomblob(500)) FROM n;
         UPDATE source SET file_name = 'uncommitted.csv';",
    )
    .unwrap();
    let copy = t.path(name);
    std::fs::copy(case, &copy).unwrap();
    std::fs::copy(journal(case), journal(&copy)).unwrap();
    c.execute_batch("ROLLBACK").unwrap();
    copy
}

#[test]
fn read_only_opens_leave_a_case_with_an_interrupted_write_byte_identical() {
    let t = TestDir::new();
    let case = small_case(&t, "orig.retrace", 3);
    let hot = interrupted_copy(&t, &case, "hot.retrace");
    let (db, jr) = (bytes(&hot), bytes(&journal(&hot)));
    let unchanged = |what: &str| {
        assert!(bytes(&hot) == db, "{what} changed the case file");
        assert!(
            journal(&hot).exists() && bytes(&journal(&hot)) == jr,
            "{what} changed or removed the journal"
        );
    };
    // Reading commands answer from the last committed state, and say how.
    let (code, out, err) = retrace(&["info", s(&hot)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("first.csv") && !out.contains("uncommitted"),
        "{out}"
    );
    assert!(err.contains("private copy"), "{err}");
    unchanged("info");
    let (code, out, err) = retrace(&["verify", s(&hot)]);
    assert_eq!(code, 0, "{out}{err}");
    unchanged("verify");
    let (code, out, err) = retrace(&["show", s(&hot), "1"]);
    assert_eq!(code, 0, "{out}{err}");
    unchanged("show");
    let (code, _, err) = retrace(&["export", s(&hot), "--read-only", "--out", s(&t.path("out"))]);
    assert_eq!(code, 1, "{err}");
    unchanged("export --read-only");
    {
        let c = Case::open_read_only(&hot).unwrap();
        assert!(c.reads_private_copy());
        assert_eq!(c.sources().list().unwrap()[0].file_name, "first.csv");
        let info = retrace::gui::CaseInfo::load(&hot).unwrap();
        assert_eq!(info.summary.events, 3);
    }
    unchanged("a read-only open");
    review_in_the_app(&hot);
    unchanged("the app opened for review");

    // A writing open rolls it back; then reads read the file itself.
    let (code, out, err) = retrace(&["recover", s(&hot)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("rolled back"), "{out}");
    assert!(!journal(&hot).exists());
    let (code, out, err) = retrace(&["info", s(&hot)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("private copy"), "{err}");
    let (code, out, err) = retrace(&["verify", s(&hot)]);
    assert_eq!(code, 0, "{out}{err}");
}

/// `retrace --read-only CASE`: the app opened for review.
fn review_in_the_app(case: &Path) {
    use retrace::gui::{Command as GuiCommand, RetraceApp, Startup};
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::Vec2::new(1200.0, 800.0))
        .build_eframe(|cc| {
            RetraceApp::new(
                cc,
                Startup {
                    case: None,
                    sample_dir: None,
                    ..Default::default()
                },
            )
        });
    h.state_mut()
        .push_command(GuiCommand::OpenCaseForReview(case.to_path_buf()));
    crate::gui::wait_within(
        &mut h,
        "the case to open for review",
        Duration::from_secs(60),
        |h| {
            h.state()
                .open_case()
                .is_some_and(|c| c.timeline.is_some() && c.table.rows.is_some())
        },
    );
    assert!(h.state().is_review());
}

// ---- 2. Damage stops writes ---------------------------------------------------------------

/// Breaks the b-tree page at the root of `index` (its page-type byte).
fn break_index(case: &Path, index: &str) {
    let (root, page_size) = {
        let c = rusqlite::Connection::open(case).unwrap();
        let root: i64 = c
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = ?1",
                [index],
                |r| r.get(0),
            )
            .unwrap();
        let size: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
        (root, size)
    };
    let mut b = bytes(case);
    b[((root - 1) * page_size) as usize] = 0x55;
    std::fs::write(case, b).unwrap();
}

#[test]
fn a_damaged_case_refuses_every_write_and_reads_say_it_is_damaged() {
    let t = TestDir::new();
    let case = small_case(&t, "damaged.retrace", 200);
    assert!(!PathBuf::from(format!("{}-wal", case.display())).exists());
    break_index(&case, "event_ts");
    let before = bytes(&case);
    let more = t.write("more.csv", "time,account\n2021-03-01T00:00:00Z,later\n");
    let out_dir = t.path("export-of-damaged");
    for args in [
        vec!["import", s(&case), s(&more)],
        vec!["export", s(&case), "--format", "csv", "--out", s(&out_dir)],
        vec!["annotate", s(&case), "--event", "1", "--star"],
        vec!["findings", s(&case), "--set", "session.gap_minutes=45"],
        vec!["recover", s(&case)],
    ] {
        let (code, out, err) = retrace(&args);
        assert_eq!(code, 1, "{args:?} on a damaged case: {out}{err}");
        assert!(
            format!("{out}{err}").contains("the case file is damaged"),
            "{args:?}: {out}{err}"
        );
        assert!(bytes(&case) == before, "{args:?} wrote to the damaged case");
    }
    // The export is refused before its folder is written, not after.
    assert!(
        !out_dir.exists(),
        "an export folder was written for a damaged case"
    );
    // Reading still answers what it can, and says the case is damaged.
    let (code, out, err) = retrace(&["show", s(&case), "1"]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, out, err) = retrace(&["info", s(&case)]);
    assert!(
        format!("{out}{err}").contains("damaged"),
        "info: {out}{err}"
    );
    let (code, out, _) = retrace(&["verify", s(&case)]);
    assert_eq!(code, 1, "{out}");
}

// ---- 6. Untrusted export folders ----------------------------------------------------------

/// Runs `verify-export DIR`; fails if it takes more than 20 s (a FIFO or /dev/zero read).
fn verify_export_quickly(dir: &Path) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_retrace"))
        .env("RETRACE_CONFIG_DIR", crate::util::test_config_dir())
        .args(["verify-export", s(dir)])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("verify-export {} ran for 20 s", dir.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

fn edit_manifest(dir: &Path, f: impl FnOnce(&mut serde_json::Value)) {
    let p = dir.join("manifest.json");
    let mut v: serde_json::Value = serde_json::from_slice(&bytes(&p)).unwrap();
    f(&mut v);
    std::fs::write(&p, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
}

#[test]
fn verify_export_ends_quickly_with_a_named_failure_on_hostile_folders() {
    use std::os::unix::fs::symlink;
    let t = TestDir::new();
    let case = small_case(&t, "exp.retrace", 20);
    let good = t.path("good");
    let (code, out, err) = retrace(&["export", s(&case), "--out", s(&good)]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out) = verify_export_quickly(&good);
    assert_eq!(code, 0, "{out}");
    let mut n = 0;
    let mut variant = |prepare: &dyn Fn(&Path), expect: &str| {
        n += 1;
        let d = t.path(&format!("hostile{n}"));
        copy_dir(&good, &d);
        prepare(&d);
        let (code, out) = verify_export_quickly(&d);
        assert_eq!(code, 1, "variant {n}: {out}");
        assert!(
            out.contains(expect),
            "variant {n}: expected {expect:?} in {out}"
        );
    };
    variant(
        &|d| {
            std::fs::remove_file(d.join("manifest.json")).unwrap();
            symlink("/dev/zero", d.join("manifest.json")).unwrap();
        },
        "manifest.json: a symbolic link, not a regular file",
    );
    variant(
        &|d| {
            std::fs::remove_file(d.join("events.csv")).unwrap();
            symlink("/dev/zero", d.join("events.csv")).unwrap();
        },
        "FAILED  events.csv: changed — a symbolic link",
    );
    variant(
        &|d| {
            std::fs::remove_file(d.join("events.csv")).unwrap();
            let ok = Command::new("mkfifo")
                .arg(d.join("events.csv"))
                .status()
                .unwrap();
            assert!(ok.success());
        },
        "FAILED  events.csv: changed — a FIFO",
    );
    variant(
        &|d| std::fs::write(d.join("manifest.json"), r#"{"files": []}"#).unwrap(),
        "not a Retrace export manifest",
    );
    variant(
        &|d| edit_manifest(d, |v| v["files"] = serde_json::json!([])),
        "lists no files",
    );
    variant(
        &|d| std::fs::write(d.join("manifest.json"), "").unwrap(),
        "empty",
    );
    variant(
        &|d| {
            edit_manifest(d, |v| {
                let rows = v["rows"].as_u64().unwrap() + 1;
                v["rows"] = rows.into();
                v["files"][0]["rows"] = rows.into();
            })
        },
        "21 rows",
    );
    variant(
        &|d| edit_manifest(d, |v| v["rows"] = 999.into()),
        "rows add up to 20",
    );
    // A huge (sparse) file in place of the listed one: its size is compared first, not hashed.
    variant(
        &|d| {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(d.join("events.csv"))
                .unwrap();
            f.set_len(64 << 30).unwrap();
        },
        "(not hashed)",
    );
    variant(
        &|d| {
            let big = std::fs::File::create(d.join("manifest.json")).unwrap();
            big.set_len(1 << 30).unwrap();
        },
        "limit",
    );
}

// ---- 7. Formula cells ---------------------------------------------------------------------

const FORMULAS: &[&str] = &[
    "=1+1",
    "+SUM(A1)",
    "@SUM(1)",
    "-2+3",
    "＝1+1",
    "＋SUM(A1)",
    "＠SUM(1)",
    "－1",
];

/// Every cell of `csv` after the header: none starts as a formula, and the formula values
/// are there, neutralised (so the check is not vacuous).
fn assert_no_formula(what: &str, csv: &[u8]) {
    let text = String::from_utf8_lossy(csv);
    let text = text.trim_start_matches('\u{feff}');
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut neutralised = 0;
    for rec in r.records() {
        for cell in rec.unwrap().iter() {
            let first = cell.chars().next();
            assert!(
                !first.is_some_and(|c| "=+-@\t\r＝＋－＠".contains(c)),
                "{what}: a cell starts a formula: {cell:?}"
            );
            neutralised += usize::from(
                cell.strip_prefix('\'')
                    .is_some_and(|rest| FORMULAS.contains(&rest)),
            );
        }
    }
    assert!(
        neutralised >= 3,
        "{what}: the formula cells are missing: {text}"
    );
}

#[test]
fn no_csv_the_project_writes_starts_a_cell_with_a_formula() {
    let t = TestDir::new();
    let mut text = String::from("time,account,system,action,object,subjects\n");
    for (i, f) in FORMULAS.iter().enumerate() {
        text.push_str(&format!(
            "2021-02-24T09:15:{i:02}Z,\"{f}\",\"{f}\",\"{f}\",\"{f}\",U1\n"
        ));
    }
    let src = t.write("formulas.csv", text);
    let case = t.path("f.retrace");
    let (code, out, err) = retrace(&["import", s(&case), s(&src)]);
    assert_eq!(code, 0, "{out}{err}");
    // The export.
    let exp = t.path("exp");
    let (code, out, err) = retrace(&["export", s(&case), "--out", s(&exp), "--bom"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_no_formula("events.csv", &bytes(&exp.join("events.csv")));
    // `subject --out`: the queries are echoed, and the hits carry the formula values.
    let mut ids = String::from("U1\n");
    for f in FORMULAS {
        ids.push_str(f);
        ids.push('\n');
    }
    let ids_file = t.write("ids.txt", ids);
    let out_csv = t.path("subjects.csv");
    let (code, out, err) = retrace(&[
        "subject",
        s(&case),
        "--file",
        s(&ids_file),
        "--out",
        s(&out_csv),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_no_formula("subject --out", &bytes(&out_csv));
    // The app's saved lookup writes with `write_csv`; the bulk writer streams the same rows.
    let c = Case::open_read_only(&case).unwrap();
    let queries: Vec<String> = std::iter::once("U1".to_string())
        .chain(FORMULAS.iter().map(|f| f.to_string()))
        .collect();
    let answers = retrace::analysis::subject::lookup_subjects(&c, &queries).unwrap();
    let mut buf = Vec::new();
    retrace::analysis::subject::write_csv(&answers, chrono_tz::UTC, &mut buf).unwrap();
    assert_no_formula("write_csv (the app's saved lookup)", &buf);
    let mut buf = Vec::new();
    retrace::analysis::subject::lookup_subjects_to_csv(&c, &queries, chrono_tz::UTC, &mut buf)
        .unwrap();
    assert_no_formula("lookup_subjects_to_csv", &buf);
}

/// One CSV writer: nothing but `model::csv` builds a `csv::Writer`.
#[test]
fn only_the_project_csv_writer_builds_csv_writers() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut found = Vec::new();
    for f in files {
        if f.ends_with("model/csv.rs") || f.starts_with(src.join("synth")) {
            // The writer itself; and `synth` writes test data, never a user's output.
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.contains("csv::Writer") || line.contains("WriterBuilder") {
                found.push(format!("{}:{}: {line}", f.display(), i + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "CSV writers besides model::csv: {found:#?}"
    );
}

// ---- 8. Smaller items ---------------------------------------------------------------------

#[test]
fn findings_set_is_all_or_nothing() {
    let t = TestDir::new();
    let case = small_case(&t, "params.retrace", 3);
    let custody = || {
        let (code, out, err) = retrace(&["custody", s(&case), "--json"]);
        assert_eq!(code, 0, "{err}");
        out
    };
    let before = custody();
    let (code, out, err) = retrace(&[
        "findings",
        s(&case),
        "--set",
        "session.gap_minutes=45",
        "--set",
        "session.gap_minutes=not-a-number",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("no parameter was changed"), "{err}");
    assert_eq!(custody(), before, "no custody entry for a refused --set");
    let (_, out, _) = retrace(&["findings", s(&case), "--params", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let gap = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "gap_minutes")
        .unwrap();
    assert_eq!(gap["value"], gap["default"], "the first --set was not kept");
}

#[test]
fn a_milestone_for_an_unknown_person_is_a_reject() {
    let t = TestDir::new();
    let case = t.path("m.retrace");
    let people = t.write(
        "people.csv",
        "person_id,display_name,native_name,organization,country,role,zone\nP01,Mori Keiko,,Acme,JP,,Asia/Tokyo\n",
    );
    let ms = t.write(
        "milestones.csv",
        "at,label,kind,scope\n2021-01-01T00:00:00Z,known,access_granted,person:P01\n2021-01-02T00:00:00Z,unknown,access_granted,person:P99\n",
    );
    let (code, out, err) = retrace(&["import", s(&case), s(&people), s(&ms), "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let m = &v["imports"][1];
    assert_eq!(m["rows_imported"], 1, "{m}");
    assert_eq!(m["rows_rejected"], 1, "{m}");
    let (_, out, _) = retrace(&["rejects", s(&case)]);
    assert!(
        out.contains("milestones.csv:3") && out.contains("P99"),
        "{out}"
    );
}

#[test]
fn rejects_of_an_unknown_source_is_an_error() {
    let t = TestDir::new();
    let case = small_case(&t, "r.retrace", 1);
    let (code, out, err) = retrace(&["rejects", s(&case), "--source", "999"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("no source with id 999"), "{err}");
    let (code, _, err) = retrace(&["rejects", s(&case), "--source", "1"]);
    assert_eq!(code, 0, "{err}");
}
