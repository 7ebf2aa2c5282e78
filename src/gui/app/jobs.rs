//! The app's background jobs on the one [`Runner`]: opening, creating and building cases,
//! import previews and imports, dropped files; and what the app does with their results.
//! The trail's jobs (export, custody, annotations, settings) are started and taken by
//! `trail`.

use crate::gui::lang::Words;
use std::path::{Path, PathBuf};

use crate::case::Case;
use crate::case::SortKey;
use crate::gui::background;
use crate::gui::command::Command;
use crate::gui::import;
use crate::gui::runner::{Finished, Output, Task};
use crate::gui::state::{CaseInfo, ViewState, recent_path};
use crate::gui::worker::Request;

use super::RetraceApp;
use crate::tr;

impl RetraceApp {
    /// Opens `path` off the UI thread (creating an empty case there first when `create`).
    pub(super) fn start_open(&mut self, path: PathBuf, create: bool) {
        let p = path.clone();
        let review = self.review;
        let started = self.runner.start(
            Task::OpenCase,
            tr!(
                self.lang(),
                "job-opening",
                path = path.display().to_string()
            ),
            move |_, _| {
                if create {
                    let case =
                        Case::create(&p, &title_from(&p)).map_err(|e| anyhow::anyhow!("{e}"))?;
                    drop(case);
                }
                // Opened normally, the app may write: it rolls back an interrupted write once,
                // so its read-only opens read the file, not a private copy. For review it
                // does not (read-only opens never write). If it cannot, the reads still see
                // the last committed state, through a private copy.
                if !review {
                    let _ = Case::roll_back_interrupted_write(&p);
                }
                let info = CaseInfo::load(&p)?;
                Ok(Output::Case(Box::new(info), recent_path(&p)))
            },
        );
        self.report_start(started);
    }

    pub(super) fn start_sample(&mut self) {
        let Some(dir) = self
            .startup
            .sample_dir
            .clone()
            .or_else(background::default_data_dir)
        else {
            self.say(true, Words::id("msg-no-data-dir"));
            return;
        };
        // Always through `ensure_sample_case`: it returns at once when the sample exists and
        // this build wrote it, and rebuilds a sample left by another build.
        let started = self.runner.start(
            Task::BuildSample,
            tr!(self.lang(), "job-building-sample"),
            move |progress, cancel| {
                background::ensure_sample_case(&dir, progress, cancel).map(Output::Sample)
            },
        );
        self.report_start(started);
    }

    pub(super) fn start_preview(&mut self) {
        let Some((path, choices)) = self.import.selected_file().cloned() else {
            return;
        };
        self.import.preview = None;
        let title = tr!(self.lang(), "job-reading-file");
        let started = self.runner.start(Task::Preview, title, move |_, _| {
            import::preview(&path, &choices).map(|p| Output::Preview(Box::new(p)))
        });
        self.report_start(started);
    }

    pub(super) fn start_import(&mut self) {
        let (Some(case_path), false) =
            (self.import.case_path.clone(), self.import.files.is_empty())
        else {
            return;
        };
        // The import writes the case; close the app's read connections first (a large import
        // switches the journal mode, which needs the file to itself). What the investigator
        // was looking at is kept for when the case opens again.
        self.kept_view = self.case.take().map(|c| KeptView {
            path: c.info.path,
            view: c.view,
            sort: c.table.sort,
        });
        self.import.kept = None;
        let files = self.import.files.clone();
        let n = files.len();
        let started = self.runner.start(
            Task::Import,
            tr!(
                self.lang(),
                "job-importing",
                files = tr!(self.lang(), "count-files", count = n)
            ),
            move |progress, cancel| {
                import::import_files(&case_path, &files, progress, cancel).map(Output::Imported)
            },
        );
        match started {
            Ok(()) => self.import.outcomes.clear(),
            Err(e) => self.set_message(true, e),
        }
    }

    /// Files dropped on the window: a case opens; anything else is for import. Whether a
    /// file is a case is read off the UI thread.
    pub(super) fn start_dropped(&mut self, dropped: Vec<PathBuf>) {
        let title = tr!(self.lang(), "job-dropped");
        let started = self.runner.start(Task::Dropped, title, move |_, _| {
            let (cases, others) = dropped.into_iter().partition(|p| looks_like_case(p));
            Ok(Output::Dropped { cases, others })
        });
        self.report_start(started);
    }

