//! The person page against the sample case's ground truth: every count, per person; sessions
//! and their approval cover per Shanghai engineer; the CLI's `person --json`.

use retrace::analysis::person::{
    PersonPage, REFUSED_LIST_LIMIT, find_person, lookalike_accounts, person_page, person_page_scan,
    person_page_with,
};
use retrace::analysis::{self, DEFAULT_SESSION_GAP_MINUTES};
use retrace::case::PersonRow;
use retrace::jobs::{CancelToken, NoProgress};
use retrace::ops::sample::build_case_from_dir;
use serde_json::Value;

use crate::util::{TestDir, build_sample_case, options, sample_dir, truth};

fn us(v: &Value) -> i64 {
    chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .timestamp_micros()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_person_page_count_equals_the_ground_truth() {
    let t = TestDir::new();
    let case = build_sample_case(&t).0;
    let g = truth();
    let gap = g["session_gap_minutes"].as_i64().unwrap();
    assert_eq!(gap, DEFAULT_SESSION_GAP_MINUTES);
    for p in g["people"].as_array().unwrap() {
        let key = p["person_id"].as_str().unwrap();
        let page = person_page(&case, key, gap, chrono_tz::Asia::Tokyo)
            .unwrap()
            .unwrap();
        // At the default gap the page comes from the tables kept at import.
        assert_eq!(page.computed_from, "stored", "{key}");
        assert!(page.events_listed, "{key}");
        let f = &page.figures;
        assert_eq!(page.person.display_name, p["display_name"], "{key}");
        assert_eq!(
            f.access_events as u64,
            p["events"].as_u64().unwrap(),
            "{key}"
        );
        assert_eq!(
            f.refused_events as u64,
            p["denied_events"].as_u64().unwrap(),
            "{key}"
        );
        assert_eq!(f.sessions as u64, p["sessions"].as_u64().unwrap(), "{key}");
        assert_eq!(page.sessions.len(), f.sessions, "{key}");
        assert_eq!(
            f.active_days as u64,
            p["active_days"].as_u64().unwrap(),
            "{key}"
        );
        assert_eq!(
            f.distinct_subjects as u64,
            p["distinct_subjects"].as_u64().unwrap(),
            "{key}"
        );
        assert_eq!(f.records, p["records"].as_i64().unwrap(), "{key}");
        let systems: Vec<String> = f.systems.iter().cloned().collect();
        assert_eq!(systems, strings(&p["systems"]), "{key}");
        assert_eq!(f.categories, strings(&p["categories"]), "{key}");
        assert_eq!(f.first_access_us, Some(us(&p["first_event"])), "{key}");
        assert_eq!(f.last_access_us, Some(us(&p["last_event"])), "{key}");
        // The page's single pass agrees with the shared figures.
        assert_eq!(
            *f,
            analysis::person_figures(&case, key, gap).unwrap(),
            "{key}"
        );
        // Per-system and per-category event counts add up to the access events.
        let by_system: usize = page.system_events.iter().map(|s| s.2).sum();
        assert_eq!(by_system, f.access_events, "{key}");
        assert!(page.system_events.iter().all(|s| s.1.is_some()), "{key}");
        // Both charts hold every access event once.
        for chart in [&page.own_zone_chart, &page.display_zone_chart] {
            let monthly: usize = chart.monthly_events.iter().map(|m| m.1).sum();
            let cells: u32 = chart.weekday_hour_events.iter().flatten().sum();
            assert_eq!(monthly, f.access_events, "{key}");
            assert_eq!(cells as usize, f.access_events, "{key}");
        }
        assert_eq!(page.own_zone_chart.zone, f.zone);
        assert_eq!(page.display_zone_chart.zone, "Asia/Tokyo");
        // Every session's events are the person's own, and the sessions hold every access.
        let in_sessions: usize = page.sessions.iter().map(|s| s.event_ids.len()).sum();
        assert_eq!(in_sessions, f.access_events, "{key}");
        assert!(
            page.sessions
                .iter()
                .all(|s| s.events == s.event_ids.len()
                    && s.event_ids.first() == Some(&s.first_event_id)),
            "{key}"
        );
        assert_eq!(
            page.covered_sessions + page.uncovered_sessions,
            f.sessions,
            "{key}"
        );
    }
}

#[test]
fn shanghai_engineers_sessions_and_cover_equal_the_ground_truth() {
    let t = TestDir::new();
    let case = build_sample_case(&t).0;
    let g = truth();
    let sh = &g["shanghai"];
    let mut total = 0;
    let mut all_sessions = Vec::new();
    for e in sh["sessions_per_engineer"].as_array().unwrap() {
        let key = e["person_id"].as_str().unwrap();
        let page = person_page(&case, key, DEFAULT_SESSION_GAP_MINUTES, chrono_tz::UTC)
            .unwrap()
            .unwrap();
        assert_eq!(page.sessions.len() as u64, e["sessions"].as_u64().unwrap());
        assert_eq!(
            page.covered_sessions as u64,
            e["covered"].as_u64().unwrap(),
            "{key}"
        );
        assert_eq!(
            page.uncovered_sessions as u64,
            e["uncovered"].as_u64().unwrap(),
            "{key}"
        );
        total += page.sessions.len();
        for s in &page.sessions {
            all_sessions.push((key.to_string(), s.clone()));
        }
    }
    assert_eq!(total, 32);
    assert_eq!(total as u64, sh["sessions_total"].as_u64().unwrap());

    // Session by session: start, end, systems, events, subjects, records, cover, ticket.
    let want = sh["sessions"].as_array().unwrap();
    assert_eq!(want.len(), all_sessions.len());
    for w in want {
        let key = w["person_id"].as_str().unwrap();
        let start = us(&w["start"]);
        let (_, s) = all_sessions
            .iter()
            .find(|(k, s)| k == key && s.start_us == start)
            .unwrap_or_else(|| panic!("{key}: no session starting {}", w["start"]));
        assert_eq!(s.end_us, us(&w["end"]), "{key} {}", w["start"]);
        let systems: Vec<String> = s.systems.iter().cloned().collect();
        assert_eq!(systems, strings(&w["systems"]));
        assert_eq!(s.event_ids.len() as u64, w["events"].as_u64().unwrap());
        assert_eq!(
            s.distinct_subjects as u64,
            w["distinct_subjects"].as_u64().unwrap()
        );
        assert_eq!(s.records, w["records"].as_i64().unwrap());
        assert_eq!(s.covered, w["covered"].as_bool().unwrap(), "{key} {start}");
        if let Some(ticket) = w["approval_ticket"].as_str() {
            assert!(s.tickets.contains(ticket), "{key} {start}: {:?}", s.tickets);
        } else {
            assert!(s.tickets.is_empty());
        }
    }
}

#[test]
fn gap_threshold_changes_sessions_and_the_rule_says_so() {
    let t = TestDir::new();
    let case = build_sample_case(&t).0;
    let short = person_page(&case, "P13", 5, chrono_tz::UTC)
        .unwrap()
        .unwrap();
    let long = person_page(&case, "P13", 24 * 60, chrono_tz::UTC)
        .unwrap()
        .unwrap();
    assert!(short.sessions.len() > 11);
    assert!(long.sessions.len() <= 11);
    assert!(short.session_rule.contains("5 min"));
    assert_eq!(short.figures.access_events, long.figures.access_events);
}

#[test]
fn find_person_by_key_account_and_names() {
    let t = TestDir::new();
    let case = build_sample_case(&t).0;
    for needle in ["P15", "p15", "liu.jiaqi", "Liu Jiaqi", "刘佳琪", "jiaqi"] {
        let p = find_person(&case, needle).unwrap().unwrap();
        assert_eq!(p.key, "P15", "{needle}");
    }
    assert!(find_person(&case, "nobody at all").unwrap().is_none());
}

#[test]
fn lookalike_unmapped_accounts_are_hints() {
    let p = PersonRow {
        id: 1,
        key: "P13".into(),
        display_name: "Chen Siyuan".into(),
        native_name: None,
        organization: None,
        country: None,
        role: None,
        zone: None,
        accounts: vec!["chen.siyuan".into()],
    };
    let unmapped = vec![
        "siyuan_tmp".to_string(),
        "svc_batch".into(),
        "chen@shanghai.example".into(),
        "db_sato".into(),
    ];
    assert_eq!(
        lookalike_accounts(&p, &unmapped),
        vec!["siyuan_tmp".to_string(), "chen@shanghai.example".into()]
    );
}

#[test]
fn cli_person_json_and_text() {
    let t = TestDir::new();
    let case = t.path("s.retrace");
    build_case_from_dir(
        &case,
        &sample_dir(),
        "sample",
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    let run = crate::util::retrace;
    let c = case.to_str().unwrap();
    let (code, out, err) = run(&["person", c, "Wang Yuhang", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["person"]["key"], "P14");
    assert_eq!(v["figures"]["sessions"], 9);
    assert_eq!(v["covered_sessions"], 8);
    assert_eq!(v["uncovered_sessions"], 1);
    assert_eq!(v["figures"]["access_events"], 39);
    assert_eq!(v["figures"]["distinct_subjects"], 176);
    assert_eq!(v["gap_minutes"], 30);

    let (code, out, _) = run(&["person", c, "P15", "--gap-minutes", "30"]);
    assert_eq!(code, 0);
    assert!(out.contains("7 sessions (6 covered by an approval, 1 not covered)"));
    assert!(out.contains("refused attempts:  1 event\n"), "{out}");
    assert!(!out.contains(" 1 events"), "plurals: {out}");
    assert!(out.contains("gaps under 30 min"));
    assert!(out.contains("196 distinct subjects"));

    let (code, _, err) = run(&["person", c, "nobody"]);
    assert_eq!(code, 1);
    assert!(err.contains("no person matches"));
}

/// The page's figures without the event lists, for comparing the stored and scanned pages.
fn figures_only(p: &PersonPage) -> Value {
    let mut v = serde_json::to_value(p).unwrap();
    for s in v["sessions"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("event_ids");
    }
    let o = v.as_object_mut().unwrap();
    for k in ["events", "events_listed", "computed_from"] {
        o.remove(k);
    }
    v
}

/// Asserts that every person's page from the stored tables equals the page computed from every
/// event, listing events or not, in the person's zone, in Tokyo and in UTC.
fn assert_stored_equals_scan(case: &retrace::case::Case) {
    assert_eq!(
        case.people().person_tables_mismatches().unwrap(),
        Vec::<String>::new()
    );
    // The stored page reads refused attempts by their outcome only when the stored count has
    // some; the scan takes them from the person's events: persons with and without compare.
    let mut with_refused = 0;
    for p in case.people().persons().unwrap() {
        for zone in [chrono_tz::Asia::Tokyo, chrono_tz::UTC] {
            let scan = person_page_scan(case, &p.key, DEFAULT_SESSION_GAP_MINUTES, zone)
                .unwrap()
                .unwrap();
            assert_eq!(scan.computed_from, "scan");
            assert_eq!(
                scan.refused_attempts.len(),
                scan.figures.refused_events.min(REFUSED_LIST_LIMIT),
                "{}",
                p.key
            );
            with_refused += usize::from(!scan.refused_attempts.is_empty());
            for limit in [0, usize::MAX] {
                let stored =
                    person_page_with(case, &p.key, DEFAULT_SESSION_GAP_MINUTES, zone, limit)
                        .unwrap()
                        .unwrap();
                assert_eq!(stored.computed_from, "stored", "{}", p.key);
                assert_eq!(stored.events_listed, limit > 0, "{}", p.key);
                assert_eq!(figures_only(&stored), figures_only(&scan), "{}", p.key);
                if limit > 0 {
                    assert_eq!(stored.events, scan.events, "{}", p.key);
                    assert_eq!(stored.sessions, scan.sessions, "{}", p.key);
                } else {
                    assert!(stored.events.is_empty());
                    assert!(stored.sessions.iter().all(|s| s.event_ids.is_empty()));
                }
            }
        }
    }
    assert!(
        with_refused > 0,
        "no person with refused attempts to compare"
    );
}

#[test]
fn stored_person_tables_equal_a_scan_of_every_event() {
    let t = TestDir::new();
    let case = build_sample_case(&t).0;
    assert_stored_equals_scan(&case);
    // A zone whose offset is not whole hours cannot be binned from hourly counts: the page
    // reads the events instead, with the same figures.
    let kolkata = person_page(&case, "P13", 30, chrono_tz::Asia::Kolkata)
        .unwrap()
        .unwrap();
    assert_eq!(kolkata.computed_from, "scan");
    assert_eq!(kolkata.display_zone_chart.zone, "Asia/Kolkata");
    let other_gap = person_page(&case, "P13", 45, chrono_tz::UTC)
        .unwrap()
        .unwrap();
    assert_eq!(other_gap.computed_from, "scan");
}

#[test]
fn rosters_imported_after_the_logs_remap_the_stored_person_tables() {
    use retrace::model::roster::SourceKind;
    let t = TestDir::new();
    let mut case = t.new_case();
    let dir = sample_dir();
    // Access logs first: no account belongs to anybody yet.
    for f in retrace::synth::manifest()
        .into_iter()
        .filter(|f| f.kind == "access")
    {
        let profile = f
            .profile
            .map(|p| retrace::ingest::Profile::load(&dir.join(p)).unwrap());
        let opts = options(Some(SourceKind::Access), f.tz, profile);
        crate::util::import(&mut case, &dir.join(f.name), opts).unwrap();
    }
    for f in retrace::synth::manifest()
        .into_iter()
        .filter(|f| f.kind != "access")
    {
        crate::util::import(
            &mut case,
            &dir.join(f.name),
            options(SourceKind::parse(f.kind), None, None),
        )
        .unwrap();
    }
    let g = truth();
    for p in g["people"].as_array().unwrap() {
        let key = p["person_id"].as_str().unwrap();
        let page = person_page(&case, key, DEFAULT_SESSION_GAP_MINUTES, chrono_tz::UTC)
            .unwrap()
            .unwrap();
        assert_eq!(page.computed_from, "stored", "{key}");
        assert_eq!(
            page.figures.access_events as u64,
            p["events"].as_u64().unwrap(),
            "{key}"
        );
        assert_eq!(
            page.figures.sessions as u64,
            p["sessions"].as_u64().unwrap(),
            "{key}"
        );
        assert_eq!(
            page.figures.distinct_subjects as u64,
            p["distinct_subjects"].as_u64().unwrap(),
            "{key}"
        );
    }
    assert_stored_equals_scan(&case);
}

#[test]
fn a_schema_2_case_gets_its_person_tables_when_upgraded() {
    let t = TestDir::new();
    let (case, path) = build_sample_case(&t);
    case.execute_raw_for_tests(&format!(
        "DROP TABLE person_summary; DROP TABLE person_hour; DROP TABLE person_reach;
         DROP TABLE person_session; {} PRAGMA user_version = 2;",
        crate::util::SCHEMA_5_SUBJECT_LINKS
    ))
    .unwrap();
    drop(case);
    // Read-only opens do not migrate: the page reads the events.
    let ro = retrace::case::Case::open_read_only(&path).unwrap();
    assert!(ro.people().person_agg("P13").unwrap().is_none());
    let page = person_page(&ro, "P13", DEFAULT_SESSION_GAP_MINUTES, chrono_tz::UTC)
        .unwrap()
        .unwrap();
    assert_eq!(page.computed_from, "scan");
    assert_eq!(page.figures.sessions, 11);
    drop(ro);
    let case = retrace::case::Case::open(&path).unwrap();
    let page = person_page(&case, "P13", DEFAULT_SESSION_GAP_MINUTES, chrono_tz::UTC)
        .unwrap()
        .unwrap();
    assert_eq!(page.computed_from, "stored");
    assert_eq!(page.figures.sessions, 11);
    assert_eq!(
        case.people().person_tables_mismatches().unwrap(),
        Vec::<String>::new()
    );
}

#[test]
fn damaged_person_tables_are_named() {
    let t = TestDir::new();
    let case = build_sample_case(&t).0;
    case.execute_raw_for_tests(
        "UPDATE person_summary SET distinct_subjects = distinct_subjects + 1
         WHERE person_id = (SELECT id FROM person WHERE person_key = 'P14')",
    )
    .unwrap();
    assert_eq!(
        case.people().person_tables_mismatches().unwrap(),
        vec!["P14".to_string()]
    );
}

/// Access files that arrive one after another and interleave in time: each import folds its
/// events into the stored person tables (new sessions, sessions that join or bridge stored
/// ones), and a file whose events are out of time order makes the person be recomputed. After
/// every import the stored tables equal a recompute from every event.
#[test]
fn person_tables_folded_import_by_import_equal_a_recompute() {
    use retrace::model::roster::SourceKind;
    let t = TestDir::new();
    let mut case = t.new_case();
    let people = t.write(
        "people.csv",
        "person_id,display_name,organization,country\nA,Alpha,Org,JP\nB,Beta,Org,CN\n",
    );
    let accounts = t.write("accounts.csv", "account,person_id\na1,A\na2,A\nb1,B\n");
    crate::util::import(
        &mut case,
        &people,
        options(Some(SourceKind::People), None, None),
    )
    .unwrap();
    crate::util::import(
        &mut case,
        &accounts,
        options(Some(SourceKind::Accounts), None, None),
    )
    .unwrap();
    // A small deterministic generator: minutes over two days, so sessions (30 min) often
    // meet across files.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let base = chrono::NaiveDate::from_ymd_opt(2020, 3, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    for file in 0..5 {
        let mut minutes: Vec<u64> = (0..120).map(|_| next(2 * 24 * 60)).collect();
        // File 3 is written out of time order.
        if file != 3 {
            minutes.sort_unstable();
        }
        let mut csv = String::from("time,user,server,table,records,status,subject_ids\n");
        for m in minutes {
            let at = base + chrono::Duration::minutes(m as i64);
            let user = ["a1", "a2", "b1", "zz"][next(4) as usize];
            let status = if next(10) == 0 { "denied" } else { "success" };
            let subjects: Vec<String> = (0..next(3)).map(|_| format!("U{}", next(40))).collect();
            csv.push_str(&format!(
                "{},{user},db{},users,{},{status},{}\n",
                at.format("%Y-%m-%dT%H:%M:%SZ"),
                next(2),
                next(5),
                subjects.join(";")
            ));
        }
        let path = t.write(&format!("access{file}.csv"), csv);
        crate::util::import(
            &mut case,
            &path,
            options(Some(SourceKind::Access), None, None),
        )
        .unwrap();
        assert_eq!(
            case.people().person_tables_mismatches().unwrap(),
            Vec::<String>::new(),
            "after file {file}"
        );
        assert!(
            case.integrity().check_account_subject().unwrap().is_none(),
            "after file {file}"
        );
    }
    assert_stored_equals_scan(&case);
    let a = case.people().person_agg("A").unwrap().unwrap();
    assert!(a.summary.access_events > 200, "{:?}", a.summary);
    assert!(a.summary.sessions > 10, "{:?}", a.summary);
}

#[test]
fn a_schema_4_case_gets_session_subject_sets_when_upgraded() {
    let t = TestDir::new();
    let (case, path) = build_sample_case(&t);
    let before = case.people().person_agg("P13").unwrap().unwrap();
    case.execute_raw_for_tests(&format!(
        "ALTER TABLE person_session DROP COLUMN subject_set; {} PRAGMA user_version = 4;",
        crate::util::SCHEMA_5_SUBJECT_LINKS
    ))
    .unwrap();
    drop(case);
    let case = retrace::case::Case::open(&path).unwrap();
    assert_eq!(
        case.people().person_tables_mismatches().unwrap(),
        Vec::<String>::new()
    );
    let after = case.people().person_agg("P13").unwrap().unwrap();
    assert_eq!(after.summary, before.summary);
    assert_eq!(after.sessions.len(), before.sessions.len());
    // Every stored session has its set again: a later import can merge into it.
    let (with_subjects, empty): (i64, i64) = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT count(*), coalesce(sum(length(subject_set) = 0), 0) FROM person_session
             WHERE subjects > 0",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(with_subjects > 0);
    assert_eq!(empty, 0);
}
