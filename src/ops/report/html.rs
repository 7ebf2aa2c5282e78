//! HTML rendering of the report. Everything from the case goes through [`esc`].

use std::fmt::Write;

use anyhow::Result;
use chrono_tz::Tz;

use super::i18n::t;
use super::{GDPR_SECTIONS, PPC_SECTIONS, ReportOptions, Tally};
use crate::case::{AnnotationTarget, Case};
use crate::model::time::{format_in_zone, format_utc};
use crate::ops::export::{Lang, Redactor, ReportLayout};

/// `write!` into the report's `String`, which cannot fail.
macro_rules! put {
    ($o:expr, $($t:tt)*) => {{
        let _ = write!($o, $($t)*);
    }};
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --ink:#1d2330; --muted:#5b6475; --rule:#c9ced8; --accent:#1f5fbf; --warn:#b3261e; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", system-ui, sans-serif;
       color: var(--ink); margin: 2rem auto; max-width: 1100px; padding: 0 1.5rem; line-height: 1.5; font-size: 14px; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { border: 1px solid var(--rule); padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #eef1f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr { page-break-inside: avoid; break-inside: avoid; }
.meta td:first-child { width: 14rem; color: var(--muted); }
.narrative { white-space: pre-wrap; border-left: 3px solid var(--accent); padding: .3rem .8rem; background: #f7f9fc; }
.missing { color: var(--warn); font-style: italic; }
td.period { white-space: nowrap; }
.note { color: var(--muted); font-size: .9em; }
.hash { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .8em; word-break: break-all; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; }
.figure { margin: .5rem 0 1rem; }
.from-case { font-size: .8em; color: var(--accent); text-transform: uppercase; letter-spacing: .04em; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  h2 { page-break-after: avoid; break-after: avoid; }
  .appendix { page-break-before: always; break-before: page; }
  svg { max-width: 100%; }
}
@page { size: A4; margin: 15mm 12mm; }
"#;

pub(super) fn num(n: u64) -> String {
    crate::model::plural::grouped(n)
}

/// A date and time in the display zone, in the reader's habits (`2021-02-24 10:15:03 +09:00`,
/// `2021年2月24日（水） 10:15:03 JST`).
fn when(lang: Lang, ts_us: i64, zone: Tz) -> String {
    crate::i18n::format_in_zone(lang, ts_us, zone)
}

/// The time of day in the display zone, `10:15:03`.
fn clock(ts_us: i64, zone: Tz) -> String {
    format_in_zone(ts_us, zone)
        .get(11..19)
        .unwrap_or("")
        .to_string()
}

fn narrative(case: &Case, lang: Lang, section: &str, out: &mut String) -> Result<()> {
    match case.export().report_text(section, lang.as_str())? {
        Some(text) if !text.trim().is_empty() => {
            put!(out, "<div class=\"narrative\">{}</div>", esc(&text));
            put!(
                out,
                "<p class=\"note source\">{}</p>",
                esc_with_code(
                    &crate::tr!(lang, "report-source-narrative", section = CODE),
                    section
                )
            );
        }
        _ => {
            put!(
                out,
                "<p class=\"missing\">{}</p><p class=\"note source\">{}</p>",
                esc(&t(lang, "report-narrative-missing")),
                esc_with_code(
                    &crate::tr!(lang, "report-source-narrative-missing", section = CODE),
                    section
                )
            );
        }
    }
    Ok(())
}

/// Where an item's figures come from: the case's events in the scope, read from its access
/// logs (named).
fn events_source(cx: &Ctx) -> String {
    let files: Vec<String> = cx
        .case
        .sources()
        .list()
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.kind == "access")
        .map(|s| s.file_name)
        .collect();
    format!(
        "<p class=\"note source\">{}</p>",
        esc(&crate::tr!(
            cx.lang,
            "report-source-events",
            events = crate::tr!(cx.lang, "report-count-events", count = cx.tally.events),
            count = files.len(),
            files = files.join(&t(cx.lang, "report-sep-list"))
        ))
    )
}

/// What every section reads: the case, its tally and the report's options.
struct Ctx<'a> {
    case: &'a Case,
    tally: &'a Tally,
    opts: &'a ReportOptions,
    zone: Tz,
    redactor: &'a Redactor,
    lang: Lang,
    vocab: crate::model::Vocabulary,
    /// Rejected rows that could change the counts (then "at least"), and whether some were
    /// not read for mentions.
    rejects: (Vec<crate::analysis::rejects::RejectedRow>, bool),
    /// The scope's findings (run once: the persons' basis and the findings section read them).
    found: super::ReportFindings,
}

/// `text` escaped, with the marker [`CODE`] (a message's `$command`) replaced by `code` as a
/// `<code>` element: a command line in a sentence.
pub(super) fn esc_with_code(text: &str, code: &str) -> String {
    esc(text).replace(CODE, &format!("<code>{}</code>", esc(code)))
}

/// Stands for a command line in a message until [`esc_with_code`] puts it in.
pub(super) const CODE: &str = "\u{E000}";

/// The whole document, section by section.
pub fn render(
    case: &Case,
    tally: &Tally,
    opts: &ReportOptions,
    zone: Tz,
    redactor: &Redactor,
) -> Result<String> {
    let cx = Ctx {
        case,
        tally,
        opts,
        zone,
        redactor,
        lang: opts.lang,
        vocab: case.vocabulary()?,
        rejects: super::rejects::rejects_in_scope(case, &opts.scope, tally)?,
        found: super::ReportFindings::load(case, &opts.scope)?,
    };
    let mut o = String::with_capacity(64 * 1024);
    head(&cx, &mut o)?;
    match opts.layout {
        ReportLayout::Ppc => ppc_items(&cx, &mut o)?,
        ReportLayout::Gdpr => gdpr_items(&cx, &mut o)?,
    }
    put!(o, "<h2>{}</h2>", esc(&t(cx.lang, "report-findings")));
    o.push_str(&super::findings_section(&cx.found, opts, zone));
    put!(o, "<h2>{}</h2>", esc(&t(cx.lang, "report-timeline")));
    o.push_str(&timeline_chart(case, tally, zone)?);
    put!(
        o,
        "<p class=\"note\">{}</p>",
        esc(&t(cx.lang, "report-timeline-note"))
    );
    actors(&cx, &mut o);
    systems(&cx, &mut o)?;
    annotations(&cx, &mut o)?;
    chronology(&cx, &mut o);
    methodology(&cx, &mut o)?;
    o.push_str("</body></html>\n");
    Ok(o)
}

/// One end of a view's range in UTC; an open end (a view with no start or no end, kept as a
/// far-off sentinel) says so.
fn bound(lang: Lang, ts_us: i64) -> String {
    if ts_us <= i64::MIN / 4 {
        t(lang, "report-scope-no-start")
    } else if ts_us >= i64::MAX / 4 {
        t(lang, "report-scope-no-end")
    } else {
        format_utc(ts_us)
    }
}

/// What the export covers, in words.
fn scope_text(cx: &Ctx, scope: &crate::ops::export::ExportScope) -> Result<String> {
    use crate::ops::export::ExportScope;
    use crate::tr;
    let lang = cx.lang;
    Ok(match scope {
        ExportScope::Case => t(lang, "report-scope-case"),
        ExportScope::View {
            from_us,
            to_us,
            filter,
        } => tr!(
            lang,
            "report-scope-view",
            from = bound(lang, *from_us),
            to = bound(lang, *to_us),
            filters = crate::ops::export::describe_filter_in(cx.case, filter, lang)?
                .join(&t(lang, "report-sep-list"))
        ),
        ExportScope::Persons(p) => tr!(
            lang,
            "report-scope-persons",
            persons = p.join(&t(lang, "report-sep-list"))
        ),
        ExportScope::Subjects(s) => tr!(lang, "report-scope-subjects", count = s.len()),
        ExportScope::Events { label, ids } => {
            // A finding's evidence: the finding by its key and its title in the language.
            let finding = cx
                .found
                .list
                .iter()
                .find(|f| label == &format!("finding {}: {}", f.key, f.title));
            match finding {
                Some(f) if lang != Lang::En => tr!(
                    lang,
                    "report-scope-finding",
                    key = f.key.as_str(),
                    title = f.title_in(lang),
                    count = ids.len()
                ),
                _ => tr!(
                    lang,
                    "report-scope-events",
                    label = label.as_str(),
                    count = ids.len()
                ),
            }
        }
    })
}

/// The document's head, the title and the table of what the report is.
fn head(cx: &Ctx, o: &mut String) -> Result<()> {
    let title = cx.case.meta("title")?.unwrap_or_default();
    let case_id = cx.case.meta("case_id")?.unwrap_or_default();
    put!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} — {}</title><style>{CSS}</style></head><body>",
        cx.lang.as_str(),
        esc(&t(cx.lang, "report-title")),
        esc(&title)
    );
    put!(o, "<h1>{}</h1>", esc(&t(cx.lang, "report-title")));
    let scope_text = scope_text(cx, &cx.opts.scope)?;
    put!(
        o,
        "<table class=\"meta\"><tr><td>{}</td><td>{} <span class=\"note\">({}: <span class=\"hash\">{}</span>)</span></td></tr>\
         <tr><td>{}</td><td>{} UTC</td></tr>\
         <tr><td>{}</td><td>{}</td></tr>\
         <tr><td>{}</td><td>{}</td></tr>\
         <tr><td>{}</td><td>{}</td></tr>\
         <tr><td>{}</td><td>{}</td></tr>\
         <tr><td>{}</td><td>retrace {}</td></tr></table>",
        esc(&t(cx.lang, "report-case")),
        esc(&title),
        esc(&t(cx.lang, "report-case-id")),
        esc(&case_id),
        esc(&t(cx.lang, "report-generated")),
        esc(&format_utc(crate::model::time::now_us())),
        esc(&t(cx.lang, "report-investigator")),
        esc(&cx.opts.investigator),
        esc(&t(cx.lang, "report-display-zone")),
        esc(&cx.opts.zone),
        esc(&t(cx.lang, "report-scope")),
        esc(&scope_text),
        esc(&t(cx.lang, "report-redaction")),
        esc(&super::i18n::redaction(cx.lang, cx.opts.redaction)),
        esc(&t(cx.lang, "report-tool")),
        env!("CARGO_PKG_VERSION"),
    );
    Ok(())
}

