//! The data-subject lookup window: type or paste identifiers (user id, phone, e-mail), or load
//! a file of them; every event that touched each subject, or the logs' coverage when none did;
//! CSV export of the answers. Reads the open case's lookup state; sends commands.

use egui::RichText;

use crate::analysis::subject::{SubjectAnswer, parse_identifier_list};
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::gui::lookup::LookupCommand;
use crate::gui::rejects::RejectsCommand;
use crate::gui::state::PathPurpose;
use crate::i18n::format_in_zone;
use crate::tr;

/// What the window keeps for itself: the identifiers being typed and the answer shown.
#[derive(Default)]
pub struct SubjectPanel {
    pub text: String,
    pub shown: usize,
    /// Typed paths, for systems without a file dialog: the identifier file, the CSV.
    list_path: String,
    csv_path: String,
    /// The typed paths were filled from the remembered ones.
    prefilled: bool,
}

impl SubjectPanel {
    /// A typed path beside each file dialog: the identifier file to load, the CSV to save.
    fn paths_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        answered: bool,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        if !self.prefilled {
            self.prefilled = true;
            let remembered = |purpose| {
                ctx.settings
                    .last_path(purpose)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            };
            self.list_path = remembered(PathPurpose::SubjectList);
            self.csv_path = remembered(PathPurpose::SubjectCsv);
        }
        let lang = ctx.lang;
        // Rows, not a grid: a grid column keeps a text field at its first, tiny width.
        ui.horizontal(|ui| {
            let label = ui.label(tr!(lang, "subject-file"));
            ui.add(
                egui::TextEdit::singleline(&mut self.list_path)
                    .hint_text("/path/to/identifiers.txt")
                    .desired_width(360.0),
            )
            .labelled_by(label.id)
            .on_hover_text(tr!(lang, "subject-file-tip"));
            let typed = self.list_path.trim();
            if ui
                .add_enabled(
                    !typed.is_empty(),
                    egui::Button::new(tr!(lang, "subject-load")),
                )
                .clicked()
            {
                self.shown = 0;
                out.push(Command::Lookup(LookupCommand::LoadSubjectFile(
                    typed.into(),
                )));
            }
            if ui.button(tr!(lang, "subject-browse")).clicked() {
                self.shown = 0;
                out.push(Command::Lookup(LookupCommand::PickSubjectFile));
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(tr!(lang, "subject-csv"));
            ui.add(
                egui::TextEdit::singleline(&mut self.csv_path)
                    .hint_text("/path/to/subject-lookup.csv")
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
            let typed = self.csv_path.trim();
            if ui
                .add_enabled(
                    answered && !typed.is_empty(),
                    egui::Button::new(tr!(lang, "subject-save-csv")),
                )
                .clicked()
            {
                out.push(Command::Lookup(LookupCommand::SaveSubjectCsvTo(
                    typed.into(),
                )));
            }
            if ui
                .add_enabled(answered, egui::Button::new(tr!(lang, "subject-export-csv")))
                .clicked()
            {
                out.push(Command::Lookup(LookupCommand::SaveSubjectCsv));
            }
        });
    }

    pub fn window_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let l = &case.lookup;
        if !l.subject_window_open {
            return;
        }
        let mut open = true;
        egui::Window::new(tr!(ctx.lang, "subject-title"))
            .constrain_to(super::desk(ui.ctx()))
            .id(egui::Id::unique("subject-window"))
            .open(&mut open)
            .default_size([760.0, 520.0])
            .resizable(true)
            .show(ui.ctx(), |ui| {
                ui.label(tr!(ctx.lang, "subject-intro"));
                let label = ui.label(tr!(ctx.lang, "subject-identifiers"));
                ui.add(
                    egui::TextEdit::multiline(&mut self.text)
                        .id_salt("subject-ids")
                        .hint_text("U84e8d9190810\n+62-803-0855-6353")
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                ui.horizontal(|ui| {
                    let ids = parse_identifier_list(&self.text);
                    if ui
                        .add_enabled(
                            !ids.is_empty(),
                            egui::Button::new(tr!(ctx.lang, "subject-look-up")),
                        )
                        .clicked()
                    {
                        self.shown = 0;
                        out.push(Command::Lookup(LookupCommand::LookUpSubjects(ids)));
                    }
                    if l.is_busy() {
                        ui.spinner();
                    }
                });
                self.paths_ui(ctx, l.subject_results.is_some(), ui, out);
                if let Some(e) = &l.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                if let Some(n) = &l.note {
                    ui.label(RichText::new(n).weak());
                }
                ui.separator();
                if let Some(r) = &l.subject_results {
                    let answers = &r.answers;
                    let touched = answers.iter().filter(|a| a.access_events > 0).count();
                    ui.label(tr!(
                        ctx.lang,
                        "subject-summary",
                        identifiers = answers.len(),
                        touched = touched,
                        untouched = answers.len() - touched,
                        ms = r.took.as_millis() as u64
                    ));
                    if answers.len() > 1 {
                        self.list_ui(answers, ui);
                        ui.separator();
                    }
                    if let Some(a) = answers.get(self.shown.min(answers.len().saturating_sub(1))) {
                        answer_ui(ctx, a, ui, out);
                    }
                }
            });
        if !open {
            out.push(Command::Lookup(LookupCommand::ShowSubjectLookup(false)));
        }
    }

    /// One row per identifier (virtualized); click to show its events below.
    fn list_ui(&mut self, answers: &[SubjectAnswer], ui: &mut egui::Ui) {
        let lang = crate::gui::lang::of(ui.ctx());
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        egui::ScrollArea::vertical()
            .id_salt("subject-list")
            .max_height(160.0)
            .auto_shrink([false, true])
            .show_rows(ui, row_h, answers.len(), |ui, range| {
                for i in range {
                    let a = &answers[i];
                    let text = format!("{} — {}", a.query, a.message_in(lang));
                    if ui.selectable_label(self.shown == i, text).clicked() {
                        self.shown = i;
                    }
                }
            });
    }
}

/// The rejected rows of access logs that mention the subject, each a link to the rejects
/// viewer: in no count above, so the counts are at least.
fn rejected_rows_ui(a: &SubjectAnswer, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    if a.rejected_rows.is_empty() {
        return;
    }
    let lang = crate::gui::lang::of(ui.ctx());
    ui.label(
        RichText::new(tr!(lang, "subject-rejected", count = a.rejected_rows.len()))
            .color(ui.visuals().warn_fg_color),
    );
    for r in &a.rejected_rows {
        if ui
            .link(format!(
                "{}: {} — {}",
                r.place(),
                crate::i18n::reject_reason(lang, &r.row.reason),
                r.mentions_text_in(lang)
            ))
            .on_hover_text(r.row.raw.as_str())
            .clicked()
        {
            out.push(Command::Rejects(RejectsCommand::ShowRow {
                source: r.row.source_id,
                line: r.row.line,
            }));
        }
    }
}

fn answer_ui(ctx: &ViewContext<'_>, a: &SubjectAnswer, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let who = match &a.subject {
        Some(s) => tr!(
            ctx.lang,
            "subject-who",
            key = s.key.as_str(),
            kind = s.kind.as_str(),
            country = crate::i18n::country_or_unknown(ctx.lang, s.country.as_deref()),
            alias = if a.via_alias { "yes" } else { "no" }
        ),
        None => tr!(ctx.lang, "subject-not-in-roster"),
    };
    ui.strong(format!(
        "{} → {}: {}",
        a.query,
        a.normalized.as_deref().unwrap_or("—"),
        who
    ));
    let color = if a.hits.is_empty() {
        ui.visuals().warn_fg_color
    } else {
        ui.visuals().text_color()
    };
    ui.label(RichText::new(a.message_in(ctx.lang)).color(color));
    rejected_rows_ui(a, ui, out);
    if a.hits.is_empty() {
        return;
    }
    egui::ScrollArea::both()
        .id_salt("subject-hits")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Grid::new("subject-hits-grid")
                .num_columns(7)
                .striped(true)
                .show(ui, |ui| {
                    let l = ctx.lang;
                    for h in [
                        tr!(l, "subject-col-event"),
                        tr!(l, "subject-col-time", zone = ctx.zone_name),
                        tr!(l, "subject-col-who"),
                        tr!(l, "subject-col-from"),
                        tr!(l, "subject-col-system"),
                        tr!(l, "subject-col-categories"),
                        tr!(l, "subject-col-outcome"),
                    ] {
                        ui.label(RichText::new(h).small().strong());
                    }
                    ui.end_row();
                    for h in &a.hits {
                        if ui
                            .link(format!("#{}", h.event_id))
                            .on_hover_text(tr!(l, "subject-select-tip"))
                            .clicked()
                        {
                            out.push(Command::SelectEvent {
                                id: h.event_id,
                                ts_us: h.ts_us,
                                scroll_table: true,
                            });
                        }
                        ui.label(format_in_zone(l, h.ts_us, ctx.zone));
                        ui.label(match (&h.person_key, &h.person_name) {
                            (Some(k), Some(n)) => format!("{k} {n}"),
                            _ => tr!(
                                l,
                                "subject-unmapped",
                                account = h.account.as_deref().unwrap_or("?")
                            ),
                        });
                        ui.label(crate::i18n::country_or_unknown(
                            l,
                            h.actor_country.as_deref(),
                        ));
                        ui.label(format!(
                            "{} ({})",
                            h.system.as_deref().unwrap_or("?"),
                            crate::i18n::country_or_unknown(l, h.system_country.as_deref())
                        ));
                        ui.label(crate::i18n::category_list(l, &h.categories));
                        ui.label(
                            h.outcome
                                .as_ref()
                                .map_or("—".into(), |o| crate::i18n::outcome_name(l, o.as_str())),
                        );
                        ui.end_row();
                    }
                });
        });
}
