//! The app's messages and the filter chips in Japanese (issue 19): a review-mode refusal, the
//! name asked for before a decision, an annotation saved, the import's "kept" line, the job
//! titles of the status bar, a chip for each kind of filter term, the table's column filter,
//! and a query error with its column. The English words stay those of the English tests;
//! the command line keeps its English error text.

use std::path::PathBuf;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use retrace::case::{AnnotationKind, AnnotationTarget, FilterColumn, FilterOp, FilterTerm};
use retrace::gui::{Command, FindingsCommand, RetraceApp, Startup, TrailCommand};
use retrace::i18n::Lang;
use retrace::model::finding::DispositionStatus;
use retrace::tr;

use crate::gui::{app_at, sample_case, settle, wait_for};
use crate::gui_ja::{harness_in, japanese};

const SHANGHAI: &str = "Hoshizora Technology (Shanghai) Co., Ltd.";

/// A copy of the sample case that a test may write to.
fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.retrace");
    std::fs::copy(sample_case(), &path).unwrap();
    (dir, path)
}

fn chip(h: &Harness<'_, RetraceApp>, words: &str) -> bool {
    h.query_by_label(&format!("{words}  ×")).is_some()
}

#[test]
fn every_kind_of_filter_term_has_a_japanese_chip() {
    let mut h = japanese();
    let (person, system, category, action, outcome, storage, country) = {
        let info = &h.state().open_case().unwrap().info;
        let p = info.persons.iter().find(|p| p.country.is_some()).unwrap();
        let s = info.systems.iter().find(|s| s.country.is_some()).unwrap();
        let (bit, cat) = info.vocabulary.entries()[0].clone();
        (
            (p.id, p.display_name.clone()),
            (s.id, s.name.clone()),
            (bit, cat),
            info.actions[0].clone(),
            info.outcomes[0].clone(),
            s.country.clone().unwrap(),
            p.country.clone().unwrap(),
        )
    };
    assert_ne!(retrace::i18n::country(Lang::Ja, &country), country);
    let terms = [
        FilterTerm::Person(person.0),
        FilterTerm::Organization(SHANGHAI.into()),
        FilterTerm::ActorCountry(country.clone()),
        FilterTerm::System(system.0),
        FilterTerm::StorageCountry(storage.clone()),
        FilterTerm::Category(category.0),
        FilterTerm::Action(action.clone()),
        FilterTerm::Outcome(outcome.clone()),
        FilterTerm::Text("vpn".into()),
        FilterTerm::Tag("要確認".into()),
        FilterTerm::Starred,
        FilterTerm::Events {
            label: "証拠".into(),
            ids: vec![1, 2, 3],
        },
        FilterTerm::Column {
            column: FilterColumn::StorageCountry,
            op: FilterOp::Not,
            value: "JP".into(),
        },
    ];
    for t in terms {
        h.state_mut().push_command(Command::AddFilter(t));
    }
    settle(&mut h);
    let want = [
        format!("担当者：{}", person.1),
        format!("組織：{SHANGHAI}"),
        // Countries by their Japanese names (the codes are the rosters').
        format!("操作者の国：{}", retrace::i18n::country(Lang::Ja, &country)),
        format!("システム：{}", system.1),
        format!("保存国：{}", retrace::i18n::country(Lang::Ja, &storage)),
        format!("データ項目：{}", category.1),
        format!("操作：{action}"),
        format!("結果：{outcome}"),
        "文字列：「vpn」".to_string(),
        "タグ：要確認".to_string(),
        "★ 星印付き".to_string(),
        "証拠（3件）".to_string(),
        "保存国が「JP」を含まない".to_string(),
    ];
    for w in &want {
        assert!(chip(&h, w), "the chip {w:?}");
    }
    assert!(
        h.query_by_label_contains("person:").is_none()
            && h.query_by_label_contains("data stored in:").is_none(),
        "no English chip left"
    );
}

fn type_query(h: &mut Harness<'_, RetraceApp>, text: &str) {
    let field = "検索・検索式：";
    h.get_by_role_and_label(Role::TextInput, field).click();
    h.step();
    h.get_by_role_and_label(Role::TextInput, field)
        .type_text(text);
    h.step();
    h.key_press(egui::Key::Enter);
    h.step();
    h.step();
    settle(h);
}

