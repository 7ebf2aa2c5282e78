//! The timeline and the import window in Japanese (issue 19): the Shanghai lanes of the sample
//! case with Japanese hover texts (lanes, counts, events, milestones) and colour legend; the
//! import window with its labels, preview and result in Japanese, the core's reason after a
//! Japanese lead-in; and the same texts still in English where the English tests did not
//! already pin them.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use retrace::case::FilterTerm;
use retrace::gui::{ColorBy, Command, RetraceApp, Startup};
use retrace::i18n::Lang;
use retrace::model::Outcome;

use crate::gui::{a_mark, app_at, sample_case, settle, wait_for};
use crate::gui_ja::japanese;

const SHANGHAI: &str = "Hoshizora Technology (Shanghai) Co., Ltd.";

fn frames(h: &mut Harness<'_, RetraceApp>, n: usize) {
    for _ in 0..n {
        h.step();
    }
}

fn settle_frames(h: &mut Harness<'_, RetraceApp>) {
    settle(h);
    frames(h, 30);
    settle(h);
}

/// Whether some widget is labelled exactly `label` (the table may repeat a timeline's text).
fn has(h: &Harness<'_, RetraceApp>, label: &str) -> bool {
    h.query_all_by_label(label).next().is_some()
}

/// A combo box's shown value.
fn combo(h: &Harness<'_, RetraceApp>, label: &str) -> Option<String> {
    h.query_by_role_and_label(egui::accesskit::Role::ComboBox, label)
        .and_then(|n| n.value())
}

/// Whether some widget's label contains `part`.
fn has_part(h: &Harness<'_, RetraceApp>, part: &str) -> bool {
    h.query_all_by_label_contains(part).next().is_some()
}

/// The labels that contain `part`, for messages. that contains `part`, for messages.
fn texts_with(h: &Harness<'_, RetraceApp>, part: &str) -> Vec<String> {
    h.query_all_by_label_contains(part)
        .filter_map(|n| n.accesskit_node().label().or_else(|| n.value()))
        .collect()
}

/// Hovers `pos` and runs frames until a label containing `part` shows (tooltips wait for the
/// pointer to rest).
fn hover_until(h: &mut Harness<'_, RetraceApp>, pos: egui::Pos2, part: &str) -> String {
    // Once: a tooltip waits for the pointer to rest, and every move starts the wait again.
    h.hover_at(pos);
    for _ in 0..120 {
        h.step();
        if let Some(t) = texts_with(h, part).into_iter().next() {
            return t;
        }
    }
    panic!(
        "no text containing {part:?} after hovering {pos:?}; texts of several lines: {:?}",
        texts_with(h, "\n")
    );
}

/// Filters to the Shanghai organization and waits until its events are drawn one by one.
fn shanghai_marks(h: &mut Harness<'_, RetraceApp>) {
    h.state_mut()
        .push_command(Command::AddFilter(FilterTerm::Organization(
            SHANGHAI.into(),
        )));
    wait_for(h, "the Shanghai events as marks", |h| {
        h.state().open_case().is_some_and(|c| {
            c.timeline
                .as_ref()
                .is_some_and(|t| !t.request.filter.is_empty() && t.marks.is_some())
        })
    });
    settle_frames(h);
}

/// Where the lane label `name` is drawn (above the event table, whose cells may repeat it).
fn lane_label_rect(h: &Harness<'_, RetraceApp>, name: &str) -> egui::Rect {
    let plot = h.state().timeline_plot_rect().unwrap();
    h.query_all_by_label(name)
        .map(|n| n.rect())
        .find(|r| r.bottom() <= plot.bottom() && r.right() <= plot.left())
        .unwrap_or_else(|| panic!("no lane label {name}"))
}

