//! [`RetraceApp`]: the eframe app. It owns all state and every side effect; panels get a
//! read-only [`ViewContext`] and push [`Command`]s, which are applied in `apply` (split by
//! domain) after the panels have drawn. Jobs run on the one [`Runner`] (`jobs`); their
//! results and the workers' query answers are drained in `App::logic`.

mod apply;
mod jobs;
mod table;

use crate::gui::lang::Words;
use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use chrono_tz::Tz;

use crate::case::{EventDetail, SortKey, TableQuery};
use crate::i18n::Lang;

use super::background::ProgressState;
use super::command::Command;
use super::findings::FindingsState;
use super::import::ImportState;
use super::lookup::LookupState;
use super::panels::{self, Panels};
use super::runner::{Runner, Task};
use super::state::{CaseInfo, ColorBy, Settings, TableState, ThemeChoice, ViewState};
use super::trail::{self, Trail, TrailView};
use super::worker::{
    Answer, DensityData, DensityRequest, PAGE_ROWS, QueryWorker, RefusedData, RefusedRequest,
    Request, TimelineData, TimelineRequest,
};

/// What to do when the app starts.
#[derive(Debug, Clone, Default)]
pub struct Startup {
    /// A case to open (from the command line).
    pub case: Option<PathBuf>,
    /// Where the sample case is built on first run; `None` = don't build it.
    pub sample_dir: Option<PathBuf>,
    /// The language asked for on the command line (`--lang`, `RETRACE_LANG`): wins over the
    /// saved choice until the toolbar's switch is used.
    pub lang: Option<Lang>,
    /// The system locale's language (`gui::run` reads it; English in tests): the default when
    /// neither the command line nor the switch chose one.
    pub system_lang: Lang,
}

/// Everything panels may read this frame.
pub struct ViewContext<'a> {
    pub case: Option<&'a OpenCase>,
    pub settings: &'a Settings,
    pub zone: Tz,
    pub zone_name: &'a str,
    /// The language every panel writes in.
    pub lang: Lang,
    pub busy: Option<BusyView<'a>>,
    pub message: Option<&'a Message>,
    pub frame_stats: &'a FrameStats,
    pub import: &'a ImportState,
    /// The case is open for review: panels offer no write.
    pub review: bool,
    /// Export, report text, custody log, the investigator's name.
    pub trail: &'a Trail,
    /// What runs in the background.
    pub jobs: &'a Runner,
}

/// A running background job as panels see it.
pub struct BusyView<'a> {
    pub title: &'a str,
    pub progress: ProgressState,
    pub cancellable: bool,
}

/// The banner's error or notice. `text` is in the language it was last shown in; `words`
/// say it again when the language is switched.
#[derive(Debug, Clone)]
pub struct Message {
    pub error: bool,
    pub text: String,
    words: Words,
}

impl Message {
    fn new(error: bool, words: Words, lang: Lang) -> Message {
        Message {
            error,
            text: words.in_lang(lang),
            words,
        }
    }

    /// Says the message again in `lang` (the language was switched).
    fn relang(&mut self, lang: Lang) {
        self.text = self.words.in_lang(lang);
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        (self.error, &self.text) == (other.error, &other.text)
    }
}

/// Frame-time and latency figures, shown in the status bar and read by the benchmark.
#[derive(Debug, Clone, Default)]
pub struct FrameStats {
    /// CPU time of the last `ui` call.
    pub last_frame: Duration,
    /// Slowest `ui` call since the case was opened.
    pub worst_frame: Duration,
    /// From asking to open the case to the first frame that drew timeline data.
    pub first_data: Option<Duration>,
    /// Time the worker took for the last timeline query.
    pub last_query: Option<Duration>,
}