#[test]
fn a_query_error_names_its_column_in_japanese_and_a_query_chip_its_zone() {
    let mut h = japanese();
    type_query(&mut h, "(org:*Shanghai* OR");
    assert!(
        h.query_by_label("検索式の誤り 19文字目：検索式の末尾に条件が必要です")
            .is_some(),
        "the error in Japanese with its column"
    );
    assert!(h.query_by_label(&format!("{}^", " ".repeat(18))).is_some());
    assert!(h.state().open_case().unwrap().view.filter.is_empty());

    let mut h = japanese();
    type_query(&mut h, "frobnicate:x");
    assert!(
        h.query_by_label_contains("検索式の誤り 1文字目：不明な項目 \"frobnicate\" です")
            .is_some()
    );

    let mut h = japanese();
    type_query(&mut h, "org:*Shanghai* time:[2018-06-01 *]");
    assert!(
        h.query_all_by_label_contains("検索式：org:*Shanghai*")
            .filter_map(|n| n.accesskit_node().label())
            .any(|l| l.ends_with("（時刻は Asia/Tokyo）  ×")),
        "the query's chip names the zone its times were read in"
    );
}

#[test]
fn query_errors_are_english_on_the_command_line_and_in_the_english_app() {
    use retrace::gui::query_error_text;
    let cases = [
        ("\"\"", "empty phrase \"\""),
        ("\"abc", "this phrase has no closing '\"'"),
        ("//", "empty regular expression //"),
        ("/a(/", "in the regex: "),
        ("/abc", "this regex has no closing '/'"),
        ("time:2021", "expected '[' after 'time:' (time:[FROM TO])"),
        ("frob:x", "unknown field \"frob\" (fields: account, "),
        ("org: x", "expected a value after 'org:'"),
        ("   ", "the query is empty"),
        ("a )", "')' without a matching '('"),
        ("(a", "expected ')' to close the '(' at column 1"),
        ("a OR", "expected a term here, where the query ends"),
        ("OR a", "expected a term before this operator"),
        ("[a]", "'[' and ']' are only for time:[FROM TO]"),
        ("NOT )", "')' without a matching '('"),
        ("time:[2021-01-01 *", "expected ']' to close time:[FROM TO]"),
        (
            "time:[2021-02-25 2021-02-24]",
            "the end of time:[FROM TO] is not after its start",
        ),
        ("time:[]", "expected a time (e.g. 2021-02-24"),
        ("time:[yesterday *]", "\"yesterday\" is not a time: "),
        ("/*/", "in the regex: nothing to repeat"),
        (
            "/a{2000}/",
            "in the regex: bad repetition {2000} (at most 1000)",
        ),
        ("/\\q/", "in the regex: unsupported escape \\q"),
        ("/[a/", "in the regex: this [ has no closing ']'"),
        ("/[z-a]/", "in the regex: range z-a is backwards"),
        (
            "/(?x)/",
            "in the regex: only (?:...) and a leading (?i) are supported",
        ),
        ("/a)/", "in the regex: ')' without a matching '('"),
        ("/(a/", "in the regex: expected ')'"),
    ];
    let deep = format!("{}a", "(".repeat(100));
    for (q, english) in cases
        .iter()
        .map(|(q, e)| (q.to_string(), *e))
        .chain([(deep, "the query is nested too deeply")])
    {
        let e = FilterTerm::parse_query(&q, chrono_tz::Asia::Tokyo).unwrap_err();
        let cli = e.to_string();
        assert!(
            cli.starts_with(&format!("at column {}: {english}", e.column)),
            "{q:?}: {cli}"
        );
        assert_eq!(query_error_text(Lang::En, &e), cli, "{q:?}");
        let ja = query_error_text(Lang::Ja, &e);
        assert!(
            ja.starts_with(&format!("{}文字目：", e.column)) && ja != cli,
            "{q:?}: {ja}"
        );
    }
}

#[test]
fn the_column_filter_offers_japanese_column_names_and_comparisons() {
    let mut h = japanese();
    let combo = |h: &Harness<'static, RetraceApp>, value: &str| {
        h.query_all_by_label("列で絞り込み：").any(|n| {
            let a = n.accesskit_node();
            a.role() == Role::ComboBox && a.value().as_deref() == Some(value)
        })
    };
    assert!(combo(&h, "アカウント"), "the column, in Japanese");
    assert!(combo(&h, "を含む"), "the comparison, in Japanese");
    h.query_all_by_label("列で絞り込み：")
        .find(|n| n.accesskit_node().value().as_deref() == Some("アカウント"))
        .unwrap()
        .click();
    h.run();
    assert!(h.query_by_label("接続元IP").is_some());
    assert!(h.query_by_label("ソースファイル").is_some());
    assert!(h.query_by_label("source-ip").is_none());
    let en = retrace::gui::filter_column_label(Lang::En, FilterColumn::SourceIp);
    assert_eq!(
        en,
        FilterColumn::SourceIp.name(),
        "English keeps the CLI's name"
    );
}

