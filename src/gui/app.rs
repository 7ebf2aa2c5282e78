//! [`RetraceApp`]: the eframe app. It owns all state; panels get a read-only
//! [`ViewContext`] and push [`Command`]s, which are applied in [`RetraceApp::apply`] after
//! the panels have drawn. Query answers from the workers are drained in `App::logic`.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use chrono_tz::Tz;

use crate::case::{Case, EventDetail, SortKey, TableQuery};

use super::background::{self, Job};
use super::command::Command;
use super::import::{self, ImportState};
use super::lookup::{self as lookup_state, LookupState};
use super::panels::{self, Panels};
use super::state::{CaseInfo, Settings, TableState, ThemeChoice, ViewState};
use super::worker::{
    Answer, DensityData, DensityRequest, PAGE_ROWS, QueryWorker, Request, TimelineData,
    TimelineRequest,
};

/// What to do when the app starts.
#[derive(Debug, Clone, Default)]
pub struct Startup {
    /// A case to open (from the command line).
    pub case: Option<PathBuf>,
    /// Where the sample case is built on first run; `None` = don't build it.
    pub sample_dir: Option<PathBuf>,
}

/// Everything panels may read this frame.
pub struct ViewContext<'a> {
    pub case: Option<&'a OpenCase>,
    pub settings: &'a Settings,
    pub zone: Tz,
    pub zone_name: &'a str,
    pub busy: Option<BusyView<'a>>,
    pub message: Option<&'a Message>,
    pub frame_stats: &'a FrameStats,
    pub import: &'a ImportState,
    /// The case is open for review: panels offer no write.
    pub review: bool,
}

/// A running background job as panels see it.
pub struct BusyView<'a> {
    pub title: &'a str,
    pub progress: background::ProgressState,
    pub cancellable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub error: bool,
    pub text: String,
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
    pub table: TableState,
    pub detail: Option<EventDetail>,
    /// Person pages and subject lookups, with their own query thread.
    pub lookup: LookupState,
    /// The findings rules' answer, with their own query thread.
    pub findings: panels::findings::FindingsState,
    timeline_worker: QueryWorker,
    table_worker: QueryWorker,
    answers: Receiver<Answer>,
    sent_timeline: Option<TimelineRequest>,
    sent_density: Option<DensityRequest>,
    sent_pages: Vec<u64>,
    opened_at: Instant,
}

impl OpenCase {
    /// The zone the case says to show times in.
    pub fn default_zone(&self) -> &str {
        &self.info.summary.display_zone
    }
}

