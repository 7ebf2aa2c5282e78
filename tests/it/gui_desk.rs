//! The investigator's desk (issue 18): searchable zone pickers that stay open while typed
//! in, no shortcut while a menu is open, and a typed path beside every file dialog,
//! remembered per purpose. Clicks here are pointer clicks, as a user makes them.

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::gui::{PathPurpose, RetraceApp, Startup};

use crate::gui::{app_at, open_sample, sample_case, settle, wait_for};

fn harness(case: &Path) -> Harness<'static, RetraceApp> {
    let startup = Startup {
        case: Some(case.to_path_buf()),
        ..Default::default()
    };
    let mut h = app_at(startup, 1280.0, 800.0);
    wait_for(&mut h, "the case to open", |h| {
        h.state().open_case().is_some()
    });
    settle(&mut h);
    h
}

fn frames(h: &mut Harness<'_, RetraceApp>, n: usize) {
    for _ in 0..n {
        h.step();
    }
}

/// The open picker's search field.
fn search_field<'a>(h: &'a Harness<'_, RetraceApp>) -> egui_kittest::Node<'a> {
    h.get_by_role_and_label(Role::TextInput, "Search zones:")
}

#[test]
fn zone_search_keeps_the_display_zone_menu_open_while_typing_and_finds_shanghai() {
    let mut h = open_sample();
    settle(&mut h);
    h.get_by_label("Zone: Asia/Tokyo").click();
    frames(&mut h, 2);
    // Every IANA zone is listed, not the first sixty.
    let all = chrono_tz::TZ_VARIANTS.len();
    assert!(h.query_by_label(&format!("{all} zones")).is_some());

    // A shortcut key while the menu is open does nothing (N would select the next event).
    h.key_press(egui::Key::N);
    frames(&mut h, 2);
    settle(&mut h);
    assert_eq!(h.state().open_case().unwrap().view.selected, None);

    // Clicking the search field keeps the menu open and gives the field the keys.
    search_field(&h).click();
    frames(&mut h, 2);
    assert!(
        search_field(&h).is_focused(),
        "the search field has the focus"
    );
    search_field(&h).type_text("Shanghai");
    frames(&mut h, 2);
    assert!(h.query_by_label("1 zone").is_some());
    assert!(
        h.query_by_role_and_label(Role::Button, "Asia/Tokyo")
            .is_none()
    );
    h.get_by_role_and_label(Role::Button, "Asia/Shanghai")
        .click();
    wait_for(&mut h, "the Shanghai zone", |h| {
        h.query_by_label("Time axis: Asia/Shanghai").is_some()
    });
    assert_eq!(h.state().settings().recent_zones, vec!["Asia/Shanghai"]);

    // Open again: the recent zone comes first, above the search field.
    h.get_by_label("Zone: Asia/Shanghai").click();
    frames(&mut h, 2);
    assert!(h.query_by_label("Recent:").is_some());
    let first = h
        .get_all_by_role_and_label(Role::Button, "Asia/Shanghai")
        .map(|n| n.rect().top())
        .fold(f32::INFINITY, f32::min);
    assert!(first < search_field(&h).rect().top());
}

#[test]
fn zone_search_picks_the_import_source_zone_with_a_click_and_typing() {
    let dir = tempfile::tempdir().unwrap();
    let case_path = dir.path().join("new.retrace");
    drop(retrace::case::Case::create(&case_path, "zone test").unwrap());
    let mut h = harness(&case_path);
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/sh_admin_tool.csv");
    h.state_mut()
        .push_command(retrace::gui::Command::PrepareImport(vec![file]));
    wait_for(&mut h, "the preview", |h| {
        h.query_by_label_contains("Source zone: default: UTC")
            .is_some()
    });
    h.get_by_label_contains("Source zone:").click();
    frames(&mut h, 2);
    search_field(&h).click();
    frames(&mut h, 2);
    search_field(&h).type_text("shanghai");
    frames(&mut h, 2);
    h.get_by_role_and_label(Role::Button, "Asia/Shanghai")
        .click();
    wait_for(&mut h, "the preview in Asia/Shanghai", |h| {
        h.query_by_label_contains("Source zone: Asia/Shanghai")
            .is_some()
    });
    assert_eq!(h.state().settings().recent_zones, vec!["Asia/Shanghai"]);
}

#[test]
fn typed_path_imports_a_file_without_a_file_dialog_and_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let case_path = dir.path().join("new.retrace");
    drop(retrace::case::Case::create(&case_path, "typed import").unwrap());
    let mut h = harness(&case_path);
    // The toolbar's Import opens the window, with its typed path, before any file is picked.
    h.get_by_label("Import…").click();
    wait_for(&mut h, "the import window", |h| {
        h.query_by_label("or a path:").is_some()
    });
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/sh_admin_tool.csv");
    h.get_by_label("or a path:").click();
    frames(&mut h, 1);
    h.get_by_label("or a path:")
        .type_text(&file.display().to_string());
    frames(&mut h, 1);
    h.get_by_label("Add path").click();
    wait_for(&mut h, "the preview of the typed file", |h| {
        h.query_by_label_contains("Source zone: default: UTC")
            .is_some()
    });
    assert_eq!(
        h.state().settings().last_path(PathPurpose::Import),
        Some(file.as_path())
    );
    // Closed and opened again, the field starts in the folder of the last import.
    h.state_mut()
        .push_command(retrace::gui::Command::CloseImport);
    wait_for(&mut h, "the import window to close", |h| {
        h.query_by_label("or a path:").is_none()
    });
    h.get_by_label("Import…").click();
    wait_for(&mut h, "the import window again", |h| {
        h.query_by_label("or a path:").is_some()
    });
    let folder = format!(
        "{}{}",
        file.parent().unwrap().display(),
        std::path::MAIN_SEPARATOR
    );
    assert_eq!(
        h.get_by_label("or a path:").value().as_deref(),
        Some(folder.as_str())
    );
}

