//! The event table as Timeline Explorer users expect it (issue 18, part 6), driven through
//! egui_kittest: the column chooser, the per-column filter (in SQL, as a chip, followed by
//! the timeline), copying as TSV, go to a time, the time-delta column, marking rows with
//! click / Ctrl+click / Shift+click and tagging them together, and the star filter.

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::case::{
    AnnotationKind, AnnotationTarget, Case, FilterColumn, FilterOp, FilterTerm, TableEvent,
    TableQuery,
};
use retrace::gui::{Command, RetraceApp, Startup, TrailCommand};

use crate::gui::{settle, wait_within};
use crate::util::{self, TestDir};

fn harness(case: &Path) -> Harness<'static, RetraceApp> {
    let case = case.to_path_buf();
    let mut h = Harness::builder()
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
        });
    wait(&mut h, "the case and its first table rows", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.timeline.is_some() && c.table.row(0).is_some())
    });
    h
}

fn wait(
    h: &mut Harness<'_, RetraceApp>,
    what: &str,
    done: impl Fn(&Harness<'_, RetraceApp>) -> bool,
) {
    wait_within(h, what, Duration::from_secs(90), done)
}

fn frames(h: &mut Harness<'_, RetraceApp>, n: usize) {
    for _ in 0..n {
        h.step();
    }
}

/// The sample case copied into `t` (tests that write annotations get their own).
fn own_sample(t: &TestDir) -> PathBuf {
    let (case, path) = util::build_sample_case(t);
    drop(case);
    path
}

fn row(h: &Harness<'_, RetraceApp>, i: u64) -> TableEvent {
    h.state()
        .open_case()
        .unwrap()
        .table
        .row(i)
        .cloned()
        .unwrap_or_else(|| panic!("table row {i} is loaded"))
}

/// A row's source:line cell, unique in the table (the last column: maybe scrolled out of
/// sight, so it is not clicked).
fn source_cell(ev: &TableEvent) -> String {
    format!("{}:{}", ev.source_file, ev.line)
}

/// A row's time cell text (the first column, on screen: what the tests click).
fn time_text(ev: &TableEvent) -> String {
    retrace::model::time::format_in_zone(ev.ts_us, chrono_tz::Asia::Tokyo)
}

/// Clicks a row's time cell with `button` and `modifiers`. The detail pane (on the right)
/// may show the same time: the table's cell is the leftmost.
fn click_row(
    h: &mut Harness<'_, RetraceApp>,
    ev: &TableEvent,
    button: egui::PointerButton,
    modifiers: egui::Modifiers,
) {
    let text = time_text(ev);
    let node = h
        .get_all_by_label(&text)
        .min_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .unwrap_or_else(|| panic!("a cell {text}"));
    node.click_button_modifiers(button, modifiers);
    frames(h, 2);
}

/// Every event of the case, oldest first (the independent answer for the filters).
fn all_events(path: &Path) -> Vec<TableEvent> {
    let c = Case::open_read_only(path).unwrap();
    c.timeline()
        .table_page(&TableQuery::whole_case(Vec::new()), 0, 1_000_000)
        .unwrap()
}

/// The texts the app copied in the last frame.
fn copied(h: &Harness<'_, RetraceApp>) -> Vec<String> {
    h.output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

fn whole_case_filtered(h: &mut Harness<'_, RetraceApp>) {
    h.state_mut().push_command(Command::ZoomToCase);
    settle(h);
}

#[test]
fn table_column_chooser_hides_and_shows_columns_and_remembers_them() {
    let mut h = harness(crate::gui::sample_case());
    settle(&mut h);
    assert!(
        h.query_by_role_and_label(Role::Button, "Ticket").is_none(),
        "ticket is hidden by default"
    );
    assert!(h.query_by_role_and_label(Role::Button, "Object").is_some());
    h.get_by_label("Columns…").click();
    frames(&mut h, 2);
    h.get_by_role_and_label(Role::CheckBox, "Ticket").click();
    frames(&mut h, 2);
    // The menu stays open for the next choice.
    h.get_by_role_and_label(Role::CheckBox, "Object").click();
    frames(&mut h, 3);
    let cols = h.state().settings().table_columns.clone();
    assert!(cols.contains(&"ticket".to_string()), "{cols:?}");
    assert!(!cols.contains(&"object".to_string()), "{cols:?}");
    // Close the menu: the headers follow.
    h.key_press(egui::Key::Escape);
    frames(&mut h, 3);
    assert!(h.query_by_role_and_label(Role::Button, "Ticket").is_some());
    assert!(h.query_by_role_and_label(Role::Button, "Object").is_none());
    // The choice is part of the settings eframe keeps between runs.
    let json = serde_json::to_string(h.state().settings()).unwrap();
    let back: retrace::gui::Settings = serde_json::from_str(&json).unwrap();
    assert_eq!(back.table_columns, cols);
}

#[test]
fn table_column_filter_contains_applies_in_sql_as_a_chip_and_the_timeline_follows() {
    let path = crate::gui::sample_case();
    let events = all_events(path);
    let mut h = harness(path);
    whole_case_filtered(&mut h);
    // An account name part from the case, typed as a user would, in another case.
    let account = events
        .iter()
        .filter_map(|e| e.account.clone())
        .find(|a| a.len() > 4)
        .unwrap();
    let part = account[1..4].to_uppercase();
    let contains = |a: &Option<String>| {
        a.as_deref()
            .is_some_and(|a| a.to_lowercase().contains(&part.to_lowercase()))
    };
    let want = events.iter().filter(|e| contains(&e.account)).count() as u64;
    assert!(want > 0 && want < events.len() as u64);
    let field = h.get_by_role_and_label(Role::TextInput, "Column filter:");
    field.click();
    frames(&mut h, 1);
    h.get_by_role_and_label(Role::TextInput, "Column filter:")
        .type_text(&part);
    frames(&mut h, 1);
    h.get_by_label("Add filter").click();
    wait(&mut h, "the column filter", |h| {
        let c = h.state().open_case().unwrap();
        c.table.rows.is_some()
            && c.table.query.as_ref().is_some_and(|q| !q.filter.is_empty())
            && c.timeline
                .as_ref()
                .is_some_and(|t| !t.request.filter.is_empty())
            && !h.state().is_busy()
    });
    let c = h.state().open_case().unwrap();
    let term = FilterTerm::Column {
        column: FilterColumn::Account,
        op: FilterOp::Contains,
        value: part.clone(),
    };
    assert_eq!(c.view.filter, vec![term.clone()]);
    assert_eq!(
        c.table.rows,
        Some(want),
        "the table count follows the filter"
    );
    assert_eq!(
        c.timeline.as_ref().unwrap().events_in_view,
        want,
        "the timeline follows the filter"
    );
    assert!(contains(&row(&h, 0).account));
    assert!(
        h.query_by_label_contains(&format!("account contains \"{part}\""))
            .is_some(),
        "the filter is a chip"
    );
    // `not` keeps exactly the others; both are SQL on the case, not on loaded rows.
    h.state_mut().push_command(Command::RemoveFilter(term));
    h.state_mut()
        .push_command(Command::AddFilter(FilterTerm::Column {
            column: FilterColumn::Account,
            op: FilterOp::Not,
            value: part.clone(),
        }));
    settle(&mut h);
    let c = h.state().open_case().unwrap();
    assert_eq!(c.table.rows, Some(events.len() as u64 - want));
    // `equals` matches the whole value only.
    h.state_mut().push_command(Command::ClearFilters);
    h.state_mut()
        .push_command(Command::AddFilter(FilterTerm::Column {
            column: FilterColumn::Account,
            op: FilterOp::Equals,
            value: account.clone(),
        }));
    settle(&mut h);
    let exact = events
        .iter()
        .filter(|e| e.account.as_deref() == Some(account.as_str()))
        .count() as u64;
    assert_eq!(h.state().open_case().unwrap().table.rows, Some(exact));
}

#[test]
fn table_copy_tsv_copies_a_cell_a_row_and_the_marked_rows() {
    let mut h = harness(crate::gui::sample_case());
    settle(&mut h);
    let (r0, r2) = (row(&h, 0), row(&h, 2));
    // A cell, from its context menu.
    click_row(
        &mut h,
        &r0,
        egui::PointerButton::Secondary,
        egui::Modifiers::NONE,
    );
    h.get_by_label("Copy cell").click();
    h.step();
    assert_eq!(copied(&h), vec![time_text(&r0)]);
    frames(&mut h, 2);
    // Click the first row, Shift+click the third: three rows marked.
    click_row(
        &mut h,
        &r0,
        egui::PointerButton::Primary,
        egui::Modifiers::NONE,
    );
    click_row(
        &mut h,
        &r2,
        egui::PointerButton::Primary,
        egui::Modifiers::SHIFT,
    );
    assert_eq!(h.state().open_case().unwrap().table.marked.len(), 3);
    // Ctrl+C copies them with a header line, tab-separated, in table order.
    h.event(egui::Event::Copy);
    h.step();
    let text = copied(&h).pop().expect("Ctrl+C copied the marked rows");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("Time (Asia/Tokyo)\t"), "{}", lines[0]);
    assert!(lines[1].ends_with(&source_cell(&r0)), "{}", lines[1]);
    assert!(lines[3].ends_with(&source_cell(&r2)), "{}", lines[3]);
    let cols = lines[0].split('\t').count();
    assert!(lines.iter().all(|l| l.split('\t').count() == cols));
    // A row, from its context menu: the same cells as its line, without the header.
    frames(&mut h, 2);
    click_row(
        &mut h,
        &r2,
        egui::PointerButton::Secondary,
        egui::Modifiers::NONE,
    );
    h.get_by_label("Copy row (TSV)").click();
    h.step();
    assert_eq!(copied(&h), vec![lines[3].to_string()]);
}

#[test]
fn table_go_to_time_selects_the_first_event_at_or_after_it_in_the_display_zone() {
    let path = crate::gui::sample_case();
    let events = all_events(path);
    let mut h = harness(path);
    settle(&mut h);
    // A second after an event in the middle of the case, typed in Tokyo time.
    let mid = &events[events.len() / 2];
    let target = mid.ts_us + 1_000_000;
    let want = events.iter().find(|e| e.ts_us >= target).unwrap();
    let typed = chrono::DateTime::from_timestamp_micros(target)
        .unwrap()
        .with_timezone(&chrono_tz::Asia::Tokyo)
        .format("%Y-%m-%d %H:%M:%S%.6f")
        .to_string();
    h.get_by_role_and_label(Role::TextInput, "Go to:").click();
    frames(&mut h, 1);
    h.get_by_role_and_label(Role::TextInput, "Go to:")
        .type_text(&typed);
    frames(&mut h, 1);
    h.get_by_label("Go").click();
    wait(&mut h, "the event at or after the time", |h| {
        h.state().open_case().unwrap().view.selected.is_some()
    });
    settle(&mut h);
    let c = h.state().open_case().unwrap();
    assert_eq!(
        c.view.selected,
        Some((want.id, want.ts_us)),
        "typed {typed}"
    );
    assert!(c.view.from_us <= want.ts_us as f64 && (want.ts_us as f64) < c.view.to_us);
    // The table scrolled to its row: the row is drawn and highlighted.
    let row = c
        .table
        .scroll_to_row
        .expect("the table scrolls to the event");
    // The page holding the row may still be on its way from the worker (under load).
    wait(&mut h, "the table page holding the event", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.table.row(row).is_some())
    });
    let c = h.state().open_case().unwrap();
    assert_eq!(c.table.row(row).map(|e| e.id), Some(want.id));
    assert!(h.query_by_label(&source_cell(want)).is_some());
    // A time no event follows says so.
    h.get_by_role_and_label(Role::TextInput, "Go to:").click();
    frames(&mut h, 1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Go to:")
        .type_text("2099-01-01 00:00");
    frames(&mut h, 1);
    h.get_by_label("Go").click();
    wait(&mut h, "the note", |h| {
        h.state()
            .message()
            .is_some_and(|m| m.text.starts_with("No event at or after 2099-01-01"))
    });
}

