//! No English left in the Japanese app (issue 19): the sample case is opened in Japanese, every
//! window is opened in turn, and every label and value the accessibility tree holds is read.
//! A word of ASCII letters is allowed only when it is data (it occurs in a text column of the
//! case: names, accounts, systems, files, objects, milestone labels, raw lines), an identifier
//! of the query language or a unit such as UTC. Anything else is English that a catalog should
//! have said, and the failure lists it with its label and the window it was seen in.

use std::collections::{BTreeMap, BTreeSet};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use retrace::gui::{Command, FindingsCommand, LookupCommand, RejectsCommand, RetraceApp};

use crate::gui::{sample_case, settle, wait_for};
use crate::gui_ja::japanese;

/// Words that are identifiers in either language: units, formats, query fields, key names.
const IDENTIFIERS: &[&str] = &[
    "utc",
    "jst",
    "kst",
    "cst",
    "gmt",
    "iana",
    "csv",
    "tsv",
    "json",
    "jsonl",
    "html",
    "sql",
    "pdf",
    "sha",
    "ppc",
    "retrace",
    "ed25519",
    "parquet",
    "timesketch",
    "evtx",
    "regex",
    // The query language's field names and operators (typed as they are in any language).
    "and",
    "not",
    "account",
    "person",
    "org",
    "country",
    "system",
    "stored",
    "action",
    "object",
    "outcome",
    "category",
    "source",
    "session",
    "ticket",
    "raw",
    "time",
    "extra",
    "star",
    "tag",
    "ctrl",
    "shift",
    "esc",
    "enter",
    "home",
    "end",
    "tab",
    // Names of formats and programs.
    "lines",
    "bom",
    "excel",
    "utf",
];

/// egui's own accessibility names for a window's and a panel's handles: read by a screen
/// reader, never drawn, and not the app's to translate.
fn egui_internal(label: &str) -> bool {
    label.starts_with("Resize ") || ["Close window", "Hide", "Show"].contains(&label)
}

/// Every word (a run of ASCII letters) of every text column of the case, lowercased: what is
/// data rather than the app's own words.
fn data_words(case: &std::path::Path) -> BTreeSet<String> {
    let db =
        rusqlite::Connection::open_with_flags(case, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the sample case");
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut words = BTreeSet::new();
    for t in tables {
        if t == "finding_param" || t == "report_text" {
            continue; // the app's own words are written there
        }
        let cols: Vec<String> = db
            .prepare(&format!("SELECT name FROM pragma_table_info('{t}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .filter(|c| t != "custody" || c == "action" || c == "actor")
            // The importer's reasons, the kinds of source and the built-in categories are the
            // app's words, stored in English and shown in the app's language.
            .filter(|c: &String| {
                let app_words = [
                    ("reject", "reason"),
                    ("source", "kind"),
                    ("category", "name"),
                ];
                !app_words.contains(&(t.as_str(), c.as_str()))
            })
            .collect();
        for c in cols {
            let mut st = db
                .prepare(&format!(
                    "SELECT DISTINCT \"{c}\" FROM \"{t}\" WHERE typeof(\"{c}\") = 'text'"
                ))
                .unwrap();
            let rows = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
            for v in rows {
                words.extend(ascii_words(&v.unwrap()));
            }
        }
    }
    words
}

fn ascii_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
}

/// The English words on screen: label or value -> its words not allowed.
fn english_on_screen(
    h: &Harness<'_, RetraceApp>,
    allowed: &BTreeSet<String>,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for node in h.root().children_recursive() {
        let n = node.accesskit_node();
        for text in [n.label(), n.value()].into_iter().flatten() {
            if egui_internal(&text) {
                continue;
            }
            let case_path = sample_case().display().to_string();
            let elided = text.strip_suffix('…').and_then(|t| ascii_words(t).last());
            let bad: Vec<String> = ascii_words(&text.replace(&case_path, ""))
                // A name cut short ("Ishikawa Dai…") is the start of a word of the data.
                .filter(|w| Some(w) != elided.as_ref() || !allowed.iter().any(|a| a.starts_with(w)))
                .filter(|w| w.len() >= 3 && !allowed.contains(w))
                .filter(|w| !IDENTIFIERS.contains(&w.as_str()))
                .collect();
            if !bad.is_empty() {
                out.insert(text.to_string(), bad);
            }
        }
    }
    out
}

fn open_each_window(h: &mut Harness<'static, RetraceApp>) -> Vec<(&'static str, Vec<Command>)> {
    let first = h.state().open_case().unwrap().table.row(0).unwrap().clone();
    let subject = {
        let case = retrace::case::Case::open_read_only(sample_case()).unwrap();
        let keys = case.subjects().subject_keys(1).unwrap();
        keys.into_iter().next().expect("a subject in the sample")
    };
    vec![
        ("desk", vec![]),
        (
            "an event selected",
            vec![Command::SelectEvent {
                id: first.id,
                ts_us: first.ts_us,
                scroll_table: false,
            }],
        ),
        (
            "a person page",
            vec![Command::Lookup(LookupCommand::OpenPerson("P13".into()))],
        ),
        (
            "the subject lookup",
            vec![
                Command::Lookup(LookupCommand::ShowSubjectLookup(true)),
                Command::Lookup(LookupCommand::LookUpSubjects(vec![subject])),
            ],
        ),
        (
            "the rejects viewer",
            vec![Command::Rejects(RejectsCommand::Show {
                source: None,
                mentions_only: false,
            })],
        ),
        (
            "the findings window",
            vec![Command::Findings(FindingsCommand::Show(true))],
        ),
        ("the import window", vec![Command::ShowImportWindow]),
        ("the open window", vec![Command::ShowOpenWindow(true)]),
    ]
}

#[test]
fn no_english_is_left_in_the_japanese_app() {
    let allowed = data_words(sample_case());
    let mut h = japanese();
    let mut seen: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for (window, commands) in open_each_window(&mut h) {
        for c in commands {
            h.state_mut().push_command(c);
        }
        wait_for(&mut h, "the jobs the window started", |h| {
            h.state().open_case().is_some_and(|c| !c.findings.is_busy())
        });
        settle(&mut h);
        for (text, words) in english_on_screen(&h, &allowed) {
            seen.entry(text).or_insert((window.to_string(), words));
        }
    }
    for button in ["エクスポート…", "管理記録…"] {
        h.get_by_label(button).click();
        settle(&mut h);
        for (text, words) in english_on_screen(&h, &allowed) {
            seen.entry(text).or_insert((button.to_string(), words));
        }
    }
    let report: Vec<String> = seen
        .iter()
        .map(|(text, (window, words))| format!("  [{window}] {words:?} in {text:?}"))
        .collect();
    assert!(
        report.is_empty(),
        "{} labels with English words in the Japanese app:\n{}",
        report.len(),
        report.join("\n")
    );
}
