//! Injection: SQL metacharacters (`'`, `"`, `;`, `--`, `%` and `_` in LIKE) in person names,
//! organizations, account names, mapping columns, filter text and subject ids go through the
//! library and the CLI and come out literally; nothing is spliced into SQL.

use retrace::analysis::person::find_person;
use retrace::analysis::subject::lookup_subject;
use retrace::case::{Case, FilterTerm, SortKey, TableQuery};
use retrace::ingest::Profile;
use retrace::model::roster::SourceKind;

use crate::hostile::retrace;
use crate::util::{TestDir, import, options};

const NAME: &str = "o'brien\"; DROP TABLE event; --";
const ORG: &str = "Org'); DELETE FROM person; --";
const ACCOUNT: &str = "acct'--";
const OBJECT: &str = "100%_admin";
const SUBJECT: &str = "x' OR '1'='1";
const SCRIPT: &str = "<img src=x onerror=alert(1)>";
const FORMULA: &str = "=HYPERLINK(\"http://example.invalid/\",\"x\")";

fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn build(t: &TestDir) -> Case {
    let mut case = t.new_case();
    let people = t.write(
        "people.csv",
        format!(
            "person_id,display_name,organization,country\nP01,{},{},JP\n",
            csv_cell(NAME),
            csv_cell(ORG)
        ),
    );
    import(
        &mut case,
        &people,
        options(Some(SourceKind::People), None, None),
    )
    .unwrap();
    let accounts = t.write(
        "accounts.csv",
        format!("account,person_id\n{},P01\n", csv_cell(ACCOUNT)),
    );
    import(
        &mut case,
        &accounts,
        options(Some(SourceKind::Accounts), None, None),
    )
    .unwrap();
    // Column names with metacharacters, mapped by a profile.
    let access = t.write(
        "access.csv",
        format!(
            "{},{},{},{}\n2021-02-24T09:15:00Z,{},{},{}\n2021-02-24T09:16:00Z,plain,100xadmin,U2\n2021-02-24T09:17:00Z,{},{},\n",
            csv_cell("when'--"),
            csv_cell("who\";"),
            csv_cell("obj%_"),
            csv_cell("subj' OR 1=1"),
            csv_cell(ACCOUNT),
            csv_cell(OBJECT),
            csv_cell(SUBJECT),
            csv_cell(SCRIPT),
            csv_cell(FORMULA)
        ),
    );
    let mut profile = Profile::default();
    for (field, col) in [
        ("time", "when'--"),
        ("account", "who\";"),
        ("object", "obj%_"),
        ("subjects", "subj' OR 1=1"),
    ] {
        profile.columns.insert(field.into(), col.into());
    }
    let r = import(&mut case, &access, options(None, None, Some(profile))).unwrap();
    assert_eq!((r.result.rows_imported, r.result.rows_rejected), (3, 0));
    case
}

fn count(case: &Case, filter: Vec<FilterTerm>) -> u64 {
    case.timeline()
        .table_count(&TableQuery {
            from_us: 0,
            to_us: i64::MAX / 2,
            filter,
            sort: SortKey::Time,
            descending: false,
        })
        .unwrap()
}

#[test]
fn metacharacters_are_stored_and_matched_literally() {
    let t = TestDir::new();
    let case = build(&t);
    // Nothing was dropped or deleted, and the names are stored as written.
    assert_eq!(case.summary().unwrap().events, 3);
    let persons = case.people().persons().unwrap();
    assert_eq!(persons.len(), 1);
    assert_eq!(persons[0].display_name, NAME);
    assert_eq!(persons[0].organization.as_deref(), Some(ORG));
    assert_eq!(persons[0].accounts, vec![ACCOUNT.to_string()]);

    // Free text: `%` and `_` are literal characters, not LIKE wildcards.
    assert_eq!(count(&case, vec![]), 3);
    assert_eq!(count(&case, vec![FilterTerm::Text(OBJECT.into())]), 1);
    assert_eq!(count(&case, vec![FilterTerm::Text("%".into())]), 1);
    assert_eq!(count(&case, vec![FilterTerm::Text("_".into())]), 1);
    assert_eq!(
        count(&case, vec![FilterTerm::Text("' OR '1'='1".into())]),
        0
    );
    assert_eq!(count(&case, vec![FilterTerm::Text(NAME.into())]), 1);
    assert_eq!(count(&case, vec![FilterTerm::Organization(ORG.into())]), 1);
    assert_eq!(
        count(&case, vec![FilterTerm::Action("' OR 1=1 --".into())]),
        0
    );

    // Person lookup by the hostile name and account.
    let p = find_person(&case, NAME).unwrap().expect("found by name");
    assert_eq!(p.display_name, NAME);
    assert_eq!(
        find_person(&case, ACCOUNT).unwrap().map(|p| p.key),
        Some("P01".into())
    );
    assert!(find_person(&case, "' OR 1=1 --").unwrap().is_none());

    // Subject lookup: the hostile id is one subject with one event, not "every row".
    let a = lookup_subject(&case, SUBJECT).unwrap();
    assert_eq!(a.hits.len(), 1, "{}", a.message);
    let none = lookup_subject(&case, "U2' OR '1'='1").unwrap();
    assert!(
        none.subject.is_none() && none.hits.is_empty(),
        "{}",
        none.message
    );
}

#[test]
fn metacharacters_through_the_cli_come_out_literally() {
    let t = TestDir::new();
    drop(build(&t));
    let dir = t.dir.path();
    let p = retrace(dir, &["person", "case.retrace", NAME, "--json"]);
    assert_eq!(p.code, 0, "{}", p.stderr);
    let v: serde_json::Value = serde_json::from_str(&p.stdout).unwrap();
    assert!(
        p.stdout.contains(&serde_json::to_string(NAME).unwrap()),
        "{v}"
    );
    let s = retrace(dir, &["subject", "case.retrace", SUBJECT, "--json"]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let v: serde_json::Value = serde_json::from_str(&s.stdout).unwrap();
    let hits = v
        .as_array()
        .and_then(|a| a.first())
        .and_then(|a| a["hits"].as_array())
        .map_or(usize::MAX, Vec::len);
    assert_eq!(hits, 1, "{v}");
    let r = retrace(dir, &["verify", "case.retrace", "--deep"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

/// Exports (the export engineer's writers) keep hostile text inert end to end: a formula cell
/// gets a leading `'` in CSV, and HTML in names is escaped in the report.
#[test]
fn hostile_text_is_inert_in_csv_and_html_exports() {
    let t = TestDir::new();
    drop(build(&t));
    let dir = t.dir.path();
    for (format, out) in [("csv", "out_csv"), ("report", "out_html")] {
        let r = retrace(
            dir,
            &["export", "case.retrace", "--format", format, "--out", out],
        );
        assert_eq!(r.code, 0, "export {format}: {}{}", r.stdout, r.stderr);
    }
    let read_all = |sub: &str, ext: &str| -> String {
        std::fs::read_dir(t.path(sub))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    };
    let csv = read_all("out_csv", "csv");
    assert!(csv.contains("'=HYPERLINK"), "formula neutralised: {csv}");
    assert!(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"));
    assert!(csv.contains(SCRIPT), "CSV keeps the text as written");
    let html = read_all("out_html", "html");
    assert!(!html.is_empty(), "a report was written");
    assert!(!html.contains(SCRIPT), "HTML in names is escaped");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the account is in the report, escaped"
    );
    assert!(!html.contains("<script>alert"), "no script injected");
}
