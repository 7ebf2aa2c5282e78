//! The record an investigator leaves, as the app keeps it: the export (its last result and
//! where it goes), the report's narrative text, the custody log and annotations, and the
//! investigator's name. The export and custody panels read [`Trail`] and send
//! [`TrailCommand`]s; [`Trail::apply`] turns them into jobs on the app's [`Runner`], and
//! [`Trail::finished`] takes the jobs' answers. Every read and write of the case or the
//! settings file happens in those jobs.

use crate::gui::lang::Words;
use std::path::{Path, PathBuf};

use crate::case::{Annotation, AnnotationKind, AnnotationTarget, Case, ChainCheck, CustodyEntry};
use crate::ops::export::{
    self, ExportFormat, ExportOutcome, ExportRequest, ExportScope, Lang, RedactionMode,
    ReportLayout,
};

use super::runner::{Output, Runner, Task};
use super::settings::Investigator;
use crate::tr;

/// What the export and custody panels (or a test) ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum TrailCommand {
    ShowExport(bool),
    ShowCustody(bool),
    /// The export's output directory (what the save dialog would give).
    SetExportDir(PathBuf),
    /// The typed output directory was cleared.
    ClearExportDir,
    /// The investigator for this session, without saving it (tests).
    SetInvestigator(String),
    /// The name typed in the prompt; saved on this machine when `remember`.
    UseInvestigator {
        name: String,
        remember: bool,
    },
    /// Ask for another name.
    ChangeInvestigator,
    /// Ask the save dialog for the output location.
    PickExportDir,
    /// Export with the panel's choices.
    StartExport(Box<ExportOrder>),
    /// The panel's choices do not make an export (shown as its result).
    RefuseExport(String),
    CancelExport,
    /// Load a narrative section's text (index into `ops::report::narrative_sections`).
    LoadReportText {
        section: usize,
        lang: Lang,
    },
    SaveReportText {
        section: usize,
        lang: Lang,
        text: String,
    },
    /// Read the custody log and the annotations again.
    ReloadCustody,
    /// Check the custody log's chain, signatures and records, as `retrace verify` does.
    VerifyCustody,
    Annotate {
        target: AnnotationTarget,
        kind: AnnotationKind,
        text: String,
    },
    /// Save (or replace) a saved view.
    SaveView(Box<crate::case::SavedView>),
    /// Delete a saved view by name.
    DeleteView(String),
    /// Show a saved view (the app applies it to the view and settings).
    ApplyView(Box<crate::case::SavedView>),
    /// The same annotation on each of these events (the table's marked rows).
    AnnotateEvents {
        ids: Vec<i64>,
        kind: AnnotationKind,
        text: String,
    },
}

/// The export panel's choices; the app adds the zone and the investigator.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOrder {
    pub scope: ExportScope,
    /// A finding's key: the scope is its evidence, resolved on the export thread.
    pub finding: Option<String>,
    pub format: ExportFormat,
    pub bom: bool,
    pub redaction: RedactionMode,
    pub lang: Lang,
    /// CSV: the language of the column headers.
    pub headers: Lang,
    pub layout: ReportLayout,
    pub out_dir: PathBuf,
}

#[derive(Default)]
pub struct ExportState {
    pub open: bool,
    pub out_dir: Option<PathBuf>,
    pub last: Option<Result<ExportOutcome, String>>,
    /// After a successful export: the new folder proposed for the next one (the folder just
    /// written is not empty, so exporting there again would fail).
    pub proposed: Option<PathBuf>,
}

/// The narrative text editor's source: which section was loaded, and its text.
#[derive(Default)]
pub struct ReportTextState {
    /// Section index, language and case of the text loaded last.
    pub loaded: Option<(usize, Lang, PathBuf)>,
    /// The loaded text; `seq` grows with each load so the editor knows to take it.
    pub text: String,
    pub seq: u64,
    pub note: Option<String>,
}

#[derive(Default)]
pub struct CustodyState {
    pub open: bool,
    /// Reload the log and the annotations.
    pub stale: bool,
    loaded_for: Option<PathBuf>,
    entries: Option<Result<Vec<CustodyEntry>, String>>,
    annotations: Vec<Annotation>,
    /// The investigator's signing key, as the custody window shows it.
    pub key_line: String,
    /// The last write's result: (error, text).
    pub message: Option<(bool, String)>,
    /// Grows with each annotation saved (the panel clears its fields).
    pub written: u64,
    /// The last "Verify chain" answer, or why it could not run.
    pub check: Option<Result<ChainCheck, String>>,
}