#[test]
fn typed_path_of_the_open_window_and_the_export_folder_are_remembered() {
    let mut h = harness(sample_case());
    h.get_by_label("Open by path…").click();
    wait_for(&mut h, "the open window", |h| {
        h.query_by_label("Case file path:").is_some()
    });
    let shown = h.get_by_label("Case file path:").value();
    assert_eq!(shown, Some(sample_case().display().to_string()));
    h.state_mut()
        .push_command(retrace::gui::Command::ShowOpenWindow(false));

    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("report");
    h.state_mut().push_command(retrace::gui::Command::Trail(
        retrace::gui::TrailCommand::SetExportDir(folder.clone()),
    ));
    frames(&mut h, 2);
    assert_eq!(
        h.state().settings().last_path(PathPurpose::Export),
        Some(folder.as_path())
    );
    // The export folder dialog starts beside the last export folder.
    assert_eq!(
        h.state().settings().last_dir(PathPurpose::Export),
        Some(out.path().to_path_buf())
    );
}

#[test]
fn typed_path_loads_identifiers_and_saves_the_subject_lookup_csv() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("ids.txt");
    std::fs::write(&list, "U84e8d9190810\nUnobody000\n").unwrap();
    let csv = dir.path().join("answers.csv");
    let mut h = open_sample();
    h.get_by_label("Subject lookup…").click();
    wait_for(&mut h, "the subject window", |h| {
        h.query_by_label("Identifier file:").is_some()
    });
    h.get_by_label("Identifier file:").click();
    frames(&mut h, 1);
    h.get_by_label("Identifier file:")
        .type_text(&list.display().to_string());
    frames(&mut h, 1);
    h.get_by_role_and_label(Role::Button, "Load").click();
    wait_for(&mut h, "the answers of the typed file", |h| {
        h.state().open_case().is_some_and(|c| {
            c.lookup
                .subject_results
                .as_ref()
                .is_some_and(|r| r.answers.len() == 2)
        })
    });
    h.get_by_label("CSV of the answers:").click();
    frames(&mut h, 1);
    h.get_by_label("CSV of the answers:")
        .type_text(&csv.display().to_string());
    frames(&mut h, 1);
    h.get_by_role_and_label(Role::Button, "Save CSV").click();
    wait_for(&mut h, "the CSV", |h| {
        h.query_by_label_contains("CSV written to").is_some()
    });
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("U84e8d9190810"), "{text}");
    let s = h.state().settings();
    assert_eq!(s.last_path(PathPurpose::SubjectList), Some(list.as_path()));
    assert_eq!(s.last_path(PathPurpose::SubjectCsv), Some(csv.as_path()));
}

#[test]
fn person_page_names_approvers_and_overseers_and_opens_another_person_at_the_top() {
    use retrace::gui::{Command, LookupCommand};
    let mut h = open_sample();
    h.state_mut()
        .push_command(Command::Lookup(LookupCommand::OpenPerson("P13".into())));
    wait_for(&mut h, "Chen Siyuan's page", |h| {
        h.query_by_label("Person — Chen Siyuan").is_some()
            && h.query_all_by_role_and_label(Role::Link, "Mori Keiko")
                .next()
                .is_some()
    });
    // P13's approvals (sample_data/approvals.csv): approver P03, overseer P01; by name.
    assert!(
        h.query_all_by_role_and_label(Role::Link, "Tanaka Yuji")
            .next()
            .is_some()
    );
    assert!(h.query_by_label("P01").is_none());
    // Scrolled down to the approvals, a click on the overseer opens their page at the top.
    let gap_top = h.get_by_label("Session gap:").rect().top();
    for _ in 0..6 {
        h.get_all_by_role_and_label(Role::Link, "Mori Keiko")
            .next()
            .unwrap()
            .scroll_down();
        frames(&mut h, 1);
    }
    assert!(
        h.get_by_label("Session gap:").rect().top() < gap_top,
        "scrolled"
    );
    h.get_all_by_role_and_label(Role::Link, "Mori Keiko")
        .next()
        .unwrap()
        .click();
    wait_for(&mut h, "Mori Keiko's page", |h| {
        h.query_by_label("Person — Mori Keiko").is_some()
            && h.state()
                .open_case()
                .is_some_and(|c| c.lookup.pages.contains_key("P01"))
    });
    frames(&mut h, 3);
    let top = h.get_by_label("Session gap:").rect().top();
    assert!(
        (top - gap_top).abs() < 1.0,
        "opens at the top: {top} vs {gap_top}"
    );
}
