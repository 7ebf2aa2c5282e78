//! Findings' titles, explanations and rule names in both languages (issue 19).

use retrace::analysis::findings::{self, Params, RULES};
use retrace::i18n::Lang;

use crate::util::{TestDir, build_sample_case};

#[test]
fn english_rendering_equals_the_rules_text_for_every_sample_finding() {
    let t = TestDir::new();
    let (case, _) = build_sample_case(&t);
    let set = findings::run(&case, &Params::default()).unwrap();
    assert!(!set.findings.is_empty());
    let mut with_messages = 0;
    for f in &set.findings {
        assert_eq!(f.title_in(Lang::En), f.title, "{}", f.key);
        assert_eq!(f.explanation_in(Lang::En), f.explanation, "{}", f.key);
        if let Some(m) = &f.text.title {
            with_messages += 1;
            // A rendered message never shows its id or an unfilled variable.
            let ja = f.title_in(Lang::Ja);
            assert_ne!(ja, m.id);
            assert!(!ja.contains('{'), "{ja}");
            assert_ne!(
                ja, f.title,
                "{}: the Japanese title is the English one",
                f.key
            );
            let jx = f.explanation_in(Lang::Ja);
            assert_ne!(jx, f.explanation, "{}", f.key);
            assert!(!jx.contains('{'), "{jx}");
        }
    }
    // The sample has cross-border findings, which carry messages.
    assert!(with_messages > 0);
}

#[test]
fn rule_names_in_both_languages() {
    for r in RULES {
        assert_eq!(r.name_in(Lang::En), r.as_str());
        let ja = r.name_in(Lang::Ja);
        assert!(!ja.is_ascii(), "{r}: {ja}");
    }
    assert_eq!(
        findings::Rule::CrossBorder.name_in(Lang::Ja),
        "越境アクセス"
    );
}

/// The sample's findings with the parameters that bring every kind out: the rules' defaults,
/// plus an IP map (so that unmapped accounts are judged by source IP) and the `everyone`
/// scope of `outside_approval`.
fn every_kind(case: &retrace::case::Case) -> Vec<findings::Finding> {
    let mut all = findings::run(case, &Params::default()).unwrap().findings;
    let p = Params {
        cross_border_ip_countries: vec!["0.0.0.0/0=CN".into(), "::/0=CN".into()],
        outside_approval_scope: findings::ApprovalScope::Everyone,
        bulk_max_records: 50,
        off_hours_weekends: false,
        ..Params::default()
    };
    let mut more = findings::run(case, &p).unwrap().findings;
    all.append(&mut more);
    all
}

/// The ASCII words of `text` (runs of letters, digits and `_ . - / : @ + =`) that contain a
/// letter.
fn ascii_words(text: &str) -> Vec<String> {
    let part = |c: char| c.is_ascii_alphanumeric() || "_.-/:@+=".contains(c);
    text.split(|c: char| !part(c))
        .map(|w| w.trim_matches(|c: char| ".-:/=+".contains(c)))
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .map(str::to_string)
        .collect()
}

