//! The export panel: scope (current view, a person, a subject list, a finding's evidence, the
//! whole case), format (CSV with optional BOM, JSON Lines, HTML report in English or Japanese,
//! PPC or GDPR layout), redaction, and the location (rfd save dialog). The export runs on a
//! named thread with progress and cancel; the result names the files, rows, manifest and the
//! custody entry. The report's narrative items are edited here too.
//!
//! [`Trail`] groups what this issue adds to the app: this panel, the custody window, the
//! annotation controls in the detail pane and the investigator's name.

use std::path::PathBuf;

use egui::RichText;

use crate::case::Case;
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::background::Job;
use crate::gui::command::Command;
use crate::gui::settings::Investigator;
use crate::ops::export::{
    self, ExportFormat, ExportOutcome, ExportRequest, ExportScope, Lang, RedactionMode,
    ReportLayout,
};

use super::custody::CustodyPanel;

/// What the app or a test asks of the export and custody windows.
#[derive(Debug, Clone, PartialEq)]
pub enum TrailCommand {
    ShowExport(bool),
    ShowCustody(bool),
    /// The export's output directory (what the save dialog would give).
    SetExportDir(PathBuf),
    /// The investigator for this session, without saving it (tests).
    SetInvestigator(String),
    /// Ask the save dialog for the output location.
    PickExportDir,
}

/// The scope choices of the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeChoice {
    CurrentView,
    Person,
    Subjects,
    Finding,
    WholeCase,
}

impl ScopeChoice {
    const ALL: [ScopeChoice; 5] = [
        ScopeChoice::CurrentView,
        ScopeChoice::Person,
        ScopeChoice::Subjects,
        ScopeChoice::Finding,
        ScopeChoice::WholeCase,
    ];
    fn label(self) -> &'static str {
        match self {
            ScopeChoice::CurrentView => "Current view (time range and filters)",
            ScopeChoice::Person => "A person",
            ScopeChoice::Subjects => "A list of data subjects",
            ScopeChoice::Finding => "A finding's evidence",
            ScopeChoice::WholeCase => "The whole case",
        }
    }
}

#[derive(Default)]
pub struct Trail {
    pub export: ExportPanel,
    pub custody: CustodyPanel,
    pub investigator: Investigator,
}

impl Trail {
    pub fn apply(&mut self, cmd: TrailCommand) {
        match cmd {
            TrailCommand::ShowExport(b) => self.export.open = b,
            TrailCommand::ShowCustody(b) => {
                self.custody.open = b;
                self.custody.stale = true;
            }
            TrailCommand::SetExportDir(p) => self.export.out_dir = Some(p),
            TrailCommand::SetInvestigator(n) => self.investigator.set_session_name(&n),
            TrailCommand::PickExportDir => {
                if let Some(p) = rfd::FileDialog::new()
                    .set_title("Export into a new folder")
                    .set_file_name("retrace-export")
                    .save_file()
                {
                    self.export.out_dir = Some(p);
                }
            }
        }
    }

    /// The windows (export, custody, report text).
    pub fn window_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        self.export
            .window_ui(ctx, case, &mut self.investigator, ui, out);
        self.custody.window_ui(ctx, case, ui, out);
    }

    /// Annotation controls, shown under the detail pane.
    pub fn annotate_ui(&mut self, ctx: &ViewContext<'_>, case: &OpenCase, ui: &mut egui::Ui) {
        self.custody
            .annotate_ui(ctx, case, &mut self.investigator, ui);
    }

    /// Whether an export is running (for tests that wait).
    pub fn export_running(&self) -> bool {
        self.export.job.is_some()
    }

    /// The last export's result.
    pub fn last_export(&self) -> Option<&Result<ExportOutcome, String>> {
        self.export.last.as_ref()
    }
}

pub struct ExportPanel {
    pub open: bool,
    scope: ScopeChoice,
    person: String,
    subjects: String,
    finding: String,
    format: ExportFormat,
    bom: bool,
    redaction: RedactionMode,
    lang: Lang,
    layout: ReportLayout,
    pub out_dir: Option<PathBuf>,
    job: Option<Job<ExportOutcome>>,
    last: Option<Result<ExportOutcome, String>>,
    /// Report text editor: section, language, text, loaded-for key.
    text_section: usize,
    text_lang: Lang,
    text: String,
    text_loaded: Option<(usize, Lang, PathBuf)>,
    text_job: Option<Job<Option<String>>>,
    text_note: Option<String>,
}

impl Default for ExportPanel {
    fn default() -> Self {
        ExportPanel {
            open: false,
            scope: ScopeChoice::CurrentView,
            person: String::new(),
            subjects: String::new(),
            finding: String::new(),
            format: ExportFormat::Csv,
            bom: false,
            redaction: RedactionMode::Keep,
            lang: Lang::En,
            layout: ReportLayout::Ppc,
            out_dir: None,
            job: None,
            last: None,
            text_section: 0,
            text_lang: Lang::En,
            text: String::new(),
            text_loaded: None,
            text_job: None,
            text_note: None,
        }
    }
}

