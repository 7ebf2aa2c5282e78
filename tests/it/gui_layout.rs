//! The layout that gives the timeline the screen (issue 18, part 5) and the smaller desk items:
//! at 1280x800 the plot takes most of the width and the table shows its columns, panes
//! collapse and are remembered, windows open below the toolbar, the zoom stays on the case,
//! denied attempts show at every zoom, milestone labels carry their full text, selections
//! do not outlive the filter, the icons are in the bundled fonts, a ticket its approval does
//! not cover says so, and an import keeps the view and offers its own way to import again.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::case::FilterTerm;
use retrace::gui::{ColorBy, Command, Pane, RetraceApp, Startup};
use retrace::model::Outcome;

use crate::gui::{sample_case, scroll_to_lane, settle, wait_for};

const SHANGHAI: &str = "Hoshizora Technology (Shanghai) Co., Ltd.";

fn harness_at(case: &Path, w: f32, h: f32) -> Harness<'static, RetraceApp> {
    let case = case.to_path_buf();
    let mut h = Harness::builder()
        .with_size(egui::Vec2::new(w, h))
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
    wait_for(&mut h, "the case to open with its first data", |h| {
        h.state().open_case().is_some_and(|c| {
            c.timeline.is_some() && c.table.rows.is_some() && c.table.row(0).is_some()
        })
    });
    settle(&mut h);
    frames(&mut h, 20);
    h
}

fn small(case: &Path) -> Harness<'static, RetraceApp> {
    harness_at(case, 1280.0, 800.0)
}

fn frames(h: &mut Harness<'_, RetraceApp>, n: usize) {
    for _ in 0..n {
        h.step();
    }
}

/// Runs frames until the panes' slide animations are over and the queries are answered.
fn settle_layout(h: &mut Harness<'_, RetraceApp>) {
    settle(h);
    frames(h, 40);
    settle(h);
}

fn plot_width(h: &Harness<'_, RetraceApp>) -> f32 {
    h.state()
        .timeline_plot_rect()
        .expect("the timeline was drawn")
        .width()
}

/// One sample event: (id, ts_us) of the first event matching `sql_where` (on `event e`).
fn sample_event(sql_where: &str) -> (i64, i64) {
    let db = rusqlite::Connection::open(sample_case()).unwrap();
    db.query_row(
        &format!("SELECT e.id, e.ts_us FROM event e WHERE {sql_where} ORDER BY e.ts_us LIMIT 1"),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

fn select(h: &mut Harness<'_, RetraceApp>, (id, ts_us): (i64, i64)) {
    h.state_mut().push_command(Command::SelectEvent {
        id,
        ts_us,
        scroll_table: true,
    });
    wait_for(h, "the selected event's detail", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.detail.as_ref().is_some_and(|d| d.row.id == id))
    });
    settle_layout(h);
}

#[test]
fn layout_1280x800_timeline_takes_60_percent() {
    let mut h = small(sample_case());
    // Nothing selected: no detail pane takes the width.
    assert!(h.query_by_label("Collapse the detail pane").is_none());
    let w = plot_width(&h);
    assert!(
        w >= 0.6 * 1280.0,
        "plot {w:.0} px of 1280 with nothing selected"
    );

    // An event selected: the detail pane opens; collapsed, the plot has its width back.
    select(&mut h, sample_event("e.outcome = 'denied'"));
    let with_detail = plot_width(&h);
    assert!(
        with_detail < w,
        "the detail pane is shown beside the timeline"
    );
    h.get_by_label("Collapse the detail pane").click();
    settle_layout(&mut h);
    assert!(!h.state().settings().panes.detail_open, "remembered");
    let collapsed = plot_width(&h);
    assert!(
        collapsed >= 0.6 * 1280.0,
        "plot {collapsed:.0} px of 1280 with the detail pane collapsed"
    );
    // The strip opens it again.
    h.get_by_label_contains("Show the detail pane").click();
    settle_layout(&mut h);
    assert!(h.state().settings().panes.detail_open);
    assert!(plot_width(&h) < collapsed);

    // The side panel collapses to a strip too, and the plot grows.
    h.state_mut().push_command(Command::ShowPane {
        pane: Pane::Side,
        open: false,
    });
    h.state_mut().push_command(Command::ShowPane {
        pane: Pane::Detail,
        open: false,
    });
    settle_layout(&mut h);
    assert!(h.query_by_label("Filters").is_none(), "side panel hidden");
    let both = plot_width(&h);
    assert!(both > collapsed + 100.0, "{both} vs {collapsed}");
}

