//! The person page against the sample case's ground truth: every count, per person; sessions
//! and their approval cover per Shanghai engineer; the CLI's `person --json`.

use std::process::Command;

use retrace::analysis::person::{find_person, lookalike_accounts, person_page};
use retrace::analysis::{self, DEFAULT_SESSION_GAP_MINUTES};
use retrace::case::PersonRow;
use retrace::jobs::{CancelToken, NoProgress};
use retrace::ops::sample::build_case_from_dir;
use serde_json::Value;

use crate::util::{TestDir, build_sample_case, sample_dir, truth};

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
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_retrace"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
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
    assert!(out.contains("1 events") || out.contains("refused attempts:  1"));
    assert!(out.contains("gaps under 30 min"));
    assert!(out.contains("196 distinct subjects"));

    let (code, _, err) = run(&["person", c, "nobody"]);
    assert_eq!(code, 1);
    assert!(err.contains("no person matches"));
}
