//! Rejected rows and who they mention: the sample's three rejects (two Shanghai engineers'
//! queries with subject ids, one Tokyo engineer's), matched against accounts, persons and
//! subjects; the events around a rejected line; and the call-outs of the person page, the
//! subject lookup (and its CLI), `retrace rejects`, `retrace impact` and the report, whose
//! counts say "at least".

use retrace::analysis::rejects::{MentionKind, reject_callouts, rejected_rows};
use retrace::case::Case;

use crate::util::{TestDir, build_sample_case, retrace};

fn s(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

fn source_id(case: &Case, file: &str) -> i64 {
    case.sources()
        .list()
        .unwrap()
        .into_iter()
        .find(|x| x.file_name == file)
        .unwrap()
        .id
}

#[test]
fn rejected_rows_of_the_sample_mention_their_accounts_persons_and_subjects() {
    let t = TestDir::new();
    let (case, _) = build_sample_case(&t);
    let c = reject_callouts(&case).unwrap();
    assert_eq!((c.access_rejects, c.checked), (3, 3));
    let places: Vec<String> = c.rows.iter().map(|r| r.place()).collect();
    assert_eq!(
        places,
        [
            "sh_admin_tool.csv:46",
            "sh_admin_tool.csv:118",
            "jp_db_audit.csv:3339"
        ]
    );
    // The impossible date: Wang Yuhang's account and the subject he queried.
    let r = &c.rows[0];
    assert!(r.row.reason.contains("2019-02-30"), "{}", r.row.reason);
    let account = r
        .mentions
        .iter()
        .find(|m| m.kind == MentionKind::Account)
        .unwrap();
    assert_eq!(account.text, "wang.yuhang");
    assert_eq!(account.person_key.as_deref(), Some("P14"));
    assert!(r.mentions_subject("Uf87a0b0b9978"));
    assert_eq!(
        r.mentions_text(),
        "account wang.yuhang (P14 Wang Yuhang), subject Uf87a0b0b9978"
    );
    // The empty time: Liu Jiaqi and U31194e1113f1.
    assert!(c.rows[1].mentions_person("P15"));
    assert!(c.rows[1].mentions_subject("U31194e1113f1"));
    assert_eq!(
        c.for_person("P14").map(|r| r.row.line).collect::<Vec<_>>(),
        [46]
    );
    assert_eq!(c.for_person("P13").count(), 0, "Chen Siyuan is not named");
    assert_eq!(
        c.persons().into_iter().collect::<Vec<_>>(),
        ["P04", "P14", "P15"]
    );
    assert_eq!(c.mentioning_people().count(), 3);
}

#[test]
fn a_mention_is_found_by_name_alias_and_person_id_and_not_in_roster_rows() {
    let t = TestDir::new();
    let (mut case, path) = build_sample_case(&t);
    // A hand-written access log whose bad rows name people and a subject in other ways.
    let log = t.write(
        "extra.csv",
        "time,user,note\n\
         2020-13-01 10:00:00,nobody,call 陈思远 about it\n\
         not a time,nobody,\"phone +62-803-0855-6353, P16\"\n\
         bad,nobody,nothing known here\n",
    );
    crate::util::import(
        &mut case,
        &log,
        crate::util::options(
            Some(retrace::model::roster::SourceKind::Access),
            Some("Asia/Tokyo"),
            None,
        ),
    )
    .unwrap();
    let rows = rejected_rows(&case, Some(source_id(&case, "extra.csv")), 100).unwrap();
    assert_eq!(rows.len(), 3);
    // The native name of Chen Siyuan (P13).
    assert!(rows[0].mentions_person("P13"), "{:?}", rows[0].mentions);
    // A phone number is an alias of a subject; P16 is Zhao Mingzhe's roster id.
    let sub = rows[1]
        .mentions
        .iter()
        .find(|m| m.kind == MentionKind::Subject)
        .expect("the phone is a subject's alias");
    assert_eq!(sub.text, "+62-803-0855-6353");
    assert_eq!(sub.subject_key.as_deref(), Some("U84e8d9190810"));
    assert!(rows[1].mentions_person("P16"));
    assert!(rows[2].mentions.is_empty(), "{:?}", rows[2].mentions);
    drop(case);
    // The CLI's --mentions keeps the rows that mention someone, and says what.
    let (code, out, err) = retrace(&["rejects", s(&path), "--mentions"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("extra.csv:2:"), "{out}");
    assert!(
        out.contains("mentions: person 陈思远 (P13 Chen Siyuan)"),
        "{out}"
    );
    assert!(!out.contains("extra.csv:4:"), "{out}");
    assert!(out.contains("sh_admin_tool.csv:46:"), "{out}");
}

#[test]
fn rejects_cli_lists_mentions_as_text_and_json() {
    let t = TestDir::new();
    let (case, path) = build_sample_case(&t);
    drop(case);
    let (code, out, err) = retrace(&["rejects", s(&path)]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("sh_admin_tool.csv:46: time: ") || out.contains("sh_admin_tool.csv:46:"),
        "{out}"
    );
    assert!(
        out.contains("    mentions: account wang.yuhang (P14 Wang Yuhang), subject Uf87a0b0b9978"),
        "{out}"
    );
    let (code, out, err) = retrace(&["rejects", s(&path), "--mentions", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["file_name"], "sh_admin_tool.csv");
    assert_eq!(rows[0]["line"], 46);
    assert_eq!(rows[0]["source_kind"], "access");
    assert_eq!(rows[0]["mentions"][0]["kind"], "account");
    assert_eq!(rows[0]["mentions"][0]["person_key"], "P14");
    assert_eq!(rows[0]["mentions"][1]["subject_key"], "Uf87a0b0b9978");
}

#[test]
fn events_around_a_rejected_line_are_the_sources_neighbours_in_file_order() {
    let t = TestDir::new();
    let (case, _) = build_sample_case(&t);
    let sh = source_id(&case, "sh_admin_tool.csv");
    let n = case.sources().events_around_line(sh, 46, 5).unwrap();
    let lines = |v: &[retrace::case::EventRow]| v.iter().map(|e| e.line).collect::<Vec<_>>();
    assert_eq!(lines(&n.before), [41, 42, 43, 44, 45]);
    assert_eq!(lines(&n.after), [47, 48, 49, 50, 51]);
    assert!(n.before.iter().chain(&n.after).all(|e| e.source_id == sh));
    // Line 118 (the empty time); the first line; past the last line.
    let n = case.sources().events_around_line(sh, 118, 2).unwrap();
    assert_eq!(
        (lines(&n.before), lines(&n.after)),
        (vec![116, 117], vec![119, 120])
    );
    let n = case.sources().events_around_line(sh, 1, 3).unwrap();
    assert_eq!((lines(&n.before), lines(&n.after)), (vec![], vec![2, 3, 4]));
    let n = case.sources().events_around_line(sh, 10_000, 2).unwrap();
    assert_eq!(
        (lines(&n.before), lines(&n.after)),
        (vec![165, 166], vec![])
    );
    let jp = source_id(&case, "jp_db_audit.csv");
    let n = case.sources().events_around_line(jp, 3339, 1).unwrap();
    assert_eq!(
        (lines(&n.before), lines(&n.after)),
        (vec![3338], vec![3340])
    );
}

#[test]
fn subject_lookup_mentions_rejected_row_on_the_command_line() {
    let t = TestDir::new();
    let (case, path) = build_sample_case(&t);
    drop(case);
    let (code, out, err) = retrace(&["subject", s(&path), "Uf87a0b0b9978", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let a = &v[0];
    assert_eq!(a["rejected_rows"].as_array().unwrap().len(), 1, "{a}");
    assert_eq!(a["rejected_rows"][0]["line"], 46);
    let msg = a["message"].as_str().unwrap();
    assert!(
        msg.contains("at least: 1 rejected row of an access log mentions this subject, not counted (sh_admin_tool.csv:46: "),
        "{msg}"
    );
    let (code, out, err) = retrace(&["subject", s(&path), "U31194e1113f1"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("rejected rows of access logs that mention this subject"),
        "{out}"
    );
    assert!(out.contains("sh_admin_tool.csv:118: "), "{out}");
    assert!(
        out.contains("mentions: account liu.jiaqi (P15 Liu Jiaqi)"),
        "{out}"
    );
    // The CSV has a row for the rejected row, with its place in the note.
    let csv = t.path("answers.csv");
    let (code, _, err) = retrace(&["subject", s(&path), "U31194e1113f1", "--out", s(&csv)]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("U31194e1113f1,")
                && l.contains("rejected row sh_admin_tool.csv:118")),
        "{text}"
    );
    // A subject no rejected row mentions says nothing of rejects.
    let (_, out, _) = retrace(&["subject", s(&path), "U42a3c134f62d"]);
    assert!(!out.contains("rejected"), "{out}");
}

#[test]
fn person_page_lists_refused_attempts_and_rejected_rows_on_the_command_line() {
    let t = TestDir::new();
    let (case, path) = build_sample_case(&t);
    let page = retrace::analysis::person::person_page(&case, "P15", 30, chrono_tz::UTC)
        .unwrap()
        .unwrap();
    assert_eq!(page.figures.refused_events, 1);
    assert_eq!(page.refused_attempts.len(), 1);
    assert_eq!(page.refused_attempts[0].line, 166);
    assert_eq!(
        page.rejected_rows
            .iter()
            .map(|r| r.row.line)
            .collect::<Vec<_>>(),
        [118]
    );
    drop(case);
    let (code, out, err) = retrace(&["person", s(&path), "P15", "--tz", "UTC"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("refused attempts (times in UTC): 1 listed of 1"),
        "{out}"
    );
    assert!(
        out.contains("jp-msg-db  query_user  denied  event"),
        "{out}"
    );
    assert!(
        out.contains("rejected rows of access logs that mention this person or their accounts"),
        "{out}"
    );
    assert!(out.contains("sh_admin_tool.csv:118: "), "{out}");
    let (_, out, _) = retrace(&["person", s(&path), "P13", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rejected_rows"].as_array().unwrap().len(), 0);
    assert!(v["refused_attempts"].is_array());
}

#[test]
fn impact_says_at_least_and_lists_the_rejected_rows() {
    let t = TestDir::new();
    let (case, path) = build_sample_case(&t);
    drop(case);
    let (code, out, err) = retrace(&["impact", s(&path)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Impact in at least "), "{out}");
    assert!(
        out.contains("at least: 3 rejected rows of access logs are in no figure below"),
        "{out}"
    );
    assert!(out.contains("  jp_db_audit.csv:3339: "), "{out}");
}

/// The report of the whole case says "at least" before its counts and lists the three
/// rejected rows; a person's report lists only the row that mentions them, and one for a
/// person no rejected row mentions has neither.
#[test]
fn report_counts_say_at_least_and_list_the_rejected_rows() {
    let t = TestDir::new();
    let (case, path) = build_sample_case(&t);
    drop(case);
    let report = |name: &str, extra: &[&str]| {
        let dir = t.path(name);
        let mut args = vec!["export", s(&path), "--format", "report", "--out", s(&dir)];
        args.extend_from_slice(extra);
        let (code, out, err) = retrace(&args);
        assert_eq!(code, 0, "{out}{err}");
        std::fs::read_to_string(dir.join("report.html")).unwrap()
    };
    let html = report("whole", &[]);
    assert!(
        html.contains("Rejected rows that could change these counts"),
        "no table"
    );
    for place in [
        "sh_admin_tool.csv:46",
        "sh_admin_tool.csv:118",
        "jp_db_audit.csv:3339",
    ] {
        assert!(html.contains(&format!("<td>{place}</td>")), "{place}");
    }
    for count in [
        ">at least 6,207 events<",
        ">at least 28",
        ">at least 2,892 ",
    ] {
        assert!(html.contains(count), "{count}");
    }
    assert!(html.contains("account wang.yuhang (P14 Wang Yuhang), subject Uf87a0b0b9978"));
    // Masked: the subject id is not written out.
    let masked = report("masked", &["--redact", "mask"]);
    assert!(masked.contains("<td>sh_admin_tool.csv:46</td>"));
    assert!(!masked.contains("Uf87a0b0b9978"), "the subject is masked");
    let p14 = report("p14", &["--scope", "person", "--person", "P14"]);
    assert!(p14.contains("<td>sh_admin_tool.csv:46</td>"));
    assert!(!p14.contains("<td>sh_admin_tool.csv:118</td>"));
    assert!(p14.contains("<td>at least "));
    let p13 = report("p13", &["--scope", "person", "--person", "P13"]);
    assert!(!p13.contains("Rejected rows that could change these counts"));
    assert!(!p13.contains("<td>at least "));
    let ja = report("ja", &["--lang", "ja"]);
    assert!(ja.contains("これらの件数に影響し得る除外行"));
    assert!(ja.contains("<td>少なくとも "));
}
