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
use crate::i18n::{Lang, category_name, format_in_zone, outcome_name};
use crate::ingest::mapping::Field;
use crate::model::roster::SourceKind;
use crate::tr;

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
        let l = ctx.lang;
        let mut open = true;
        egui::Window::new(tr!(l, "import-title"))
            .id(egui::Id::unique("import-window"))
            .constrain_to(super::desk(ui.ctx()))
            .open(&mut open)
            .default_size([760.0, 560.0])
            .show(ui.ctx(), |ui| {
                ui.horizontal(|ui| {
                    if ui.button(tr!(l, "import-add-files")).clicked() {
                        out.push(Command::PickImportFiles);
                    }
                    let label = ui.label(tr!(l, "import-or-path"));
                    let edit = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.path)
                                .hint_text("/path/to/log.csv")
                                .desired_width(360.0),
                        )
                        .labelled_by(label.id);
                    let entered =
                        edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if (ui.button(tr!(l, "import-add-path")).clicked() || entered)
                        && !self.path.trim().is_empty()
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
                    ui.label(tr!(l, "import-files"));
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
                            egui::CollapsingHeader::new(tr!(l, "import-preview-of-selected"))
                                .id_salt("import_preview_of_selected")
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
                            egui::Button::new(tr!(
                                l,
                                "import-start",
                                files = tr!(l, "count-files", count = state.files.len())
                            )),
                        )
                        .clicked()
                    {
                        out.push(Command::StartImport);
                    }
                    if let Some(p) = ctx.jobs.progress(Task::Import) {
                        ui.add(
                            egui::ProgressBar::new(p.fraction())
                                .desired_width(260.0)
                                .text(format!(
                                    "{} {:.0}%",
                                    named(l, "import-stage-", &p.stage),
                                    p.fraction() * 100.0
                                )),
                        );
                        if ui.button(tr!(l, "import-cancel")).clicked() {
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
        let l = ctx.lang;
        let Some(result) = &state.preview else {
            if ctx.jobs.is_running(Task::Preview) {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(tr!(l, "import-reading"));
                });
            }
            return;
        };
        let p = match result {
            Ok(p) => p,
            Err(e) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    tr!(l, "import-preview-error", error = e),
                );
                return;
            }
        };
        plan_ui(l, p, ui);
        self.zone_ui(ctx, p, ui, out);
        kind_ui(l, p, ui, out);
        let plan = &p.plan;
        if !plan.unread_columns.is_empty() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                tr!(
                    l,
                    "import-not-read",
                    columns = plan.unread_columns.join(", ")
                ),
            );
        }
        if let Some(r) = &plan.roster_mapping {
            roster_mapping_ui(l, plan, r, ui, out);
        }
        if plan.kind == SourceKind::Access && !plan.headers.is_empty() {
            ui.label(RichText::new(tr!(l, "import-mapping")).strong());
            egui::Grid::new("import_mapping")
                .num_columns(4)
                .show(ui, |ui| {
                    for (i, field) in Field::ALL.iter().enumerate() {
                        let name = field.as_str();
                        let current = plan.mapping.columns.get(field).cloned().unwrap_or_default();
                        let label = field_label(l, name);
                        column_choice_ui(l, &label, name, &current, &plan.headers, ui, out);
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
        let (plan, l) = (&p.plan, ctx.lang);
        let current = p.choices.zone.as_deref();
        let shown = current.map_or_else(
            || tr!(l, "import-zone-default", zone = &plan.zone),
            str::to_string,
        );
        let fixed = [(
            tr!(l, "import-zone-default-choice", zone = &plan.zone),
            current.is_none(),
        )];
        let pick = self.zones.menu_ui(
            ui,
            tr!(l, "import-zone", zone = shown),
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
fn plan_ui(l: Lang, p: &Preview, ui: &mut egui::Ui) {
    let plan = &p.plan;
    let access = plan.kind == SourceKind::Access;
    egui::Grid::new("import_plan")
        .num_columns(2)
        .show(ui, |ui| {
            for (k, v) in [
                ("import-plan-kind", kind_label(l, plan.kind)),
                ("import-plan-format", plan.format.as_str().to_string()),
                ("import-plan-detection", detection_label(l, plan)),
                (
                    "import-plan-encoding",
                    tr!(
                        l,
                        "import-encoding",
                        encoding = plan.encoding.as_str(),
                        how = named(l, "import-encoding-", plan.encoding_how.as_str())
                    ),
                ),
                (
                    "import-plan-size",
                    tr!(
                        l,
                        "import-size-bytes",
                        // English as the command line writes it; Japanese with grouped digits.
                        bytes = match l {
                            Lang::En => plan.size_bytes.to_string(),
                            Lang::Ja => crate::model::plural::grouped(plan.size_bytes),
                        }
                    ),
                ),
                ("import-plan-time-rule", time_rule(l, plan)),
                ("import-plan-unmapped", unmapped_fields(l, plan)),
            ]
            .into_iter()
            // A roster has no extra fields: its unread columns are listed below.
            .filter(|(k, _)| access || *k != "import-plan-unmapped")
            {
                ui.label(RichText::new(crate::i18n::t(l, k)).weak());
                ui.add(egui::Label::new(v).wrap());
                ui.end_row();
            }
        });
}

/// The message `prefix` + `key` in `lang` when the catalogs have it, else `key` as it is.
fn named(l: Lang, prefix: &str, key: &str) -> String {
    let id = format!("{prefix}{key}");
    if crate::i18n::has(&id) {
        crate::i18n::t(l, &id)
    } else {
        key.to_string()
    }
}

/// A mapping field's label: its identifier in English, its Japanese name with the identifier
/// in Japanese.
fn field_label(l: Lang, field: &str) -> String {
    named(l, "import-field-", field)
}

/// What a source is read as, in `l` (the identifier in English).
fn kind_label(l: Lang, kind: SourceKind) -> String {
    named(l, "import-kind-", kind.as_str())
}

/// How the format was found: declared, or detected with its confidence and the runners-up.
fn detection_label(l: Lang, plan: &crate::ingest::Plan) -> String {
    if l == Lang::En {
        return plan.detection_label();
    }
    let d = &plan.detection;
    if d.declared {
        return tr!(l, "import-detection-declared");
    }
    let percent = format!("{:.0}", d.confidence * 100.0);
    if d.others.is_empty() {
        return tr!(l, "import-detection", percent = percent);
    }
    let others: Vec<String> = d
        .others
        .iter()
        .map(|c| format!("{} {:.0}%", c.format.as_str(), c.confidence * 100.0))
        .collect();
    tr!(
        l,
        "import-detection-next",
        percent = percent,
        others = others.join("、")
    )
}

/// How the file's times are read. English is the reader's own sentence
/// ([`Plan::time_rule`](crate::ingest::Plan::time_rule), as the command line prints it); the
/// catalog says the same in Japanese.
fn time_rule(l: Lang, plan: &crate::ingest::Plan) -> String {
    use crate::ingest::{Format, ZoneHow};
    if l == Lang::En {
        return plan.time_rule();
    }
    let how = match plan.zone_how {
        ZoneHow::Declared => tr!(l, "import-zone-how-declared"),
        ZoneHow::Profile => tr!(l, "import-zone-how-profile"),
        ZoneHow::Default => tr!(l, "import-zone-how-default"),
    };
    if plan.format == Format::Parquet {
        return tr!(l, "import-time-rule-parquet", zone = &plan.zone, how = how);
    }
    let mut s = tr!(l, "import-time-rule", zone = &plan.zone, how = how);
    if let Some(f) = &plan.time_format {
        s.push_str(&tr!(
            l,
            "import-time-rule-format",
            format = format!("{f:?}")
        ));
    }
    if plan.format == Format::Syslog {
        let how = if plan.year_declared {
            tr!(l, "import-year-declared")
        } else {
            tr!(l, "import-year-default")
        };
        s.push_str(&tr!(
            l,
            "import-time-rule-syslog",
            year = plan.reference_year().to_string(),
            how = how
        ));
    }
    s
}

/// Where the records' unmapped fields are kept.
fn unmapped_fields(l: Lang, plan: &crate::ingest::Plan) -> String {
    match (l, plan.extras_in_original) {
        (Lang::En, _) => plan.unmapped_fields().to_string(),
        (_, true) => tr!(l, "import-unmapped-original"),
        (_, false) => tr!(l, "import-unmapped-stored"),
    }
}

/// A field's column: none, or one of the file's headers.
fn column_choice_ui(
    l: Lang,
    label: &str,
    field: &str,
    current: &str,
    headers: &[String],
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    egui::ComboBox::new(("import_column", field), label)
        .selected_text(if current.is_empty() {
            "—".to_string()
        } else {
            current.to_string()
        })
        .width(150.0)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(current.is_empty(), tr!(l, "import-none"))
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
    let l = ctx.lang;
    let list_sep = if l == Lang::Ja { "、" } else { ", " };
    if !p.rows.is_empty() {
        ui.label(
            RichText::new(tr!(
                l,
                "import-first-rows",
                rows = tr!(l, "count-rows", count = p.rows.len()),
                zone = ctx.zone_name
            ))
            .strong(),
        );
        egui::Grid::new("import_rows").striped(true).show(ui, |ui| {
            for h in [
                "import-col-line",
                "import-col-time",
                "import-col-raw",
                "import-col-account",
                "import-col-system",
                "import-col-action",
                "import-col-object",
                "import-col-categories",
                "import-col-outcome",
            ] {
                ui.label(RichText::new(crate::i18n::t(l, h)).weak());
            }
            ui.end_row();
            for e in &p.rows {
                let categories: Vec<String> = p
                    .vocabulary
                    .names(e.categories)
                    .iter()
                    .map(|c| category_name(l, c))
                    .collect();
                ui.label(e.line.to_string());
                ui.label(format_in_zone(l, e.ts_us, ctx.zone));
                ui.label(e.raw_ts.as_str());
                ui.label(e.account.as_deref().unwrap_or("-"));
                ui.label(e.system.as_deref().unwrap_or("-"));
                ui.label(e.action.as_deref().unwrap_or("-"));
                ui.label(e.object.as_deref().unwrap_or("-"));
                ui.label(categories.join(list_sep));
                ui.label(
                    e.outcome
                        .as_ref()
                        .map_or_else(|| "-".to_string(), |o| outcome_name(l, o.as_str())),
                );
                ui.end_row();
            }
        });
    }
    if !p.roster_rows.is_empty() {
        ui.label(
            RichText::new(tr!(
                l,
                "import-first-roster-rows",
                rows = tr!(l, "count-rows", count = p.roster_rows.len())
            ))
            .strong(),
        );
        for (line, row) in &p.roster_rows {
            ui.label(tr!(l, "import-line", line = line.to_string(), text = row));
        }
    }
    if !p.rejects.is_empty() {
        ui.label(
            RichText::new(tr!(
                l,
                "import-would-reject",
                rows = tr!(l, "count-rows", count = p.rejects.len())
            ))
            .strong(),
        );
        for r in &p.rejects {
            ui.label(tr!(
                l,
                "import-line",
                line = r.line.to_string(),
                text = crate::i18n::reject_reason(l, &r.reason)
            ));
        }
    }
}

/// What the file is read as: detected, or picked (an access log or a roster kind).
fn kind_ui(l: Lang, p: &Preview, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let current = p.choices.kind;
    let shown = match current {
        Some(k) => kind_label(l, k),
        None => tr!(l, "import-detected-kind", kind = kind_label(l, p.plan.kind)),
    };
    egui::ComboBox::new("import_read_as", tr!(l, "import-read-as"))
        .selected_text(shown)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(current.is_none(), tr!(l, "import-detect-from-header"))
                .clicked()
            {
                out.push(Command::SetImportKind(None));
            }
            for k in SourceKind::ALL {
                if ui
                    .selectable_label(current == Some(k), kind_label(l, k))
                    .clicked()
                {
                    out.push(Command::SetImportKind(Some(k)));
                }
            }
        });
}

/// A roster's mapping: one drop-down per roster field, listing the file's headers.
fn roster_mapping_ui(
    l: Lang,
    plan: &crate::ingest::Plan,
    r: &crate::ingest::roster_map::RosterMapping,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let (required, _) = crate::ingest::roster_map::columns(plan.kind);
    ui.label(
        RichText::new(tr!(
            l,
            "import-roster-mapping",
            kind = kind_label(l, plan.kind)
        ))
        .strong(),
    );
    egui::Grid::new("import_roster_mapping")
        .num_columns(4)
        .show(ui, |ui| {
            for (i, field) in crate::ingest::roster_map::fields(plan.kind).enumerate() {
                let current = r.get(field).unwrap_or_default().to_string();
                let label = if required.contains(&field) {
                    tr!(l, "import-required-field", field = field_label(l, field))
                } else {
                    field_label(l, field)
                };
                column_choice_ui(l, &label, field, &current, &plan.headers, ui, out);
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
    let missing = r.missing(plan.kind);
    if !missing.is_empty() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            tr!(l, "import-required-missing", fields = missing.join(", ")),
        );
    }
}

fn outcomes_ui(ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let outcomes = &ctx.import.outcomes;
    if outcomes.is_empty() {
        return;
    }
    let l = ctx.lang;
    ui.heading(tr!(l, "import-result"));
    if let Some(kept) = &ctx.import.kept {
        ui.label(RichText::new(kept).weak());
    }
    for o in outcomes {
        match &o.result {
            Ok(r) => {
                ui.label(tr!(
                    l,
                    "import-result-row",
                    file = &o.file,
                    rows = tr!(l, "count-rows", count = r.result.rows_read),
                    imported = r.result.rows_imported,
                    rejected = r.result.rows_rejected
                ));
                if !r.unread_columns.is_empty() {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        tr!(
                            l,
                            "import-result-not-read",
                            file = &o.file,
                            columns = r.unread_columns.join(", ")
                        ),
                    );
                }
                for n in &r.notes {
                    ui.label(tr!(l, "import-result-note", file = &o.file, note = n));
                }
                if r.result.rows_rejected > 0
                    && ui
                        .link(tr!(
                            l,
                            "import-rejected-show",
                            count = r.result.rows_rejected,
                            file = &o.file
                        ))
                        .on_hover_text(tr!(l, "import-rejected-show-tip"))
                        .clicked()
                {
                    out.push(Command::Rejects(RejectsCommand::Show {
                        source: Some(r.result.source_id),
                        mentions_only: false,
                    }));
                }
                if !o.rejects().is_empty() {
                    egui::CollapsingHeader::new(tr!(
                        l,
                        "import-rejects-of",
                        file = &o.file,
                        count = o.rejects().len()
                    ))
                    .id_salt(("import_rejects_of", &o.file))
                    .show(ui, |ui| {
                        for rj in o.rejects() {
                            ui.label(tr!(
                                l,
                                "import-line",
                                line = rj.line.to_string(),
                                text = crate::i18n::reject_reason(l, &rj.reason)
                            ));
                            ui.label(RichText::new(&rj.raw).monospace().weak());
                        }
                    });
                }
            }
            Err(e) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    tr!(l, "import-not-imported", file = &o.file, error = e),
                );
                if o.already_imported
                    && !ctx.review
                    && ui
                        .add_enabled(
                            !ctx.jobs.is_running(Task::Import),
                            egui::Button::new(tr!(l, "import-again", file = &o.file)),
                        )
                        .on_hover_text(tr!(l, "import-again-tip"))
                        .clicked()
                {
                    out.push(Command::ForceImport(o.path.clone()));
                }
            }
        }
    }
}
