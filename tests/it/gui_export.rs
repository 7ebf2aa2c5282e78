//! The export panel, the custody window and annotations in the app (egui_kittest): export the
//! current view (the Shanghai organization filter) from the panel, see the result and the
//! manifest, the custody entry in the custody window, an annotation from the detail pane, and a
//! case opened for review refusing both.

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::case::{AnnotationKind, AnnotationTarget, Case, FilterTerm};
use retrace::gui::{Command, RetraceApp, Startup, TrailCommand};

use crate::util::{self, TestDir};

const SHANGHAI: &str = "Hoshizora Technology (Shanghai) Co., Ltd.";

fn harness(case: Option<std::path::PathBuf>) -> Harness<'static, RetraceApp> {
    Harness::builder()
        .with_size(egui::Vec2::new(1500.0, 950.0))
        .build_eframe(move |cc| {
            RetraceApp::new(
                cc,
                Startup {
                    case,
                    sample_dir: None,
                    ..Default::default()
                },
            )
        })
}

fn wait(
    h: &mut Harness<'_, RetraceApp>,
    what: &str,
    done: impl Fn(&Harness<'_, RetraceApp>) -> bool,
) {
    crate::gui::wait_within(h, what, Duration::from_secs(90), done)
}

fn opened(h: &Harness<'_, RetraceApp>) -> bool {
    h.state()
        .open_case()
        .is_some_and(|c| c.timeline.is_some() && c.table.rows.is_some())
}

#[test]
fn export_the_filtered_view_from_the_panel_and_see_it_in_the_custody_log() {
    let t = TestDir::new();
    let (case, path) = util::build_sample_case(&t);
    let custody_before = case.custody().custody_entries().unwrap().len();
    drop(case);
    let mut h = harness(Some(path.clone()));
    wait(&mut h, "the case to open", opened);
    // The current view: the whole case, filtered to the Shanghai organization.
    h.state_mut()
        .push_command(Command::AddFilter(FilterTerm::Organization(
            SHANGHAI.into(),
        )));
    h.state_mut().push_command(Command::ZoomToCase);
    wait(&mut h, "the filter", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| !c.view.filter.is_empty())
    });

    h.get_by_label("Export…").click();
    wait(&mut h, "the export window", |h| {
        h.query_by_label("Scope:").is_some()
    });
    // The location comes from the save dialog in the app; set it directly here.
    let out = t.path("gui-export");
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetExportDir(out.clone())));
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetInvestigator(
            "panel tester".into(),
        )));
    for _ in 0..3 {
        h.step();
    }
    assert!(h.query_by_label_contains("panel tester").is_some());
    h.get_by_role_and_label(Role::Button, "JSON Lines").click();
    h.step();
    h.get_by_role_and_label(Role::Button, "mask").click();
    h.step();
    h.get_by_role_and_label(Role::Button, "Export").click();
    wait(&mut h, "the export to finish", |h| {
        !h.state().trail().export_running() && h.state().trail().last_export().is_some()
    });
    let outcome = match h.state().trail().last_export().unwrap() {
        Ok(o) => o.clone(),
        Err(e) => panic!("the export failed: {e}"),
    };
    // The view spans the whole case, so the rows are the organization's events.
    let truth = util::truth();
    let engineers: Vec<&str> = truth["shanghai"]["engineers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let want: u64 = truth["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| engineers.contains(&p["person_id"].as_str().unwrap()))
        .map(|p| p["events"].as_u64().unwrap() + p["denied_events"].as_u64().unwrap())
        .sum();
    assert_eq!(outcome.rows, want);
    assert!(
        h.query_by_label_contains(&format!("Exported {want} events"))
            .is_some()
    );
    let text = std::fs::read_to_string(out.join("events.jsonl")).unwrap();
    assert_eq!(text.lines().count() as u64, want);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["investigator"], "panel tester");
    assert_eq!(manifest["redaction"]["mode"], "mask");
    assert_eq!(manifest["scope"]["kind"], "view");
    assert_eq!(
        manifest["scope"]["filter"][0],
        format!("organization {SHANGHAI}")
    );
    assert!(
        retrace::ops::export::verify_export(&out)
            .unwrap()
            .is_clean()
    );

    // The custody window lists the export.
    h.get_by_label("Custody log…").click();
    wait(&mut h, "the custody log", |h| {
        h.state()
            .trail()
            .custody
            .entries()
            .is_some_and(|e| e.len() == custody_before + 1)
    });
    assert!(
        h.query_by_label("export").is_some(),
        "an export row in the custody window"
    );
    assert!(
        h.query_all_by_label("panel tester").count() >= 2,
        "the investigator in the export form and in the log's row"
    );
}

