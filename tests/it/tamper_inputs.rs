//! Tampering with the inputs of the answers other than the events: rosters (re-derived from
//! their stored originals by the plain verify), the derived tables (recomputed by `--deep`),
//! the custody log's records of sources and investigator decisions, and the schema. One test
//! per kind of edit; each asserts exactly what `verify` names.

use std::path::{Path, PathBuf};

use retrace::case::Case;

use crate::util::TestDir;

const PEOPLE: &str = "person_id,display_name,organization,country\n\
P1,Chen Siyuan,Vendor,CN\n\
P2,Li Wei,Vendor,CN\n\
P3,Sato Hana,HQ,JP\n";
const ACCOUNTS: &str = "account,person_id\nchen.siyuan,P1\nli.wei,P2\nghost,P9\n";
const SYSTEMS: &str = "system,country\njp-msg-db,JP\n";
// A later systems roster updates the earlier one: the description is added, the country kept.
const SYSTEMS_2: &str = "system,country,description\njp-msg-db,JP,messages\n";
const APPROVALS: &str = "person_id,system,valid_from,valid_to\n\
P1,jp-msg-db,2021-02-01T00:00:00+09:00,2021-03-01T00:00:00+09:00\n";
const MILESTONES: &str = "at,label,kind\n2021-02-20T00:00:00+09:00,contract,contract_started\n";
const ACCESS: &str = "time,account,system,action,outcome,object,subjects\n\
2021-02-24T09:15:00+09:00,chen.siyuan,jp-msg-db,SELECT,success,users,U1;U2\n\
2021-02-24T09:16:00+09:00,chen.siyuan,jp-msg-db,SELECT,success,reports,U3\n\
2021-02-24T10:17:00+09:00,li.wei,jp-msg-db,UPDATE,success,users,U4\n\
not a time,li.wei,jp-msg-db,SELECT,success,users,U5\n";

