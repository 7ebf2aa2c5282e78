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
