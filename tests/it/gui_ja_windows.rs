//! The person page, the findings window and the export form in Japanese (issue 19): their
//! labels come from the Japanese catalogs, dates are written the Japanese way, and no message
//! id shows where a translation is missing.

use egui_kittest::kittest::{NodeT, Queryable};
use retrace::gui::{Command, FindingsCommand, LookupCommand};

use crate::gui::{settle, wait_for};
use crate::gui_ja::japanese;

/// Every label on screen that looks like a message id (`person-col-time`): a missing
/// translation shows its id.
fn visible_ids(h: &egui_kittest::Harness<'_, retrace::gui::RetraceApp>) -> Vec<String> {
    let prefixes = [
        "person-",
        "findings-",
        "export-",
        "custody-",
        "rejects-",
        "subject-",
        "views-",
        "count-",
    ];
    h.query_all_by_label_contains("-")
        .filter_map(|n| n.accesskit_node().label())
        .filter(|l| {
            l.split_whitespace().any(|w| {
                prefixes.iter().any(|p| w.starts_with(p))
                    && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            })
        })
        .collect()
}

#[test]
fn a_shanghai_engineers_person_page_is_in_japanese() {
    let mut h = japanese();
    h.state_mut()
        .push_command(Command::Lookup(LookupCommand::OpenPerson("P13".into())));
    wait_for(&mut h, "the person page", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.lookup.pages.contains_key("P13"))
    });
    settle(&mut h);
    assert!(h.query_by_label("担当者 — Chen Siyuan").is_some());
    for text in [
        "64件",
        "11セッション（承認あり9、承認なし2）",
        "11日（日付はAsia/Shanghai）",
        "343人（重複なし）",
        "586件のレコード",
        "2システム",
        "5項目",
        "組織",
        "最初のアクセス",
    ] {
        assert!(
            h.query_all_by_label(text).next().is_some(),
            "no label {text:?}"
        );
    }
    assert!(h.query_by_label_contains("セッションの規則：").is_some());
    assert!(
        h.query_all_by_label_contains("2018年9月21日（金）")
            .next()
            .is_some(),
        "session times are Japanese dates"
    );
    // The data categories by their Japanese names, not the vocabulary's keys.
    assert!(h.query_by_label_contains("氏名：").is_some());
    assert!(h.query_by_label_contains("name：").is_none());
    for english in [
        "Session gap:",
        "first access",
        "Compare with…",
        "organization",
    ] {
        assert!(
            h.query_by_label(english).is_none(),
            "English left: {english}"
        );
    }
    assert_eq!(visible_ids(&h), Vec::<String>::new());
}

#[test]
fn the_findings_window_is_in_japanese() {
    let mut h = japanese();
    crate::gui_findings::open_findings_by(&mut h, "所見…");
    settle(&mut h);
    assert!(
        h.query_by_label_contains("6,208件中").is_some(),
        "the count of findings over the events, with Japanese counters"
    );
    let first = h
        .state()
        .open_case()
        .unwrap()
        .findings
        .set
        .as_ref()
        .unwrap()
        .findings[0]
        .key
        .clone();
    h.state_mut()
        .push_command(Command::Findings(FindingsCommand::Select(Some(first))));
    settle(&mut h);
    for text in [
        "重要度",
        "ルール",
        "対象",
        "日時",
        "判断：未判断",
        "注記：",
        "再実行",
    ] {
        assert!(
            h.query_all_by_label(text).next().is_some(),
            "no label {text:?}"
        );
    }
    assert!(
        h.query_by_label_contains("件の根拠イベントをタイムラインに表示")
            .is_some()
    );
    for english in ["Re-run", "severity", "Note:", "Status: open", "Confirm"] {
        assert!(
            h.query_by_label(english).is_none(),
            "English left: {english}"
        );
    }
    assert_eq!(visible_ids(&h), Vec::<String>::new());
}