/// The items of the PPC breach report; the figures from the case follow the outline.
fn ppc_items(cx: &Ctx, o: &mut String) -> Result<()> {
    put!(o, "<h2>{}</h2>", esc(&t(cx.lang, "report-ppc-heading")));
    for (section, key) in PPC_SECTIONS {
        put!(o, "<h3>{}</h3>", esc(&t(cx.lang, key)));
        narrative(cx.case, cx.lang, section, o)?;
        if *key == "report-outline" {
            outline_data(cx, o);
            rejected_rows(cx, o);
            put!(o, "<h3>{}</h3>", esc(&t(cx.lang, "report-items")));
            put!(
                o,
                "<p><span class=\"from-case\">{}</span></p>{}",
                esc(&t(cx.lang, "report-from-case")),
                events_source(cx)
            );
            items_table(cx, o);
            put!(o, "<h3>{}</h3>", esc(&t(cx.lang, "report-persons")));
            persons_block(cx, o)?;
        }
    }
    Ok(())
}

/// The items of a GDPR Art. 33 notification; the figures from the case follow its nature.
fn gdpr_items(cx: &Ctx, o: &mut String) -> Result<()> {
    put!(o, "<h2>{}</h2>", esc(&t(cx.lang, "report-gdpr-heading")));
    for (section, key) in GDPR_SECTIONS {
        put!(o, "<h3>{}</h3>", esc(&t(cx.lang, key)));
        narrative(cx.case, cx.lang, section, o)?;
        if *key == "report-gdpr-nature" {
            outline_data(cx, o);
            rejected_rows(cx, o);
            items_table(cx, o);
            persons_block(cx, o)?;
        }
    }
    Ok(())
}

