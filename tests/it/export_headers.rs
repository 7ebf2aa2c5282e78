//! The language of the CSV export's column headers (issue 19, part 5): English names by
//! default (the stable ones scripts read), Japanese ones with `retrace export --headers ja`
//! or the export form's "Column headers" choice; the rows are the same either way, and the
//! manifest says which headers the file has.

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::gui::{Command, RetraceApp, Startup, TrailCommand};
use retrace::ops::export::Lang;
use retrace::ops::export::rows::{CSV_COLUMNS, csv_header_in};

use crate::util::{self, TestDir, retrace};

const JA_HEADER: &str = "イベントID,時刻（UTC）,時刻（Asia/Tokyo）,人物ID,人物,組織,勤務国,アカウント,接続元IPアドレス,システム,システムの保存国,操作,対象,データ項目,記録数,結果,本人,セッション,チケット,記録された時刻の表記,取込元ファイル,取込元ID,行,終了行";

fn s(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

fn manifest(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn the_english_headers_are_the_column_names_and_the_japanese_ones_name_each_column() {
    let en = csv_header_in(Lang::En, "Asia/Tokyo");
    let ja = csv_header_in(Lang::Ja, "Asia/Tokyo");
    assert_eq!(en.len(), CSV_COLUMNS.len());
    for (i, c) in CSV_COLUMNS.iter().enumerate() {
        if *c == "time_local" {
            assert_eq!(en[i], "time (Asia/Tokyo)");
        } else {
            assert_eq!(en[i], *c, "the English header is the column's name");
        }
        assert!(
            !ja[i].is_empty() && !ja[i].starts_with("csv-header-"),
            "{c}"
        );
        assert!(!ja[i].is_ascii(), "{c}: {} is Japanese", ja[i]);
    }
    assert_eq!(ja.join(","), JA_HEADER);
    let unique: std::collections::BTreeSet<&String> = ja.iter().collect();
    assert_eq!(
        unique.len(),
        ja.len(),
        "each Japanese header names one column"
    );
    assert_eq!(
        retrace::ops::export::rows::csv_header("UTC"),
        csv_header_in(Lang::En, "UTC")
    );
}

#[test]
fn cli_export_headers_ja_writes_japanese_headers_and_the_same_rows() {
    let t = TestDir::new();
    let (case, path) = util::build_sample_case(&t);
    drop(case);
    let export = |name: &str, extra: &[&str]| {
        let dir = t.path(name);
        let mut args = vec![
            "export",
            s(&path),
            "--format",
            "csv",
            "--scope",
            "person",
            "--person",
            "P13",
            "--tz",
            "Asia/Tokyo",
            "--out",
            s(&dir),
        ];
        args.extend_from_slice(extra);
        let (code, out, err) = retrace(&args);
        assert_eq!(code, 0, "{out}{err}");
        (
            std::fs::read_to_string(dir.join("events.csv")).unwrap(),
            dir,
        )
    };
    let (en, en_dir) = export("en", &[]);
    let (ja, ja_dir) = export("ja", &["--headers", "ja"]);
    let (en_first, en_rows) = en.split_once('\n').unwrap();
    let (ja_first, ja_rows) = ja.split_once('\n').unwrap();
    assert!(en_first.starts_with("event_id,time_utc,time (Asia/Tokyo),person_id,"));
    assert_eq!(ja_first, JA_HEADER);
    assert_eq!(en_rows, ja_rows, "the rows do not change with the headers");
    assert!(manifest(&en_dir).get("csv_headers").is_none());
    assert_eq!(manifest(&ja_dir)["csv_headers"], "ja");
    // --headers en is the default, said out loud.
    let (en2, _) = export("en2", &["--headers", "en"]);
    assert_eq!(en2.lines().next(), Some(en_first));
    // The export verifies either way.
    let (code, out, err) = retrace(&["verify-export", s(&ja_dir)]);
    assert_eq!(code, 0, "{out}{err}");
    // Not a language: refused, naming the choices.
    let (code, _, err) = retrace(&[
        "export",
        s(&path),
        "--format",
        "csv",
        "--headers",
        "fr",
        "--out",
        s(&t.path("fr")),
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("--headers \"fr\": use en or ja"), "{err}");
}

fn harness(case: std::path::PathBuf) -> Harness<'static, RetraceApp> {
    Harness::builder()
        .with_size(egui::Vec2::new(1500.0, 950.0))
        .build_eframe(move |cc| {
            RetraceApp::new(
                cc,
                Startup {
                    case: Some(case),
                    sample_dir: None,
                    ..Default::default()
                },
            )
        })
}

fn wait(
    h: &mut Harness<'_, RetraceApp>,
    what: &str,
    done: impl Fn(&Harness<'_, RetraceApp>) -> bool,
) {
    crate::gui::wait_within(h, what, Duration::from_secs(90), done)
}

#[test]
fn the_export_form_exports_csv_with_japanese_headers_when_asked() {
    let t = TestDir::new();
    let (case, path) = util::build_sample_case(&t);
    drop(case);
    let mut h = harness(path);
    wait(&mut h, "the case to open", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.timeline.is_some() && c.table.rows.is_some())
    });
    h.get_by_label("Export…").click();
    wait(&mut h, "the export window", |h| {
        h.query_by_label("Scope:").is_some()
    });
    let out = t.path("gui-ja-headers");
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetExportDir(out.clone())));
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::SetInvestigator(
            "panel tester".into(),
        )));
    for _ in 0..3 {
        h.step();
    }
    // CSV is the form's first format; its header choice is English until changed.
    assert!(h.query_by_label("Column headers:").is_some());
    h.get_by_role_and_label(Role::Button, "Japanese").click();
    for _ in 0..3 {
        h.step();
    }
    h.get_by_role_and_label(Role::Button, "Export").click();
    wait(&mut h, "the export to finish", |h| {
        !h.state().trail().export_running() && h.state().trail().last_export().is_some()
    });
    if let Err(e) = h.state().trail().last_export().unwrap() {
        panic!("the export failed: {e}");
    }
    let text = std::fs::read_to_string(out.join("events.csv")).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("イベントID,時刻（UTC）,時刻（"),
        "{first}"
    );
    assert_eq!(manifest(&out)["csv_headers"], "ja");
}

#[test]
fn the_export_form_in_japanese_offers_the_header_language() {
    let mut h = crate::gui_ja::japanese();
    h.get_by_label("エクスポート…").click();
    crate::gui::settle(&mut h);
    for text in ["列見出し：", "英語", "日本語"] {
        assert!(
            h.query_all_by_label(text).next().is_some(),
            "no label {text:?}"
        );
    }
    assert!(h.query_by_label("Column headers:").is_none());
}
