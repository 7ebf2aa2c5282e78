//! HTML rendering of the report. Everything from the case goes through [`esc`].

use std::fmt::Write;

use anyhow::Result;
use chrono_tz::Tz;

use super::i18n::t;
use super::{GDPR_SECTIONS, PPC_SECTIONS, ReportOptions, Tally};
use crate::case::{AnnotationTarget, Case};
use crate::model::time::{format_in_zone, format_utc};
use crate::ops::export::{Lang, Redactor, ReportLayout};

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

fn num(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn when(ts_us: i64, zone: Tz) -> String {
    format_in_zone(ts_us, zone)
}

fn narrative(case: &Case, lang: Lang, section: &str, out: &mut String) -> Result<()> {
    match case.export().report_text(section, lang.as_str())? {
        Some(text) if !text.trim().is_empty() => {
            let _ = write!(out, "<div class=\"narrative\">{}</div>", esc(&text));
        }
        _ => {
            let _ = write!(
                out,
                "<p class=\"missing\">{}</p>",
                esc(t(lang, "narrative_missing"))
            );
        }
    }
    Ok(())
}

/// The whole document.
pub fn render(
    case: &Case,
    tally: &Tally,
    opts: &ReportOptions,
    zone: Tz,
    redactor: &Redactor,
) -> Result<String> {
    let lang = opts.lang;
    let tr = |k: &'static str| esc(t(lang, k));
    let vocab = case.vocabulary()?;
    let lookups = case.export().export_lookups()?;
    let title = case.meta("title")?.unwrap_or_default();
    let case_id = case.meta("case_id")?.unwrap_or_default();
    let (head, entries) = case.custody().custody_head()?;
    // The head's signature, so a reader of the report can hold the case's log to it.
    let head_signature = match case.custody().custody_last()? {
        Some(crate::case::CustodyEntry {
            id,
            key_fingerprint: Some(fp),
            signature: Some(sig),
            ..
        }) => format!("entry {id}, key {fp}: {sig}"),
        Some(e) => format!("entry {}: {}", e.id, t(lang, "unsigned")),
        None => t(lang, "unsigned").to_string(),
    };
    let mut o = String::with_capacity(64 * 1024);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} — {}</title><style>{CSS}</style></head><body>",
        lang.as_str(),
        tr("title"),
        esc(&title)
    );
    let _ = write!(o, "<h1>{}</h1>", tr("title"));
    let scope_text = match &opts.scope {
        crate::ops::export::ExportScope::Case => "case".to_string(),
        crate::ops::export::ExportScope::View {
            from_us,
            to_us,
            filter,
        } => format!(
            "view {} .. {} UTC; {}",
            format_utc(*from_us),
            format_utc(*to_us),
            crate::ops::export::describe_filter(case, filter)?.join(", ")
        ),
        crate::ops::export::ExportScope::Persons(p) => format!("persons {}", p.join(", ")),
        crate::ops::export::ExportScope::Subjects(s) => format!("{} data subjects", s.len()),
        crate::ops::export::ExportScope::Events { label, ids } => {
            format!("{label} ({} events)", ids.len())
        }
    };
    let _ = write!(
        o,
        "<table class=\"meta\"><tr><td>{}</td><td>{} <span class=\"note\">({}: <span class=\"hash\">{}</span>)</span></td></tr>\
         <tr><td>{}</td><td>{} UTC</td></tr>\
         <tr><td>{}</td><td>{}</td></tr>\
         <tr><td>{}</td><td>{}</td></tr>\
         <tr><td>{}</td><td>{}</td></tr>\
         <tr><td>{}</td><td>{}</td></tr>\
         <tr><td>{}</td><td>retrace {}</td></tr></table>",
        tr("case"),
        esc(&title),
        tr("case_id"),
        esc(&case_id),
        tr("generated"),
        esc(&format_utc(crate::model::time::now_us())),
        tr("investigator"),
        esc(&opts.investigator),
        tr("display_zone"),
        esc(&opts.zone),
        tr("scope"),
        esc(&scope_text),
        tr("redaction"),
        esc(opts.redaction.as_str()),
        tr("tool"),
        env!("CARGO_PKG_VERSION"),
    );

    // --- The breach report's items.
    let subjects_total = tally.subjects.len() as u64;
    let by_country = super::subjects_by_country(case, &tally.subjects)?;
    let items_table = |o: &mut String| {
        let _ = write!(
            o,
            "<table><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr>",
            tr("category"),
            tr("access_events"),
            tr("subjects")
        );
        for (bit, (n, subs)) in &tally.categories {
            let _ = write!(
                o,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&super::i18n::category(
                    lang,
                    vocab.name_of(*bit).unwrap_or("?")
                )),
                num(*n),
                num(subs.len() as u64)
            );
        }
        o.push_str("</table>");
    };
    let persons_block = |o: &mut String| {
        let _ = write!(
            o,
            "<p><span class=\"from-case\">{}</span><br><strong>{} {} {}</strong></p>",
            tr("from_case"),
            tr("at_least"),
            num(subjects_total),
            tr("subjects_unit")
        );
        let _ = write!(
            o,
            "<table><tr><th>{}</th><th class=\"num\">{}</th></tr>",
            tr("country"),
            tr("subjects")
        );
        for (c, n) in &by_country {
            let label = if c.is_empty() {
                t(lang, "unknown_country").to_string()
            } else {
                c.clone()
            };
            let _ = write!(
                o,
                "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(&label),
                num(*n)
            );
        }
        let _ = write!(
            o,
            "<tr><th>{}</th><th class=\"num\">{}</th></tr></table>",
            tr("total"),
            num(subjects_total)
        );
        o.push_str(&country_chart(&by_country, lang));
        let _ = write!(o, "<p class=\"note\">{}</p>", tr("coverage_note"));
    };
    let outline_data = |o: &mut String| {
        let period = match (tally.first_us, tally.last_us) {
            (Some(f), Some(l)) => format!("{} — {} ({})", when(f, zone), when(l, zone), opts.zone),
            _ => t(lang, "no_events").to_string(),
        };
        let _ = write!(
            o,
            "<p><span class=\"from-case\">{}</span></p><table class=\"meta\">\
             <tr><td>{}</td><td>{}</td></tr>\
             <tr><td>{}</td><td>{} {}</td></tr>\
             <tr><td>{}</td><td>{} {}</td></tr>\
             <tr><td>{}</td><td>{}</td></tr>\
             <tr><td>{}</td><td>{} {}</td></tr></table>",
            tr("from_case"),
            tr("period"),
            esc(&period),
            tr("access_events"),
            num(tally.access_events),
            tr("events"),
            tr("refused"),
            num(tally.refused),
            tr("events"),
            tr("actors"),
            num(tally.actors.len() as u64),
            tr("subjects"),
            num(subjects_total),
            tr("subjects_unit"),
        );
    };
    match opts.layout {
        ReportLayout::Ppc => {
            let _ = write!(o, "<h2>{}</h2>", tr("ppc_heading"));
            for (section, key) in PPC_SECTIONS {
                let _ = write!(o, "<h3>{}</h3>", tr(key));
                match *key {
                    "outline" => {
                        narrative(case, lang, section, &mut o)?;
                        outline_data(&mut o);
                    }
                    _ => narrative(case, lang, section, &mut o)?,
                }
                if *key == "outline" {
                    let _ = write!(o, "<h3>{}</h3>", tr("items"));
                    o.push_str(&format!(
                        "<p><span class=\"from-case\">{}</span></p>",
                        tr("from_case")
                    ));
                    items_table(&mut o);
                    let _ = write!(o, "<h3>{}</h3>", tr("persons"));
                    persons_block(&mut o);
                }
            }
        }
        ReportLayout::Gdpr => {
            let _ = write!(o, "<h2>{}</h2>", tr("gdpr_heading"));
            for (section, key) in GDPR_SECTIONS {
                let _ = write!(o, "<h3>{}</h3>", tr(key));
                narrative(case, lang, section, &mut o)?;
                if *key == "gdpr_nature" {
                    outline_data(&mut o);
                    items_table(&mut o);
                    persons_block(&mut o);
                }
            }
        }
    }

    // --- Findings.
    let _ = write!(o, "<h2>{}</h2>", tr("findings"));
    o.push_str(&super::findings_section(case, opts, zone)?);

    // --- Timeline picture.
    let _ = write!(o, "<h2>{}</h2>", tr("timeline"));
    o.push_str(&timeline_chart(case, tally, zone)?);
    let _ = write!(o, "<p class=\"note\">{}</p>", tr("timeline_note"));

    // --- Actors.
    let _ = write!(
        o,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr>",
        tr("actors"),
        tr("person"),
        tr("organization"),
        tr("actor_country"),
        tr("access_events"),
        tr("refused"),
        tr("subjects"),
        tr("first"),
        tr("last")
    );
    for a in tally.actors.values() {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&a.label),
            esc(&a.organization),
            esc(&a.country),
            num(a.access_events),
            num(a.refused),
            num(a.subjects.len() as u64),
            esc(&when(a.first_us, zone)),
            esc(&when(a.last_us, zone))
        );
    }
    o.push_str("</table>");

    // Systems.
    let _ = write!(
        o,
        "<h3>{}</h3><table><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th></tr>",
        tr("systems"),
        tr("system"),
        tr("storage_country"),
        tr("access_events")
    );
    for (id, n) in &tally.systems {
        let s = lookups.systems.get(id);
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(s.map_or("?", |s| &s.name)),
            esc(s.and_then(|s| s.country.as_deref()).unwrap_or("")),
            num(*n)
        );
    }
    o.push_str("</table>");

    // --- Annotations.
    let _ = write!(o, "<h2>{}</h2>", tr("annotations"));
    let notes = case.annotations().list()?;
    if notes.is_empty() {
        let _ = write!(o, "<p>{}</p>", tr("no_annotations"));
    } else {
        let _ = write!(
            o,
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            tr("target"),
            tr("kind"),
            tr("text"),
            tr("author"),
            tr("at")
        );
        for a in &notes {
            let target = match a.target {
                AnnotationTarget::Event(id) => format!("{} {id}", t(lang, "event_id")),
                AnnotationTarget::Range { from_us, to_us } => format!(
                    "{} {} — {}",
                    t(lang, "range"),
                    when(from_us, zone),
                    when(to_us, zone)
                ),
            };
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&target),
                esc(a.kind.as_str()),
                esc(&redactor.text(&a.text, false)),
                esc(&a.author),
                esc(&when(a.created_us, zone))
            );
        }
        o.push_str("</table>");
    }

    // --- Appendix A: chronology per person.
    let _ = write!(
        o,
        "<h2 class=\"appendix\">{}</h2><p class=\"note\">{} ({})</p>",
        tr("appendix"),
        tr("appendix_note"),
        esc(&opts.zone)
    );
    for a in tally.actors.values() {
        let _ = write!(
            o,
            "<h3>{}</h3><table><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr>",
            esc(&a.label),
            tr("date"),
            tr("period"),
            tr("access_events"),
            tr("refused"),
            tr("subjects"),
            tr("systems"),
            tr("category")
        );
        for (date, d) in &a.days {
            let systems: Vec<String> = d
                .systems
                .iter()
                .map(|(s, n)| format!("{s} ({n})"))
                .collect();
            let cats = vocab
                .names(crate::model::CategorySet(d.categories))
                .iter()
                .map(|c| super::i18n::category(lang, c))
                .collect::<Vec<_>>()
                .join(", ");
            let span = format!(
                "{} — {}",
                when(d.first_us, zone).get(11..19).unwrap_or(""),
                when(d.last_us, zone).get(11..19).unwrap_or("")
            );
            let _ = write!(
                o,
                "<tr><td>{date}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
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

    // --- Appendix B: methodology.
    let _ = write!(
        o,
        "<h2 class=\"appendix\">{}</h2><h3>{}</h3><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>SHA-256</th></tr>",
        tr("methodology"),
        tr("sources"),
        tr("file"),
        tr("kind_src"),
        tr("format"),
        tr("zone"),
        tr("rows_read"),
        tr("rows_imported"),
        tr("rows_rejected")
    );
    for s in case.sources().list()? {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{} ({})</td><td>{}<br><span class=\"note\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"hash\">{}</td></tr>",
            esc(&s.file_name),
            esc(&s.kind),
            esc(&s.format),
            esc(&s.encoding),
            esc(&s.zone),
            esc(&s.time_rule),
            num(s.rows_read.max(0) as u64),
            num(s.rows_imported.max(0) as u64),
            num(s.rows_rejected.max(0) as u64),
            esc(&s.sha256)
        );
    }
    o.push_str("</table>");
    let _ = write!(
        o,
        "<h3>{}</h3><p>{}</p><h3>{}</h3>{}",
        tr("definitions"),
        tr("def_access"),
        tr("rule_params"),
        super::rule_params_section(case, lang)?
    );
    let _ = write!(
        o,
        "<table class=\"meta\"><tr><td>{}</td><td>{}</td></tr><tr><td>{}</td><td>retrace {}</td></tr><tr><td>{}</td><td><span class=\"hash\">{}</span> ({} entries)</td></tr><tr><td>{}</td><td><span class=\"hash\">{}</span></td></tr></table>",
        tr("display_zone"),
        esc(&opts.zone),
        tr("tool"),
        env!("CARGO_PKG_VERSION"),
        tr("custody_head"),
        esc(&head),
        entries,
        tr("custody_signature"),
        esc(&head_signature)
    );
    o.push_str("</body></html>\n");
    Ok(o)
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
        esc(t(lang, "by_country_chart"))
    );
    let _ = write!(
        s,
        "<text x=\"0\" y=\"14\" font-size=\"12\" fill=\"#5b6475\">{}</text>",
        esc(t(lang, "by_country_chart"))
    );
    for (i, (c, n)) in rows.iter().enumerate() {
        let y = 24 + i as i64 * bar_h;
        let w = (*n as f64 / max as f64 * 440.0).max(1.0);
        let label = if c.is_empty() { "?" } else { c.as_str() };
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text><rect x=\"110\" y=\"{y}\" width=\"{w:.1}\" height=\"16\" fill=\"#1f5fbf\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{}</text>",
            y + 13,
            esc(label),
            116.0 + w,
            y + 13,
            num(*n)
        );
    }
    s.push_str("</svg></figure>");
    s
}