/// Runs `retrace` in `dir` with its own config directory (so its own signing key).
pub fn run_in(dir: &Path, config: &Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_retrace"))
        .args(args)
        .current_dir(dir)
        .env("RETRACE_INVESTIGATOR", "tester")
        .env("RETRACE_CONFIG_DIR", config)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run retrace");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A case with six roster sources and one access source, imported by the CLI (so every
/// custody entry is signed); returns its path.
pub fn build(t: &TestDir, name: &str) -> PathBuf {
    let config = t.path("config");
    for (file, text) in [
        ("people.csv", PEOPLE),
        ("accounts.csv", ACCOUNTS),
        ("systems.csv", SYSTEMS),
        ("systems2.csv", SYSTEMS_2),
        ("approvals.csv", APPROVALS),
        ("milestones.csv", MILESTONES),
        ("access.csv", ACCESS),
    ] {
        t.write(file, text);
        let (code, out, err) = run_in(
            t.dir.path(),
            &config,
            &["import", name, file, "--tz", "Asia/Tokyo"],
        );
        assert_eq!(code, 0, "import {file}: {out}{err}");
    }
    t.path(name)
}

/// `retrace verify [--deep] --json`: exit code and the problems as (what, why).
pub fn verify(t: &TestDir, case: &str, extra: &[&str]) -> (i32, Vec<(String, String)>) {
    let mut args = vec!["verify", case, "--json"];
    args.extend_from_slice(extra);
    let (code, out, err) = run_in(t.dir.path(), &t.path("config"), &args);
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    let mut problems = Vec::new();
    for list in [&v["problems"], &v["deep"]["problems"]] {
        for p in list.as_array().into_iter().flatten() {
            problems.push((
                p["what"].as_str().unwrap().to_string(),
                p["why"].as_str().unwrap().to_string(),
            ));
        }
    }
    (code, problems)
}

pub fn tamper(path: &Path, sql: &str) {
    let case = Case::open(path).unwrap();
    case.execute_raw_for_tests(sql).unwrap();
}

/// The plain verify fails with exactly one problem, returned.
fn only_plain_problem(t: &TestDir, case: &str) -> (String, String) {
    let (code, mut problems) = verify(t, case, &[]);
    assert_eq!(code, 1, "{problems:#?}");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    problems.remove(0)
}

/// The plain verify passes; `--deep` fails with these problems.
fn only_deep_problems(t: &TestDir, case: &str) -> Vec<(String, String)> {
    let (code, plain) = verify(t, case, &[]);
    assert_eq!((code, plain.len()), (0, 0), "{plain:#?}");
    let (code, problems) = verify(t, case, &["--deep"]);
    assert_eq!(code, 1, "{problems:#?}");
    problems
}

#[test]
fn an_untouched_case_with_rosters_verifies_plain_and_deep() {
    let t = TestDir::new();
    build(&t, "clean.retrace");
    assert_eq!(verify(&t, "clean.retrace", &[]), (0, vec![]));
    assert_eq!(verify(&t, "clean.retrace", &["--deep"]), (0, vec![]));
}

#[test]
fn a_system_country_changed_is_named_by_the_plain_verify() {
    let t = TestDir::new();
    let path = build(&t, "country.retrace");
    tamper(
        &path,
        "UPDATE system SET country = 'CN' WHERE name = 'jp-msg-db'",
    );
    let (what, why) = only_plain_problem(&t, "country.retrace");
    assert_eq!(what, "system jp-msg-db");
    // The later systems roster (source 4) is the one that set the row last.
    assert_eq!(
        why,
        "country is \"CN\", but the rosters' stored originals give \"JP\" (systems2.csv line 2, source 4)"
    );
}

#[test]
fn an_approval_end_moved_is_named_by_the_plain_verify() {
    let t = TestDir::new();
    let path = build(&t, "approval.retrace");
    tamper(
        &path,
        "UPDATE approval SET valid_to_us = valid_to_us + 86400000000",
    );
    let (what, why) = only_plain_problem(&t, "approval.retrace");
    assert_eq!(what, "approval source 5 line 2");
    assert!(
        why.starts_with("valid_to_us is 1614610800000000, but the rosters' stored originals give 1614524400000000"),
        "{why}"
    );
}

#[test]
fn a_person_country_changed_is_named_by_the_plain_verify() {
    let t = TestDir::new();
    let path = build(&t, "person.retrace");
    tamper(
        &path,
        "UPDATE person SET country = 'JP' WHERE person_key = 'P2'",
    );
    let (what, why) = only_plain_problem(&t, "person.retrace");
    assert_eq!(what, "person P2");
    assert_eq!(
        why,
        "country is \"JP\", but the rosters' stored originals give \"CN\" (people.csv line 3, source 1)"
    );
}

#[test]
fn roster_rows_added_removed_or_remapped_are_named_by_the_plain_verify() {
    let t = TestDir::new();
    let path = build(&t, "rows.retrace");
    // A milestone removed, an account mapped to another person, a roster reject reworded.
    tamper(
        &path,
        "DELETE FROM milestone;
         UPDATE account SET person_id = (SELECT id FROM person WHERE person_key = 'P3')
           WHERE name = 'li.wei';
         UPDATE reject SET reason = 'fine' WHERE source_id = 2;",
    );
    let (code, problems) = verify(&t, "rows.retrace", &[]);
    assert_eq!(code, 1);
    let whats: Vec<&str> = problems.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(
        whats,
        vec![
            "account li.wei",
            "milestone source 6 line 2",
            "reject source 2 line 4",
        ],
        "{problems:#?}"
    );
    assert!(
        problems[0].1.starts_with("person is \"P3\", but"),
        "{problems:#?}"
    );
    assert!(
        problems[1].1.starts_with("is missing from the case"),
        "{problems:#?}"
    );
    assert!(
        problems[2].1.starts_with("reason is \"fine\", but"),
        "{problems:#?}"
    );
}

#[test]
fn the_hourly_aggregates_changed_are_named_by_deep_verify() {
    let t = TestDir::new();
    let path = build(&t, "hours.retrace");
    tamper(
        &path,
        "UPDATE agg_hour SET n = n + 5 WHERE hour = (SELECT min(hour) FROM agg_hour)",
    );
    let problems = only_deep_problems(&t, "hours.retrace");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].0, "agg_hour");
    assert!(
        problems[0].1.contains("holds (7, ") && problems[0].1.contains("but the events give (2, "),
        "{}",
        problems[0].1
    );
}

#[test]
fn the_daily_and_value_aggregates_and_an_access_reject_are_named_by_deep_verify() {
    let t = TestDir::new();
    let path = build(&t, "values.retrace");
    tamper(
        &path,
        "DELETE FROM agg_day WHERE account_id = (SELECT id FROM account WHERE name = 'li.wei');
         UPDATE agg_value SET n = 1 WHERE kind = 'action' AND value = 'SELECT';
         UPDATE reject SET line = 3 WHERE source_id = 7;",
    );
    let problems = only_deep_problems(&t, "values.retrace");
    let whats: Vec<&str> = problems.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(
        whats,
        vec![
            "reject (access.csv, line 3)",
            "reject (access.csv, line 5)",
            "agg_day",
            "agg_value",
        ],
        "{problems:#?}"
    );
    assert!(problems[2].1.contains("is missing"), "{problems:#?}");
    assert!(
        problems[3].1.starts_with(
            "row (kind, value) (\"action\", \"SELECT\") holds 1, but the events give 2"
        ),
        "{problems:#?}"
    );
}

#[test]
fn a_dropped_or_altered_custody_trigger_is_named_by_the_plain_verify() {
    let t = TestDir::new();
    let path = build(&t, "trigger.retrace");
    std::fs::copy(&path, t.path("altered.retrace")).unwrap();
    tamper(&path, "DROP TRIGGER custody_no_delete");
    let (what, why) = only_plain_problem(&t, "trigger.retrace");
    assert_eq!(what, "schema: trigger custody_no_delete");
    let version = retrace::case::SCHEMA_VERSION;
    assert_eq!(
        why,
        format!("is missing; schema version {version} defines it (it was dropped)")
    );
    // Same name, no longer refusing anything.
    tamper(
        &t.path("altered.retrace"),
        "DROP TRIGGER custody_no_update;
         CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody BEGIN SELECT 1; END;",
    );
    let (what, why) = only_plain_problem(&t, "altered.retrace");
    assert_eq!(what, "schema: trigger custody_no_update");
    assert!(
        why.starts_with(&format!(
            "differs from what schema version {version} defines"
        )),
        "{why}"
    );
}

