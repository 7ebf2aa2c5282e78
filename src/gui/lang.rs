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

/// What a message on screen says, kept so that it can be said again: the banner's text is
/// re-rendered in the new language when the language is switched, instead of staying in the
/// one it was first written in.
#[derive(Clone)]
pub struct Words(std::sync::Arc<dyn Fn(Lang) -> String + Send + Sync>);

impl Words {
    /// Words rendered by `f` in whichever language is asked for.
    pub fn new(f: impl Fn(Lang) -> String + Send + Sync + 'static) -> Words {
        Words(std::sync::Arc::new(f))
    }

    /// A catalog message without arguments.
    pub fn id(id: &'static str) -> Words {
        Words::new(move |lang| crate::i18n::t(lang, id))
    }

    /// Text that is the same in every language (an operating system's error, a path).
    pub fn fixed(text: impl Into<String>) -> Words {
        let text = text.into();
        Words::new(move |_| text.clone())
    }

    pub fn in_lang(&self, lang: Lang) -> String {
        (self.0)(lang)
    }
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Words(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_said_again_in_the_language_asked_for() {
        let w = Words::id("msg-open-case-first");
        assert_ne!(w.in_lang(Lang::En), w.in_lang(Lang::Ja));
        assert!(w.in_lang(Lang::En).is_ascii());
        assert!(!w.in_lang(Lang::Ja).is_ascii());
        let f = Words::fixed("disk full");
        assert_eq!(f.in_lang(Lang::Ja), "disk full");
    }
}
