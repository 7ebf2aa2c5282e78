//! The import window: the files to import, how the selected one would be read (kind,
//! format, encoding, the guessed mapping, the zone with its default shown), its first rows
//! and rejects, edits to the mapping and zone, the import button, and the results with rows
//! imported / rejected and the rejects with line and reason.

use egui::RichText;

use crate::gui::app::ViewContext;
use crate::gui::command::Command;
use crate::gui::import::Preview;
use crate::gui::rejects::RejectsCommand;
use crate::gui::runner::Task;
use crate::ingest::mapping::Field;
use crate::model::time::format_in_zone;

use crate::gui::state::PathPurpose;

use super::widgets::{ZonePick, ZonePicker};

#[derive(Default)]
pub struct ImportWindow {
    path: String,
    /// The typed path was filled from the remembered import folder.
    prefilled: bool,
    zones: ZonePicker,
}

impl ImportWindow {
    pub fn window_ui(&mut self, ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let state = ctx.import;
        if !state.open {
            return;
        }
        if !self.prefilled {
            // The folder of the last imported file, ready for a file name.
            self.prefilled = true;
            if self.path.is_empty()
                && let Some(dir) = ctx.settings.last_dir(PathPurpose::Import)
            {
                self.path = format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR);
            }
        }
        let mut open = true;
        egui::Window::new("Import files")
            .constrain_to(super::desk(ui.ctx()))
            .open(&mut open)
            .default_size([760.0, 560.0])
            .show(ui.ctx(), |ui| {
                ui.horizontal(|ui| {
                    if ui.button("Add files…").clicked() {
                        out.push(Command::PickImportFiles);
                    }
                    let label = ui.label("or a path:");
                    let edit = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.path)
                                .hint_text("/path/to/log.csv")
                                .desired_width(360.0),
                        )
                        .labelled_by(label.id);
                    let entered =
                        edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if (ui.button("Add path").clicked() || entered) && !self.path.trim().is_empty()
                    {
                        let mut files: Vec<_> = state.files.iter().map(|f| f.0.clone()).collect();
                        files.push(self.path.trim().into());
                        out.push(Command::PrepareImport(files));
                        self.path.clear();
                        self.prefilled = false;
                    }
                });
                ui.separator();
                ui.horizontal_wrapped(|ui| {
                    ui.label("Files:");
                    for (i, (p, _)) in state.files.iter().enumerate() {
                        let name = p.file_name().map_or_else(
                            || p.display().to_string(),
                            |n| n.to_string_lossy().into_owned(),
                        );
                        if ui.selectable_label(i == state.selected, name).clicked() {
                            out.push(Command::SelectImportFile(i));
                        }
                    }
                });
                ui.separator();
                egui::ScrollArea::vertical()
                    .max_height(ui.available_height() - 40.0)
                    .show(ui, |ui| {
                        // After an import its result comes first; the preview of the file
                        // (now in the case) folds away under it.
                        if state.outcomes.is_empty() {
                            self.preview_ui(ctx, ui, out);
                        } else {
                            outcomes_ui(ctx, ui, out);
                            ui.separator();
                            egui::CollapsingHeader::new("Preview of the selected file")
                                .default_open(false)
                                .show(ui, |ui| self.preview_ui(ctx, ui, out));
                        }
                    });
                ui.separator();
                ui.horizontal(|ui| {
                    let running = ctx.jobs.is_running(Task::Import);
                    if ui
                        .add_enabled(
                            !running && !state.files.is_empty(),
                            egui::Button::new(format!("Import {} file(s)", state.files.len())),
                        )
                        .clicked()
                    {
                        out.push(Command::StartImport);
                    }
                    if let Some(p) = ctx.jobs.progress(Task::Import) {
                        ui.add(
                            egui::ProgressBar::new(p.fraction())
                                .desired_width(260.0)
                                .text(format!("{} {:.0}%", p.stage, p.fraction() * 100.0)),
                        );
                        if ui.button("Cancel").clicked() {
                            out.push(Command::CancelJob);
                        }
                    }
                });
            });
        if !open {
            out.push(Command::CloseImport);
            self.prefilled = false;
        }
    }

    fn preview_ui(&mut self, ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let state = ctx.import;
        let Some(result) = &state.preview else {
            if ctx.jobs.is_running(Task::Preview) {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Reading the file…");
                });
            }
            return;
        };
        let p = match result {
            Ok(p) => p,
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return;
            }
        };
        plan_ui(p, ui);
        self.zone_ui(ctx, p, ui, out);
        kind_ui(p, ui, out);
        let plan = &p.plan;
        if !plan.unread_columns.is_empty() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("not read: {}", plan.unread_columns.join(", ")),
            );
        }
        if let Some(r) = &plan.roster_mapping {
            roster_mapping_ui(plan, r, ui, out);
        }
        if plan.kind == crate::model::roster::SourceKind::Access && !plan.headers.is_empty() {
            ui.label(
                RichText::new("Column mapping (guessed from the header; change any field):")
                    .strong(),
            );
            egui::Grid::new("import_mapping")
                .num_columns(4)
                .show(ui, |ui| {
                    for (i, field) in Field::ALL.iter().enumerate() {
                        let name = field.as_str();
                        let current = plan.mapping.columns.get(field).cloned().unwrap_or_default();
                        column_choice_ui(name, name, &current, &plan.headers, ui, out);
                        if i % 2 == 1 {
                            ui.end_row();
                        }
                    }
                });
        }
        rows_ui(ctx, p, ui);
    }

    /// The zone: the file's default is shown; any IANA zone can be picked.
    fn zone_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        p: &Preview,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let plan = &p.plan;
        let current = p.choices.zone.as_deref();
        let shown = current.map_or_else(|| format!("default: {}", plan.zone), str::to_string);
        let fixed = [(format!("Default ({})", plan.zone), current.is_none())];
        let pick = self.zones.menu_ui(
            ui,
            format!("Source zone: {shown}"),
            &fixed,
            current,
            &ctx.settings.recent_zones,
        );
        if let Some(pick) = pick {
            out.push(Command::SetImportZone(match pick {
                ZonePick::Fixed(_) => None,
                ZonePick::Zone(z) => Some(z),
            }));
        }
    }
}