#[test]
fn layout_panes_are_remembered_in_the_settings() {
    let mut h = small(sample_case());
    h.state_mut().push_command(Command::ShowPane {
        pane: Pane::Side,
        open: false,
    });
    settle_layout(&mut h);
    // The settings eframe stores keep the panes; settings written before had none.
    let saved = serde_json::to_value(h.state().settings()).unwrap();
    assert_eq!(saved["panes"]["side_open"], false);
    let old: retrace::gui::Settings = serde_json::from_str(r#"{"theme":"Dark"}"#).unwrap();
    assert!(old.panes.side_open && old.panes.detail_open);
}

/// The table's header titles (after the time).
const HEADERS: [&str; 12] = [
    "Δ previous",
    "Marks",
    "Person",
    "Account",
    "System",
    "Action",
    "Object",
    "Data categories",
    "Records",
    "Outcome",
    "Subjects",
    "Source:line",
];

#[test]
fn layout_table_shows_8_columns() {
    let h = small(sample_case());
    let time = h.get_by_label_contains("Time (Asia/Tokyo)").rect();
    let mut shown = vec!["Time"];
    let mut rects = vec![time];
    for title in HEADERS {
        if let Some(n) = h
            .query_all_by_label_contains(title)
            .find(|n| (n.rect().center().y - time.center().y).abs() < 4.0)
        {
            assert!(n.rect().left() >= time.left());
            rects.push(n.rect());
            if n.rect().right() <= 1280.0 {
                shown.push(title);
            }
        }
    }
    assert!(
        shown.len() >= 8,
        "{} columns wholly on screen at 1280x800: {shown:?} ({rects:?})",
        shown.len()
    );
}

#[test]
fn layout_windows_open_below_toolbar() {
    let mut h = small(sample_case());
    let toolbar_bottom = h.get_by_label("Open…").rect().bottom();
    let person = h.state().open_case().unwrap().info.persons[0].key.clone();
    let windows: [(&str, Command); 5] = [
        (
            "Findings",
            Command::Findings(retrace::gui::FindingsCommand::Show(true)),
        ),
        (
            "Export",
            Command::Trail(retrace::gui::TrailCommand::ShowExport(true)),
        ),
        (
            "Custody log",
            Command::Trail(retrace::gui::TrailCommand::ShowCustody(true)),
        ),
        ("Import files", Command::ShowImportWindow),
        (
            "Data-subject lookup",
            Command::Lookup(retrace::gui::LookupCommand::ShowSubjectLookup(true)),
        ),
    ];
    let mut titles: Vec<&str> = Vec::new();
    for (title, command) in windows {
        h.state_mut().push_command(command);
        titles.push(title);
    }
    h.state_mut()
        .push_command(Command::Lookup(retrace::gui::LookupCommand::OpenPerson(
            person,
        )));
    settle_layout(&mut h);
    for title in titles {
        let node = h
            .query_all_by_label(title)
            .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
            .unwrap_or_else(|| panic!("the {title} window"));
        assert!(
            node.rect().top() >= toolbar_bottom,
            "{title} at y {} covers the toolbar (bottom {toolbar_bottom})",
            node.rect().top()
        );
    }
    // The toolbar's buttons can still be clicked: the custody window closes and opens again.
    assert!(h.query_by_label("Open…").is_some());
}

fn view_bounds(h: &Harness<'_, RetraceApp>) -> (f64, f64, f64, f64) {
    let c = h.state().open_case().unwrap();
    let (lo, hi) = c.info.view_bounds_us();
    (c.view.from_us, c.view.to_us, lo, hi)
}

#[test]
fn zoom_is_bounded_to_the_case_span_and_a_margin() {
    let mut h = small(sample_case());
    for _ in 0..30 {
        h.key_press(egui::Key::Minus);
        h.step();
    }
    settle(&mut h);
    let (from, to, lo, hi) = view_bounds(&h);
    let (a, b) = h.state().open_case().unwrap().info.span_us();
    assert!(
        from >= lo - 1.0 && to <= hi + 1.0,
        "{from}..{to} outside {lo}..{hi}"
    );
    // The margin is small: the case fills at least 90 % of the widest view.
    assert!(
        (b - a) as f64 / (to - from) >= 0.9,
        "{} of {}",
        b - a,
        to - from
    );
    // Panning stops at the margin too.
    for _ in 0..40 {
        h.key_press(egui::Key::ArrowRight);
        h.step();
    }
    let (_, to, _, hi) = view_bounds(&h);
    assert!(to <= hi + 1.0);
}

#[test]
fn zoom_is_bounded_when_the_view_is_set_far_outside() {
    let mut h = small(sample_case());
    h.state_mut().push_command(Command::SetView {
        from_us: -1.0e18,
        to_us: 1.0e18,
    });
    frames(&mut h, 2);
    let (from, to, lo, hi) = view_bounds(&h);
    assert!(
        from >= lo - 1.0 && to <= hi + 1.0,
        "{from}..{to} outside {lo}..{hi}"
    );
    // A narrow view far after the case is moved back to its end.
    h.state_mut().push_command(Command::SetView {
        from_us: 4.0e15,
        to_us: 4.0e15 + 3.6e9,
    });
    frames(&mut h, 2);
    let (from, to, _, hi) = view_bounds(&h);
    assert!((to - from - 3.6e9).abs() < 1.0 && to <= hi + 1.0);
}

fn lane_of(h: &Harness<'_, RetraceApp>, name: &str) -> usize {
    h.state()
        .open_case()
        .unwrap()
        .info
        .lanes
        .iter()
        .position(|l| l.label == name)
        .unwrap()
}

#[test]
fn denied_events_drawn_on_top_when_zoomed_out() {
    let mut h = small(sample_case());
    h.state_mut()
        .push_command(Command::SetColorBy(ColorBy::Outcome));
    settle_layout(&mut h);
    assert!(
        h.state()
            .open_case()
            .unwrap()
            .timeline
            .as_ref()
            .unwrap()
            .marks
            .is_none(),
        "the whole case is drawn as counts"
    );
    scroll_to_lane(&mut h, "Liu Jiaqi");
    settle_layout(&mut h);
    let lane = lane_of(&h, "Liu Jiaqi");
    let (_, ts_us) = sample_event("e.outcome = 'denied'");
    let drawn: Vec<_> = h
        .state()
        .timeline_refused_rects()
        .iter()
        .filter(|(l, o, _)| *l == lane && *o == Outcome::Denied)
        .map(|(_, _, r)| *r)
        .collect();
    assert_eq!(
        drawn.len(),
        1,
        "the one denied attempt, drawn over the counts"
    );
    // Where its time is on the axis, and wide enough to be seen.
    let plot = h.state().timeline_plot_rect().unwrap();
    let c = h.state().open_case().unwrap();
    let x = plot.left()
        + ((ts_us as f64 - c.view.from_us) / (c.view.to_us - c.view.from_us)) as f32
            * (plot.width());
    assert!(
        (drawn[0].center().x - x).abs() < 6.0,
        "{:?} vs x {x}",
        drawn[0]
    );
    assert!(drawn[0].width() >= 3.0);
    assert!(
        h.query_by_label_contains("denied or failed attempts in view, drawn on top: 1")
            .is_some()
    );
}

#[test]
fn denied_events_drawn_on_top_when_zoomed_in() {
    let mut h = small(sample_case());
    h.state_mut()
        .push_command(Command::SetColorBy(ColorBy::Outcome));
    let (id, ts_us) = sample_event("e.outcome = 'denied'");
    // Two months around it: each event a mark, the denied one among later ones.
    h.state_mut().push_command(Command::SetView {
        from_us: ts_us as f64 - 30.0 * 86_400e6,
        to_us: ts_us as f64 + 30.0 * 86_400e6,
    });
    scroll_to_lane(&mut h, "Liu Jiaqi");
    settle_layout(&mut h);
    let order = h.state().timeline_marks_in_drawing_order();
    assert!(order.len() > 1, "marks drawn");
    assert_eq!(
        order.last(),
        Some(&id),
        "the denied mark is drawn last, on top"
    );
}

#[test]
fn milestone_labels_are_elided_with_their_full_text_on_hover() {
    let mut h = small(sample_case());
    settle_layout(&mut h);
    let c = h.state().open_case().unwrap();
    let (from, to) = (c.view.from_us, c.view.to_us);
    let milestones: Vec<_> = c
        .info
        .milestones
        .iter()
        .filter(|m| (m.at_us as f64) >= from && (m.at_us as f64) < to)
        .cloned()
        .collect();
    assert!(milestones.len() >= 4, "{milestones:?}");
    // Every milestone in view has its label (whole or elided, but with the full text for
    // the screen reader and on hover).
    for m in &milestones {
        h.get_by_label_contains(&m.label).hover();
        frames(&mut h, 60);
        assert!(
            h.query_all_by_label_contains(&m.label).count() >= 2,
            "the tooltip repeats {:?}: {:?}",
            m.label,
            h.query_all_by_label_contains(&m.label)
                .map(|n| format!("{:?} {:?}", n.rect(), n.value()))
                .collect::<Vec<_>>()
        );
        assert!(h.query_all_by_label_contains(&m.raw_at).count() >= 1);
    }
}

#[test]
fn stale_selection_is_cleared_when_the_filter_drops_it() {
    let mut h = small(sample_case());
    // A Tokyo event, then a filter to the Shanghai engineers: it is not among them.
    let tokyo = sample_event(
        "e.account_id IN (SELECT a.id FROM account a JOIN person p ON p.id = a.person_id
          WHERE p.organization NOT LIKE 'Hoshizora%')",
    );
    select(&mut h, tokyo);
    h.state_mut()
        .push_command(Command::AddFilter(FilterTerm::Organization(
            SHANGHAI.into(),
        )));
    wait_for(&mut h, "the stale selection to be cleared", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.view.selected.is_none() && c.detail.is_none())
    });
}