#[test]
fn the_shanghai_lanes_in_japanese_say_their_tooltips_in_japanese() {
    let mut h = japanese();
    shanghai_marks(&mut h);
    assert!(has(&h, SHANGHAI), "the organization's group, as written");
    h.get_by_label("時間軸：Asia/Tokyo");
    // An event's tooltip: its time in the Japanese form, then system, data items, outcome.
    let (id, rect) = a_mark(&h);
    let tip = hover_until(&mut h, rect.center(), "クリックで詳細");
    assert!(
        tip.contains(&format!("イベント {id} — クリックで詳細")),
        "{tip}"
    );
    for part in [
        "年",
        "月",
        "日（",
        "（Asia/Tokyo）",
        "システム：",
        "データ項目：",
        "結果：",
    ] {
        assert!(tip.contains(part), "{part:?} in {tip}");
    }
    for english in ["system:", "categories:", "outcome:", "click for details"] {
        assert!(!tip.contains(english), "{english:?} left in {tip}");
    }
    let names = [
        "氏名",
        "電話番号",
        "メールアドレス",
        "アカウントID",
        "メッセージ本文",
    ];
    assert!(
        names.iter().any(|n| tip.contains(n)),
        "a data item by its Japanese name: {tip}"
    );
    // A person's lane: their accounts and what a click does.
    let label = lane_label_rect(&h, "Chen Siyuan");
    let tip = hover_until(&mut h, label.center(), "アカウント：");
    assert!(tip.contains("chen.siyuan"), "{tip}");
    assert!(tip.contains("クリック：担当者のページを開く"), "{tip}");
    // The legend by outcome, in Japanese.
    h.state_mut()
        .push_command(Command::SetColorBy(ColorBy::Outcome));
    settle_frames(&mut h);
    for o in ["成功", "拒否", "失敗", "その他"] {
        assert!(has(&h, o), "legend swatch {o}");
    }
    assert!(!has(&h, "denied"));
}

#[test]
fn counts_their_legend_and_refused_attempts_are_japanese_when_zoomed_out() {
    let mut h = japanese();
    h.state_mut()
        .push_command(Command::SetColorBy(ColorBy::Outcome));
    settle_frames(&mut h);
    assert!(
        h.state()
            .open_case()
            .unwrap()
            .timeline
            .as_ref()
            .unwrap()
            .marks
            .is_none(),
        "the whole case is drawn as counts"
    );
    assert!(
        has_part(&h, "表示範囲内の拒否・失敗した試行を上に重ねて表示：1件"),
        "{:?}",
        texts_with(&h, "（件数は")
    );
    // The denied attempt's bucket: its lane, count, the attempt and the span in Japanese.
    let lane = {
        let c = h.state().open_case().unwrap();
        c.info
            .lanes
            .iter()
            .position(|l| l.label == "Liu Jiaqi")
            .unwrap()
    };
    let mut rect = None;
    for _ in 0..20 {
        rect = h
            .state()
            .timeline_refused_rects()
            .iter()
            .find(|(l, o, r)| {
                *l == lane
                    && *o == Outcome::Denied
                    && h.state().timeline_plot_rect().unwrap().contains(r.center())
            })
            .map(|(_, _, r)| *r);
        if rect.is_some() {
            break;
        }
        // Scroll the lanes to Liu Jiaqi.
        let pos = h.get_by_label("時間軸：Asia/Tokyo").rect().center() + egui::vec2(0.0, 150.0);
        h.hover_at(pos);
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -120.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        frames(&mut h, 10);
    }
    let rect = rect.expect("Liu Jiaqi's denied attempt drawn in view");
    // The attempt sits on the revocation's rule (whose tooltip wins there): look along the
    // lane for a bucket of counts.
    let plot = h.state().timeline_plot_rect().unwrap();
    let mut tip = None;
    let mut x = plot.left() + 4.0;
    while tip.is_none() && x < plot.right() {
        h.hover_at(egui::pos2(x, rect.center().y));
        frames(&mut h, 2);
        tip = texts_with(&h, "Liu Jiaqi\n").into_iter().next();
        x += 6.0;
    }
    let tip = tip.expect("a bucket's tooltip on Liu Jiaqi's lane");
    if tip.contains("拒否") {
        assert!(tip.contains("拒否 1件"), "{tip}");
    }
    assert!(
        tip.contains("件\n"),
        "the bucket's count with its counter: {tip}"
    );
    assert!(
        tip.contains(" ～\n") && tip.contains("（Asia/Tokyo）"),
        "{tip}"
    );
    assert!(!tip.contains("denied") && !tip.contains("events"), "{tip}");
    // By category, the legend names the data items in Japanese.
    h.state_mut()
        .push_command(Command::SetColorBy(ColorBy::Category));
    settle_frames(&mut h);
    for n in ["氏名", "電話番号", "メールアドレス"] {
        assert!(has(&h, n), "legend swatch {n}");
    }
    // By system, the note on counts.
    h.state_mut()
        .push_command(Command::SetColorBy(ColorBy::System));
    settle_frames(&mut h);
    assert!(has_part(&h, "件数はデータ項目別の色のみ"));
}

