//! Issues 18 and 20: in the app, a filter only the events themselves can answer (free text
//! here) is counted slice by slice. Meanwhile the timeline says how far it has got, hatches
//! the columns not counted yet and offers Stop; the table says "at least". Stop keeps what
//! was counted, marked stopped; Count again counts it all, to the same totals as one scan.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::case::{Case, FilterTerm, SortKey, TableQuery};
use retrace::gui::RetraceApp;

use crate::gui::{app_at, sample_case, settle, wait_for};

fn counted_fraction(h: &Harness<'_, RetraceApp>) -> Option<(f64, bool, usize)> {
    let t = h.state().open_case()?.timeline.as_ref()?;
    let k = t.counting.as_ref()?;
    let uncounted = k.counted.iter().filter(|c| !**c).count();
    Some((k.progress.fraction, k.progress.stopped, uncounted))
}

/// The app on `case` in a `w` x `h` window, once its first timeline and table count are in.
fn opened(case: std::path::PathBuf, w: f32, h: f32) -> Harness<'static, RetraceApp> {
    let mut app = app_at(
        retrace::gui::Startup {
            case: Some(case),
            sample_dir: None,
            ..Default::default()
        },
        w,
        h,
    );
    wait_for(&mut app, "the case to open", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.timeline.is_some() && c.table.rows.is_some())
    });
    settle(&mut app);
    app
}

/// Types `text` into the search field and presses Enter.
fn search(h: &mut Harness<'_, RetraceApp>, text: &str) {
    h.get_by_role_and_label(Role::TextInput, "Search or query:")
        .click();
    h.step();
    h.get_by_role_and_label(Role::TextInput, "Search or query:")
        .type_text(text);
    h.step();
    h.key_press(egui::Key::Enter);
}

#[test]
fn an_event_level_filter_is_counted_in_slices_that_can_be_stopped_and_counted_again() {
    // A few events a slice and a pause after each: the sample case's count lasts seconds.
    let slices = crate::sliced::SmallSlices::new(25, 60);
    let mut h = opened(sample_case().to_path_buf(), 1280.0, 800.0);
    search(&mut h, "users");
    wait_for(&mut h, "a partial timeline", |h| {
        counted_fraction(h)
            .is_some_and(|(f, stopped, uncounted)| f > 0.0 && !stopped && uncounted > 0)
    });
    assert!(
        h.query_all_by_label_contains("counting…").next().is_some(),
        "the timeline says it is counting"
    );
    assert!(
        h.state().is_busy(),
        "a count in progress keeps the app busy"
    );
    h.query_all_by_label("Stop")
        .next()
        .expect("a Stop button")
        .click();
    settle(&mut h);
    let (stopped_at, stopped, uncounted) = counted_fraction(&h).expect("the partial answer stays");
    assert!(stopped, "marked stopped");
    assert!(uncounted > 0 && stopped_at < 1.0);
    assert!(h.query_all_by_label_contains("stopped at").next().is_some());
    // Nothing more comes in once stopped.
    for _ in 0..30 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let (later, still_stopped, _) = counted_fraction(&h).expect("still the partial answer");
    assert!(
        still_stopped && later == stopped_at,
        "{later} after stopping at {stopped_at}"
    );

    h.query_all_by_label("Count again")
        .next()
        .expect("Count again")
        .click();
    wait_for(&mut h, "the whole count", |h| {
        h.state().open_case().is_some_and(|c| {
            c.timeline.as_ref().is_some_and(|t| t.counting.is_none())
                && c.table.counting.is_none()
                && c.table.rows.is_some()
        })
    });
    // The density strip, counted on the timeline's thread after the timeline and stopped
    // with it, is asked for again and comes.
    wait_for(&mut h, "the density strip of the filter", |h| {
        h.state().open_case().is_some_and(|c| {
            c.density
                .as_ref()
                .is_some_and(|d| d.request.filter == [FilterTerm::Text("users".into())])
        })
    });
    drop(slices);

    // The totals are those of one scan of the view.
    let c = h.state().open_case().unwrap();
    let t = c.timeline.as_ref().unwrap();
    let case = Case::open_read_only(sample_case()).unwrap();
    let filter = vec![FilterTerm::Text("users".into())];
    let scan: u64 = case
        .timeline()
        .event_columns(
            t.request.from_us,
            t.request.to_us,
            t.request.columns,
            &filter,
        )
        .unwrap()
        .iter()
        .map(|r| r.events)
        .sum();
    assert_eq!(t.events_in_view, scan);
    let q = c.table.query.clone().unwrap();
    let whole = case
        .timeline()
        .table_count(&TableQuery {
            sort: SortKey::Time,
            ..q
        })
        .unwrap();
    assert_eq!(c.table.rows, Some(whole));
    assert!(h.query_all_by_label_contains("counting…").next().is_none());
}

#[test]
fn a_wide_view_on_the_cell_path_shows_the_daily_counts_first_then_the_hourly_ones() {
    let t = crate::util::TestDir::new();
    let path = crate::filter_paths::generated_case_path(&t);
    // A pause after the first answer, so that a frame sees it before the hourly one.
    let slices = crate::sliced::SmallSlices::new(retrace::case::SLICE_EVENTS, 1500);
    // Wide enough that the whole case's pixel columns are narrower than a day.
    let mut h = opened(path, 1920.0, 1080.0);
    let view = h
        .state()
        .open_case()
        .unwrap()
        .timeline
        .as_ref()
        .unwrap()
        .request
        .clone();
    assert!(
        (view.to_us - view.from_us) / i64::from(view.columns) < 86_400_000_000,
        "{} columns over {} days",
        view.columns,
        (view.to_us - view.from_us) / 86_400_000_000
    );
    search(&mut h, "system:jp-*");
    let filtered = |h: &Harness<'_, RetraceApp>, coarse: bool| {
        h.state()
            .open_case()
            .and_then(|c| c.timeline.as_ref())
            .filter(|t| !t.request.filter.is_empty() && t.coarse == coarse)
            .map(|t| (t.events_in_view, t.exact))
    };
    wait_for(&mut h, "the daily first answer", |h| {
        filtered(h, true).is_some()
    });
    let (first, exact) = filtered(&h, true).unwrap();
    assert!(!exact && first > 0, "{first} events, exact {exact}");
    assert!(
        h.query_all_by_label_contains("from the daily aggregate")
            .next()
            .is_some(),
        "the timeline says where its first counts come from"
    );
    wait_for(&mut h, "the hourly answer", |h| {
        filtered(h, false).is_some()
    });
    drop(slices);
    let (whole, _) = filtered(&h, false).unwrap();
    assert_eq!(whole, first, "the same events, spread by hour");
    assert!(
        h.query_all_by_label_contains("from the daily aggregate")
            .next()
            .is_none()
    );
}