/// An open case: its info, workers, view and the latest query answers.
pub struct OpenCase {
    pub info: CaseInfo,
    pub view: ViewState,
    pub timeline: Option<TimelineData>,
    pub density: Option<DensityData>,
    /// The refused attempts in view, asked for while the timeline is coloured by outcome.
    pub refused: Option<RefusedData>,
    pub table: TableState,
    pub detail: Option<EventDetail>,
    /// Person pages and subject lookups, with their own query thread.
    pub lookup: LookupState,
    /// The findings rules' answer, with their own query thread.
    pub findings: FindingsState,
    /// The rejects viewer, with its own query thread.
    pub rejects: super::rejects::RejectsState,
    timeline_worker: QueryWorker,
    table_worker: QueryWorker,
    /// The refused attempts in view: a scan of its own, so that it never keeps the timeline's
    /// answer waiting. (The density strip is asked of the timeline's thread, after the
    /// timeline's request, and gives way to a newer one: two scans at once on two cores would
    /// make the timeline's count take twice as long.)
    refused_worker: QueryWorker,
    /// The table's count and where an event sits in it: scans under an event-level filter,
    /// kept off the thread that answers the table's pages.
    count_worker: QueryWorker,
    answers: Receiver<Answer>,
    sent_timeline: Option<TimelineRequest>,
    sent_density: Option<DensityRequest>,
    sent_refused: Option<RefusedRequest>,
    /// The filter the selected event was last checked against (see `recheck_selection`).
    checked_filter: Vec<crate::case::FilterTerm>,
    sent_pages: Vec<u64>,
    opened_at: Instant,
}

impl OpenCase {
    /// The zone the case says to show times in.
    pub fn default_zone(&self) -> &str {
        &self.info.summary.display_zone
    }

    /// Whether the timeline or the table count is still being counted slice by slice.
    pub fn is_counting(&self) -> bool {
        let going = |p: Option<&super::worker::Progress>| p.is_some_and(|p| !p.stopped);
        going(
            self.timeline
                .as_ref()
                .and_then(|t| t.counting.as_ref())
                .map(|c| &c.progress),
        ) || going(self.table.counting.as_ref())
    }

    /// Stops the counts that go on slice by slice; the parts counted stay, marked stopped.
    fn stop_counting(&mut self) {
        self.timeline_worker.stop_counting();
        self.count_worker.stop_counting();
        if let Some(c) = self.timeline.as_mut().and_then(|t| t.counting.as_mut()) {
            c.progress.stopped = true;
        }
        if let Some(p) = &mut self.table.counting {
            p.stopped = true;
        }
    }

    /// Asks again for the counts that were stopped (from the start).
    fn count_again(&mut self) {
        // The density strip's count stopped with the timeline's unless it had answered.
        if self.density.as_ref().map(|d| &d.request) != self.sent_density.as_ref() {
            self.sent_density = None;
        }
        if let Some(k) = self.timeline.as_mut().and_then(|t| t.counting.as_mut()) {
            // Counting again: its parts are shown as they come (a stopped count's are not).
            k.progress.stopped = false;
            self.sent_timeline = None;
        }
        if let (Some(q), Some(_)) = (&self.table.query, &self.table.counting) {
            self.table.counting = None;
            self.table.rows = None;
            self.count_worker.send(Request::TableCount(q.clone()));
        }
    }
}

pub struct RetraceApp {
    settings: Settings,
    startup: Startup,
    case: Option<OpenCase>,
    /// Every background job (opening, import, export, ...).
    runner: Runner,
    /// Export, report text, custody log and the investigator's name.
    trail: Trail,
    message: Option<Message>,
    panels: Panels,
    commands: Vec<Command>,
    stats: FrameStats,
    ctx: egui::Context,
    applied_theme: Option<ThemeChoice>,
    import: ImportState,
    /// The open case was opened for review (no write of any kind).
    review: bool,
    /// The view of the case an import closed, restored when it opens again.
    kept_view: Option<jobs::KeptView>,
}

