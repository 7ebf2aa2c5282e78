//! The bundled sample case against the ground truth its generator wrote
//! (`sample_data/ground_truth.json`), plus the headline facts hard-coded, so that a generator
//! and an importer that drift together still fail here.

use std::collections::BTreeMap;

use retrace::analysis::{self, DEFAULT_SESSION_GAP_MINUTES};
use retrace::model::time::format_utc;
use serde_json::Value;

use crate::util::{TestDir, build_sample_case, sample_dir, truth};

/// `2018-08-12T02:55:59.000Z` and `format_utc`'s `2018-08-12T02:55:59Z` name one instant.
fn same_instant(truth: &Value, ts_us: Option<i64>) -> bool {
    let want = chrono::DateTime::parse_from_rfc3339(truth.as_str().unwrap())
        .unwrap()
        .timestamp_micros();
    ts_us == Some(want)
}

#[test]
fn sample_case_matches_its_ground_truth() {
    let t = TestDir::new();
    let case = build_sample_case(&t).0;
    let g = truth();
    let summary = case.summary().unwrap();

    // Headline facts of the scenario, independent of the generator's own file.
    assert_eq!(g["shanghai"]["sessions_total"], 32);
    assert_eq!(g["shanghai"]["denied_after_revocation"], 1);
    assert_eq!(g["shanghai"]["successful_after_revocation"], 0);

    // Per file: rows read = imported + rejected, as the generator counted them.
    for f in g["files"].as_array().unwrap() {
        let name = f["name"].as_str().unwrap();
        let src = summary
            .sources
            .iter()
            .find(|s| s.file_name == name)
            .unwrap();
        assert_eq!(
            src.rows_read,
            f["rows_read"].as_i64().unwrap(),
            "{name} read"
        );
        assert_eq!(
            src.rows_imported,
            f["imported"].as_i64().unwrap(),
            "{name} imported"
        );
        assert_eq!(
            src.rows_rejected,
            f["rejected"].as_i64().unwrap(),
            "{name} rejected"
        );
        assert_eq!(src.rows_read, src.rows_imported + src.rows_rejected);
    }
    assert_eq!(summary.events, g["total_events"].as_i64().unwrap());
    assert_eq!(summary.rejects, 3);
    assert_eq!(summary.subjects, g["subjects"]["total"].as_i64().unwrap());

    // Per person: every figure.
    for p in g["people"].as_array().unwrap() {
        let key = p["person_id"].as_str().unwrap();
        let f = analysis::person_figures(&case, key, DEFAULT_SESSION_GAP_MINUTES).unwrap();
        let ctx = format!("{key} {}", p["display_name"]);
        assert_eq!(
            f.access_events as i64,
            p["events"].as_i64().unwrap(),
            "{ctx} events"
        );
        assert_eq!(
            f.refused_events as i64,
            p["denied_events"].as_i64().unwrap(),
            "{ctx} denied"
        );
        assert_eq!(
            f.sessions as i64,
            p["sessions"].as_i64().unwrap(),
            "{ctx} sessions"
        );
        assert_eq!(
            f.active_days as i64,
            p["active_days"].as_i64().unwrap(),
            "{ctx} active days"
        );
        assert_eq!(
            f.distinct_subjects as i64,
            p["distinct_subjects"].as_i64().unwrap(),
            "{ctx} subjects"
        );
        assert_eq!(f.records, p["records"].as_i64().unwrap(), "{ctx} records");
        let systems: Vec<String> = p["systems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            f.systems.iter().cloned().collect::<Vec<_>>(),
            systems,
            "{ctx} systems"
        );
        let mut cats: Vec<String> = p["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        let mut got = f.categories.clone();
        cats.sort();
        got.sort();
        assert_eq!(got, cats, "{ctx} categories");
        if f.access_events > 0 {
            assert!(
                same_instant(&p["first_event"], f.first_access_us),
                "{ctx} first {:?}",
                f.first_access_us.map(format_utc)
            );
            assert!(
                same_instant(&p["last_event"], f.last_access_us),
                "{ctx} last"
            );
        }
    }

    // Unattributed accounts.
    let unmapped = case.people().unmapped_accounts().unwrap();
    let truth_unmapped: Vec<&str> = g["unattributed_accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account"].as_str().unwrap())
        .collect();
    assert_eq!(unmapped.iter().map(String::as_str).collect::<Vec<_>>(), {
        let mut v = truth_unmapped.clone();
        v.sort();
        v
    });
    for a in g["unattributed_accounts"].as_array().unwrap() {
        let name = a["account"].as_str().unwrap();
        let f = analysis::account_figures(&case, name, DEFAULT_SESSION_GAP_MINUTES).unwrap();
        assert_eq!(
            f.access_events as i64,
            a["events"].as_i64().unwrap(),
            "{name}"
        );
        assert_eq!(
            f.distinct_subjects as i64,
            a["distinct_subjects"].as_i64().unwrap(),
            "{name}"
        );
        assert_eq!(f.records, a["records"].as_i64().unwrap(), "{name}");
    }

    // The four Shanghai engineers: 32 sessions, split as the truth says, and the sessions
    // themselves start and end where the truth says.
    let sh = &g["shanghai"];
    let mut total = 0;
    let mut starts: Vec<(String, i64, i64)> = Vec::new();
    for e in sh["sessions_per_engineer"].as_array().unwrap() {
        let key = e["person_id"].as_str().unwrap();
        let events = case.people().person_events(key).unwrap();
        let sessions = analysis::sessionize(&events, DEFAULT_SESSION_GAP_MINUTES * 60_000_000);
        assert_eq!(
            sessions.len() as i64,
            e["sessions"].as_i64().unwrap(),
            "{key}"
        );
        total += sessions.len();
        starts.extend(
            sessions
                .iter()
                .map(|s| (key.to_string(), s.start_us, s.end_us)),
        );
    }
    assert_eq!(total, 32);
    let mut want: Vec<(String, i64, i64)> = sh["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let t = |k: &str| {
                chrono::DateTime::parse_from_rfc3339(s[k].as_str().unwrap())
                    .unwrap()
                    .timestamp_micros()
            };
            (
                s["person_id"].as_str().unwrap().to_string(),
                t("start"),
                t("end"),
            )
        })
        .collect();
    want.sort();
    starts.sort();
    assert_eq!(starts, want);
    // Sessions do not depend on the gap between 10 minutes and 5 hours (the scenario's shape).
    for gap in [10, 300] {
        let n: usize = sh["sessions_per_engineer"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                analysis::sessionize(
                    &case
                        .people()
                        .person_events(e["person_id"].as_str().unwrap())
                        .unwrap(),
                    gap * 60_000_000,
                )
                .len()
            })
            .sum();
        assert_eq!(n, 32, "gap {gap} min");
    }
    // The denied attempt after the revocation milestone.
    let revoked = case
        .people()
        .milestones()
        .unwrap()
        .into_iter()
        .find(|m| {
            m.kind == "access_revoked"
                && m.scope_value
                    .as_deref()
                    .is_some_and(|v| v.contains("Shanghai"))
        })
        .unwrap();
    assert_eq!(format_utc(revoked.at_us), "2021-02-23T15:00:00Z");
    let mut denied_after = 0;
    let mut access_after = 0;
    for e in sh["engineers"].as_array().unwrap() {
        let key = e
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| e["person_id"].as_str().unwrap().to_string());
        for ev in case
            .people()
            .person_events(&key)
            .unwrap()
            .iter()
            .filter(|ev| ev.ts_us >= revoked.at_us)
        {
            if analysis::is_access(ev.outcome.as_ref().map(retrace::model::Outcome::as_str)) {
                access_after += 1
            } else {
                denied_after += 1
            }
        }
    }
    assert_eq!((denied_after, access_after), (1, 0));

    // Distinct subjects by country x category: Shanghai, Dalian, whole case.
    let table = |v: &Value| -> BTreeMap<(String, String), usize> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    (
                        r["country"].as_str().unwrap().to_string(),
                        r["category"].as_str().unwrap().to_string(),
                    ),
                    r["subjects"].as_u64().unwrap() as usize,
                )
            })
            .collect()
    };
    let keys = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| {
                e.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| e["person_id"].as_str().unwrap().to_string())
            })
            .collect()
    };
    let sh_keys = keys(&sh["engineers"]);
    let sh_refs: Vec<&str> = sh_keys.iter().map(String::as_str).collect();
    let got = analysis::subjects_by_country_category(
        &case,
        &case.subjects().subject_links(&sh_refs, &[]).unwrap(),
    )
    .unwrap();
    assert_eq!(got, table(&g["country_category"]["shanghai"]));
    let dl_keys = keys(&g["dalian"]["reviewers"]);
    let dl_refs: Vec<&str> = dl_keys.iter().map(String::as_str).collect();
    let got = analysis::subjects_by_country_category(
        &case,
        &case.subjects().subject_links(&dl_refs, &[]).unwrap(),
    )
    .unwrap();
    assert_eq!(got, table(&g["country_category"]["dalian"]));
    let got = analysis::subjects_by_country_category(
        &case,
        &case.subjects().all_subject_links().unwrap(),
    )
    .unwrap();
    assert_eq!(got, table(&g["country_category"]["whole_case"]));

    // The case verifies, and an event's raw line comes back from the stored original.
    assert!(case.integrity().verify(&|| false).unwrap().is_clean());
}

