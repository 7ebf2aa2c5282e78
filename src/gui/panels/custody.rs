//! The custody window (the case's hash-chained log of imports, exports, annotations, report
//! edits and sign-offs, newest last) and the annotation controls under the detail pane: star,
//! tag or note the selected event or the selected time range. The panel reads the app's
//! [`crate::gui::trail::CustodyState`] and sends commands; the app reads and writes the case in
//! jobs, and refuses every write for a case opened for review.

use egui::RichText;

use crate::case::{Annotation, AnnotationKind, AnnotationTarget, CustodyEntry};
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::gui::runner::Task;
use crate::gui::trail::TrailCommand;
use crate::model::time::format_in_zone;

use super::NameField;

/// What the panel keeps for itself: the tag and the note being typed.
#[derive(Default)]
pub struct CustodyPanel {
    tag: String,
    note: String,
    /// The app's count of annotations saved, when the fields were last cleared.
    written: u64,
}

impl CustodyPanel {
    pub fn window_ui(&mut self, ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let state = &ctx.trail.custody;
        if !state.open {
            return;
        }
        let mut open = true;
        egui::Window::new("Custody log")
            .constrain_to(super::desk(ui.ctx()))
            .open(&mut open)
            .default_width(820.0)
            .default_height(420.0)
            .show(ui.ctx(), |ui| {
                ui.horizontal(|ui| {
                    ui.label(format!(
                        "Every import, export, annotation, report edit and sign-off, hash-chained (times in {}).",
                        ctx.zone_name
                    ));
                    if ui.button("Reload").clicked() {
                        out.push(Command::Trail(TrailCommand::ReloadCustody));
                    }
                });
                ui.label(&state.key_line);
                match state.log() {
                    None => {
                        ui.spinner();
                    }
                    Some(Err(e)) => {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                    }
                    Some(Ok(entries)) => entries_ui(ctx, entries, ui),
                }
            });
        if !open {
            out.push(Command::Trail(TrailCommand::ShowCustody(false)));
        }
    }

    /// Star / tag / note for the selected event, or for the selected time range.
    pub fn annotate_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        name: &mut NameField,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let state = &ctx.trail.custody;
        if state.written != self.written {
            self.written = state.written;
            self.tag.clear();
            self.note.clear();
        }
        let Some(target) = target_ui(ctx, case, ui) else {
            return;
        };
        // This target's annotations.
        for a in state.annotations().iter().filter(|a| a.target == target) {
            annotation_ui(ctx, a, ui);
        }
        if ctx.review {
            ui.label(RichText::new("Opened for review: annotations cannot be added.").weak());
            return;
        }
        if name.ask_ui(&ctx.trail.investigator, ui, out).is_none() {
            return;
        }
        let busy = ctx.jobs.is_running(Task::Annotate);
        let write =
            |kind, text: String| Command::Trail(TrailCommand::Annotate { target, kind, text });
        ui.horizontal(|ui| {
            if ui.add_enabled(!busy, egui::Button::new("★ Star")).clicked() {
                out.push(write(AnnotationKind::Star, String::new()));
            }
            ui.add(
                egui::TextEdit::singleline(&mut self.tag)
                    .hint_text("tag")
                    .desired_width(90.0),
            );
            if ui
                .add_enabled(
                    !busy && !self.tag.trim().is_empty(),
                    egui::Button::new("Add tag"),
                )
                .clicked()
            {
                out.push(write(AnnotationKind::Tag, self.tag.trim().to_string()));
            }
        });
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.note)
                    .hint_text("note")
                    .desired_width(200.0),
            );
            if ui
                .add_enabled(
                    !busy && !self.note.trim().is_empty(),
                    egui::Button::new("Add note"),
                )
                .clicked()
            {
                out.push(write(AnnotationKind::Note, self.note.trim().to_string()));
            }
        });
        if let Some((error, m)) = &state.message {
            if *error {
                ui.colored_label(ui.visuals().error_fg_color, m);
            } else {
                ui.label(RichText::new(m).weak());
            }
        }
    }
}

/// The log's rows.
fn entries_ui(ctx: &ViewContext<'_>, entries: &[CustodyEntry], ui: &mut egui::Ui) {
    ui.label(format!("{} entries", entries.len()));
    egui::ScrollArea::both().show(ui, |ui| {
        egui::Grid::new("custody-grid")
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                for h in ["#", "time", "investigator", "action", "hash", "details"] {
                    ui.strong(h);
                }
                ui.end_row();
                for e in entries {
                    ui.label(e.id.to_string());
                    ui.label(format_in_zone(e.at_us, ctx.zone));
                    ui.label(&e.actor);
                    ui.label(&e.action);
                    ui.label(RichText::new(&e.hash[..12.min(e.hash.len())]).monospace())
                        .on_hover_text(format!("hash {}\nprevious {}", e.hash, e.prev_hash));
                    let d: String = e.details.chars().take(140).collect();
                    ui.label(RichText::new(d).small()).on_hover_text(&e.details);
                    ui.end_row();
                }
            });
    });
}

/// What an annotation would be about: the selected event, else the selected range.
fn target_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    ui: &mut egui::Ui,
) -> Option<AnnotationTarget> {
    let target = match (case.view.selected, case.view.selection) {
        (Some((id, _)), _) => Some(AnnotationTarget::Event(id)),
        (None, Some((a, b))) => Some(AnnotationTarget::Range {
            from_us: a,
            to_us: b,
        }),
        _ => None,
    };
    ui.horizontal(|ui| {
        ui.strong("Annotate");
        match target {
            Some(AnnotationTarget::Event(id)) => ui.label(format!("event {id}")),
            Some(AnnotationTarget::Range { from_us, to_us }) => ui.label(format!(
                "range {} — {}",
                format_in_zone(from_us, ctx.zone),
                format_in_zone(to_us, ctx.zone)
            )),
            None => ui.label(RichText::new("select an event or shift-drag a range").weak()),
        };
    });
    target
}

fn annotation_ui(ctx: &ViewContext<'_>, a: &Annotation, ui: &mut egui::Ui) {
    let mark = match a.kind {
        AnnotationKind::Star => "★".to_string(),
        // Words, not emoji: the bundled fonts have no tag or memo glyph.
        AnnotationKind::Tag => format!("tag: {}", a.text),
        AnnotationKind::Note => format!("note: {}", a.text),
    };
    ui.label(format!(
        "{mark}  — {}, {}",
        a.author,
        format_in_zone(a.created_us, ctx.zone)
    ));
}
