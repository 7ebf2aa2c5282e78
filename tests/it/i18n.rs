//! The Fluent catalogs (`assets/i18n/{en,ja}/*.ftl`): both languages say the same messages with
//! the same variables, Japanese is really translated, and every message id the code names
//! exists. The app in Japanese is driven in `gui_ja.rs`.

use std::collections::BTreeSet;
use std::path::Path;

use retrace::i18n::{self, Lang};

#[test]
fn the_english_and_japanese_catalogs_have_the_same_ids_and_variables() {
    let en = i18n::catalog_shapes(Lang::En).expect("the English catalogs parse");
    let ja = i18n::catalog_shapes(Lang::Ja).expect("the Japanese catalogs parse");
    assert!(en.len() > 50, "found the catalogs ({} messages)", en.len());
    let only_en: Vec<_> = en.keys().filter(|k| !ja.contains_key(*k)).collect();
    let only_ja: Vec<_> = ja.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(only_en.is_empty(), "in English only: {only_en:?}");
    assert!(only_ja.is_empty(), "in Japanese only: {only_ja:?}");
    let mut differ = Vec::new();
    for (id, e) in &en {
        let j = &ja[id];
        if e.vars != j.vars {
            differ.push(format!("{id}: en {:?}, ja {:?}", e.vars, j.vars));
        }
        if e.catalog != j.catalog {
            differ.push(format!("{id}: in {}.ftl and {}.ftl", e.catalog, j.catalog));
        }
    }
    assert!(
        differ.is_empty(),
        "variables differ:\n{}",
        differ.join("\n")
    );
}

#[test]
fn no_japanese_message_is_its_english_one_unless_marked_same() {
    let en = i18n::catalog_shapes(Lang::En).unwrap();
    let ja = i18n::catalog_shapes(Lang::Ja).unwrap();
    let untranslated: Vec<_> = ja
        .iter()
        .filter(|(id, j)| !j.same && en.get(*id).is_some_and(|e| e.text == j.text))
        .map(|(id, _)| id.clone())
        .collect();
    assert!(
        untranslated.is_empty(),
        "Japanese equal to English without `# same`: {untranslated:?}"
    );
}

#[test]
fn the_same_marker_is_seen_so_the_untranslated_check_can_fail() {
    // The check above relies on comparing message texts; make sure equal texts compare equal
    // and different ones do not, on two messages of the catalogs.
    let en = i18n::catalog_shapes(Lang::En).unwrap();
    let ja = i18n::catalog_shapes(Lang::Ja).unwrap();
    assert_ne!(en["toolbar-open"].text, ja["toolbar-open"].text);
    assert_eq!(en["toolbar-open"].text, en["toolbar-open"].text);
}

/// Every `tr!(lang, "id" …)` and `t(lang, "id")` in the sources.
fn ids_named_in_code() -> BTreeSet<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    crate::util::rust_files(&src, &mut files);
    let mut out = BTreeSet::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap().display().to_string();
        // Code only: a doc comment may show the call's shape.
        let text: String = std::fs::read_to_string(&f)
            .unwrap()
            .lines()
            .map(|l| l.find("//").map_or(l, |i| &l[..i]))
            .collect::<Vec<_>>()
            .join("\n");
        for marker in ["tr!(", "t("] {
            for (i, _) in text.match_indices(marker) {
                let before = text[..i].chars().next_back();
                if marker == "t(" && before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = &text[i + marker.len()..];
                // The first argument (a language or a `ui`), then a string literal.
                let Some(comma) = rest.find(',') else {
                    continue;
                };
                if rest[..comma].contains(['(', ')', '"', ';', '{']) {
                    continue;
                }
                let after = rest[comma + 1..].trim_start();
                let Some(lit) = after.strip_prefix('"') else {
                    continue;
                };
                let Some(end) = lit.find('"') else { continue };
                let id = &lit[..end];
                if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    out.insert((rel.clone(), id.to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn every_message_id_the_code_names_is_in_the_catalogs() {
    let named = ids_named_in_code();
    assert!(
        named.iter().any(|(_, id)| id == "toolbar-open"),
        "the scan finds the toolbar's ids ({} found)",
        named.len()
    );
    let missing: Vec<_> = named
        .iter()
        .filter(|(_, id)| !i18n::has(id) && id != "no-such-message")
        .map(|(f, id)| format!("{f}: {id}"))
        .collect();
    assert!(
        missing.is_empty(),
        "ids not in the catalogs:\n{}",
        missing.join("\n")
    );
}

#[test]
fn counts_follow_each_languages_plural_rules() {
    assert_eq!(
        retrace::tr!(Lang::En, "count-persons", count = 1u64),
        "1 person"
    );
    assert_eq!(
        retrace::tr!(Lang::En, "count-persons", count = 28u64),
        "28 persons"
    );
    assert_eq!(
        retrace::tr!(Lang::Ja, "count-persons", count = 28u64),
        "28人"
    );
    assert_eq!(
        retrace::tr!(Lang::Ja, "count-events", count = 12u64),
        "12件"
    );
    assert_eq!(
        retrace::tr!(Lang::En, "count-events", count = 1_000_000u64),
        "1,000,000 events"
    );
}
