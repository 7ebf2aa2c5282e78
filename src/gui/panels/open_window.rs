//! The open/new case window: a typed path (works where no file dialog is available), the
//! file-dialog buttons, and the recent cases.

use std::path::PathBuf;

use crate::gui::app::ViewContext;
use crate::gui::command::Command;
use crate::gui::state::PathPurpose;
use crate::tr;

#[derive(Default)]
pub struct OpenWindow {
    pub open: bool,
    path: String,
    /// The typed path was filled from the remembered case path this time the window opened.
    prefilled: bool,
}

impl OpenWindow {
    pub fn window_ui(&mut self, ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        if !self.open {
            self.prefilled = false;
            return;
        }
        if !self.prefilled {
            self.prefilled = true;
            if let Some(p) = ctx.settings.last_path(PathPurpose::Case) {
                self.path = p.display().to_string();
            }
        }
        let mut open = self.open;
        egui::Window::new(tr!(ctx.lang, "open-title"))
            .constrain_to(super::desk(ui.ctx()))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ui.ctx(), |ui| {
                let label = ui.label(tr!(ctx.lang, "open-path"));
                let edit = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.path)
                            .hint_text("/path/to/case.retrace")
                            .desired_width(420.0),
                    )
                    .labelled_by(label.id);
                let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let path = PathBuf::from(self.path.trim());
                let has_path = !self.path.trim().is_empty();
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(has_path, egui::Button::new(tr!(ctx.lang, "open-open")))
                        .clicked()
                        || (entered && has_path)
                    {
                        out.push(Command::OpenCase(path.clone()));
                        out.push(Command::ShowOpenWindow(false));
                    }
                    if ui
                        .add_enabled(has_path, egui::Button::new(tr!(ctx.lang, "open-create")))
                        .clicked()
                    {
                        out.push(Command::NewCase(path.clone()));
                        out.push(Command::ShowOpenWindow(false));
                    }
                    ui.separator();
                    if ui.button(tr!(ctx.lang, "open-browse")).clicked() {
                        out.push(Command::PickCaseFile { create: false });
                    }
                    if ui
                        .button(tr!(ctx.lang, "open-browse-new"))
                        .on_hover_text(tr!(ctx.lang, "open-browse-new-tip"))
                        .clicked()
                    {
                        out.push(Command::PickCaseFile { create: true });
                    }
                });
                if !ctx.settings.recent_cases.is_empty() {
                    ui.separator();
                    ui.label(tr!(ctx.lang, "open-recent"));
                    for p in &ctx.settings.recent_cases {
                        if ui.link(p.display().to_string()).clicked() {
                            out.push(Command::OpenCase(p.clone()));
                            out.push(Command::ShowOpenWindow(false));
                        }
                    }
                }
            });
        if !open {
            out.push(Command::ShowOpenWindow(false));
        }
    }
}