/// The sample case opened for review (read-only) in the Japanese app.
fn japanese_for_review() -> Harness<'static, RetraceApp> {
    let mut h = app_at(
        Startup {
            lang: Some(Lang::Ja),
            system_lang: Lang::En,
            ..Default::default()
        },
        1280.0,
        800.0,
    );
    h.state_mut()
        .push_command(Command::OpenCaseForReview(sample_case().to_path_buf()));
    wait_for(&mut h, "the case to open for review", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.table.rows.is_some())
    });
    settle(&mut h);
    h
}

#[test]
fn review_mode_refusals_are_in_japanese() {
    let mut h = japanese_for_review();
    assert!(h.state().is_review());
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetInvestigator(
            "確認者".into(),
        )));
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::Annotate {
            target: AnnotationTarget::Event(3),
            kind: AnnotationKind::Note,
            text: "閲覧中のメモ".into(),
        }));
    h.step();
    let refusal = tr!(Lang::Ja, "msg-review-refusal");
    assert!(refusal.starts_with("このケースは閲覧専用で開いています"));
    assert_eq!(
        h.state().message().map(|m| (m.error, m.text.as_str())),
        Some((true, refusal.as_str()))
    );
    h.step();
    assert!(h.query_by_label(&refusal).is_some(), "in the banner");
    assert_eq!(
        tr!(Lang::En, "msg-review-refusal"),
        retrace::gui::REVIEW_REFUSAL,
        "the English message is the constant the English tests compare with"
    );

    h.state_mut()
        .push_command(Command::PrepareImport(Vec::new()));
    h.step();
    assert_eq!(
        h.state().message().map(|m| m.text.as_str()),
        Some(
            "このケースは閲覧専用で開いています：取り込みはできません。取り込むには通常どおり開いてください。"
        )
    );
    h.state_mut()
        .push_command(Command::Findings(FindingsCommand::SetParam {
            rule: "unsupervised".into(),
            key: "x".into(),
            value: None,
        }));
    h.step();
    assert!(
        h.state()
            .message()
            .is_some_and(|m| m.text.contains("判断とパラメータは記録できません"))
    );
}

#[test]
fn a_message_on_screen_is_said_again_when_the_language_is_switched() {
    let mut h = japanese_for_review();
    h.state_mut()
        .push_command(Command::PrepareImport(Vec::new()));
    h.step();
    let ja = tr!(Lang::Ja, "msg-review-no-import");
    assert_eq!(
        h.state().message().map(|m| m.text.clone()),
        Some(ja.clone())
    );
    h.state_mut().push_command(Command::SetLang(Lang::En));
    settle(&mut h);
    let en = tr!(Lang::En, "msg-review-no-import");
    assert_ne!(en, ja);
    assert_eq!(
        h.state().message().map(|m| m.text.clone()),
        Some(en.clone())
    );
    assert!(h.query_by_label(&en).is_some(), "the banner in English");
    assert!(h.query_by_label(&ja).is_none());
    // A message with arguments keeps them: a go-to that finds nothing names its time.
    h.state_mut().push_command(Command::DismissMessage);
    h.state_mut()
        .push_command(Command::Table(retrace::gui::TableCommand::GoToTime(
            4_102_444_800_000_000,
        )));
    wait_for(&mut h, "the go-to to answer", |h| {
        h.state().message().is_some()
    });
    let before = h.state().message().unwrap().text.clone();
    h.state_mut().push_command(Command::SetLang(Lang::Ja));
    settle(&mut h);
    let after = h.state().message().unwrap().text.clone();
    assert!(
        before.contains("2100") && after.contains("2100年"),
        "{before} / {after}"
    );
    assert!(before.is_ascii() && !after.is_ascii(), "{before} / {after}");
}

