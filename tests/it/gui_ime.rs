//! Japanese text input (issue 19, part 6): text composed with an input method (egui's IME
//! events: preedit while composing, commit at the end) lands in the app's text fields, does
//! not fire the app's shortcuts, and a Japanese value filters as typed text does.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::case::{Case, FilterTerm, TableQuery};
use retrace::gui::{RetraceApp, Startup};

use crate::gui::{app_at, sample_case, settle, wait_for};

const FIELD: &str = "Search or query:";

fn harness() -> Harness<'static, RetraceApp> {
    let startup = Startup {
        case: Some(sample_case().to_path_buf()),
        ..Default::default()
    };
    let mut h = app_at(startup, 1280.0, 800.0);
    wait_for(&mut h, "the case to open", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.timeline.is_some() && c.table.rows.is_some())
    });
    settle(&mut h);
    h
}

/// Composes `text` as an input method does: the reading as preedit, then the commit.
fn compose(h: &mut Harness<'_, RetraceApp>, reading: &str, text: &str) {
    // Into the focused field, as the window delivers them.
    h.event(egui::Event::Ime(egui::ImeEvent::Preedit {
        text: reading.to_string(),
        active_range_chars: None,
    }));
    h.step();
    h.event(egui::Event::Ime(egui::ImeEvent::Commit(text.to_string())));
    h.step();
}

#[test]
fn japanese_composed_with_an_input_method_filters_like_typed_text() {
    let mut h = harness();
    let selected_before = h.state().open_case().unwrap().view.selected;
    h.get_by_role_and_label(Role::TextInput, FIELD).click();
    h.step();
    // The reading "yoshida" while composing: the letters are the input method's, not the app's
    // shortcuts (N, P step through events).
    compose(&mut h, "よしだ", "吉田");
    let value = h
        .get_by_role_and_label(Role::TextInput, FIELD)
        .value()
        .unwrap_or_default();
    assert_eq!(value, "吉田", "the committed text is in the field");
    assert_eq!(
        h.state().open_case().unwrap().view.selected,
        selected_before,
        "no shortcut fired while composing"
    );
    h.key_press(egui::Key::Enter);
    h.step();
    let want = Case::open_read_only(sample_case())
        .unwrap()
        .timeline()
        .table_count(&TableQuery::whole_case(vec![
            FilterTerm::parse_query("吉田", chrono_tz::UTC).unwrap(),
        ]))
        .unwrap();
    assert!(
        want > 0,
        "the sample has events that name 吉田 (Yoshida Saki's native name)"
    );
    h.state_mut()
        .push_command(retrace::gui::Command::ZoomToCase);
    wait_for(&mut h, "the table under the Japanese filter", |h| {
        h.state().open_case().and_then(|c| c.table.rows) == Some(want)
    });
    let filter = &h.state().open_case().unwrap().view.filter;
    assert_eq!(filter.len(), 1, "one chip: {filter:?}");
}
