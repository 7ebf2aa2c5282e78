//! The investigator's name in the app: read from this machine's settings file (shared with
//! the CLI, see `ops::export::settings`) by a job when the app starts, asked once when the
//! first recorded action (an export, an annotation, a report text) needs it, and saved there
//! by a job. This is the state; the prompt is a panel widget.

/// The name the app writes to the custody log.
#[derive(Debug, Clone, Default)]
pub struct Investigator {
    /// The name in use this session.
    name: Option<String>,
    /// A name was set this session, or the saved one was read: a late read changes nothing.
    loaded: bool,
    pub error: Option<String>,
}

impl Investigator {
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Sets the name for this session (tests; or the prompt) without saving it.
    pub fn set_session_name(&mut self, name: &str) {
        self.loaded = true;
        self.name = Some(name.trim().to_string()).filter(|n| !n.is_empty());
    }

    /// The saved name, read off the UI thread; kept unless a name was set meanwhile.
    pub fn loaded_saved(&mut self, name: Option<String>) {
        if !self.loaded {
            self.loaded = true;
            if self.name.is_none() {
                self.name = name;
            }
        }
    }

    /// Asks for another name.
    pub fn forget(&mut self) {
        self.loaded = true;
        self.name = None;
    }
}