#[test]
fn an_annotation_saved_and_the_name_asked_for_are_said_in_japanese() {
    let (_dir, path) = sample_copy();
    let mut h = harness_in(&path, Some(Lang::Ja), Lang::En);
    // No name: a decision is refused with the reason in Japanese.
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::ChangeInvestigator));
    h.state_mut()
        .push_command(Command::Findings(FindingsCommand::Dispose {
            key: "no-such-finding".into(),
            status: DispositionStatus::Confirmed,
            note: String::new(),
        }));
    h.step();
    let name_first = tr!(Lang::Ja, "msg-name-first");
    assert_eq!(
        h.state().open_case().unwrap().findings.error.as_deref(),
        Some(name_first.as_str())
    );
    assert!(name_first.starts_with("先に名前を入力してください"));
    assert_eq!(
        tr!(Lang::En, "msg-name-first"),
        retrace::gui::NAME_FIRST,
        "the English message is the constant the English tests compare with"
    );

    // With a name, an annotation on the selected event: saved, and said so in Japanese.
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetInvestigator(
            "調査 太郎".into(),
        )));
    let (id, ts) = {
        let c = h.state().open_case().unwrap();
        let e = c.table.row(0).unwrap();
        (e.id, e.ts_us)
    };
    h.state_mut().push_command(Command::SelectEvent {
        id,
        ts_us: ts,
        scroll_table: false,
    });
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::Annotate {
            target: AnnotationTarget::Event(id),
            kind: AnnotationKind::Note,
            text: "要確認".into(),
        }));
    wait_for(&mut h, "the annotation's message", |h| {
        h.state().trail().custody.message.is_some()
    });
    let (error, text) = h.state().trail().custody.message.clone().unwrap();
    assert!(!error, "{text}");
    assert!(
        text.starts_with("注記 ") && text.ends_with(" を保存し、管理記録に記録しました。"),
        "{text}"
    );
    settle(&mut h);
    assert!(h.query_by_label(&text).is_some(), "shown: {text}");

    // Marked events: the count with its counter, and nothing added when each had it.
    let bulk = |h: &mut Harness<'_, RetraceApp>, want: &str| {
        h.state_mut()
            .push_command(Command::Trail(TrailCommand::AnnotateEvents {
                ids: vec![id],
                kind: AnnotationKind::Tag,
                text: "要確認".into(),
            }));
        wait_for(h, want, |h| {
            h.state()
                .trail()
                .custody
                .message
                .as_ref()
                .is_some_and(|m| m.1 == want)
        });
    };
    bulk(&mut h, "注記1件を保存し、管理記録に記録しました。");
    bulk(
        &mut h,
        "印を付けたイベントにはすべて既に付いています：追加はありません。",
    );
    assert_eq!(
        tr!(Lang::Ja, "msg-annotations-saved", count = 12u64),
        "注記12件を保存し、それぞれ管理記録に記録しました。"
    );
}

#[test]
fn the_import_says_what_it_kept_in_japanese() {
    let (dir, path) = sample_copy();
    let log = dir.path().join("extra.csv");
    std::fs::write(
        &log,
        "time,operator,client_ip,target,action,object,categories,subject_ids,records,result,ticket\n\
         2021-01-05 10:00:00,liu.jiaqi,10.86.12.47,jp-msg-db,query_user,users,name,,1,ok,\n",
    )
    .unwrap();
    let mut h = harness_in(&path, Some(Lang::Ja), Lang::En);
    h.state_mut()
        .push_command(Command::AddFilter(FilterTerm::Organization(
            SHANGHAI.into(),
        )));
    settle(&mut h);
    h.state_mut()
        .push_command(Command::PrepareImport(vec![log.clone()]));
    wait_for(&mut h, "the preview", |h| {
        h.state().open_case().is_some() && !h.state().is_busy()
    });
    h.state_mut().push_command(Command::StartImport);
    wait_for(&mut h, "the import and the case to open again", |h| {
        h.query_by_label_contains("取り込み後も保持：").is_some()
            && h.state().open_case().is_some()
            && !h.state().is_busy()
    });
    assert!(
        h.query_by_label_contains("取り込み後も保持：絞り込み条件1件、表示中の期間。")
            .is_some()
    );
}

#[test]
fn the_status_bar_names_jobs_in_japanese() {
    let data = tempfile::tempdir().unwrap();
    let mut h = app_at(
        Startup {
            sample_dir: Some(data.path().to_path_buf()),
            lang: Some(Lang::Ja),
            system_lang: Lang::En,
            ..Default::default()
        },
        1280.0,
        800.0,
    );
    h.step();
    assert!(
        h.query_all_by_label("サンプルケースを作成中（初回のみ）")
            .next()
            .is_some(),
        "the sample build's title"
    );
    wait_for(&mut h, "the sample case to open", |h| {
        h.state().open_case().is_some() && !h.state().is_busy()
    });
    assert_eq!(
        retrace::gui::stage_label(Lang::Ja, "import"),
        "取り込み",
        "a stage of the core in Japanese"
    );
    assert_eq!(retrace::gui::stage_label(Lang::En, "import"), "import");
    assert_eq!(retrace::gui::stage_label(Lang::Ja, "other"), "other");
}