#[test]
fn the_event_table_names_categories_and_outcomes_in_japanese() {
    let mut h = japanese();
    let columns = ["time", "categories", "outcome"].map(String::from).to_vec();
    h.state_mut()
        .push_command(Command::Table(retrace::gui::TableCommand::SetColumns(
            columns,
        )));
    wait_for(&mut h, "the rows with the chosen columns", |h| {
        h.query_all_by_label("成功").next().is_some()
    });
    assert!(
        h.query_all_by_label_contains("氏名、").next().is_some(),
        "a categories cell in Japanese, listed the Japanese way"
    );
    assert!(h.query_all_by_label("success").next().is_none());
    assert!(h.query_all_by_label_contains("name, ").next().is_none());
}

#[test]
fn the_findings_window_says_in_japanese_which_chips_it_follows() {
    use retrace::case::FilterTerm;
    let mut h = japanese();
    crate::gui_findings::open_findings_by(&mut h, "所見…");
    let p13 = {
        let c = h.state().open_case().unwrap();
        c.info.persons.iter().find(|p| p.key == "P13").unwrap().id
    };
    for term in [
        FilterTerm::Person(p13),
        FilterTerm::StorageCountry("JP".into()),
    ] {
        h.state_mut().push_command(Command::AddFilter(term));
    }
    settle(&mut h);
    h.get_by_label("絞り込みのチップに従う").click();
    settle(&mut h);
    assert!(
        h.query_by_label_contains("。チップに従う：担当者：P13、保存国：日本")
            .is_some(),
        "the chips in Japanese words"
    );
    assert!(h.query_by_label_contains("following the chips").is_none());
    assert!(h.query_by_label_contains("storage country").is_none());
}

#[test]
fn the_export_form_follows_the_app_and_keeps_its_own_report_language() {
    let mut h = japanese();
    h.get_by_label("エクスポート…").click();
    settle(&mut h);
    for text in [
        "対象：",
        "形式：",
        "タイムゾーン：",
        "保存先：",
        "伏せ字：",
        "そのまま",
    ] {
        assert!(
            h.query_all_by_label(text).next().is_some(),
            "no label {text:?}"
        );
    }
    assert!(h.query_by_value("現在のビュー（期間と絞り込み）").is_some());
    h.get_by_label("報告書（HTML）").click();
    settle(&mut h);
    // The report's language is a choice of its own: both languages stay offered.
    h.get_by_label("報告書の言語：");
    assert!(h.query_by_label("English").is_some());
    h.get_by_label("個人情報保護委員会への漏えい等報告");
    for english in ["Scope:", "Format:", "Save to:", "Redaction:", "Layout:"] {
        assert!(
            h.query_by_label(english).is_none(),
            "English left: {english}"
        );
    }
    assert_eq!(visible_ids(&h), Vec::<String>::new());
}

/// A Japanese investigator exports the PPC report from the form, in Japanese without choosing
/// the language (the report's language follows the app's until one is chosen), to a typed
/// folder.
#[test]
fn the_ppc_report_is_exported_in_japanese_from_the_japanese_app() {
    use egui::accesskit::Role;
    use retrace::gui::TrailCommand;
    let t = crate::util::TestDir::new();
    let (case, path) = crate::util::build_sample_case(&t);
    drop(case);
    let mut h = crate::gui_ja::harness_in(
        &path,
        Some(retrace::i18n::Lang::Ja),
        retrace::i18n::Lang::En,
    );
    h.get_by_label("エクスポート…").click();
    settle(&mut h);
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetInvestigator(
            "第三者委員会".into(),
        )));
    h.get_by_role_and_label(Role::Button, "報告書（HTML）")
        .click();
    h.step();
    let out = t.path("ja-report");
    crate::gui::type_beside(&mut h, "保存先：", out.to_str().unwrap());
    h.get_by_role_and_label(Role::Button, "エクスポート")
        .click();
    wait_for(&mut h, "the export to finish", |h| {
        !h.state().trail().export_running() && h.state().trail().last_export().is_some()
    });
    if let Err(e) = h.state().trail().last_export().unwrap() {
        panic!("the export failed: {e}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for heading in ["本人の数", "原因", "再発防止のための措置"] {
        assert!(html.contains(heading), "the Japanese PPC item {heading}");
    }
    assert!(
        !html.contains("Number of persons"),
        "not the English report"
    );
}
