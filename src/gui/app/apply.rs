//! The one place where commands change state, split by domain: the case file, the import
//! window, the view (range, selection, filters, sort), the display settings, and the
//! lookups, findings and trail, which have state modules of their own.

use crate::case::FilterTerm;
use crate::gui::command::Command;
use crate::gui::findings::{self, FindingsCommand};
use crate::gui::import::{ImportState, ReadChoices};
use crate::gui::lang::Words;
use crate::gui::lookup::{self, LookupCommand};
use crate::gui::runner::Task;
use crate::gui::state::{ColorBy, DisplayZone, PathPurpose};
use crate::gui::trail::{TrailCommand, TrailEnv};
use crate::gui::worker::Request;
use crate::tr;

use super::{OpenCase, RetraceApp, file_dialog, pick_case_file, set_view};

impl RetraceApp {
    pub(super) fn apply(&mut self, command: Command) {
        match command {
            Command::OpenCase(_)
            | Command::OpenCaseForReview(_)
            | Command::PickCaseForReview
            | Command::NewCase(_)
            | Command::OpenSample
            | Command::PickCaseFile { .. }
            | Command::ShowOpenWindow(_)
            | Command::DismissMessage => self.apply_case(command),
            Command::ShowImportWindow
            | Command::PickImportFiles
            | Command::PrepareImport(_)
            | Command::SelectImportFile(_)
            | Command::SetImportZone(_)
            | Command::SetImportKind(_)
            | Command::SetImportColumn { .. }
            | Command::StartImport
            | Command::ForceImport(_)
            | Command::CloseImport
            | Command::CancelJob => self.apply_import(command),
            Command::SetDisplayZone(z) => {
                if let DisplayZone::Named(n) = &z {
                    self.settings.remember_zone(n);
                }
                self.settings.display_zone = z;
            }
            Command::SetTheme(t) => self.settings.theme = t,
            Command::SetColorBy(by) => self.settings.color_by = by,
            Command::SetLang(lang) => {
                self.settings.lang = Some(lang);
                self.startup.lang = None;
                if let Some(m) = &mut self.message {
                    m.relang(lang);
                }
            }
            Command::Trail(TrailCommand::ApplyView(v)) => self.apply_saved_view(*v),
            Command::Trail(TrailCommand::SaveView(_) | TrailCommand::DeleteView(_))
                if self.review =>
            {
                self.say(true, Words::id("msg-review-no-views"));
            }
            Command::ShowPane { pane, open } => self.settings.panes.set(pane, open),
            Command::Trail(cmd) => self.apply_trail(cmd),
            Command::Lookup(cmd) => self.apply_lookup(cmd),
            Command::Findings(cmd) => self.apply_findings(cmd),
            Command::Rejects(cmd) => {
                if let Some(c) = &mut self.case {
                    crate::gui::rejects::apply(&mut c.rejects, cmd);
                }
            }
            Command::Table(cmd) => self.apply_table(cmd),
            view => {
                if let Some(c) = &mut self.case {
                    apply_view(c, view);
                }
            }
        }
    }

    /// Opening, creating and reviewing case files; the banner.
    fn apply_case(&mut self, command: Command) {
        match command {
            Command::OpenCase(path) => {
                self.settings.remember_path(PathPurpose::Case, &path);
                self.review = false;
                self.start_open(path, false);
            }
            Command::OpenCaseForReview(path) => {
                self.review = true;
                self.start_open(path, false);
            }
            Command::PickCaseForReview => {
                if let Some(path) = pick_case_file(
                    self.lang(),
                    false,
                    self.settings.last_dir(PathPurpose::Case),
                ) {
                    self.commands.push(Command::OpenCaseForReview(path));
                }
            }
            Command::NewCase(path) => {
                self.settings.remember_path(PathPurpose::Case, &path);
                self.start_open(path, true);
            }
            Command::OpenSample => self.start_sample(),
            Command::PickCaseFile { create } => {
                if let Some(path) = pick_case_file(
                    self.lang(),
                    create,
                    self.settings.last_dir(PathPurpose::Case),
                ) {
                    self.commands.push(if create {
                        Command::NewCase(path)
                    } else {
                        Command::OpenCase(path)
                    });
                    self.panels.open_window.open = false;
                }
            }
            Command::ShowOpenWindow(show) => self.panels.open_window.open = show,
            Command::DismissMessage => self.message = None,
            _ => {}
        }
    }

