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
use crate::i18n::{Lang, format_in_zone};
use crate::tr;

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
        egui::Window::new(tr!(ctx.lang, "custody-title"))
            .constrain_to(super::desk(ui.ctx()))
            .open(&mut open)
            .default_width(820.0)
            .default_height(560.0)
            .show(ui.ctx(), |ui| {
                ui.horizontal(|ui| {
                    ui.label(tr!(ctx.lang, "custody-intro", zone = ctx.zone_name));
                    if ui.button(tr!(ctx.lang, "custody-reload")).clicked() {
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
            ui.label(RichText::new(tr!(ctx.lang, "annotate-review")).weak());
            return;
        }
        if name.ask_ui(&ctx.trail.investigator, ui, out).is_none() {
            return;
        }
        let busy = ctx.jobs.is_running(Task::Annotate);
        let write =
            |kind, text: String| Command::Trail(TrailCommand::Annotate { target, kind, text });
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!busy, egui::Button::new(tr!(ctx.lang, "annotate-star")))
                .clicked()
            {
                out.push(write(AnnotationKind::Star, String::new()));
            }
            ui.add(
                egui::TextEdit::singleline(&mut self.tag)
                    .hint_text(tr!(ctx.lang, "annotate-tag-hint"))
                    .desired_width(90.0),
            );
            if ui
                .add_enabled(
                    !busy && !self.tag.trim().is_empty(),
                    egui::Button::new(tr!(ctx.lang, "annotate-add-tag")),
                )
                .clicked()
            {
                out.push(write(AnnotationKind::Tag, self.tag.trim().to_string()));
            }
        });
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.note)
                    .hint_text(tr!(ctx.lang, "annotate-note-hint"))
                    .desired_width(200.0),
            );
            if ui
                .add_enabled(
                    !busy && !self.note.trim().is_empty(),
                    egui::Button::new(tr!(ctx.lang, "annotate-add-note")),
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
    let l = ctx.lang;
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(!running, egui::Button::new(tr!(l, "custody-verify")))
            .on_hover_text(tr!(l, "custody-verify-tip"))
            .clicked()
        {
            out.push(Command::Trail(TrailCommand::VerifyCustody));
        }
        if running {
            ui.spinner();
            ui.label(tr!(l, "custody-verifying"));
        }
        match &state.check {
            None => {}
            Some(Err(e)) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    tr!(l, "custody-not-verified", error = e.to_string()),
                );
            }
            Some(Ok(c)) if c.problems.is_empty() => {
                let signed = &c.signatures;
                ui.colored_label(
                    egui::Color32::from_rgb(0x2c, 0xa0, 0x2c),
                    tr!(
                        l,
                        "custody-verified",
                        entries = c.entries,
                        signed = signed.signed,
                        keys = signed.keys.len(),
                        unsigned = signed.unsigned
                    ),
                );
            }
            Some(Ok(c)) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    tr!(
                        l,
                        "custody-problems",
                        problems = c.problems.len(),
                        entries = c.entries
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
            ui.label(RichText::new(tr!(l, "custody-grown", entries = now.len())).weak());
        }
    }
}

/// The log's entries, newest first: time, investigator, action and what it records, readable;
/// the details (JSON), hashes and signature under each, wrapped and selectable.
fn entries_ui(ctx: &ViewContext<'_>, entries: &[CustodyEntry], ui: &mut egui::Ui) {
    ui.label(tr!(
        ctx.lang,
        "custody-entries",
        entries = entries.len(),
        zone = ctx.zone_name
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
        ui.label(format_in_zone(ctx.lang, e.at_us, ctx.zone));
        ui.strong(&e.actor);
        ui.label(RichText::new(&e.action).strong().monospace());
    });
    ui.add(egui::Label::new(what(ctx.lang, &e.action, &e.details)).wrap());
    egui::CollapsingHeader::new(tr!(ctx.lang, "custody-details"))
        .id_salt(("custody-entry", e.id))
        .show(ui, |ui| {
            let pretty = serde_json::from_str::<serde_json::Value>(&e.details)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .unwrap_or_else(|| e.details.clone());
            ui.add(egui::Label::new(RichText::new(pretty).monospace()).wrap());
            let signature = match (&e.key_fingerprint, &e.signature) {
                (Some(fp), Some(sig)) => {
                    tr!(
                        ctx.lang,
                        "custody-signed-by",
                        key = fp.as_str(),
                        signature = sig.as_str()
                    )
                }
                _ => tr!(ctx.lang, "custody-unsigned"),
            };
            let hashes = format!("hash     {}\nprevious {}\n{signature}", e.hash, e.prev_hash);
            ui.add(egui::Label::new(RichText::new(hashes).monospace()).wrap());
        });
}

/// What an entry records, in words, from its action and details.
fn what(l: Lang, action: &str, details: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
    let s = |k: &str| match &v[k] {
        serde_json::Value::Null => "?".to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let n = |k: &str| v[k].as_u64().unwrap_or(0);
    match action {
        "import" => tr!(
            l,
            "custody-what-import",
            file = s("file"),
            kind = s("kind"),
            read = n("rows_read"),
            imported = n("rows_imported"),
            rejected = n("rows_rejected")
        ),
        "export" => tr!(
            l,
            "custody-what-export",
            events = n("rows"),
            format = s("format"),
            folder = s("dir_name"),
            redaction = s("redaction")
        ),
        "annotate" => match v["event_id"].as_i64() {
            Some(id) => tr!(
                l,
                "custody-what-annotate-event",
                kind = s("kind"),
                id = id.to_string(),
                text = s("text")
            ),
            None => tr!(
                l,
                "custody-what-annotate-range",
                kind = s("kind"),
                text = s("text")
            ),
        },
        "report_text" => tr!(
            l,
            "custody-what-report-text",
            section = s("section"),
            lang = s("lang"),
            chars = n("chars")
        ),
        _ => scalars(l, &v),
    }
}

/// The details' plain fields as `key: value`, for actions without their own wording.
fn scalars(l: Lang, v: &serde_json::Value) -> String {
    let Some(map) = v.as_object() else {
        return v.to_string();
    };
    map.iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(format!("{k}: {s}")),
            serde_json::Value::Array(a) => {
                Some(format!("{k}: {}", tr!(l, "count-items", count = a.len())))
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
        ui.strong(tr!(ctx.lang, "annotate-title"));
        match target {
            Some(AnnotationTarget::Event(id)) => {
                ui.label(tr!(ctx.lang, "annotate-event", id = id.to_string()))
            }
            Some(AnnotationTarget::Range { from_us, to_us }) => ui.label(tr!(
                ctx.lang,
                "annotate-range",
                from = format_in_zone(ctx.lang, from_us, ctx.zone),
                to = format_in_zone(ctx.lang, to_us, ctx.zone)
            )),
            None => ui.label(RichText::new(tr!(ctx.lang, "annotate-nothing")).weak()),
        };
    });
    target
}

fn annotation_ui(ctx: &ViewContext<'_>, a: &Annotation, ui: &mut egui::Ui) {
    let mark = match a.kind {
        AnnotationKind::Star => "★".to_string(),
        // Words, not emoji: the bundled fonts have no tag or memo glyph.
        AnnotationKind::Tag => tr!(ctx.lang, "annotate-tag-mark", text = a.text.as_str()),
        AnnotationKind::Note => tr!(ctx.lang, "annotate-note-mark", text = a.text.as_str()),
    };
    ui.label(format!(
        "{mark}  — {}, {}",
        a.author,
        format_in_zone(ctx.lang, a.created_us, ctx.zone)
    ));
}