#[test]
fn annotate_an_event_from_the_detail_pane() {
    let t = TestDir::new();
    let (case, path) = util::build_sample_case(&t);
    drop(case);
    let mut h = harness(Some(path.clone()));
    wait(&mut h, "the case to open", opened);
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetInvestigator(
            "annotator".into(),
        )));
    h.state_mut().push_command(Command::SelectEvent {
        id: 7,
        ts_us: 0,
        scroll_table: false,
    });
    wait(&mut h, "the event's detail", |h| {
        h.query_by_label("event 7").is_some()
    });
    h.get_by_role_and_label(Role::Button, "★ Star").click();
    wait(&mut h, "the annotation to be saved", |h| {
        h.state()
            .trail()
            .custody
            .annotations()
            .iter()
            .any(|a| a.target == AnnotationTarget::Event(7))
    });
    let c = Case::open_read_only(&path).unwrap();
    let a = c.annotations().event_annotations(7).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].kind, AnnotationKind::Star);
    assert_eq!(a[0].author, "annotator");
    assert_eq!(
        c.custody()
            .custody_entries()
            .unwrap()
            .last()
            .unwrap()
            .action,
        "annotate"
    );
}

#[test]
fn a_case_opened_for_review_offers_no_write() {
    let t = TestDir::new();
    let (case, path) = util::build_sample_case(&t);
    let before = case.custody().custody_entries().unwrap().len();
    drop(case);
    let mut h = harness(None);
    h.state_mut()
        .push_command(Command::OpenCaseForReview(path.clone()));
    wait(&mut h, "the case to open", opened);
    assert!(h.state().is_review());
    assert!(h.query_by_label("opened for review: read-only").is_some());
    h.state_mut().push_command(Command::SelectEvent {
        id: 3,
        ts_us: 0,
        scroll_table: false,
    });
    wait(&mut h, "the detail", |h| {
        h.query_by_label("event 3").is_some()
    });
    assert!(
        h.query_by_label("Opened for review: annotations cannot be added.")
            .is_some()
    );
    assert!(h.query_by_role_and_label(Role::Button, "★ Star").is_none());
    h.get_by_label("Export…").click();
    wait(&mut h, "the export window", |h| {
        h.query_by_label("Scope:").is_some()
    });
    assert!(
        h.query_by_label_contains("Opened for review: nothing can be written")
            .is_some()
    );
    h.state_mut().push_command(Command::PrepareImport(vec![
        util::sample_dir().join("people.csv"),
    ]));
    h.step();
    assert!(
        h.state()
            .message()
            .is_some_and(|m| m.text.contains("opened for review"))
    );
    assert_eq!(
        Case::open_read_only(&path)
            .unwrap()
            .custody()
            .custody_entries()
            .unwrap()
            .len(),
        before
    );
}

/// Without a desktop portal the folder dialog never appears: the export form takes a typed
/// folder, and the report is written there.
#[test]
fn the_report_exports_to_a_typed_folder() {
    let t = TestDir::new();
    let (case, path) = util::build_sample_case(&t);
    drop(case);
    let mut h = harness(Some(path));
    wait(&mut h, "the case to open", opened);
    h.get_by_label("Export…").click();
    wait(&mut h, "the export window", |h| {
        h.query_by_label("Save to:").is_some()
    });
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetInvestigator(
            "panel tester".into(),
        )));
    h.get_by_role_and_label(Role::Button, "Report (HTML)")
        .click();
    h.step();
    let out = t.path("typed-report");
    crate::gui::type_beside(&mut h, "Save to:", out.to_str().unwrap());
    h.get_by_role_and_label(Role::Button, "Export").click();
    wait(&mut h, "the export to finish", |h| {
        !h.state().trail().export_running() && h.state().trail().last_export().is_some()
    });
    if let Err(e) = h.state().trail().last_export().unwrap() {
        panic!("the export failed: {e}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("Hoshizora"),
        "the report names the case's organizations"
    );
    assert!(
        retrace::ops::export::verify_export(&out)
            .unwrap()
            .is_clean()
    );
}