#[test]
fn stale_selection_is_kept_when_the_filter_keeps_it() {
    let mut h = small(sample_case());
    let denied = sample_event("e.outcome = 'denied'");
    select(&mut h, denied);
    h.state_mut()
        .push_command(Command::AddFilter(FilterTerm::Organization(
            SHANGHAI.into(),
        )));
    settle_layout(&mut h);
    frames(&mut h, 10);
    assert_eq!(
        h.state().open_case().unwrap().view.selected.map(|s| s.0),
        Some(denied.0)
    );
}

#[test]
fn stale_selection_of_a_finding_is_cleared_by_another_rule_tab() {
    let mut h = small(sample_case());
    h.state_mut()
        .push_command(Command::Findings(retrace::gui::FindingsCommand::Show(true)));
    wait_for(&mut h, "the findings", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.findings.set.is_some())
    });
    let (key, rule, other) = {
        let set = h.state().open_case().unwrap().findings.set.clone().unwrap();
        let f = set.findings.first().unwrap();
        let other = set
            .findings
            .iter()
            .map(|g| g.rule)
            .find(|r| *r != f.rule)
            .unwrap();
        (f.key.clone(), f.rule, other)
    };
    use retrace::gui::FindingsCommand::{FilterRule, Select};
    h.state_mut()
        .push_command(Command::Findings(Select(Some(key.clone()))));
    h.state_mut()
        .push_command(Command::Findings(FilterRule(Some(rule))));
    frames(&mut h, 2);
    assert_eq!(
        h.state().open_case().unwrap().findings.selected,
        Some(key),
        "its own rule keeps it"
    );
    h.state_mut()
        .push_command(Command::Findings(FilterRule(Some(other))));
    frames(&mut h, 2);
    assert_eq!(h.state().open_case().unwrap().findings.selected, None);
}

