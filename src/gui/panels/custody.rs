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
use crate::model::plural::{count, grouped};
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
            .default_height(560.0)
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
                check_ui(ctx, ui, out);
                ui.separator();
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

/// "Verify chain" and its last answer: the custody checks of `retrace verify`, run as a job.
fn check_ui(ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let state = &ctx.trail.custody;
    let running = ctx.jobs.is_running(Task::CustodyCheck);
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(!running, egui::Button::new("Verify chain"))
            .on_hover_text(
                "Check the hash chain, every signature, and the case's sources, decisions, parameters, report texts and annotations against the entries that recorded them (the custody checks of retrace verify)",
            )
            .clicked()
        {
            out.push(Command::Trail(TrailCommand::VerifyCustody));
        }
        if running {
            ui.spinner();
            ui.label("verifying…");
        }
        match &state.check {
            None => {}
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, format!("Not verified: {e}"));
            }
            Some(Ok(c)) if c.problems.is_empty() => {
                let signed = &c.signatures;
                ui.colored_label(
                    egui::Color32::from_rgb(0x2c, 0xa0, 0x2c),
                    format!(
                        "Verified: {} — chain intact, {} signed ({}), {} unsigned; every record matches its entry.",
                        count(c.entries, "entry", "entries"),
                        grouped(signed.signed),
                        count(signed.keys.len(), "key", "keys"),
                        grouped(signed.unsigned)
                    ),
                );
            }
            Some(Ok(c)) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!(
                        "NOT verified: {} in {}",
                        count(c.problems.len(), "problem", "problems"),
                        count(c.entries, "entry", "entries")
                    ),
                );
            }
        }
    });
    if let Some(Ok(c)) = &state.check {
        for p in &c.problems {
            ui.add(
                egui::Label::new(
                    RichText::new(format!("{}: {}", p.what, p.why))
                        .color(ui.visuals().error_fg_color),
                )
                .wrap(),
            );
        }
        if let Some(Ok(now)) = state.log()
            && now.len() != c.entries
        {
            ui.label(
                RichText::new(format!(
                    "The log has {} now: verify again.",
                    count(now.len(), "entry", "entries")
                ))
                .weak(),
            );
        }
    }
}

/// The log's entries, newest first: time, investigator, action and what it records, readable;
/// the details (JSON), hashes and signature under each, wrapped and selectable.
fn entries_ui(ctx: &ViewContext<'_>, entries: &[CustodyEntry], ui: &mut egui::Ui) {
    ui.label(format!(
        "{}, newest first (times in {})",
        count(entries.len(), "entry", "entries"),
        ctx.zone_name
    ));
    egui::ScrollArea::vertical()
        .id_salt("custody-entries")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for e in entries.iter().rev() {
                entry_ui(ctx, e, ui);
                ui.separator();
            }
        });
}

fn entry_ui(ctx: &ViewContext<'_>, e: &CustodyEntry, ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("#{}", e.id)).weak());
        ui.label(format_in_zone(e.at_us, ctx.zone));
        ui.strong(&e.actor);
        ui.label(RichText::new(&e.action).strong().monospace());
    });
    ui.add(egui::Label::new(what(&e.action, &e.details)).wrap());
    egui::CollapsingHeader::new("details")
        .id_salt(("custody-entry", e.id))
        .show(ui, |ui| {
            let pretty = serde_json::from_str::<serde_json::Value>(&e.details)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .unwrap_or_else(|| e.details.clone());
            ui.add(egui::Label::new(RichText::new(pretty).monospace()).wrap());
            let signature = match (&e.key_fingerprint, &e.signature) {
                (Some(fp), Some(sig)) => format!("signed by key {fp}: {sig}"),
                _ => "unsigned".to_string(),
            };
            let hashes = format!("hash     {}\nprevious {}\n{signature}", e.hash, e.prev_hash);
            ui.add(egui::Label::new(RichText::new(hashes).monospace()).wrap());
        });
}

/// What an entry records, in words, from its action and details.
fn what(action: &str, details: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
    let s = |k: &str| match &v[k] {
        serde_json::Value::Null => "?".to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let n = |k: &str| v[k].as_u64().unwrap_or(0);
    match action {
        "import" => format!(
            "imported {} ({}): {} read, {} imported, {} rejected",
            s("file"),
            s("kind"),
            count(n("rows_read"), "row", "rows"),
            grouped(n("rows_imported")),
            grouped(n("rows_rejected"))
        ),
        "export" => format!(
            "exported {} as {} into the folder {} (redaction {})",
            count(n("rows"), "event", "events"),
            s("format"),
            s("dir_name"),
            s("redaction")
        ),
        "annotate" => match v["event_id"].as_i64() {
            Some(id) => format!("{} on event {id}: {}", s("kind"), s("text")),
            None => format!("{} on a time range: {}", s("kind"), s("text")),
        },
        "report_text" => format!(
            "report text {} ({}): {}",
            s("section"),
            s("lang"),
            count(n("chars"), "character", "characters")
        ),
        _ => scalars(&v),
    }
}

/// The details' plain fields as `key: value`, for actions without their own wording.
fn scalars(v: &serde_json::Value) -> String {
    let Some(map) = v.as_object() else {
        return v.to_string();
    };
    map.iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(format!("{k}: {s}")),
            serde_json::Value::Array(a) => {
                Some(format!("{k}: {}", count(a.len(), "item", "items")))
            }
            serde_json::Value::Object(_) => Some(format!("{k}: …")),
            other => Some(format!("{k}: {other}")),
        })
        .collect::<Vec<_>>()
        .join(" · ")
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
