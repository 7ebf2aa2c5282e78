//! The desktop app, driven through egui_kittest (no GPU): open the sample case, see the
//! Shanghai engineers' lanes, filter to their organization, select events from the table and
//! the timeline and read the raw source line, change the display zone, build the sample
//! case on first run, and render CJK text with the bundled font.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::gui::{RetraceApp, Startup};
use retrace::jobs::{CancelToken, NoProgress};

const SHANGHAI: &str = "Hoshizora Technology (Shanghai) Co., Ltd.";
const ENGINEERS: [&str; 4] = ["Chen Siyuan", "Wang Yuhang", "Liu Jiaqi", "Zhao Mingzhe"];

/// The sample case, built once for all tests of this binary.
pub(crate) fn sample_case() -> &'static Path {
    static CASE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = CASE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sample.retrace");
        retrace::ops::sample::build_sample(&path, &NoProgress, &CancelToken::new())
            .expect("build sample");
        (dir, path)
    });
    path
}

fn app_harness(startup: Startup) -> Harness<'static, RetraceApp> {
    app_at(startup, 1500.0, 950.0)
}

/// The app started with `startup` in a window of `w` x `h` points.
pub(crate) fn app_at(startup: Startup, w: f32, h: f32) -> Harness<'static, RetraceApp> {
    Harness::builder()
        .with_size(egui::Vec2::new(w, h))
        .build_eframe(move |cc| RetraceApp::new(cc, startup))
}

pub(crate) fn open_sample() -> Harness<'static, RetraceApp> {
    let mut h = app_harness(Startup {
        case: Some(sample_case().to_path_buf()),
        sample_dir: None,
        ..Default::default()
    });
    wait_for(
        &mut h,
        "the case to open and the first timeline and table data",
        |h| {
            h.state().open_case().is_some_and(|c| {
                c.timeline.is_some() && c.table.rows.is_some() && c.table.row(0).is_some()
            })
        },
    );
    h
}

