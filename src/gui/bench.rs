//! `retrace --gui-bench CASE`: the desktop app's frame times on a case, headless. The real
//! [`RetraceApp`] runs in a plain `egui::Context` loop (no window, no GPU: egui's layout and
//! tessellation are timed, the painting of the triangles is not) while the bench zooms the
//! timeline with the mouse wheel, adds and removes filters, and scrolls the table.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{Command, RetraceApp, Startup};
use crate::case::FilterTerm;

/// Frame-time figures of one run.
#[derive(Debug, Clone)]
pub struct GuiBench {
    pub events: i64,
    pub open_to_first_data_ms: f64,
    /// Frames timed while zooming, filtering and scrolling (each: `logic` + `ui` + tessellate).
    pub frames: usize,
    pub frame_p50_ms: f64,
    pub frame_p95_ms: f64,
    pub frame_max_ms: f64,
    /// The app's own figure, the slowest `ui` call.
    pub worst_ui_ms: f64,
    pub rss_mib: Option<f64>,
    pub peak_rss_mib: Option<f64>,
}

/// The filters the bench adds and removes, as an investigator would type them.
const FILTERS: [&str; 3] = [
    "outcome:denied OR outcome:failed",
    "system:jp-*",
    "person:chen* AND NOT action:login",
];

struct Driver {
    ctx: egui::Context,
    app: RetraceApp,
    frame: eframe::Frame,
    size: egui::Vec2,
    pointer: egui::Pos2,
    times: Vec<f64>,
}

impl Driver {
    /// One frame with `events` as its input; its wall time is kept when `timed`.
    fn frame(&mut self, events: Vec<egui::Event>, timed: bool) {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, self.size)),
            events,
            ..Default::default()
        };
        let t = Instant::now();
        let (app, frame) = (&mut self.app, &mut self.frame);
        let out = self.ctx.run_ui(input, |ui| {
            eframe::App::logic(app, ui.ctx(), frame);
            eframe::App::ui(app, ui, frame);
        });
        let _ = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        if timed {
            self.times.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }

    fn wheel(&mut self, at: egui::Pos2, dy: f32) {
        self.pointer = at;
        let events = vec![
            egui::Event::PointerMoved(at),
            egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, dy),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: egui::Modifiers::NONE,
            },
        ];
        self.frame(events, true);
        // The frames after, while the answers come in, are what the investigator sees too.
        for _ in 0..3 {
            self.frame(vec![egui::Event::PointerMoved(self.pointer)], true);
        }
    }

    fn until(
        &mut self,
        what: &str,
        limit: Duration,
        done: impl Fn(&RetraceApp) -> bool,
    ) -> anyhow::Result<()> {
        let t = Instant::now();
        while !done(&self.app) {
            anyhow::ensure!(t.elapsed() < limit, "gui bench: no {what} after {limit:?}");
            self.frame(Vec::new(), false);
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok(())
    }
}

/// Opens `case` in a `width` x `height` window, then zooms, filters and scrolls.
pub fn run(case: &Path, width: f32, height: f32) -> anyhow::Result<GuiBench> {
    let ctx = egui::Context::default();
    let cc = eframe::CreationContext::_new_kittest(ctx.clone());
    let started = Instant::now();
    let app = RetraceApp::new(
        &cc,
        Startup {
            case: Some(case.to_path_buf()),
            ..Default::default()
        },
    );
    let mut d = Driver {
        ctx,
        app,
        frame: eframe::Frame::_new_kittest(),
        size: egui::vec2(width, height),
        pointer: egui::Pos2::ZERO,
        times: Vec::new(),
    };
    let has_data = |a: &RetraceApp| {
        a.open_case()
            .is_some_and(|c| c.timeline.is_some() && c.table.rows.is_some())
    };
    d.until("first timeline data", Duration::from_secs(120), has_data)?;
    let first = started.elapsed();
    let plot = d
        .app
        .timeline_plot_rect()
        .ok_or_else(|| anyhow::anyhow!("gui bench: no timeline plot drawn"))?;
    // The table sits below the timeline.
    let table = egui::pos2(plot.center().x, (plot.bottom() + height) / 2.0);
    let zone = chrono_tz::UTC;
    for filter in FILTERS {
        for step in 0..8 {
            let x = plot.left() + plot.width() * (0.3 + 0.05 * step as f32);
            d.wheel(egui::pos2(x, plot.center().y), 120.0);
        }
        for _ in 0..20 {
            d.wheel(table, -200.0);
        }
        let term = FilterTerm::parse_query(filter, zone)
            .map_err(|e| anyhow::anyhow!("gui bench filter: {e}"))?;
        d.app.push_command(Command::AddFilter(term.clone()));
        for _ in 0..10 {
            d.frame(Vec::new(), true);
            std::thread::sleep(Duration::from_millis(10));
        }
        for _ in 0..10 {
            d.wheel(table, -200.0);
        }
        for _ in 0..8 {
            d.wheel(egui::pos2(plot.center().x, plot.center().y), -120.0);
        }
        d.app.push_command(Command::RemoveFilter(term));
        d.frame(Vec::new(), true);
    }
    let worst_ui_ms = d.app.frame_stats().worst_frame.as_secs_f64() * 1e3;
    let events = d.app.open_case().map_or(0, |c| c.info.summary.events);
    let mut t = std::mem::take(&mut d.times);
    let frames = t.len();
    let mut at = |p: f64| crate::ops::bench::percentile(&mut t, p);
    Ok(GuiBench {
        events,
        open_to_first_data_ms: first.as_secs_f64() * 1e3,
        frames,
        frame_p50_ms: at(0.5),
        frame_p95_ms: at(0.95),
        frame_max_ms: at(1.0),
        worst_ui_ms,
        rss_mib: crate::ops::bench::current_rss_mib(),
        peak_rss_mib: crate::ops::bench::peak_rss_mib(),
    })
}

/// Prints a run's figures.
pub fn print(b: &GuiBench, case: &Path, width: f32, height: f32) {
    println!(
        "gui bench: {} ({} events), {width}x{height}, headless (no GPU painting)",
        case.display(),
        b.events
    );
    println!(
        "  open case -> first timeline and table data  {:.0} ms",
        b.open_to_first_data_ms
    );
    println!(
        "  frame time while zooming, filtering, scrolling the table ({} frames): p50 {:.1} ms  p95 {:.1} ms  max {:.1} ms (slowest ui call {:.1} ms)",
        b.frames, b.frame_p50_ms, b.frame_p95_ms, b.frame_max_ms, b.worst_ui_ms
    );
    let mib = |v: Option<f64>| v.map_or("?".into(), |v| format!("{v:.0} MiB"));
    println!("  RSS {} (peak {})", mib(b.rss_mib), mib(b.peak_rss_mib));
}
