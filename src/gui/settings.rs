//! The investigator's name in the app: read from this machine's settings file (shared with
//! the CLI, see `ops::export::settings`), asked once when the first recorded action (an
//! export, an annotation, a report text) needs it, and saved there.

use crate::ops::export::settings;

/// The name the app writes to the custody log, and the field that asks for it.
#[derive(Debug, Clone, Default)]
pub struct Investigator {
    /// The name in use this session (loaded from settings on first use).
    name: Option<String>,
    loaded: bool,
    /// What is being typed in the prompt.
    draft: String,
    /// Whether to save the typed name in the machine's settings.
    pub remember: bool,
    pub error: Option<String>,
}

impl Investigator {
    /// The name, loading the saved one on first call.
    pub fn name(&mut self) -> Option<&str> {
        if !self.loaded {
            self.loaded = true;
            self.remember = true;
            if self.name.is_none() {
                self.name = settings::saved_investigator();
            }
        }
        self.name.as_deref()
    }

    /// Sets the name for this session (tests; or the prompt) without saving it.
    pub fn set_session_name(&mut self, name: &str) {
        self.loaded = true;
        self.name = Some(name.trim().to_string()).filter(|n| !n.is_empty());
    }

    /// A small form: the name in use, or a field asking for it. Returns the name when one is
    /// set.
    pub fn ask_ui(&mut self, ui: &mut egui::Ui) -> Option<String> {
        if let Some(n) = self.name() {
            let n = n.to_string();
            ui.horizontal(|ui| {
                ui.label("Investigator:");
                ui.strong(&n);
                if ui
                    .small_button("Change…")
                    .on_hover_text("Type another name (asked once per machine)")
                    .clicked()
                {
                    self.draft = n.clone();
                    self.name = None;
                }
            });
            return Some(n);
        }
        ui.label("Your name, for the case's custody log (asked once on this machine):");
        let mut set = false;
        ui.horizontal(|ui| {
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.draft)
                    .hint_text("Investigator name")
                    .desired_width(220.0),
            );
            set = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.checkbox(&mut self.remember, "Remember on this machine");
            set |= ui
                .add_enabled(
                    !self.draft.trim().is_empty(),
                    egui::Button::new("Use this name"),
                )
                .clicked();
        });
        if set && !self.draft.trim().is_empty() {
            let name = self.draft.trim().to_string();
            if self.remember {
                let mut s = settings::load();
                s.investigator = Some(name.clone());
                if let Err(e) = settings::save(&s) {
                    self.error = Some(format!("The name was not saved: {e:#}"));
                }
            }
            self.set_session_name(&name);
        }
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        self.name.clone()
    }
}