impl CustodyState {
    /// The log as last loaded, or its error.
    pub fn log(&self) -> Option<&Result<Vec<CustodyEntry>, String>> {
        self.entries.as_ref()
    }

    /// The log as last loaded (tests).
    pub fn entries(&self) -> Option<&[CustodyEntry]> {
        self.entries.as_ref().and_then(|r| r.as_deref().ok())
    }

    /// The case's annotations as last loaded.
    pub fn annotations(&self) -> &[Annotation] {
        &self.annotations
    }
}

#[derive(Default)]
pub struct Trail {
    pub export: ExportState,
    pub report_text: ReportTextState,
    pub custody: CustodyState,
    pub investigator: Investigator,
    /// The case's saved views.
    pub views: super::views::ViewsState,
}

/// The trail with what runs for it (tests read this through `RetraceApp::trail`).
pub struct TrailView<'a> {
    pub export: &'a ExportState,
    pub custody: &'a CustodyState,
    pub investigator: &'a Investigator,
    running: bool,
}

impl TrailView<'_> {
    /// Whether an export is running (for tests that wait).
    pub fn export_running(&self) -> bool {
        self.running
    }

    /// The last export's result.
    pub fn last_export(&self) -> Option<&Result<ExportOutcome, String>> {
        self.export.last.as_ref()
    }
}

/// What a trail command needs of the app.
pub struct TrailEnv<'a> {
    /// The language the app writes its messages and job titles in.
    pub lang: Lang,
    pub runner: &'a mut Runner,
    /// The open case's file.
    pub case: Option<&'a Path>,
    pub zone_name: &'a str,
    /// Where the export folder dialog starts: the folder of the last export.
    pub export_start: Option<PathBuf>,
    /// The case is open for review: every write to it is refused.
    pub review: bool,
}

/// What the app says when a write arrives for a case opened for review (in English; the app
/// says `msg-review-refusal` in its language).
pub const REVIEW_REFUSAL: &str = "The case is opened for review: nothing is written to it (no export, annotation or report text, each of which the custody log records). Open it normally to write.";

impl TrailCommand {
    /// Whether the command writes to the case (and its custody log).
    pub fn writes_case(&self) -> bool {
        matches!(
            self,
            TrailCommand::StartExport(_)
                | TrailCommand::SaveReportText { .. }
                | TrailCommand::Annotate { .. }
                | TrailCommand::AnnotateEvents { .. }
                | TrailCommand::SaveView(_)
                | TrailCommand::DeleteView(_)
        )
    }
}

