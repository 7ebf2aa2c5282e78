//! Tampering: a changed event row, stored source blob or custody entry is named exactly by
//! `retrace verify` (`--deep` for event rows, which it derives again from the stored original).

use std::path::Path;

use retrace::case::Case;

use crate::hostile::retrace;
use crate::util::{TestDir, import, options};

const ACCESS: &str = "time,account,system,action,object,subjects\n\
2021-02-24T09:15:00+09:00,chen.siyuan,jp-msg-db,SELECT,users,U1;U2\n\
2021-02-24T09:16:00+09:00,chen.siyuan,jp-msg-db,SELECT,reports,U3\n\
2021-02-24T09:17:00+09:00,li.wei,jp-msg-db,UPDATE,users,U4\n\
not a time,li.wei,jp-msg-db,SELECT,users,U5\n";

/// A case with one access source (3 events, 1 reject); returns its path.
fn build(t: &TestDir, name: &str) -> std::path::PathBuf {
    let path = t.path(name);
    let mut case = Case::create(&path, "tamper").unwrap();
    let f = t.write("access.csv", ACCESS);
    let r = import(&mut case, &f, options(None, Some("Asia/Tokyo"), None)).unwrap();
    assert_eq!(
        (r.result.rows_imported, r.result.rows_rejected),
        (3, 1),
        "fixture"
    );
    path
}

/// `retrace verify [--deep] --json`: exit code and the problems as (what, why).
fn verify(dir: &Path, case: &str, deep: bool) -> (i32, Vec<(String, String)>) {
    let mut args = vec!["verify", case, "--json"];
    if deep {
        args.push("--deep");
    }
    let run = retrace(dir, &args);
    let v: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", run.stdout, run.stderr));
    let mut problems: Vec<(String, String)> = Vec::new();
    let lists = [&v["problems"], &v["deep"]["problems"]];
    for list in lists {
        for p in list.as_array().into_iter().flatten() {
            problems.push((
                p["what"].as_str().unwrap().to_string(),
                p["why"].as_str().unwrap().to_string(),
            ));
        }
    }
    (run.code, problems)
}

/// A change only `--deep` can see: the plain verify passes, the deep one fails naming exactly
/// one problem, returned as (what, why).
fn only_deep_problem(t: &TestDir, case: &str) -> (String, String) {
    let (code, plain) = verify(t.dir.path(), case, false);
    assert_eq!((code, plain.len()), (0, 0), "{plain:?}");
    let (code, mut problems) = verify(t.dir.path(), case, true);
    assert_eq!(code, 1);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    problems.remove(0)
}

fn tamper(path: &Path, sql: &str) {
    let case = Case::open(path).unwrap();
    case.execute_raw_for_tests(sql).unwrap();
}

#[test]
fn an_untouched_case_verifies_deep() {
    let t = TestDir::new();
    build(&t, "clean.retrace");
    let (code, problems) = verify(t.dir.path(), "clean.retrace", true);
    assert_eq!((code, problems), (0, vec![]));
    let run = retrace(t.dir.path(), &["verify", "clean.retrace", "--deep"]);
    assert!(
        run.stdout
            .contains("derived 3 events of 1 access source again"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_changed_event_row_is_named_by_id_file_line_and_field() {
    let t = TestDir::new();
    let path = build(&t, "events.retrace");
    let (id2, id3): (i64, i64) = {
        let c = Case::open_read_only(&path).unwrap();
        let s = &c.sources().list().unwrap()[0];
        let first = s.first_event_id.unwrap();
        (first + 1, first + 2)
    };
    // Event 2 (line 3) is given to another account; event 3 (line 4) moves one second.
    tamper(
        &path,
        &format!(
            "UPDATE event SET account_id = (SELECT account_id FROM event WHERE id = {id3}) WHERE id = {id2};
             UPDATE event SET ts_us = ts_us + 1000000 WHERE id = {id3};"
        ),
    );
    // The plain verify cannot see it: the row is still well-formed.
    let (code, plain) = verify(t.dir.path(), "events.retrace", false);
    assert_eq!((code, plain.len()), (0, 0), "{plain:?}");
    let (code, mut problems) = verify(t.dir.path(), "events.retrace", true);
    assert_eq!(code, 1);
    // The derived tables were computed from the events before the change, so the impact's
    // table, the hourly and daily counts, the cells, the source's hours and its time span no
    // longer agree with the (changed) events either; those are named after them.
    let derived: Vec<_> = problems.drain(2..).collect();
    assert_eq!(
        derived.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
        vec![
            "account_subject",
            "agg_hour",
            "agg_hour",
            "agg_day",
            "agg_day",
            "agg_cell_hour",
            "agg_cell_hour",
            "agg_cell_day",
            "agg_cell_day",
            "source_hour",
            "source 1 (access.csv)"
        ],
        "{derived:#?}"
    );
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].0, format!("event {id2} (access.csv, line 3)"));
    assert!(
        problems[0]
            .1
            .starts_with("account differs: stored Some(\"li.wei\"), but line 3 of the stored original gives Some(\"chen.siyuan\")"),
        "{}",
        problems[0].1
    );
    assert_eq!(problems[1].0, format!("event {id3} (access.csv, line 4)"));
    assert!(
        problems[1].1.starts_with("time (ts_us) differs"),
        "{}",
        problems[1].1
    );
}

#[test]
fn a_changed_derived_row_is_named_by_deep_verify() {
    let t = TestDir::new();
    let path = build(&t, "derived.retrace");
    tamper(
        &path,
        "UPDATE account_subject SET categories = categories | 1024 WHERE subject_id > 0",
    );
    let (what, why) = only_deep_problem(&t, "derived.retrace");
    assert_eq!(what, "account_subject");
    assert!(why.contains("rows differ"), "{why}");
}

#[test]
fn a_changed_subject_link_row_is_named_by_deep_verify() {
    let t = TestDir::new();
    let path = build(&t, "links.retrace");
    // One subject's events lose their last id: the lookup would miss an event.
    tamper(
        &path,
        "UPDATE subject_event SET event_ids = json_remove(event_ids, '$[#-1]'), events = events - 1
         WHERE (subject_id, source_id) =
               (SELECT subject_id, source_id FROM subject_event LIMIT 1)",
    );
    let (what, why) = only_deep_problem(&t, "links.retrace");
    assert_eq!(what, "subject_event");
    assert!(why.starts_with("1 (subject, source) rows differ"), "{why}");
}

#[test]
fn a_changed_source_blob_is_named() {
    let t = TestDir::new();
    let path = build(&t, "blob.retrace");
    // Same length, one account renamed, properly compressed: only the hash can tell.
    let forged = ACCESS.replace("li.wei", "xx.yyy");
    let data = zstd::encode_all(forged.as_bytes(), 1).unwrap();
    let hex: String = data.iter().map(|b| format!("{b:02x}")).collect();
    tamper(
        &path,
        &format!("UPDATE source_chunk SET data = x'{hex}' WHERE seq = 0"),
    );
    let (code, problems) = verify(t.dir.path(), "blob.retrace", false);
    assert_eq!(code, 1);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].0, "source 1 (access.csv)");
    assert!(
        problems[0].1.starts_with("stored bytes hash to ")
            && problems[0].1.contains("but the source records"),
        "{}",
        problems[0].1
    );
    // The deep verify also says which events no longer match their (forged) lines.
    let (_, deep) = verify(t.dir.path(), "blob.retrace", true);
    assert!(
        deep.iter()
            .any(|(what, why)| what.ends_with("(access.csv, line 4)")
                && why.starts_with("account differs")),
        "{deep:#?}"
    );
}