/// Access events and distinct subjects per data category.
fn items_table(cx: &Ctx, o: &mut String) {
    put!(
        o,
        "<table><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr>",
        esc(&t(cx.lang, "report-category")),
        esc(&t(cx.lang, "report-access-events")),
        esc(&t(cx.lang, "report-subjects"))
    );
    for (bit, (n, subs)) in &cx.tally.categories {
        put!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&super::i18n::category(
                cx.lang,
                cx.vocab.name_of(*bit).unwrap_or("?")
            )),
            num(*n),
            num(subs.len() as u64)
        );
    }
    o.push_str("</table>");
}

/// The number of persons affected, by their country, with its chart.
fn persons_block(cx: &Ctx, o: &mut String) -> Result<()> {
    let subjects_total = cx.tally.subjects.len() as u64;
    let by_country = super::subjects_by_country(cx.case, &cx.tally.subjects)?;
    put!(
        o,
        "<p><span class=\"from-case\">{}</span><br><strong>{} {}</strong></p>{}",
        esc(&t(cx.lang, "report-from-case")),
        esc(&t(cx.lang, "report-at-least")),
        esc(&crate::tr!(
            cx.lang,
            "report-count-subjects",
            count = subjects_total
        )),
        events_source(cx)
    );
    o.push_str(&super::findings::persons_basis(
        cx.lang,
        subjects_total,
        &cx.found.reached(),
    ));
    put!(
        o,
        "<table><tr><th>{}</th><th class=\"num\">{}</th></tr>",
        esc(&t(cx.lang, "report-country")),
        esc(&t(cx.lang, "report-subjects"))
    );
    for (c, n) in &by_country {
        put!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(&super::i18n::country_or_unknown(cx.lang, c)),
            num(*n)
        );
    }
    put!(
        o,
        "<tr><th>{}</th><th class=\"num\">{}</th></tr></table>",
        esc(&t(cx.lang, "report-total")),
        num(subjects_total)
    );
    o.push_str(&country_chart(&by_country, cx.lang));
    put!(
        o,
        "<p class=\"note\">{}</p>",
        esc(&t(cx.lang, "report-coverage-note"))
    );
    Ok(())
}

