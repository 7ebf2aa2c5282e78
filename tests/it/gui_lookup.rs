//! The person page and the data-subject lookup in the app (egui_kittest): a person's page
//! opened from their timeline lane, and subject lookups with and without hits.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

use crate::gui::{open_sample, scroll_to_lane, settle, wait_for};

#[test]
fn clicking_a_lane_label_opens_the_person_page_with_ground_truth_counts() {
    let mut h = open_sample();
    scroll_to_lane(&mut h, "Chen Siyuan");
    let table_top = h.get_by_label_contains("Account").rect().top();
    let label = h
        .query_all_by_label("Chen Siyuan")
        .find(|n| n.rect().bottom() <= table_top)
        .expect("the lane label");
    label.click();
    wait_for(&mut h, "the person page", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.lookup.pages.contains_key("P13"))
    });
    settle(&mut h);
    assert!(h.query_by_label("Person — Chen Siyuan").is_some());
    // Counts with their units, as in the ground truth.
    for text in [
        "64 events",
        "11 sessions (9 covered, 2 not covered by an approval)",
        "11 days (dates in Asia/Shanghai)",
        "343 distinct subjects",
        "586 records",
        "2 systems",
        "5 categories",
    ] {
        assert!(h.query_by_label(text).is_some(), "no label {text:?}");
    }
    assert!(h.query_by_label_contains("Session rule:").is_some());
    assert_eq!(
        h.query_all_by_label_contains("NOT covered by an approval")
            .count(),
        2
    );

    // Expand the first session and follow an event to the timeline.
    // The sessions sit below the charts: scroll the window to them.
    h.get_by_label_contains("#1 2018-09-21").scroll_to_me();
    h.step();
    h.step();
    h.get_by_label_contains("#1 2018-09-21").click_accesskit();
    for _ in 0..10 {
        h.step();
    }
    let case = h.state().open_case().unwrap();
    let first = case.lookup.pages["P13"].sessions[0].event_ids[0];
    let ts = case.lookup.pages["P13"].event(first).unwrap().ts_us;
    // The session's first event, as a link to the timeline (times in the display zone).
    let link = "2018-09-21 15:36:23 +09:00  jp-msg-db  view_contacts  user_contacts  6 records";
    h.get_by_role_and_label(Role::Link, link).click_accesskit();
    wait_for(&mut h, "the event selected on the timeline", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.view.selected == Some((first, ts)))
    });
}

#[test]
fn subject_lookup_answers_with_and_without_hits() {
    let mut h = open_sample();
    h.get_by_label("Subject lookup…").click();
    wait_for(&mut h, "the subject window", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.lookup.subject_window_open)
    });
    for _ in 0..5 {
        h.step();
    }
    let input = h.get_by_label("Identifiers:");
    input.focus();
    h.step();
    h.get_by_label("Identifiers:")
        .type_text("U84e8d9190810\n+62-803-0855-6353\nUnobody000");
    h.step();
    h.get_by_label("Look up").click();
    wait_for(&mut h, "the subject answers", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.lookup.subject_results.is_some())
    });
    settle(&mut h);
    let answers = h
        .state()
        .open_case()
        .unwrap()
        .lookup
        .subject_results
        .as_ref()
        .unwrap()
        .answers
        .clone();
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[0].access_events, 5);
    assert_eq!(answers[1].hits, answers[0].hits);
    assert!(answers[1].via_alias);
    assert!(answers[2].hits.is_empty());
    assert!(
        h.query_by_label_contains("3 identifiers: 2 with access events, 1 without")
            .is_some()
    );
    // The one without hits says so with the logs' coverage.
    assert!(
        h.query_by_label_contains(
            "Unobody000 — identifier not in the subjects roster; no access recorded in sources covering 2018-05-31 .. 2021-03-31"
        )
        .is_some()
    );
    // The first answer's events are listed: who, from where, which system.
    assert!(h.query_by_label("P20 Sun Lijuan").is_some());
    assert!(h.query_by_label("kr-media-01 (KR)").is_some());
    h.get_by_label_contains("Unobody000 —").click();
    h.step();
    h.step();
    assert!(
        h.query_all_by_label_contains(
            "no access recorded in sources covering 2018-05-31 .. 2021-03-31"
        )
        .count()
            >= 2
    );
}