impl ExportPanel {
    fn scope(&self, case: &OpenCase) -> Result<ExportScope, String> {
        Ok(match self.scope {
            ScopeChoice::CurrentView => {
                let (from_us, to_us) = case.view.table_range_us();
                ExportScope::View {
                    from_us,
                    to_us,
                    filter: case.view.filter.clone(),
                }
            }
            ScopeChoice::Person => {
                if self.person.is_empty() {
                    return Err("choose a person".into());
                }
                ExportScope::Persons(vec![self.person.clone()])
            }
            ScopeChoice::Subjects => {
                let ids = crate::analysis::subject::parse_identifier_list(&self.subjects);
                if ids.is_empty() {
                    return Err("enter at least one identifier".into());
                }
                ExportScope::Subjects(ids)
            }
            ScopeChoice::Finding => {
                if self.finding.trim().is_empty() {
                    return Err("enter a finding's key (from the findings list)".into());
                }
                // Resolved to its evidence on the export thread.
                ExportScope::Events {
                    label: format!("finding {}", self.finding.trim()),
                    ids: vec![],
                }
            }
            ScopeChoice::WholeCase => ExportScope::Case,
        })
    }

    fn poll(&mut self) {
        if let Some(job) = &self.job
            && let Some(r) = job.poll()
        {
            self.job = None;
            self.last = Some(r.map_err(|e| format!("{e:#}")));
        }
        if let Some(job) = &self.text_job
            && let Some(r) = job.poll()
        {
            self.text_job = None;
            match r {
                Ok(Some(t)) => self.text = t,
                Ok(None) => self.text_note = Some("Saved; recorded in the custody log.".into()),
                Err(e) => self.text_note = Some(format!("{e:#}")),
            }
        }
    }

    fn start(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        investigator: String,
        egui_ctx: &egui::Context,
    ) {
        let scope = match self.scope(case) {
            Ok(s) => s,
            Err(e) => {
                self.last = Some(Err(e));
                return;
            }
        };
        let Some(out_dir) = self.out_dir.clone() else {
            self.last = Some(Err("choose where to export first".into()));
            return;
        };
        let finding = (self.scope == ScopeChoice::Finding).then(|| self.finding.trim().to_string());
        let req = ExportRequest {
            scope,
            format: self.format,
            bom: self.bom,
            redaction: self.redaction,
            zone: ctx.zone_name.to_string(),
            lang: self.lang,
            layout: self.layout,
            out_dir,
            investigator,
        };
        let path = case.info.path.clone();
        let title = format!("Exporting {}", req.format.as_str());
        match Job::start(
            "retrace-export",
            title,
            egui_ctx,
            move |progress, cancel| {
                let mut c = Case::open(&path)?;
                let mut req = req;
                if let Some(key) = finding {
                    req.scope = export::finding_scope(&c, &key)?;
                }
                export::run_export(&mut c, &req, progress, cancel)
            },
        ) {
            Ok(job) => {
                self.last = None;
                self.job = Some(job);
            }
            Err(e) => self.last = Some(Err(format!("cannot start a thread: {e}"))),
        }
    }