/// The rejected rows that could change the counts, listed under them.
fn rejected_rows(cx: &Ctx, o: &mut String) {
    let (rows, incomplete) = &cx.rejects;
    o.push_str(&super::rejects::rejects_block(
        rows,
        *incomplete,
        cx.lang,
        cx.redactor,
    ));
}

/// The case's figures under the outline: period, events, refused attempts, actors, subjects;
/// "at least" before each when rejected rows could add to them.
fn outline_data(cx: &Ctx, o: &mut String) {
    let (tally, zone) = (cx.tally, cx.zone);
    let al = if cx.rejects.0.is_empty() && !cx.rejects.1 {
        String::new()
    } else {
        format!("{} ", esc(&t(cx.lang, "report-at-least")))
    };
    let period = match (tally.first_us, tally.last_us) {
        (Some(f), Some(l)) => format!(
            "{} — {} ({})",
            when(cx.lang, f, zone),
            when(cx.lang, l, zone),
            cx.opts.zone
        ),
        _ => t(cx.lang, "report-no-events"),
    };
    put!(
        o,
        "<p><span class=\"from-case\">{}</span></p>{}<table class=\"meta\">\
         <tr><td>{}</td><td>{}</td></tr>\
         <tr><td>{}</td><td>{al}{}</td></tr>\
         <tr><td>{}</td><td>{al}{}</td></tr>\
         <tr><td>{}</td><td>{al}{}</td></tr>\
         <tr><td>{}</td><td>{al}{}</td></tr></table>",
        esc(&t(cx.lang, "report-from-case")),
        events_source(cx),
        esc(&t(cx.lang, "report-period")),
        esc(&period),
        esc(&t(cx.lang, "report-access-events")),
        esc(&crate::tr!(
            cx.lang,
            "report-count-events",
            count = tally.access_events
        )),
        esc(&t(cx.lang, "report-refused")),
        esc(&crate::tr!(
            cx.lang,
            "report-count-events",
            count = tally.refused
        )),
        esc(&t(cx.lang, "report-actors")),
        esc(&crate::tr!(
            cx.lang,
            "report-count-actors",
            count = tally.actors.len() as u64
        )),
        esc(&t(cx.lang, "report-subjects")),
        esc(&crate::tr!(
            cx.lang,
            "report-count-subjects",
            count = tally.subjects.len() as u64
        )),
    );
}

/// One row per person or unmapped account who accessed the data.
fn actors(cx: &Ctx, o: &mut String) {
    put!(
        o,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr>",
        esc(&t(cx.lang, "report-actors")),
        esc(&t(cx.lang, "report-person")),
        esc(&t(cx.lang, "report-organization")),
        esc(&t(cx.lang, "report-actor-country")),
        esc(&t(cx.lang, "report-access-events")),
        esc(&t(cx.lang, "report-refused")),
        esc(&t(cx.lang, "report-subjects")),
        esc(&t(cx.lang, "report-first")),
        esc(&t(cx.lang, "report-last"))
    );
    for a in cx.tally.actors.values() {
        put!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&a.label),
            esc(&a.organization),
            esc(&super::i18n::country(cx.lang, &a.country)),
            num(a.access_events),
            num(a.refused),
            num(a.subjects.len() as u64),
            esc(&when(cx.lang, a.first_us, cx.zone)),
            esc(&when(cx.lang, a.last_us, cx.zone))
        );
    }
    o.push_str("</table>");
}

