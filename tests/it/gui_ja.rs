//! The app in Japanese (issue 19): the language switch in the toolbar takes effect at once and
//! is remembered; `Startup::lang` (`--lang`, `RETRACE_LANG`) chooses the language at start; the
//! system locale is the default. Panels' Japanese labels are checked here as they are
//! translated.

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::gui::{RetraceApp, Startup};
use retrace::i18n::Lang;

use crate::gui::{app_at, sample_case, settle, wait_for};

/// The sample case open at 1280x800 with `startup`'s language choices.
pub(crate) fn harness_in(
    case: &Path,
    lang: Option<Lang>,
    system_lang: Lang,
) -> Harness<'static, RetraceApp> {
    let startup = Startup {
        case: Some(case.to_path_buf()),
        lang,
        system_lang,
        ..Default::default()
    };
    let mut h = app_at(startup, 1280.0, 800.0);
    wait_for(&mut h, "the case to open with its first data", |h| {
        h.state().open_case().is_some_and(|c| {
            c.timeline.is_some() && c.table.rows.is_some() && c.table.row(0).is_some()
        })
    });
    settle(&mut h);
    h
}

/// The sample case open in Japanese.
pub(crate) fn japanese() -> Harness<'static, RetraceApp> {
    harness_in(sample_case(), Some(Lang::Ja), Lang::En)
}

#[test]
fn the_language_switch_changes_the_toolbar_at_once_and_is_remembered() {
    let mut h = harness_in(sample_case(), None, Lang::En);
    assert_eq!(h.state().lang(), Lang::En);
    h.get_by_label("Open…");
    h.get_by_value("English").click();
    h.run();
    h.get_by_label("日本語").click();
    h.run();
    assert_eq!(h.state().lang(), Lang::Ja);
    assert_eq!(
        h.state().settings().lang,
        Some(Lang::Ja),
        "remembered in the settings"
    );
    h.get_by_label("開く…");
    h.get_by_label("エクスポート…");
    assert!(
        h.query_by_label("Open…").is_none(),
        "no English left on the button"
    );
}

#[test]
fn the_system_locale_is_the_default_and_the_command_line_wins() {
    let h = harness_in(sample_case(), None, Lang::Ja);
    assert_eq!(
        h.state().lang(),
        Lang::Ja,
        "LANG=ja_JP.UTF-8 opens the app in Japanese"
    );
    h.get_by_label("開く…");
    let h = harness_in(sample_case(), Some(Lang::En), Lang::Ja);
    assert_eq!(h.state().lang(), Lang::En, "--lang en wins over the locale");
    h.get_by_label("Open…");
}

#[test]
fn japanese_counts_and_dates_are_written_the_japanese_way() {
    let h = japanese();
    h.get_by_label("タイムゾーン：Asia/Tokyo");
    drop(h);
    assert_eq!(
        retrace::i18n::format_in_zone(Lang::Ja, 1_614_129_303_000_000, chrono_tz::Asia::Tokyo),
        "2021年2月24日（水） 10:15:03 JST"
    );
}

#[test]
fn a_language_that_is_not_one_is_refused_with_its_name_before_the_window_opens() {
    let bin = env!("CARGO_BIN_EXE_retrace");
    let out = std::process::Command::new(bin)
        .args(["--lang", "fr"])
        .env_remove("RETRACE_LANG")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(r#"--lang "fr": use en or ja"#), "{err}");
    let out = std::process::Command::new(bin)
        .env("RETRACE_LANG", "klingon")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(r#"RETRACE_LANG="klingon": use en or ja"#),
        "{err}"
    );
}