/// Stacked monthly bars by organization, with milestones as red rules.
fn timeline_chart(case: &Case, tally: &Tally, zone: Tz) -> Result<String> {
    if tally.months.is_empty() {
        return Ok(String::new());
    }
    const PALETTE: [&str; 8] = [
        "#1f5fbf", "#d9822b", "#2e9e5b", "#b3261e", "#7b52ab", "#0f8b8d", "#8c6d1f", "#5b6475",
    ];
    let (&(y0, m0), _) = tally
        .months
        .iter()
        .next()
        .unwrap_or((&(1970, 1), &Default::default()));
    let (&(y1, m1), _) = tally
        .months
        .iter()
        .next_back()
        .unwrap_or((&(1970, 1), &Default::default()));
    let index = |y: i32, m: u32| (y - y0) as i64 * 12 + m as i64 - m0 as i64;
    let months = index(y1, m1) + 1;
    let mut org_totals: std::collections::BTreeMap<&str, u64> = Default::default();
    for orgs in tally.months.values() {
        for (o, n) in orgs {
            *org_totals.entry(o).or_default() += n;
        }
    }
    let mut orgs: Vec<(&str, u64)> = org_totals.into_iter().collect();
    orgs.sort_by_key(|o| std::cmp::Reverse(o.1));
    let colour = |org: &str| {
        orgs.iter()
            .position(|(o, _)| *o == org)
            .map_or(PALETTE[7], |i| PALETTE[i.min(7)])
    };
    let max = tally
        .months
        .values()
        .map(|o| o.values().sum::<u64>())
        .max()
        .unwrap_or(1)
        .max(1);
    let (w, h, left, top, plot_h) = (1000.0, 340.0, 50.0, 60.0, 200.0);
    let col_w = (w - left - 10.0) / months as f64;
    let mut s = format!(
        "<figure class=\"figure\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 {w} {}\" role=\"img\">",
        h + 22.0 * ((orgs.len().min(8) as f64 / 3.0).ceil())
    );
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">0</text>",
        top + plot_h,
        w - 10.0,
        top + plot_h,
        left - 4.0,
        top + 10.0,
        num(max),
        left - 4.0,
        top + plot_h
    );
    for ((y, m), by_org) in &tally.months {
        let x = left + index(*y, *m) as f64 * col_w;
        let mut base = top + plot_h;
        for (org, n) in by_org {
            let bh = *n as f64 / max as f64 * plot_h;
            base -= bh;
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{base:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{}\"><title>{y}-{m:02} {}: {n}</title></rect>",
                (col_w - 1.0).max(0.5),
                colour(org),
                esc(org)
            );
        }
    }
    // Year labels.
    for y in y0..=y1 {
        let i = index(y, 1).max(0);
        let x = left + i as f64 * col_w;
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#888\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"11\">{y}</text>",
            top + plot_h,
            top + plot_h + 5.0,
            x + 2.0,
            top + plot_h + 16.0
        );
    }
    // Milestones.
    for (k, ms) in case.people().milestones()?.iter().enumerate() {
        let local = chrono::TimeZone::from_utc_datetime(
            &zone,
            &chrono::DateTime::from_timestamp_micros(ms.at_us)
                .unwrap_or_default()
                .naive_utc(),
        );
        use chrono::Datelike;
        let i = index(local.year(), local.month());
        if i < 0 || i >= months {
            continue;
        }
        let x = left + (i as f64 + f64::from(local.day()) / 31.0) * col_w;
        let _ = write!(
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
    // Legend.
    for (i, (org, n)) in orgs.iter().take(8).enumerate() {
        let x = left + (i % 3) as f64 * 310.0;
        let y = h - 40.0 + (i / 3) as f64 * 20.0;
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{} ({})</text>",
            colour(org),
            x + 16.0,
            y + 10.0,
            esc(&org.chars().take(42).collect::<String>()),
            num(*n)
        );
    }
    s.push_str("</svg></figure>");
    Ok(s)
}