impl RetraceApp {
    /// Builds the app: settings from eframe storage, fonts, and the startup case.
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> RetraceApp {
        super::fonts::install(&cc.egui_ctx);
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, Settings::KEY))
            .unwrap_or_default();
        let mut app = RetraceApp {
            settings,
            startup: startup.clone(),
            case: None,
            runner: Runner::new(cc.egui_ctx.clone()),
            trail: Trail::default(),
            message: None,
            panels: Panels::default(),
            commands: Vec::new(),
            stats: FrameStats::default(),
            ctx: cc.egui_ctx.clone(),
            applied_theme: None,
            import: ImportState::default(),
            review: false,
            kept_view: None,
        };
        // The language is known before the first frame: the startup case's job titles use it.
        super::lang::set(&cc.egui_ctx, app.lang());
        trail::load_investigator(app.lang(), &mut app.runner);
        if let Some(path) = startup.case {
            app.commands.push(Command::OpenCase(path));
        } else if startup.sample_dir.is_some() {
            app.commands.push(Command::OpenSample);
        }
        app.apply_commands();
        app
    }

    /// The open case, if any (for tests and the benchmark).
    pub fn open_case(&self) -> Option<&OpenCase> {
        self.case.as_ref()
    }

    /// The language the app writes in: the command line's, else the switch's, else the
    /// system locale's.
    pub fn lang(&self) -> Lang {
        self.startup
            .lang
            .or(self.settings.lang)
            .unwrap_or(self.startup.system_lang)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn frame_stats(&self) -> &FrameStats {
        &self.stats
    }

    /// Whether a background job or query is still outstanding (for tests that wait).
    pub fn is_busy(&self) -> bool {
        [
            Task::OpenCase,
            Task::BuildSample,
            Task::Import,
            Task::Preview,
        ]
        .into_iter()
        .any(|t| self.runner.is_running(t))
            || self.case.as_ref().is_some_and(|c| {
                c.lookup.is_busy()
                    || c.findings.is_busy()
                    || c.rejects.is_busy()
                    || c.sent_timeline.as_ref() != c.timeline.as_ref().map(|t| &t.request)
                    || c.sent_refused.as_ref() != c.refused.as_ref().map(|r| &r.request)
                    || c.table.rows.is_none()
                    || c.is_counting()
            })
    }

    /// Where the timeline drew an event's mark last frame, if it did.
    pub fn timeline_mark_rect(&self, id: i64) -> Option<egui::Rect> {
        self.panels.timeline.mark_rect(id)
    }

    /// The timeline's plot last frame (right of the lane labels), if it was drawn.
    pub fn timeline_plot_rect(&self) -> Option<egui::Rect> {
        self.panels.timeline.plot_rect()
    }

    /// The refused attempts the timeline drew over its counts last frame: (lane, outcome,
    /// rect).
    pub fn timeline_refused_rects(&self) -> &[(usize, crate::model::Outcome, egui::Rect)] {
        self.panels.timeline.refused_rects()
    }

    /// The events the timeline drew as marks last frame, in drawing order (last on top).
    pub fn timeline_marks_in_drawing_order(&self) -> Vec<i64> {
        self.panels.timeline.marks_in_drawing_order()
    }

    /// The last error or notice shown in the banner.
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// The export panel, the custody log and the investigator's name (for tests).
    pub fn trail(&self) -> TrailView<'_> {
        self.trail.view(&self.runner)
    }

    /// Whether the open case was opened for review (read-only).
    pub fn is_review(&self) -> bool {
        self.review
    }

    /// Queues a command as if a panel had sent it (tests, drag and drop).
    pub fn push_command(&mut self, command: Command) {
        self.commands.push(command);
    }

    fn zone(&self) -> (Tz, String) {
        let default = self
            .case
            .as_ref()
            .map_or("UTC", |c| c.info.summary.display_zone.as_str());
        self.settings.display_zone.resolve(default)
    }

    /// A message whose text is the same in every language (an error from the system).
    fn set_message(&mut self, error: bool, text: impl Into<String>) {
        self.say(error, Words::fixed(text));
    }

    /// A message in the app's language, said again when the language is switched.
    fn say(&mut self, error: bool, words: Words) {
        self.message = Some(Message::new(error, words, self.lang()));
    }

    fn apply_commands(&mut self) {
        let commands = std::mem::take(&mut self.commands);
        for c in commands {
            self.apply(c);
        }
    }

    /// Takes finished jobs and worker answers. Runs in `App::logic`.
    fn drain(&mut self) {
        self.drain_jobs();
        let lang = self.lang();
        let mut step_to = None;
        if let Some(c) = &mut self.case {
            c.lookup.drain(lang);
            c.findings.drain();
            c.rejects.drain();
            while let Ok(answer) = c.answers.try_recv() {
                match answer {
                    Answer::Timeline(t) => {
                        // A part of a count that was stopped meanwhile is not shown: the
                        // stopped state the investigator asked for stays.
                        let stopped_here = c.timeline.as_ref().is_some_and(|old| {
                            old.request == t.request
                                && old.counting.as_ref().is_some_and(|k| k.progress.stopped)
                        });
                        if !(stopped_here && t.counting.is_some()) {
                            self.stats.last_query = Some(t.elapsed);
                            c.timeline = Some(*t);
                        }
                    }
                    Answer::Density(d) => c.density = Some(d),
                    Answer::DensityGaveWay(r) => {
                        if c.sent_density.as_ref() == Some(&r) {
                            c.sent_density = None;
                        }
                    }
                    Answer::Refused(r) => c.refused = Some(r),
                    Answer::TableCount {
                        query,
                        rows,
                        counting,
                    } => {
                        let stopped_here = c.table.counting.is_some_and(|p| p.stopped);
                        if c.table.query.as_ref() == Some(&query)
                            && !(stopped_here && counting.is_some())
                        {
                            c.table.rows = Some(rows);
                            c.table.counting = counting;
                        }
                    }
                    Answer::TablePage { query, page, rows } => {
                        if c.table.query.as_ref() == Some(&query) {
                            c.table.pages.insert(page, rows);
                        }
                        c.sent_pages.retain(|p| *p != page);
                    }
                    Answer::RowOf { query, id, row } => {
                        if c.table.query.as_ref() == Some(&query)
                            && c.view.selected.map(|s| s.0) == Some(id)
                        {
                            c.table.scroll_to_row = row;
                            c.table.scroll_seq += 1;
                        }
                    }
                    Answer::Detail(id, detail) => {
                        if c.view.selected.map(|s| s.0) == Some(id) {
                            c.detail = *detail;
                        }
                    }
                    Answer::TableRows {
                        query,
                        offset,
                        rows,
                    } => table::took_rows(c, &query, offset, rows),
                    Answer::Step(found) => {
                        let zone = self.settings.display_zone.resolve(c.default_zone()).0;
                        if let Some(words) = table::went_to(c, found.is_some(), zone) {
                            self.message = Some(Message::new(false, words, lang));
                        }
                        step_to = found;
                    }
                    Answer::StillMatches {
                        id,
                        filter,
                        matches,
                    } => {
                        // The filter changed and the selected event is not among what it
                        // keeps: the selection (and its detail) would be stale.
                        if !matches
                            && c.view.selected.map(|s| s.0) == Some(id)
                            && c.view.filter == filter
                        {
                            c.view.selected = None;
                            c.detail = None;
                        }
                    }
                    Answer::Error(e) => {
                        self.message = Some(Message::new(true, Words::fixed(e), lang));
                    }
                }
            }
        }
        if let Some((id, ts_us)) = step_to
            && let Some(c) = &mut self.case
        {
            apply::select_event(c, id, ts_us, true);
        }
    }

    fn install_case(&mut self, info: CaseInfo, recent: PathBuf, started: Instant) {
        let (tx, rx) = std::sync::mpsc::channel();
        let start =
            |name: &str| QueryWorker::start(name, info.path.clone(), tx.clone(), self.ctx.clone());
        let queries = (|| {
            Ok::<_, std::io::Error>((
                start("retrace-timeline-query")?,
                start("retrace-table-query")?,
                start("retrace-refused-query")?,
                start("retrace-count-query")?,
            ))
        })();
        let workers = queries
            .and_then(|q| LookupState::start(info.path.clone(), self.ctx.clone()).map(|l| (q, l)));
        let workers = workers.and_then(|(q, l)| {
            FindingsState::start(info.path.clone(), self.ctx.clone()).map(|f| (q, l, f))
        });
        let workers = workers.and_then(|(q, l, f)| {
            super::rejects::RejectsState::start(info.path.clone(), self.ctx.clone())
                .map(|r| (q, l, f, r))
        });
        let (
            (timeline_worker, table_worker, refused_worker, count_worker),
            lookup,
            findings,
            rejects,
        ) = match workers {
            Ok(w) => w,
            Err(e) => {
                let error = e.to_string();
                self.say(
                    true,
                    Words::new(move |l| crate::tr!(l, "msg-query-threads", error = &error)),
                );
                return;
            }
        };
        self.settings.remember_case(recent);
        let (a, b) = info.span_us();
        let pad = (b - a) as f64 * 0.02;
        self.ctx
            .send_viewport_cmd(egui::ViewportCommand::Title(format!(
                "{} — Retrace",
                info.title()
            )));
        self.case = Some(OpenCase {
            view: ViewState {
                from_us: a as f64 - pad,
                to_us: b as f64 + pad,
                ..ViewState::default()
            },
            info,
            timeline: None,
            density: None,
            refused: None,
            table: TableState::default(),
            detail: None,
            lookup,
            findings,
            rejects,
            timeline_worker,
            table_worker,
            refused_worker,
            count_worker,
            answers: rx,
            sent_timeline: None,
            sent_density: None,
            sent_refused: None,
            checked_filter: Vec::new(),
            sent_pages: Vec::new(),
            opened_at: started,
        });
        self.stats = FrameStats::default();
        self.panels.on_case_opened();
        self.message = None;
        self.restore_kept_view();
    }

    /// Sends the queries the current view needs and that were not sent yet.
    fn sync_requests(&mut self) {
        let Some(c) = &mut self.case else { return };
        recheck_selection(c);
        let columns = self.panels.timeline.plot_width_px().round().max(1.0) as u32;
        let want = TimelineRequest {
            from_us: c.view.from_us.floor() as i64,
            to_us: c.view.to_us.ceil() as i64,
            columns,
            filter: c.view.filter.clone(),
            lanes: c.info.lane_of_account.clone(),
            lane_count: c.info.lanes.len(),
        };
        if c.sent_timeline.as_ref() != Some(&want) {
            c.timeline_worker.send(Request::Timeline(want.clone()));
            c.sent_timeline = Some(want);
        }
        // The aggregates keep no outcome: coloured by outcome, the refused attempts in view
        // are asked for on their own, so the counts do not wait for them.
        if self.settings.color_by == ColorBy::Outcome {
            let refused = RefusedRequest {
                from_us: c.view.from_us.floor() as i64,
                to_us: c.view.to_us.ceil() as i64,
                columns,
                filter: c.view.filter.clone(),
            };
            if c.sent_refused.as_ref() != Some(&refused) {
                c.refused_worker.send(Request::Refused(refused.clone()));
                c.sent_refused = Some(refused);
            }
        }
        let (a, b) = c.info.span_us();
        let density = DensityRequest {
            from_us: a,
            to_us: b,
            columns,
            filter: c.view.filter.clone(),
        };
        if c.sent_density.as_ref() != Some(&density) {
            c.timeline_worker.send(Request::Density(density.clone()));
            c.sent_density = Some(density);
        }
        let (from_us, to_us) = c.view.table_range_us();
        let (sort, descending) = c.table.sort.unwrap_or((SortKey::Time, false));
        let query = TableQuery {
            from_us,
            to_us,
            filter: c.view.filter.clone(),
            sort,
            descending,
        };
        if c.table.query.as_ref() != Some(&query) {
            c.table.query = Some(query.clone());
            c.table.rows = None;
            c.table.counting = None;
            c.table.pages.clear();
            c.sent_pages.clear();
            c.table.clear_marks();
            c.count_worker.send(Request::TableCount(query.clone()));
            if let Some((id, ts_us)) = c.view.selected {
                c.count_worker.send(Request::RowOf {
                    query: query.clone(),
                    id,
                    ts_us,
                });
            }
        }
        for page in self.panels.table.wanted_pages() {
            if !c.table.pages.contains_key(&page) && !c.sent_pages.contains(&page) {
                c.sent_pages.push(page);
                c.table_worker.send(Request::TablePage {
                    query: query.clone(),
                    page,
                });
            }
        }
        if self.stats.first_data.is_none() && c.timeline.is_some() {
            self.stats.first_data = Some(c.opened_at.elapsed());
        }
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.applied_theme != Some(self.settings.theme) {
            ctx.set_theme(match self.settings.theme {
                ThemeChoice::System => egui::ThemePreference::System,
                ThemeChoice::Light => egui::ThemePreference::Light,
                ThemeChoice::Dark => egui::ThemePreference::Dark,
            });
            self.applied_theme = Some(self.settings.theme);
        }
    }

    /// Files dropped on the window: a case opens; anything else is for import.
    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        self.start_dropped(dropped);
    }
}