impl Trail {
    pub fn view<'a>(&'a self, runner: &Runner) -> TrailView<'a> {
        TrailView {
            export: &self.export,
            custody: &self.custody,
            investigator: &self.investigator,
            running: runner.is_running(Task::Export),
        }
    }

    /// Applies a command; file dialogs run here (UI thread), everything else in jobs. A write
    /// to a case opened for review is refused here whatever sent it (the panels also offer
    /// none): the refusal is shown where the write was asked for and returned for the banner.
    pub fn apply(&mut self, cmd: TrailCommand, env: TrailEnv<'_>) -> Option<Words> {
        if env.review && cmd.writes_case() {
            let refused = tr!(env.lang, "msg-review-refusal");
            match cmd {
                TrailCommand::StartExport(_) => self.export.last = Some(Err(refused.clone())),
                TrailCommand::SaveReportText { .. } => {
                    self.report_text.note = Some(refused.clone())
                }
                _ => self.custody.message = Some((true, refused.clone())),
            }
            return Some(Words::id("msg-review-refusal"));
        }
        match cmd {
            TrailCommand::ShowExport(b) => self.export.open = b,
            TrailCommand::ShowCustody(b) => {
                self.custody.open = b;
                self.custody.stale = true;
            }
            TrailCommand::SetExportDir(p) => {
                self.export.out_dir = Some(p);
                self.export.proposed = None;
            }
            TrailCommand::ClearExportDir => {
                self.export.out_dir = None;
                self.export.proposed = None;
            }
            TrailCommand::SetInvestigator(n) => self.investigator.set_session_name(&n),
            TrailCommand::UseInvestigator { name, remember } => {
                if remember {
                    self.save_investigator(&name, env.lang, env.runner);
                }
                self.investigator.set_session_name(&name);
            }
            TrailCommand::ChangeInvestigator => self.investigator.forget(),
            TrailCommand::PickExportDir => {
                if let Some(p) = super::app::file_dialog(env.export_start)
                    .set_title(tr!(env.lang, "dialog-export-title"))
                    .set_file_name("retrace-export")
                    .save_file()
                {
                    self.export.out_dir = Some(p);
                    self.export.proposed = None;
                }
            }
            TrailCommand::StartExport(order) => self.start_export(*order, env),
            TrailCommand::RefuseExport(e) => self.export.last = Some(Err(e)),
            TrailCommand::CancelExport => env.runner.cancel(Task::Export),
            TrailCommand::LoadReportText { section, lang } => {
                if let Some(case) = env.case {
                    let title = tr!(env.lang, "job-report-text");
                    self.load_report_text(section, lang, case, title, env.runner);
                }
            }
            TrailCommand::SaveReportText {
                section,
                lang,
                text,
            } => self.save_report_text(section, lang, text, env),
            TrailCommand::ReloadCustody => self.custody.stale = true,
            TrailCommand::VerifyCustody => {
                if let Some(case) = env.case {
                    self.verify_custody(case, env.lang, env.runner);
                }
            }
            TrailCommand::Annotate { target, kind, text } => self.annotate(target, kind, text, env),
            TrailCommand::SaveView(v) => self.write_view(Some(*v), None, env),
            TrailCommand::DeleteView(name) => self.write_view(None, Some(name), env),
            // Applied by the app before it gets here.
            TrailCommand::ApplyView(_) => {}
            TrailCommand::AnnotateEvents { ids, kind, text } => {
                self.annotate_events(ids, kind, text, env)
            }
        }
        None
    }

    /// Saves or deletes a view as the investigator (whose name the panel asked for).
    fn write_view(
        &mut self,
        save: Option<crate::case::SavedView>,
        delete: Option<String>,
        env: TrailEnv<'_>,
    ) {
        let (Some(case), Some(author)) = (env.case, self.investigator.name()) else {
            return;
        };
        self.views
            .write(case, author, save, delete, env.lang, env.runner);
    }

    /// Loads the custody log when it is stale or another case is open. Runs every frame.
    pub fn sync(&mut self, case: &Path, lang: Lang, runner: &mut Runner) {
        self.views.sync(case, lang, runner);
        let c = &mut self.custody;
        if (c.stale || c.loaded_for.as_deref() != Some(case)) && !runner.is_running(Task::Custody) {
            c.stale = false;
            c.loaded_for = Some(case.to_path_buf());
            let p = case.to_path_buf();
            let _ = runner.start(Task::Custody, tr!(lang, "job-custody"), move |_, _| {
                let c = Case::open_read_only(&p)?;
                Ok(Output::Custody {
                    entries: c.custody().custody_entries()?,
                    annotations: c.annotations().list()?,
                    key_line: signing_key_line(lang),
                })
            });
        }
    }

    /// Takes a trail job's answer (its message in `lang`); false when `task` is not one of
    /// the trail's.
    pub fn finished(&mut self, task: Task, result: anyhow::Result<Output>, lang: Lang) -> bool {
        match (task, result) {
            (Task::Export, r) => {
                self.export.last = Some(match r {
                    Ok(Output::Exported(o, next)) => {
                        self.export.out_dir.clone_from(&next);
                        self.export.proposed = next;
                        Ok(*o)
                    }
                    Ok(_) => return true,
                    Err(e) => Err(format!("{e:#}")),
                })
            }
            (Task::ReportText, r) => self.report_text_done(r, lang),
            (Task::Custody, r) => self.custody_done(r),
            (Task::CustodyCheck, r) => {
                self.custody.check = Some(match r {
                    Ok(Output::CustodyChecked(c)) => Ok(*c),
                    Ok(_) => return true,
                    Err(e) => Err(format!("{e:#}")),
                })
            }
            (Task::Annotate, r) => self.annotated(r, lang),
            (Task::SavedViews, r) => {
                // A change (it has a note) wrote a custody entry.
                let changed = matches!(&r, Ok(Output::SavedViews(_, Some(_))));
                self.views.finished(r);
                self.custody.stale |= changed;
            }
            (Task::LoadSettings, Ok(Output::SavedInvestigator(name))) => {
                self.investigator.loaded_saved(name)
            }
            (Task::SaveSettings, Err(e)) => {
                self.investigator.error =
                    Some(tr!(lang, "msg-name-not-saved", error = format!("{e:#}")))
            }
            (Task::LoadSettings | Task::SaveSettings, _) => {}
            _ => return false,
        }
        true
    }

    fn report_text_done(&mut self, r: anyhow::Result<Output>, lang: Lang) {
        let t = &mut self.report_text;
        match r {
            Ok(Output::ReportText(Some(text))) => {
                t.text = text;
                t.seq += 1;
            }
            Ok(Output::ReportText(None)) => t.note = Some(tr!(lang, "msg-report-text-saved")),
            Ok(_) => {}
            Err(e) => t.note = Some(format!("{e:#}")),
        }
    }

    /// Checks the custody log in a job (reading the log and the tables it records).
    fn verify_custody(&mut self, case: &Path, lang: Lang, runner: &mut Runner) {
        self.custody.check = None;
        let p = case.to_path_buf();
        let started = runner.start(
            Task::CustodyCheck,
            tr!(lang, "job-verifying"),
            move |_, _| {
                let c = Case::open_read_only(&p)?;
                Ok(Output::CustodyChecked(Box::new(
                    c.custody().verify_chain()?,
                )))
            },
        );
        if let Err(e) = started {
            self.custody.check = Some(Err(e));
        }
    }

    fn custody_done(&mut self, r: anyhow::Result<Output>) {
        let c = &mut self.custody;
        match r {
            Ok(Output::Custody {
                entries,
                annotations,
                key_line,
            }) => {
                c.entries = Some(Ok(entries));
                c.annotations = annotations;
                c.key_line = key_line;
            }
            Ok(_) => {}
            Err(e) => c.entries = Some(Err(format!("{e:#}"))),
        }
    }

    fn annotated(&mut self, r: anyhow::Result<Output>, lang: Lang) {
        let c = &mut self.custody;
        match r {
            Ok(Output::Annotated(id)) => {
                c.message = Some((
                    false,
                    tr!(lang, "msg-annotation-saved", id = id.to_string()),
                ));
                c.written += 1;
            }
            Ok(Output::AnnotatedEvents(ids)) => {
                c.message = Some((
                    false,
                    match ids.len() {
                        0 => tr!(lang, "msg-annotations-none"),
                        n => tr!(lang, "msg-annotations-saved", count = n),
                    },
                ));
                c.written += 1;
            }
            Ok(_) => {}
            Err(e) => c.message = Some((true, format!("{e:#}"))),
        }
        c.stale = true;
    }

    fn start_export(&mut self, order: ExportOrder, env: TrailEnv<'_>) {
        let (Some(case), Some(investigator)) = (env.case, self.investigator.name()) else {
            return;
        };
        let req = ExportRequest {
            scope: order.scope,
            format: order.format,
            bom: order.bom,
            redaction: order.redaction,
            zone: env.zone_name.to_string(),
            lang: order.lang,
            headers: order.headers,
            layout: order.layout,
            out_dir: order.out_dir,
            investigator: investigator.to_string(),
        };
        let (path, finding) = (case.to_path_buf(), order.finding);
        let title = tr!(env.lang, "job-exporting", format = req.format.as_str());
        let started = env
            .runner
            .start(Task::Export, title, move |progress, cancel| {
                let mut c = Case::open(&path)?;
                let mut req = req;
                if let Some(key) = finding {
                    req.scope = export::finding_scope(&c, &key)?;
                }
                let o = export::run_export(&mut c, &req, progress, cancel)?;
                let next = fresh_folder(&o.dir);
                Ok(Output::Exported(Box::new(o), next))
            });
        self.export.last = started.err().map(Err);
    }

    fn load_report_text(
        &mut self,
        section: usize,
        lang: Lang,
        case: &Path,
        title: String,
        runner: &mut Runner,
    ) {
        let t = &mut self.report_text;
        t.loaded = Some((section, lang, case.to_path_buf()));
        t.text.clear();
        t.seq += 1;
        t.note = None;
        let Some((name, _)) = crate::ops::report::narrative_sections().nth(section) else {
            return;
        };
        let path = case.to_path_buf();
        let _ = runner.start(Task::ReportText, title, move |_, _| {
            let c = Case::open_read_only(&path)?;
            let text = c
                .export()
                .report_text(name, lang.as_str())?
                .unwrap_or_default();
            Ok(Output::ReportText(Some(text)))
        });
    }

    fn save_report_text(&mut self, section: usize, lang: Lang, text: String, env: TrailEnv<'_>) {
        let (Some(case), Some(author)) = (env.case, self.investigator.name()) else {
            return;
        };
        let Some((name, _)) = crate::ops::report::narrative_sections().nth(section) else {
            return;
        };
        let (path, author) = (case.to_path_buf(), author.to_string());
        let title = tr!(env.lang, "job-saving-report-text");
        let _ = env.runner.start(Task::ReportText, title, move |_, _| {
            let mut c = Case::open(&path)?;
            c.writes()
                .set_report_text(name, lang.as_str(), &text, &author)?;
            Ok(Output::ReportText(None))
        });
    }

    fn annotate(
        &mut self,
        target: AnnotationTarget,
        kind: AnnotationKind,
        text: String,
        env: TrailEnv<'_>,
    ) {
        let (Some(case), Some(author)) = (env.case, self.investigator.name()) else {
            return;
        };
        let (path, author) = (case.to_path_buf(), author.to_string());
        let title = tr!(env.lang, "job-annotation");
        let started = env.runner.start(Task::Annotate, title, move |_, _| {
            let mut c = Case::open(&path)?;
            Ok(Output::Annotated(
                c.writes().add_annotation(target, kind, &text, &author)?,
            ))
        });
        if let Err(e) = started {
            self.custody.message = Some((true, e));
        }
    }

    fn annotate_events(
        &mut self,
        ids: Vec<i64>,
        kind: AnnotationKind,
        text: String,
        env: TrailEnv<'_>,
    ) {
        let (Some(case), Some(author)) = (env.case, self.investigator.name()) else {
            self.custody.message = Some((true, tr!(env.lang, "msg-name-first-annotate")));
            return;
        };
        let (path, author) = (case.to_path_buf(), author.to_string());
        let title = tr!(env.lang, "job-annotations");
        let started = env.runner.start(Task::Annotate, title, move |_, _| {
            let mut c = Case::open(&path)?;
            Ok(Output::AnnotatedEvents(
                c.writes()
                    .add_event_annotations(&ids, kind, &text, &author)?,
            ))
        });
        if let Err(e) = started {
            self.custody.message = Some((true, e));
        }
    }

    fn save_investigator(&mut self, name: &str, lang: Lang, runner: &mut Runner) {
        let name = name.to_string();
        let _ = runner.start(
            Task::SaveSettings,
            tr!(lang, "job-settings"),
            move |_, _| {
                let mut s = export::settings::load();
                s.investigator = Some(name);
                export::settings::save(&s)?;
                Ok(Output::SettingsSaved)
            },
        );
    }
}