/// Access events per system, with where it stores its data.
fn systems(cx: &Ctx, o: &mut String) -> Result<()> {
    let lookups = cx.case.export().export_lookups()?;
    put!(
        o,
        "<h3>{}</h3><table><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th></tr>",
        esc(&t(cx.lang, "report-systems")),
        esc(&t(cx.lang, "report-system")),
        esc(&t(cx.lang, "report-storage-country")),
        esc(&t(cx.lang, "report-access-events"))
    );
    for (id, n) in &cx.tally.systems {
        let s = lookups.systems.get(id);
        put!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(s.map_or("?", |s| &s.name)),
            esc(&super::i18n::country(
                cx.lang,
                s.and_then(|s| s.country.as_deref()).unwrap_or("")
            )),
            num(*n)
        );
    }
    o.push_str("</table>");
    Ok(())
}

/// The investigator's annotations (their text redacted as the export is).
fn annotations(cx: &Ctx, o: &mut String) -> Result<()> {
    let (lang, zone) = (cx.lang, cx.zone);
    put!(o, "<h2>{}</h2>", esc(&t(cx.lang, "report-annotations")));
    let notes = cx.case.annotations().list()?;
    if notes.is_empty() {
        put!(o, "<p>{}</p>", esc(&t(cx.lang, "report-no-annotations")));
        return Ok(());
    }
    put!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(&t(cx.lang, "report-target")),
        esc(&t(cx.lang, "report-kind")),
        esc(&t(cx.lang, "report-text")),
        esc(&t(cx.lang, "report-author")),
        esc(&t(cx.lang, "report-at"))
    );
    let files: std::collections::HashMap<i64, String> = cx
        .case
        .sources()
        .list()?
        .into_iter()
        .map(|s| (s.id, s.file_name))
        .collect();
    for a in &notes {
        let target = match a.target {
            AnnotationTarget::Event(id) => annotated_event(cx, id, &files)?,
            AnnotationTarget::Range { from_us, to_us } => format!(
                "{} {} — {}",
                t(lang, "report-range"),
                when(lang, from_us, zone),
                when(lang, to_us, zone)
            ),
        };
        put!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&target),
            esc(&super::i18n::annotation_kind(lang, a.kind)),
            esc(&cx.redactor.text(&a.text, false)),
            esc(&a.author),
            esc(&when(lang, a.created_us, zone))
        );
    }
    o.push_str("</table>");
    Ok(())
}

/// An annotated event as a reader can find it: its time, account (and person), system,
/// action, and source file and line.
fn annotated_event(
    cx: &Ctx,
    id: i64,
    files: &std::collections::HashMap<i64, String>,
) -> Result<String> {
    let head = format!("{} {id}", t(cx.lang, "report-event-id"));
    let Some(e) = cx.case.sources().event_row(id)? else {
        return Ok(format!("{head} ({})", t(cx.lang, "report-event-missing")));
    };
    let account = match (&e.account, &e.person_key) {
        (Some(a), Some(p)) => format!("{a} ({p})"),
        (Some(a), None) => a.clone(),
        (None, _) => "—".into(),
    };
    let file = files.get(&e.source_id).map_or("?", String::as_str);
    Ok(format!(
        "{head}: {} · {account} · {} · {} · {file}:{}",
        when(cx.lang, e.ts_us, cx.zone),
        e.system.as_deref().unwrap_or("—"),
        e.action.as_deref().unwrap_or("—"),
        e.line
    ))
}