/// How the file would be read: kind, format, detection, encoding, size, time rule.
fn plan_ui(p: &Preview, ui: &mut egui::Ui) {
    let plan = &p.plan;
    let access = plan.kind == crate::model::roster::SourceKind::Access;
    egui::Grid::new("import_plan")
        .num_columns(2)
        .show(ui, |ui| {
            for (k, v) in [
                ("kind", plan.kind.as_str().to_string()),
                ("format", plan.format.as_str().to_string()),
                ("detection", plan.detection_label()),
                (
                    "encoding",
                    format!(
                        "{} ({})",
                        plan.encoding.as_str(),
                        plan.encoding_how.as_str()
                    ),
                ),
                ("size", format!("{} bytes", plan.size_bytes)),
                ("time rule", plan.time_rule()),
                ("unmapped fields", plan.unmapped_fields().to_string()),
            ]
            .into_iter()
            // A roster has no extra fields: its unread columns are listed below.
            .filter(|(k, _)| access || *k != "unmapped fields")
            {
                ui.label(RichText::new(k).weak());
                ui.add(egui::Label::new(v).wrap());
                ui.end_row();
            }
        });
}

/// A field's column: none, or one of the file's headers.
fn column_choice_ui(
    label: &str,
    field: &str,
    current: &str,
    headers: &[String],
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    egui::ComboBox::from_label(label)
        .selected_text(if current.is_empty() {
            "—".to_string()
        } else {
            current.to_string()
        })
        .width(150.0)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(current.is_empty(), "— (none)")
                .clicked()
            {
                out.push(Command::SetImportColumn {
                    field: field.into(),
                    column: String::new(),
                });
            }
            for h in headers {
                if ui.selectable_label(current == h, h).clicked() {
                    out.push(Command::SetImportColumn {
                        field: field.into(),
                        column: h.clone(),
                    });
                }
            }
        });
}

/// The first rows as they would be read, and the rejects among them.
fn rows_ui(ctx: &ViewContext<'_>, p: &Preview, ui: &mut egui::Ui) {
    if !p.rows.is_empty() {
        ui.label(
            RichText::new(format!(
                "First {} rows as they would be read (times in {}):",
                p.rows.len(),
                ctx.zone_name
            ))
            .strong(),
        );
        egui::Grid::new("import_rows").striped(true).show(ui, |ui| {
            for h in [
                "line",
                "time",
                "raw",
                "account",
                "system",
                "action",
                "object",
                "categories",
                "outcome",
            ] {
                ui.label(RichText::new(h).weak());
            }
            ui.end_row();
            for e in &p.rows {
                ui.label(e.line.to_string());
                ui.label(format_in_zone(e.ts_us, ctx.zone));
                ui.label(e.raw_ts.as_str());
                ui.label(e.account.as_deref().unwrap_or("-"));
                ui.label(e.system.as_deref().unwrap_or("-"));
                ui.label(e.action.as_deref().unwrap_or("-"));
                ui.label(e.object.as_deref().unwrap_or("-"));
                ui.label(p.vocabulary.names(e.categories).join(", "));
                ui.label(e.outcome.as_ref().map_or("-", |o| o.as_str()));
                ui.end_row();
            }
        });
    }
    if !p.roster_rows.is_empty() {
        ui.label(
            RichText::new(format!(
                "First {} rows as they would be read:",
                p.roster_rows.len()
            ))
            .strong(),
        );
        for (line, row) in &p.roster_rows {
            ui.label(format!("line {line}: {row}"));
        }
    }
    if !p.rejects.is_empty() {
        ui.label(
            RichText::new(format!(
                "{} rows would be rejected among the first read:",
                p.rejects.len()
            ))
            .strong(),
        );
        for r in &p.rejects {
            ui.label(format!("line {}: {}", r.line, r.reason));
        }
    }
}

