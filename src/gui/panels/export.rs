//! The export panel: scope (current view, a person, a subject list, a finding's evidence, the
//! whole case), format (CSV with optional BOM, JSON Lines, HTML report in English or Japanese,
//! PPC or GDPR layout), redaction, and the location (rfd save dialog). The panel sends an
//! [`ExportOrder`]; the app runs the export as a job with progress and cancel, and the panel
//! shows its result: the files, rows, manifest and the custody entry. The report's narrative
//! items are edited here too.

use std::path::PathBuf;

use egui::RichText;

use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::gui::runner::Task;
use crate::gui::state::PathPurpose;
use crate::gui::trail::{ExportOrder, TrailCommand};
use crate::ops::export::{ExportFormat, ExportScope, Lang, RedactionMode, ReportLayout};

use crate::tr;

use super::NameField;

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
    fn label(self, l: Lang) -> String {
        match self {
            ScopeChoice::CurrentView => tr!(l, "export-scope-view"),
            ScopeChoice::Person => tr!(l, "export-scope-person"),
            ScopeChoice::Subjects => tr!(l, "export-scope-subjects"),
            ScopeChoice::Finding => tr!(l, "export-scope-finding"),
            ScopeChoice::WholeCase => tr!(l, "export-scope-case"),
        }
    }
}

/// What the panel keeps for itself: the choices being made and the text being edited.
pub struct ExportPanel {
    scope: ScopeChoice,
    person: String,
    subjects: String,
    finding: String,
    format: ExportFormat,
    bom: bool,
    redaction: RedactionMode,
    /// The report's language: the app's until one is chosen here (`lang_chosen`).
    lang: Lang,
    lang_chosen: bool,
    /// CSV: the language of the column headers (English, the stable names, by default).
    headers: Lang,
    layout: ReportLayout,
    /// Report text editor: section, language, the text and the load it came from.
    text_section: usize,
    text_lang: Lang,
    text: String,
    text_seq: u64,
}

impl Default for ExportPanel {
    fn default() -> Self {
        ExportPanel {
            scope: ScopeChoice::CurrentView,
            person: String::new(),
            subjects: String::new(),
            finding: String::new(),
            format: ExportFormat::Csv,
            bom: false,
            redaction: RedactionMode::Keep,
            lang: Lang::En,
            lang_chosen: false,
            headers: Lang::En,
            layout: ReportLayout::Ppc,
            text_section: 0,
            text_lang: Lang::En,
            text: String::new(),
            text_seq: 0,
        }
    }
}