/// Appendix A: each actor's days, with their figures, systems and categories.
fn chronology(cx: &Ctx, o: &mut String) {
    let zone = cx.zone;
    put!(
        o,
        "<h2 class=\"appendix\">{}</h2><p class=\"note\">{} ({})</p>",
        esc(&t(cx.lang, "report-appendix")),
        esc(&t(cx.lang, "report-appendix-note")),
        esc(&cx.opts.zone)
    );
    for a in cx.tally.actors.values() {
        put!(
            o,
            "<h3>{}</h3><table><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr>",
            esc(&a.label),
            esc(&t(cx.lang, "report-date")),
            esc(&t(cx.lang, "report-period")),
            esc(&t(cx.lang, "report-access-events")),
            esc(&t(cx.lang, "report-refused")),
            esc(&t(cx.lang, "report-subjects")),
            esc(&t(cx.lang, "report-systems")),
            esc(&t(cx.lang, "report-category"))
        );
        for (date, d) in &a.days {
            let systems: Vec<String> = d
                .systems
                .iter()
                .map(|(s, n)| format!("{s} ({n})"))
                .collect();
            let cats = cx
                .vocab
                .names(crate::model::CategorySet(d.categories))
                .iter()
                .map(|c| super::i18n::category(cx.lang, c))
                .collect::<Vec<_>>()
                .join(", ");
            let span = format!("{} — {}", clock(d.first_us, zone), clock(d.last_us, zone));
            put!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
                esc(&crate::i18n::format_date(cx.lang, *date)),
                esc(&span),
                num(d.access_events),
                num(d.refused),
                num(d.subjects.len() as u64),
                esc(&systems.join(", ")),
                esc(&cats)
            );
        }
        o.push_str("</table>");
    }
}

/// Appendix B: the sources, the definitions, the rules' parameters and the custody head.
fn methodology(cx: &Ctx, o: &mut String) -> Result<()> {
    put!(
        o,
        "<h2 class=\"appendix\">{}</h2><h3>{}</h3><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>SHA-256</th></tr>",
        esc(&t(cx.lang, "report-methodology")),
        esc(&t(cx.lang, "report-sources")),
        esc(&t(cx.lang, "report-file")),
        esc(&t(cx.lang, "report-kind-src")),
        esc(&t(cx.lang, "report-format")),
        esc(&t(cx.lang, "report-zone")),
        esc(&t(cx.lang, "report-rows-read")),
        esc(&t(cx.lang, "report-rows-imported")),
        esc(&t(cx.lang, "report-rows-rejected"))
    );
    for s in cx.case.sources().list()? {
        let forms = cx.case.sources().time_forms(&s)?;
        put!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}<br><span class=\"note\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"hash\">{}</td></tr>",
            esc(&s.file_name),
            esc(&crate::i18n::source_kind(cx.lang, &s.kind)),
            esc(&crate::tr!(
                cx.lang,
                "report-source-format",
                format = s.format.as_str(),
                encoding = s.encoding.as_str()
            )),
            esc(&super::i18n::time_forms(
                cx.lang,
                &forms,
                &s.zone,
                &s.time_rule
            )),
            esc(&recorded_rule(cx.lang, &s.time_rule)),
            num(s.rows_read.max(0) as u64),
            num(s.rows_imported.max(0) as u64),
            num(s.rows_rejected.max(0) as u64),
            esc(&s.sha256)
        );
    }
    o.push_str("</table>");
    put!(
        o,
        "<p class=\"note\">{}</p>",
        esc(&t(cx.lang, "report-rules-note"))
    );
    put!(
        o,
        "<h3>{}</h3><p>{}</p><h3>{}</h3>{}",
        esc(&t(cx.lang, "report-definitions")),
        esc(&t(cx.lang, "report-def-access")),
        esc(&t(cx.lang, "report-rule-params")),
        super::rule_params_section(cx.case, cx.lang)?
    );
    custody_table(cx, o)
}

/// A source's recorded reading rule under its label: in English as recorded; in another
/// language translated clause by clause, or, when a clause is not one the importers write,
/// quoted as written and labelled so.
fn recorded_rule(lang: Lang, rule: &str) -> String {
    let (label, value) = match lang {
        Lang::En => (t(lang, "report-recorded-rule"), rule.to_string()),
        _ => match super::i18n::reading_rule(lang, rule) {
            Some(r) => (t(lang, "report-recorded-rule"), r),
            None => (t(lang, "report-recorded-rule-as-written"), rule.to_string()),
        },
    };
    crate::tr!(lang, "report-label-value", label = label, value = value)
}