/// After any change of the filter (chips, text, a query, a finding's evidence): asks whether
/// the selected event is still among the events kept, so that a selection the filter drops
/// is cleared when the answer comes (`drain`) instead of lingering in the detail pane.
fn recheck_selection(c: &mut OpenCase) {
    if c.checked_filter == c.view.filter {
        return;
    }
    c.checked_filter = c.view.filter.clone();
    if let Some((id, _)) = c.view.selected {
        c.table_worker.send(Request::StillMatches {
            id,
            filter: c.view.filter.clone(),
        });
    }
}

fn set_view(c: &mut OpenCase, from_us: f64, to_us: f64) {
    // Keep at least a millisecond in view, and the view within the case and its margin: a
    // zoom out or a pan stops there instead of showing decades of nothing.
    let (lo, hi) = c.info.view_bounds_us();
    let span = (to_us - from_us).clamp(1_000.0, (hi - lo).max(1_000.0));
    let mid =
        ((from_us + to_us) / 2.0).clamp(lo + span / 2.0, (hi - span / 2.0).max(lo + span / 2.0));
    c.view.from_us = mid - span / 2.0;
    c.view.to_us = mid + span / 2.0;
}

/// The native file dialog (on the UI thread, as the platforms require). Without a portal
/// or dialog service this returns `None` and the typed-path field serves instead.
fn pick_case_file(lang: Lang, create: bool, start: Option<PathBuf>) -> Option<PathBuf> {
    let dialog = file_dialog(start).add_filter(crate::tr!(lang, "dialog-case-files"), &["retrace"]);
    if create {
        dialog.set_file_name("case.retrace").save_file()
    } else {
        dialog.pick_file()
    }
}

