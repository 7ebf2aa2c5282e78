//! The app's language where only a `Ui` is at hand: the app puts it into egui's context at the
//! start of each frame, so a widget deep in a panel writes in the same language as the
//! `ViewContext` it was not handed. One egui context per window (and per test harness), so
//! two apps in one process do not share it.

use crate::i18n::Lang;

fn key() -> egui::Id {
    egui::Id::unique("retrace-lang")
}

/// Sets the language for this frame.
pub fn set(ctx: &egui::Context, lang: Lang) {
    ctx.data_mut(|d| d.insert_temp(key(), lang));
}

/// The language of this frame (English before the app set one).
pub fn of(ctx: &egui::Context) -> Lang {
    ctx.data(|d| d.get_temp(key())).unwrap_or_default()
}