/// Runs frames until `done` holds; fails after a timeout. Queries are answered on worker
/// threads, so frames alone do not finish them: wait a little between frames.
pub(crate) fn wait_for(
    h: &mut Harness<'_, RetraceApp>,
    what: &str,
    done: impl Fn(&Harness<'_, RetraceApp>) -> bool,
) {
    wait_within(h, what, Duration::from_secs(60), done)
}

/// [`wait_for`] with its own time limit.
pub(crate) fn wait_within(
    h: &mut Harness<'_, RetraceApp>,
    what: &str,
    limit: Duration,
    done: impl Fn(&Harness<'_, RetraceApp>) -> bool,
) {
    let start = Instant::now();
    loop {
        h.step();
        if done(h) {
            // A couple more frames so widgets showing the new data exist.
            h.step();
            h.step();
            return;
        }
        if let Some(m) = h.state().message()
            && m.error
        {
            panic!("waiting for {what}: the app reported an error: {}", m.text);
        }
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Whether a timeline lane is labelled `name`: a label above the event table (whose
/// cells may show the same name).
pub(crate) fn has_lane(h: &Harness<'_, RetraceApp>, name: &str) -> bool {
    let table_top = h.get_by_label_contains("Account").rect().top();
    h.query_all_by_label(name)
        .any(|n| n.rect().bottom() <= table_top)
}

/// Scrolls the timeline's lanes (wheel over the lane labels) until `name`'s lane shows.
pub(crate) fn scroll_to_lane(h: &mut Harness<'_, RetraceApp>, name: &str) {
    for _ in 0..20 {
        if has_lane(h, name) {
            return;
        }
        let pos = h.get_by_label("Time axis: Asia/Tokyo").rect().center() + egui::vec2(0.0, 150.0);
        h.hover_at(pos);
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -120.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        for _ in 0..10 {
            h.step();
        }
    }
    panic!("no timeline lane labelled {name}, even after scrolling the lanes");
}

/// Adds the organization filter through the side panel's combo box.
fn filter_to_shanghai(h: &mut Harness<'_, RetraceApp>) {
    h.get_by_label("Organization").click();
    h.step();
    h.step();
    h.get_by_role_and_label(Role::Button, SHANGHAI).click();
    wait_for(h, "the filtered timeline and table", |h| {
        h.state().open_case().is_some_and(|c| {
            !c.view.filter.is_empty()
                && c.table.query.as_ref().is_some_and(|q| !q.filter.is_empty())
                && c.table.row(0).is_some()
                && c.timeline
                    .as_ref()
                    .is_some_and(|t| !t.request.filter.is_empty())
        })
    });
}

/// Types `text` into the text field on the row of the label `label` (the field nearest it
/// vertically), as a person clicking into it and typing would.
pub(crate) fn type_beside(h: &mut Harness<'_, RetraceApp>, label: &str, text: &str) {
    fn nearest<'t>(h: &'t Harness<'_, RetraceApp>, row: f32) -> egui_kittest::Node<'t> {
        h.get_all_by_role(Role::TextInput)
            .min_by(|a, b| {
                (a.rect().center().y - row)
                    .abs()
                    .total_cmp(&(b.rect().center().y - row).abs())
            })
            .expect("a text input")
    }
    let row = h.get_by_label(label).rect().center().y;
    nearest(h, row).focus();
    h.step();
    nearest(h, row).type_text(text);
    h.step();
}

pub(crate) fn settle(h: &mut Harness<'_, RetraceApp>) {
    wait_for(h, "queries to settle", |h| !h.state().is_busy());
}

#[test]
fn the_sample_case_opens_with_the_shanghai_engineers_lanes() {
    let mut h = open_sample();
    let case = h.state().open_case().unwrap();
    assert!(
        case.info.title().contains("Sample"),
        "{}",
        case.info.title()
    );
    for name in ENGINEERS {
        scroll_to_lane(&mut h, name);
    }
    // Lanes are grouped by organization, with the native-script names beside them.
    assert!(h.query_by_label(SHANGHAI).is_some());
    assert!(h.query_by_label("陈思远").is_some());
    // The axis names its zone, the case default.
    assert!(h.query_by_label("Time axis: Asia/Tokyo").is_some());
    h.check_accessibility();
}

#[test]
fn filtering_to_the_shanghai_organization_keeps_only_its_lanes_and_events() {
    let mut h = open_sample();
    assert!(has_lane(&h, "Mori Keiko"), "a Tokyo lane before filtering");
    filter_to_shanghai(&mut h);
    settle(&mut h);
    // The chip shows and can be removed; other organizations' lanes are gone.
    assert!(
        h.query_by_label_contains(&format!("organization: {SHANGHAI}"))
            .is_some()
    );
    assert!(!has_lane(&h, "Mori Keiko"), "Tokyo lane still shown");
    for name in ENGINEERS {
        assert!(has_lane(&h, name), "{name} lane missing");
    }
    let case = h.state().open_case().unwrap();
    let rows = case.table.rows.unwrap();
    assert!(rows > 0);
    for i in 0..rows.min(retrace::gui::PAGE_ROWS as u64) {
        if let Some(r) = case.table.row(i) {
            assert_eq!(r.organization.as_deref(), Some(SHANGHAI), "row {i}: {r:?}");
        }
    }
    // The timeline shows only this organization's events too.
    let t = case.timeline.as_ref().unwrap();
    assert_eq!(t.request.filter.len(), 1);
    // Remove the chip: the filter is gone.
    h.get_by_label_contains(&format!("organization: {SHANGHAI}"))
        .click();
    wait_for(&mut h, "the filter to be removed", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.view.filter.is_empty())
    });
}

/// The raw text of `line` (1-based) of a sample file, as stored in the repository.
/// Clicks the table row of event `id` (its time cell, shown in `zone`) and waits for the
/// detail pane to show that event.
fn open_detail(h: &mut Harness<'_, RetraceApp>, id: i64, ts_us: i64, zone: chrono_tz::Tz) {
    let time = retrace::model::time::format_in_zone(ts_us, zone);
    h.query_all_by_label(&time)
        .next()
        .expect("the row's time cell")
        .click();
    wait_for(h, "the event detail", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.detail.as_ref().is_some_and(|d| d.row.id == id))
    });
}

fn sample_line(file: &str, line: i64) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("a UTF-8 sample file");
    text.lines()
        .nth(line as usize - 1)
        .expect("line exists")
        .to_string()
}