#[test]
fn table_time_delta_shows_the_time_since_the_previous_row() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let csv = t.write(
        "three.csv",
        "time,user,src_ip,system,action,object,categories,subjects,records,outcome\n\
         2021-02-24T10:00:00+09:00,u1,,db,q,users,name,S1,1,ok\n\
         2021-02-24T10:01:30+09:00,u1,,db,q,users,name,S2,1,ok\n\
         2021-02-24T12:06:30+09:00,u2,,db,q,users,name,S3,1,ok\n",
    );
    util::import(&mut case, &csv, util::options(None, None, None)).unwrap();
    drop(case);
    let mut h = harness(&t.path("case.retrace"));
    settle(&mut h);
    assert!(h.query_by_label("Δ previous").is_some());
    assert!(h.query_by_label("+1 min 30 s").is_some());
    assert!(h.query_by_label("+2 h 05 min").is_some());
    // Reversed, each row is earlier than the one above it.
    h.get_by_label_contains("Time (").click();
    frames(&mut h, 1);
    h.get_by_label_contains("Time (").click();
    wait(&mut h, "the reversed table", |h| {
        let c = h.state().open_case().unwrap();
        c.table.sort == Some((retrace::case::SortKey::Time, true)) && c.table.row(2).is_some()
    });
    assert!(h.query_by_label("−2 h 05 min").is_some());
}