#[test]
fn deleting_the_last_custody_entry_behind_a_recreated_trigger_is_named() {
    let t = TestDir::new();
    let path = build(&t, "last.retrace");
    let trigger: String = {
        let c = Case::open_read_only(&path).unwrap();
        c.integrity()
            .schema_sql()
            .unwrap()
            .into_iter()
            .find(|s| s.starts_with("trigger custody_no_delete: "))
            .unwrap()
            .trim_start_matches("trigger custody_no_delete: ")
            .to_string()
    };
    tamper(
        &path,
        &format!(
            "DROP TRIGGER custody_no_delete;
             DELETE FROM custody WHERE id = (SELECT max(id) FROM custody);
             {trigger};"
        ),
    );
    let (what, why) = only_plain_problem(&t, "last.retrace");
    assert_eq!(what, "source 7 (access.csv)");
    assert!(
        why.starts_with("has no import entry in the custody log"),
        "{why}"
    );
}

#[test]
fn an_original_forged_consistently_is_named_by_its_import_entry() {
    let t = TestDir::new();
    let path = build(&t, "forged.retrace");
    // The attacker renames an account in the stored original, re-compresses it, records the
    // new SHA-256 on the source and edits the event row to match: the bytes, the source row and
    // the events agree, only the custody entry of the import remembers the true hash.
    let forged = ACCESS.replace("10:17:00+09:00,li.wei", "10:17:00+09:00,sato.h");
    assert_eq!(forged.len(), ACCESS.len());
    let data = zstd::encode_all(forged.as_bytes(), 3).unwrap();
    let hex = |b: &[u8]| b.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let sha = {
        use sha2::Digest;
        hex(&sha2::Sha256::digest(forged.as_bytes()))
    };
    tamper(
        &path,
        &format!(
            "UPDATE source_chunk SET data = x'{}' WHERE source_id = 7 AND seq = 0;
             UPDATE source SET sha256 = '{sha}' WHERE id = 7;
             INSERT INTO account(name) VALUES ('sato.h');
             UPDATE event SET account_id = (SELECT id FROM account WHERE name = 'sato.h')
               WHERE source_id = 7 AND line = 4;",
            hex(&data)
        ),
    );
    let (code, problems) = verify(&t, "forged.retrace", &[]);
    assert_eq!(code, 1);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].0, "source 7 (access.csv)");
    assert!(
        problems[0].1.starts_with(&format!(
            "SHA-256 is {sha}, but its import entry (custody entry 7) records "
        )),
        "{}",
        problems[0].1
    );
}

#[test]
fn an_import_entry_whose_source_is_gone_is_named() {
    let t = TestDir::new();
    let path = build(&t, "gone.retrace");
    // The milestones roster removed with everything that came from it.
    tamper(
        &path,
        "PRAGMA foreign_keys = OFF;
         DELETE FROM milestone WHERE source_id = 6;
         DELETE FROM source_chunk WHERE source_id = 6;
         DELETE FROM source WHERE id = 6;",
    );
    let (what, why) = only_plain_problem(&t, "gone.retrace");
    assert_eq!(what, "custody entry 6");
    assert_eq!(
        why,
        "records the import of source 6 (milestones.csv), which the case does not hold"
    );
}

#[test]
fn findings_parameters_and_dispositions_edited_outside_the_log_are_named() {
    let t = TestDir::new();
    let path = build(&t, "findings.retrace");
    let config = t.path("config");
    for args in [
        &[
            "findings",
            "findings.retrace",
            "--set",
            "off_hours.start_hour=7",
        ][..],
        &[
            "findings",
            "findings.retrace",
            "--dispose",
            "cross_border|P1|jp-msg-db|1614125700000000",
            "--status",
            "confirmed",
            "--note",
            "seen",
        ][..],
    ] {
        let (code, out, err) = run_in(t.dir.path(), &config, args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
    assert_eq!(verify(&t, "findings.retrace", &[]), (0, vec![]));
    tamper(
        &path,
        "UPDATE finding_param SET value = '6';
         UPDATE finding_disposition SET status = 'dismissed';",
    );
    let (code, problems) = verify(&t, "findings.retrace", &[]);
    assert_eq!(code, 1);
    let whats: Vec<&str> = problems.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(
        whats,
        vec![
            "findings parameter off_hours.start_hour",
            "disposition 1 of cross_border|P1|jp-msg-db|1614125700000000",
        ],
        "{problems:#?}"
    );
    assert!(
        problems[0].1.contains("but custody entry 8 records 7"),
        "{problems:#?}"
    );
}
