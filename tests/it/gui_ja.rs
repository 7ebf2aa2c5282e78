//! The app in Japanese (issue 19): the language switch in the toolbar takes effect at once and
//! is remembered; `Startup::lang` (`--lang`, `RETRACE_LANG`) chooses the language at start; the
//! system locale is the default. Panels' Japanese labels are checked here as they are
//! translated.

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
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
    h.get_by_label("タイムライン");
    assert!(
        h.query_by_label_contains("表示中 6,208件").is_some(),
        "the timeline counts its events with the counter and grouped digits"
    );
    assert!(h.query_by_label("ケース全体").is_some());
    assert!(
        h.query_all_by_label_contains("年6月1日（金）")
            .next()
            .is_some(),
        "the table's times in the Japanese form"
    );
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

#[test]
fn the_custody_window_in_japanese_counts_with_counters_and_dates_in_japanese() {
    let mut h = japanese();
    h.get_by_label("管理記録…").click();
    wait_for(&mut h, "the custody log", |h| {
        h.state().trail().custody.entries().is_some()
    });
    h.step();
    h.get_by_label("連鎖を検証");
    assert!(
        h.query_by_label_contains("件（新しい順、時刻は Asia/Tokyo）")
            .is_some(),
        "the entry count with its counter"
    );
    assert!(
        h.query_all_by_label_contains("日（").next().is_some(),
        "an entry's time in the Japanese form (年月日 with the weekday)"
    );
    assert!(h.query_by_label("Verify chain").is_none());
}

#[test]
fn the_rejects_viewer_in_japanese_names_the_rows_with_counters() {
    use retrace::gui::{Command, RejectsCommand};
    let mut h = japanese();
    h.state_mut()
        .push_command(Command::Rejects(RejectsCommand::Show {
            source: None,
            mentions_only: false,
        }));
    wait_for(&mut h, "the rejected rows", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.rejects.rows.is_some())
    });
    h.step();
    h.get_by_value("すべてのソース（不採用行 3件）");
    assert!(
        h.query_by_label_contains("不採用行 3件中 3件を表示")
            .is_some()
    );
    assert!(h.query_by_label("Rejected rows").is_none());
    // Each row's reason and what it mentions, in Japanese (the stored reason is English).
    let row = h
        .query_by_label_contains("sh_admin_tool.csv:46")
        .and_then(|n| n.accesskit_node().label())
        .expect("the 2019-02-30 row listed");
    assert!(
        row.contains("存在しない日付（\"2019-02-30 10:00:00\"）") && row.contains("— 言及："),
        "{row}"
    );
    assert!(
        !row.contains("no such date") && !row.contains("account "),
        "{row}"
    );
}

#[test]
fn the_subject_lookup_in_japanese_counts_identifiers_and_heads_its_columns() {
    use retrace::gui::{Command, LookupCommand};
    let mut h = japanese();
    let key = {
        let case = retrace::case::Case::open_read_only(sample_case()).unwrap();
        let hits = case.subjects().subject_keys(1).unwrap();
        hits.into_iter().next().expect("a subject in the sample")
    };
    h.state_mut()
        .push_command(Command::Lookup(LookupCommand::ShowSubjectLookup(true)));
    h.state_mut()
        .push_command(Command::Lookup(LookupCommand::LookUpSubjects(vec![key])));
    wait_for(&mut h, "the lookup's answer", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.lookup.subject_results.is_some())
    });
    h.step();
    h.get_by_label("照会");
    assert!(h.query_by_label_contains("識別子 1件：").is_some());
    assert!(h.query_by_label("Look up").is_none());
}

#[test]
fn the_open_window_and_the_zone_search_in_japanese() {
    let mut h = japanese();
    h.get_by_label("パスで開く…").click();
    h.run();
    h.get_by_label("ケースファイルのパス：");
    h.get_by_label("新しいケースを作る");
    h.get_by_label("タイムゾーン：Asia/Tokyo").click();
    h.run();
    h.get_by_label("タイムゾーンを検索：");
    let zones = retrace::model::plural::grouped(chrono_tz::TZ_VARIANTS.len());
    assert!(
        h.query_by_label(&format!("{zones}件")).is_some(),
        "the zone count with its counter"
    );
}
