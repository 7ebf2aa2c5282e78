//! The findings window in the app (egui_kittest): open it from the toolbar, see the rules'
//! findings, open one's evidence on the timeline (the table then lists exactly its events),
//! and dismiss one with a note, which is kept in the case with the custody log entry.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::analysis::findings;
use retrace::case::{Case, FilterTerm};
use retrace::gui::{RetraceApp, Startup};
use retrace::jobs::{CancelToken, NoProgress};

use crate::gui::{settle, wait_for};

/// A sample case of this test's own: dispositions are written to it.
fn own_sample(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("sample.retrace");
    retrace::ops::sample::build_sample(&path, &NoProgress, &CancelToken::new()).unwrap();
    path
}

fn harness(path: std::path::PathBuf) -> Harness<'static, RetraceApp> {
    let mut h = Harness::builder()
        .with_size(egui::Vec2::new(1500.0, 950.0))
        .build_eframe(move |cc| {
            RetraceApp::new(
                cc,
                Startup {
                    case: Some(path),
                    sample_dir: None,
                },
            )
        });
    wait_for(&mut h, "the case to open", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.timeline.is_some() && c.table.rows.is_some())
    });
    h
}

/// Opens the findings window and waits for the rules' first run.
fn open_findings(h: &mut Harness<'static, RetraceApp>) {
    h.get_by_label("Findings…").click();
    wait_for(h, "the rules to run", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.findings.set.is_some() && !c.findings.is_busy())
    });
}

#[test]
fn findings_window_opens_evidence_and_dismisses_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = own_sample(&dir);
    let mut h = harness(path.clone());
    h.state_mut().push_command(retrace::gui::Command::Trail(
        retrace::gui::TrailCommand::SetInvestigator("findings tester".into()),
    ));
    open_findings(&mut h);
    settle(&mut h);
    assert!(
        h.query_by_label_contains("findings over 6,208 events")
            .is_some()
    );
    // The rule filter lists the counts of the ground truth.
    for text in [
        "outside_approval (5)",
        "unsupervised (6)",
        "after_revocation (1)",
    ] {
        assert!(h.query_by_label(text).is_some(), "no {text:?}");
    }
    h.get_by_label("unsupervised (6)").click();
    settle(&mut h);
    let set = h.state().open_case().unwrap().findings.set.clone().unwrap();
    let first = set.of_rule("unsupervised").next().unwrap().clone();
    // Select it in the list (the "who" column: person id and name).
    let p = first.person_keys[0].clone();
    let name = retrace::analysis::person::find_person(&Case::open_read_only(&path).unwrap(), &p)
        .unwrap()
        .unwrap()
        .display_name;
    h.query_all_by_label(&format!("{p} {name}"))
        .next()
        .expect("the finding's row")
        .click();
    wait_for(&mut h, "the finding selected", |h| {
        h.state().open_case().unwrap().findings.selected.as_deref() == Some(first.key.as_str())
    });
    settle(&mut h);
    assert!(h.query_by_label(&first.explanation).is_some());

    // Its evidence on the timeline: the filter holds exactly its events, the table lists them.
    let button = format!(
        "Show the {} on the timeline",
        retrace::model::plural::count(first.evidence.len(), "evidence event", "evidence events")
    );
    h.get_by_label(&button).click_accesskit();
    wait_for(&mut h, "the table filtered to the evidence", |h| {
        let c = h.state().open_case().unwrap();
        c.view
            .filter
            .iter()
            .any(|t| matches!(t, FilterTerm::Events { ids, .. } if *ids == first.evidence))
            && c.table.rows == Some(first.evidence.len() as u64)
            && c.view.selected.map(|s| s.0) == first.evidence.first().copied()
    });
    let c = h.state().open_case().unwrap();
    assert!(c.view.from_us <= first.start_us as f64 && first.end_us as f64 <= c.view.to_us);

    // Dismiss it with a note.
    let note = "Overseer confirmed by phone (call log 2019-05-24)";
    h.get_by_label("Note:").focus();
    h.step();
    h.get_by_label("Note:").type_text(note);
    h.step();
    h.get_by_label("Dismiss").click_accesskit();
    wait_for(&mut h, "the dismissal recorded", |h| {
        let f = h
            .state()
            .open_case()
            .unwrap()
            .findings
            .selected_finding()
            .cloned();
        f.is_some_and(|f| f.status() == "dismissed")
    });
    settle(&mut h);
    assert!(
        h.query_by_label_contains("Status: dismissed by findings tester")
            .is_some()
    );
    drop(h);

    // Kept in the case: a re-run attaches it, and the custody log records it.
    let case = Case::open_read_only(&path).unwrap();
    let again = findings::run(&case, &findings::Params::from_case(&case).unwrap()).unwrap();
    let d = again.get(&first.key).unwrap().disposition.clone().unwrap();
    assert_eq!((d.status.as_str(), d.note.as_str()), ("dismissed", note));
    let last = case.custody().custody_entries().unwrap().pop().unwrap();
    assert_eq!(last.action, "finding_disposition");
    assert!(last.details.contains(&first.key));
}