#[test]
fn selecting_an_event_in_the_table_shows_its_raw_source_line() {
    let mut h = open_sample();
    // Narrow to the Shanghai engineers: their admin tool's file is UTF-8.
    filter_to_shanghai(&mut h);
    let row = {
        let case = h.state().open_case().unwrap();
        (0..50)
            .filter_map(|i| case.table.row(i))
            .find(|r| r.source_file == "sh_admin_tool.csv")
            .cloned()
            .expect("a Shanghai admin-tool event in the first rows")
    };
    open_detail(&mut h, row.id, row.ts_us, "Asia/Tokyo".parse().unwrap());
    let raw = sample_line(&row.source_file, row.line);
    assert!(
        h.query_by_label(&raw).is_some(),
        "the detail pane does not show the raw line {raw:?}"
    );
    assert!(h.query_by_label_contains("SHA-256").is_some());
    assert!(
        h.query_by_label(&format!("{}, line {}", row.source_file, row.line))
            .is_some()
    );
}

#[test]
fn clicking_a_mark_in_the_timeline_selects_that_event() {
    let mut h = open_sample();
    filter_to_shanghai(&mut h);
    wait_for(&mut h, "individual marks", |h| {
        h.state().open_case().is_some_and(|c| {
            c.timeline
                .as_ref()
                .is_some_and(|t| !t.request.filter.is_empty() && t.marks.is_some())
        })
    });
    settle(&mut h);
    let (id, rect) = a_mark(&h);
    let pos = rect.center();
    h.hover_at(pos);
    h.step();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        h.step();
    }
    wait_for(&mut h, "the clicked event's detail", |h| {
        h.state().open_case().is_some_and(|c| {
            c.view.selected.map(|s| s.0) == Some(id)
                && c.detail.as_ref().is_some_and(|d| d.row.id == id)
        })
    });
    let detail = h.state().open_case().unwrap().detail.clone().unwrap();
    assert!(h.query_by_label(&detail.raw_text).is_some());
}

#[test]
fn changing_the_display_zone_changes_the_time_labels() {
    let mut h = open_sample();
    assert!(h.query_by_label_contains("Time (Asia/Tokyo)").is_some());
    let first = h.state().open_case().unwrap().table.row(0).unwrap().clone();
    let tokyo = retrace::model::time::format_in_zone(first.ts_us, "Asia/Tokyo".parse().unwrap());
    assert!(
        h.query_by_label(&tokyo).is_some(),
        "first row shows {tokyo}"
    );

    h.get_by_label("Zone: Asia/Tokyo").click();
    h.step();
    h.step();
    h.get_by_role_and_label(Role::Button, "UTC").click();
    wait_for(&mut h, "the zone to change", |h| {
        h.query_by_label("Time axis: UTC").is_some()
    });
    let utc = retrace::model::time::format_in_zone(first.ts_us, chrono_tz::UTC);
    assert_ne!(utc, tokyo);
    assert!(h.query_by_label_contains("Time (UTC)").is_some());
    assert!(h.query_by_label(&utc).is_some(), "first row shows {utc}");
    assert!(h.query_by_label(&tokyo).is_none());

    // Any IANA zone, found by searching.
    h.get_by_label("Zone: UTC").click();
    h.step();
    h.step();
    h.get_by_label("Search zones:").focus();
    h.step();
    h.get_by_label("Search zones:").type_text("Kolkata");
    h.step();
    h.step();
    h.get_by_role_and_label(Role::Button, "Asia/Kolkata")
        .click();
    wait_for(&mut h, "the Kolkata zone", |h| {
        h.query_by_label_contains("Time (Asia/Kolkata)").is_some()
    });
    let kolkata =
        retrace::model::time::format_in_zone(first.ts_us, "Asia/Kolkata".parse().unwrap());
    assert!(h.query_by_label(&kolkata).is_some());
}

#[test]
fn the_first_run_builds_the_sample_case_in_the_data_directory_and_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_harness(Startup {
        case: None,
        sample_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    });
    wait_for(&mut h, "the sample case to be built and opened", |h| {
        h.state().open_case().is_some_and(|c| c.timeline.is_some())
    });
    let path = retrace::gui::sample_case_path(dir.path());
    assert!(path.exists());
    assert!(!dir.path().join("sample.retrace.partial").exists());
    let case = h.state().open_case().unwrap();
    assert_eq!(case.info.path, path);
    assert!(
        h.state()
            .settings()
            .recent_cases
            .iter()
            .any(|p| p.ends_with("sample.retrace"))
    );
    // A second start finds it and does not build again.
    let built_at = std::fs::metadata(&path).unwrap().modified().unwrap();
    let again =
        retrace::gui::ensure_sample_case(dir.path(), &NoProgress, &CancelToken::new()).unwrap();
    assert_eq!(again, path);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        built_at
    );
    drop(h);
    // A sample written by another build (other version or schema) is rebuilt.
    retrace::case::Case::open(&path)
        .unwrap()
        .set_meta("built_by", "another build")
        .unwrap();
    retrace::gui::ensure_sample_case(dir.path(), &NoProgress, &CancelToken::new()).unwrap();
    let rebuilt = retrace::case::Case::open_read_only(&path).unwrap();
    assert_eq!(
        rebuilt.meta("built_by").unwrap(),
        Some(retrace::case::build_fingerprint())
    );
    // And a file that is not a case at all is replaced too.
    std::fs::write(&path, "not a case").unwrap();
    retrace::gui::ensure_sample_case(dir.path(), &NoProgress, &CancelToken::new()).unwrap();
    assert!(
        retrace::case::Case::open_read_only(&path)
            .unwrap()
            .summary()
            .unwrap()
            .events
            > 6000
    );
}

