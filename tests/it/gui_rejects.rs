//! Rejects in the app: the viewer for the case and for one source, reached from the left
//! panel and the import result, with the events around a rejected line; the call-outs of
//! rejected rows that mention known people on the left panel, the person page and the subject
//! lookup; and the person page's refused attempts and findings, each linked.

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use retrace::case::FilterTerm;
use retrace::gui::{Command, LookupCommand, RetraceApp, Startup};

use crate::gui::{open_sample, sample_case, settle, wait_for};

fn rows_loaded(h: &Harness<'_, RetraceApp>) -> bool {
    h.state()
        .open_case()
        .is_some_and(|c| c.rejects.open && c.rejects.rows.is_some())
}

fn source_id(file: &str) -> i64 {
    let case = retrace::case::Case::open_read_only(sample_case()).unwrap();
    case.sources()
        .list()
        .unwrap()
        .into_iter()
        .find(|s| s.file_name == file)
        .unwrap()
        .id
}

#[test]
fn rejects_viewer_lists_the_cases_rows_and_jumps_to_the_neighbouring_events() {
    let mut h = open_sample();
    h.get_by_label("All rejects: 3 rejected rows — show")
        .click_accesskit();
    wait_for(&mut h, "the rejects viewer's rows", rows_loaded);
    assert!(
        h.query_by_label(
            "3 of 3 rejected rows listed; 3 mention a known account, person or data subject"
        )
        .is_some()
    );
    h.get_by_label_contains("sh_admin_tool.csv:46  ").click();
    wait_for(&mut h, "the neighbouring events", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.rejects.neighbours.as_ref().is_some_and(|n| n.line == 46))
    });
    // The raw text as in the file, and the events of lines 41..45 and 47..51.
    let raw = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/sh_admin_tool.csv"),
    )
    .unwrap()
    .lines()
    .nth(45)
    .unwrap()
    .to_string();
    assert!(raw.starts_with("2019-02-30 10:00:00,wang.yuhang"));
    assert!(h.query_by_label(&raw).is_some(), "the raw text is shown");
    for line in [41, 45, 47, 51] {
        assert!(
            h.query_by_label(&format!("line {line}")).is_some(),
            "line {line} listed"
        );
    }
    assert!(h.query_by_label("this rejected row").is_some());
    // One neighbour selects its event.
    let c = h.state().open_case().unwrap();
    let before = c.rejects.neighbours.as_ref().unwrap().events.before.clone();
    let after = c.rejects.neighbours.as_ref().unwrap().events.after.clone();
    h.get_by_label("line 47").click_accesskit();
    wait_for(&mut h, "the event of line 47 selected", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.view.selected.map(|s| s.0) == Some(after[0].id))
    });
    // All ten on the timeline: a filter to exactly them, the one before the line selected.
    h.get_by_label("Show these 10 events on the timeline")
        .click_accesskit();
    wait_for(&mut h, "the timeline filtered to the neighbours", |h| {
        h.state().open_case().is_some_and(|c| {
            c.table.rows == Some(10)
                && c.view.selected.map(|s| s.0) == Some(before[4].id)
                && c.view.filter.iter().any(|t| {
                    matches!(t, FilterTerm::Events { label, ids }
                        if ids.len() == 10 && label == "around rejected sh_admin_tool.csv:46")
                })
        })
    });
}

#[test]
fn rejects_viewer_shows_one_source_from_the_side_panel() {
    let mut h = open_sample();
    h.get_by_label("sh_admin_tool.csv (access, 2 rejected)")
        .click_accesskit();
    for _ in 0..3 {
        h.step();
    }
    h.get_by_label("2 rejected rows — show").click_accesskit();
    wait_for(&mut h, "the source's rejected rows", rows_loaded);
    let c = h.state().open_case().unwrap();
    assert_eq!(c.rejects.source, Some(source_id("sh_admin_tool.csv")));
    let lines: Vec<i64> = c
        .rejects
        .rows
        .as_ref()
        .unwrap()
        .iter()
        .map(|r| r.row.line)
        .collect();
    assert_eq!(lines, [46, 118]);
    assert!(
        h.query_by_label(
            "2 of 2 rejected rows listed; 2 mention a known account, person or data subject"
        )
        .is_some()
    );
}

#[test]
fn case_panel_calls_out_rejected_rows_that_mention_known_people() {
    let mut h = open_sample();
    let callout = h.get_by_label("3 rejected rows mention known people — show");
    callout.click_accesskit();
    wait_for(
        &mut h,
        "the viewer on the rows that mention people",
        rows_loaded,
    );
    let c = h.state().open_case().unwrap();
    assert!(c.rejects.mentions_only);
    assert_eq!(c.rejects.source, None);
}

