//! The signed custody log: every entry the CLI writes is signed with the investigator's key
//! (created on first use in the config directory); `verify` checks every signature, `--trust`
//! names entries by other keys, exports carry the signed head and a detached signature of the
//! manifest, and `verify --against DIR` fails once the log no longer holds that head.

use std::path::Path;

use retrace::case::Case;
use sha2::{Digest, Sha256};

use crate::tamper_inputs::{build, run_in, tamper, verify};
use crate::util::{TestDir, import, options};

/// `retrace investigator` with this config directory: the key's fingerprint.
fn fingerprint(t: &TestDir, config: &Path) -> String {
    let (code, out, err) = run_in(t.dir.path(), config, &["investigator"]);
    assert_eq!(code, 0, "{out}{err}");
    let line = out
        .lines()
        .find(|l| l.starts_with("signing key: "))
        .unwrap_or_else(|| panic!("{out}"));
    line["signing key: ".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

/// The custody hash of the case module (`case/custody.rs`), recomputed as a forger would.
fn entry_hash(prev: &str, at_us: i64, actor: &str, action: &str, details: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, &at_us.to_string(), actor, action, details] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_key_is_made_on_first_use_private_and_signs_every_entry() {
    let t = TestDir::new();
    let path = build(&t, "signed.retrace");
    let config = t.path("config");
    let fp = fingerprint(&t, &config);
    assert_eq!(fp.len(), 32, "{fp}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(config.join("investigator.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let c = Case::open_read_only(&path).unwrap();
    let entries = c.custody().custody_entries().unwrap();
    assert_eq!(entries.len(), 7);
    assert!(
        entries
            .iter()
            .all(|e| e.key_fingerprint.as_deref() == Some(fp.as_str()) && e.signature.is_some()),
        "{entries:#?}"
    );
    // The plain verify says who signed; --trust with that key passes.
    let (code, out, _) = run_in(t.dir.path(), &config, &["verify", "signed.retrace"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!(
            "custody entries 1..7: 7 signed by key {fp} (tester)"
        )),
        "{out}"
    );
    assert_eq!(verify(&t, "signed.retrace", &["--trust", &fp]), (0, vec![]));
}

#[test]
fn a_chain_rewritten_without_the_key_fails() {
    let t = TestDir::new();
    let path = build(&t, "rewritten.retrace");
    // The forger changes the access import's recorded SHA-256 (to cover a forged original)
    // and recomputes its hash (it is the last entry, so the chain is whole again): the
    // signature no longer matches.
    let entries = Case::open_read_only(&path)
        .unwrap()
        .custody()
        .custody_entries()
        .unwrap();
    let mut sql = String::from("DROP TRIGGER custody_no_update;");
    let prev = entries[5].hash.clone();
    let details = entries[6]
        .details
        .replace("\"sha256\":\"", "\"sha256\":\"00");
    let e = &entries[6];
    let hash = entry_hash(&prev, e.at_us, &e.actor, &e.action, &details);
    sql.push_str(&format!(
        "UPDATE custody SET details = '{details}', prev_hash = '{prev}', hash = '{hash}' WHERE id = {};",
        e.id
    ));
    tamper(&path, &sql);
    let (code, problems) = verify(&t, "rewritten.retrace", &[]);
    assert_eq!(code, 1);
    let sig = problems
        .iter()
        .find(|p| p.0 == "custody entry 7")
        .unwrap_or_else(|| panic!("{problems:#?}"));
    assert!(
        sig.1.starts_with("signature by key ") && sig.1.contains("the signature does not verify"),
        "{sig:?}"
    );
    // Stripping the signature instead does not help: a signed log does not turn unsigned.
    tamper(
        &path,
        "UPDATE custody SET key_fingerprint = NULL, signature = NULL WHERE id = 7;",
    );
    let (code, problems) = verify(&t, "rewritten.retrace", &[]);
    assert_eq!(code, 1);
    assert!(
        problems.iter().any(|p| p.0 == "custody entry 7"
            && p.1
                .starts_with("is unsigned, but entry 1 before it is signed")),
        "{problems:#?}"
    );
}

#[test]
fn an_entry_signed_by_an_untrusted_key_fails_trust() {
    let t = TestDir::new();
    build(&t, "two.retrace");
    let alice = fingerprint(&t, &t.path("config"));
    // Another investigator, with a key of their own, annotates the case.
    let other = t.path("config-mallory");
    let (code, out, err) = run_in(
        t.dir.path(),
        &other,
        &["annotate", "two.retrace", "--event", "1", "--note", "mine"],
    );
    assert_eq!(code, 0, "{out}{err}");
    let mallory = fingerprint(&t, &other);
    assert_ne!(alice, mallory);
    // Without --trust both keys are listed and the case verifies.
    assert_eq!(verify(&t, "two.retrace", &[]), (0, vec![]));
    let (code, problems) = verify(&t, "two.retrace", &["--trust", &alice]);
    assert_eq!(code, 1);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].0, "custody entries 8..8");
    assert_eq!(
        problems[0].1,
        format!(
            "1 entries are signed by key {mallory} (as tester), which is not among the trusted keys"
        )
    );
    assert_eq!(
        verify(
            &t,
            "two.retrace",
            &["--trust", &alice, &mallory.to_uppercase()]
        ),
        (0, vec![])
    );
}

#[test]
fn unsigned_entries_are_reported_and_fail_only_with_trust() {
    let t = TestDir::new();
    // Entries as written before signing existed. (Stripped, not just written without a key:
    // another test of this binary sets a process key.)
    let path = t.path("old.retrace");
    let mut case = Case::create(&path, "old").unwrap();
    let f = t.write("people.csv", "person_id,display_name\nP1,A\n");
    import(&mut case, &f, options(None, None, None)).unwrap();
    drop(case);
    tamper(
        &path,
        "DROP TRIGGER custody_no_update;
         UPDATE custody SET key_fingerprint = NULL, signature = NULL;
         CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody\n\
BEGIN SELECT RAISE(ABORT, 'custody log is append-only'); END;",
    );
    let config = t.path("config");
    let (code, out, _) = run_in(t.dir.path(), &config, &["verify", "old.retrace"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 custody entries are unsigned"), "{out}");
    let fp = fingerprint(&t, &config);
    let (code, problems) = verify(&t, "old.retrace", &["--trust", &fp]);
    assert_eq!(code, 1);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].0, "custody log");
    assert!(
        problems[0].1.starts_with("1 entries are unsigned"),
        "{problems:#?}"
    );
}

#[test]
fn an_export_carries_the_signed_head_and_against_fails_on_a_truncated_log() {
    let t = TestDir::new();
    let path = build(&t, "export.retrace");
    let config = t.path("config");
    let (code, out, err) = run_in(
        t.dir.path(),
        &config,
        &[
            "export",
            "export.retrace",
            "--format",
            "csv",
            "--out",
            "out",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.path("out/manifest.json")).unwrap())
            .unwrap();
    let head = &manifest["custody_head"];
    assert_eq!(head["entry_id"], 8, "{manifest:#}");
    assert_eq!(
        head["key_fingerprint"].as_str(),
        Some(fingerprint(&t, &config).as_str())
    );
    assert!(head["signature"].as_str().is_some_and(|s| s.len() == 128));
    assert!(t.path("out/manifest.json.sig").exists());
    let (code, out, _) = run_in(t.dir.path(), &config, &["verify-export", "out"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("manifest signed by key"), "{out}");
    assert_eq!(
        verify(&t, "export.retrace", &["--against", "out"]),
        (0, vec![])
    );
    // Later work is fine: the head is still in the chain.
    let (code, ..) = run_in(
        t.dir.path(),
        &config,
        &["annotate", "export.retrace", "--event", "1", "--star"],
    );
    assert_eq!(code, 0);
    assert_eq!(
        verify(&t, "export.retrace", &["--against", "out"]),
        (0, vec![])
    );
    // The log cut back to before the export: the chain is whole and signed, the regulator's
    // export still proves entries are missing.
    std::fs::copy(&path, t.path("cut.retrace")).unwrap();
    tamper(
        &t.path("cut.retrace"),
        "DROP TRIGGER custody_no_delete; DELETE FROM custody WHERE id >= 8;
         CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody
         BEGIN SELECT RAISE(ABORT, 'custody log is append-only'); END;",
    );
    let (code, problems) = verify(&t, "cut.retrace", &["--against", "out"]);
    assert_eq!(code, 1);
    let against: Vec<_> = problems
        .iter()
        .filter(|p| p.0.starts_with("export "))
        .collect();
    assert_eq!(against.len(), 1, "{problems:#?}");
    assert!(
        against[0]
            .1
            .contains("the case's custody log has only 7 entries: the log was truncated"),
        "{against:#?}"
    );
    // An edited manifest no longer matches its signature.
    let text = std::fs::read_to_string(t.path("out/manifest.json")).unwrap();
    std::fs::write(
        t.path("out/manifest.json"),
        text.replace(
            "\"investigator\": \"tester\"",
            "\"investigator\": \"nobody\"",
        ),
    )
    .unwrap();
    let (code, out, _) = run_in(t.dir.path(), &config, &["verify-export", "out"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAILED  manifest.json.sig: changed — the signature does not verify"),
        "{out}"
    );
}

#[test]
fn the_report_carries_the_signed_custody_head() {
    let t = TestDir::new();
    build(&t, "report.retrace");
    let config = t.path("config");
    let (code, out, err) = run_in(
        t.dir.path(),
        &config,
        &[
            "export",
            "report.retrace",
            "--format",
            "report",
            "--out",
            "rep",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let html = std::fs::read_to_string(t.path("rep/report.html")).unwrap();
    let fp = fingerprint(&t, &config);
    assert!(
        html.contains("Custody log head signature (Ed25519)")
            && html.contains(&format!("entry 7, key {fp}: ")),
        "{html}"
    );
}

#[test]
fn the_app_shows_the_signing_key_in_the_custody_window() {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use retrace::gui::{RetraceApp, Startup};
    use retrace::signing::{InvestigatorKey, process_key, set_process_key};

    let t = TestDir::new();
    let path = build(&t, "gui.retrace");
    // The binary signs with the config directory's key; in this process, a fixed one.
    set_process_key(InvestigatorKey::from_secret([42; 32]));
    let fp = process_key().unwrap().unwrap().fingerprint();
    let mut h = Harness::builder()
        .with_size(egui::Vec2::new(1500.0, 950.0))
        .build_eframe(move |cc| {
            RetraceApp::new(
                cc,
                Startup {
                    case: Some(path),
                    sample_dir: None,
                    ..Default::default()
                },
            )
        });
    crate::gui::wait_within(
        &mut h,
        "the case",
        std::time::Duration::from_secs(90),
        |h| h.state().open_case().is_some_and(|c| c.timeline.is_some()),
    );
    h.get_by_label("Custody log…").click();
    crate::gui::wait_within(
        &mut h,
        "the custody log",
        std::time::Duration::from_secs(90),
        |h| h.state().trail().custody.entries().is_some(),
    );
    assert!(
        h.query_by_label_contains(&format!("Your signing key: {fp} (Ed25519)"))
            .is_some(),
        "the fingerprint in the custody window"
    );
}

#[test]
fn a_schema_6_case_upgrades_to_the_same_schema_and_its_old_entries_are_unsigned() {
    let t = TestDir::new();
    let path = build(&t, "six.retrace");
    {
        let c = Case::open(&path).unwrap();
        c.execute_raw_for_tests(&format!(
            "{} PRAGMA user_version = 6;",
            crate::util::SCHEMA_6_UNSIGNED
        ))
        .unwrap();
    }
    // Read-only, the old case verifies as it is: its entries are unsigned.
    let (code, out, _) = run_in(t.dir.path(), &t.path("config"), &["verify", "six.retrace"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("7 custody entries are unsigned"), "{out}");
    // Opened for writing it is upgraded to the schema a new case has.
    let upgraded = Case::open(&path).unwrap();
    let fresh = t.new_case();
    assert_eq!(
        upgraded.integrity().schema_sql().unwrap(),
        fresh.integrity().schema_sql().unwrap()
    );
    drop(upgraded);
    // New entries are signed after the old unsigned ones, which is fine.
    let (code, out, err) = run_in(
        t.dir.path(),
        &t.path("config"),
        &["annotate", "six.retrace", "--event", "1", "--star"],
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = run_in(t.dir.path(), &t.path("config"), &["verify", "six.retrace"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("custody entries 8..8: 1 signed by key"),
        "{out}"
    );
}
