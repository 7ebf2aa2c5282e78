//! The query language of the free-text box (issue 18, part 7) through the library and the
//! CLI: queries select what the equivalent filter chips select, values are bound and match
//! literally, `retrace export --scope view --query` and `--view`, and saved views with their
//! custody entries, which `verify` checks.

use retrace::case::{Case, FilterTerm, SavedView, SortKey, TableQuery};

use crate::tamper_inputs::{build, run_in, tamper, verify};
use crate::util::{TestDir, import, options};

const SHANGHAI: &str = "Hoshizora Technology (Shanghai) Co., Ltd.";

fn count(case: &Case, filter: Vec<FilterTerm>) -> u64 {
    case.timeline()
        .table_count(&TableQuery::whole_case(filter))
        .unwrap()
}

fn query(text: &str) -> FilterTerm {
    FilterTerm::parse_query(text, chrono_tz::UTC).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn q(case: &Case, text: &str) -> u64 {
    count(case, vec![query(text)])
}

#[test]
fn query_language_selects_what_the_filter_chips_select_on_the_sample() {
    let case = Case::open_read_only(crate::gui::sample_case()).unwrap();
    let total = count(&case, vec![]);
    let shanghai = count(&case, vec![FilterTerm::Organization(SHANGHAI.into())]);
    assert_eq!(shanghai, 163);
    assert_eq!(q(&case, &format!("org:\"{SHANGHAI}\"")), shanghai);
    assert_eq!(
        q(&case, "org:*shanghai*"),
        shanghai,
        "case-insensitive glob"
    );
    assert_eq!(q(&case, "org:/Shanghai/"), shanghai);
    assert_eq!(
        q(&case, "org:shanghai"),
        0,
        "a field value is the whole value"
    );
    let success = count(&case, vec![FilterTerm::Outcome("success".into())]);
    assert_eq!(q(&case, "NOT outcome:success"), total - success);
    let denied = count(&case, vec![FilterTerm::Outcome("denied".into())]);
    let failed = count(&case, vec![FilterTerm::Outcome("failed".into())]);
    assert_eq!(q(&case, "outcome:denied OR result:failed"), denied + failed);
    assert_eq!(
        q(&case, "org:*Shanghai* AND NOT outcome:success"),
        count(
            &case,
            vec![
                FilterTerm::Organization(SHANGHAI.into()),
                query("NOT outcome:success")
            ]
        )
    );
    // A second query narrows the first.
    assert_eq!(
        count(
            &case,
            vec![query("org:*Shanghai*"), query("NOT outcome:success")]
        ),
        q(&case, "org:*Shanghai* AND NOT outcome:success")
    );
    // A word alone is the free-text term it always was.
    assert_eq!(query("chen"), FilterTerm::Text("chen".into()));
    // Persons by name (display or native) or roster key.
    let chen = case
        .people()
        .persons()
        .unwrap()
        .into_iter()
        .find(|p| p.display_name == "Chen Siyuan")
        .unwrap();
    let by_id = count(&case, vec![FilterTerm::Person(chen.id)]);
    assert_eq!(q(&case, "person:chen*"), by_id);
    assert_eq!(q(&case, &format!("person:{}", chen.key)), by_id);
    // Systems and categories by name.
    let systems = case.timeline().systems().unwrap();
    let sys = &systems[0];
    assert_eq!(
        q(&case, &format!("system:\"{}\"", sys.name)),
        count(&case, vec![FilterTerm::System(sys.id)])
    );
    let vocab = case.vocabulary().unwrap();
    let (bit, name) = vocab.entries()[0].clone();
    assert_eq!(
        q(&case, &format!("category:\"{name}\"")),
        count(&case, vec![FilterTerm::Category(bit)])
    );
    // time:[..] is the range [from, to), read in the zone given.
    let (a, b) = (1_600_000_000_000_000, 1_610_000_000_000_000);
    let in_range = case
        .timeline()
        .table_count(&TableQuery {
            from_us: a,
            to_us: b,
            filter: vec![],
            sort: SortKey::Time,
            descending: false,
        })
        .unwrap();
    let rfc = |us| {
        chrono::DateTime::from_timestamp_micros(us)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    assert_eq!(q(&case, &format!("time:[{} {}]", rfc(a), rfc(b))), in_range);
    // An account-level query is answered from the aggregates, with the same totals.
    let term = query("org:*Shanghai*");
    assert!(term.is_account_level());
    let mut buckets = retrace::case::Buckets::default();
    let (cf, cl) = (
        case.summary().unwrap().first_ts_us.unwrap(),
        case.summary().unwrap().last_ts_us.unwrap() + 1,
    );
    let index = buckets.for_view(&case, cf, cl, 800).unwrap();
    let (cols, _) = case
        .timeline()
        .timeline_columns(index, cf, cl, 800, &[term])
        .unwrap();
    assert_eq!(cols.iter().map(|c| c.events).sum::<u64>(), shanghai);
    // A time-bounded query's timeline reads only its span, and counts what the table counts,
    // alone, under AND, under OR (the union's span) and when the spans do not meet.
    for text in [
        format!("time:[{} {}]", rfc(a), rfc(b)),
        format!("time:[{} {}] AND NOT outcome:success", rfc(a), rfc(b)),
        format!("time:[{} *] AND system:jp-*", rfc(a)),
        format!(
            "time:[{} {}] OR time:[{} {}]",
            rfc(a),
            rfc(a + 86_400_000_000),
            rfc(b - 86_400_000_000),
            rfc(b)
        ),
        format!(
            "time:[{} {}] AND time:[{} *]",
            rfc(a),
            rfc(a + 1_000_000),
            rfc(b)
        ),
    ] {
        let cols = case
            .timeline()
            .event_columns(cf, cl, 800, &[query(&text)])
            .unwrap();
        assert_eq!(
            cols.iter().map(|c| c.events).sum::<u64>(),
            q(&case, &text),
            "{text}"
        );
    }
    assert_eq!(
        q(
            &case,
            &format!(
                "time:[{} {}] AND time:[{} *]",
                rfc(a),
                rfc(a + 1_000_000),
                rfc(b)
            )
        ),
        0
    );
}

#[test]
fn query_language_values_are_bound_and_match_literally() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let access = t.write(
        "access.csv",
        "time,account,object,outcome\n\
         2021-02-24T09:15:00Z,a1,100%_admin,success\n\
         2021-02-24T09:16:00Z,a1,100xadmin,success\n\
         2021-02-24T09:17:00Z,a2,o'brien,denied\n\
         2021-02-24T09:18:00Z,a2,\"say \"\"hi\"\"\",\n",
    );
    let r = import(&mut case, &access, options(None, None, None)).unwrap();
    assert_eq!(r.result.rows_imported, 4);
    assert_eq!(q(&case, "object:\"100%_admin\""), 1, "% and _ are literal");
    assert_eq!(q(&case, "object:100%_admin"), 1);
    assert_eq!(q(&case, "object:100*"), 2, "* is the wildcard");
    assert_eq!(q(&case, "object:\"100*\""), 0, "a quoted * is literal");
    assert_eq!(q(&case, "object:o'brien"), 1);
    assert_eq!(q(&case, "object:\"say \\\"hi\\\"\""), 1);
    assert_eq!(q(&case, "\"' OR '1'='1\""), 0);
    assert_eq!(q(&case, "object:\"x' OR 1=1 --\""), 0);
    assert_eq!(q(&case, "/%_/"), 1, "a regex sees % and _ as characters");
    assert_eq!(q(&case, "%"), 1);
    // NOT holds where the column is empty: the event without an outcome is not lost.
    assert_eq!(q(&case, "NOT outcome:success"), 2);
    assert_eq!(q(&case, "NOT outcome:success AND NOT outcome:denied"), 1);
}

#[test]
fn export_scope_view_query_exports_what_the_query_selects_and_points_at_errors() {
    let t = TestDir::new();
    build(&t, "q.retrace");
    let config = t.path("config");
    let run = |args: &[&str]| run_in(t.dir.path(), &config, args);
    let (code, out, err) = run(&[
        "export",
        "q.retrace",
        "--scope",
        "view",
        "--query",
        "person:chen* AND object:users",
        "--out",
        "out1",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("exported 1 event "), "{out}");
    let csv = std::fs::read_to_string(t.path("out1/events.csv")).unwrap();
    assert!(
        csv.contains("chen.siyuan") && csv.contains("users"),
        "{csv}"
    );
    // Times in time:[..] are read in --tz: 09:15 and 09:16 in Tokyo, not 10:17.
    let (code, out, err) = run(&[
        "export",
        "q.retrace",
        "--scope",
        "view",
        "--tz",
        "Asia/Tokyo",
        "--query",
        "time:[\"2021-02-24 09:00\" \"2021-02-24 10:00\"]",
        "--out",
        "out2",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("exported 2 events"), "{out}");
    let manifest = std::fs::read_to_string(t.path("out2/manifest.json")).unwrap();
    assert!(manifest.contains("times in Asia/Tokyo"), "{manifest}");
    let (code, _, err) = run(&[
        "export",
        "q.retrace",
        "--scope",
        "view",
        "--query",
        "(person:chen* OR",
        "--out",
        "out3",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--query at column 17: expected a term"),
        "{err}"
    );
    assert!(
        err.contains("  (person:chen* OR\n                  ^"),
        "{err}"
    );
}

#[test]
fn saved_views_cli_save_list_export_delete_with_custody_entries() {
    let t = TestDir::new();
    build(&t, "v.retrace");
    let config = t.path("config");
    let run = |args: &[&str]| run_in(t.dir.path(), &config, args);
    let (code, out, err) = run(&[
        "views",
        "v.retrace",
        "--save",
        "chen users",
        "--query",
        "person:chen* object:users",
        "--tz",
        "Asia/Shanghai",
        "--color-by",
        "outcome",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = run(&["views", "v.retrace"]);
    assert_eq!(code, 0);
    assert!(out.contains("chen users"), "{out}");
    assert!(out.contains("whole case (Asia/Shanghai)"), "{out}");
    assert!(out.contains("colour   outcome"), "{out}");
    let (code, out, err) = run(&[
        "export",
        "v.retrace",
        "--scope",
        "view",
        "--view",
        "chen users",
        "--out",
        "o",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("exported 1 event "), "{out}");
    let (code, _, err) = run(&[
        "export",
        "v.retrace",
        "--scope",
        "view",
        "--view",
        "nope",
        "--out",
        "o2",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("no such saved view"), "{err}");
    assert_eq!(verify(&t, "v.retrace", &[]), (0, vec![]));
    let (code, out, err) = run(&["views", "v.retrace", "--delete", "chen users"]);
    assert_eq!(code, 0, "{out}{err}");
    let case = Case::open_read_only(&t.path("v.retrace")).unwrap();
    assert!(case.annotations().saved_views().unwrap().is_empty());
    let ops: Vec<String> = case
        .custody()
        .custody_entries()
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "saved_view")
        .map(|e| serde_json::from_str::<serde_json::Value>(&e.details).unwrap()["op"].to_string())
        .collect();
    assert_eq!(ops, vec!["\"save\"", "\"delete\""]);
    assert_eq!(verify(&t, "v.retrace", &[]), (0, vec![]));
}

fn view(name: &str, text: &str) -> SavedView {
    SavedView {
        name: name.into(),
        filter: vec![query(text)],
        query: text.into(),
        range: Some((1_614_000_000_000_000, 1_615_000_000_000_000)),
        zone: "Asia/Tokyo".into(),
        color_by: "outcome".into(),
        columns: Some(vec!["time".into(), "person".into()]),
        author: String::new(),
        at_us: 0,
    }
}

#[test]
fn saved_views_keep_their_columns_and_range() {
    let t = TestDir::new();
    let mut case = t.new_case();
    assert!(
        !case
            .writes()
            .save_view(&view("a", "outcome:denied"), "me")
            .unwrap()
    );
    assert!(
        case.writes()
            .save_view(&view("a", "outcome:failed"), "me")
            .unwrap()
    );
    let back = case.annotations().saved_view("a").unwrap().unwrap();
    assert_eq!(back.filter, vec![query("outcome:failed")]);
    assert_eq!(back.columns, Some(vec!["time".into(), "person".into()]));
    assert_eq!(back.range, view("a", "x").range);
    assert_eq!(
        (back.author.as_str(), back.zone.as_str()),
        ("me", "Asia/Tokyo")
    );
    assert!(case.writes().save_view(&view(" ", "x"), "me").is_err());
    assert!(case.writes().delete_view("nope", "me").is_err());
}

#[test]
fn saved_views_changed_added_or_removed_outside_the_app_are_named_by_verify() {
    let t = TestDir::new();
    let path = build(&t, "tv.retrace");
    let config = t.path("config");
    for args in [
        &[
            "views",
            "tv.retrace",
            "--save",
            "a",
            "--query",
            "outcome:denied",
        ][..],
        &[
            "views",
            "tv.retrace",
            "--save",
            "a",
            "--query",
            "outcome:failed",
        ][..],
        &[
            "views",
            "tv.retrace",
            "--save",
            "b",
            "--query",
            "person:chen*",
        ][..],
        &["views", "tv.retrace", "--save", "c", "--query", "org:x"][..],
        &["views", "tv.retrace", "--delete", "c"][..],
    ] {
        let (code, out, err) = run_in(t.dir.path(), &config, args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
    assert_eq!(verify(&t, "tv.retrace", &[]), (0, vec![]));
    tamper(
        &path,
        "UPDATE saved_view SET filter_json = replace(filter_json, 'failed', 'success') WHERE name = 'a';
         DELETE FROM saved_view WHERE name = 'b';
         INSERT INTO saved_view SELECT 'c', filter_json, query, from_us, to_us, zone, color_by,
             columns_json, author, at_us FROM saved_view WHERE name = 'a';",
    );
    let (code, problems) = verify(&t, "tv.retrace", &[]);
    assert_eq!(code, 1);
    let named: Vec<(&str, &str)> = problems
        .iter()
        .map(|(w, y)| (w.as_str(), y.split(':').next().unwrap_or("")))
        .collect();
    assert_eq!(
        named,
        vec![
            ("saved view \"a\"", "was changed"),
            (
                "saved view \"c\"",
                "is in the case, but custody entry 12 records its deletion"
            ),
            (
                "saved view \"b\"",
                "custody entry 10 records it, but the case does not hold it"
            ),
        ],
        "{problems:#?}"
    );
}