/// Every non-ASCII character in a string literal of the app's source.
fn gui_string_chars() -> Vec<(char, String)> {
    let mut found: Vec<(char, String)> = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/gui")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for (n, line) in text.lines().enumerate() {
                // Only what is inside quotes: comments may use any character.
                let code = line.split("//").next().unwrap_or("");
                for (i, part) in code.split('"').enumerate() {
                    if i % 2 == 1 {
                        for c in part.chars().filter(|c| !c.is_ascii()) {
                            if !found.iter().any(|f| f.0 == c) {
                                let at = p.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&p);
                                found.push((c, format!("{}:{}", at.display(), n + 1)));
                            }
                        }
                    }
                }
            }
        }
    }
    found
}

#[test]
fn icons_in_gui_strings_are_in_the_bundled_fonts() {
    let mut h = small(sample_case());
    frames(&mut h, 2);
    let chars = gui_string_chars();
    assert!(
        chars.iter().any(|c| c.0 == '…'),
        "the scan finds the app's strings"
    );
    let missing: Vec<String> = h.ctx.fonts_mut(|f| {
        chars
            .iter()
            .filter(|(c, _)| {
                !f.has_glyph(&egui::FontId::proportional(14.0), *c)
                    || !f.has_glyph(&egui::FontId::monospace(14.0), *c)
            })
            .map(|(c, at)| format!("{c:?} (U+{:04X}) at {at}", *c as u32))
            .collect()
    });
    assert!(
        missing.is_empty(),
        "no glyph in the app's fonts: {missing:#?}"
    );
}

