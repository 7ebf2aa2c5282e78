//! The custody trail: annotations and report text are logged; a broken chain is named by
//! `retrace verify`; a case opened for review takes no write.

use retrace::case::{AnnotationKind, AnnotationTarget, Case};

use crate::util::{self, TestDir};

fn retrace(args: &[&str]) -> (i32, String, String) {
    util::retrace_as("custody-tester", args)
}

#[test]
fn annotations_and_report_text_are_stored_and_logged() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    let before = case.custody().custody_entries().unwrap().len();
    let star = case
        .writes()
        .add_annotation(AnnotationTarget::Event(1), AnnotationKind::Star, "", "ann")
        .unwrap();
    let note = case
        .writes()
        .add_annotation(
            AnnotationTarget::Range {
                from_us: 1_550_000_000_000_000,
                to_us: 1_560_000_000_000_000,
            },
            AnnotationKind::Note,
            "<b>night work</b>",
            "ann",
        )
        .unwrap();
    assert!(
        case.writes()
            .add_annotation(AnnotationTarget::Event(1), AnnotationKind::Tag, " ", "ann")
            .is_err(),
        "a tag needs text"
    );
    assert!(
        case.writes()
            .add_annotation(
                AnnotationTarget::Event(99_999_999),
                AnnotationKind::Star,
                "",
                "ann"
            )
            .is_err(),
        "no such event"
    );
    let all = case.annotations().list().unwrap();
    assert_eq!(
        all.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![star, note]
    );
    assert_eq!(case.annotations().event_annotations(1).unwrap().len(), 1);

    case.writes()
        .set_report_text("ppc.cause", "en", "Access was not restricted.", "ann")
        .unwrap();
    case.writes()
        .set_report_text("ppc.cause", "en", "Access was not restricted.", "ann")
        .unwrap(); // unchanged: not logged again
    case.writes()
        .set_report_text("ppc.cause", "ja", "アクセス制限がなかった。", "ann")
        .unwrap();
    assert_eq!(
        case.export()
            .report_text("ppc.cause", "ja")
            .unwrap()
            .as_deref(),
        Some("アクセス制限がなかった。")
    );
    let log = case.custody().custody_entries().unwrap();
    let actions: Vec<&str> = log[before..].iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["annotate", "annotate", "report_text", "report_text"]
    );
    assert!(log[before].details.contains("\"event_id\":1"));
    assert!(case.integrity().verify(&|| false).unwrap().is_clean());

    // Both appear in the report, escaped. (The CLI needs the case closed here: one writer
    // at a time.)
    let case_path = case.path().to_path_buf();
    drop(case);
    let dir = t.path("rep");
    let (code, out, err) = retrace(&[
        "export",
        case_path.to_str().unwrap(),
        "--format",
        "report",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        html.contains("&lt;b&gt;night work&lt;/b&gt;"),
        "escaped note"
    );
    assert!(!html.contains("<b>night work"));
    assert!(html.contains("Access was not restricted."));
    let (_, ja, _) = {
        let d = t.path("rep-ja");
        let r = retrace(&[
            "export",
            case_path.to_str().unwrap(),
            "--format",
            "report",
            "--lang",
            "ja",
            "--out",
            d.to_str().unwrap(),
        ]);
        assert_eq!(r.0, 0, "{}", r.2);
        (
            r.0,
            std::fs::read_to_string(d.join("report.html")).unwrap(),
            (),
        )
    };
    assert!(ja.contains("アクセス制限がなかった。"));
    assert!(ja.contains("個人データの項目"));
}

#[test]
fn verify_names_the_custody_entry_that_was_changed() {
    let t = TestDir::new();
    let (mut case, path) = util::build_sample_case(&t);
    case.writes()
        .add_annotation(
            AnnotationTarget::Event(2),
            AnnotationKind::Tag,
            "check",
            "ann",
        )
        .unwrap();
    let entries = case.custody().custody_entries().unwrap();
    assert!(entries.len() >= 3);
    let victim = entries[1].id;
    drop(case);
    let (code, out, _) = retrace(&["verify", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");

    // A copy, with the append-only trigger dropped and one entry's details edited.
    let copy = t.path("tampered.retrace");
    std::fs::copy(&path, &copy).unwrap();
    {
        let conn = rusqlite::Connection::open(&copy).unwrap();
        let err = conn
            .execute(
                "UPDATE custody SET actor = 'mallory' WHERE id = ?1",
                [victim],
            )
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
        conn.execute_batch("DROP TRIGGER custody_no_update")
            .unwrap();
        conn.execute(
            "UPDATE custody SET actor = 'mallory' WHERE id = ?1",
            [victim],
        )
        .unwrap();
    }
    let (code, out, _) = retrace(&["verify", copy.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("FAILED custody entry {victim}")),
        "verify names entry {victim}:\n{out}"
    );

    // Removing an entry breaks the chain at the one after it.
    let copy2 = t.path("removed.retrace");
    std::fs::copy(&path, &copy2).unwrap();
    {
        let conn = rusqlite::Connection::open(&copy2).unwrap();
        conn.execute_batch("DROP TRIGGER custody_no_delete")
            .unwrap();
        conn.execute("DELETE FROM custody WHERE id = ?1", [victim])
            .unwrap();
    }
    let (code, out, _) = retrace(&["verify", copy2.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("FAILED custody entry {}", entries[2].id)),
        "{out}"
    );
}

#[test]
fn a_case_opened_for_review_takes_no_write() {
    let t = TestDir::new();
    let (_, path) = util::build_sample_case(&t);
    let mut ro = Case::open_read_only(&path).unwrap();
    let before = ro.custody().custody_entries().unwrap().len();
    let err = ro
        .writes()
        .add_annotation(AnnotationTarget::Event(1), AnnotationKind::Star, "", "x")
        .unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    assert!(
        ro.writes()
            .set_report_text("ppc.cause", "en", "x", "x")
            .is_err()
    );
    assert!(
        ro.writes()
            .append_custody("x", "export", &serde_json::json!({}))
            .is_err()
    );
    drop(ro);
    let ro = Case::open_read_only(&path).unwrap();
    assert_eq!(ro.custody().custody_entries().unwrap().len(), before);
    assert!(ro.annotations().list().unwrap().is_empty());
}

#[test]
fn cli_annotate_report_text_and_custody_listing() {
    let t = TestDir::new();
    let (_, path) = util::build_sample_case(&t);
    let c = path.to_str().unwrap();
    let (code, out, err) = retrace(&["annotate", c, "--event", "5", "--note", "odd hour"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = retrace(&["report-text", c, "ppc.nonsense", "--text", "x"]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown section"), "{err}");
    let (code, _, err) = retrace(&[
        "report-text",
        c,
        "ppc.response",
        "--lang",
        "ja",
        "--text",
        "通知済み",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = retrace(&["custody", c, "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let log = v.as_array().unwrap();
    let tail: Vec<&str> = log[log.len() - 2..]
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(tail, ["annotate", "report_text"]);
    assert_eq!(log.last().unwrap()["actor"], "custody-tester");
}