/// The custody log's head and its signature, so a reader can hold the case's log to them.
fn custody_table(cx: &Ctx, o: &mut String) -> Result<()> {
    let lang = cx.lang;
    let (head, entries) = cx.case.custody().custody_head()?;
    let head_signature = match cx.case.custody().custody_last()? {
        Some(crate::case::CustodyEntry {
            id,
            key_fingerprint: Some(fp),
            signature: Some(sig),
            ..
        }) => crate::tr!(
            lang,
            "report-custody-signed",
            entry = id.to_string(),
            key = fp,
            signature = sig
        ),
        Some(e) => crate::tr!(
            lang,
            "report-custody-unsigned-entry",
            entry = e.id.to_string()
        ),
        None => t(lang, "report-unsigned"),
    };
    put!(
        o,
        "<table class=\"meta\"><tr><td>{}</td><td>{}</td></tr><tr><td>{}</td><td>retrace {}</td></tr><tr><td>{}</td><td><span class=\"hash\">{}</span> ({})</td></tr><tr><td>{}</td><td><span class=\"hash\">{}</span></td></tr></table>",
        esc(&t(cx.lang, "report-display-zone")),
        esc(&cx.opts.zone),
        esc(&t(cx.lang, "report-tool")),
        env!("CARGO_PKG_VERSION"),
        esc(&t(cx.lang, "report-custody-head")),
        esc(&head),
        esc(&crate::tr!(
            cx.lang,
            "report-count-entries",
            count = entries.max(0) as u64
        )),
        esc(&t(cx.lang, "report-custody-signature")),
        esc(&head_signature)
    );
    Ok(())
}

/// Horizontal bars: distinct subjects per country.
fn country_chart(rows: &[(String, u64)], lang: Lang) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let bar_h = 22;
    let h = rows.len() as i64 * bar_h + 30;
    let mut s = format!(
        "<figure class=\"figure\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"{h}\" viewBox=\"0 0 640 {h}\" role=\"img\" aria-label=\"{}\">",
        esc(&t(lang, "report-by-country-chart"))
    );
    put!(
        s,
        "<text x=\"0\" y=\"14\" font-size=\"12\" fill=\"#5b6475\">{}</text>",
        esc(&t(lang, "report-by-country-chart"))
    );
    for (i, (c, n)) in rows.iter().enumerate() {
        let y = 24 + i as i64 * bar_h;
        // Room on the left for a country's name ("United Kingdom (GB)").
        let w = (*n as f64 / max as f64 * 380.0).max(1.0);
        let label = super::i18n::country_or_unknown(lang, c);
        put!(
            s,
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text><rect x=\"170\" y=\"{y}\" width=\"{w:.1}\" height=\"16\" fill=\"#1f5fbf\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{}</text>",
            y + 13,
            esc(&label.chars().take(26).collect::<String>()),
            176.0 + w,
            y + 13,
            num(*n)
        );
    }
    s.push_str("</svg></figure>");
    s
}

/// The timeline chart's width, height, left margin, top margin and plot height (SVG units).
const GEOMETRY: (f64, f64, f64, f64, f64) = (1000.0, 340.0, 50.0, 60.0, 200.0);

const PALETTE: [&str; 8] = [
    "#1f5fbf", "#d9822b", "#2e9e5b", "#b3261e", "#7b52ab", "#0f8b8d", "#8c6d1f", "#5b6475",
];

/// The timeline chart's scales: months from the first, organizations by size, the tallest bar.
struct Chart<'a> {
    first: (i32, u32),
    last: (i32, u32),
    months: i64,
    orgs: Vec<(&'a str, u64)>,
    max: u64,
    col_w: f64,
}

impl<'a> Chart<'a> {
    fn new(tally: &'a Tally) -> Chart<'a> {
        let (&first, _) = tally
            .months
            .iter()
            .next()
            .unwrap_or((&(1970, 1), &Default::default()));
        let (&last, _) = tally
            .months
            .iter()
            .next_back()
            .unwrap_or((&(1970, 1), &Default::default()));
        let mut org_totals: std::collections::BTreeMap<&str, u64> = Default::default();
        for orgs in tally.months.values() {
            for (o, n) in orgs {
                *org_totals.entry(o).or_default() += n;
            }
        }
        let mut orgs: Vec<(&str, u64)> = org_totals.into_iter().collect();
        orgs.sort_by_key(|o| std::cmp::Reverse(o.1));
        let max = tally
            .months
            .values()
            .map(|o| o.values().sum::<u64>())
            .max()
            .unwrap_or(1)
            .max(1);
        let mut chart = Chart {
            first,
            last,
            months: 0,
            orgs,
            max,
            col_w: 0.0,
        };
        chart.months = chart.index(last.0, last.1) + 1;
        let (w, _, left, _, _) = GEOMETRY;
        chart.col_w = (w - left - 10.0) / chart.months as f64;
        chart
    }

    /// The month's column, counted from the first month.
    fn index(&self, y: i32, m: u32) -> i64 {
        (y - self.first.0) as i64 * 12 + m as i64 - self.first.1 as i64
    }

    fn colour(&self, org: &str) -> &'static str {
        self.orgs
            .iter()
            .position(|(o, _)| *o == org)
            .map_or(PALETTE[7], |i| PALETTE[i.min(7)])
    }
}

