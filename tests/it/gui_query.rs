//! The query language in the app's free-text box and saved views (issue 18, part 7), driven
//! through the real app at 1280x800: a query becomes one chip that filters the timeline and
//! the table, an error is shown under the box with its column, and a view is saved, applied
//! and deleted from the side panel, each change in the custody log.

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::case::{Case, FilterTerm};
use retrace::gui::{Command, RetraceApp, Startup};

use crate::gui::{settle, wait_for};

const SHANGHAI: &str = "Hoshizora Technology (Shanghai) Co., Ltd.";

fn harness(case: &Path) -> Harness<'static, RetraceApp> {
    harness_sized(case, 800.0)
}

/// `height`: the side panel's saved views sit below the case's counts and rejects, out of
/// view at 800 px (the panel scrolls; kittest clicks only what is drawn).
fn harness_sized(case: &Path, height: f32) -> Harness<'static, RetraceApp> {
    let case = case.to_path_buf();
    let mut h = Harness::builder()
        .with_size(egui::Vec2::new(1280.0, height))
        .build_eframe(move |cc| {
            RetraceApp::new(
                cc,
                Startup {
                    case: Some(case),
                    sample_dir: None,
                    ..Default::default()
                },
            )
        });
    wait_for(&mut h, "the case to open", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.timeline.is_some() && c.table.rows.is_some())
    });
    settle(&mut h);
    h
}

fn type_query(h: &mut Harness<'_, RetraceApp>, text: &str) {
    h.get_by_role_and_label(Role::TextInput, "Search or query:")
        .click();
    h.step();
    h.get_by_role_and_label(Role::TextInput, "Search or query:")
        .type_text(text);
    h.step();
    h.key_press(egui::Key::Enter);
    h.step();
    h.step();
}

fn rows(h: &Harness<'_, RetraceApp>) -> Option<u64> {
    h.state().open_case().and_then(|c| c.table.rows)
}

#[test]
fn query_language_in_the_free_text_box_filters_timeline_and_table() {
    let mut h = harness(crate::gui::sample_case());
    type_query(&mut h, "org:*Shanghai* AND NOT outcome:success");
    wait_for(&mut h, "the query's chip", |h| {
        h.query_by_label_contains("query: org:*Shanghai* AND NOT outcome:success")
            .is_some()
    });
    let case = Case::open_read_only(crate::gui::sample_case()).unwrap();
    let want = case
        .timeline()
        .table_count(&retrace::case::TableQuery::whole_case(vec![
            FilterTerm::Organization(SHANGHAI.into()),
            FilterTerm::parse_query("NOT outcome:success", chrono_tz::UTC).unwrap(),
        ]))
        .unwrap();
    h.state_mut().push_command(Command::ZoomToCase);
    wait_for(&mut h, "the table under the query", |h| {
        rows(h) == Some(want)
    });
    let filter = &h.state().open_case().unwrap().view.filter;
    assert_eq!(filter.len(), 1, "one chip for the whole query: {filter:?}");
    assert!(matches!(filter[0], FilterTerm::Query(_)));
}

#[test]
fn query_language_error_points_at_position() {
    let mut h = harness(crate::gui::sample_case());
    type_query(&mut h, "(org:*Shanghai* OR");
    settle(&mut h);
    assert!(
        h.query_by_label_contains("Query error at column 19: expected a term")
            .is_some(),
        "the error names its column"
    );
    // The query is shown again with a caret under the column.
    assert!(h.query_by_label("(org:*Shanghai* OR").is_some());
    assert!(h.query_by_label(&format!("{}^", " ".repeat(18))).is_some());
    // Nothing was added and the typed text is kept for fixing.
    assert!(h.state().open_case().unwrap().view.filter.is_empty());
    // Fixing the text clears the error.
    h.get_by_role_and_label(Role::TextInput, "Search or query:")
        .click();
    h.step();
    h.key_press(egui::Key::End);
    h.get_by_role_and_label(Role::TextInput, "Search or query:")
        .type_text(" outcome:denied)");
    h.step();
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert!(h.query_by_label_contains("Query error").is_none());
    assert_eq!(h.state().open_case().unwrap().view.filter.len(), 1);
}

#[test]
fn saved_views_save_apply_and_delete_from_the_side_panel_with_custody_entries() {
    let t = crate::util::TestDir::new();
    let path = t.path("views.retrace");
    retrace::ops::sample::build_sample(
        &path,
        &retrace::jobs::NoProgress,
        &retrace::jobs::CancelToken::new(),
    )
    .unwrap();
    let mut h = harness_sized(&path, 1300.0);
    h.state_mut()
        .push_command(Command::Trail(retrace::gui::TrailCommand::SetInvestigator(
            "Tester".into(),
        )));
    type_query(&mut h, "org:*Shanghai*");
    h.state_mut()
        .push_command(Command::SetColorBy(retrace::gui::ColorBy::Outcome));
    let columns: Vec<String> = ["time", "person", "outcome"].map(String::from).to_vec();
    h.state_mut()
        .push_command(Command::Table(retrace::gui::TableCommand::SetColumns(
            columns.clone(),
        )));
    settle(&mut h);
    let (from, to) = {
        let v = &h.state().open_case().unwrap().view;
        (v.from_us, v.to_us)
    };
    h.get_by_role_and_label(Role::TextInput, "Name:").click();
    h.step();
    h.get_by_role_and_label(Role::TextInput, "Name:")
        .type_text("Shanghai engineers");
    h.step();
    h.get_by_label("Save current view as").click();
    wait_for(&mut h, "the saved view in the list", |h| {
        h.query_by_role_and_label(Role::Button, "Shanghai engineers")
            .is_some()
    });
    assert!(
        h.query_by_label_contains("saved; recorded in the custody log")
            .is_some()
    );

    // Change everything, then apply the view: filter, range and colouring come back.
    h.state_mut().push_command(Command::ClearFilters);
    h.state_mut()
        .push_command(Command::Table(retrace::gui::TableCommand::SetColumns(
            Vec::new(),
        )));
    h.state_mut()
        .push_command(Command::SetColorBy(retrace::gui::ColorBy::Category));
    h.state_mut().push_command(Command::SetView {
        from_us: from / 2.0,
        to_us: to,
    });
    settle(&mut h);
    h.get_by_role_and_label(Role::Button, "Shanghai engineers")
        .click();
    settle(&mut h);
    let c = h.state().open_case().unwrap();
    assert_eq!(c.view.filter.len(), 1);
    assert!(
        (c.view.from_us - from).abs() <= 1.0 && (c.view.to_us - to).abs() <= 1.0,
        "the range comes back"
    );
    assert_eq!(
        h.state().settings().color_by,
        retrace::gui::ColorBy::Outcome
    );
    assert_eq!(h.state().settings().table_columns, columns);

    h.get_by_label("Delete").click();
    wait_for(&mut h, "the view gone", |h| {
        h.query_by_label("No saved views").is_some()
    });
    let case = Case::open_read_only(&path).unwrap();
    let entries: Vec<_> = case
        .custody()
        .custody_entries()
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "saved_view")
        .collect();
    assert_eq!(entries.len(), 2, "{entries:#?}");
    assert!(entries.iter().all(|e| e.actor == "Tester"));
    let report = case.integrity().verify(&|| false).unwrap();
    assert!(report.is_clean(), "{:#?}", report.problems);
}
