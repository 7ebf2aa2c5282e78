//! Findings triage on the sample case (issue 18, part 4): of its 801 cross-border findings 610
//! are the Dalian reviewers' and 159 Tokyo staff's on the Korea image store; filtering and
//! grouping bring the Shanghai engineers' 32 up, a whole group is dismissed with one custody entry that `verify` checks,
//! the CLI filters and groups, and the report groups findings and states the basis of its
//! "number of persons".

use retrace::analysis::findings::triage::{self, FindingFilter, GroupBy};
use retrace::analysis::findings::{self, Finding, Params};
use retrace::case::Case;

use crate::util::{TestDir, build_sample_case, retrace};

const TOKYO: &str = "Hoshizora Messaging K.K.";
const SHANGHAI: &str = "Hoshizora Technology (Shanghai) Co., Ltd.";
const TOKYO_KOREA: &str = "cross_border|org:Hoshizora Messaging K.K.|kr-media-01";
const NOTE: &str = "expected: Tokyo staff operating the Korea image store";

fn cross_border(case: &Case) -> Vec<Finding> {
    findings::run(case, &Params::default())
        .unwrap()
        .findings
        .into_iter()
        .filter(|f| f.rule == "cross_border")
        .collect()
}

#[test]
fn findings_filter_and_group_bring_the_shanghai_engineers_up() {
    let t = TestDir::new();
    let (case, _) = build_sample_case(&t);
    let all = cross_border(&case);
    let storage = triage::storage_countries(&case).unwrap();
    let tokyo_korea = all
        .iter()
        .filter(|f| f.organization.as_deref() == Some(TOKYO) && f.systems == ["kr-media-01"])
        .count();
    assert_eq!(all.len(), 801);
    assert_eq!(tokyo_korea, 159, "Tokyo staff on the Korea image store");
    // Filtered by organization, or by storage country JP: the Shanghai engineers' 32.
    let sh = FindingFilter {
        organizations: vec![SHANGHAI.into()],
        ..Default::default()
    };
    let shown: Vec<&Finding> = all.iter().filter(|f| sh.matches(f, &storage)).collect();
    assert_eq!(shown.len(), 32);
    let mut keys: Vec<&str> = shown.iter().map(|f| f.person_keys[0].as_str()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys, ["P13", "P14", "P15", "P16"]);
    // Grouped by organization, the cross-border list is a handful of rows, the Tokyo/Korea
    // group one of them.
    let refs: Vec<&Finding> = all.iter().collect();
    let groups = triage::group(&refs, GroupBy::Organization, None);
    assert!(groups.len() <= 10, "{} groups", groups.len());
    let g = groups.iter().find(|g| g.key == TOKYO_KOREA).unwrap();
    assert_eq!(g.finding_keys.len(), tokyo_korea);
    let sh_groups: Vec<_> = groups
        .iter()
        .filter(|g| g.who == format!("org:{SHANGHAI}"))
        .collect();
    assert_eq!(
        sh_groups
            .iter()
            .map(|g| g.finding_keys.len())
            .sum::<usize>(),
        32
    );
    // By person × system × rule: one group per Shanghai engineer and system.
    let by_person = triage::group(&shown, GroupBy::Person, None);
    assert!(by_person.iter().all(|g| g.who.starts_with('P')));
    assert_eq!(
        by_person
            .iter()
            .map(|g| g.finding_keys.len())
            .sum::<usize>(),
        32
    );
}