/// Exports the current view as CSV from the panel into the folder the form holds, waiting
/// for the result.
fn export_from_the_panel(
    h: &mut Harness<'_, RetraceApp>,
) -> Result<retrace::ops::export::ExportOutcome, String> {
    // The result before, to tell the new one from it.
    fn key(h: &Harness<'_, RetraceApp>) -> Option<String> {
        h.state().trail().last_export().map(|r| match r {
            Ok(o) => o.custody_hash.clone(),
            Err(e) => e.clone(),
        })
    }
    let before = key(h);
    for _ in 0..3 {
        h.step();
    }
    h.get_by_role_and_label(Role::Button, "Export").click();
    wait(h, "the export to finish", |h| {
        !h.state().trail().export_running() && key(h) != before
    });
    h.state().trail().last_export().unwrap().clone()
}

/// After an export the folder it wrote is not empty, so the form proposes a new one beside
/// it and a second export from the panel succeeds there.
#[test]
fn export_folder_is_a_fresh_one_after_a_successful_export() {
    let t = TestDir::new();
    let (case, path) = util::build_sample_case(&t);
    drop(case);
    let mut h = harness(Some(path));
    wait(&mut h, "the case to open", opened);
    h.get_by_label("Export…").click();
    wait(&mut h, "the export window", |h| {
        h.query_by_label("Save to:").is_some()
    });
    let first = t.path("report");
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetExportDir(first.clone())));
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetInvestigator(
            "panel tester".into(),
        )));
    h.step();
    let one = export_from_the_panel(&mut h).expect("the first export");
    assert_eq!(one.dir, first);
    let second = t.path("report-2");
    assert_eq!(
        h.state().trail().export.out_dir.as_deref(),
        Some(second.as_path()),
        "a new folder is proposed for the next export"
    );
    h.step();
    assert!(
        h.query_by_label_contains("The next export goes to a new folder")
            .is_some()
    );
    let two = export_from_the_panel(&mut h).expect("the second export, into the new folder");
    assert_eq!(two.dir, second);
    assert!(
        retrace::ops::export::verify_export(&second)
            .unwrap()
            .is_clean()
    );
    // A folder that exists already is skipped: report-3 is taken, so report-4 comes next.
    std::fs::create_dir(t.path("report-3")).unwrap();
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetExportDir(second.clone())));
    h.step();
    let err = export_from_the_panel(&mut h).expect_err("report-2 is not empty");
    assert!(err.contains("not empty") || err.contains("exists"), "{err}");
    assert_eq!(
        h.state().trail().export.out_dir.as_deref(),
        Some(second.as_path()),
        "a failed export keeps the folder"
    );
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetExportDir(first.clone())));
    h.step();
    let _ = export_from_the_panel(&mut h).expect_err("report is not empty");
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetExportDir(t.path("x-9"))));
    h.step();
    export_from_the_panel(&mut h).expect("into x-9");
    assert_eq!(
        h.state().trail().export.out_dir.as_deref(),
        Some(t.path("x-10").as_path())
    );
    let _ = std::fs::remove_dir_all(t.path("report-3"));
}