/// Words a Japanese text may show besides the data: acronyms and the parameters' identifiers.
fn allowed_identifiers() -> Vec<String> {
    let mut v: Vec<String> = [
        "UTC",
        "GDPR",
        "IP",
        "IPv4",
        "IPv6",
        "CIDR",
        "CIDR=CC",
        "10.86.0.0/16=CN",
        "ID",
        "true",
        "approval_holders",
        "everyone",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for s in findings::SPECS {
        v.push(format!("{}.{}", s.rule, s.key));
    }
    v
}

#[test]
fn japanese_titles_and_explanations_show_no_english_outside_the_data() {
    let t = TestDir::new();
    let (case, _) = build_sample_case(&t);
    let all = every_kind(&case);
    let allowed = allowed_identifiers();
    let mut kinds = std::collections::BTreeSet::new();
    let mut english = Vec::new();
    for f in &all {
        assert_eq!(f.title_in(Lang::En), f.title, "{}", f.key);
        assert_eq!(f.explanation_in(Lang::En), f.explanation, "{}", f.key);
        let (Some(tm), Some(xm)) = (&f.text.title, &f.text.explanation) else {
            panic!("{}: a finding without messages renders English only", f.key);
        };
        kinds.insert(tm.id);
        let data: Vec<String> = tm
            .data_values()
            .into_iter()
            .chain(xm.data_values())
            .collect();
        for text in [f.title_in(Lang::Ja), f.explanation_in(Lang::Ja)] {
            assert!(!text.contains('{') && !text.contains("findings-"), "{text}");
            for w in ascii_words(&text) {
                if allowed.contains(&w) || data.iter().any(|d| d.contains(&w)) {
                    continue;
                }
                english.push(format!("{}: {w:?} in {text}", f.key));
            }
        }
    }
    english.sort();
    english.dedup();
    assert!(
        english.is_empty(),
        "English in Japanese:\n{}",
        english.join("\n")
    );
    // Every kind of finding the rules make is among them.
    for id in [
        "findings-cross-border-title",
        "findings-cross-border-ip-title",
        "findings-outside-approval-title",
        "findings-unsupervised-title",
        "findings-refused-after-revocation-title",
        "findings-off-hours-title",
        "findings-bulk-title",
        "findings-new-system-title",
        "findings-new-category-title",
    ] {
        assert!(kinds.contains(id), "no finding renders {id} ({kinds:?})");
    }
}

/// The kinds the sample has no finding of (accesses after a revocation, gaps in a log) and
/// the wordings no finding of it takes: every Japanese message of the findings' texts, the
/// parameters and the analysis results, rendered with data in each variable, shows no English
/// word but the data and the identifiers.
#[test]
fn every_japanese_message_of_these_areas_shows_no_english_beside_its_data() {
    let ja = retrace::i18n::catalog_shapes(Lang::Ja).unwrap();
    let allowed = allowed_identifiers();
    let mut english = Vec::new();
    let mut checked = 0;
    for (id, shape) in &ja {
        if !["findings-text", "params", "analysis"].contains(&shape.catalog) {
            continue;
        }
        // Each selector's variants: the default, and each named one.
        let mut values: Vec<&str> = vec!["DATA"];
        for v in [
            "yes",
            "no",
            "all",
            "other_system",
            "none_held",
            "none_in_force",
            "everyone",
            "approval_holders",
            "no_country",
            "no_person",
            "account",
            "person",
            "subject",
        ] {
            values.push(v);
        }
        for v in &values {
            let args: Vec<(&str, retrace::i18n::Arg)> = shape
                .vars
                .iter()
                .map(|k| (k.as_str(), retrace::i18n::Arg::from(*v)))
                .collect();
            let text = retrace::i18n::t_args(Lang::Ja, id, &args);
            checked += 1;
            for w in ascii_words(&text) {
                let rest = w.replace(v, "");
                if !rest.chars().any(|c| c.is_ascii_alphabetic()) || allowed.contains(&w) {
                    continue;
                }
                english.push(format!("{id}: {w:?} in {text}"));
            }
        }
    }
    assert!(checked > 100);
    english.sort();
    english.dedup();
    assert!(
        english.is_empty(),
        "English in Japanese:\n{}",
        english.join("\n")
    );
}

#[test]
fn the_word_check_finds_english() {
    assert_eq!(
        ascii_words("P14 Wang：承認なし（outside_approval.scope = everyone）at 10:15:03Z."),
        [
            "P14",
            "Wang",
            "outside_approval.scope",
            "everyone",
            "at",
            "10:15:03Z"
        ]
    );
}

#[test]
fn parameter_descriptions_in_both_languages() {
    for s in findings::SPECS {
        assert_eq!(
            s.description_in(Lang::En),
            s.description,
            "{}.{}",
            s.rule,
            s.key
        );
        let ja = s.description_in(Lang::Ja);
        assert!(!ja.starts_with("param-"), "{ja}");
        assert!(!ja.is_ascii(), "{}.{}: {ja}", s.rule, s.key);
    }
}

#[test]
fn timestamp_flags_in_both_languages() {
    use retrace::model::TsFlags;
    let all = TsFlags(u16::MAX);
    let en: Vec<String> = all
        .describe_ids()
        .iter()
        .map(|id| retrace::i18n::t(Lang::En, id))
        .collect();
    assert_eq!(en, all.describe());
    assert_eq!(en.len(), 9);
    for id in all.describe_ids() {
        let ja = retrace::i18n::t(Lang::Ja, id);
        assert!(retrace::i18n::has(id) && !ja.is_ascii(), "{id}: {ja}");
    }
}

#[test]
fn subject_messages_in_both_languages() {
    let t = TestDir::new();
    let (case, _) = build_sample_case(&t);
    let queries: Vec<String> = ["U84e8d9190810", "+62-803-0855-6353", "Unobody000", " "]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut answers = retrace::analysis::subject::lookup_subjects(&case, &queries).unwrap();
    answers.push(retrace::analysis::subject::lookup_subject(&case, " ").unwrap());
    // A subject some rejected row mentions, if the sample has one.
    let lookup = retrace::analysis::subject::SubjectLookup::new(&case).unwrap();
    answers.push(lookup.answer("Uf87a0b0b9978").unwrap());
    assert_eq!(answers.last().unwrap().rejected_rows.len(), 1);
    for a in &answers {
        assert_eq!(a.message_in(Lang::En), a.message, "{}", a.query);
        let ja = a.message_in(Lang::Ja);
        assert!(!ja.contains('{') && !ja.contains("analysis-"), "{ja}");
        // The rejected rows' places and reasons are the import's words, not this message's.
        let data: Vec<String> = a
            .rejected_rows
            .iter()
            .flat_map(|r| [r.place(), r.row.reason.clone()])
            .chain([a.query.clone()])
            .collect();
        for w in ascii_words(&ja) {
            assert!(
                w == "UTC" || data.iter().any(|d| d.contains(&w)),
                "{w:?} in {ja}"
            );
        }
        for r in &a.rejected_rows {
            assert_eq!(r.mentions_text_in(Lang::En), r.mentions_text());
            let ja = r.mentions_text_in(Lang::Ja);
            assert!(ja.starts_with("アカウント "), "{ja}");
        }
    }
    assert_eq!(
        answers[2].message_in(Lang::Ja),
        "本人の名簿にない識別子。2018年5月31日（木）～2021年3月31日（水）（UTCの日付）を対象とするソースにアクセスの記録はありません"
    );
    assert!(
        answers[0]
            .message_in(Lang::Ja)
            .contains("アクセスイベント 5件")
    );
}

/// Country codes in the findings' texts: the code in English (as the rosters hold it), the
/// country's name in Japanese (中国, 日本, 韓国), for the roster rule and the source-IP rule.
#[test]
fn cross_border_texts_name_the_countries_in_japanese() {
    let t = TestDir::new();
    let (case, _) = build_sample_case(&t);
    let all = every_kind(&case);
    let mut seen = std::collections::BTreeSet::new();
    for f in all.iter().filter(|f| f.rule == findings::Rule::CrossBorder) {
        let (en, ja) = (f.title_in(Lang::En), f.title_in(Lang::Ja));
        let xja = f.explanation_in(Lang::Ja);
        for (code, name) in [("CN", "中国"), ("JP", "日本"), ("KR", "韓国")] {
            if en.contains(code) {
                seen.insert(code);
                assert!(ja.contains(name), "{code} is not {name} in {ja}");
                assert!(xja.contains(name), "{code} is not {name} in {xja}");
            }
            // No code is left beside the Japanese words.
            assert!(!ja.contains(code), "{code} in {ja}");
        }
    }
    // The sample's Shanghai staff read Japanese and Korean data; the IP map says CN.
    assert!(
        seen.len() >= 2,
        "the sample's cross-border findings name {seen:?}"
    );
    let ip = all
        .iter()
        .find(|f| {
            f.text
                .title
                .as_ref()
                .is_some_and(|m| m.id == "findings-cross-border-ip-title")
        })
        .expect("a finding by source IP");
    assert!(
        ip.title_in(Lang::Ja).contains("送信元IPの国：中国"),
        "{}",
        ip.title_in(Lang::Ja)
    );
    assert!(
        ip.explanation_in(Lang::Ja).contains("行為者の国は 中国"),
        "{}",
        ip.explanation_in(Lang::Ja)
    );
}
