//! Data-subject lookup on the sample case: hits checked against the events themselves, aliases
//! (phone, e-mail) and the importer's normalisation, the coverage message when nothing touched a
//! subject, the bulk answer with its CSV, and the CLI.

use std::collections::HashSet;

use retrace::analysis::subject::{
    SubjectLookup, lookup_subject, lookup_subjects, lookup_subjects_to_csv, parse_identifier_list,
    write_csv,
};
use serde_json::Value;

use crate::util::{TestDir, build_sample_case, sample_dir, truth};

/// (subject_id, country, phone, email) rows of the sample's subjects roster.
fn roster() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(sample_dir().join("subjects.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

const NO_ACCESS: &str = "no access recorded in sources covering 2018-05-31 .. 2021-03-31";

#[test]
fn lookup_with_hits_matches_the_events_and_aliases_resolve() {
    let t = TestDir::new();
    let (case, _) = build_sample_case(&t);
    let row = roster()
        .into_iter()
        .find(|r| !r[2].is_empty() && !r[3].is_empty())
        .unwrap();
    let by_id = lookup_subject(&case, &row[0]).unwrap();
    let subject = by_id.subject.clone().unwrap();
    assert_eq!(subject.key, row[0]);
    assert_eq!(subject.country.as_deref(), Some(row[1].as_str()));
    assert!(!by_id.via_alias);
    assert!(!by_id.hits.is_empty(), "pick a touched subject");
    // Every hit is an event that names the subject, in time order.
    for h in &by_id.hits {
        let d = case.sources().event_detail(h.event_id).unwrap().unwrap();
        assert!(d.subjects.contains(&row[0]), "event {}", h.event_id);
        assert_eq!(d.row.ts_us, h.ts_us);
        assert_eq!(d.row.system, h.system);
        assert!(h.system_country.is_some());
    }
    assert!(by_id.hits.windows(2).all(|w| w[0].ts_us <= w[1].ts_us));
    assert!(by_id.message.contains("access events"));

    // The phone spelled differently and the e-mail in upper case reach the same subject.
    let phone = row[2].replace('-', " ");
    for q in [
        phone.as_str(),
        &row[3].to_uppercase(),
        &format!("  {}  ", row[0]),
    ] {
        let a = lookup_subject(&case, q).unwrap();
        assert_eq!(a.subject.as_ref().map(|s| &s.key), Some(&row[0]), "{q}");
        assert_eq!(a.hits, by_id.hits, "{q}");
    }
    assert!(lookup_subject(&case, &row[2]).unwrap().via_alias);
}

#[test]
fn lookup_without_hits_names_the_coverage() {
    let t = TestDir::new();
    let (case, _) = build_sample_case(&t);
    let a = lookup_subject(&case, "U000000000000").unwrap();
    assert!(a.subject.is_none());
    assert!(a.hits.is_empty());
    assert!(a.message.contains(NO_ACCESS), "{}", a.message);

    // A subject in the roster that no event touched: known, and still the coverage.
    let l = SubjectLookup::new(&case).unwrap();
    let untouched = roster()
        .into_iter()
        .map(|r| l.answer(&r[0]).unwrap())
        .find(|a| a.hits.is_empty())
        .unwrap();
    assert!(untouched.subject.is_some());
    assert!(untouched.message.starts_with("known subject"));
    assert!(untouched.message.contains(NO_ACCESS));
}

#[test]
fn bulk_lookup_matches_the_ground_truth_and_writes_csv() {
    let t = TestDir::new();
    let (case, _) = build_sample_case(&t);
    let g = truth();
    let mut ids: Vec<String> = roster().into_iter().map(|r| r[0].clone()).collect();
    ids.push("nobody@example.com".into());
    let answers = lookup_subjects(&case, &ids).unwrap();
    assert_eq!(answers.len(), 3001);
    let touched = answers.iter().filter(|a| a.access_events > 0).count();
    assert_eq!(
        touched as u64,
        g["subjects"]["touched_whole_case"].as_u64().unwrap()
    );
    let shanghai: HashSet<&str> = ["P13", "P14", "P15", "P16"].into();
    let by_shanghai = answers
        .iter()
        .filter(|a| {
            a.hits.iter().any(|h| {
                h.access
                    && h.person_key
                        .as_deref()
                        .is_some_and(|k| shanghai.contains(k))
            })
        })
        .count();
    assert_eq!(
        by_shanghai as u64,
        g["subjects"]["touched_by_shanghai"].as_u64().unwrap()
    );

    let mut buf = Vec::new();
    write_csv(&answers[2990..], chrono_tz::Asia::Tokyo, &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    assert_eq!(&header[0], "query");
    assert!(header.iter().any(|h| h == "time (Asia/Tokyo)"));
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let hits: usize = answers[2990..].iter().map(|a| a.hits.len().max(1)).sum();
    assert_eq!(rows.len(), hits);
    let last = rows.last().unwrap();
    assert_eq!(&last[0], "nobody@example.com");
    assert!(last[last.len() - 1].contains(NO_ACCESS));
}

#[test]
fn identifier_lists_parse_lines_and_separators() {
    assert_eq!(
        parse_identifier_list("subject_id\nU1\n\n U2 ;U3\r\nu4@x.example,\t+81-90-1\n"),
        vec!["U1", "U2", "U3", "u4@x.example", "+81-90-1"]
    );
}

#[test]
fn cli_subject_json_file_and_csv() {
    let t = TestDir::new();
    let (case, path) = build_sample_case(&t);
    drop(case);
    let row = roster().into_iter().find(|r| !r[3].is_empty()).unwrap();
    let run = crate::util::retrace;
    let c = path.to_str().unwrap();
    let (code, out, err) = run(&["subject", c, &row[0], "Unobody", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["subject"]["key"], row[0].as_str());
    assert_eq!(v[1]["subject"], Value::Null);
    assert!(v[1]["message"].as_str().unwrap().contains(NO_ACCESS));

    let (code, out, _) = run(&["subject", c, &row[3]]);
    assert_eq!(code, 0);
    assert!(out.contains("via alias"), "{out}");

    let list = t.write("ids.txt", format!("{}\nUnobody\n", row[0]));
    let csv_path = t.path("result.csv");
    let (code, out, err) = run(&[
        "subject",
        c,
        "--file",
        list.to_str().unwrap(),
        "--out",
        csv_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 identifiers answered"), "{out}");
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert!(text.starts_with("query,normalized,subject_key"));
    assert!(text.contains(NO_ACCESS));
    assert!(text.lines().count() >= 3);
}

#[test]
fn bulk_answers_equal_single_answers_and_the_streamed_csv_equals_write_csv() {
    let t = TestDir::new();
    let (case, _) = build_sample_case(&t);
    let mut ids: Vec<String> = roster().into_iter().map(|r| r[0].clone()).collect();
    // Aliases, an unknown id, a blank line and a repeat.
    let row = roster().into_iter().find(|r| !r[3].is_empty()).unwrap();
    ids.extend([
        row[3].to_uppercase(),
        "Unobody".into(),
        "  ".into(),
        ids[0].clone(),
    ]);
    let l = SubjectLookup::new(&case).unwrap();
    let single: Vec<_> = ids
        .iter()
        .filter(|q| !q.trim().is_empty())
        .map(|q| l.answer(q).unwrap())
        .collect();
    let bulk = lookup_subjects(&case, &ids).unwrap();
    assert_eq!(bulk.len(), 3003);
    assert!(bulk.iter().map(|a| a.hits.len()).sum::<usize>() > 3000);
    assert_eq!(bulk, single);
    // Small batches: many ordered passes, the same answers.
    let mut batched = Vec::new();
    l.answer_in_batches(&ids, 37, |a| {
        batched.push(a);
        Ok(())
    })
    .unwrap();
    assert_eq!(batched, single);

    let mut streamed = Vec::new();
    let (answered, touched) =
        lookup_subjects_to_csv(&case, &ids, chrono_tz::Asia::Tokyo, &mut streamed).unwrap();
    assert_eq!(answered, 3003);
    assert_eq!(touched, bulk.iter().filter(|a| a.access_events > 0).count());
    let mut whole = Vec::new();
    write_csv(&bulk, chrono_tz::Asia::Tokyo, &mut whole).unwrap();
    assert_eq!(
        String::from_utf8(streamed).unwrap(),
        String::from_utf8(whole).unwrap()
    );
}

/// A schema-5 case (subject links one row per event, `event_subject`) answers lookups opened
/// read-only as it is, and gives the same answers after its upgrade to `subject_event`.
#[test]
fn schema_5_subject_links_upgrade_to_the_same_answers() {
    let t = TestDir::new();
    let (case, path) = build_sample_case(&t);
    let subjects: Vec<i64> = (1..=40).collect();
    let answers = |case: &retrace::case::Case| -> Vec<(Vec<i64>, Vec<i64>)> {
        subjects
            .iter()
            .map(|&s| {
                let ids = case.subjects().subject_event_ids(s).unwrap();
                let mut events: Vec<i64> = case
                    .subjects()
                    .subject_events(s)
                    .unwrap()
                    .iter()
                    .map(|r| r.event.id)
                    .collect();
                events.sort_unstable();
                (ids, events)
            })
            .collect()
    };
    let before = answers(&case);
    assert!(before.iter().map(|(ids, _)| ids.len()).sum::<usize>() > 40);
    assert!(before.iter().all(|(ids, events)| ids == events));
    case.execute_raw_for_tests(&format!(
        "{} PRAGMA user_version = 5;",
        crate::util::SCHEMA_5_SUBJECT_LINKS
    ))
    .unwrap();
    drop(case);
    let ro = retrace::case::Case::open_read_only(&path).unwrap();
    assert_eq!(answers(&ro), before);
    drop(ro);
    let case = retrace::case::Case::open(&path).unwrap();
    assert_eq!(answers(&case), before);
    let (rows, links): (i64, i64) = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*), sum(events) FROM subject_event", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(rows > 0 && links > rows, "{rows} rows, {links} links");
}
