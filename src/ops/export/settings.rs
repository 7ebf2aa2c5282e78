//! Per-machine settings shared by the CLI and the app: the investigator's name, asked once and
//! kept in `settings.toml` in the platform's config directory (`$RETRACE_CONFIG_DIR`, else
//! `$XDG_CONFIG_HOME/retrace`, else `~/.config/retrace`, else `%APPDATA%\retrace`).

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineSettings {
    /// The name written to the custody log for this machine's user.
    #[serde(default)]
    pub investigator: Option<String>,
}

/// The settings file's path, if the platform has a config directory.
pub fn settings_path() -> Option<PathBuf> {
    // The same directory as the investigator's signing key.
    Some(crate::signing::config_dir()?.join("settings.toml"))
}

/// The settings (defaults when there is no file or it cannot be read).
pub fn load() -> MachineSettings {
    settings_path()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| toml::from_str(&t).ok())
        .unwrap_or_default()
}

/// Writes the settings file, creating its directory.
pub fn save(s: &MachineSettings) -> Result<PathBuf> {
    let path = settings_path().context("no config directory on this platform")?;
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).with_context(|| format!("{}: cannot create", d.display()))?;
    }
    let text = toml::to_string(s)?;
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, text).with_context(|| format!("{}: cannot write", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(path)
}

/// The investigator named in the settings, if any.
pub fn saved_investigator() -> Option<String> {
    load().investigator.filter(|s| !s.trim().is_empty())
}