pub struct RetraceApp {
    settings: Settings,
    startup: Startup,
    case: Option<OpenCase>,
    opening: Option<(Job<CaseInfo>, Instant)>,
    sample_job: Option<Job<PathBuf>>,
    message: Option<Message>,
    panels: Panels,
    commands: Vec<Command>,
    stats: FrameStats,
    ctx: egui::Context,
    applied_theme: Option<ThemeChoice>,
    import: ImportState,
    /// The open case was opened for review (no write of any kind).
    review: bool,
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
            opening: None,
            sample_job: None,
            message: None,
            panels: Panels::default(),
            commands: Vec::new(),
            stats: FrameStats::default(),
            ctx: cc.egui_ctx.clone(),
            applied_theme: None,
            import: ImportState::default(),
            review: false,
        };
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

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn frame_stats(&self) -> &FrameStats {
        &self.stats
    }

    /// Whether a background job or query is still outstanding (for tests that wait).
    pub fn is_busy(&self) -> bool {
        self.opening.is_some()
            || self.sample_job.is_some()
            || self.import.running.is_some()
            || self.import.preview_job.is_some()
            || self.case.as_ref().is_some_and(|c| {
                c.lookup.is_busy()
                    || c.findings.is_busy()
                    || c.sent_timeline.as_ref() != c.timeline.as_ref().map(|t| &t.request)
                    || c.table.rows.is_none()
            })
    }

    /// Where the timeline drew an event's mark last frame, if it did.
    pub fn timeline_mark_rect(&self, id: i64) -> Option<egui::Rect> {
        self.panels.timeline.mark_rect(id)
    }

    /// The last error or notice shown in the banner.
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// The export panel, the custody log and the investigator's name (for tests).
    pub fn trail(&self) -> &panels::Trail {
        &self.panels.trail
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

    fn set_message(&mut self, error: bool, text: impl Into<String>) {
        self.message = Some(Message {
            error,
            text: text.into(),
        });
    }

    fn apply_commands(&mut self) {
        let commands = std::mem::take(&mut self.commands);
        for c in commands {
            self.apply(c);
        }
    }

    /// The one place where commands change state.
    fn apply(&mut self, command: Command) {
        match command {
            Command::OpenCase(path) => {
                self.review = false;
                self.start_open(path);
            }
            Command::OpenCaseForReview(path) => {
                self.review = true;
                self.start_open(path);
            }
            Command::PickCaseForReview => {
                if let Some(path) = pick_case_file(false) {
                    self.commands.push(Command::OpenCaseForReview(path));
                }
            }
            Command::Trail(cmd) => self.panels.trail.apply(cmd),
            Command::NewCase(path) => match Case::create(&path, &title_from(&path)) {
                Ok(case) => {
                    drop(case);
                    self.start_open(path);
                }
                Err(e) => self.set_message(true, e.to_string()),
            },
            Command::OpenSample => self.start_sample(),
            Command::PickCaseFile { create } => {
                if let Some(path) = pick_case_file(create) {
                    self.commands.push(if create {
                        Command::NewCase(path)
                    } else {
                        Command::OpenCase(path)
                    });
                    self.panels.open_window.open = false;
                }
            }
            Command::ShowOpenWindow(show) => self.panels.open_window.open = show,
            Command::PickImportFiles => {
                if let Some(files) = rfd::FileDialog::new()
                    .add_filter(
                        "Logs and rosters",
                        &["csv", "tsv", "jsonl", "ndjson", "txt", "log"],
                    )
                    .add_filter("All files", &["*"])
                    .pick_files()
                {
                    self.commands.push(Command::PrepareImport(files));
                }
            }
            Command::PrepareImport(files) => {
                if self.review {
                    self.set_message(
                        true,
                        "The case is opened for review: nothing can be imported. Open it normally to import.",
                    );
                    return;
                }
                let Some(case) = &self.case else {
                    self.set_message(
                        true,
                        "Open or create a case first, then import files into it.",
                    );
                    return;
                };
                self.import = ImportState {
                    open: true,
                    case_path: Some(case.info.path.clone()),
                    files: files
                        .into_iter()
                        .map(|f| (f, import::ReadChoices::default()))
                        .collect(),
                    ..ImportState::default()
                };
                self.start_preview();
            }
            Command::SelectImportFile(i) => {
                if i < self.import.files.len() {
                    self.import.selected = i;
                    self.start_preview();
                }
            }
            Command::SetImportZone(zone) => {
                if let Some(f) = self.import.files.get_mut(self.import.selected) {
                    f.1.zone = zone;
                    self.start_preview();
                }
            }
            Command::SetImportKind(kind) => {
                if let Some(f) = self.import.files.get_mut(self.import.selected) {
                    // Another kind has other fields: the column choices start over.
                    f.1.kind = kind;
                    f.1.columns.clear();
                    self.start_preview();
                }
            }
            Command::SetImportColumn { field, column } => {
                if let Some(f) = self.import.files.get_mut(self.import.selected) {
                    f.1.columns.insert(field, column);
                    self.start_preview();
                }
            }
            Command::StartImport => self.start_import(),
            Command::CloseImport => {
                if self.import.running.is_none() {
                    self.import = ImportState::default();
                }
            }
            Command::CancelJob => {
                if let Some(job) = &self.sample_job {
                    job.cancel.cancel();
                }
                if let Some(job) = &self.import.running {
                    job.cancel.cancel();
                }
            }
            Command::SetView { from_us, to_us } => {
                if let Some(c) = &mut self.case {
                    set_view(c, from_us, to_us);
                }
            }
            Command::ZoomToCase => {
                if let Some(c) = &mut self.case {
                    let (a, b) = c.info.span_us();
                    let pad = (b - a) as f64 * 0.02;
                    set_view(c, a as f64 - pad, b as f64 + pad);
                }
            }
            Command::SetSelection(sel) => {
                if let Some(c) = &mut self.case {
                    c.view.selection = sel.filter(|(a, b)| b > a);
                }
            }
            Command::SelectEvent {
                id,
                ts_us,
                scroll_table,
            } => {
                if let Some(c) = &mut self.case {
                    c.view.selected = Some((id, ts_us));
                    c.table_worker.send(Request::Detail(id));
                    if scroll_table && let Some(q) = &c.table.query {
                        c.table_worker.send(Request::RowOf {
                            query: q.clone(),
                            id,
                            ts_us,
                        });
                    }
                    // Bring the event into view when it is outside.
                    let t = ts_us as f64;
                    if t < c.view.from_us || t >= c.view.to_us {
                        let half = (c.view.to_us - c.view.from_us) / 2.0;
                        set_view(c, t - half, t + half);
                    }
                }
            }
            Command::Lookup(cmd) => {
                let (zone, _) = self.zone();
                if let Some(c) = &mut self.case {
                    lookup_state::apply(&mut c.lookup, cmd, zone);
                }
            }
            Command::Findings(cmd) => {
                let writes = matches!(
                    cmd,
                    panels::findings::FindingsCommand::Dispose { .. }
                        | panels::findings::FindingsCommand::SetParam { .. }
                );
                if writes && self.review {
                    self.set_message(
                        true,
                        "The case is opened for review: decisions and parameters cannot be recorded. Open it normally to record them.",
                    );
                    return;
                }
                if let Some(c) = &mut self.case {
                    panels::findings::apply(&mut c.findings, cmd);
                }
            }
            Command::ClearSelection => {
                if let Some(c) = &mut self.case {
                    c.view.selected = None;
                    c.detail = None;
                }
            }
            Command::StepEvent { forward } => {
                if let Some(c) = &mut self.case {
                    let (id, ts_us) = c.view.selected.unwrap_or(if forward {
                        (i64::MIN, c.view.from_us as i64)
                    } else {
                        (i64::MAX, c.view.to_us as i64)
                    });
                    c.table_worker.send(Request::Step {
                        ts_us,
                        id,
                        forward,
                        filter: c.view.filter.clone(),
                    });
                }
            }
            Command::AddFilter(term) => {
                if let Some(c) = &mut self.case
                    && !c.view.filter.contains(&term)
                {
                    c.view.filter.push(term);
                }
            }
            Command::RemoveFilter(term) => {
                if let Some(c) = &mut self.case {
                    c.view.filter.retain(|t| t != &term);
                }
            }
            Command::ClearFilters => {
                if let Some(c) = &mut self.case {
                    c.view.filter.clear();
                }
            }
            Command::SetDisplayZone(z) => self.settings.display_zone = z,
            Command::SetTheme(t) => self.settings.theme = t,
            Command::SetColorBy(by) => self.settings.color_by = by,
            Command::SortTable(key) => {
                if let Some(c) = &mut self.case {
                    c.table.sort = Some(match c.table.sort {
                        Some((k, desc)) if k == key => (k, !desc),
                        _ => (key, false),
                    });
                }
            }
            Command::DismissMessage => self.message = None,
        }
    }

    fn start_open(&mut self, path: PathBuf) {
        let p = path.clone();
        let review = self.review;
        match Job::start(
            "retrace-open-case",
            format!("Opening {}", path.display()),
            &self.ctx,
            move |_, _| {
                // Opened normally, the app may write: it rolls back an interrupted write once,
                // so its read-only opens read the file, not a private copy. For review it
                // does not (read-only opens never write). If it cannot, the reads still see
                // the last committed state, through a private copy.
                if !review {
                    let _ = Case::roll_back_interrupted_write(&p);
                }
                CaseInfo::load(&p)
            },
        ) {
            Ok(job) => self.opening = Some((job, Instant::now())),
            Err(e) => self.set_message(true, format!("cannot start a thread: {e}")),
        }
    }

    fn start_sample(&mut self) {
        let Some(dir) = self
            .startup
            .sample_dir
            .clone()
            .or_else(background::default_data_dir)
        else {
            self.set_message(
                true,
                "No data directory for the sample case; open a case instead.",
            );
            return;
        };
        // Always through `ensure_sample_case`: it returns at once when the sample exists and
        // this build wrote it, and rebuilds a sample left by another build.
        match Job::start(
            "retrace-build-sample",
            "Building the sample case (first run)",
            &self.ctx,
            move |progress, cancel| background::ensure_sample_case(&dir, progress, cancel),
        ) {
            Ok(job) => self.sample_job = Some(job),
            Err(e) => self.set_message(true, format!("cannot start a thread: {e}")),
        }
    }

    fn start_preview(&mut self) {
        let Some((path, choices)) = self.import.selected_file().cloned() else {
            return;
        };
        self.import.preview = None;
        match Job::start(
            "retrace-import-preview",
            "Reading the file",
            &self.ctx,
            move |_, _| import::preview(&path, &choices),
        ) {
            Ok(job) => self.import.preview_job = Some(job),
            Err(e) => self.set_message(true, format!("cannot start a thread: {e}")),
        }
    }

    fn start_import(&mut self) {
        let (Some(case_path), false) =
            (self.import.case_path.clone(), self.import.files.is_empty())
        else {
            return;
        };
        // The import writes the case; close the app's read connections first (a large import
        // switches the journal mode, which needs the file to itself).
        self.case = None;
        let files = self.import.files.clone();
        let n = files.len();
        match Job::start(
            "retrace-import",
            format!("Importing {n} file(s)"),
            &self.ctx,
            move |progress, cancel| import::import_files(&case_path, &files, progress, cancel),
        ) {
            Ok(job) => {
                self.import.outcomes.clear();
                self.import.running = Some(job);
            }
            Err(e) => self.set_message(true, format!("cannot start a thread: {e}")),
        }
    }

    /// Takes finished jobs and worker answers. Runs in `App::logic`.
    fn drain(&mut self) {
        if let Some(job) = &self.import.preview_job
            && let Some(result) = job.poll()
        {
            self.import.preview_job = None;
            self.import.preview = Some(result.map_err(|e| format!("{e:#}")));
        }
        if let Some(job) = &self.import.running
            && let Some(result) = job.poll()
        {
            self.import.running = None;
            match result {
                Ok(outcomes) => self.import.outcomes = outcomes,
                Err(e) => self.set_message(true, format!("The import failed: {e:#}")),
            }
            if let Some(path) = self.import.case_path.clone() {
                self.start_open(path);
            }
        }
        if let Some(job) = &self.sample_job
            && let Some(result) = job.poll()
        {
            self.sample_job = None;
            match result {
                Ok(path) => self.start_open(path),
                Err(e) => self.set_message(true, format!("The sample case was not built: {e:#}")),
            }
        }
        if let Some((job, started)) = &self.opening
            && let Some(result) = job.poll()
        {
            let started = *started;
            self.opening = None;
            match result {
                Ok(info) => self.install_case(info, started),
                Err(e) => self.set_message(true, format!("{e:#}")),
            }
        }
        let mut step_to = None;
        if let Some(c) = &mut self.case {
            c.lookup.drain();
            c.findings.drain();
            while let Ok(answer) = c.answers.try_recv() {
                match answer {
                    Answer::Timeline(t) => {
                        self.stats.last_query = Some(t.elapsed);
                        c.timeline = Some(*t);
                    }
                    Answer::Density(d) => c.density = Some(d),
                    Answer::TableCount { query, rows } => {
                        if c.table.query.as_ref() == Some(&query) {
                            c.table.rows = Some(rows);
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
                    Answer::Step(found) => step_to = found,
                    Answer::Error(e) => {
                        self.message = Some(Message {
                            error: true,
                            text: e,
                        });
                    }
                }
            }
        }
        if let Some((id, ts_us)) = step_to {
            self.apply(Command::SelectEvent {
                id,
                ts_us,
                scroll_table: true,
            });
        }
    }

    fn install_case(&mut self, info: CaseInfo, started: Instant) {
        let (tx, rx) = std::sync::mpsc::channel();
        let workers = QueryWorker::start(
            "retrace-timeline-query",
            info.path.clone(),
            tx.clone(),
            self.ctx.clone(),
        )
        .and_then(|t| {
            QueryWorker::start(
                "retrace-table-query",
                info.path.clone(),
                tx,
                self.ctx.clone(),
            )
            .map(|b| (t, b))
        });
        let workers = workers.and_then(|(t, b)| {
            LookupState::start(info.path.clone(), self.ctx.clone()).map(|l| (t, b, l))
        });
        let workers = workers.and_then(|(t, b, l)| {
            panels::findings::FindingsState::start(info.path.clone(), self.ctx.clone())
                .map(|f| (t, b, l, f))
        });
        let (timeline_worker, table_worker, lookup, findings) = match workers {
            Ok(w) => w,
            Err(e) => {
                self.set_message(true, format!("cannot start the query threads: {e}"));
                return;
            }
        };
        self.settings.remember_case(&info.path);
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
            table: TableState::default(),
            detail: None,
            lookup,
            findings,
            timeline_worker,
            table_worker,
            answers: rx,
            sent_timeline: None,
            sent_density: None,
            sent_pages: Vec::new(),
            opened_at: started,
        });
        self.stats = FrameStats::default();
        self.panels.on_case_opened();
        self.message = None;
    }

    /// Sends the queries the current view needs and that were not sent yet.
    fn sync_requests(&mut self) {
        let Some(c) = &mut self.case else { return };
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
            c.table.pages.clear();
            c.sent_pages.clear();
            c.table_worker.send(Request::TableCount(query.clone()));
            if let Some((id, ts_us)) = c.view.selected {
                c.table_worker.send(Request::RowOf {
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
        let (cases, others): (Vec<PathBuf>, Vec<PathBuf>) =
            dropped.into_iter().partition(|p| looks_like_case(p));
        if let Some(c) = cases.into_iter().next() {
            self.commands.push(Command::OpenCase(c));
        }
        if !others.is_empty() {
            self.commands.push(Command::PrepareImport(others));
        }
    }
}

fn set_view(c: &mut OpenCase, from_us: f64, to_us: f64) {
    // Keep at least a millisecond and at most a few centuries in view.
    let span = (to_us - from_us).clamp(1_000.0, 3.0e18);
    let mid = (from_us + to_us) / 2.0;
    c.view.from_us = mid - span / 2.0;
    c.view.to_us = mid + span / 2.0;
}

fn title_from(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "case".into())
}

/// A case file is recognised by its extension or by SQLite's header.
fn looks_like_case(path: &Path) -> bool {
    if path.extension().is_some_and(|e| e == "retrace") {
        return true;
    }
    // Through the process's own descriptor: closing one of ours would drop the locks of an
    // import this app is running into that file (see `case::lock`).
    crate::case::has_sqlite_header(path)
}

/// The native file dialog (on the UI thread, as the platforms require). Without a portal
/// or dialog service this returns `None` and the typed-path field serves instead.
fn pick_case_file(create: bool) -> Option<PathBuf> {
    let dialog = rfd::FileDialog::new().add_filter("Retrace case", &["retrace"]);
    if create {
        dialog.set_file_name("case.retrace").save_file()
    } else {
        dialog.pick_file()
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
        let busy = if let Some(job) = &self.import.running {
            Some(BusyView {
                title: &job.title,
                progress: job.progress.get(),
                cancellable: true,
            })
        } else if let Some(job) = &self.sample_job {
            Some(BusyView {
                title: &job.title,
                progress: job.progress.get(),
                cancellable: true,
            })
        } else {
            self.opening.as_ref().map(|(job, _)| BusyView {
                title: &job.title,
                progress: job.progress.get(),
                cancellable: false,
            })
        };
        let view = ViewContext {
            case: self.case.as_ref(),
            settings: &self.settings,
            zone,
            zone_name: &zone_name,
            busy,
            message: self.message.as_ref(),
            frame_stats: &self.stats,
            import: &self.import,
            review: self.review,
        };
        panels::ui(&mut self.panels, &view, ui, &mut self.commands);
        self.apply_commands();
        self.sync_requests();
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