#[test]
fn ticket_not_covering_its_event_says_so_in_the_detail_pane() {
    // An event quoting a ticket whose approval is for another time, system or person.
    let db = rusqlite::Connection::open(sample_case()).unwrap();
    let found: (i64, i64, String) = db
        .query_row(
            "SELECT e.id, e.ts_us, e.ticket FROM event e
             JOIN account ac ON ac.id = e.account_id
             WHERE e.ticket IS NOT NULL AND e.ticket <> ''
               AND EXISTS (SELECT 1 FROM approval a WHERE a.ticket = e.ticket)
               AND NOT EXISTS (SELECT 1 FROM approval a WHERE a.ticket = e.ticket
                     AND a.person_id = ac.person_id AND a.system_id = e.system_id
                     AND a.valid_from_us <= e.ts_us AND e.ts_us <= a.valid_to_us)
             ORDER BY e.ts_us LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the sample has an event whose ticket does not cover it");
    let covered: (i64, i64, String) = db
        .query_row(
            "SELECT e.id, e.ts_us, e.ticket FROM event e
             JOIN account ac ON ac.id = e.account_id
             WHERE EXISTS (SELECT 1 FROM approval a WHERE a.ticket = e.ticket
                     AND a.person_id = ac.person_id AND a.system_id = e.system_id
                     AND a.valid_from_us <= e.ts_us AND e.ts_us <= a.valid_to_us)
             ORDER BY e.ts_us LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let mut h = harness_at(sample_case(), 1500.0, 950.0);
    select(&mut h, (found.0, found.1));
    let text = format!("ticket {} does not cover this event: approved for", found.2);
    assert!(
        h.query_by_label_contains(&text).is_some(),
        "detail pane says {text:?}"
    );
    select(&mut h, (covered.0, covered.1));
    assert!(
        h.query_by_label_contains(&format!("{} (its approval covers this event", covered.2))
            .is_some()
    );
    assert!(h.query_by_label_contains("does not cover").is_none());
}

/// A copy of the sample case to import into (the shared one stays as built).
fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.retrace");
    std::fs::copy(sample_case(), &path).unwrap();
    (dir, path)
}

fn import(h: &mut Harness<'_, RetraceApp>, file: &Path) {
    h.state_mut()
        .push_command(Command::PrepareImport(vec![file.to_path_buf()]));
    wait_for(h, "the preview", |h| {
        h.query_by_label_contains("Source zone:").is_some()
    });
    h.state_mut().push_command(Command::StartImport);
    wait_for(h, "the import and the case to open again", |h| {
        h.query_by_label("Result").is_some()
            && h.state().open_case().is_some()
            && !h.state().is_busy()
    });
    settle_layout(h);
}

#[test]
fn import_keeps_filters_and_selection_and_says_so() {
    let (dir, case) = sample_copy();
    let log = dir.path().join("extra.csv");
    std::fs::write(
        &log,
        "time,operator,client_ip,target,action,object,categories,subject_ids,records,result,ticket\n\
         2021-01-05 10:00:00,liu.jiaqi,10.86.12.47,jp-msg-db,query_user,users,name,,1,ok,\n",
    )
    .unwrap();
    let mut h = small(&case);
    let denied = sample_event("e.outcome = 'denied'");
    select(&mut h, denied);
    h.state_mut()
        .push_command(Command::AddFilter(FilterTerm::Organization(
            SHANGHAI.into(),
        )));
    settle_layout(&mut h);
    let sources = h.state().open_case().unwrap().info.summary.sources.len();
    import(&mut h, &log);
    let c = h.state().open_case().unwrap();
    assert_eq!(c.info.summary.sources.len(), sources + 1, "imported");
    assert_eq!(
        c.view.filter,
        vec![FilterTerm::Organization(SHANGHAI.into())]
    );
    assert_eq!(c.view.selected.map(|s| s.0), Some(denied.0));
    assert!(
        h.query_by_label_contains("Kept after the import: 1 filter, the selected event")
            .is_some()
    );
    // The result comes first: the preview is folded under it.
    let result = h.get_by_label("Result").rect().top();
    let preview = h.get_by_label("Preview of the selected file").rect().top();
    assert!(result < preview);
    assert!(h.query_by_label_contains("Column mapping").is_none());
}

#[test]
fn import_of_the_same_bytes_offers_import_again_anyway() {
    let (dir, case) = sample_copy();
    let again = dir.path().join("again.csv");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/sh_admin_tool.csv"),
        &again,
    )
    .unwrap();
    let mut h = small(&case);
    let sources = h.state().open_case().unwrap().info.summary.sources.len();
    import(&mut h, &again);
    assert!(h.query_by_label_contains("already imported").is_some());
    assert!(
        h.query_by_label_contains("--force").is_none(),
        "no command-line flag in the app"
    );
    assert_eq!(
        h.state().open_case().unwrap().info.summary.sources.len(),
        sources
    );
    h.get_by_label("Import again.csv again anyway").click();
    wait_for(&mut h, "the forced import", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.info.summary.sources.len() == sources + 1)
            && !h.state().is_busy()
    });
}