#[test]
fn a_parameter_change_reruns_the_rules_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let path = own_sample(&dir);
    let mut h = harness(path.clone());
    h.state_mut().push_command(retrace::gui::Command::Trail(
        retrace::gui::TrailCommand::SetInvestigator("findings tester".into()),
    ));
    open_findings(&mut h);
    h.state_mut().push_command(retrace::gui::Command::Findings(
        retrace::gui::FindingsCommand::SetParam {
            rule: "outside_approval".into(),
            key: "scope".into(),
            value: Some(serde_json::json!("everyone")),
        },
    ));
    wait_for(&mut h, "the rules to run again", |h| {
        h.state().open_case().is_some_and(|c| {
            !c.findings.is_busy()
                && c.findings.set.as_ref().is_some_and(|s| {
                    s.params.outside_approval_scope == findings::ApprovalScope::Everyone
                })
        })
    });
    let set = h.state().open_case().unwrap().findings.set.clone().unwrap();
    assert!(set.of_rule("outside_approval").count() > 100);
    drop(h);
    let case = Case::open_read_only(&path).unwrap();
    assert_eq!(
        findings::Params::from_case(&case)
            .unwrap()
            .outside_approval_scope,
        findings::ApprovalScope::Everyone
    );
}

/// A decision is recorded with who made it: without a name the window asks for it (as the
/// Annotate pane does) and a decision that arrives anyway is refused, not written "by unknown".
#[test]
fn disposition_asks_for_name_before_recording() {
    use retrace::gui::{Command, FindingsCommand, TrailCommand};
    use retrace::model::finding::DispositionStatus;
    let dir = tempfile::tempdir().unwrap();
    let path = own_sample(&dir);
    let mut h = harness(path.clone());
    // No name this session, whatever this machine has saved.
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::ChangeInvestigator));
    open_findings(&mut h);
    let set = h.state().open_case().unwrap().findings.set.clone().unwrap();
    let first = set.of_rule("unsupervised").next().unwrap().clone();
    h.state_mut()
        .push_command(Command::Findings(FindingsCommand::Select(Some(
            first.key.clone(),
        ))));
    settle(&mut h);
    assert!(
        h.query_by_label_contains("Your name, for the case's custody log")
            .is_some(),
        "the window asks for the name"
    );
    assert!(
        egui_kittest::kittest::NodeT::accesskit_node(&h.get_by_label("Confirm")).is_disabled(),
        "no decision without a name"
    );
    h.state_mut()
        .push_command(Command::Findings(FindingsCommand::Dispose {
            key: first.key.clone(),
            status: DispositionStatus::Confirmed,
            note: String::new(),
        }));
    settle(&mut h);
    assert_eq!(
        h.state().open_case().unwrap().findings.error.as_deref(),
        Some(retrace::gui::NAME_FIRST)
    );
    h.step();
    assert!(h.query_by_label(retrace::gui::NAME_FIRST).is_some());
    let case = Case::open_read_only(&path).unwrap();
    assert!(case.findings().finding_dispositions().unwrap().is_empty());
    drop(case);

    // The name typed in the window's field, then the decision.
    h.state_mut()
        .push_command(Command::Trail(TrailCommand::UseInvestigator {
            name: "Investigator Sato".into(),
            remember: false,
        }));
    settle(&mut h);
    assert!(h.query_by_label("Investigator Sato").is_some());
    h.get_by_label("Confirm").click_accesskit();
    wait_for(&mut h, "the decision recorded", |h| {
        h.state()
            .open_case()
            .unwrap()
            .findings
            .selected_finding()
            .is_some_and(|f| f.status() == "confirmed")
    });
    settle(&mut h);
    assert!(
        h.query_by_label_contains("Status: confirmed by Investigator Sato")
            .is_some()
    );
    let case = Case::open_read_only(&path).unwrap();
    let last = case.custody().custody_entries().unwrap().pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("finding_disposition", "Investigator Sato")
    );
}