/// A folder beside `dir` that does not exist yet, for the next export: `report` → `report-2`,
/// `report-2` → `report-3` (runs in the export job: it looks at the file system).
fn fresh_folder(dir: &Path) -> Option<PathBuf> {
    let name = dir.file_name()?.to_str()?;
    let (stem, n) = match name.rsplit_once('-') {
        Some((stem, n)) if !stem.is_empty() => match n.parse::<u32>() {
            Ok(n) => (stem, n),
            Err(_) => (name, 1),
        },
        _ => (name, 1),
    };
    (n + 1..n + 1000)
        .map(|i| dir.with_file_name(format!("{stem}-{i}")))
        .find(|p| !p.exists())
}

/// Reads the investigator's name saved on this machine (a job started with the app).
pub fn load_investigator(lang: Lang, runner: &mut Runner) {
    let _ = runner.start(Task::LoadSettings, tr!(lang, "job-settings"), |_, _| {
        Ok(Output::SavedInvestigator(
            export::settings::saved_investigator(),
        ))
    });
}

/// The key this app signs custody entries with, for the investigator to hand on (`retrace
/// verify --trust FINGERPRINT`).
fn signing_key_line(lang: Lang) -> String {
    match crate::signing::process_key() {
        Ok(Some(k)) => tr!(lang, "msg-signing-key", fingerprint = k.fingerprint()),
        Ok(None) => tr!(lang, "msg-no-signing-key"),
        Err(e) => format!("{e}"),
    }
}