#[test]
fn findings_group_disposition_is_one_custody_entry_that_verify_checks() {
    let t = TestDir::new();
    let (mut case, path) = build_sample_case(&t);
    let all = cross_border(&case);
    let refs: Vec<&Finding> = all.iter().collect();
    let groups = triage::group(&refs, GroupBy::Organization, None);
    let g = groups
        .iter()
        .find(|g| g.key == TOKYO_KOREA)
        .unwrap()
        .clone();
    let custody_before = case.custody().custody_entries().unwrap().len();
    let rows_before = case.findings().finding_dispositions().unwrap().len();
    case.writes()
        .dispose_finding_group(&g.key, &g.finding_keys, "dismissed", NOTE, "alice")
        .unwrap();
    let custody = case.custody().custody_entries().unwrap();
    assert_eq!(custody.len(), custody_before + 1, "ONE custody entry");
    let last = custody.last().unwrap();
    assert_eq!(last.action, "finding_disposition_group");
    let d: serde_json::Value = serde_json::from_str(&last.details).unwrap();
    assert_eq!(d["group"], TOKYO_KOREA);
    assert_eq!(d["findings"], g.finding_keys.len());
    assert_eq!(d["note"], NOTE);
    let rows = case.findings().finding_dispositions().unwrap();
    assert_eq!(rows.len(), rows_before + g.finding_keys.len());
    // Every finding of the group is dismissed on a re-run; the Shanghai ones are still open.
    let again = cross_border(&case);
    for f in &again {
        let want = if g.finding_keys.contains(&f.key) {
            "dismissed"
        } else {
            "open"
        };
        assert_eq!(f.status(), want, "{}", f.key);
    }
    let refs: Vec<&Finding> = again.iter().collect();
    let regrouped = triage::group(&refs, GroupBy::Organization, None);
    let r = regrouped.iter().find(|x| x.key == TOKYO_KOREA).unwrap();
    assert!(r.all_dismissed());
    assert_eq!(r.dismissal_notes, [NOTE]);
    // Refused, nothing written: a group dismissal without a reason, a group without findings.
    let e = case
        .writes()
        .dispose_finding_group(&g.key, &g.finding_keys, "dismissed", "  ", "alice")
        .unwrap_err();
    assert!(e.to_string().contains("needs a note"), "{e}");
    let e = case
        .writes()
        .dispose_finding_group(&g.key, &[], "dismissed", NOTE, "alice")
        .unwrap_err();
    assert!(e.to_string().contains("at least one finding"), "{e}");
    drop(case);
    let report = Case::open_read_only(&path)
        .unwrap()
        .integrity()
        .verify(&|| false)
        .unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);

    // One of the group's rows changed outside the log: verify names it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let id: i64 = conn
        .query_row(
            "SELECT id FROM finding_disposition WHERE finding_key = ?1",
            [&g.finding_keys[7]],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE finding_disposition SET status = 'confirmed' WHERE id = ?1",
        [id],
    )
    .unwrap();
    drop(conn);
    let report = Case::open_read_only(&path)
        .unwrap()
        .integrity()
        .verify(&|| false)
        .unwrap();
    let whats: Vec<&str> = report.problems.iter().map(|p| p.what.as_str()).collect();
    assert_eq!(
        whats,
        [format!("disposition {id} of {}", g.finding_keys[7])],
        "{:?}",
        report.problems
    );
    // A row added to the group outside the log is named too.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE finding_disposition SET status = 'dismissed' WHERE id = ?1",
        [id],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO finding_disposition(finding_key, status, note, author, at_us)
         VALUES (?1, 'dismissed', ?2, 'alice', 0)",
        [&g.finding_keys[0], NOTE],
    )
    .unwrap();
    drop(conn);
    let report = Case::open_read_only(&path)
        .unwrap()
        .integrity()
        .verify(&|| false)
        .unwrap();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert!(
        report.problems[0]
            .why
            .contains("the custody log records no such decision"),
        "{:?}",
        report.problems
    );
}