/// What the file is read as: detected, or picked (an access log or a roster kind).
fn kind_ui(p: &Preview, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    use crate::model::roster::SourceKind;
    let current = p.choices.kind;
    let shown = match current {
        Some(k) => k.as_str().to_string(),
        None => format!("detected: {}", p.plan.kind.as_str()),
    };
    egui::ComboBox::from_label("read as")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(current.is_none(), "detect from the header")
                .clicked()
            {
                out.push(Command::SetImportKind(None));
            }
            for k in SourceKind::ALL {
                if ui
                    .selectable_label(current == Some(k), k.as_str())
                    .clicked()
                {
                    out.push(Command::SetImportKind(Some(k)));
                }
            }
        });
}

/// A roster's mapping: one drop-down per roster field, listing the file's headers.
fn roster_mapping_ui(
    plan: &crate::ingest::Plan,
    r: &crate::ingest::roster_map::RosterMapping,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let (required, _) = crate::ingest::roster_map::columns(plan.kind);
    ui.label(
        RichText::new(format!(
            "Column mapping of the {} roster (guessed from the header; change any field):",
            plan.kind.as_str()
        ))
        .strong(),
    );
    egui::Grid::new("import_roster_mapping")
        .num_columns(4)
        .show(ui, |ui| {
            for (i, field) in crate::ingest::roster_map::fields(plan.kind).enumerate() {
                let current = r.get(field).unwrap_or_default().to_string();
                let label = if required.contains(&field) {
                    format!("{field} *")
                } else {
                    field.to_string()
                };
                column_choice_ui(&label, field, &current, &plan.headers, ui, out);
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
    let missing = r.missing(plan.kind);
    if !missing.is_empty() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!(
                "required and not mapped: {} (pick a column for each)",
                missing.join(", ")
            ),
        );
    }
}

fn outcomes_ui(ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let outcomes = &ctx.import.outcomes;
    if outcomes.is_empty() {
        return;
    }
    ui.heading("Result");
    if let Some(kept) = &ctx.import.kept {
        ui.label(RichText::new(kept).weak());
    }
    for o in outcomes {
        match &o.result {
            Ok(r) => {
                ui.label(format!(
                    "{}: {} rows read, {} imported, {} rejected",
                    o.file, r.result.rows_read, r.result.rows_imported, r.result.rows_rejected
                ));
                if !r.unread_columns.is_empty() {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("{}: not read: {}", o.file, r.unread_columns.join(", ")),
                    );
                }
                for n in &r.notes {
                    ui.label(format!("{}: note: {n}", o.file));
                }
                if r.result.rows_rejected > 0
                    && ui
                        .link(format!(
                            "{} {} rejected in {} — show",
                            r.result.rows_rejected,
                            if r.result.rows_rejected == 1 {
                                "row"
                            } else {
                                "rows"
                            },
                            o.file
                        ))
                        .on_hover_text("Open the rejects viewer on this file's rejected rows")
                        .clicked()
                {
                    out.push(Command::Rejects(RejectsCommand::Show {
                        source: Some(r.result.source_id),
                        mentions_only: false,
                    }));
                }
                if !o.rejects().is_empty() {
                    ui.collapsing(
                        format!("Rejects of {} (first {})", o.file, o.rejects().len()),
                        |ui| {
                            for rj in o.rejects() {
                                ui.label(format!("line {}: {}", rj.line, rj.reason));
                                ui.label(RichText::new(&rj.raw).monospace().weak());
                            }
                        },
                    );
                }
            }
            Err(e) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("{}: not imported: {e}", o.file),
                );
                if o.already_imported
                    && !ctx.review
                    && ui
                        .add_enabled(
                            !ctx.jobs.is_running(Task::Import),
                            egui::Button::new(format!("Import {} again anyway", o.file)),
                        )
                        .on_hover_text(
                            "Imports the same bytes once more, as a new source with its own custody entry; the earlier source stays",
                        )
                        .clicked()
                {
                    out.push(Command::ForceImport(o.path.clone()));
                }
            }
        }
    }
}