#[test]
fn milestones_in_japanese_carry_japanese_dates_and_their_written_time() {
    let mut h = japanese();
    frames(&mut h, 20);
    let c = h.state().open_case().unwrap();
    let (from, to) = (c.view.from_us, c.view.to_us);
    let m = c
        .info
        .milestones
        .iter()
        .find(|m| (m.at_us as f64) >= from && (m.at_us as f64) < to)
        .cloned()
        .expect("a milestone in view");
    let label = h
        .query_all_by_label_contains(&m.label)
        .next()
        .expect("the milestone's label")
        .rect();
    let tip = hover_until(&mut h, label.center(), "記載どおりの日時：");
    assert!(tip.contains(&format!("節目（{}）", m.kind)), "{tip}");
    assert!(tip.contains(&m.raw_at), "{tip}");
    assert!(
        tip.contains("（Asia/Tokyo）") && tip.contains("日（"),
        "{tip}"
    );
    assert!(!tip.contains("milestone") && !tip.contains("as written"));
    // The label itself starts with the date in the Japanese form.
    let text = h
        .query_all_by_label_contains(&m.label)
        .filter_map(|n| n.accesskit_node().label().or_else(|| n.value()))
        .find(|t| !t.contains('\n'))
        .unwrap();
    assert!(text.contains("年") && text.contains("日（"), "{text}");
}

/// An empty case to import into, opened in `lang`.
fn empty_case_in(lang: Lang) -> (tempfile::TempDir, Harness<'static, RetraceApp>) {
    let dir = tempfile::tempdir().unwrap();
    let case_path = dir.path().join("new.retrace");
    drop(retrace::case::Case::create(&case_path, "import test").unwrap());
    let startup = Startup {
        case: Some(case_path),
        lang: Some(lang),
        sample_dir: None,
        ..Default::default()
    };
    let mut h = app_at(startup, 1280.0, 800.0);
    wait_for(&mut h, "the empty case to open", |h| {
        h.state().open_case().is_some()
    });
    (dir, h)
}

fn sample_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data")
        .join(name)
}

/// Types `path` in the import window's path field and adds it.
fn type_path(h: &mut Harness<'_, RetraceApp>, field: &str, add: &str, path: &str) {
    h.get_by_label(field).click();
    frames(h, 1);
    h.get_by_label(field).type_text(path);
    frames(h, 1);
    h.get_by_label(add).click();
}

