//! The findings window in the app (egui_kittest): open it from the toolbar, see the rules'
//! findings, open one's evidence on the timeline (the table then lists exactly its events),
//! and dismiss one with a note, which is kept in the case with the custody log entry.

use egui::accesskit::Role;
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
                    ..Default::default()
                },
            )
        });
    wait_for(&mut h, "the case to open", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.timeline.is_some() && c.table.rows.is_some())
    });
    // Decisions and parameters are recorded with a name (a test that wants none forgets it).
    h.state_mut().push_command(retrace::gui::Command::Trail(
        retrace::gui::TrailCommand::SetInvestigator("findings tester".into()),
    ));
    h
}

/// Opens the findings window and waits for the rules' first run.
fn open_findings(h: &mut Harness<'static, RetraceApp>) {
    open_findings_by(h, "Findings…");
}

/// Opens the findings window with the toolbar button labelled `button` (its label in the
/// app's language) and waits for the rules' first run.
pub(crate) fn open_findings_by(h: &mut Harness<'static, RetraceApp>, button: &str) {
    h.get_by_label(button).click();
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

const SHANGHAI: &str = "Hoshizora Technology (Shanghai) Co., Ltd.";
const TOKYO: &str = "Hoshizora Messaging K.K.";

fn shown_now(h: &Harness<'static, RetraceApp>) -> Vec<findings::Finding> {
    let c = h.state().open_case().unwrap();
    let set = c.findings.set.clone().unwrap();
    let chips = retrace::gui::chip_filter(&c.info, &c.view.filter);
    let storage = retrace::gui::storage_of(&c.info);
    c.findings
        .shown(&set, &chips, &storage)
        .into_iter()
        .cloned()
        .collect()
}

/// Opens a filter drop-down and picks the option whose text starts with `option` ("any"
/// clears the field).
fn pick(h: &mut Harness<'static, RetraceApp>, combo: &str, option: &str) {
    use egui_kittest::kittest::NodeT;
    h.get_by_role_and_label(Role::ComboBox, &format!("{combo}:"))
        .click();
    h.run();
    let label = if option == "any" {
        "any".to_string()
    } else {
        h.query_all_by_label_contains(option)
            .filter_map(|n| n.accesskit_node().label())
            // An option reads "value (count)".
            .find(|l| {
                l.starts_with(option)
                    && l.strip_suffix(')')
                        .and_then(|r| r.rsplit_once(" ("))
                        .is_some_and(|(_, n)| n.chars().all(|c| c.is_ascii_digit()))
            })
            .unwrap_or_else(|| panic!("no option {option:?} in {combo:?}"))
    };
    h.get_by_role_and_label(Role::Button, &label).click();
    h.run();
}

#[test]
fn findings_filter_by_organization_and_storage_country_brings_the_shanghai_engineers_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(own_sample(&dir));
    open_findings(&mut h);
    let set = h.state().open_case().unwrap().findings.set.clone().unwrap();
    let total = retrace::model::plural::grouped(set.findings.len());
    let cb = set.of_rule("cross_border").count();
    h.get_by_label(&format!("cross_border ({cb})")).click();
    h.run();
    assert!(
        h.query_by_label_contains(&format!("{cb} of {total} findings shown"))
            .is_some()
    );
    pick(&mut h, "organization", SHANGHAI);
    assert!(
        h.query_by_label_contains(&format!("32 of {total} findings shown"))
            .is_some()
    );
    let shown = shown_now(&h);
    assert!(
        shown
            .iter()
            .all(|f| f.organization.as_deref() == Some(SHANGHAI))
    );
    // From the storage country: the Japan servers, the Shanghai engineers among the Dalian
    // reviewers, with the Tokyo staff left out.
    pick(&mut h, "organization", "any");
    pick(&mut h, "storage country", "JP");
    let jp = shown_now(&h);
    assert!(
        jp.iter()
            .all(|f| f.systems.iter().any(|s| s.starts_with("jp-")))
    );
    assert!(jp.iter().all(|f| f.organization.as_deref() != Some(TOKYO)));
    assert!(jp.len() >= 32, "{}", jp.len());
    pick(&mut h, "status", "open");
    pick(&mut h, "person", "P13 Chen Siyuan");
    let p13 = shown_now(&h);
    assert!(!p13.is_empty() && p13.iter().all(|f| f.person_keys == ["P13"]));
    h.get_by_label("Clear the filters").click();
    h.run();
    assert_eq!(shown_now(&h).len(), cb);
}

