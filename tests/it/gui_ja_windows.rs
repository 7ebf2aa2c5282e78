//! The person page, the findings window and the export form in Japanese (issue 19): their
//! labels come from the Japanese catalogs, dates are written the Japanese way, and no message
//! id shows where a translation is missing.

use egui_kittest::kittest::{NodeT, Queryable};
use retrace::gui::{Command, LookupCommand};

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
        assert!(h.query_by_label(text).is_some(), "no label {text:?}");
    }
    assert!(h.query_by_label_contains("セッションの規則：").is_some());
    assert!(
        h.query_all_by_label_contains("2018年9月21日（金）")
            .next()
            .is_some(),
        "session times are Japanese dates"
    );
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