/// The custody window shows each entry in words (who, when, what), its details on demand, and
/// verifies the chain as `retrace verify` does; an edited entry is named.
#[test]
fn custody_window_shows_entries_readably_and_verifies_the_chain() {
    let t = TestDir::new();
    let (case, path) = util::build_sample_case(&t);
    let n = case.custody().custody_entries().unwrap().len();
    drop(case);
    let mut h = harness(Some(path.clone()));
    wait(&mut h, "the case to open", opened);
    h.get_by_label("Custody log…").click();
    wait(&mut h, "the custody log", |h| {
        h.state().trail().custody.entries().is_some()
    });
    h.step();
    assert!(
        h.query_by_label_contains(&format!("{n} entries, newest first"))
            .is_some()
    );
    // An import entry in words, not JSON.
    assert!(
        h.query_by_label_contains("imported people.csv (people):")
            .is_some(),
        "the import of the people roster in words"
    );
    // Details on demand: the JSON, pretty-printed, and the hashes.
    let details = h.query_all_by_label("details").count();
    assert_eq!(details, n, "one details header per entry");
    // The newest entry's, at the top.
    h.query_all_by_label("details").next().unwrap().click();
    h.step();
    h.step();
    let newest = h
        .state()
        .trail()
        .custody
        .entries()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let pretty = serde_json::to_string_pretty(
        &serde_json::from_str::<serde_json::Value>(&newest.details).unwrap(),
    )
    .unwrap();
    assert!(pretty.lines().count() > 2);
    assert!(
        h.query_by_label(&pretty).is_some(),
        "the details, pretty-printed"
    );
    assert!(
        h.query_by_label_contains(&format!("previous {}", newest.prev_hash))
            .is_some()
    );

    h.get_by_role_and_label(Role::Button, "Verify chain")
        .click();
    wait(&mut h, "the chain verified", |h| {
        h.state().trail().custody.check.is_some()
    });
    h.step();
    assert!(
        h.query_by_label_contains(&format!("Verified: {n} entries — chain intact"))
            .is_some()
    );
    // An entry changed behind the app's back: the check names it.
    drop(h);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER custody_no_update; UPDATE custody SET actor = 'mallory' WHERE id = 1;",
    )
    .unwrap();
    drop(conn);
    let mut h = harness(Some(path));
    wait(&mut h, "the case to open", opened);
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::ShowCustody(true)));
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::VerifyCustody));
    wait(&mut h, "the chain checked", |h| {
        h.state().trail().custody.check.is_some()
    });
    h.step();
    assert!(h.query_by_label_contains("NOT verified:").is_some());
    assert!(
        h.query_by_label_contains("its contents do not match its hash")
            .is_some()
    );
}

/// In review mode every trail write is refused by the app itself, not only by the disabled
/// buttons: a command that arrives anyway writes nothing and says why.
#[test]
fn review_mode_refuses_trail_writes() {
    let t = TestDir::new();
    let (case, path) = util::build_sample_case(&t);
    let before = case.custody().custody_entries().unwrap().len();
    drop(case);
    let mut h = harness(None);
    h.state_mut()
        .push_command(Command::OpenCaseForReview(path.clone()));
    wait(&mut h, "the case to open", opened);
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetInvestigator(
            "reviewer".into(),
        )));
    let out = t.path("review-export");
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::StartExport(Box::new(
            retrace::gui::ExportOrder {
                scope: retrace::ops::export::ExportScope::Case,
                finding: None,
                format: retrace::ops::export::ExportFormat::Csv,
                bom: false,
                redaction: retrace::ops::export::RedactionMode::Keep,
                lang: retrace::ops::export::Lang::En,
                headers: retrace::ops::export::Lang::En,
                layout: retrace::ops::export::ReportLayout::Ppc,
                out_dir: out.clone(),
            },
        ))));
    h.step();
    assert!(
        h.state()
            .message()
            .is_some_and(|m| m.error && m.text == retrace::gui::REVIEW_REFUSAL)
    );
    assert!(matches!(
        h.state().trail().last_export(),
        Some(Err(e)) if e == retrace::gui::REVIEW_REFUSAL
    ));
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::Annotate {
            target: AnnotationTarget::Event(3),
            kind: AnnotationKind::Note,
            text: "written in review".into(),
        }));
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SaveReportText {
            section: 0,
            lang: retrace::ops::export::Lang::En,
            text: "written in review".into(),
        }));
    for _ in 0..5 {
        h.step();
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!h.state().trail().export_running());
    assert!(!out.exists(), "no export folder was made");
    let c = Case::open_read_only(&path).unwrap();
    assert_eq!(c.custody().custody_entries().unwrap().len(), before);
    assert!(c.annotations().event_annotations(3).unwrap().is_empty());
    assert_eq!(c.export().report_text("ppc.outline", "en").unwrap(), None);
}
