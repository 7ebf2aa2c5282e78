//! The whole Japanese report of the sample case has no English word left (issue 19, part 4):
//! the report is exported in Japanese, its tags are stripped (and with them the style sheet
//! and the `<code>` spans, which hold command lines and rule parameters by name), the data
//! values the case holds are taken out (names of accounts, persons, organizations, systems,
//! files, milestones and categories; person and subject ids; finding keys; the case's title;
//! hashes and signatures), and what is left may hold no run of three or more ASCII letters
//! but the identifiers of the allow-list (UTC, JST, CSV, SHA-256, …).

use std::collections::BTreeSet;

use retrace::case::{AnnotationKind, AnnotationTarget, Case};
use retrace::ops::export::{ExportScope, Lang};

use crate::report_wording::report;
use crate::util::{self, TestDir};

/// Identifiers a Japanese report may show in Latin letters.
const ALLOWED: &[&str] = &[
    "UTC", "JST", "CSV", "SHA", "IP", "ID", "PPC", "GDPR", "Retrace", "retrace", "RFC",
    // Network notation and the rule parameters' literal values, quoted as they are typed.
    "CIDR", "IPv", "approval", "holders", "everyone", "true", "false",
];

/// The text a reader sees: no style sheet, no command lines or parameter names (`<code>`),
/// no tags; entities decoded. Attribute text a reader may be given (`aria-label`) is kept.
fn visible_text(html: &str) -> String {
    let mut s = html.to_string();
    for (open, close) in [("<style>", "</style>"), ("<code>", "</code>")] {
        while let Some(i) = s.find(open) {
            let j = s[i..].find(close).map_or(s.len(), |j| i + j + close.len());
            s.replace_range(i..j, " ");
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push('\n');
        let Some(j) = rest[i..].find('>') else { break };
        let tag = &rest[i..i + j];
        if let Some(k) = tag.find("aria-label=\"") {
            let label = &tag[k + 12..];
            out.push_str(&label[..label.find('"').unwrap_or(label.len())]);
            out.push('\n');
        }
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Every value from the case that the report may show as it is stored.
fn data_values(case: &Case, html_ja: &str) -> Vec<String> {
    let mut v: BTreeSet<String> = BTreeSet::new();
    let l = case.export().export_lookups().unwrap();
    for p in l.persons.values() {
        v.insert(p.key.clone());
        v.insert(p.display_name.clone());
        // The chart's legend cuts names at 42 characters.
        v.extend(p.organization.iter().map(|o| o.chars().take(42).collect()));
        v.extend(p.organization.clone());
    }
    v.extend(l.accounts.values().map(|a| a.name.clone()));
    v.extend(l.systems.values().map(|s| s.name.clone()));
    v.extend(l.subjects.values().map(|s| s.key.clone()));
    for s in case.sources().list().unwrap() {
        v.insert(s.file_name.clone());
        v.insert(s.sha256.clone());
        v.insert(s.zone.clone());
        // The format and encoding names, as the import recorded them.
        v.insert(s.format.clone());
        v.insert(s.encoding.clone());
    }
    for m in case.people().milestones().unwrap() {
        // The timeline chart cuts labels at 40 characters.
        v.insert(m.label.chars().take(40).collect());
        v.insert(m.label.clone());
    }
    let vocab = case.vocabulary().unwrap();
    for name in vocab.names(retrace::model::CategorySet(u64::MAX)) {
        // Shown beside its Japanese name: 氏名 (name).
        v.insert(format!("({name})"));
    }
    for a in case.annotations().list().unwrap() {
        v.insert(a.text.clone());
        v.insert(a.author.clone());
        // An annotated event is named with its action.
        if let AnnotationTarget::Event(id) = a.target
            && let Some(e) = case.sources().event_row(id).unwrap()
        {
            v.extend(e.action);
        }
    }
    for k in ["title", "case_id"] {
        v.extend(case.meta(k).unwrap());
    }
    let seen = visible_text(html_ja);
    let params = retrace::analysis::findings::Params::from_case(case).unwrap();
    let set = retrace::analysis::findings::run(case, &params).unwrap();
    for f in &set.findings {
        v.insert(f.key.clone());
    }
    // The rules' parameter descriptions are still English (their translation, `description_in`,
    // is another part of issue 19); once they are translated this takes nothing out.
    for s in retrace::analysis::findings::SPECS {
        if seen.contains(s.description) {
            v.insert(s.description.to_string());
        }
    }
    v.insert("report tester".into());
    v.retain(|s| !s.trim().is_empty());
    // Longest first, so that a name is taken out before a part of it.
    let mut v: Vec<String> = v.into_iter().collect();
    v.sort_by_key(|s| std::cmp::Reverse(s.len()));
    v
}

/// `text` without hashes, key fingerprints and signatures (runs of 16 or more hex digits).
fn without_hex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_hexdigit() {
            run.push(c);
            continue;
        }
        if run.len() < 16 {
            out.push_str(&run);
        }
        run.clear();
        out.push(c);
    }
    out
}

/// Runs of three or more ASCII letters not in the allow-list, each with its context.
fn english_words(text: &str) -> Vec<String> {
    let text = without_hex(text);
    let mut found = Vec::new();
    for line in text.lines() {
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            if !chars[i].1.is_ascii_alphabetic() {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && chars[i].1.is_ascii_alphabetic() {
                i += 1;
            }
            let (a, b) = (chars[start].0, chars.get(i).map_or(line.len(), |c| c.0));
            let word = &line[a..b];
            // Command-line options (`--year`) are identifiers.
            let option = line[..a].ends_with("--");
            if word.len() >= 3 && !ALLOWED.contains(&word) && !option {
                found.push(format!("{word:?} in {:?}", line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_japanese_report_of_the_sample_has_no_english_word_outside_the_data() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    // An annotation on an event and one on a range, so their table is in the report.
    let e = case.people().person_events("P13").unwrap()[2].clone();
    case.writes()
        .add_annotation(
            AnnotationTarget::Event(e.id),
            AnnotationKind::Note,
            "監督者に確認した",
            "調査員",
        )
        .unwrap();
    case.writes()
        .add_annotation(
            AnnotationTarget::Range {
                from_us: e.ts_us,
                to_us: e.ts_us + 3_600_000_000,
            },
            AnnotationKind::Tag,
            "要確認",
            "調査員",
        )
        .unwrap();
    let html = report(&mut case, ExportScope::Case, Lang::Ja, &t.path("ja"));
    let mut text = visible_text(&html);
    for value in data_values(&case, &html) {
        text = text.replace(&value, " ");
    }
    let words = english_words(&text);
    assert!(
        words.is_empty(),
        "{} English words in the Japanese report:\n{}",
        words.len(),
        words.join("\n")
    );
    // The check sees English where there is some: the English report is full of it.
    let en = report(&mut case, ExportScope::Case, Lang::En, &t.path("en"));
    let mut text = visible_text(&en);
    for value in data_values(&case, &en) {
        text = text.replace(&value, " ");
    }
    assert!(english_words(&text).len() > 100);
}

#[test]
fn a_persons_report_in_japanese_names_its_scope_in_japanese() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    let html = report(
        &mut case,
        ExportScope::Persons(vec!["P13".into(), "P14".into()]),
        Lang::Ja,
        &t.path("ja"),
    );
    assert!(html.contains("<td>人物 P13、P14</td>"), "the scope");
}

#[test]
fn the_reading_rules_in_the_japanese_methodology_are_translated_and_the_english_quoted() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    let ja = report(&mut case, ExportScope::Case, Lang::Ja, &t.path("ja"));
    assert!(ja.contains("記録された読込規則：文中のオフセット及びZはそのまま採用。"));
    assert!(ja.contains("既知の形式に当たらない規則は、記録された原文のまま引用"));
    assert!(!ja.contains("offsets and Z in the text are kept"));
    let en = report(&mut case, ExportScope::Case, Lang::En, &t.path("en"));
    assert!(en.contains("Recorded rule: offsets and Z in the text are kept"));
}

#[test]
fn every_ppc_item_of_the_japanese_report_states_its_source_in_the_case() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    case.writes()
        .set_report_text("ppc.cause", "ja", "アクセス制限がなかった。", "調査員")
        .unwrap();
    let ja = report(&mut case, ExportScope::Case, Lang::Ja, &t.path("ja"));
    // Each item's heading is followed, before the next heading, by its source.
    let items = &ja[ja.find("<h3>1. 概要</h3>").unwrap()..];
    let items = &items[..items.find("<h2>").unwrap()];
    let sections: Vec<&str> = items.split("<h3>").skip(1).collect();
    assert!(sections.len() >= 9, "{} items", sections.len());
    for s in &sections {
        let heading = &s[..s.find("</h3>").unwrap()];
        if heading.contains("これらの件数に影響し得る除外行") {
            continue; // the rejected rows under the outline's figures
        }
        assert!(s.contains("出典："), "no source under {heading}");
    }
    assert!(ja.contains(
        "出典：本案件に保存された調査担当者の記載（報告書の文章 <code>ppc.cause</code>）。"
    ));
    assert!(ja.contains(
        "出典：調査担当者の記載（報告書の文章 <code>ppc.other</code>）。本案件では未記入。"
    ));
    assert!(ja.contains("出典：本案件のイベントのうち対象範囲のもの（"));
}

#[test]
fn a_view_with_open_ends_reads_so_in_the_japanese_scope() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    let html = report(
        &mut case,
        ExportScope::View {
            from_us: i64::MIN / 2,
            to_us: i64::MAX / 2,
            filter: vec![retrace::case::FilterTerm::Organization(
                "Hoshizora Korea".into(),
            )],
        },
        Lang::Ja,
        &t.path("ja"),
    );
    assert!(
        html.contains("表示範囲 （始期なし） ～ （終期なし）（UTC）。条件：組織 Hoshizora Korea"),
        "{}",
        &html[html.find("対象範囲").unwrap()..][..400]
    );
}
