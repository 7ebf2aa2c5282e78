//! The report's wording on the sample case: counts carry their unit in the right number ("1
//! event", "28 persons and accounts"), the methodology says which times carried their own UTC
//! offset, countries are named ("Japan (JP)", 日本 (JP)), and an annotation names the event it
//! is on (time, account, system, action, source file and line).

use std::path::Path;

use retrace::case::{AnnotationKind, AnnotationTarget, Case};
use retrace::jobs::{CancelToken, NoProgress};
use retrace::ops::export::{
    self, ExportFormat, ExportRequest, ExportScope, Lang, RedactionMode, ReportLayout,
};

use crate::util::{self, TestDir};

pub(crate) fn report(case: &mut Case, scope: ExportScope, lang: Lang, out: &Path) -> String {
    let req = ExportRequest {
        scope,
        format: ExportFormat::Report,
        bom: false,
        redaction: RedactionMode::Keep,
        zone: "Asia/Tokyo".into(),
        lang,
        headers: Lang::En,
        layout: ReportLayout::Ppc,
        out_dir: out.to_path_buf(),
        investigator: "report tester".into(),
    };
    export::run_export(case, &req, &NoProgress, &CancelToken::new()).unwrap();
    std::fs::read_to_string(out.join("report.html")).unwrap()
}

/// Numbers followed by a plural unit where the number is one ("1 events").
fn one_plurals(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for unit in [
        "events",
        "records",
        "subjects",
        "entries",
        "persons and accounts",
        "evidence events",
        "times",
        "data subjects",
    ] {
        let needle = format!("1 {unit}");
        for (i, _) in html.match_indices(&needle) {
            let before = html[..i].chars().next_back().unwrap_or(' ');
            if !before.is_ascii_digit() && before != ',' && before != '.' {
                bad.push(html[i.saturating_sub(40)..(i + 40).min(html.len())].to_string());
            }
        }
    }
    bad
}

#[test]
fn plurals_in_the_report_say_1_event_not_1_events() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    // One access event in scope: every count of it is one.
    let id = case
        .people()
        .person_events("P13")
        .unwrap()
        .first()
        .unwrap()
        .id;
    let scope = ExportScope::Events {
        label: "one event".into(),
        ids: vec![id],
    };
    let html = report(&mut case, scope, Lang::En, &t.path("one"));
    assert!(html.contains("one event (1 event)"), "the scope");
    assert!(html.contains("<td>1 event</td>"), "access events");
    assert!(html.contains("<td>1 person or account</td>"), "actors");
    assert_eq!(one_plurals(&html), Vec::<String>::new());
    // The whole case: units with grouped digits.
    let html = report(&mut case, ExportScope::Case, Lang::En, &t.path("all"));
    let s = case.sources().summary().unwrap();
    assert!(
        html.contains(&format!(
            "{} persons and accounts",
            s.persons + s.unmapped_accounts
        )) || html.contains(" persons and accounts</td>"),
        "the actors count says what it counts"
    );
    assert!(html.contains(" events</td>"));
    assert_eq!(one_plurals(&html), Vec::<String>::new());
    let ja = report(&mut case, ExportScope::Case, Lang::Ja, &t.path("ja"));
    assert!(
        ja.contains("件（人物・アカウント）</td>"),
        "the Japanese counter"
    );
    // Written against the number, as the app writes it (1件, not 1 件).
    assert!(!ja.contains(" 件"), "a space before the counter");
}

#[test]
fn report_methodology_says_which_times_carried_their_own_offset() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    let sources = case.sources().list().unwrap();
    let jp = sources
        .iter()
        .find(|s| s.file_name == "jp_db_audit.csv")
        .unwrap();
    let kr = sources
        .iter()
        .find(|s| s.file_name == "kr_media_access.jsonl")
        .unwrap();
    let sh = sources
        .iter()
        .find(|s| s.file_name == "sh_admin_tool.csv")
        .unwrap();
    let html = report(&mut case, ExportScope::Case, Lang::En, &t.path("en"));
    // The audit log's times carry +09:00: the zone it would have used does not matter.
    let n = retrace::model::plural::grouped(jp.rows_imported);
    assert!(
        html.contains(&format!(
            "All {n} times carried their own UTC offset (+09:00); the zone {} (",
            jp.zone
        )),
        "{}",
        &html[html.find("jp_db_audit.csv").unwrap()..][..1200]
    );
    assert!(html.contains("was not needed."));
    let n = retrace::model::plural::grouped(kr.rows_imported);
    assert!(html.contains(&format!(
        "All {n} times carried their own UTC offset (Z, UTC)"
    )));
    // The admin tool writes naive times: read in the zone given with it.
    let n = retrace::model::plural::grouped(sh.rows_imported);
    assert!(
        html.contains(&format!(
            "All {n} times had no offset and were read in {} (",
            sh.zone
        )),
        "{}",
        &html[html.find("sh_admin_tool.csv").unwrap()..][..1200]
    );
    // The recorded rule is still there, as recorded.
    assert!(html.contains("Recorded rule: offsets and Z in the text are kept"));
    let ja = report(&mut case, ExportScope::Case, Lang::Ja, &t.path("ja"));
    assert!(ja.contains("件の時刻は自身のUTCオフセット（+09:00）付き"));
}

#[test]
fn report_country_names_name_the_country_with_its_code() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    let html = report(&mut case, ExportScope::Case, Lang::En, &t.path("en"));
    for name in [
        "Japan (JP)",
        "Indonesia (ID)",
        "China (CN)",
        "Republic of Korea (KR)",
    ] {
        assert!(html.contains(name), "{name}");
    }
    assert!(
        html.contains("<td>Japan (JP)</td><td class=\"num\">"),
        "persons by country"
    );
    assert!(
        !html.contains("<td>JP</td>"),
        "no bare code where the name is known"
    );
    let ja = report(&mut case, ExportScope::Case, Lang::Ja, &t.path("ja"));
    assert!(ja.contains("<td>日本 (JP)</td>"));
    assert!(ja.contains("中国 (CN)"));
}

#[test]
fn report_annotations_name_the_event_they_are_on() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    let e = case.people().person_events("P13").unwrap()[3].clone();
    case.writes()
        .add_annotation(
            AnnotationTarget::Event(e.id),
            AnnotationKind::Note,
            "asked the overseer",
            "report tester",
        )
        .unwrap();
    let source = case.sources().source(e.source_id).unwrap().unwrap();
    let html = report(&mut case, ExportScope::Case, Lang::En, &t.path("en"));
    let zone: chrono_tz::Tz = "Asia/Tokyo".parse().unwrap();
    let want = format!(
        "event {}: {} · {} ({}) · {} · {} · {}:{}",
        e.id,
        retrace::model::time::format_in_zone(e.ts_us, zone),
        e.account.as_deref().unwrap(),
        e.person_key.as_deref().unwrap(),
        e.system.as_deref().unwrap(),
        e.action.as_deref().unwrap(),
        source.file_name,
        e.line
    );
    let escaped = want
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    assert!(html.contains(&escaped), "{escaped}");
    assert!(html.contains("asked the overseer"));
}