#[test]
fn rejects_viewer_opens_from_the_import_result() {
    let dir = tempfile::tempdir().unwrap();
    let case_path = dir.path().join("new.retrace");
    drop(retrace::case::Case::create(&case_path, "import test").unwrap());
    let mut h = Harness::builder()
        .with_size(egui::Vec2::new(1500.0, 950.0))
        .build_eframe(move |cc| {
            RetraceApp::new(
                cc,
                Startup {
                    case: Some(case_path.clone()),
                    sample_dir: None,
                    ..Default::default()
                },
            )
        });
    wait_for(&mut h, "the empty case to open", |h| {
        h.state().open_case().is_some()
    });
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/sh_admin_tool.csv");
    h.state_mut()
        .push_command(Command::PrepareImport(vec![file]));
    wait_for(&mut h, "the preview", |h| {
        h.query_by_label_contains("Source zone:").is_some()
    });
    h.get_by_label("Import 1 file").click();
    wait_for(&mut h, "the import result", |h| {
        h.query_by_label("2 rows rejected in sh_admin_tool.csv — show")
            .is_some()
            && h.state()
                .open_case()
                .is_some_and(|c| c.info.summary.events > 0)
    });
    h.get_by_label("2 rows rejected in sh_admin_tool.csv — show")
        .click_accesskit();
    wait_for(&mut h, "the viewer on the imported file", rows_loaded);
    let c = h.state().open_case().unwrap();
    assert_eq!(c.rejects.rows.as_ref().unwrap().len(), 2);
    assert!(c.rejects.source.is_some());
}

fn open_person(h: &mut Harness<'_, RetraceApp>, key: &str) {
    h.state_mut()
        .push_command(Command::Lookup(LookupCommand::OpenPerson(key.into())));
    wait_for(h, "the person page and the findings", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.lookup.pages.contains_key(key) && c.findings.set.is_some())
    });
    settle(h);
}

#[test]
fn person_page_lists_refused_attempts_and_links_them() {
    let mut h = open_sample();
    open_person(&mut h, "P15");
    let page = h.state().open_case().unwrap().lookup.pages["P15"].clone();
    assert_eq!(page.refused_attempts.len(), 1);
    let e = page.refused_attempts[0].clone();
    assert!(
        h.query_by_label_contains("Refused attempts: 1 event (denied or failed")
            .is_some()
    );
    assert!(h.query_by_label("denied").is_some());
    h.get_by_label(&format!("#{}", e.id)).click_accesskit();
    wait_for(&mut h, "the refused attempt selected", |h| {
        h.state().open_case().is_some_and(|c| {
            c.view.selected == Some((e.id, e.ts_us))
                && c.detail.as_ref().is_some_and(|d| d.row.id == e.id)
        })
    });
}

#[test]
fn person_page_lists_findings() {
    let mut h = open_sample();
    open_person(&mut h, "P13");
    let c = h.state().open_case().unwrap();
    let set = c.findings.set.clone().unwrap();
    let mine: Vec<_> = set
        .findings
        .iter()
        .filter(|f| f.person_keys.iter().any(|k| k == "P13"))
        .collect();
    assert!(!mine.is_empty());
    let label = format!("Findings naming this person: {} findings", mine.len());
    assert!(h.query_by_label_contains(&label).is_some(), "{label}");
    let first = mine[0].clone();
    h.get_all_by_label(first.rule.as_str())
        .next()
        .unwrap()
        .click_accesskit();
    wait_for(&mut h, "the findings window on the finding", |h| {
        h.state().open_case().is_some_and(|c| {
            c.findings.open && c.findings.selected.as_deref() == Some(first.key.as_str())
        })
    });
    // And all of them: the findings window filtered to the person.
    h.get_by_label("Open them in the findings window (filtered to this person)")
        .click_accesskit();
    wait_for(&mut h, "the findings window filtered to P13", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.findings.filter.persons == ["P13"])
    });
}

#[test]
fn person_page_calls_out_the_rejected_row_of_their_account() {
    let mut h = open_sample();
    open_person(&mut h, "P14");
    let link = h.get_by_label_contains("1 rejected row mentions this person's account — show");
    link.click_accesskit();
    wait_for(&mut h, "the viewer on line 46", |h| {
        h.state().open_case().is_some_and(|c| {
            c.rejects
                .selected_row()
                .is_some_and(|r| r.row.line == 46 && r.row.file_name == "sh_admin_tool.csv")
        })
    });
    // Chen Siyuan's page has no such call-out.
    open_person(&mut h, "P13");
    assert!(h.query_by_label_contains("rejected row mentions").is_none());
}

#[test]
fn subject_lookup_mentions_rejected_row() {
    let mut h = open_sample();
    h.state_mut()
        .push_command(Command::Lookup(LookupCommand::ShowSubjectLookup(true)));
    h.state_mut()
        .push_command(Command::Lookup(LookupCommand::LookUpSubjects(vec![
            "Uf87a0b0b9978".into(),
        ])));
    wait_for(&mut h, "the answer", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.lookup.subject_results.is_some())
    });
    settle(&mut h);
    assert!(
        h.query_by_label_contains(
            "at least: 1 rejected row of an access log mentions this subject"
        )
        .is_some()
    );
    assert!(
        h.query_by_label_contains(
            "1 rejected row of an access log mentions this subject (not counted"
        )
        .is_some()
    );
    h.get_by_label(
        "sh_admin_tool.csv:46: no such date in \"2019-02-30 10:00:00\" — account wang.yuhang (P14 Wang Yuhang), subject Uf87a0b0b9978",
    )
    .click_accesskit();
    wait_for(&mut h, "the viewer on line 46", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.rejects.selected_row().is_some_and(|r| r.row.line == 46))
    });
}