#[test]
fn cjk_names_render_with_the_bundled_font() {
    // kittest fails on a glyph no font has; the bundled subset must cover these.
    let texts = [
        "森恵子",
        "陈思远",
        "大连海韵内容审核有限公司",
        "호시조라 코리아",
        "投稿本文 個人情報 유출",
    ];
    let mut h = Harness::builder()
        .with_context_setup(retrace::gui::install_fonts)
        .build_ui(|ui| {
            for t in texts {
                ui.label(t);
                ui.label(egui::RichText::new(t).monospace());
            }
        });
    h.run();
    for t in texts {
        assert!(h.query_all_by_label(t).count() == 2);
    }
}

#[test]
fn importing_a_file_in_the_app_previews_it_and_imports_it_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let case_path = dir.path().join("new.retrace");
    drop(retrace::case::Case::create(&case_path, "import test").unwrap());
    let mut h = app_harness(Startup {
        case: Some(case_path.clone()),
        sample_dir: None,
        ..Default::default()
    });
    wait_for(&mut h, "the empty case to open", |h| {
        h.state().open_case().is_some()
    });
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/sh_admin_tool.csv");
    // As if the file had been dropped on the window.
    h.state_mut()
        .push_command(retrace::gui::Command::PrepareImport(vec![file]));
    wait_for(&mut h, "the preview", |h| {
        h.query_by_label_contains("Source zone: default: UTC")
            .is_some()
    });
    // The guessed mapping and the first rows are shown.
    assert!(h.query_by_label("csv").is_some());
    assert!(h.query_all_by_label("wang.yuhang").count() > 0);
    // Naive Shanghai times: pick the zone.
    h.get_by_label_contains("Source zone:").click();
    h.step();
    h.step();
    h.get_all_by_label("Search zones:").last().unwrap().focus();
    h.step();
    h.get_all_by_label("Search zones:")
        .last()
        .unwrap()
        .type_text("Shanghai");
    h.step();
    h.step();
    h.get_by_role_and_label(Role::Button, "Asia/Shanghai")
        .click();
    wait_for(&mut h, "the preview in Asia/Shanghai", |h| {
        h.query_by_label_contains("Source zone: Asia/Shanghai")
            .is_some()
    });
    h.get_by_label("Import 1 file").click();
    wait_for(&mut h, "the import and the reopened case", |h| {
        h.query_by_label_contains("sh_admin_tool.csv: ").is_some()
            && h.state()
                .open_case()
                .is_some_and(|c| c.info.summary.events > 0)
    });
    let case = retrace::case::Case::open_read_only(&case_path).unwrap();
    let s = case.summary().unwrap();
    assert_eq!(s.sources.len(), 1);
    assert_eq!(s.sources[0].zone, "Asia/Shanghai");
    assert_eq!(
        h.state().open_case().unwrap().info.summary.events,
        s.sources[0].rows_imported
    );
}