#[test]
fn table_multi_select_bulk_tag_marks_with_click_ctrl_and_shift_and_logs_each() {
    let t = TestDir::new();
    let path = own_sample(&t);
    let before = Case::open_read_only(&path)
        .unwrap()
        .custody()
        .custody_entries()
        .unwrap()
        .len();
    let mut h = harness(&path);
    settle(&mut h);
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetInvestigator(
            "bulk tester".into(),
        )));
    let rows: Vec<TableEvent> = (0..4).map(|i| row(&h, i)).collect();
    let mut times: Vec<i64> = rows.iter().map(|r| r.ts_us / 1_000_000).collect();
    times.dedup();
    assert_eq!(
        times.len(),
        4,
        "the first rows have distinct times to click"
    );
    // Click row 0, Shift+click row 3 (four rows), Ctrl+click row 1 (out again).
    click_row(
        &mut h,
        &rows[0],
        egui::PointerButton::Primary,
        egui::Modifiers::NONE,
    );
    click_row(
        &mut h,
        &rows[3],
        egui::PointerButton::Primary,
        egui::Modifiers::SHIFT,
    );
    assert_eq!(h.state().open_case().unwrap().table.marked.len(), 4);
    click_row(
        &mut h,
        &rows[1],
        egui::PointerButton::Primary,
        egui::Modifiers::COMMAND,
    );
    let marked: Vec<i64> = h
        .state()
        .open_case()
        .unwrap()
        .table
        .marked
        .values()
        .map(|e| e.id)
        .collect();
    assert_eq!(marked, vec![rows[0].id, rows[2].id, rows[3].id]);
    assert!(h.query_by_label("3 rows marked").is_some());
    // Marks are not the selection: the selected event can go, the marks stay. (The Annotate
    // pane would show the new tag of the selected event with an icon the bundled fonts
    // may lack, which panics under the test harness.)
    h.state_mut().push_command(Command::ClearSelection);
    frames(&mut h, 2);
    assert_eq!(h.state().open_case().unwrap().table.marked.len(), 3);
    // Focused through accessibility: after the merge of the layout work a simulated click on
    // this field no longer focuses it under the harness (open question in the closing note).
    h.get_by_role_and_label(Role::TextInput, "Tag:").focus();
    frames(&mut h, 1);
    h.get_by_role_and_label(Role::TextInput, "Tag:")
        .type_text("o'brien 50%");
    frames(&mut h, 1);
    h.get_by_label("Tag 3").click();
    wait(&mut h, "the tags to be saved", |h| {
        h.state()
            .trail()
            .custody
            .annotations()
            .iter()
            .filter(|a| a.kind == AnnotationKind::Tag)
            .count()
            == 3
    });
    let c = Case::open_read_only(&path).unwrap();
    for id in &marked {
        let a = c.annotations().event_annotations(*id).unwrap();
        assert_eq!(a.len(), 1, "event {id}");
        assert_eq!(
            (a[0].kind, a[0].text.as_str()),
            (AnnotationKind::Tag, "o'brien 50%")
        );
        assert_eq!(a[0].author, "bulk tester");
    }
    // One custody entry per annotation, each saying it came in a batch of three.
    let entries = c.custody().custody_entries().unwrap();
    let new: Vec<_> = entries[before..].iter().collect();
    assert_eq!(new.len(), 3);
    for e in &new {
        assert_eq!(e.action, "annotate");
        let d: serde_json::Value = serde_json::from_str(&e.details).unwrap();
        assert_eq!(d["batch"], 3);
    }
    assert!(c.integrity().verify(&|| false).unwrap().is_clean());
    // The marks column shows the tag, and the tag filter keeps exactly those events.
    wait(&mut h, "the marks in the table", |h| {
        h.query_all_by_label("#o'brien 50%").count() == 3
    });
    h.get_by_label("Tag…").click();
    frames(&mut h, 2);
    h.get_by_role_and_label(Role::Button, "#o'brien 50%")
        .click();
    whole_case_filtered(&mut h);
    let c = h.state().open_case().unwrap();
    assert_eq!(c.view.filter, vec![FilterTerm::Tag("o'brien 50%".into())]);
    assert_eq!(c.table.rows, Some(3));
    assert!(h.query_by_label("tag: o'brien 50%  ×").is_some());
}

