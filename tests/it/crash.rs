//! Crash safety: `retrace import` killed with SIGKILL mid-way leaves no trace of the partial
//! source; the case verifies clean and the same file imports again.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use retrace::case::Case;

use crate::hostile::{Imported, import_json, retrace};
use crate::util::TestDir;

pub(crate) fn write_big_csv(path: &std::path::Path, rows: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "time,account,system,action,object,subjects").unwrap();
    for i in 0..rows {
        writeln!(
            f,
            "2021-{:02}-{:02}T{:02}:{:02}:{:02}Z,user{},db{},SELECT,users,U{:08x}",
            1 + i % 12,
            1 + i % 28,
            i % 24,
            (i / 24) % 60,
            i % 60,
            i % 97,
            i % 5,
            i
        )
        .unwrap();
    }
}

#[test]
fn an_import_killed_mid_way_leaves_no_trace_and_runs_again() {
    let t = TestDir::new();
    let dir = t.dir.path();
    // A first, small import, so the case holds something the crash must not disturb.
    t.write("first.csv", "time,account\n2021-02-24T09:15:00Z,before\n");
    let (first, _) = import_json(dir, "crash.retrace", "first.csv", &[]);
    assert!(
        matches!(first, Imported::Done { imported: 1, .. }),
        "{first:?}"
    );

    let rows = 300_000;
    write_big_csv(&t.path("big.csv"), rows);
    let case = t.path("crash.retrace");
    // Large imports write with a rollback journal (see case::write): it exists while the
    // import's transaction is open.
    let journal = t.path("crash.retrace-journal");
    let mut child = Command::new(env!("CARGO_BIN_EXE_retrace"))
        .args(["import", "crash.retrace", "big.csv"])
        .env("RETRACE_CONFIG_DIR", crate::util::test_config_dir())
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it while it is writing: a second after its transaction began.
    let started = Instant::now();
    let mut writing_since: Option<Instant> = None;
    let killed_mid_way = loop {
        if child.try_wait().unwrap().is_some() {
            break false;
        }
        if writing_since.is_none() && journal.exists() {
            writing_since = Some(Instant::now());
        }
        if writing_since.is_some_and(|t| t.elapsed() > Duration::from_millis(1200)) {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            break true;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "import never wrote"
        );
        std::thread::sleep(Duration::from_millis(2));
    };
    assert!(
        killed_mid_way,
        "the import finished before it could be killed; make the file bigger"
    );

    assert!(journal.exists(), "the kill left a hot journal to roll back");
    // Reopened: verify is clean and the partial source left nothing.
    let v = retrace(dir, &["verify", "crash.retrace"]);
    assert_eq!(v.code, 0, "verify after the kill: {}{}", v.stdout, v.stderr);
    {
        let c = Case::open_read_only(&case).unwrap();
        let sources = c.sources().list().unwrap();
        assert_eq!(sources.len(), 1, "only the first import: {sources:?}");
        assert_eq!(sources[0].file_name, "first.csv");
        let s = c.summary().unwrap();
        assert_eq!(s.events, 1, "no event of the killed import");
        assert!(c.sources().rejects(None, 10).unwrap().is_empty());
        assert!(c.sources().source_events(sources[0].id, 10).unwrap().len() == 1);
    }
    // The same file imports again, whole, and is not refused as a duplicate.
    let (again, _) = import_json(dir, "crash.retrace", "big.csv", &[]);
    match again {
        Imported::Done {
            read,
            imported,
            rejected: 0,
            ..
        } => assert_eq!((read, imported), (rows as u64, rows as u64)),
        other => panic!("the import after the kill: {other:?}"),
    }
    let v = retrace(dir, &["verify", "crash.retrace"]);
    assert_eq!(v.code, 0, "{}{}", v.stdout, v.stderr);
}