    fn report_start(&mut self, started: Result<(), String>) {
        if let Err(e) = started {
            self.set_message(true, e);
        }
    }

    /// Takes the finished jobs. Runs in `App::logic`.
    pub(super) fn drain_jobs(&mut self) {
        for done in self.runner.finished() {
            self.job_finished(done);
        }
    }

    fn job_finished(&mut self, done: Finished) {
        let Finished {
            task,
            result,
            started,
        } = done;
        let l = self.lang();
        match (task, result) {
            (Task::OpenCase, Ok(Output::Case(info, recent))) => {
                self.install_case(*info, recent, started)
            }
            (Task::OpenCase, Err(e)) => self.set_message(true, format!("{e:#}")),
            (Task::BuildSample, Ok(Output::Sample(path))) => self.start_open(path, false),
            (Task::BuildSample, Err(e)) => {
                let error = format!("{e:#}");
                self.say(
                    true,
                    Words::new(move |l| tr!(l, "msg-sample-failed", error = &error)),
                )
            }
            (Task::Preview, Ok(Output::Preview(p))) => self.import.preview = Some(Ok(*p)),
            (Task::Preview, Err(e)) => self.import.preview = Some(Err(format!("{e:#}"))),
            (Task::Import, result) => {
                match result {
                    Ok(Output::Imported(outcomes)) => self.import.outcomes = outcomes,
                    Ok(_) => {}
                    Err(e) => {
                        let error = format!("{e:#}");
                        self.say(
                            true,
                            Words::new(move |l| tr!(l, "msg-import-failed", error = &error)),
                        )
                    }
                }
                if let Some(path) = self.import.case_path.clone() {
                    self.start_open(path, false);
                }
            }
            (Task::Dropped, Ok(Output::Dropped { cases, others })) => {
                if let Some(c) = cases.into_iter().next() {
                    self.commands.push(Command::OpenCase(c));
                }
                if !others.is_empty() {
                    self.commands.push(Command::PrepareImport(others));
                }
            }
            (task, result) => {
                // A new annotation changes the table's marks and what a tag or star filter
                // keeps: ask again.
                if task == Task::Annotate
                    && result.is_ok()
                    && let Some(c) = &mut self.case
                {
                    c.table.pages.clear();
                    c.sent_pages.clear();
                    let by_marks = c.view.filter.iter().any(|t| {
                        matches!(
                            t,
                            crate::case::FilterTerm::Tag(_) | crate::case::FilterTerm::Starred
                        )
                    });
                    if by_marks {
                        c.table.query = None;
                        c.sent_timeline = None;
                        c.sent_density = None;
                    }
                }
                self.trail.finished(task, result, l);
            }
        }
    }
}

/// The view of a case closed for an import: its filters, selection and range come back when
/// the case opens again (`restore_kept_view`).
pub(super) struct KeptView {
    path: PathBuf,
    view: ViewState,
    sort: Option<(SortKey, bool)>,
}

impl RetraceApp {
    /// After an import reopened the case: the filters, the selected event or range, the
    /// visible range and the table's order as they were, and the import result says so.
    pub(super) fn restore_kept_view(&mut self) {
        let l = self.lang();
        let (Some(kept), Some(c)) = (self.kept_view.take(), &mut self.case) else {
            return;
        };
        if kept.path != c.info.path {
            return;
        }
        let v = kept.view;
        let mut kept_what = Vec::new();
        if !v.filter.is_empty() {
            kept_what.push(tr!(l, "msg-kept-filters", count = v.filter.len()));
        }
        if let Some((id, _)) = v.selected {
            kept_what.push(tr!(l, "msg-kept-selected-event", id = id.to_string()));
            c.table_worker.send(Request::Detail(id));
        }
        if v.selection.is_some() {
            kept_what.push(tr!(l, "msg-kept-selected-range"));
        }
        kept_what.push(tr!(l, "msg-kept-visible-range"));
        c.view.filter = v.filter;
        c.view.selected = v.selected;
        c.view.selection = v.selection;
        c.table.sort = kept.sort;
        super::set_view(c, v.from_us, v.to_us);
        self.import.kept = Some(tr!(
            l,
            "msg-kept",
            what = kept_what.join(&tr!(l, "list-separator"))
        ));
    }
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
