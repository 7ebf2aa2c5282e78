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
    let row = h.get_by_label("Save to:").rect().center().y;
    let field = h
        .get_all_by_role(Role::TextInput)
        .min_by(|a, b| {
            (a.rect().center().y - row)
                .abs()
                .total_cmp(&(b.rect().center().y - row).abs())
        })
        .expect("a text input");
    field.focus();
    h.step();
    h.get_all_by_role(Role::TextInput)
        .min_by(|a, b| {
            (a.rect().center().y - row)
                .abs()
                .total_cmp(&(b.rect().center().y - row).abs())
        })
        .unwrap()
        .type_text(out.to_str().unwrap());
    h.step();
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
