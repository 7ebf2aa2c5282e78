//! Exports: scopes and row counts against the sample's ground truth, manifest hashes,
//! verify-export naming a changed file, formula neutralisation, redaction, and a killed export
//! leaving no manifest that claims a partial file.

use std::path::Path;
use std::process::Command;

use retrace::case::{AnnotationKind, Case, FilterTerm};
use retrace::jobs::{CancelToken, NoProgress};
use retrace::model::roster::SourceKind;
use retrace::ops::export::{
    self, ExportFormat, ExportRequest, ExportScope, Lang, RedactionMode, ReportLayout,
};

use crate::util::{self, TestDir};

fn retrace(args: &[&str]) -> (i32, String, String) {
    util::retrace_as("export-tester", args)
}

fn request(scope: ExportScope, format: ExportFormat, out: &Path) -> ExportRequest {
    ExportRequest {
        scope,
        format,
        bom: false,
        redaction: RedactionMode::Keep,
        zone: "Asia/Tokyo".into(),
        lang: Lang::En,
        headers: Lang::En,
        layout: ReportLayout::Ppc,
        out_dir: out.to_path_buf(),
        investigator: "tester".into(),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    retrace::case::hex(&Sha256::digest(bytes))
}

fn shanghai() -> Vec<String> {
    util::truth()["shanghai"]["engineers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// Events (all outcomes) of the Shanghai engineers by the ground truth.
fn shanghai_events() -> u64 {
    let truth = util::truth();
    let engineers = shanghai();
    truth["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| engineers.iter().any(|e| p["person_id"] == e.as_str()))
        .map(|p| p["events"].as_u64().unwrap() + p["denied_events"].as_u64().unwrap())
        .sum()
}

#[test]
fn shanghai_export_to_csv_jsonl_and_report_counts_rows_and_hashes_files() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    let want = shanghai_events();
    assert!(want > 0);
    let custody_before = case.custody().custody_entries().unwrap().len();

    for format in [ExportFormat::Csv, ExportFormat::Jsonl, ExportFormat::Report] {
        let dir = t.path(&format!("sh-{}", format.as_str()));
        let out = export::run_export(
            &mut case,
            &request(ExportScope::Persons(shanghai()), format, &dir),
            &NoProgress,
            &CancelToken::new(),
        )
        .unwrap();
        assert_eq!(out.rows, want, "{format:?}");
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap())
                .unwrap();
        assert_eq!(manifest["rows"], want);
        assert_eq!(manifest["scope"]["kind"], "persons");
        assert_eq!(manifest["display_zone"], "Asia/Tokyo");
        assert_eq!(manifest["investigator"], "tester");
        let sources = manifest["sources"].as_array().unwrap();
        for s in case.sources().list().unwrap() {
            assert!(
                sources
                    .iter()
                    .any(|m| m["id"] == s.id && m["sha256"] == s.sha256.as_str()),
                "the manifest lists source {} with its SHA-256",
                s.file_name
            );
        }
        let files = manifest["files"].as_array().unwrap();
        assert_eq!(files.len(), 1);
        let name = files[0]["name"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert_eq!(files[0]["sha256"], sha256_hex(&bytes), "{name}");
        assert_eq!(files[0]["bytes"], bytes.len() as u64);
        // The manifest cites the custody entry that records the export.
        let log = case.custody().custody_entries().unwrap();
        let last = log.last().unwrap();
        assert_eq!(last.action, "export");
        assert_eq!(manifest["case"]["custody_head_hash"], last.hash.as_str());
        assert!(last.details.contains(&sha256_hex(&bytes)));
        let text = String::from_utf8(bytes).unwrap();
        match format {
            ExportFormat::Csv => {
                let mut r = csv::Reader::from_reader(text.as_bytes());
                let h = r.headers().unwrap().clone();
                assert_eq!(&h[2], "time (Asia/Tokyo)");
                let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
                assert_eq!(rows.len() as u64, want);
                for row in &rows {
                    assert!(shanghai().iter().any(|k| k == &row[3]), "{row:?}");
                    assert!(row[1].ends_with('Z'), "UTC time: {row:?}");
                    assert!(row[2].ends_with("+09:00"), "Tokyo time: {row:?}");
                    assert_eq!(&row[20], "sh_admin_tool.csv");
                    assert_eq!(&h[21], "source_id");
                    assert!(row[22].parse::<u64>().unwrap() >= 2, "a data line: {row:?}");
                }
            }
            ExportFormat::Jsonl => {
                assert_eq!(text.lines().count() as u64, want);
                let first: serde_json::Value =
                    serde_json::from_str(text.lines().next().unwrap()).unwrap();
                assert_eq!(first["display_zone"], "Asia/Tokyo");
                assert!(first["line"].as_i64().unwrap() >= 2);
                assert_eq!(first["source_file"], "sh_admin_tool.csv");
            }
            ExportFormat::Report => {
                let touched = util::truth()["subjects"]["touched_by_shanghai"]
                    .as_u64()
                    .unwrap();
                assert!(
                    text.contains(&format!("at least {touched} persons")),
                    "the report counts the subjects the engineers touched ({touched})"
                );
                assert!(text.contains("Chen Siyuan (P13)"));
                assert!(text.contains("<svg"), "an inline chart");
                assert!(!text.contains("<script"), "no script");
                for s in case.sources().list().unwrap() {
                    assert!(
                        text.contains(&s.sha256),
                        "methodology lists {}",
                        s.file_name
                    );
                }
            }
            // Covered by tests/it/export_engines.rs.
            ExportFormat::Timesketch | ExportFormat::Parquet => unreachable!(),
        }
    }
    assert_eq!(
        case.custody().custody_entries().unwrap().len(),
        custody_before + 3
    );
    assert!(case.integrity().verify(&|| false).unwrap().is_clean());
}

#[test]
fn view_scope_uses_the_timeline_filter_and_whole_case_has_every_event() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    let org = "Hoshizora Technology (Shanghai) Co., Ltd.".to_string();
    let scope = ExportScope::View {
        from_us: i64::MIN / 2,
        to_us: i64::MAX / 2,
        filter: vec![FilterTerm::Organization(org)],
    };
    let out = export::run_export(
        &mut case,
        &request(scope, ExportFormat::Csv, &t.path("view")),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    assert_eq!(out.rows, shanghai_events());
    let all = export::run_export(
        &mut case,
        &request(ExportScope::Case, ExportFormat::Jsonl, &t.path("all")),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    assert_eq!(all.rows, util::truth()["total_events"].as_u64().unwrap());
    // A directory that holds anything is refused.
    let err = export::run_export(
        &mut case,
        &request(ExportScope::Case, ExportFormat::Csv, &t.path("all")),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err}");
}

#[test]
fn a_cancelled_export_leaves_no_file_and_no_manifest() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    let cancel = CancelToken::new();
    cancel.cancel();
    let dir = t.path("cancelled");
    let err = export::run_export(
        &mut case,
        &request(ExportScope::Case, ExportFormat::Csv, &dir),
        &NoProgress,
        &cancel,
    )
    .unwrap_err();
    assert!(err.to_string().contains("cancelled"), "{err}");
    assert!(!dir.join("manifest.json").exists());
    assert!(!dir.join("events.csv").exists());
}

#[test]
fn verify_export_names_a_changed_or_missing_file() {
    let t = TestDir::new();
    let (_, case_path) = util::build_sample_case(&t);
    let dir = t.path("out");
    let (c, d) = (case_path.to_str().unwrap(), dir.to_str().unwrap());
    let (code, out, err) = retrace(&[
        "export", c, "--scope", "person", "--person", "P13", "--out", d,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = retrace(&["verify-export", d]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("OK"), "{out}");

    let csv = dir.join("events.csv");
    let mut bytes = std::fs::read(&csv).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    std::fs::write(&csv, &bytes).unwrap();
    let (code, out, _) = retrace(&["verify-export", d]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAILED  events.csv: changed"), "{out}");

    std::fs::remove_file(&csv).unwrap();
    let (code, out, _) = retrace(&["verify-export", d, "--json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["files"][0]["name"], "events.csv");
    assert_eq!(v["files"][0]["status"], "missing");
}

/// A small case whose rows carry phones, e-mails, message text and a formula.
fn pii_case(t: &TestDir) -> Case {
    let mut case = t.new_case();
    let f = t.write(
        "pii.csv",
        "time,user,system,object,subjects,categories\n\
         2020-01-01T00:00:00Z,ops,crm,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",U1000001,name\n\
         2020-01-01T00:01:00Z,ops,crm,call 090-1234-5678 or Taro.Yamada@Example.com,taro.yamada@example.com;090-1234-5678,phone;email\n\
         2020-01-01T00:02:00Z,ops,crm,lookup +81-90-1111-2222,+81-90-1111-2222,phone\n\
         2020-01-01T00:03:00Z,ops,chat,the secret post text of hanako@example.org,U1000002,message_text\n",
    );
    let r = util::import(
        &mut case,
        &f,
        util::options(Some(SourceKind::Access), Some("UTC"), None),
    )
    .unwrap();
    assert_eq!(r.result.rows_imported, 4, "{:?}", r.rejects);
    case
}

const RAW: &[&str] = &[
    "090-1234-5678",
    "09012345678",
    "+81-90-1111-2222",
    "+819011112222",
    "819011112222",
    "taro.yamada@example.com",
    "Taro.Yamada@Example.com",
    "hanako@example.org",
    "secret post text",
];

#[test]
fn redaction_leaves_no_raw_phone_or_email_and_pseudonyms_are_stable() {
    let t = TestDir::new();
    let mut case = pii_case(&t);
    let mut tokens = Vec::new();
    for (i, mode) in [
        RedactionMode::Mask,
        RedactionMode::Pseudonymise,
        RedactionMode::Pseudonymise,
    ]
    .into_iter()
    .enumerate()
    {
        for format in [ExportFormat::Csv, ExportFormat::Jsonl] {
            let dir = t.path(&format!("r{i}-{}", format.as_str()));
            let mut req = request(ExportScope::Case, format, &dir);
            req.redaction = mode;
            export::run_export(&mut case, &req, &NoProgress, &CancelToken::new()).unwrap();
            let text = std::fs::read_to_string(dir.join(if format == ExportFormat::Csv {
                "events.csv"
            } else {
                "events.jsonl"
            }))
            .unwrap();
            for raw in RAW {
                assert!(
                    !text.contains(raw),
                    "{mode:?} {format:?} leaks {raw}:\n{text}"
                );
            }
            let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
            assert!(manifest.contains(&format!("\"mode\": \"{}\"", mode.as_str())));
            if mode == RedactionMode::Mask && format == ExportFormat::Csv {
                assert!(text.contains("090-****-5678"), "{text}");
                assert!(text.contains("t***@example.com"), "{text}");
                assert!(text.contains("[message text, "), "{text}");
            }
            if mode == RedactionMode::Pseudonymise && format == ExportFormat::Csv {
                let mut r = csv::Reader::from_reader(text.as_bytes());
                let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
                let subjects: Vec<String> = rows.iter().map(|r| r[16].to_string()).collect();
                assert!(
                    subjects.iter().all(|s| s.starts_with("ps_")),
                    "{subjects:?}"
                );
                // The e-mail and the phone in row 2's object text get the tokens its
                // subject column gives the same identifiers.
                let object = &rows[1][12];
                for token in subjects[1].split(';') {
                    assert!(object.contains(token), "{object} lacks {token}");
                }
                tokens.push(subjects);
            }
        }
    }
    assert_eq!(
        tokens[0], tokens[1],
        "the same subject gets the same token in two exports"
    );

    // Keep writes the values as stored, and says so.
    let dir = t.path("keep");
    export::run_export(
        &mut case,
        &request(ExportScope::Case, ExportFormat::Csv, &dir),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    let text = std::fs::read_to_string(dir.join("events.csv")).unwrap();
    assert!(text.contains("taro.yamada@example.com"));
}

#[test]
fn formula_cells_are_neutralised_and_bom_is_optional() {
    let t = TestDir::new();
    let mut case = pii_case(&t);
    let dir = t.path("bom");
    let mut req = request(ExportScope::Case, ExportFormat::Csv, &dir);
    req.bom = true;
    export::run_export(&mut case, &req, &NoProgress, &CancelToken::new()).unwrap();
    let bytes = std::fs::read(dir.join("events.csv")).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let first = r.records().next().unwrap().unwrap();
    assert_eq!(
        &first[12], "'=HYPERLINK(\"http://evil.example\",\"x\")",
        "the formula is neutralised"
    );
    let dir = t.path("nobom");
    export::run_export(
        &mut case,
        &request(ExportScope::Case, ExportFormat::Csv, &dir),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    assert!(
        std::fs::read(dir.join("events.csv"))
            .unwrap()
            .starts_with(b"event_id,")
    );
}

#[test]
fn subject_scope_resolves_aliases_and_lists_unknown_identifiers() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    // A subject with a phone alias in the roster, by its phone, plus an unknown id.
    let subjects = std::fs::read_to_string(util::sample_dir().join("subjects.csv")).unwrap();
    let line = subjects
        .lines()
        .skip(1)
        .find(|l| l.split(',').nth(2).is_some_and(|p| !p.is_empty()))
        .unwrap()
        .to_string();
    let cols: Vec<&str> = line.split(',').collect();
    let (key, phone) = (cols[0].to_string(), cols[2].to_string());
    let id = case.subjects().subject_by_key(&key).unwrap().unwrap().0.id;
    let want = case.subjects().subject_events(id).unwrap().len() as u64;
    let out = export::run_export(
        &mut case,
        &request(
            ExportScope::Subjects(vec![phone, "U-not-a-subject".into()]),
            ExportFormat::Csv,
            &t.path("subj"),
        ),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    assert_eq!(out.rows, want);
    assert_eq!(out.unresolved_subjects, vec!["U-not-a-subject".to_string()]);
}

#[test]
fn read_only_case_refuses_an_export() {
    let t = TestDir::new();
    let (_, path) = util::build_sample_case(&t);
    let (code, _, err) = retrace(&[
        "export",
        path.to_str().unwrap(),
        "--out",
        t.path("ro").to_str().unwrap(),
        "--read-only",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("read-only"), "{err}");
    assert!(!t.path("ro").join("manifest.json").exists());
}

#[test]
fn a_killed_export_leaves_no_manifest_claiming_a_partial_file() {
    let t = TestDir::new();
    let data = t.path("data");
    retrace::synth::generate(
        &data,
        &retrace::synth::GenParams {
            seed: 7,
            background_events: 120_000,
        },
    )
    .unwrap();
    let case_path = t.path("big.retrace");
    retrace::ops::sample::build_case_from_dir(
        &case_path,
        &data,
        "big",
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    let out = t.path("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_retrace"))
        .env("RETRACE_CONFIG_DIR", crate::util::test_config_dir())
        .args([
            "export",
            case_path.to_str().unwrap(),
            "--format",
            "jsonl",
            "--redact",
            "pseudonymise",
            "--out",
            out.to_str().unwrap(),
        ])
        .env("RETRACE_INVESTIGATOR", "crash-tester")
        .spawn()
        .unwrap();
    let file = out.join("events.jsonl");
    let started = std::time::Instant::now();
    // Kill as soon as the data file has bytes: well before 120 k rows are written.
    while std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0) == 0 {
        assert!(
            started.elapsed().as_secs() < 60,
            "the export never started writing"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!("export ended before it could be killed: {status}");
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let partial = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    assert!(
        !out.join("manifest.json").exists(),
        "a manifest exists beside a killed export (data file {partial} bytes)"
    );
    let (code, _, err) = retrace(&["verify-export", out.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("no manifest.json"), "{err}");
    // The case itself is intact and its custody log names no export.
    let case = Case::open_read_only(&case_path).unwrap();
    assert!(
        case.custody()
            .custody_entries()
            .unwrap()
            .iter()
            .all(|e| e.action != "export")
    );
}

#[test]
fn a_shanghai_findings_evidence_exports_to_csv_jsonl_and_report() {
    use retrace::analysis::findings;
    let t = TestDir::new();
    let (mut case, path) = util::build_sample_case(&t);
    let set = findings::run(&case, &findings::Params::from_case(&case).unwrap()).unwrap();
    let f = set
        .findings
        .iter()
        .find(|f| f.rule == "cross_border" && f.person_keys == ["P13"])
        .expect("a cross-border finding of P13")
        .clone();
    assert!(!f.evidence.is_empty());
    let scope = export::finding_scope(&case, &f.key).unwrap();
    for format in [ExportFormat::Csv, ExportFormat::Jsonl, ExportFormat::Report] {
        let dir = t.path(&format!("f-{}", format.as_str()));
        let out = export::run_export(
            &mut case,
            &request(scope.clone(), format, &dir),
            &NoProgress,
            &CancelToken::new(),
        )
        .unwrap();
        assert_eq!(out.rows, f.evidence.len() as u64, "{format:?}");
        let report = export::verify_export(&dir).unwrap();
        assert!(report.is_clean(), "{:?}", report.files);
        if format == ExportFormat::Csv {
            let text = std::fs::read_to_string(dir.join("events.csv")).unwrap();
            let mut r = csv::Reader::from_reader(text.as_bytes());
            let ids: Vec<i64> = r
                .records()
                .map(|r| r.unwrap()[0].parse().unwrap())
                .collect();
            let mut want = f.evidence.clone();
            want.sort_unstable();
            let mut got = ids.clone();
            got.sort_unstable();
            assert_eq!(got, want, "exactly the finding's evidence");
        }
        if format == ExportFormat::Report {
            let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
            assert!(html.contains(&f.key), "the report lists the finding");
            assert!(html.contains("cross_border"));
            assert!(html.contains("session.gap_minutes"), "rule parameters");
        }
    }
    // The CLI's finding scope gives the same rows (with the case closed: one writer at a time).
    drop(case);
    let dir = t.path("cli-finding");
    let (code, out, err) = retrace(&[
        "export",
        path.to_str().unwrap(),
        "--scope",
        "finding",
        "--finding",
        &f.key,
        "--format",
        "jsonl",
        "--out",
        dir.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rows"], f.evidence.len() as u64);
}

#[test]
fn export_view_takes_the_tables_column_tag_and_star_filters() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let csv = t.write(
        "three.csv",
        "time,user,src_ip,system,action,object,categories,subjects,records,outcome\n\
         2021-02-24T10:00:00+09:00,u_1,,db,q,users,name,S1,1,ok\n\
         2021-02-24T10:01:30+09:00,ux1,,db,q,users,name,S2,1,ok\n\
         2021-02-24T12:06:30+09:00,admin,,db,q,users,name,S3,1,ok\n",
    );
    util::import(&mut case, &csv, util::options(None, None, None)).unwrap();
    let w = case
        .writes()
        .add_event_annotations(&[1, 2], AnnotationKind::Tag, "look 50%", "t")
        .unwrap();
    assert_eq!(w.len(), 2);
    // The same tag again adds nothing; a star on one event.
    let again = case
        .writes()
        .add_event_annotations(&[1, 2, 3], AnnotationKind::Tag, "look 50%", "t")
        .unwrap();
    assert_eq!(again.len(), 1, "only event 3 lacked the tag");
    case.writes()
        .add_event_annotations(&[3], AnnotationKind::Star, "", "t")
        .unwrap();
    assert!(
        case.writes()
            .add_event_annotations(&[3, 99], AnnotationKind::Star, "", "t")
            .is_err(),
        "an unknown event refuses the whole batch"
    );
    drop(case);
    let c = t.path("case.retrace");
    let rows = |filters: &[&str], name: &str| -> u64 {
        let out_dir = t.path(name);
        let mut args = vec![
            "export",
            c.to_str().unwrap(),
            "--scope",
            "view",
            "--json",
            "--out",
            out_dir.to_str().unwrap(),
        ];
        for f in filters {
            args.extend(["--filter", f]);
        }
        let (code, out, err) = retrace(&args);
        assert_eq!(code, 0, "{filters:?}: {out}{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["rows"].as_u64().unwrap()
    };
    // `_` is an underscore, not any character.
    assert_eq!(rows(&["column=account:contains:U_"], "a"), 1);
    assert_eq!(rows(&["column=account:not:u"], "b"), 1);
    assert_eq!(rows(&["column=account:equals:ux1"], "c"), 1);
    assert_eq!(rows(&["tag=look 50%"], "d"), 3);
    assert_eq!(rows(&["starred=yes"], "e"), 1);
    assert_eq!(
        rows(&["starred=yes", "column=account:not:admin"], "f"),
        0,
        "kinds combine with AND"
    );
    let (code, _, err) = retrace(&[
        "export",
        c.to_str().unwrap(),
        "--scope",
        "view",
        "--filter",
        "column=colour:contains:x",
        "--out",
        t.path("g").to_str().unwrap(),
    ]);
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("no column \"colour\""), "{err}");
}