/// The references of `event` are checked in the reading of each source's events, not by
/// `foreign_key_check` (unless that reading finds one): an event pointed at a missing account,
/// system or source is named as the whole check names it.
#[test]
fn an_event_referring_to_a_missing_row_is_named() {
    let t = TestDir::new();
    for (name, sql, want) in [
        (
            "account.retrace",
            "UPDATE event SET account_id = 999 WHERE id = 2",
            vec![("event row 2", "account")],
        ),
        (
            "system.retrace",
            "UPDATE event SET system_id = 998 WHERE id = 3",
            vec![("event row 3", "system")],
        ),
        (
            "both.retrace",
            "UPDATE event SET account_id = 999 WHERE id = 1;
             UPDATE event SET system_id = 998 WHERE id = 3",
            vec![("event row 1", "account"), ("event row 3", "system")],
        ),
    ] {
        let path = build(&t, name);
        tamper(&path, &format!("PRAGMA foreign_keys = OFF; {sql}"));
        let (code, problems) = verify(t.dir.path(), name, false);
        assert_eq!(code, 1, "{name}");
        let refs: Vec<(&str, &str)> = problems
            .iter()
            .filter(|(_, why)| why.starts_with("refers to a"))
            .map(|(what, why)| (what.as_str(), why.as_str()))
            .collect();
        let want: Vec<(&str, String)> = want
            .iter()
            .map(|(what, parent)| {
                (
                    *what,
                    format!("refers to a {parent} row that does not exist"),
                )
            })
            .collect();
        assert_eq!(
            refs.iter()
                .map(|(w, y)| (*w, y.to_string()))
                .collect::<Vec<_>>(),
            want,
            "{name}: {problems:#?}"
        );
    }
    // An event moved to a source that does not exist: outside every source's range, so the
    // whole check runs and names it too.
    let path = build(&t, "source.retrace");
    tamper(
        &path,
        "PRAGMA foreign_keys = OFF; UPDATE event SET source_id = 77 WHERE id = 2",
    );
    let (code, problems) = verify(t.dir.path(), "source.retrace", false);
    assert_eq!(code, 1);
    assert!(
        problems.contains(&(
            "event row 2".to_string(),
            "refers to a source row that does not exist".to_string()
        )),
        "{problems:#?}"
    );
}

#[test]
fn a_changed_custody_entry_is_named() {
    let t = TestDir::new();
    let path = build(&t, "custody.retrace");
    tamper(
        &path,
        "DROP TRIGGER custody_no_update; UPDATE custody SET actor = 'mallory' WHERE id = 1;",
    );
    let (code, problems) = verify(t.dir.path(), "custody.retrace", false);
    assert_eq!(code, 1);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].0, "custody entry 1");
    // Dropping the trigger that kept the log append-only is named too.
    assert_eq!(problems[1].0, "schema: trigger custody_no_update");
}