#[test]
fn findings_filter_sorts_by_a_column_header() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(own_sample(&dir));
    open_findings(&mut h);
    h.get_by_label("count").click();
    h.run();
    let up: Vec<u64> = shown_now(&h).iter().map(|f| f.count).collect();
    assert!(up.windows(2).all(|w| w[0] <= w[1]), "ascending by count");
    h.get_by_label("count ▲").click();
    h.run();
    let down: Vec<u64> = shown_now(&h).iter().map(|f| f.count).collect();
    assert!(down.windows(2).all(|w| w[0] >= w[1]), "then descending");
    assert!(h.query_by_label("count ▼").is_some());
    h.get_by_label("when").click();
    h.run();
    let when: Vec<i64> = shown_now(&h).iter().map(|f| f.start_us).collect();
    assert!(when.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn findings_follow_chips_shows_only_the_chips_findings() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(own_sample(&dir));
    open_findings(&mut h);
    let c = h.state().open_case().unwrap();
    let total = c.findings.set.as_ref().unwrap().findings.len();
    let p13 = c.info.persons.iter().find(|p| p.key == "P13").unwrap().id;
    let theirs = c
        .findings
        .set
        .as_ref()
        .unwrap()
        .findings
        .iter()
        .filter(|f| f.person_keys.iter().any(|k| k == "P13"))
        .count();
    // A person chip on the timeline (as its lane's menu adds it).
    h.state_mut()
        .push_command(retrace::gui::Command::AddFilter(FilterTerm::Person(p13)));
    settle(&mut h);
    assert!(
        h.query_by_label_contains(&format!(
            "{} of {} findings shown",
            retrace::model::plural::grouped(total),
            retrace::model::plural::grouped(total)
        ))
        .is_some()
    );
    h.get_by_label("Follow the filter chips").click();
    h.run();
    assert!(
        h.query_by_label_contains(&format!(
            "{theirs} of {} findings shown; following the chips: person P13",
            retrace::model::plural::grouped(total)
        ))
        .is_some()
    );
    assert!(shown_now(&h).iter().all(|f| f.person_keys == ["P13"]));
    // Off again: every finding.
    h.get_by_label("Follow the filter chips").click();
    h.run();
    assert_eq!(shown_now(&h).len(), total);
}

#[test]
fn findings_evidence_replaces_chips() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(own_sample(&dir));
    open_findings(&mut h);
    let c = h.state().open_case().unwrap();
    let set = c.findings.set.clone().unwrap();
    let p13 = c.info.persons.iter().find(|p| p.key == "P13").unwrap().id;
    let f = set
        .of_rule("cross_border")
        .find(|f| f.person_keys == ["P14"])
        .unwrap()
        .clone();
    // Older chips: another person, and some text.
    for t in [FilterTerm::Person(p13), FilterTerm::Text("jp-msg".into())] {
        h.state_mut()
            .push_command(retrace::gui::Command::AddFilter(t));
    }
    h.state_mut().push_command(retrace::gui::Command::Findings(
        retrace::gui::FindingsCommand::Select(Some(f.key.clone())),
    ));
    settle(&mut h);
    h.get_by_label(&format!(
        "Show the {} on the timeline",
        retrace::model::plural::count(f.evidence.len(), "evidence event", "evidence events")
    ))
    .click_accesskit();
    wait_for(&mut h, "exactly the evidence in the table", |h| {
        let c = h.state().open_case().unwrap();
        c.view.filter.len() == 1
            && matches!(&c.view.filter[0], FilterTerm::Events { ids, .. } if *ids == f.evidence)
            && c.table.rows == Some(f.evidence.len() as u64)
    });
}