/// A file dialog that starts in `start` (the folder last used for its purpose) when known.
pub(crate) fn file_dialog(start: Option<PathBuf>) -> rfd::FileDialog {
    let dialog = rfd::FileDialog::new();
    match start {
        Some(dir) => dialog.set_directory(dir),
        None => dialog,
    }
}

impl eframe::App for RetraceApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.drain();
        self.handle_dropped_files(ctx);
        self.apply_theme(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let started = Instant::now();
        let (zone, zone_name) = self.zone();
        let lang = self.lang();
        super::lang::set(ui.ctx(), lang);
        // The status bar shows one job: an import, else the sample build, else an opening.
        let busy = [
            (Task::Import, true),
            (Task::BuildSample, true),
            (Task::OpenCase, false),
        ]
        .into_iter()
        .find_map(|(task, cancellable)| {
            Some(BusyView {
                title: self.runner.title(task)?,
                progress: self.runner.progress(task)?,
                cancellable,
            })
        });
        let view = ViewContext {
            case: self.case.as_ref(),
            settings: &self.settings,
            zone,
            zone_name: &zone_name,
            lang,
            busy,
            message: self.message.as_ref(),
            frame_stats: &self.stats,
            import: &self.import,
            review: self.review,
            trail: &self.trail,
            jobs: &self.runner,
        };
        panels::ui(&mut self.panels, &view, ui, &mut self.commands);
        self.apply_commands();
        self.sync_requests();
        if let Some(c) = &self.case {
            self.trail.sync(&c.info.path, lang, &mut self.runner);
        }
        let took = started.elapsed();
        self.stats.last_frame = took;
        self.stats.worst_frame = self.stats.worst_frame.max(took);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, Settings::KEY, &self.settings);
    }
}

/// Page indexes for rows `first..=last`.
pub fn pages_for_rows(first: u64, last: u64) -> impl Iterator<Item = u64> {
    let n = PAGE_ROWS as u64;
    (first / n)..=(last / n)
}