impl ExportPanel {
    fn scope(&self, l: Lang, case: &OpenCase) -> Result<ExportScope, String> {
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
                    return Err(tr!(l, "export-need-person"));
                }
                ExportScope::Persons(vec![self.person.clone()])
            }
            ScopeChoice::Subjects => {
                let ids = crate::analysis::subject::parse_identifier_list(&self.subjects);
                if ids.is_empty() {
                    return Err(tr!(l, "export-need-identifier"));
                }
                ExportScope::Subjects(ids)
            }
            ScopeChoice::Finding => {
                if self.finding.trim().is_empty() {
                    return Err(tr!(l, "export-need-finding"));
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

    /// The order for the app, or why the choices make none.
    fn order(&self, ctx: &ViewContext<'_>, case: &OpenCase) -> Result<ExportOrder, String> {
        let scope = self.scope(ctx.lang, case)?;
        let Some(out_dir) = ctx.trail.export.out_dir.clone() else {
            return Err(tr!(ctx.lang, "export-need-location"));
        };
        let finding = (self.scope == ScopeChoice::Finding).then(|| self.finding.trim().to_string());
        Ok(ExportOrder {
            scope,
            finding,
            format: self.format,
            bom: self.bom,
            redaction: self.redaction,
            lang: self.lang,
            headers: self.headers,
            layout: self.layout,
            out_dir,
        })
    }

    pub fn window_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        name: &mut NameField,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        if !ctx.trail.export.open {
            return;
        }
        let mut open = true;
        let l = ctx.lang;
        egui::Window::new(tr!(l, "export-title"))
            .constrain_to(super::desk(ui.ctx()))
            .open(&mut open)
            .default_width(520.0)
            .show(ui.ctx(), |ui| {
                if ctx.review {
                    ui.colored_label(ui.visuals().warn_fg_color, tr!(l, "export-review-only"));
                }
                ui.add_enabled_ui(!ctx.review, |ui| {
                    self.form_ui(ctx, case, name, ui, out);
                });
                ui.separator();
                egui::CollapsingHeader::new(tr!(l, "export-report-text"))
                    .default_open(false)
                    .show(ui, |ui| {
                        ui.add_enabled_ui(!ctx.review, |ui| {
                            self.report_text_ui(ctx, case, ui, out);
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
        name: &mut NameField,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let l = ctx.lang;
        if !self.lang_chosen {
            // A Japanese investigator's report is in Japanese unless they choose otherwise.
            (self.lang, self.text_lang) = (l, l);
        }
        egui::Grid::new("export-form")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui.label(tr!(l, "export-scope"));
                egui::ComboBox::from_id_salt("export-scope")
                    .selected_text(self.scope.label(l))
                    .width(300.0)
                    .show_ui(ui, |ui| {
                        for s in ScopeChoice::ALL {
                            ui.selectable_value(&mut self.scope, s, s.label(l));
                        }
                    });
                ui.end_row();
                self.scope_rows_ui(ctx, case, ui);
                self.format_rows_ui(l, ui);
                ui.label(tr!(l, "export-zone"));
                ui.label(ctx.zone_name);
                ui.end_row();
                location_row_ui(ctx, ui, out);
            });
        let name = name.ask_ui(&ctx.trail.investigator, ui, out);
        ui.horizontal(|ui| {
            let running = ctx.jobs.is_running(Task::Export);
            let ready = name.is_some() && ctx.trail.export.out_dir.is_some() && !running;
            if ui
                .add_enabled(ready, egui::Button::new(tr!(l, "export-button")))
                .on_disabled_hover_text(tr!(l, "export-button-tip"))
                .clicked()
            {
                out.push(Command::Trail(match self.order(ctx, case) {
                    Ok(order) => TrailCommand::StartExport(Box::new(order)),
                    Err(e) => TrailCommand::RefuseExport(e),
                }));
            }
            if let Some(p) = ctx.jobs.progress(Task::Export) {
                ui.add(
                    egui::ProgressBar::new(p.fraction())
                        .desired_width(200.0)
                        .text(tr!(
                            l,
                            "export-progress",
                            done = p.done,
                            total = tr!(l, "count-events", count = p.total)
                        )),
                );
                if ui.button(tr!(l, "export-cancel")).clicked() {
                    out.push(Command::Trail(TrailCommand::CancelExport));
                }
            }
        });
        result_ui(ctx, ui);
    }

    /// The rows that depend on the scope: the view's range, the person, the identifiers or
    /// the finding.
    fn scope_rows_ui(&mut self, ctx: &ViewContext<'_>, case: &OpenCase, ui: &mut egui::Ui) {
        let l = ctx.lang;
        match self.scope {
            ScopeChoice::CurrentView => {
                ui.label("");
                let (a, b) = case.view.table_range_us();
                let terms = case.view.filter.len();
                ui.label(
                    RichText::new(tr!(
                        l,
                        "export-view-range",
                        from = crate::i18n::format_in_zone(l, a, ctx.zone),
                        to = crate::i18n::format_in_zone(l, b, ctx.zone),
                        zone = ctx.zone_name,
                        terms = tr!(l, "count-filter-terms", count = terms)
                    ))
                    .weak(),
                );
                ui.end_row();
            }
            ScopeChoice::Person => {
                ui.label(tr!(l, "export-person"));
                self.person_ui(l, case, ui);
                ui.end_row();
            }
            ScopeChoice::Subjects => {
                ui.label(tr!(l, "export-identifiers"));
                ui.add(
                    egui::TextEdit::multiline(&mut self.subjects)
                        .hint_text(tr!(l, "export-identifiers-hint"))
                        .desired_rows(3)
                        .desired_width(300.0),
                );
                ui.end_row();
            }
            ScopeChoice::Finding => {
                ui.label(tr!(l, "export-finding"));
                ui.vertical(|ui| self.finding_ui(l, case, ui));
                ui.end_row();
            }
            ScopeChoice::WholeCase => {}
        }
    }

    fn person_ui(&mut self, l: Lang, case: &OpenCase, ui: &mut egui::Ui) {
        let label = case
            .info
            .persons
            .iter()
            .find(|p| p.key == self.person)
            .map_or(tr!(l, "export-choose"), |p| {
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
    }

    fn finding_ui(&mut self, l: Lang, case: &OpenCase, ui: &mut egui::Ui) {
        // The findings window's latest answer, when the rules have run; the selected
        // finding there is the default.
        if let Some(set) = &case.findings.set {
            if self.finding.is_empty()
                && let Some(sel) = &case.findings.selected
            {
                self.finding = sel.clone();
            }
            let label = set
                .get(self.finding.trim())
                .map_or(tr!(l, "export-choose"), |f| f.title.clone());
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
                .hint_text(tr!(l, "export-finding-hint"))
                .desired_width(300.0),
        );
    }

    /// Format, BOM and header language, report language and layout, redaction.
    fn format_rows_ui(&mut self, l: Lang, ui: &mut egui::Ui) {
        ui.label(tr!(l, "export-format"));
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.format, ExportFormat::Csv, "CSV");
            ui.selectable_value(&mut self.format, ExportFormat::Jsonl, "JSON Lines");
            ui.selectable_value(
                &mut self.format,
                ExportFormat::Report,
                tr!(l, "export-format-report"),
            );
            ui.selectable_value(&mut self.format, ExportFormat::Timesketch, "Timesketch")
                .on_hover_text(tr!(l, "export-timesketch-tip"));
            ui.selectable_value(&mut self.format, ExportFormat::Parquet, "Parquet")
                .on_hover_text(tr!(l, "export-parquet-tip"));
        });
        ui.end_row();
        if self.format == ExportFormat::Csv {
            ui.label("");
            // On the BOM's row: a row of its own would widen the labels' column, and the
            // form would shift when the format changes.
            ui.horizontal(|ui| {
                ui.checkbox(&mut self.bom, tr!(l, "export-bom"));
                ui.separator();
                ui.label(tr!(l, "export-headers"))
                    .on_hover_text(tr!(l, "export-headers-tip"));
                ui.selectable_value(&mut self.headers, Lang::En, tr!(l, "export-headers-en"))
                    .on_hover_text(tr!(l, "export-headers-tip"));
                ui.selectable_value(&mut self.headers, Lang::Ja, tr!(l, "export-headers-ja"))
                    .on_hover_text(tr!(l, "export-headers-tip"));
            });
            ui.end_row();
        }
        if self.format == ExportFormat::Report {
            // The report's own language, apart from the app's.
            ui.label(tr!(l, "export-report-language"));
            ui.horizontal(|ui| {
                for l in Lang::ALL {
                    if ui
                        .selectable_value(&mut self.lang, l, l.native_name())
                        .clicked()
                    {
                        self.lang_chosen = true;
                    }
                }
            });
            ui.end_row();
            ui.label(tr!(l, "export-layout"));
            ui.horizontal(|ui| {
                ui.selectable_value(
                    &mut self.layout,
                    ReportLayout::Ppc,
                    tr!(l, "export-layout-ppc"),
                );
                ui.selectable_value(
                    &mut self.layout,
                    ReportLayout::Gdpr,
                    tr!(l, "export-layout-gdpr"),
                );
            });
            ui.end_row();
        }
        ui.label(tr!(l, "export-redaction"));
        ui.horizontal(|ui| {
            for m in RedactionMode::ALL {
                let text = match m {
                    RedactionMode::Keep => tr!(l, "export-redaction-keep"),
                    RedactionMode::Mask => tr!(l, "export-redaction-mask"),
                    RedactionMode::Pseudonymise => tr!(l, "export-redaction-pseudonymise"),
                };
                ui.selectable_value(&mut self.redaction, m, text);
            }
        })
        .response
        .on_hover_text(tr!(l, "export-redaction-tip"));
        ui.end_row();
    }

    fn report_text_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
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
            for l in Lang::ALL {
                if ui
                    .selectable_value(&mut self.text_lang, l, l.native_name())
                    .clicked()
                {
                    self.lang_chosen = true;
                }
            }
        });
        let state = &ctx.trail.report_text;
        let busy = ctx.jobs.is_running(Task::ReportText);
        let key = (self.text_section, self.text_lang, case.info.path.clone());
        if state.loaded.as_ref() != Some(&key) && !busy {
            out.push(Command::Trail(TrailCommand::LoadReportText {
                section: key.0,
                lang: key.1,
            }));
        }
        if state.seq != self.text_seq {
            self.text_seq = state.seq;
            self.text = state.text.clone();
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
        let named = ctx.trail.investigator.name().is_some();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    named && !busy,
                    egui::Button::new(tr!(ctx.lang, "export-save-text")),
                )
                .on_disabled_hover_text(tr!(ctx.lang, "export-save-text-tip"))
                .clicked()
            {
                out.push(Command::Trail(TrailCommand::SaveReportText {
                    section: key.0,
                    lang: key.1,
                    text: self.text.clone(),
                }));
            }
            if let Some(n) = &state.note {
                ui.label(RichText::new(n).weak());
            }
        });
    }
}