#[test]
fn sample_event_traces_to_its_raw_line() {
    let t = TestDir::new();
    let case = build_sample_case(&t).0;
    let src = case
        .sources()
        .list()
        .unwrap()
        .into_iter()
        .find(|s| s.file_name == "contractor_review_export.csv")
        .unwrap();
    let ev = &case.sources().source_events(src.id, 1).unwrap()[0];
    let d = case.sources().event_detail(ev.id).unwrap().unwrap();
    let file = std::fs::read(sample_dir().join("contractor_review_export.csv")).unwrap();
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&file);
    let line = text.lines().nth(ev.line as usize - 1).unwrap();
    assert_eq!(d.raw_text, line);
    assert!(
        d.raw_text
            .chars()
            .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)
                || ('\u{4e00}'..='\u{9fff}').contains(&c))
    );
}

#[test]
fn fast_counts_equal_exact_counts() {
    use retrace::case::{FilterTerm, SortKey, TableQuery};
    let t = TestDir::new();
    let case = build_sample_case(&t).0;
    let s = case.summary().unwrap();
    let (first, last) = (s.first_ts_us.unwrap(), s.last_ts_us.unwrap());
    let shanghai = FilterTerm::Organization("Hoshizora Technology (Shanghai) Co., Ltd.".into());
    // Ranges that start and end inside hours, span whole hours, or sit inside one hour.
    let ranges = [
        (first, last + 1),
        (first + 1_234_567, last - 7_654_321),
        (
            first + 3_600_000_000 * 100 + 17,
            first + 3_600_000_000 * 5000 + 99,
        ),
        (first + 10, first + 20_000_000),
    ];
    for (from_us, to_us) in ranges {
        for filter in [vec![], vec![shanghai.clone()]] {
            let q = TableQuery {
                from_us,
                to_us,
                filter: filter.clone(),
                sort: SortKey::Time,
                descending: false,
            };
            let exact = case
                .timeline()
                .event_marks(from_us, to_us, &filter, usize::MAX >> 1)
                .unwrap()
                .len() as u64;
            assert_eq!(
                case.timeline().table_count(&q).unwrap(),
                exact,
                "{from_us}..{to_us} {filter:?}"
            );
        }
    }
    let all = TableQuery {
        from_us: first,
        to_us: last + 1,
        filter: vec![],
        sort: SortKey::Time,
        descending: false,
    };
    assert_eq!(case.timeline().table_count(&all).unwrap() as i64, s.events);
    // The filter choices come from the import-time value counts, most frequent first.
    let actions = case.timeline().distinct_event_values(false, 100).unwrap();
    assert!(actions.contains(&"SELECT".to_string()), "{actions:?}");
    assert_eq!(
        case.timeline().distinct_event_values(true, 10).unwrap()[0],
        "success"
    );
}

