//! The app shows wrong files and failed imports as readable messages: no panic, no frozen
//! window (frames keep coming and the app stays usable).

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::gui::{Command, RetraceApp, Startup};

use crate::util::TestDir;

fn app(case: Option<&Path>) -> Harness<'static, RetraceApp> {
    let startup = Startup {
        case: case.map(Path::to_path_buf),
        sample_dir: None,
        ..Default::default()
    };
    Harness::builder()
        .with_size(egui::Vec2::new(1300.0, 850.0))
        .build_eframe(move |cc| RetraceApp::new(cc, startup))
}

/// Runs frames until `done`; a frame that takes long counts as a frozen window.
fn frames_until(
    h: &mut Harness<'_, RetraceApp>,
    what: &str,
    done: impl Fn(&Harness<'_, RetraceApp>) -> bool,
) {
    let start = std::time::Instant::now();
    loop {
        let frame = std::time::Instant::now();
        h.step();
        assert!(
            frame.elapsed() < std::time::Duration::from_secs(5),
            "a frame took {:?} while waiting for {what}",
            frame.elapsed()
        );
        if done(h) {
            h.step();
            h.step();
            return;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// The app's error message (if any) and that the same text is on screen.
fn error_shown(h: &Harness<'_, RetraceApp>, want: &str) -> bool {
    h.state()
        .message()
        .is_some_and(|m| m.error && m.text.contains(want))
        && h.query_by_label_contains(want).is_some()
}

#[test]
fn opening_files_that_are_not_cases_shows_why() {
    let t = TestDir::new();
    let foreign = t.path("other_app.sqlite");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let text = t.write(
        "notes.retrace",
        "just some text, not a database\n".repeat(200),
    );
    let newer = t.path("newer.retrace");
    drop(retrace::case::Case::create(&newer, "newer").unwrap());
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    for (path, want) in [
        (&foreign, "not a Retrace case file"),
        (&text, "not a Retrace case file"),
        (&newer, "is newer than this Retrace understands"),
        (&t.path("missing.retrace"), "no such case file"),
    ] {
        let mut h = app(Some(path));
        frames_until(
            &mut h,
            &format!("the message for {}", path.display()),
            |h| error_shown(h, want),
        );
        assert!(h.state().open_case().is_none(), "{}", path.display());
        // Still alive: the message can be dismissed and frames keep coming.
        h.state_mut().push_command(Command::DismissMessage);
        h.step();
        h.step();
        assert!(h.state().message().is_none());
    }
    // Nothing was written to the files that are not cases.
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "just some text, not a database\n".repeat(200)
    );
}

#[test]
fn a_bad_file_in_the_import_shows_its_error_and_its_rejects() {
    let t = TestDir::new();
    let case_path = t.path("case.retrace");
    drop(retrace::case::Case::create(&case_path, "gui errors").unwrap());
    let mut h = app(Some(&case_path));
    frames_until(&mut h, "the empty case to open", |h| {
        h.state().open_case().is_some()
    });
    // A binary file: the preview says why it cannot be read.
    let binary = t.write("dump.bin", [0u8, 159, 146, 150, 0, 1, 2, 3].repeat(100));
    h.state_mut()
        .push_command(Command::PrepareImport(vec![binary]));
    frames_until(&mut h, "the preview's error", |h| {
        h.query_by_label_contains("looks binary").is_some()
    });
    // A CSV whose quote never closes: imported, and the reject is counted with its reason.
    let bad = t.write(
        "unclosed.csv",
        "time,account\n2021-02-24T09:15:00Z,a\n2021-02-24T09:16:00Z,\"b\n2021-02-24T09:17:00Z,c\n",
    );
    h.state_mut()
        .push_command(Command::PrepareImport(vec![bad]));
    frames_until(&mut h, "the preview", |h| {
        h.query_by_label_contains("never closes").is_some()
    });
    h.get_by_label("Import 1 file").click();
    frames_until(&mut h, "the import's outcome", |h| {
        h.query_by_label_contains("unclosed.csv: ").is_some()
            && h.state()
                .open_case()
                .is_some_and(|c| c.info.summary.events == 1)
    });
    let case = retrace::case::Case::open_read_only(&case_path).unwrap();
    let s = case.summary().unwrap();
    assert_eq!(
        (s.sources[0].rows_imported, s.sources[0].rows_rejected),
        (1, 1)
    );
}