/// Opens a case (the sample, or `RETRACE_GUI_BENCH_CASE`), then zooms in steps, and reports
/// the time to the first frame with timeline data and the slowest frame. The UI thread never
/// waits for a query, so frames stay short whatever the case size.
#[test]
fn first_data_latency_and_frame_times_are_reported() {
    let path = std::env::var_os("RETRACE_GUI_BENCH_CASE")
        .map_or_else(|| sample_case().to_path_buf(), PathBuf::from);
    let started = Instant::now();
    let mut h = app_harness(Startup {
        case: Some(path.clone()),
        sample_dir: None,
        ..Default::default()
    });
    wait_for(&mut h, "the first timeline data", |h| {
        h.state().open_case().is_some_and(|c| c.timeline.is_some())
    });
    let first = started.elapsed();
    let mut slowest_query = Duration::ZERO;
    let mut slowest_frame = Duration::ZERO;
    for _ in 0..12 {
        let centre =
            h.get_by_label_contains("Time axis:").rect().center() + egui::vec2(400.0, 200.0);
        h.hover_at(centre);
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 120.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        let t = Instant::now();
        h.step();
        slowest_frame = slowest_frame.max(t.elapsed());
        wait_for(&mut h, "the zoomed timeline", |h| !h.state().is_busy());
        let stats = h.state().frame_stats();
        slowest_frame = slowest_frame.max(stats.last_frame);
        slowest_query = slowest_query.max(stats.last_query.unwrap_or_default());
    }
    let events = h.state().open_case().unwrap().info.summary.events;
    eprintln!(
        "gui bench {}: {events} events; first timeline data after {:.0} ms (app: {:?}); slowest zoom query {:.1} ms; slowest frame {:.1} ms",
        path.display(),
        first.as_secs_f64() * 1000.0,
        h.state().frame_stats().first_data,
        slowest_query.as_secs_f64() * 1000.0,
        slowest_frame.as_secs_f64() * 1000.0,
    );
    assert!(h.state().frame_stats().first_data.is_some());
}

/// A CloudTrail source keeps its unmapped fields only in the stored original: the free-text
/// filter typed in the side panel finds an event by one of them (its requestID), the detail
/// pane lists them, read again from the record, and says so, and so does the import preview.
#[test]
fn cloudtrail_fields_read_from_the_original_are_found_and_shown() {
    let t = crate::util::TestDir::new();
    let path = t.path("ct.retrace");
    {
        let mut case = retrace::case::Case::create(&path, "ct").unwrap();
        let file = crate::util::realdata(
            "aws_cloudtrail/aws.credential-access.secretsmanager-retrieve-secrets.json",
        );
        crate::util::import(&mut case, &file, Default::default()).unwrap();
    }
    let mut h = app_harness(Startup {
        case: Some(path),
        sample_dir: None,
        ..Default::default()
    });
    wait_for(&mut h, "the case's table", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.table.row(0).is_some())
    });
    // The side panel's free-text box is the topmost text input.
    fn top_input<'a>(h: &'a Harness<'_, RetraceApp>) -> egui_kittest::Node<'a> {
        h.get_all_by_role(Role::TextInput)
            .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
            .expect("a text input")
    }
    top_input(&h).focus();
    h.step();
    top_input(&h).type_text("c4fff253-825a");
    h.step();
    h.get_by_role_and_label(Role::Button, "Add").click();
    wait_for(&mut h, "the table filtered to one event", |h| {
        h.state().open_case().is_some_and(|c| {
            c.table.query.as_ref().is_some_and(|q| !q.filter.is_empty())
                && c.table.rows == Some(1)
                && c.table.row(0).is_some()
        })
    });
    let row = h
        .state()
        .open_case()
        .unwrap()
        .table
        .row(0)
        .cloned()
        .unwrap();
    assert_eq!(row.line, 2, "the first record of the array");
    open_detail(&mut h, row.id, row.ts_us, chrono_tz::UTC);
    assert!(
        h.query_by_label_contains("not mapped; read from the original record")
            .is_some()
    );
    assert!(
        h.query_by_label("c4fff253-825a-4828-adac-7f789f6975f3")
            .is_some()
    );
    assert!(h.query_by_label("AwsApiCall").is_some());
    // The import preview of another CloudTrail file says where its fields will be.
    let other = crate::util::realdata("aws_cloudtrail/aws.exfiltration.rds-share-snapshot.json");
    h.state_mut()
        .push_command(retrace::gui::Command::PrepareImport(vec![other]));
    wait_for(&mut h, "the import preview", |h| {
        h.query_by_label_contains("read from the stored original when shown or searched")
            .is_some()
    });
}

/// A mark on screen: its event id and where it is drawn.
pub(crate) fn a_mark(h: &Harness<'_, RetraceApp>) -> (i64, egui::Rect) {
    let app = h.state();
    let marks = app
        .open_case()
        .unwrap()
        .timeline
        .as_ref()
        .unwrap()
        .marks
        .clone()
        .unwrap();
    marks
        .iter()
        .find_map(|m| app.timeline_mark_rect(m.id).map(|r| (m.id, r)))
        .expect("a mark on screen")
}
