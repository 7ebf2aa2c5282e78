//! The export form's Timesketch and Parquet choices (egui_kittest): each writes its file,
//! with the manifest that verify-export accepts.

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::gui::{Command, RetraceApp, Startup, TrailCommand};

use crate::util::{self, TestDir};

fn harness(case: std::path::PathBuf) -> Harness<'static, RetraceApp> {
    Harness::builder()
        .with_size(egui::Vec2::new(1500.0, 950.0))
        .build_eframe(move |cc| {
            RetraceApp::new(
                cc,
                Startup {
                    case: Some(case),
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

#[test]
fn export_to_timesketch_and_parquet_from_the_panel() {
    let t = TestDir::new();
    let (case, path) = util::build_sample_case(&t);
    let total = case
        .export()
        .selection_count(&retrace::case::EventSelection::All)
        .unwrap();
    drop(case);
    let mut h = harness(path);
    wait(&mut h, "the case to open", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.timeline.is_some() && c.table.rows.is_some())
    });
    h.get_by_label("Export…").click();
    wait(&mut h, "the export window", |h| {
        h.query_by_label("Scope:").is_some()
    });
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetInvestigator(
            "panel tester".into(),
        )));
    for (button, dir, file) in [
        ("Timesketch", "ts-export", "events.timesketch.jsonl"),
        ("Parquet", "pq-export", "events.parquet"),
    ] {
        let out = t.path(dir);
        h.state_mut()
            .push_command(Command::Trail(TrailCommand::SetExportDir(out.clone())));
        h.step();
        h.get_by_role_and_label(Role::Button, button).click();
        h.step();
        h.get_by_role_and_label(Role::Button, "Export").click();
        wait(&mut h, "the export to finish", |h| {
            !h.state().trail().export_running()
                && h.state()
                    .trail()
                    .last_export()
                    .is_some_and(|r| r.as_ref().is_ok_and(|o| o.dir == out))
        });
        let o = h
            .state()
            .trail()
            .last_export()
            .unwrap()
            .as_ref()
            .unwrap()
            .clone();
        assert_eq!(o.rows, total, "{button}");
        assert_eq!(o.files[0].name, file);
        assert!(out.join(file).is_file());
        assert!(
            retrace::ops::export::verify_export(&out)
                .unwrap()
                .is_clean()
        );
    }
}