    /// The import window: files, the selected file's read choices, the import itself.
    fn apply_import(&mut self, command: Command) {
        match command {
            Command::ShowImportWindow if !self.import.open => self.prepare_import(Vec::new()),
            Command::PickImportFiles => {
                let l = self.lang();
                if let Some(picked) = file_dialog(self.settings.last_dir(PathPurpose::Import))
                    .add_filter(
                        tr!(l, "dialog-import-files"),
                        &["csv", "tsv", "jsonl", "ndjson", "txt", "log"],
                    )
                    .add_filter(tr!(l, "dialog-all-files"), &["*"])
                    .pick_files()
                {
                    let mut files: Vec<_> = self.import.files.iter().map(|f| f.0.clone()).collect();
                    files.extend(picked);
                    self.commands.push(Command::PrepareImport(files));
                }
            }
            Command::PrepareImport(files) => self.prepare_import(files),
            Command::SelectImportFile(i) if i < self.import.files.len() => {
                self.import.selected = i;
                self.start_preview();
            }
            Command::SetImportZone(_)
            | Command::SetImportKind(_)
            | Command::SetImportColumn { .. } => {
                if let Command::SetImportZone(Some(z)) = &command {
                    self.settings.remember_zone(z);
                }
                if let Some(f) = self.import.files.get_mut(self.import.selected) {
                    set_read_choice(&mut f.1, command);
                    self.start_preview();
                }
            }
            Command::StartImport => self.start_import(),
            Command::ForceImport(path) => {
                // Only that file: the others of the last import are in the case now.
                let choices = self
                    .import
                    .files
                    .iter()
                    .find(|f| f.0 == path)
                    .map_or_else(ReadChoices::default, |f| f.1.clone());
                self.import.files = vec![(
                    path,
                    ReadChoices {
                        force: true,
                        ..choices
                    },
                )];
                self.import.selected = 0;
                self.start_import();
            }
            Command::CloseImport if !self.runner.is_running(Task::Import) => {
                self.import = ImportState::default();
            }
            Command::CancelJob => {
                self.runner.cancel(Task::BuildSample);
                self.runner.cancel(Task::Import);
            }
            _ => {}
        }
    }

    fn prepare_import(&mut self, files: Vec<std::path::PathBuf>) {
        if let Some(last) = files.last() {
            self.settings.remember_path(PathPurpose::Import, last);
        }
        if self.review {
            self.say(true, Words::id("msg-review-no-import"));
            return;
        }
        let Some(case) = &self.case else {
            self.say(true, Words::id("msg-open-case-first"));
            return;
        };
        self.import = ImportState {
            open: true,
            case_path: Some(case.info.path.clone()),
            files: files
                .into_iter()
                .map(|f| (f, ReadChoices::default()))
                .collect(),
            ..ImportState::default()
        };
        self.start_preview();
    }

    /// Shows a saved view: its filter and range, its zone, colouring and table columns.
    fn apply_saved_view(&mut self, v: crate::case::SavedView) {
        self.settings.table_columns = v.columns.clone().unwrap_or_default();
        self.settings.display_zone = DisplayZone::Named(v.zone.clone());
        self.settings.color_by = match v.color_by.as_str() {
            "system" => ColorBy::System,
            "outcome" => ColorBy::Outcome,
            _ => ColorBy::Category,
        };
        let Some(c) = &mut self.case else { return };
        c.view.filter = v.filter;
        c.view.selection = None;
        c.view.selected = None;
        c.detail = None;
        match v.range {
            Some((a, b)) => set_view(c, a as f64, b as f64),
            None => apply_view(c, Command::ZoomToCase),
        }
    }

    pub(super) fn apply_trail(&mut self, cmd: TrailCommand) {
        let (_, zone_name) = self.zone();
        let lang = self.lang();
        let env = TrailEnv {
            lang,
            runner: &mut self.runner,
            case: self.case.as_ref().map(|c| c.info.path.as_path()),
            zone_name: &zone_name,
            export_start: self.settings.last_dir(PathPurpose::Export),
            review: self.review,
        };
        if let Some(refused) = self.trail.apply(cmd, env) {
            self.say(true, refused);
        }
        if let Some(dir) = &self.trail.export.out_dir {
            self.settings.remember_path(PathPurpose::Export, dir);
        }
    }