/// Where the export goes: a typed path or the save dialog.
fn location_row_ui(ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let l = ctx.lang;
    ui.label(tr!(l, "export-save-to"));
    ui.horizontal(|ui| {
        // A typed path as well as the dialog: without a desktop portal the dialog never
        // appears.
        let mut typed = ctx
            .trail
            .export
            .out_dir
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        // The hint offers a new folder beside the last export's.
        let hint = ctx.settings.last_dir(PathPurpose::Export).map_or_else(
            || tr!(l, "export-save-to-hint"),
            |d| d.join("retrace-export").display().to_string(),
        );
        let edit = egui::TextEdit::singleline(&mut typed)
            .hint_text(hint)
            .desired_width(260.0);
        if ui
            .add(edit)
            .on_hover_text(tr!(l, "export-save-to-tip"))
            .changed()
        {
            let typed = typed.trim();
            out.push(Command::Trail(if typed.is_empty() {
                TrailCommand::ClearExportDir
            } else {
                TrailCommand::SetExportDir(PathBuf::from(typed))
            }));
        }
        if ui.button(tr!(l, "export-choose-dir")).clicked() {
            out.push(Command::Trail(TrailCommand::PickExportDir));
        }
    });
    ui.end_row();
}

/// The last export's files, rows, manifest and custody entry, or why it failed.
fn result_ui(ctx: &ViewContext<'_>, ui: &mut egui::Ui) {
    let l = ctx.lang;
    match &ctx.trail.export.last {
        Some(Ok(o)) => {
            ui.label(
                RichText::new(tr!(
                    l,
                    "export-done",
                    events = tr!(l, "count-events", count = o.rows),
                    dir = o.dir.display().to_string(),
                    seconds = format!("{:.1}", o.secs)
                ))
                .strong(),
            );
            for f in &o.files {
                ui.label(tr!(
                    l,
                    "export-file",
                    name = &f.name,
                    bytes = f.bytes.to_string(),
                    sha = &f.sha256
                ));
            }
            ui.label(tr!(
                l,
                "export-manifest",
                path = o.manifest.display().to_string()
            ));
            ui.label(RichText::new(tr!(l, "export-custody-entry", hash = &o.custody_hash)).weak());
            if let Some(next) = &ctx.trail.export.proposed {
                ui.label(tr!(
                    l,
                    "export-next-folder",
                    path = next.display().to_string()
                ));
            }
            if !o.unresolved_subjects.is_empty() {
                ui.label(tr!(
                    l,
                    "export-unresolved",
                    ids = o.unresolved_subjects.join(", ")
                ));
            }
        }
        Some(Err(e)) => {
            ui.colored_label(
                ui.visuals().error_fg_color,
                tr!(l, "export-failed", error = e.to_string()),
            );
        }
        None => {}
    }
}