#[test]
fn findings_group_by_organization_and_dismiss_the_tokyo_korea_group() {
    let dir = tempfile::tempdir().unwrap();
    let path = own_sample(&dir);
    let mut h = harness(path.clone());
    open_findings(&mut h);
    let set = h.state().open_case().unwrap().findings.set.clone().unwrap();
    let cb = set.of_rule("cross_border").count();
    h.get_by_label(&format!("cross_border ({cb})")).click();
    h.get_by_label("Group").click();
    h.run();
    // By person × system × rule first: the Shanghai engineers are rows of their own.
    let groups = {
        let c = h.state().open_case().unwrap();
        c.findings.groups(&shown_now(&h).iter().collect::<Vec<_>>())
    };
    assert!(groups.len() < 30, "{} groups", groups.len());
    assert!(
        groups
            .iter()
            .any(|g| g.who == "P13" && g.systems == "jp-msg-db")
    );
    h.get_by_label("by organization").click();
    h.run();
    let c = h.state().open_case().unwrap();
    let shown = shown_now(&h);
    let groups = c.findings.groups(&shown.iter().collect::<Vec<_>>());
    let g = groups
        .iter()
        .find(|g| g.who == format!("org:{TOKYO}") && g.systems == "kr-media-01")
        .unwrap()
        .clone();
    let n = g.finding_keys.len();
    assert_eq!(n, 159, "{n} of {cb}");
    assert!(
        h.query_by_label_contains(&format!("groups of {cb} findings shown"))
            .is_some()
    );
    // Open it: its findings are listed under it, and its decision beside.
    h.get_by_label(&format!("+ {TOKYO}")).click();
    h.run();
    assert_eq!(
        h.state()
            .open_case()
            .unwrap()
            .findings
            .selected_group
            .as_deref(),
        Some(g.key.as_str())
    );
    let note = "expected: Tokyo staff operating the Korea image store";
    h.get_by_label("Group note:").focus();
    h.step();
    h.get_by_label("Group note:").type_text(note);
    h.step();
    let before = Case::open_read_only(&path)
        .unwrap()
        .custody()
        .custody_entries()
        .unwrap()
        .len();
    h.get_by_label(&format!("Dismiss all {n} findings of the group"))
        .click_accesskit();
    wait_for(&mut h, "the group dismissed", |h| {
        let c = h.state().open_case().unwrap();
        !c.findings.is_busy()
            && c.findings
                .set
                .as_ref()
                .unwrap()
                .findings
                .iter()
                .filter(|f| f.status() == "dismissed")
                .count()
                == n
    });
    settle(&mut h);
    assert!(
        h.query_by_label(&format!("Status: {n} dismissed"))
            .is_some()
    );
    assert!(
        h.query_by_label(&format!("dismissed because: {note}"))
            .is_some()
    );
    // The status filter then leaves the Shanghai engineers' 32 among the open ones.
    pick(&mut h, "status", "open");
    let open = shown_now(&h);
    assert_eq!(open.len(), cb - n);
    assert_eq!(
        open.iter()
            .filter(|f| f.organization.as_deref() == Some(SHANGHAI))
            .count(),
        32
    );
    drop(h);
    let case = Case::open_read_only(&path).unwrap();
    let custody = case.custody().custody_entries().unwrap();
    assert_eq!(custody.len(), before + 1, "one custody entry for the group");
    let last = custody.last().unwrap();
    assert_eq!(last.action, "finding_disposition_group");
    assert!(last.details.contains(&g.key) && last.details.contains(note));
    let report = case.integrity().verify(&|| false).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
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