#[test]
fn table_filter_by_star_keeps_the_starred_events_in_table_and_timeline() {
    let t = TestDir::new();
    let path = own_sample(&t);
    let events = all_events(&path);
    let starred = [events[5].id, events[events.len() - 3].id];
    {
        let mut c = Case::open(&path).unwrap();
        for id in starred {
            c.writes()
                .add_annotation(AnnotationTarget::Event(id), AnnotationKind::Star, "", "t")
                .unwrap();
        }
        // A starred range is not a starred event.
        c.writes()
            .add_annotation(
                AnnotationTarget::Range {
                    from_us: events[0].ts_us,
                    to_us: events[9].ts_us,
                },
                AnnotationKind::Star,
                "",
                "t",
            )
            .unwrap();
    }
    let mut h = harness(&path);
    whole_case_filtered(&mut h);
    h.get_by_label("★ Starred").click();
    wait(&mut h, "the star filter", |h| {
        let c = h.state().open_case().unwrap();
        // The table and the timeline answer on their own threads: wait for both.
        c.table.rows == Some(2)
            && c.timeline.as_ref().is_some_and(|t| t.events_in_view == 2)
            && !h.state().is_busy()
    });
    let c = h.state().open_case().unwrap();
    assert_eq!(c.view.filter, vec![FilterTerm::Starred]);
    assert_eq!(c.timeline.as_ref().unwrap().events_in_view, 2);
    let ids: Vec<i64> = (0..2).map(|i| row(&h, i).id).collect();
    assert_eq!(ids, starred);
    assert!(h.query_by_label("starred  ×").is_some(), "a chip");
    assert!(row(&h, 0).starred);
    // Clicked again, the filter goes.
    h.get_by_label("★ Starred").click();
    settle(&mut h);
    assert!(h.state().open_case().unwrap().view.filter.is_empty());
}