    pub fn window_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        investigator: &mut Investigator,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        self.poll();
        if !self.open {
            return;
        }
        let mut open = self.open;
        let egui_ctx = ui.ctx().clone();
        egui::Window::new("Export")
            .open(&mut open)
            .default_width(520.0)
            .show(ui.ctx(), |ui| {
                if ctx.review {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        "Opened for review: nothing can be written, and an export is recorded in the case's custody log, so exporting is off. Open the case normally to export.",
                    );
                }
                ui.add_enabled_ui(!ctx.review, |ui| {
                    self.form_ui(ctx, case, investigator, &egui_ctx, ui, out);
                });
                ui.separator();
                egui::CollapsingHeader::new("Report text (narrative items)")
                    .default_open(false)
                    .show(ui, |ui| {
                        ui.add_enabled_ui(!ctx.review, |ui| {
                            self.report_text_ui(case, investigator, &egui_ctx, ui);
                        });
                    });
            });
        if !open {
            out.push(Command::Trail(TrailCommand::ShowExport(false)));
        }
    }

    fn form_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        investigator: &mut Investigator,
        egui_ctx: &egui::Context,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        egui::Grid::new("export-form")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui.label("Scope:");
                egui::ComboBox::from_id_salt("export-scope")
                    .selected_text(self.scope.label())
                    .width(300.0)
                    .show_ui(ui, |ui| {
                        for s in ScopeChoice::ALL {
                            ui.selectable_value(&mut self.scope, s, s.label());
                        }
                    });
                ui.end_row();
                match self.scope {
                    ScopeChoice::CurrentView => {
                        ui.label("");
                        let (a, b) = case.view.table_range_us();
                        let terms = case.view.filter.len();
                        ui.label(
                            RichText::new(format!(
                                "{} — {} ({}), {} filter term{}",
                                crate::model::time::format_in_zone(a, ctx.zone),
                                crate::model::time::format_in_zone(b, ctx.zone),
                                ctx.zone_name,
                                terms,
                                if terms == 1 { "" } else { "s" }
                            ))
                            .weak(),
                        );
                        ui.end_row();
                    }
                    ScopeChoice::Person => {
                        ui.label("Person:");
                        let label = case
                            .info
                            .persons
                            .iter()
                            .find(|p| p.key == self.person)
                            .map_or("(choose)".to_string(), |p| {
                                format!("{} {}", p.key, p.display_name)
                            });
                        egui::ComboBox::from_id_salt("export-person")
                            .selected_text(label)
                            .width(300.0)
                            .show_ui(ui, |ui| {
                                for p in &case.info.persons {
                                    ui.selectable_value(
                                        &mut self.person,
                                        p.key.clone(),
                                        format!("{} {}", p.key, p.display_name),
                                    );
                                }
                            });
                        ui.end_row();
                    }
                    ScopeChoice::Subjects => {
                        ui.label("Identifiers:");
                        ui.add(
                            egui::TextEdit::multiline(&mut self.subjects)
                                .hint_text("user ids, phones, e-mails; one a line")
                                .desired_rows(3)
                                .desired_width(300.0),
                        );
                        ui.end_row();
                    }
                    ScopeChoice::Finding => {
                        ui.label("Finding:");
                        ui.vertical(|ui| {
                            // The findings window's latest answer, when the rules have run;
                            // the selected finding there is the default.
                            if let Some(set) = &case.findings.set {
                                if self.finding.is_empty()
                                    && let Some(sel) = &case.findings.selected
                                {
                                    self.finding = sel.clone();
                                }
                                let label = set
                                    .get(self.finding.trim())
                                    .map_or("(choose)".to_string(), |f| f.title.clone());
                                egui::ComboBox::from_id_salt("export-finding")
                                    .selected_text(label)
                                    .width(300.0)
                                    .show_ui(ui, |ui| {
                                        for f in &set.findings {
                                            ui.selectable_value(
                                                &mut self.finding,
                                                f.key.clone(),
                                                format!("{}: {}", f.rule, f.title),
                                            );
                                        }
                                    });
                            }
                            ui.add(
                                egui::TextEdit::singleline(&mut self.finding)
                                    .hint_text("finding key: rule|person|system|start")
                                    .desired_width(300.0),
                            );
                        });
                        ui.end_row();
                    }
                    ScopeChoice::WholeCase => {}
                }
                ui.label("Format:");
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut self.format, ExportFormat::Csv, "CSV");
                    ui.selectable_value(&mut self.format, ExportFormat::Jsonl, "JSON Lines");
                    ui.selectable_value(&mut self.format, ExportFormat::Report, "Report (HTML)");
                });
                ui.end_row();
                if self.format == ExportFormat::Csv {
                    ui.label("");
                    ui.checkbox(&mut self.bom, "UTF-8 BOM (for Excel)");
                    ui.end_row();
                }
                if self.format == ExportFormat::Report {
                    ui.label("Language:");
                    ui.horizontal(|ui| {
                        ui.selectable_value(&mut self.lang, Lang::En, "English");
                        ui.selectable_value(&mut self.lang, Lang::Ja, "日本語");
                    });
                    ui.end_row();
                    ui.label("Layout:");
                    ui.horizontal(|ui| {
                        ui.selectable_value(&mut self.layout, ReportLayout::Ppc, "PPC breach report");
                        ui.selectable_value(&mut self.layout, ReportLayout::Gdpr, "GDPR Art. 33");
                    });
                    ui.end_row();
                }
                ui.label("Redaction:");
                ui.horizontal(|ui| {
                    for m in RedactionMode::ALL {
                        ui.selectable_value(&mut self.redaction, m, m.as_str());
                    }
                })
                .response
                .on_hover_text("Subject ids, phone numbers, e-mail addresses and message text: kept, masked (090-****-1234) or replaced by a keyed hash that is the same in every export of this case");
                ui.end_row();
                ui.label("Zone:");
                ui.label(ctx.zone_name);
                ui.end_row();
                ui.label("Save to:");
                ui.horizontal(|ui| {
                    // A typed path as well as the dialog: without a desktop portal the dialog
                    // never appears.
                    let mut typed = self
                        .out_dir
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    let edit = egui::TextEdit::singleline(&mut typed)
                        .hint_text("a new folder, e.g. /tmp/report")
                        .desired_width(260.0);
                    if ui
                        .add(edit)
                        .on_hover_text("The export folder: created if absent, must be empty")
                        .changed()
                    {
                        let typed = typed.trim();
                        self.out_dir = (!typed.is_empty()).then(|| PathBuf::from(typed));
                    }
                    if ui.button("Choose…").clicked() {
                        out.push(Command::Trail(TrailCommand::PickExportDir));
                    }
                });
                ui.end_row();
            });
        let name = investigator.ask_ui(ui);
        ui.horizontal(|ui| {
            let running = self.job.is_some();
            let ready = name.is_some() && self.out_dir.is_some() && !running;
            if ui
                .add_enabled(ready, egui::Button::new("Export"))
                .on_disabled_hover_text("Needs a location and your name")
                .clicked()
                && let Some(n) = name
            {
                self.start(ctx, case, n, egui_ctx);
            }
            if let Some(job) = &self.job {
                let p = job.progress.get();
                ui.add(
                    egui::ProgressBar::new(p.fraction())
                        .desired_width(200.0)
                        .text(format!("{} / {} events", p.done, p.total)),
                );
                if ui.button("Cancel").clicked() {
                    job.cancel.cancel();
                }
            }
        });
        match &self.last {
            Some(Ok(o)) => {
                ui.label(
                    RichText::new(format!(
                        "Exported {} events to {} in {:.1} s",
                        o.rows,
                        o.dir.display(),
                        o.secs
                    ))
                    .strong(),
                );
                for f in &o.files {
                    ui.label(format!(
                        "{} — {} bytes — SHA-256 {}",
                        f.name, f.bytes, f.sha256
                    ));
                }
                ui.label(format!("manifest: {}", o.manifest.display()));
                ui.label(RichText::new(format!("custody entry {}", o.custody_hash)).weak());
                if !o.unresolved_subjects.is_empty() {
                    ui.label(format!(
                        "Not subjects of this case: {}",
                        o.unresolved_subjects.join(", ")
                    ));
                }
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, format!("Export failed: {e}"));
            }
            None => {}
        }
    }

    fn report_text_ui(
        &mut self,
        case: &OpenCase,
        investigator: &mut Investigator,
        egui_ctx: &egui::Context,
        ui: &mut egui::Ui,
    ) {
        let sections: Vec<(&str, &str)> = crate::ops::report::narrative_sections().collect();
        ui.horizontal(|ui| {
            egui::ComboBox::from_id_salt("report-section")
                .selected_text(sections[self.text_section.min(sections.len() - 1)].0)
                .show_ui(ui, |ui| {
                    for (i, (s, _)) in sections.iter().enumerate() {
                        ui.selectable_value(&mut self.text_section, i, *s);
                    }
                });
            ui.selectable_value(&mut self.text_lang, Lang::En, "English");
            ui.selectable_value(&mut self.text_lang, Lang::Ja, "日本語");
        });
        let key = (self.text_section, self.text_lang, case.info.path.clone());
        if self.text_loaded.as_ref() != Some(&key) && self.text_job.is_none() {
            self.text_loaded = Some(key.clone());
            self.text.clear();
            self.text_note = None;
            let (section, lang, path) = (sections[key.0].0.to_string(), key.1, key.2.clone());
            if let Ok(job) = Job::start(
                "retrace-report-text",
                "report text",
                egui_ctx,
                move |_, _| {
                    let c = Case::open_read_only(&path)?;
                    Ok(Some(
                        c.report_text(&section, lang.as_str())?.unwrap_or_default(),
                    ))
                },
            ) {
                self.text_job = Some(job);
            }
        }
        ui.label(
            RichText::new(crate::ops::report::i18n::t(
                self.text_lang,
                sections[key.0].1,
            ))
            .weak(),
        );
        ui.add(
            egui::TextEdit::multiline(&mut self.text)
                .desired_rows(5)
                .desired_width(f32::INFINITY),
        );
        let name = investigator.name().map(str::to_string);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    name.is_some() && self.text_job.is_none(),
                    egui::Button::new("Save text"),
                )
                .on_disabled_hover_text("Enter your name above first")
                .clicked()
                && let Some(n) = name
            {
                let (section, lang, path, text) = (
                    sections[key.0].0.to_string(),
                    key.1,
                    key.2.clone(),
                    self.text.clone(),
                );
                if let Ok(job) = Job::start(
                    "retrace-report-text",
                    "saving report text",
                    egui_ctx,
                    move |_, _| {
                        let mut c = Case::open(&path)?;
                        c.set_report_text(&section, lang.as_str(), &text, &n)?;
                        Ok(None)
                    },
                ) {
                    self.text_job = Some(job);
                }
            }
            if let Some(n) = &self.text_note {
                ui.label(RichText::new(n).weak());
            }
        });
    }
}
