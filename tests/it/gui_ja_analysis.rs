//! The rules' findings, the detail pane's timestamp flags and the subject lookup's answer in
//! the Japanese app (issue 19): one finding of each kind shows its Japanese title in the
//! findings window; the flags and the lookup's message are Japanese.

use egui_kittest::kittest::Queryable;
use retrace::gui::{Command, FindingsCommand, LookupCommand};
use retrace::i18n::Lang;

use crate::gui::{sample_case, settle, wait_for};
use crate::gui_ja::japanese;

#[test]
fn each_kind_of_finding_shows_its_japanese_title() {
    let mut h = japanese();
    crate::gui_findings::open_findings_by(&mut h, "所見…");
    settle(&mut h);
    let set = h.state().open_case().unwrap().findings.set.clone().unwrap();
    // One finding of each kind (each title message).
    let mut seen = std::collections::BTreeSet::new();
    let mut shown = 0;
    for f in &set.findings {
        let id = f.text.title.as_ref().expect("a title message").id;
        if !seen.insert(id) {
            continue;
        }
        h.state_mut()
            .push_command(Command::Findings(FindingsCommand::Select(Some(
                f.key.clone(),
            ))));
        settle(&mut h);
        let ja = f.title_in(Lang::Ja);
        assert_ne!(ja, f.title);
        assert!(
            h.query_all_by_label(&ja).next().is_some(),
            "{id}: the Japanese title {ja:?} is not shown"
        );
        assert!(
            h.query_all_by_label(&f.title).next().is_none(),
            "{id}: the English title {:?} is shown",
            f.title
        );
        shown += 1;
    }
    assert!(shown >= 6, "kinds in the sample: {seen:?}");
}

/// (id, ts_us) of the sample's first event matching `sql_where`.
fn sample_event(sql_where: &str) -> (i64, i64) {
    let db = rusqlite::Connection::open(sample_case()).unwrap();
    db.query_row(
        &format!("SELECT e.id, e.ts_us FROM event e WHERE {sql_where} ORDER BY e.ts_us LIMIT 1"),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

#[test]
fn the_detail_pane_reads_timestamp_flags_in_japanese() {
    let mut h = japanese();
    // A naive local time read in its source's zone.
    let naive = retrace::model::TsFlags::NAIVE;
    let (id, ts_us) = sample_event(&format!("e.ts_flags & {naive} != 0"));
    h.state_mut().push_command(Command::SelectEvent {
        id,
        ts_us,
        scroll_table: true,
    });
    wait_for(&mut h, "the selected event's detail", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.detail.as_ref().is_some_and(|d| d.row.id == id))
    });
    settle(&mut h);
    assert!(
        h.query_all_by_label_contains("オフセットなし、ソースのタイムゾーンで読み取り")
            .next()
            .is_some(),
        "the flag in Japanese"
    );
    assert!(
        h.query_all_by_label_contains("naive, read in source zone")
            .next()
            .is_none()
    );
}

#[test]
fn a_subject_lookup_answers_in_japanese() {
    let mut h = japanese();
    h.state_mut()
        .push_command(Command::Lookup(LookupCommand::ShowSubjectLookup(true)));
    h.state_mut()
        .push_command(Command::Lookup(LookupCommand::LookUpSubjects(vec![
            "Unobody000".into(),
            "Uf87a0b0b9978".into(),
        ])));
    wait_for(&mut h, "the subject answers", |h| {
        h.state()
            .open_case()
            .is_some_and(|c| c.lookup.subject_results.is_some())
    });
    settle(&mut h);
    assert!(
        h.query_all_by_label_contains(
            "Unobody000 — 本人の名簿にない識別子。2018年5月31日（木）～2021年3月31日（水）（UTCの日付）を対象とするソースにアクセスの記録はありません"
        )
        .next()
        .is_some(),
        "the answer without hits, in Japanese"
    );
    assert!(
        h.query_all_by_label_contains(
            "少なくとも：アクセスログの不採用行 1件がこの本人に言及しており"
        )
        .next()
        .is_some(),
        "the rejected row's mention, in Japanese"
    );
    assert!(
        h.query_all_by_label_contains("no access recorded")
            .next()
            .is_none()
    );
}
