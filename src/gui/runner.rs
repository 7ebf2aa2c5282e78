//! The app's one job runner: long work off the UI thread — opening, creating or building a
//! case, import previews and imports, exports, report text, the custody log and annotations,
//! the settings file, looking at dropped files. Each job runs on a named thread with a
//! progress sink and a cancel token ([`Job`]). At most one job of each [`Task`] runs: a newer
//! one replaces the older, whose answer is then dropped. The app starts jobs and takes their
//! results in `App::logic`; panels only read what is running.

use std::path::PathBuf;
use std::time::Instant;

use crate::case::{Annotation, ChainCheck, CustodyEntry};
use crate::jobs::CancelToken;
use crate::ops::export::ExportOutcome;

use super::background::{GuiProgress, Job, ProgressState};
use super::import::{ImportOutcome, Preview};
use super::state::CaseInfo;

/// The kinds of background work; one of each runs at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    OpenCase,
    BuildSample,
    Preview,
    Import,
    Export,
    ReportText,
    Custody,
    /// The custody checks of `verify`, from the custody window.
    CustodyCheck,
    Annotate,
    SavedViews,
    LoadSettings,
    SaveSettings,
    Dropped,
}

impl Task {
    fn thread_name(self) -> &'static str {
        match self {
            Task::OpenCase => "retrace-open-case",
            Task::BuildSample => "retrace-build-sample",
            Task::Preview => "retrace-import-preview",
            Task::Import => "retrace-import",
            Task::Export => "retrace-export",
            Task::ReportText => "retrace-report-text",
            Task::Custody => "retrace-custody",
            Task::CustodyCheck => "retrace-custody-check",
            Task::Annotate => "retrace-annotate",
            Task::SavedViews => "retrace-saved-views",
            Task::LoadSettings | Task::SaveSettings => "retrace-settings",
            Task::Dropped => "retrace-dropped-files",
        }
    }
}

/// What a job answers.
pub enum Output {
    /// An opened case, and its path for the recent cases.
    Case(Box<CaseInfo>, PathBuf),
    Sample(PathBuf),
    Preview(Box<Preview>),
    Imported(Vec<ImportOutcome>),
    /// An export's outcome, and a new folder for the next export.
    Exported(Box<ExportOutcome>, Option<PathBuf>),
    /// A section's text as stored (`Some`), or a saved edit (`None`).
    ReportText(Option<String>),
    Custody {
        entries: Vec<CustodyEntry>,
        annotations: Vec<Annotation>,
        /// The signing key line (loading the key may read or create its file).
        key_line: String,
    },
    Annotated(i64),
    /// The custody log checked as `verify` checks it.
    CustodyChecked(Box<ChainCheck>),
    /// The case's saved views, and what a change did (`None`: only read).
    SavedViews(Vec<crate::case::SavedView>, Option<String>),
    /// A bulk annotation: the new annotations' ids.
    AnnotatedEvents(Vec<i64>),
    /// The investigator's name saved on this machine.
    SavedInvestigator(Option<String>),
    /// The settings file was written.
    SettingsSaved,
    /// Dropped files: case files, and the rest (for import).
    Dropped {
        cases: Vec<PathBuf>,
        others: Vec<PathBuf>,
    },
}

/// A finished job.
pub struct Finished {
    pub task: Task,
    pub result: anyhow::Result<Output>,
    /// When the job was started.
    pub started: Instant,
}

/// The running jobs.
pub struct Runner {
    ctx: egui::Context,
    jobs: Vec<(Task, Job<Output>, Instant)>,
}

impl Runner {
    pub fn new(ctx: egui::Context) -> Runner {
        Runner {
            ctx,
            jobs: Vec::new(),
        }
    }

    /// Starts `work` for `task`, replacing a job of that task still running.
    pub fn start(
        &mut self,
        task: Task,
        title: impl Into<String>,
        work: impl FnOnce(&GuiProgress, &CancelToken) -> anyhow::Result<Output> + Send + 'static,
    ) -> Result<(), String> {
        let job = Job::start(task.thread_name(), title, &self.ctx, work).map_err(|e| {
            crate::tr!(
                super::lang::of(&self.ctx),
                "msg-thread",
                error = e.to_string()
            )
        })?;
        self.jobs.retain(|(t, _, _)| *t != task);
        self.jobs.push((task, job, Instant::now()));
        Ok(())
    }

    pub fn is_running(&self, task: Task) -> bool {
        self.job(task).is_some()
    }

    /// The progress of `task`'s job, if one runs.
    pub fn progress(&self, task: Task) -> Option<ProgressState> {
        self.job(task).map(|j| j.progress.get())
    }

    /// The title of `task`'s job, if one runs.
    pub fn title(&self, task: Task) -> Option<&str> {
        self.job(task).map(|j| j.title.as_str())
    }

    /// Asks `task`'s job to stop.
    pub fn cancel(&self, task: Task) {
        if let Some(j) = self.job(task) {
            j.cancel.cancel();
        }
    }

    /// Takes the jobs that are done.
    pub fn finished(&mut self) -> Vec<Finished> {
        let mut done = Vec::new();
        self.jobs.retain(|(task, job, started)| match job.poll() {
            Some(result) => {
                done.push(Finished {
                    task: *task,
                    result,
                    started: *started,
                });
                false
            }
            None => true,
        });
        done
    }

    fn job(&self, task: Task) -> Option<&Job<Output>> {
        self.jobs
            .iter()
            .find(|(t, _, _)| *t == task)
            .map(|(_, j, _)| j)
    }
}
