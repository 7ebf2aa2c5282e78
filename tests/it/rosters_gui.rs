//! The import window with roster files: the roster's mapping is shown with a drop-down per
//! field, a column nothing reads is listed ("not read: ..."), picking a column for a field
//! changes the preview and the import, and the result lists what was not read.

use std::path::Path;
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::gui::{Command, RetraceApp, Startup};

use crate::gui::wait_for;

fn harness(case: &Path) -> Harness<'static, RetraceApp> {
    let case = case.to_path_buf();
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

/// The value shown by the drop-down labelled `label`.
fn combo(h: &Harness<'_, RetraceApp>, label: &str) -> Option<String> {
    h.query_by_role_and_label(Role::ComboBox, label)
        .and_then(|n| n.value())
}

#[test]
fn the_import_window_shows_and_edits_a_roster_mapping_and_lists_unread_columns() {
    let dir = tempfile::tempdir().unwrap();
    let case_path = dir.path().join("rosters.retrace");
    drop(retrace::case::Case::create(&case_path, "roster import").unwrap());
    let systems = dir.path().join("systems.csv");
    std::fs::write(
        &systems,
        "system_name,storage_country,owner_team\njp-report-db,JP,crm\nus-crm,US,sales\n",
    )
    .unwrap();
    let subjects = dir.path().join("subjects.csv");
    std::fs::write(&subjects, "customer_id,country,notes\nC-1,JP,vip\n").unwrap();
    let mut h = harness(&case_path);
    wait_for(&mut h, "the empty case to open", |h| {
        h.state().open_case().is_some()
    });
    h.state_mut().push_command(Command::PrepareImport(vec![
        systems.clone(),
        subjects.clone(),
    ]));
    wait_for(&mut h, "the roster preview", |h| {
        h.query_by_label_contains("Column mapping of the systems roster")
            .is_some()
    });
    assert!(h.query_by_label("not read: owner_team").is_some());
    assert_eq!(combo(&h, "read as").as_deref(), Some("detected: systems"));
    // The guessed mapping is shown in each field's drop-down.
    assert_eq!(combo(&h, "country").as_deref(), Some("storage_country"));
    assert_eq!(combo(&h, "system *").as_deref(), Some("system_name"));
    assert_eq!(combo(&h, "description").as_deref(), Some("—"));
    assert!(
        h.query_by_label_contains("line 2: system \"jp-report-db\" country=\"JP\"")
            .is_some()
    );
    // Pick owner_team for the description: open the drop-down, choose the column.
    h.get_by_role_and_label(Role::ComboBox, "description")
        .click();
    h.step();
    h.step();
    h.get_all_by_label("owner_team").last().unwrap().click();
    crate::gui::wait_within(
        &mut h,
        "the preview with the description mapped",
        Duration::from_secs(60),
        |h| {
            h.query_by_label_contains("description=\"crm\"").is_some()
                && h.query_by_label("not read: owner_team").is_none()
        },
    );
    h.get_by_label("Import 2 files").click();
    wait_for(&mut h, "the import results", |h| {
        h.query_by_label_contains("subjects.csv: 1 row read, 1 imported, 0 rejected")
            .is_some()
    });
    assert!(
        h.query_by_label("systems.csv: 2 rows read, 2 imported, 0 rejected")
            .is_some()
    );
    assert!(h.query_by_label("subjects.csv: not read: notes").is_some());
    assert!(h.query_by_label_contains("systems.csv: not read").is_none());
    // The result comes first; the preview, folded under it, keeps the choices made.
    // The window grows as the results come in, so a click can land while it still moves:
    // click again (only while still folded) rather than wait on a click that missed.
    for _ in 0..10 {
        if combo(&h, "description").is_some() {
            break;
        }
        h.get_by_label("Preview of the selected file").click();
        for _ in 0..30 {
            h.step();
            if combo(&h, "description").is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    assert!(combo(&h, "description").is_some(), "the preview unfolded");
    assert_eq!(combo(&h, "description").as_deref(), Some("owner_team"));
    let c = rusqlite::Connection::open(&case_path).unwrap();
    let d: String = c
        .query_row(
            "SELECT description FROM system WHERE name = 'us-crm'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(d, "sales");
    let country: String = c
        .query_row(
            "SELECT country FROM system WHERE name = 'jp-report-db'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(country, "JP");
}