/// Stacked monthly bars by organization, with milestones as red rules.
fn timeline_chart(case: &Case, tally: &Tally, zone: Tz) -> Result<String> {
    if tally.months.is_empty() {
        return Ok(String::new());
    }
    let chart = Chart::new(tally);
    let (w, h, left, top, plot_h) = GEOMETRY;
    let mut s = format!(
        "<figure class=\"figure\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 {w} {}\" role=\"img\">",
        h + 22.0 * ((chart.orgs.len().min(8) as f64 / 3.0).ceil())
    );
    put!(
        s,
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">0</text>",
        top + plot_h,
        w - 10.0,
        top + plot_h,
        left - 4.0,
        top + 10.0,
        num(chart.max),
        left - 4.0,
        top + plot_h
    );
    month_bars(&chart, tally, &mut s);
    year_labels(&chart, &mut s);
    milestone_rules(&chart, case, zone, &mut s)?;
    legend(&chart, &mut s);
    s.push_str("</svg></figure>");
    Ok(s)
}

/// One stacked bar per month, an organization a segment.
fn month_bars(chart: &Chart, tally: &Tally, s: &mut String) {
    let (_, _, left, top, plot_h) = GEOMETRY;
    for ((y, m), by_org) in &tally.months {
        let x = left + chart.index(*y, *m) as f64 * chart.col_w;
        let mut base = top + plot_h;
        for (org, n) in by_org {
            let bh = *n as f64 / chart.max as f64 * plot_h;
            base -= bh;
            put!(
                s,
                "<rect x=\"{x:.1}\" y=\"{base:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{}\"><title>{y}-{m:02} {}: {n}</title></rect>",
                (chart.col_w - 1.0).max(0.5),
                chart.colour(org),
                esc(org)
            );
        }
    }
}

/// A tick and a label at each January.
fn year_labels(chart: &Chart, s: &mut String) {
    let (_, _, left, top, plot_h) = GEOMETRY;
    for y in chart.first.0..=chart.last.0 {
        let i = chart.index(y, 1).max(0);
        let x = left + i as f64 * chart.col_w;
        put!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#888\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"11\">{y}</text>",
            top + plot_h,
            top + plot_h + 5.0,
            x + 2.0,
            top + plot_h + 16.0
        );
    }
}

/// The case's milestones as dashed red rules at their day, labelled.
fn milestone_rules(chart: &Chart, case: &Case, zone: Tz, s: &mut String) -> Result<()> {
    use chrono::Datelike;
    let (w, _, left, top, plot_h) = GEOMETRY;
    for (k, ms) in case.people().milestones()?.iter().enumerate() {
        let local = chrono::TimeZone::from_utc_datetime(
            &zone,
            &chrono::DateTime::from_timestamp_micros(ms.at_us)
                .unwrap_or_default()
                .naive_utc(),
        );
        let i = chart.index(local.year(), local.month());
        if i < 0 || i >= chart.months {
            continue;
        }
        let x = left + (i as f64 + f64::from(local.day()) / 31.0) * chart.col_w;
        put!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#b3261e\" stroke-dasharray=\"3,2\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" fill=\"#b3261e\"{}>{}</text>",
            4.0 + (k % 4) as f64 * 13.0,
            top + plot_h,
            if x > w * 0.7 { x - 2.0 } else { x + 2.0 },
            12.0 + (k % 4) as f64 * 13.0,
            if x > w * 0.7 {
                " text-anchor=\"end\""
            } else {
                ""
            },
            esc(&ms.label.chars().take(40).collect::<String>())
        );
    }
    Ok(())
}

/// The eight largest organizations with their colour and access events.
fn legend(chart: &Chart, s: &mut String) {
    let (_, h, left, _, _) = GEOMETRY;
    for (i, (org, n)) in chart.orgs.iter().take(8).enumerate() {
        let x = left + (i % 3) as f64 * 310.0;
        let y = h - 40.0 + (i / 3) as f64 * 20.0;
        put!(
            s,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{} ({})</text>",
            chart.colour(org),
            x + 16.0,
            y + 10.0,
            esc(&org.chars().take(42).collect::<String>()),
            num(*n)
        );
    }
}
