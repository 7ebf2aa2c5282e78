//! Findings and impact against the generator's ground truth — on the bundled sample case and on
//! a second generated case with another seed and size — plus parameters, dispositions, coverage
//! gaps with declared retention, and the CLI.

use std::collections::BTreeMap;

use retrace::analysis::findings::{self, CoverageKind, FindingSet, Params};
use retrace::case::Case;
use retrace::jobs::{CancelToken, NoProgress};
use retrace::model::roster::SourceKind;
use retrace::ops::sample::build_case_from_dir;
use retrace::synth::{self, GenParams, GroundTruth, PersonFindings};

use crate::util::{TestDir, build_sample_case, import, options, retrace};

fn utc_ms(ts_us: i64) -> String {
    chrono::DateTime::from_timestamp_micros(ts_us)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// Per person: (findings, sum of counts) of the findings selected by `pick`.
fn per_person(
    set: &FindingSet,
    pick: impl Fn(&findings::Finding) -> bool,
) -> BTreeMap<String, (u64, u64)> {
    let mut out: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for f in set.findings.iter().filter(|f| pick(f)) {
        assert_eq!(f.person_keys.len(), 1, "{}", f.key);
        let e = out.entry(f.person_keys[0].clone()).or_default();
        e.0 += 1;
        e.1 += f.count;
    }
    out
}

fn truth_map(v: &[PersonFindings]) -> BTreeMap<String, (u64, u64)> {
    v.iter()
        .map(|p| (p.person_id.clone(), (p.findings, p.count)))
        .collect()
}

/// Every finding and impact figure of `case` equals the generator's ground truth `gt`.
fn check_against_truth(case: &Case, gt: &GroundTruth) {
    let ft = &gt.findings;
    let set = findings::run(case, &Params::default()).unwrap();
    assert_eq!(set.events_scanned, gt.total_events);
    let rule = |r: &'static str| move |f: &findings::Finding| f.rule == r;

    assert_eq!(
        per_person(&set, rule("cross_border")),
        truth_map(&ft.cross_border),
        "cross_border"
    );
    let abroad: Vec<(String, u64)> = set
        .reached_from_abroad
        .iter()
        .map(|r| (r.subject_country.clone(), r.subjects))
        .collect();
    let mut want: Vec<(String, u64)> = ft
        .cross_border_subjects
        .iter()
        .map(|c| (c.country.clone(), c.subjects))
        .collect();
    want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    assert_eq!(abroad, want, "subjects reached from abroad");
    let mut cells: Vec<(String, String, u64)> = set
        .reached_from_abroad
        .iter()
        .flat_map(|r| {
            r.by_category
                .iter()
                .map(|(c, n)| (c.clone(), r.subject_country.clone(), *n))
        })
        .collect();
    cells.sort();
    let mut want: Vec<(String, String, u64)> = ft
        .cross_border_by_category
        .iter()
        .map(|c| (c.category.clone(), c.country.clone(), c.subjects))
        .collect();
    want.sort();
    assert_eq!(cells, want, "reached from abroad by category");

    assert_eq!(
        per_person(&set, rule("outside_approval")),
        truth_map(&ft.outside_approval),
        "outside_approval"
    );
    assert_eq!(
        per_person(&set, rule("unsupervised")),
        truth_map(&ft.unsupervised),
        "unsupervised"
    );
    // The same counts as the Shanghai table of the README.
    let uncovered: u64 = ft.outside_approval.iter().map(|p| p.findings).sum();
    assert_eq!(uncovered, gt.shanghai.uncovered);
    let unsupervised: u64 = ft.unsupervised.iter().map(|p| p.findings).sum();
    assert_eq!(unsupervised, gt.shanghai.unsupervised);

    let (refused, access): (Vec<_>, Vec<_>) = set
        .of_rule("after_revocation")
        .partition(|f| f.unit == "refused attempts");
    assert_eq!(
        access.iter().map(|f| f.count).sum::<u64>(),
        ft.access_after_revocation
    );
    let mut attempts: Vec<(String, String, String)> = Vec::new();
    for f in &refused {
        for id in &f.evidence {
            let d = case.sources().event_detail(*id).unwrap().unwrap();
            assert!(matches!(
                d.row.outcome.as_ref().map(retrace::model::Outcome::as_str),
                Some("denied" | "failed")
            ));
            attempts.push((
                d.row.person_key.clone().unwrap(),
                utc_ms(d.row.ts_us),
                d.row.system.clone().unwrap(),
            ));
        }
    }
    let want: Vec<(String, String, String)> = ft
        .refused_after_revocation
        .iter()
        .map(|d| (d.person_id.clone(), d.at.clone(), d.system.clone()))
        .collect();
    assert_eq!(attempts, want, "refused attempts after revocation");
    assert!(!want.is_empty(), "the storyline has a refused attempt");

    assert_eq!(
        per_person(&set, rule("off_hours")),
        truth_map(&ft.off_hours),
        "off_hours"
    );
    assert_eq!(per_person(&set, rule("bulk")), truth_map(&ft.bulk), "bulk");
    assert_eq!(
        per_person(&set, |f| f.rule == "new_reach"
            && f.key.contains("|system:")),
        truth_map(&ft.new_reach_systems),
        "new_reach systems"
    );
    assert_eq!(
        per_person(&set, |f| f.rule == "new_reach"
            && f.key.contains("|category:")),
        truth_map(&ft.new_reach_categories),
        "new_reach categories"
    );

    let gaps: Vec<(String, String, String, i64)> = set
        .coverage
        .iter()
        .filter(|b| b.kind == CoverageKind::Gap)
        .map(|b| {
            (
                b.file_name.clone(),
                utc_ms(b.from_us),
                utc_ms(b.to_us),
                b.empty_hours,
            )
        })
        .collect();
    let want: Vec<(String, String, String, i64)> = ft
        .coverage_gaps
        .iter()
        .map(|g| (g.file.clone(), g.from.clone(), g.to.clone(), g.empty_hours))
        .collect();
    assert_eq!(gaps, want, "coverage gaps");
    assert_eq!(set.of_rule("coverage_gap").count(), want.len());

    // Every finding is backed by evidence events within its span.
    for f in &set.findings {
        assert!(!f.evidence.is_empty(), "{}", f.key);
        assert!(f.start_us <= f.end_us, "{}", f.key);
        assert!(
            !f.unit.as_str().is_empty() && !f.explanation.is_empty(),
            "{}",
            f.key
        );
    }

    // Impact.
    let imp = findings::impact(case).unwrap();
    assert_eq!(imp.unit, "distinct data subjects");
    let table = |cells: &[findings::ImpactCell]| -> Vec<(String, String, u64)> {
        let mut v: Vec<_> = cells
            .iter()
            .map(|c| (c.category.clone(), c.country.clone(), c.subjects))
            .collect();
        v.sort();
        v
    };
    let truth_table = |cells: &[synth::CountryCategoryCount]| -> Vec<(String, String, u64)> {
        let mut v: Vec<_> = cells
            .iter()
            .map(|c| (c.category.clone(), c.country.clone(), c.subjects))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        table(&imp.whole_case.cells),
        truth_table(&gt.country_category.whole_case)
    );
    assert_eq!(imp.whole_case.subjects, gt.subjects.touched_whole_case);
    for o in &ft.by_organization {
        let g = imp
            .by_organization
            .iter()
            .find(|g| g.key == o.organization)
            .unwrap_or_else(|| panic!("no impact table for {}", o.organization));
        assert_eq!(g.subjects, o.distinct_subjects, "{}", o.organization);
        assert_eq!(table(&g.cells), truth_table(&o.cells), "{}", o.organization);
    }
    for p in &gt.people {
        let g = imp.by_person.iter().find(|g| g.key == p.person_id).unwrap();
        assert_eq!(g.subjects, p.distinct_subjects, "{}", p.person_id);
    }
    for a in &gt.unattributed_accounts {
        let g = imp.by_account.iter().find(|g| g.key == a.account).unwrap();
        assert_eq!(g.subjects, a.distinct_subjects, "{}", a.account);
    }
    let has_gaps = !ft.coverage_gaps.is_empty();
    // The sample's three rejected access rows are in no figure: every figure is "at least".
    assert_eq!(imp.rejected_rows.len(), 3);
    assert_eq!(imp.at_least, has_gaps || !imp.rejected_rows.is_empty());
}

#[test]
fn sample_case_findings_equal_the_ground_truth() {
    let t = TestDir::new();
    let (case, _) = build_sample_case(&t);
    // The sample's ground truth with the findings part (not stored in ground_truth.json).
    let gt = synth::generate(&t.path("gen"), &synth::sample_params()).unwrap();
    assert_eq!(gt.shanghai.uncovered, 5);
    assert_eq!(gt.shanghai.unsupervised, 6);
    assert_eq!(gt.findings.refused_after_revocation.len(), 1);
    check_against_truth(&case, &gt);
}

#[test]
fn second_generated_case_findings_equal_its_ground_truth() {
    let t = TestDir::new();
    let dir = t.path("seed7");
    let gt = synth::generate(
        &dir,
        &GenParams {
            seed: 7,
            background_events: 2500,
        },
    )
    .unwrap();
    let path = t.path("seed7.retrace");
    build_case_from_dir(&path, &dir, "seed 7", &NoProgress, &CancelToken::new()).unwrap();
    let case = Case::open(&path).unwrap();
    check_against_truth(&case, &gt);
    // The same answers when the scan is split across threads (as for large cases).
    let one = findings::run(&case, &Params::default()).unwrap();
    let one_impact = findings::impact(&case).unwrap();
    findings::set_parallel_scan_min_span(0);
    let split = findings::run(&case, &Params::default()).unwrap();
    let split_impact = findings::impact(&case).unwrap();
    findings::set_parallel_scan_min_span(500_000);
    assert_eq!(one, split);
    assert_eq!(one_impact, split_impact);
}

#[test]
fn parameters_change_the_findings_and_are_kept_in_the_case() {
    let t = TestDir::new();
    let (mut case, path) = build_sample_case(&t);
    let custody_before = case.custody().custody_entries().unwrap().len();
    let base = findings::run(&case, &Params::default()).unwrap();
    let unsupervised = base.of_rule("unsupervised").count();
    let outside = base.of_rule("outside_approval").count();

    // Everyone: the Tokyo staff, who hold no approval, now have their sessions listed too.
    case.writes()
        .set_finding_param("outside_approval", "scope", Some("\"everyone\""), "tester")
        .unwrap();
    // A wider window finds the overseer for some sessions, never fewer supervised.
    case.writes()
        .set_finding_param("unsupervised", "window_minutes", Some("600"), "tester")
        .unwrap();
    drop(case);
    let case = Case::open(&path).unwrap();
    let p = Params::from_case(&case).unwrap();
    assert_eq!(p.unsupervised_window_minutes, 600);
    assert_eq!(p.outside_approval_scope, findings::ApprovalScope::Everyone);
    let changed = findings::run(&case, &p).unwrap();
    assert!(changed.of_rule("outside_approval").count() > outside * 10);
    assert!(changed.of_rule("unsupervised").count() <= unsupervised);
    let f = changed.of_rule("unsupervised").next();
    if let Some(f) = f {
        assert_eq!(f.parameters["unsupervised.window_minutes"], 600);
    }
    let custody = case.custody().custody_entries().unwrap();
    assert_eq!(custody.len(), custody_before + 2);
    assert_eq!(custody.last().unwrap().action, "finding_param");
    assert!(custody.last().unwrap().details.contains("window_minutes"));

    // A bad stored value is refused by name.
    let mut case = case;
    let e = case
        .writes()
        .set_finding_param("unsupervised", "window_minutes", Some("not json"), "tester")
        .unwrap_err();
    assert!(e.to_string().contains("unsupervised.window_minutes"), "{e}");
}

#[test]
fn dispositions_survive_re_runs_latest_wins_and_go_to_custody() {
    let t = TestDir::new();
    let (mut case, _) = build_sample_case(&t);
    let set = findings::run(&case, &Params::default()).unwrap();
    let f = set.of_rule("unsupervised").next().unwrap().clone();
    assert_eq!(f.status(), "open");
    case.writes()
        .dispose_finding(&f.key, "confirmed", "overseer absent", "alice")
        .unwrap();
    case.writes()
        .dispose_finding(
            &f.key,
            "dismissed",
            "overseer was on a call (memo 12)",
            "bob",
        )
        .unwrap();
    let e = case
        .writes()
        .dispose_finding(&f.key, "maybe", "", "bob")
        .unwrap_err();
    assert!(e.to_string().contains("\"maybe\""), "{e}");
    let again = findings::run(&case, &Params::default()).unwrap();
    let g = again.get(&f.key).expect("same key on a re-run");
    let d = g.disposition.as_ref().unwrap();
    assert_eq!(
        (d.status.as_str(), d.note.as_str(), d.author.as_str()),
        ("dismissed", "overseer was on a call (memo 12)", "bob")
    );
    assert_eq!(g.evidence, f.evidence);
    let history: Vec<_> = case
        .findings()
        .finding_dispositions()
        .unwrap()
        .into_iter()
        .filter(|r| r.finding_key == f.key)
        .collect();
    assert_eq!(history.len(), 2);
    let custody = case.custody().custody_entries().unwrap();
    let last = custody.last().unwrap();
    assert_eq!(last.action, "finding_disposition");
    assert!(last.details.contains("dismissed"));
    let report = Case::open_read_only(case.path())
        .unwrap()
        .integrity()
        .verify(&|| false)
        .unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// A log with a three-day outage in a steady hourly stream, and a declared retention.
fn gap_case(t: &TestDir) -> Case {
    let mut csv = String::from("time,operator,target,object,subject_ids,records,result\n");
    let start = chrono::DateTime::parse_from_rfc3339("2020-01-01T00:10:00Z").unwrap();
    for h in 0..(24 * 30) {
        // Hours 240..312 (days 10-12) are missing.
        if (240..312).contains(&h) {
            continue;
        }
        let ts = start + chrono::Duration::hours(h);
        csv.push_str(&format!(
            "{},ops.user,jp-msg-db,users,U{},1,ok\n",
            ts.format("%Y-%m-%dT%H:%M:%SZ"),
            h % 7
        ));
    }
    let f = t.write("ops.csv", csv);
    let people = t.write(
        "people.csv",
        "person_id,display_name,organization,country,zone\nP1,Ops User,Op Co,JP,Asia/Tokyo\n",
    );
    let accounts = t.write("accounts.csv", "account,person_id\nops.user,P1\n");
    let systems = t.write("systems.csv", "system,country\njp-msg-db,JP\n");
    let mut case = t.new_case();
    import(
        &mut case,
        &people,
        options(Some(SourceKind::People), None, None),
    )
    .unwrap();
    import(
        &mut case,
        &accounts,
        options(Some(SourceKind::Accounts), None, None),
    )
    .unwrap();
    import(
        &mut case,
        &systems,
        options(Some(SourceKind::Systems), None, None),
    )
    .unwrap();
    import(&mut case, &f, options(None, None, None)).unwrap();
    case
}

#[test]
fn a_silent_stretch_is_a_gap_and_counts_across_it_are_at_least() {
    let t = TestDir::new();
    let mut case = gap_case(&t);
    let set = findings::run(&case, &Params::default()).unwrap();
    let gaps: Vec<_> = set.of_rule("coverage_gap").collect();
    assert_eq!(gaps.len(), 1, "{gaps:#?}");
    let g = gaps[0];
    assert_eq!(g.count, 72, "hours 240..=311 hold no event");
    assert_eq!(g.unit, "hours without events");
    assert_eq!(utc_ms(g.start_us), "2020-01-10T23:10:00.000Z");
    assert_eq!(utc_ms(g.end_us), "2020-01-14T00:10:00.000Z");
    assert_eq!(g.evidence.len(), 2);
    // The person works in the same country and in office hours only partly: the off-hours
    // sessions that span the gap are lower bounds.
    let spanning: Vec<_> = set
        .findings
        .iter()
        .filter(|f| f.rule != "coverage_gap" && f.start_us <= g.end_us && g.start_us <= f.end_us)
        .collect();
    assert!(!spanning.is_empty());
    assert!(
        spanning
            .iter()
            .all(|f| f.at_least && f.count_text().starts_with("at least"))
    );
    assert!(findings::impact(&case).unwrap().at_least);

    // Declaring that the log was only kept from day 15: the gap lies outside what was kept,
    // so it is no longer a gap, and the unretained stretch is a band of its own.
    let source = case
        .sources()
        .list()
        .unwrap()
        .into_iter()
        .find(|s| s.kind == "access")
        .unwrap();
    let from = chrono::DateTime::parse_from_rfc3339("2020-01-15T00:00:00Z")
        .unwrap()
        .timestamp_micros();
    case.writes()
        .set_source_retention(
            source.id,
            Some(from),
            None,
            Some("vendor keeps 30 days"),
            "tester",
        )
        .unwrap();
    let set = findings::run(&case, &Params::default()).unwrap();
    let kinds: Vec<CoverageKind> = set.coverage.iter().map(|b| b.kind).collect();
    assert_eq!(kinds, vec![CoverageKind::NotRetained]);
    assert_eq!(set.coverage[0].to_us, from);
    let e = case
        .writes()
        .set_source_retention(1, Some(from), None, None, "tester")
        .unwrap_err();
    assert!(e.to_string().contains("not an access log"), "{e}");
}

#[test]
fn cli_lists_findings_sets_parameters_and_disposes() {
    let t = TestDir::new();
    let (case, path) = build_sample_case(&t);
    drop(case);
    let p = path.to_str().unwrap();
    let (code, out, err) = retrace(&["findings", p, "--rule", "unsupervised", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let list = v["findings"].as_array().unwrap();
    assert_eq!(list.len(), 6);
    let first = &list[0];
    assert_eq!(first["rule"], "unsupervised");
    assert_eq!(first["parameters"]["unsupervised.window_minutes"], 20);
    assert!(
        first["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i.is_i64())
    );
    assert!(first["count"].as_u64().unwrap() > 0);
    let key = first["key"].as_str().unwrap().to_string();

    let (code, out, err) = retrace(&[
        "findings",
        p,
        "--rule",
        "unsupervised",
        "--dispose",
        &key,
        "--status",
        "dismissed",
        "--note",
        "overseer present by phone",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("dismissed by cli-tester"), "{out}");
    let (code, _, err) = retrace(&[
        "findings",
        p,
        "--dispose",
        "no|such|key",
        "--status",
        "confirmed",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("no finding has the key"), "{err}");

    let (code, out, err) = retrace(&["findings", p, "--set", "unsupervised.window_minutes=oops"]);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("whole number"), "{err}");
    let (code, out, err) = retrace(&[
        "findings",
        p,
        "--rule",
        "outside_approval",
        "--set",
        "outside_approval.scope=everyone",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("== outside_approval"), "{out}");
    let (code, out, _) = retrace(&["findings", p, "--params"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("outside_approval.scope = \"everyone\" (changed)"),
        "{out}"
    );

    let (code, _, err) = retrace(&["findings", p, "--rule", "nonsense"]);
    assert_eq!(code, 1);
    assert!(err.contains("no rule \"nonsense\""), "{err}");

    let (code, out, err) = retrace(&["impact", p, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["unit"], "distinct data subjects");
    assert_eq!(v["whole_case"]["subjects"], 2892);
    let (code, out, _) = retrace(&["impact", p]);
    assert_eq!(code, 0);
    assert!(out.contains("2892 distinct data subjects"), "{out}");
}

/// Imports the sample's files into a new case, `jp_db_audit.csv` split in two files (two
/// imports), access logs before the rosters (so the roster mapping is applied after
/// `account_subject` was written).
fn sample_case_split_imports(t: &TestDir) -> Case {
    let src = crate::util::sample_dir();
    let dir = t.path("split");
    std::fs::create_dir_all(&dir).unwrap();
    let mut case = Case::create(&t.path("split.retrace"), "split").unwrap();
    let mut files = synth::manifest();
    files.sort_by_key(|f| f.kind != "access");
    for f in files {
        let opts = || {
            options(
                SourceKind::parse(f.kind),
                f.tz,
                f.profile
                    .map(|p| retrace::ingest::Profile::load(&src.join(p)).unwrap()),
            )
        };
        if f.name == "jp_db_audit.csv" {
            let text = std::fs::read_to_string(src.join(f.name)).unwrap();
            let mut lines = text.lines();
            let header = lines.next().unwrap();
            let rows: Vec<&str> = lines.collect();
            let (a, b) = rows.split_at(rows.len() / 2);
            for (name, part) in [("jp_db_audit_a.csv", a), ("jp_db_audit_b.csv", b)] {
                let p = dir.join(name);
                std::fs::write(&p, format!("{header}\n{}\n", part.join("\n"))).unwrap();
                import(&mut case, &p, opts()).unwrap();
            }
        } else {
            import(&mut case, &src.join(f.name), opts()).unwrap();
        }
    }
    case
}

#[test]
fn impact_after_two_imports_equals_impact_over_one() {
    let t = TestDir::new();
    let (whole, _) = build_sample_case(&t);
    let mut one = findings::impact(&whole).unwrap();
    assert!(one.whole_case.subjects > 0);
    let split = sample_case_split_imports(&t);
    let mut two = findings::impact(&split).unwrap();
    // The same rejected rows, under the split files' names and lines.
    assert_eq!(one.rejected_rows.len(), two.rejected_rows.len());
    one.rejected_rows.clear();
    two.rejected_rows.clear();
    assert_eq!(one, two);
    assert!(split.integrity().check_account_subject().unwrap().is_none());
}

#[test]
fn a_schema_3_case_gets_account_subject_when_upgraded_with_the_same_impact() {
    let t = TestDir::new();
    let (case, path) = build_sample_case(&t);
    let before = findings::impact(&case).unwrap();
    case.execute_raw_for_tests(&format!(
        "DROP TABLE account_subject; ALTER TABLE person_session DROP COLUMN subject_set; {}
         PRAGMA user_version = 3;",
        crate::util::SCHEMA_5_SUBJECT_LINKS
    ))
    .unwrap();
    drop(case);
    // Opened for review the case is not upgraded: impact reads the events instead.
    let ro = Case::open_read_only(&path).unwrap();
    assert!(!ro.findings().has_account_subject().unwrap());
    assert_eq!(findings::impact(&ro).unwrap(), before);
    findings::set_parallel_scan_min_span(0);
    let split = findings::impact(&ro);
    findings::set_parallel_scan_min_span(500_000);
    assert_eq!(split.unwrap(), before);
    drop(ro);
    let case = Case::open(&path).unwrap();
    assert_eq!(findings::impact(&case).unwrap(), before);
    assert!(case.integrity().check_account_subject().unwrap().is_none());
    // A stored row that no longer matches the events is reported.
    case.execute_raw_for_tests(
        "UPDATE account_subject SET categories = 0
         WHERE subject_id = (SELECT min(subject_id) FROM account_subject WHERE subject_id > 0)",
    )
    .unwrap();
    let problem = case.integrity().check_account_subject().unwrap().unwrap();
    assert_eq!(problem.what, "account_subject");
    assert!(problem.why.contains("rows differ"), "{}", problem.why);
}

/// `cross_border.ip_countries`: unattributed accounts get the country of their source IP (most
/// specific CIDR), and their sessions that reach data stored elsewhere become `cross_border`
/// findings; the expected number is computed here from the events, independently of the rules.
#[test]
fn cross_border_from_source_ip_for_unattributed_accounts() {
    let t = TestDir::new();
    let (case, path) = build_sample_case(&t);
    let mapping = [
        "172.20.9.10/32=CN",
        "172.20.0.0/16=JP",
        "10.120.0.0/16=CN",
        "2001:db8::/32=DE",
    ];
    let base = findings::run(&case, &Params::default()).unwrap();
    drop(case);
    let (code, _, err) = retrace(&[
        "findings",
        path.to_str().unwrap(),
        "--set",
        &format!("cross_border.ip_countries={}", serde_json::json!(mapping)),
    ]);
    assert_eq!(code, 0, "{err}");
    let case = Case::open_read_only(&path).unwrap();
    let params = Params::from_case(&case).unwrap();
    assert_eq!(params.cross_border_ip_countries, mapping);
    let set = findings::run(&case, &params).unwrap();

    // Expected, from the events: per unattributed account, sessions of access events with gaps
    // under 30 minutes; a session counts when one of its accesses comes from an IP whose
    // mapped country differs from its system's storage country.
    let ip_country = |ip: &str| -> Option<&str> {
        let ip: std::net::Ipv4Addr = ip.parse().ok()?;
        let o = ip.octets();
        if o[..] == [172, 20, 9, 10] {
            Some("CN")
        } else if o[..2] == [172, 20] {
            Some("JP")
        } else if o[..2] == [10, 120] {
            Some("CN")
        } else {
            None
        }
    };
    let storage: BTreeMap<String, String> = case
        .timeline()
        .systems()
        .unwrap()
        .into_iter()
        .filter_map(|s| Some((s.name, s.country?)))
        .collect();
    let accounts = case.people().unmapped_accounts().unwrap();
    for a in ["svc_batch", "tmp_ops3", "media_sync"] {
        assert!(accounts.iter().any(|x| x == a), "{a} unattributed");
    }
    let gap = 30 * 60 * 1_000_000;
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    let mut expected_events = 0u64;
    for a in &accounts {
        let mut evs = case.people().account_events(a).unwrap();
        evs.retain(|e| {
            !matches!(
                e.outcome.as_ref().map(retrace::model::Outcome::as_str),
                Some("denied" | "failed")
            )
        });
        evs.sort_by_key(|e| (e.ts_us, e.id));
        let mut last: Option<i64> = None;
        let mut flagged = false;
        let close = |flagged: &mut bool, expected: &mut BTreeMap<String, u64>| {
            if std::mem::take(flagged) {
                *expected.entry(a.clone()).or_default() += 1;
            }
        };
        for e in &evs {
            if last.is_some_and(|l| e.ts_us - l >= gap) {
                close(&mut flagged, &mut expected);
            }
            last = Some(e.ts_us);
            let ip = case.sources().event_detail(e.id).unwrap().unwrap().src_ip;
            let actor = ip.as_deref().and_then(ip_country);
            let stored = e.system.as_ref().and_then(|s| storage.get(s));
            if let (Some(actor), Some(stored)) = (actor, stored)
                && actor != stored
            {
                flagged = true;
                expected_events += 1;
            }
        }
        close(&mut flagged, &mut expected);
    }
    assert!(expected.contains_key("svc_batch"), "{expected:?}");
    assert!(expected.contains_key("media_sync"), "{expected:?}");
    assert!(!expected.contains_key("tmp_ops3"), "{expected:?}");

    let new: Vec<_> = set
        .of_rule("cross_border")
        .filter(|f| base.get(&f.key).is_none())
        .collect();
    let mut got: BTreeMap<String, u64> = BTreeMap::new();
    for f in &new {
        assert_eq!(f.person_keys.len(), 1, "{}", f.key);
        *got.entry(f.person_keys[0].clone()).or_default() += 1;
        assert!(
            f.explanation.contains("from source IP"),
            "{}",
            f.explanation
        );
        assert!(
            f.explanation.contains("no person in the roster"),
            "{}",
            f.explanation
        );
    }
    eprintln!("ip_countries: new cross_border findings per account {got:?}");
    assert_eq!(got, expected);
    assert_eq!(new.iter().map(|f| f.count).sum::<u64>(), expected_events);
    // svc_batch's CN events come only from 172.20.9.10 (the /32 wins over the /16).
    let svc = new
        .iter()
        .find(|f| f.person_keys[0] == "svc_batch")
        .unwrap();
    assert!(
        svc.explanation
            .contains("actor country CN from source IP 172.20.9.10 (mapping 172.20.9.10/32=CN)"),
        "{}",
        svc.explanation
    );
    assert!(
        !svc.explanation.contains("172.20.9.11"),
        "{}",
        svc.explanation
    );
    // The persons' findings are unchanged.
    assert_eq!(
        set.of_rule("cross_border").count() - new.len(),
        base.of_rule("cross_border").count()
    );

    // A bad entry is refused, naming it, and nothing is stored.
    let (code, _, err) = retrace(&[
        "findings",
        path.to_str().unwrap(),
        "--set",
        r#"cross_border.ip_countries=["10.86.0.0/16=CN","10.86.0.0/40=CN"]"#,
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("10.86.0.0/40=CN"), "{err}");
    let case = Case::open_read_only(&path).unwrap();
    assert_eq!(
        Params::from_case(&case).unwrap().cross_border_ip_countries,
        mapping
    );
}