#[test]
fn hourly_index_spreads_hours_and_keeps_totals() {
    let t = TestDir::new();
    let case = build_sample_case(&t).0;
    let s = case.summary().unwrap();
    let hour = 3_600_000_000i64;
    let from = s.first_ts_us.unwrap().div_euclid(hour) * hour;
    let to = (s.last_ts_us.unwrap().div_euclid(hour) + 1) * hour;
    let hours = case.timeline().load_hour_index().unwrap();
    for columns in [7u32, 1400, 200_000] {
        let rows = hours.columns(from, to, columns, None);
        assert_eq!(
            rows.iter().map(|c| c.events).sum::<u64>() as i64,
            s.events,
            "{columns} columns"
        );
        assert!(rows.iter().all(|c| c.column < columns));
    }
    // Zoomed to one hour across 100 columns, that hour's n events cover min(n, 100) columns,
    // whole events each, instead of one spike.
    let busiest = (0..2000)
        .map(|i| from + i * hour)
        .max_by_key(|h| {
            case.timeline()
                .event_marks(*h, *h + hour, &[], 10_000)
                .unwrap()
                .len()
        })
        .unwrap();
    let marks = case
        .timeline()
        .event_marks(busiest, busiest + hour, &[], 10_000)
        .unwrap();
    let rows = hours.columns(busiest, busiest + hour, 100, None);
    assert!(marks.len() >= 2, "a busy hour");
    assert_eq!(
        rows.iter().map(|c| c.events).sum::<u64>(),
        marks.len() as u64
    );
    // Per lane (account): its events cover min(n, 100) columns.
    let mut per_account: std::collections::HashMap<i64, u64> = Default::default();
    for m in &marks {
        *per_account.entry(m.account_id).or_default() += 1;
    }
    for (account, n) in per_account {
        let used: std::collections::HashSet<u32> = rows
            .iter()
            .filter(|c| c.account_id == account)
            .map(|c| c.column)
            .collect();
        assert_eq!(used.len() as u64, n.min(100), "account {account}");
    }
    // An account filter keeps only that account's hours.
    let shanghai =
        retrace::case::FilterTerm::Organization("Hoshizora Technology (Shanghai) Co., Ltd.".into());
    let accounts = case
        .timeline()
        .accounts_matching(&[shanghai])
        .unwrap()
        .unwrap();
    assert_eq!(accounts.len(), 4);
    let only: u64 = hours
        .columns(from, to, 1400, Some(&accounts))
        .iter()
        .map(|c| c.events)
        .sum();
    assert_eq!(only, 163, "the Shanghai admin tool's events");
}