    /// Person pages and subject lookups; the identifier-list and CSV dialogs run here (UI
    /// thread) and start in the folder last used for each.
    fn apply_lookup(&mut self, cmd: LookupCommand) {
        let l = self.lang();
        let picked = match &cmd {
            LookupCommand::PickSubjectFile => {
                file_dialog(self.settings.last_dir(PathPurpose::SubjectList))
                    .add_filter(tr!(l, "dialog-identifier-lists"), &["txt", "csv", "tsv"])
                    .add_filter(tr!(l, "dialog-all-files"), &["*"])
                    .pick_file()
                    .map(LookupCommand::LoadSubjectFile)
            }
            LookupCommand::SaveSubjectCsv => {
                file_dialog(self.settings.last_dir(PathPurpose::SubjectCsv))
                    .add_filter("CSV", &["csv"])
                    .set_file_name("subject-lookup.csv")
                    .save_file()
                    .map(LookupCommand::SaveSubjectCsvTo)
            }
            LookupCommand::LoadSubjectFile(p) => {
                self.settings.remember_path(PathPurpose::SubjectList, p);
                None
            }
            LookupCommand::SaveSubjectCsvTo(p) => {
                self.settings.remember_path(PathPurpose::SubjectCsv, p);
                None
            }
            _ => None,
        };
        if let Some(next) = picked {
            self.commands.push(Command::Lookup(next));
            return;
        }
        let (zone, _) = self.zone();
        if let Some(c) = &mut self.case {
            // A person page lists the person's findings: run the rules once if not yet run.
            let page = matches!(
                cmd,
                LookupCommand::OpenPerson(_) | LookupCommand::ComparePerson(_)
            );
            if page && c.findings.set.is_none() && !c.findings.is_busy() {
                findings::apply(&mut c.findings, FindingsCommand::Rerun, None, l);
            }
            lookup::apply(&mut c.lookup, cmd, zone);
        }
    }

    fn apply_findings(&mut self, cmd: FindingsCommand) {
        let writes = matches!(
            cmd,
            FindingsCommand::Dispose { .. } | FindingsCommand::SetParam { .. }
        );
        if writes && self.review {
            self.say(true, Words::id("msg-review-no-decisions"));
            return;
        }
        let lang = self.lang();
        if let Some(c) = &mut self.case {
            findings::apply(&mut c.findings, cmd, self.trail.investigator.name(), lang);
        }
    }
}

/// A read choice of the selected import file.
fn set_read_choice(choices: &mut ReadChoices, command: Command) {
    match command {
        Command::SetImportZone(zone) => choices.zone = zone,
        Command::SetImportKind(kind) => {
            // Another kind has other fields: the column choices start over.
            choices.kind = kind;
            choices.columns.clear();
        }
        Command::SetImportColumn { field, column } => {
            choices.columns.insert(field, column);
        }
        _ => {}
    }
}

/// The visible range, the selection, the filter and the table's order.
fn apply_view(c: &mut OpenCase, command: Command) {
    match command {
        Command::SetView { from_us, to_us } => set_view(c, from_us, to_us),
        Command::StopCounting => c.stop_counting(),
        Command::CountAgain => c.count_again(),
        Command::ZoomToCase => {
            let (a, b) = c.info.span_us();
            let pad = (b - a) as f64 * 0.02;
            set_view(c, a as f64 - pad, b as f64 + pad);
        }
        Command::SetSelection(sel) => c.view.selection = sel.filter(|(a, b)| b > a),
        Command::SelectEvent {
            id,
            ts_us,
            scroll_table,
        } => select_event(c, id, ts_us, scroll_table),
        Command::ClearSelection => {
            c.view.selected = None;
            c.detail = None;
        }
        Command::StepEvent { forward } => {
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
        Command::AddFilter(term) => add_filter(c, term),
        Command::RemoveFilter(term) => c.view.filter.retain(|t| t != &term),
        Command::ClearFilters => c.view.filter.clear(),
        Command::SortTable(key) => {
            c.table.sort = Some(match c.table.sort {
                Some((k, desc)) if k == key => (k, !desc),
                _ => (key, false),
            });
        }
        _ => {}
    }
}

fn add_filter(c: &mut OpenCase, term: FilterTerm) {
    if !c.view.filter.contains(&term) {
        c.view.filter.push(term);
    }
}

/// Selects an event: its detail, its table row when asked, and the view around it.
pub(super) fn select_event(c: &mut OpenCase, id: i64, ts_us: i64, scroll_table: bool) {
    c.view.selected = Some((id, ts_us));
    c.table_worker.send(Request::Detail(id));
    if scroll_table && let Some(q) = &c.table.query {
        c.count_worker.send(Request::RowOf {
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