fn json(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = retrace(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn cli_findings_filters_groups_and_disposes_a_group() {
    let t = TestDir::new();
    let (case, path) = build_sample_case(&t);
    drop(case);
    let p = path.to_str().unwrap();
    // The filters: the Shanghai engineers' cross-border findings, by organization (a part of
    // its name) or by person.
    let v = json(&[
        "findings",
        p,
        "--rule",
        "cross_border",
        "--org",
        "Shanghai",
        "--json",
    ]);
    assert_eq!(v["findings"].as_array().unwrap().len(), 32);
    let v = json(&[
        "findings",
        p,
        "--rule",
        "cross_border",
        "--person",
        "P13",
        "--person",
        "Wang",
        "--storage-country",
        "jp",
        "--severity",
        "high",
        "--json",
    ]);
    let fs = v["findings"].as_array().unwrap();
    assert!(!fs.is_empty());
    assert!(
        fs.iter()
            .all(|f| ["P13", "P14"].contains(&f["person_keys"][0].as_str().unwrap()))
    );
    // --group: rows with counts, text and JSON.
    let v = json(&[
        "findings",
        p,
        "--rule",
        "cross_border",
        "--group",
        "--group-by",
        "organization",
        "--json",
    ]);
    let groups = v["groups"].as_array().unwrap();
    let g = groups.iter().find(|g| g["key"] == TOKYO_KOREA).unwrap();
    let n = g["finding_keys"].as_array().unwrap().len();
    assert_eq!(n, 159);
    assert!(g["events"].as_u64().unwrap() >= n as u64);
    assert!(g["subjects"].as_u64().unwrap() > 0);
    let (code, out, _) = retrace(&[
        "findings",
        p,
        "--rule",
        "cross_border",
        "--org",
        "Shanghai",
        "--group",
    ]);
    assert_eq!(code, 0);
    assert!(out.starts_with("8 groups of 32 findings"), "{out}");
    assert!(
        out.contains("key:      cross_border|P13|jp-msg-db"),
        "{out}"
    );
    // --dispose-group: one decision for the group's findings.
    let (code, out, err) = retrace(&[
        "findings",
        p,
        "--dispose-group",
        TOKYO_KOREA,
        "--status",
        "dismissed",
        "--note",
        NOTE,
        "--group",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!(
            "recorded dismissed for the {n} findings of group {TOKYO_KOREA}"
        )),
        "{out}"
    );
    assert!(out.contains(&format!("dismissed because: {NOTE}")), "{out}");
    let v = json(&[
        "findings",
        p,
        "--rule",
        "cross_border",
        "--status",
        "dismissed",
        "--json",
    ]);
    assert_eq!(v["findings"].as_array().unwrap().len(), n);
    let v = json(&[
        "findings",
        p,
        "--rule",
        "cross_border",
        "--status",
        "open",
        "--json",
    ]);
    let open = v["findings"].as_array().unwrap().len();
    let (code, out, err) = retrace(&["findings", p, "--rule", "cross_border", "--json"]);
    assert_eq!(code, 0, "{err}");
    let total = serde_json::from_str::<serde_json::Value>(&out).unwrap()["findings"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(open + n, total);
    // Refused: an unknown group, a missing decision, an unknown status.
    let (code, _, err) = retrace(&[
        "findings",
        p,
        "--dispose-group",
        "nope|x|y",
        "--status",
        "dismissed",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("no group has the key \"nope|x|y\""), "{err}");
    let (code, _, err) = retrace(&["findings", p, "--dispose-group", TOKYO_KOREA]);
    assert_eq!(code, 1);
    assert!(err.contains("need one --status"), "{err}");
    let (code, _, err) = retrace(&["findings", p, "--status", "maybe"]);
    assert_eq!(code, 1);
    assert!(err.contains("\"maybe\""), "{err}");
    let (code, out, err) = retrace(&["verify", p]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn report_groups_findings_lists_dismissed_groups_and_states_its_basis() {
    let t = TestDir::new();
    let (mut case, path) = build_sample_case(&t);
    let all = cross_border(&case);
    let refs: Vec<&Finding> = all.iter().collect();
    let groups = triage::group(&refs, GroupBy::Organization, None);
    let g = groups.iter().find(|g| g.key == TOKYO_KOREA).unwrap();
    case.writes()
        .dispose_finding_group(&g.key, &g.finding_keys, "dismissed", NOTE, "alice")
        .unwrap();
    // Confirm the Shanghai engineers' findings, one group each.
    let sh: Vec<&Finding> = all
        .iter()
        .filter(|f| f.organization.as_deref() == Some(SHANGHAI))
        .collect();
    for g in triage::group(&sh, GroupBy::Person, None) {
        case.writes()
            .dispose_finding_group(
                &g.key,
                &g.finding_keys,
                "confirmed",
                "reached Japan",
                "alice",
            )
            .unwrap();
    }
    drop(case);
    let p = path.to_str().unwrap();
    for lang in ["en", "ja"] {
        let out = t.path(&format!("report-{lang}"));
        let (code, o, err) = retrace(&[
            "export",
            p,
            "--scope",
            "case",
            "--format",
            "report",
            "--lang",
            lang,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{o}{err}");
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        // Grouped: no line per finding (the sample has 1,684), no finding key listed.
        assert!(
            !html.contains("cross_border|P07|kr-media-01|"),
            "finding keys are not listed"
        );
        let heading = if lang == "en" {
            "Findings by group"
        } else {
            "グループ別の検出事項"
        };
        let section = &html[html.find(heading).unwrap()..];
        let size = section.find("<h2>").unwrap();
        assert!(
            size < 60_000,
            "{lang}: the findings section has {size} bytes"
        );
        let (dismissed, basis, confirmed) = if lang == "en" {
            (
                "Dismissed groups and the reasons",
                "touched by any access event in the scope (routine access included)",
                "reached by the evidence of confirmed findings (32 findings)",
            )
        } else {
            (
                "対象外と判断したグループとその理由",
                "対象範囲のいずれかのアクセスイベントが触れたもの（通常業務のアクセスを含む）",
                "確認済みの検出事項の根拠イベントが触れたもの (32件の検出事項)",
            )
        };
        assert!(html.contains(dismissed), "{lang}");
        assert!(html.contains(basis), "{lang}");
        assert!(html.contains(confirmed), "{lang}");
        let after = &html[html.find(dismissed).unwrap()..];
        assert!(after.contains(NOTE), "{lang}: the reason");
        assert!(after.contains("kr-media-01"), "{lang}");
    }
}