#[test]
fn the_import_window_in_japanese_previews_and_imports_in_japanese() {
    let (_dir, mut h) = empty_case_in(Lang::Ja);
    h.state_mut().push_command(Command::ShowImportWindow);
    wait_for(&mut h, "the import window", |h| {
        h.query_by_label("またはパス：").is_some()
    });
    h.get_by_label("ファイルを追加…");
    let file = sample_file("sh_admin_tool.csv");
    type_path(
        &mut h,
        "またはパス：",
        "パスを追加",
        &file.display().to_string(),
    );
    wait_for(&mut h, "the preview of the typed file", |h| {
        h.query_by_label_contains("ソースのタイムゾーン：既定：UTC")
            .is_some()
    });
    for label in [
        "ファイルの取り込み",
        "種別",
        "形式",
        "判定",
        "文字コード",
        "サイズ",
        "時刻の読み方",
        "対応付けのない項目",
        "列の対応付け（見出しから推定。どの項目も変更可）：",
        "行",
        "元の時刻",
        "データ項目",
        "結果",
    ] {
        assert!(has(&h, label), "{label}");
    }
    for field in ["時刻（time）", "アカウント（account）", "結果（outcome）"] {
        assert!(combo(&h, field).is_some(), "the mapping's {field}");
    }
    assert_eq!(
        combo(&h, "読み取り種別").as_deref(),
        Some("検出：アクセスログ（access）")
    );
    assert!(
        has_part(
            &h,
            "オフセットのない時刻は UTC（既定：タイムゾーンの指定なし）で読む"
        ),
        "the time rule in Japanese"
    );
    assert!(has_part(&h, "先頭 20行の読み取り結果（時刻は "));
    assert!(has_part(&h, " バイト"));
    assert!(has_part(&h, "日（"), "the rows' times in the Japanese form");
    for english in ["Source zone", "Column mapping", "time rule", "First 20"] {
        assert!(!has_part(&h, english), "{english}");
    }
    // The import and its result.
    h.get_by_label("1ファイルを取り込む").click();
    wait_for(&mut h, "the import result", |h| {
        h.query_by_label("sh_admin_tool.csv の不採用行 2件 — 表示")
            .is_some()
            && h.state()
                .open_case()
                .is_some_and(|c| c.info.summary.events > 0)
    });
    assert!(has(&h, "結果"));
    assert!(
        texts_with(&h, "sh_admin_tool.csv：読み取り ")
            .iter()
            .any(|t| t.contains("不採用 2件")),
        "{:?}",
        texts_with(&h, "sh_admin_tool.csv：")
    );
    assert!(has(&h, "選択したファイルのプレビュー"));
    assert!(combo(&h, "時刻（time）").is_none(), "the preview is folded");
    assert!(!has_part(&h, "rejected in"));
    // A path that is not a file: the core's reason after a Japanese lead-in.
    let missing = sample_file("no_such_log.csv");
    h.state_mut()
        .push_command(Command::PrepareImport(vec![missing]));
    wait_for(&mut h, "the preview's error", |h| {
        has_part(h, "読み込めませんでした：")
    });
    let err = texts_with(&h, "読み込めませんでした：").remove(0);
    assert!(
        err.contains("no_such_log.csv"),
        "the core names the file: {err}"
    );
}

#[test]
fn the_english_timeline_and_import_texts_are_unchanged() {
    // Tooltips of an event and a lane, in English.
    let mut h = crate::gui_ja::harness_in(sample_case(), Some(Lang::En), Lang::En);
    shanghai_marks(&mut h);
    let (id, rect) = a_mark(&h);
    let tip = hover_until(&mut h, rect.center(), "click for details");
    let lines: Vec<&str> = tip.lines().collect();
    assert_eq!(lines.len(), 6, "{tip}");
    assert!(
        lines[0].ends_with(" Asia/Tokyo") && lines[0].starts_with("20"),
        "{tip}"
    );
    assert!(lines[2].starts_with("system: "), "{tip}");
    assert!(lines[3].starts_with("categories: "), "{tip}");
    assert!(lines[4].starts_with("outcome: "), "{tip}");
    assert_eq!(lines[5], format!("event {id} — click for details"));
    let label = lane_label_rect(&h, "Chen Siyuan");
    let tip = hover_until(&mut h, label.center(), "accounts: ");
    assert!(
        tip.starts_with("accounts: chen.siyuan") && tip.ends_with("\nclick: open the person page"),
        "{tip}"
    );
    drop(h);
    // The import window's preview, in English.
    let (_dir, mut h) = empty_case_in(Lang::En);
    let file = sample_file("sh_admin_tool.csv");
    h.state_mut()
        .push_command(Command::PrepareImport(vec![file.clone()]));
    wait_for(&mut h, "the preview", |h| {
        h.query_by_label_contains("Source zone: default: UTC")
            .is_some()
    });
    for label in [
        "Import files",
        "kind",
        "format",
        "time rule",
        "unmapped fields",
    ] {
        assert!(has(&h, label), "{label}");
    }
    assert!(has_part(
        &h,
        "First 20 rows as they would be read (times in "
    ));
    let plan = retrace::ingest::plan(&file, &Default::default()).unwrap();
    assert!(has(&h, &plan.time_rule()));
    assert!(has(&h, &plan.detection_label()));
    assert_eq!(
        combo(&h, "read as").as_deref(),
        Some(format!("detected: {}", plan.kind.as_str()).as_str())
    );
    assert!(combo(&h, "time").is_some() && combo(&h, "account").is_some());
}
