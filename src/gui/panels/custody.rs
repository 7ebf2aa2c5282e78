//! The custody window (the case's hash-chained log of imports, exports, annotations, report
//! edits and sign-offs, newest last) and the annotation controls under the detail pane: star,
//! tag or note the selected event or the selected time range. Reads and writes run on named
//! threads; every write is refused for a case opened for review.

use std::path::PathBuf;

use egui::RichText;

use crate::case::{Annotation, AnnotationKind, AnnotationTarget, Case, CustodyEntry};
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::background::Job;
use crate::gui::command::Command;
use crate::gui::settings::Investigator;
use crate::model::time::format_in_zone;

use super::export::TrailCommand;

#[derive(Default)]
pub struct CustodyPanel {
    pub open: bool,
    /// Reload the log and the annotations on the next frame.
    pub stale: bool,
    loaded_for: Option<PathBuf>,
    entries: Option<Result<Vec<CustodyEntry>, String>>,
    annotations: Vec<Annotation>,
    load_job: Option<Job<(Vec<CustodyEntry>, Vec<Annotation>)>>,
    write_job: Option<Job<i64>>,
    tag: String,
    note: String,
    message: Option<(bool, String)>,
}

impl CustodyPanel {
    /// The log as last loaded (tests).
    pub fn entries(&self) -> Option<&[CustodyEntry]> {
        self.entries.as_ref().and_then(|r| r.as_deref().ok())
    }

    /// The case's annotations as last loaded.
    pub fn annotations(&self) -> &[Annotation] {
        &self.annotations
    }

    /// Whether a load or a write is running (tests).
    pub fn is_busy(&self) -> bool {
        self.load_job.is_some() || self.write_job.is_some()
    }

    fn poll(&mut self, case: &OpenCase, egui_ctx: &egui::Context) {
        if let Some(job) = &self.write_job
            && let Some(r) = job.poll()
        {
            self.write_job = None;
            match r {
                Ok(id) => {
                    self.message = Some((false, format!("Annotation {id} saved and logged.")));
                    self.tag.clear();
                    self.note.clear();
                }
                Err(e) => self.message = Some((true, format!("{e:#}"))),
            }
            self.stale = true;
        }
        if let Some(job) = &self.load_job
            && let Some(r) = job.poll()
        {
            self.load_job = None;
            match r {
                Ok((entries, annotations)) => {
                    self.entries = Some(Ok(entries));
                    self.annotations = annotations;
                }
                Err(e) => self.entries = Some(Err(format!("{e:#}"))),
            }
        }
        let path = &case.info.path;
        if (self.stale || self.loaded_for.as_ref() != Some(path)) && self.load_job.is_none() {
            self.stale = false;
            self.loaded_for = Some(path.clone());
            let p = path.clone();
            if let Ok(job) = Job::start("retrace-custody", "custody log", egui_ctx, move |_, _| {
                let c = Case::open_read_only(&p)?;
                Ok((c.custody_entries()?, c.annotations()?))
            }) {
                self.load_job = Some(job);
            }
        }
    }

    pub fn window_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let egui_ctx = ui.ctx().clone();
        self.poll(case, &egui_ctx);
        if !self.open {
            return;
        }
        let mut open = self.open;
        egui::Window::new("Custody log")
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
                        self.stale = true;
                    }
                });
                ui.label(signing_key_line());
                match &self.entries {
                    None => {
                        ui.spinner();
                    }
                    Some(Err(e)) => {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                    }
                    Some(Ok(entries)) => {
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
                                        ui.label(
                                            RichText::new(&e.hash[..12.min(e.hash.len())])
                                                .monospace(),
                                        )
                                        .on_hover_text(format!(
                                            "hash {}\nprevious {}",
                                            e.hash, e.prev_hash
                                        ));
                                        let d: String = e.details.chars().take(140).collect();
                                        ui.label(RichText::new(d).small())
                                            .on_hover_text(&e.details);
                                        ui.end_row();
                                    }
                                });
                        });
                    }
                }
            });
        if !open {
            out.push(Command::Trail(TrailCommand::ShowCustody(false)));
        }
    }

    fn start_write(
        &mut self,
        case: &OpenCase,
        target: AnnotationTarget,
        kind: AnnotationKind,
        text: String,
        author: String,
        egui_ctx: &egui::Context,
    ) {
        let path = case.info.path.clone();
        match Job::start("retrace-annotate", "annotation", egui_ctx, move |_, _| {
            let mut c = Case::open(&path)?;
            Ok(c.add_annotation(target, kind, &text, &author)?)
        }) {
            Ok(job) => self.write_job = Some(job),
            Err(e) => self.message = Some((true, format!("cannot start a thread: {e}"))),
        }
    }

    /// Star / tag / note for the selected event, or for the selected time range.
    pub fn annotate_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        investigator: &mut Investigator,
        ui: &mut egui::Ui,
    ) {
        let egui_ctx = ui.ctx().clone();
        self.poll(case, &egui_ctx);
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
        let Some(target) = target else {
            return;
        };
        // This target's annotations.
        let mine: Vec<&Annotation> = self
            .annotations
            .iter()
            .filter(|a| a.target == target)
            .collect();
        for a in &mine {
            let mark = match a.kind {
                AnnotationKind::Star => "★".to_string(),
                AnnotationKind::Tag => format!("🏷 {}", a.text),
                AnnotationKind::Note => format!("📝 {}", a.text),
            };
            ui.label(format!(
                "{mark}  — {}, {}",
                a.author,
                format_in_zone(a.created_us, ctx.zone)
            ));
        }
        if ctx.review {
            ui.label(RichText::new("Opened for review: annotations cannot be added.").weak());
            return;
        }
        let Some(name) = investigator.ask_ui(ui) else {
            return;
        };
        let busy = self.write_job.is_some();
        ui.horizontal(|ui| {
            if ui.add_enabled(!busy, egui::Button::new("★ Star")).clicked() {
                self.start_write(
                    case,
                    target,
                    AnnotationKind::Star,
                    String::new(),
                    name.clone(),
                    &egui_ctx,
                );
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
                let t = self.tag.trim().to_string();
                self.start_write(
                    case,
                    target,
                    AnnotationKind::Tag,
                    t,
                    name.clone(),
                    &egui_ctx,
                );
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
                let t = self.note.trim().to_string();
                self.start_write(
                    case,
                    target,
                    AnnotationKind::Note,
                    t,
                    name.clone(),
                    &egui_ctx,
                );
            }
        });
        if let Some((error, m)) = &self.message {
            if *error {
                ui.colored_label(ui.visuals().error_fg_color, m);
            } else {
                ui.label(RichText::new(m).weak());
            }
        }
    }
}

/// The key this app signs custody entries with, for the investigator to hand on (`retrace
/// verify --trust FINGERPRINT`).
pub fn signing_key_line() -> String {
    match crate::signing::process_key() {
        Ok(Some(k)) => format!("Your signing key: {} (Ed25519)", k.fingerprint()),
        Ok(None) => "No signing key: entries this app writes are unsigned.".into(),
        Err(e) => format!("{e}"),
    }
}
