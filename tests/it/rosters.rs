//! Rosters with their own column names: header synonyms, mapping profiles for every roster
//! kind (one header feeding two fields), the error for a header that fits no layout, the
//! columns nothing reads listed in the import output, `--json`, on the source and in `info`,
//! `preview` / `--save-profile` for rosters, and milestone scopes given by name.

use std::path::Path;

use retrace::ingest::{self, Profile, SourceOptions};
use retrace::model::roster::SourceKind;

use crate::util::{TestDir, import, options, retrace};

fn one<T: rusqlite::types::FromSql>(case: &Path, sql: &str) -> T {
    let c = rusqlite::Connection::open(case).unwrap();
    c.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn profile(toml_text: &str) -> Profile {
    let p: Profile = toml::from_str(toml_text).unwrap();
    p.validate().unwrap();
    p
}

const PEOPLE: &str = "person_id,display_name,organization,country\n\
    P01,Chen Siyuan,Hoshizora Technology,CN\n\
    P02,Sato Yui,Tsukimi Bank,JP\n\
    P03,Ito Ren,Tsukimi Bank,JP\n\
    P04,Akane Trading,Akane Trading,JP\n";

#[test]
fn a_systems_roster_with_storage_country_is_detected_and_keeps_the_country() {
    let t = TestDir::new();
    let f = t.write(
        "systems.csv",
        "system,storage_country,categories\njp-report-db,JP,name;phone\nus-crm,US,email\n",
    );
    let mut case = t.new_case();
    let r = import(&mut case, &f, SourceOptions::default()).unwrap();
    assert_eq!(r.plan.kind, SourceKind::Systems);
    assert_eq!(
        (
            r.result.rows_read,
            r.result.rows_imported,
            r.result.rows_rejected
        ),
        (2, 2, 0)
    );
    assert!(r.unread_columns.is_empty(), "{:?}", r.unread_columns);
    drop(case);
    let p = t.path("case.retrace");
    let c: String = one(&p, "SELECT country FROM system WHERE name = 'jp-report-db'");
    assert_eq!(c, "JP");
    let c: String = one(&p, "SELECT country FROM system WHERE name = 'us-crm'");
    assert_eq!(c, "US");
}

#[test]
fn roster_synonyms_read_from_to_customer_id_and_date() {
    let t = TestDir::new();
    let mut case = t.new_case();
    import(
        &mut case,
        &t.write("people.csv", PEOPLE),
        SourceOptions::default(),
    )
    .unwrap();
    let cases: [(&str, &str, SourceKind, u64); 3] = [
        (
            "approvals.csv",
            "person_id,system,from,to\nP01,jp-report-db,2024-01-01,2024-03-31\nP02,jp-report-db,2024-02-01,2024-02-29\n",
            SourceKind::Approvals,
            2,
        ),
        (
            "subjects.csv",
            "customer_id,country,email\nC-1001,JP,a@example.jp\nC-1002,KR,\nC-1003,CN,c@example.cn\n",
            SourceKind::Subjects,
            3,
        ),
        (
            "milestones.csv",
            "date,label,kind\n2024-02-01,contract signed,contract_started\n",
            SourceKind::Milestones,
            1,
        ),
    ];
    for (name, text, kind, n) in cases {
        let r = import(&mut case, &t.write(name, text), SourceOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e:#}"));
        assert_eq!(r.plan.kind, kind, "{name}");
        assert_eq!(
            (
                r.result.rows_read,
                r.result.rows_imported,
                r.result.rows_rejected
            ),
            (n, n, 0),
            "{name}: {:?}",
            r.rejects
        );
        assert!(r.unread_columns.is_empty(), "{name}");
    }
    drop(case);
    let p = t.path("case.retrace");
    let to: i64 = one(
        &p,
        "SELECT valid_to_us FROM approval a JOIN person p ON p.id = a.person_id WHERE p.person_key = 'P01'",
    );
    // A date-only end is the whole of that day.
    assert_eq!(
        retrace::model::time::format_utc(to),
        "2024-03-31T23:59:59.999999Z"
    );
    let n: i64 = one(
        &p,
        "SELECT count(*) FROM subject WHERE key IN ('C-1001', 'C-1002', 'C-1003')",
    );
    assert_eq!(n, 3);
}

#[test]
fn profiles_map_every_roster_kind_and_one_header_may_feed_two_fields() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let imports: [(&str, &str, &str, u64); 6] = [
        (
            "staff.csv",
            "Staff No;Name;Company;Land\nP01;Chen Siyuan;Hoshizora Technology;CN\nP02;Sato Yui;Tsukimi Bank;JP\n",
            "kind = \"people\"\ndelimiter = \";\"\n[columns]\nperson_id = \"Staff No\"\ndisplay_name = \"Name\"\norganization = \"Company\"\ncountry = \"Land\"\n",
            2,
        ),
        (
            "logins.csv",
            "login_name,staff\nchen.siyuan,P01\nsato.yui,P02\n",
            "kind = \"accounts\"\n[columns]\naccount = \"login_name\"\nperson_id = \"staff\"\n",
            2,
        ),
        (
            "assets.csv",
            "asset,hosted_in,holds\njp-report-db,JP,name;phone\n",
            "kind = \"systems\"\n[columns]\nsystem = \"asset\"\ncountry = \"hosted_in\"\ncategories = \"holds\"\n",
            1,
        ),
        (
            "grants.csv",
            "who,what,begins,ends,approved_by\nP01,jp-report-db,2024-01-01,2024-06-30,P02\n",
            "kind = \"approvals\"\n[columns]\nperson_id = \"who\"\nsystem = \"what\"\nvalid_from = \"begins\"\nvalid_to = \"ends\"\napprover = \"approved_by\"\noverseer = \"approved_by\"\n",
            1,
        ),
        (
            "events.csv",
            "when_utc,what_happened,type\n2024-02-01T00:00:00Z,contract signed,contract_started\n",
            "kind = \"milestones\"\n[columns]\nat = \"when_utc\"\nlabel = \"what_happened\"\nkind = \"type\"\n",
            1,
        ),
        (
            "customers.csv",
            "cust,residence_iso,tel\nC-9,JP,+81 90 1234 5678\n",
            "kind = \"subjects\"\n[columns]\nsubject_id = \"cust\"\ncountry = \"residence_iso\"\nphone = \"tel\"\n",
            1,
        ),
    ];
    for (name, text, prof, n) in imports {
        let r = import(
            &mut case,
            &t.write(name, text),
            options(None, None, Some(profile(prof))),
        )
        .unwrap_or_else(|e| panic!("{name}: {e:#}"));
        assert_eq!(
            (
                r.result.rows_read,
                r.result.rows_imported,
                r.result.rows_rejected
            ),
            (n, n, 0),
            "{name}: {:?}",
            r.rejects
        );
        assert!(
            r.unread_columns.is_empty(),
            "{name}: {:?}",
            r.unread_columns
        );
    }
    drop(case);
    let p = t.path("case.retrace");
    let (approver, overseer): (i64, i64) = {
        let c = rusqlite::Connection::open(&p).unwrap();
        c.query_row("SELECT approver_id, overseer_id FROM approval", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
    };
    assert_eq!(approver, overseer);
    let key: String = one(
        &p,
        &format!("SELECT person_key FROM person WHERE id = {approver}"),
    );
    assert_eq!(key, "P02");
    let org: String = one(
        &p,
        "SELECT organization FROM person WHERE person_key = 'P01'",
    );
    assert_eq!(org, "Hoshizora Technology");
    let acc: String = one(
        &p,
        "SELECT p.person_key FROM account a JOIN person p ON p.id = a.person_id WHERE a.name = 'sato.yui'",
    );
    assert_eq!(acc, "P02");
    let c: String = one(&p, "SELECT country FROM system WHERE name = 'jp-report-db'");
    assert_eq!(c, "JP");
    let label: String = one(&p, "SELECT label FROM milestone");
    assert_eq!(label, "contract signed");
    let country: String = one(&p, "SELECT country FROM subject WHERE key = 'C-9'");
    assert_eq!(country, "JP");
}

#[test]
fn a_roster_profile_naming_a_field_of_another_kind_is_refused() {
    let p: Profile = toml::from_str("kind = \"systems\"\n[columns]\nperson_id = \"x\"\n").unwrap();
    let e = p.validate().unwrap_err();
    assert!(e.contains("not a field of a systems roster"), "{e}");
    assert!(
        e.contains("system, country, categories, description"),
        "{e}"
    );
    let p: Profile = toml::from_str("kind = \"rooms\"\n").unwrap();
    assert!(p.validate().unwrap_err().contains("kind \"rooms\""));
}

#[test]
fn a_header_that_fits_no_layout_names_the_closest_kinds_and_their_missing_columns() {
    let t = TestDir::new();
    let f = t.write(
        "assets.csv",
        "asset_name,storage_country,categories\njp-report-db,JP,name\n",
    );
    let mut case = t.new_case();
    let e = format!(
        "{:#}",
        import(&mut case, &f, SourceOptions::default()).unwrap_err()
    );
    assert!(e.contains("systems (missing: system)"), "{e}");
    assert!(e.contains("kind = \"KIND\""), "{e}");
    // Declared, the error is about that kind and says how to map it.
    let e = format!(
        "{:#}",
        import(
            &mut case,
            &f,
            options(Some(SourceKind::Systems), None, None)
        )
        .unwrap_err()
    );
    assert!(
        e.contains("a systems roster needs the column(s) system"),
        "{e}"
    );
    assert!(e.contains("[columns] system = \"<header>\""), "{e}");
    assert!(!e.contains("event time"), "{e}");
}

#[test]
fn every_column_nothing_reads_is_listed_in_the_output_the_json_the_source_and_info() {
    let t = TestDir::new();
    let f = t.write(
        "systems.csv",
        "system,storage_country,owner_team,categories,\njp-report-db,JP,crm,name,x\n",
    );
    let case = t.path("c.retrace");
    let c = case.to_str().unwrap();
    let (code, out, err) = retrace(&["import", c, f.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("not read: owner_team, column 5 (no header)"),
        "{out}"
    );
    let (code, out, _) = retrace(&["info", c]);
    assert_eq!(code, 0);
    assert!(
        out.contains("not read: owner_team, column 5 (no header)"),
        "{out}"
    );
    let (_, out, _) = retrace(&["info", c, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["sources"][0]["unread_columns"],
        serde_json::json!(["owner_team", "column 5 (no header)"])
    );
    let f2 = t.write("more.csv", "system,owner_team\nus-crm,sales\n");
    let (code, out, err) = retrace(&["import", c, f2.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["imports"][0]["unread_columns"],
        serde_json::json!(["owner_team"])
    );
    assert_eq!(v["imports"][0]["plan"]["kind"], "systems");
    // On the source record itself.
    let m: String = one(&case, "SELECT mapping_json FROM source WHERE id = 2");
    let m: serde_json::Value = serde_json::from_str(&m).unwrap();
    assert_eq!(m["unread_columns"], serde_json::json!(["owner_team"]));
    assert_eq!(m["columns"]["system"], "system");
}

#[test]
fn an_access_csv_column_without_a_header_is_listed_as_not_read() {
    let t = TestDir::new();
    let f = t.write(
        "access.csv",
        "time,user,,action\n2024-01-01T00:00:00Z,alice,lost,SELECT\n",
    );
    let mut case = t.new_case();
    let r = import(&mut case, &f, SourceOptions::default()).unwrap();
    assert_eq!(r.plan.kind, SourceKind::Access);
    assert_eq!(r.unread_columns, vec!["column 3 (no header)".to_string()]);
    assert_eq!(r.result.rows_imported, 1);
}

#[test]
fn preview_shows_a_roster_mapping_and_save_profile_writes_one_that_imports() {
    let t = TestDir::new();
    let f = t.write(
        "approvals.csv",
        "person_id,system,from,to,approver\nP01,db,2024-01-01,2024-02-01,P02\n",
    );
    let prof = t.path("approvals.toml");
    let (code, out, err) = retrace(&[
        "preview",
        f.to_str().unwrap(),
        "--save-profile",
        prof.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("kind:     approvals"), "{out}");
    assert!(
        out.contains("mapping (approvals field <- column):"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.contains("valid_from") && l.contains("<- from") && l.contains("guessed")),
        "{out}"
    );
    assert!(
        out.contains("line    2  approval person \"P01\" on \"db\""),
        "{out}"
    );
    let text = std::fs::read_to_string(&prof).unwrap();
    assert!(text.contains("kind = \"approvals\""), "{text}");
    assert!(text.contains("valid_from = \"from\""), "{text}");
    // The saved profile, edited to read the approver as overseer too, imports.
    let mut p = Profile::load(&prof).unwrap();
    p.columns.insert("overseer".into(), "approver".into());
    let plan = ingest::plan(&f, &options(None, None, Some(p))).unwrap();
    assert_eq!(plan.kind, SourceKind::Approvals);
    let m = plan.roster_mapping.unwrap();
    assert_eq!(m.get("overseer"), Some("approver"));
    assert_eq!(m.get("approver"), Some("approver"));
    assert!(m.from_profile["overseer"]);
}

#[test]
fn a_milestone_scope_that_names_one_organization_or_person_is_resolved_with_a_note() {
    let t = TestDir::new();
    let mut case = t.new_case();
    import(
        &mut case,
        &t.write("people.csv", PEOPLE),
        SourceOptions::default(),
    )
    .unwrap();
    let f = t.write(
        "milestones.csv",
        "at,label,kind,scope\n\
         2024-01-01,contract,contract_started,Hoshizora Technology\n\
         2024-01-02,access,access_granted,Chen Siyuan\n\
         2024-01-03,revoked,access_revoked,P02\n\
         2024-01-04,unknown,other,Nobody Inc\n\
         2024-01-05,both,other,Akane Trading\n\
         2024-01-06,all,law_in_force,all\n",
    );
    let r = import(&mut case, &f, SourceOptions::default()).unwrap();
    assert_eq!(
        (
            r.result.rows_read,
            r.result.rows_imported,
            r.result.rows_rejected
        ),
        (6, 4, 2),
        "{:?}",
        r.rejects
    );
    let why: Vec<(i64, &str)> = r
        .rejects
        .iter()
        .map(|x| (x.line, x.reason.as_str()))
        .collect();
    assert_eq!(why[0].0, 5);
    assert!(
        why[0]
            .1
            .contains("no organization or person in the case has that name")
    );
    assert_eq!(why[1].0, 6);
    assert!(
        why[1].1.contains("is ambiguous")
            && why[1].1.contains("organization \"Akane Trading\"")
            && why[1].1.contains("person P04"),
        "{}",
        why[1].1
    );
    assert_eq!(r.notes.len(), 3, "{:?}", r.notes);
    assert!(r.notes[0].starts_with("line 2: "), "{:?}", r.notes);
    assert!(r.notes[0].contains("read as org:Hoshizora Technology"));
    assert!(r.notes[1].contains("read as person:P01"));
    assert!(r.notes[2].contains("person_id of one person"));
    let id = r.result.source_id;
    drop(case);
    let p = t.path("case.retrace");
    let c = rusqlite::Connection::open(&p).unwrap();
    let scopes: Vec<(String, Option<String>)> = c
        .prepare("SELECT scope_kind, scope_value FROM milestone ORDER BY line")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        scopes,
        vec![
            ("org".into(), Some("Hoshizora Technology".into())),
            ("person".into(), Some("P01".into())),
            ("person".into(), Some("P02".into())),
            ("all".into(), None),
        ]
    );
    // The notes are on the source and in `info`.
    let (_, out, _) = retrace(&["info", p.to_str().unwrap()]);
    assert!(
        out.contains("note: line 3: scope \"Chen Siyuan\" is the display name of one person"),
        "{out}"
    );
    let case = retrace::case::Case::open_read_only(&p).unwrap();
    assert_eq!(case.sources().source(id).unwrap().unwrap().notes.len(), 3);
}
