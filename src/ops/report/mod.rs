//! The regulator report: one self-contained HTML file (inline CSS and SVG, no script, prints
//! cleanly to PDF from a browser), in English or Japanese from the same data. It holds the
//! items of a breach report to Japan's PPC (or the GDPR Art. 33 layout): data-derived items
//! computed from the events of the export's scope, narrative items the investigator wrote in
//! the app (`report_text`); findings; a timeline picture; the investigator's annotations; a
//! chronology per person; and the methodology (sources with SHA-256, format, zone, counts;
//! rule parameters; display zone; tool version). Every name from the case is HTML-escaped.

mod html;
pub mod i18n;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::ControlFlow;

use anyhow::{Result, bail};
use chrono::{Datelike, TimeZone};
use chrono_tz::Tz;

use crate::case::{Case, EventSelection, ExportEvent, ExportLookups};
use crate::jobs::{CancelToken, ProgressSink};
use crate::model::Rule;
use crate::model::time::parse_zone;
use crate::ops::export::{ExportScope, Lang, RedactionMode, Redactor, ReportLayout};

/// Narrative sections of each layout: (report_text section key, i18n heading key).
pub const PPC_SECTIONS: &[(&str, &str)] = &[
    ("ppc.outline", "outline"),
    ("ppc.cause", "cause"),
    ("ppc.secondary_damage", "secondary"),
    ("ppc.response", "response"),
    ("ppc.announcement", "announcement"),
    ("ppc.recurrence_prevention", "prevention"),
];

pub const GDPR_SECTIONS: &[(&str, &str)] = &[
    ("gdpr.nature", "gdpr_nature"),
    ("gdpr.contact", "gdpr_contact"),
    ("gdpr.consequences", "gdpr_consequences"),
    ("gdpr.measures", "gdpr_measures"),
];

/// Every narrative section the app lets the investigator edit.
pub fn narrative_sections() -> impl Iterator<Item = (&'static str, &'static str)> {
    PPC_SECTIONS.iter().chain(GDPR_SECTIONS).copied()
}

#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub lang: Lang,
    pub layout: ReportLayout,
    pub zone: String,
    pub redaction: RedactionMode,
    pub scope: ExportScope,
    pub investigator: String,
}

pub struct BuiltReport {
    pub html: String,
    /// Events in scope (unit: events).
    pub rows: u64,
}

/// What the report counts, from one pass over the scope's events.
#[derive(Debug, Default)]
pub struct Tally {
    pub events: u64,
    pub access_events: u64,
    pub refused: u64,
    pub first_us: Option<i64>,
    pub last_us: Option<i64>,
    /// Distinct subjects touched by access events.
    pub subjects: HashSet<i64>,
    /// Category bit -> (access events, distinct subjects).
    pub categories: BTreeMap<u32, (u64, HashSet<i64>)>,
    /// Actor (person key or `account:NAME`) -> figures.
    pub actors: BTreeMap<String, ActorTally>,
    /// (year, month) in the display zone -> organization -> access events.
    pub months: BTreeMap<(i32, u32), BTreeMap<String, u64>>,
    /// System id -> access events.
    pub systems: BTreeMap<i64, u64>,
}

#[derive(Debug, Default)]
pub struct ActorTally {
    pub label: String,
    pub organization: String,
    pub country: String,
    pub access_events: u64,
    pub refused: u64,
    pub first_us: i64,
    pub last_us: i64,
    pub subjects: HashSet<i64>,
    /// Day (display zone) -> figures.
    pub days: BTreeMap<chrono::NaiveDate, DayTally>,
}

#[derive(Debug, Default)]
pub struct DayTally {
    pub access_events: u64,
    pub refused: u64,
    pub systems: BTreeMap<String, u64>,
    pub categories: u64,
    pub subjects: HashSet<i64>,
    pub first_us: i64,
    pub last_us: i64,
}

impl Tally {
    /// Counts one event of the scope: for the case, its actor and the actor's day.
    fn add(&mut self, e: &ExportEvent, lookups: &ExportLookups, zone: Tz) {
        let access = crate::analysis::is_access(e.outcome);
        let (actor_key, label, org, country) = actor_of(e, lookups);
        let local = zone.from_utc_datetime(
            &chrono::DateTime::from_timestamp_micros(e.ts_us)
                .unwrap_or_default()
                .naive_utc(),
        );
        let subjects: Vec<i64> = e
            .subject_ids
            .map(|s| {
                s.split_ascii_whitespace()
                    .filter_map(|x| x.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        let actor = self.actors.entry(actor_key).or_insert_with(|| ActorTally {
            label,
            organization: org.clone(),
            country,
            first_us: e.ts_us,
            last_us: e.ts_us,
            ..Default::default()
        });
        actor.first_us = actor.first_us.min(e.ts_us);
        actor.last_us = actor.last_us.max(e.ts_us);
        let day = actor
            .days
            .entry(local.date_naive())
            .or_insert_with(|| DayTally {
                first_us: e.ts_us,
                last_us: e.ts_us,
                ..Default::default()
            });
        day.first_us = day.first_us.min(e.ts_us);
        day.last_us = day.last_us.max(e.ts_us);
        self.first_us = Some(self.first_us.map_or(e.ts_us, |f| f.min(e.ts_us)));
        self.last_us = Some(self.last_us.map_or(e.ts_us, |l| l.max(e.ts_us)));
        if !access {
            self.refused += 1;
            actor.refused += 1;
            day.refused += 1;
            return;
        }
        self.access_events += 1;
        actor.access_events += 1;
        day.access_events += 1;
        day.categories |= e.categories;
        if let Some(s) = e.system_id.and_then(|id| lookups.systems.get(&id)) {
            *day.systems.entry(s.name.clone()).or_default() += 1;
        }
        if let Some(id) = e.system_id {
            *self.systems.entry(id).or_default() += 1;
        }
        let org_label = if org.is_empty() {
            "—".to_string()
        } else {
            org
        };
        *self
            .months
            .entry((local.year(), local.month()))
            .or_default()
            .entry(org_label)
            .or_default() += 1;
        for bit in crate::model::CategorySet(e.categories).bits() {
            let c = self.categories.entry(bit).or_default();
            c.0 += 1;
            c.1.extend(subjects.iter().copied());
        }
        self.subjects.extend(subjects.iter().copied());
        actor.subjects.extend(subjects.iter().copied());
        day.subjects.extend(subjects.iter().copied());
    }
}

/// The event's actor: key, label, organization and country (a person, else the account).
fn actor_of(e: &ExportEvent, lookups: &ExportLookups) -> (String, String, String, String) {
    let account = e.account_id.and_then(|id| lookups.accounts.get(&id));
    let person = account
        .and_then(|a| a.person_id)
        .and_then(|id| lookups.persons.get(&id));
    match (person, account) {
        (Some(p), _) => (
            p.key.clone(),
            format!("{} ({})", p.display_name, p.key),
            p.organization.clone().unwrap_or_default(),
            p.country.clone().unwrap_or_default(),
        ),
        (None, Some(a)) => (
            format!("account:{}", a.name),
            a.name.clone(),
            String::new(),
            String::new(),
        ),
        (None, None) => ("account:".into(), "—".into(), String::new(), String::new()),
    }
}

/// Counts the scope's events for the report.
pub fn tally(
    case: &Case,
    selection: &EventSelection,
    zone: Tz,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<Tally> {
    let lookups = case.export().export_lookups()?;
    let total = case.export().selection_count(selection)?;
    let mut t = Tally::default();
    let mut cancelled = false;
    case.export().for_each_export_event(selection, |e| {
        t.events += 1;
        if t.events.is_multiple_of(16_384) {
            progress.report("report", t.events, total);
            if cancel.is_cancelled() {
                cancelled = true;
                return ControlFlow::Break(());
            }
        }
        t.add(e, &lookups, zone);
        ControlFlow::Continue(())
    })?;
    if cancelled {
        bail!("report cancelled");
    }
    progress.report("report", t.events, total.max(t.events));
    Ok(t)
}

/// Builds the report for the scope's events.
pub fn build_report(
    case: &Case,
    selection: &EventSelection,
    opts: &ReportOptions,
    redactor: &Redactor,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<BuiltReport> {
    let zone = parse_zone(&opts.zone).map_err(anyhow::Error::msg)?;
    let tally = tally(case, selection, zone, progress, cancel)?;
    let html = html::render(case, &tally, opts, zone, redactor)?;
    Ok(BuiltReport {
        html,
        rows: tally.events,
    })
}

/// Subject id -> country, for the "persons affected by country" item.
pub fn subjects_by_country(case: &Case, subjects: &HashSet<i64>) -> Result<Vec<(String, u64)>> {
    let lookups = case.export().export_lookups()?;
    let mut by: HashMap<String, u64> = HashMap::new();
    for id in subjects {
        let c = lookups
            .subjects
            .get(id)
            .and_then(|s| s.country.clone())
            .unwrap_or_default();
        *by.entry(c).or_default() += 1;
    }
    let mut v: Vec<(String, u64)> = by.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(v)
}

/// Definitions of the findings rules, for the report (same wording as the README).
fn rule_definition(lang: Lang, rule: Rule) -> &'static str {
    let (en, ja) = match rule {
        Rule::CrossBorder => (
            "A session in which a person who works in one country accessed a system that stores its data in another.",
            "ある国で勤務する者が、別の国にデータを保存するシステムにアクセスしたセッション。",
        ),
        Rule::OutsideApproval => (
            "A session with an access that no approval of the person covers (that system, valid from ≤ time ≤ valid to).",
            "当該者の承認（同じシステム、有効期間内）で説明できないアクセスを含むセッション。",
        ),
        Rule::Unsupervised => (
            "A covered session whose approval names an overseer with no activity on the same system within the window around the session.",
            "承認はあるが、承認で指定された監督者に、セッション前後の時間枠内で同じシステムへの操作がないセッション。",
        ),
        Rule::AfterRevocation => (
            "Accesses, and separately refused attempts, after an access_revoked milestone that covers the person.",
            "アクセス権の取消し後に行われたアクセス（拒否された試行は別に数える）。",
        ),
        Rule::OffHours => (
            "A session outside working hours in the person's own zone.",
            "当該者の勤務地の時刻で勤務時間外のセッション。",
        ),
        Rule::Bulk => (
            "A session that touches many records: over a fixed threshold or far above the person's norm.",
            "大量の記録に触れたセッション（固定の閾値超、または本人の通常を大きく上回る）。",
        ),
        Rule::NewReach => (
            "The first touch of a system or data category after the person's baseline period.",
            "基準期間の後に初めて触れたシステム又はデータ項目。",
        ),
        Rule::CoverageGap => (
            "A silence of an access source far longer than is normal for it, or a period outside declared retention; counts that overlap one are \"at least\".",
            "アクセスログの通常より著しく長い欠落、又は保存期間外の期間。これと重なる件数は「少なくとも」となる。",
        ),
    };
    match lang {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

/// The findings of the scope: for persons, theirs; for a finding's evidence, that finding;
/// otherwise all.
fn findings_in_scope(
    case: &Case,
    scope: &ExportScope,
) -> Result<Vec<crate::analysis::findings::Finding>> {
    use crate::analysis::findings;
    let params = findings::Params::from_case(case)?;
    let set = findings::run(case, &params)?;
    Ok(match scope {
        ExportScope::Persons(keys) => set
            .findings
            .into_iter()
            .filter(|f| f.person_keys.iter().any(|k| keys.contains(k)))
            .collect(),
        ExportScope::Events { label, ids } => {
            let ids: HashSet<i64> = ids.iter().copied().collect();
            let exact: Vec<_> = set
                .findings
                .iter()
                .filter(|f| label.contains(&f.key))
                .cloned()
                .collect();
            if exact.is_empty() {
                set.findings
                    .into_iter()
                    .filter(|f| f.evidence.iter().any(|e| ids.contains(e)))
                    .collect()
            } else {
                exact
            }
        }
        _ => set.findings,
    })
}

/// The findings section: every finding of the scope with its rule's definition, its count with
/// the unit ("at least" where a coverage gap overlaps it) and its disposition.
pub fn findings_section(case: &Case, opts: &ReportOptions, zone: Tz) -> Result<String> {
    use std::fmt::Write;
    let lang = opts.lang;
    let tr = |k: &'static str| html::esc(i18n::t(lang, k));
    let list = findings_in_scope(case, &opts.scope)?;
    if list.is_empty() {
        return Ok(format!("<p>{}</p>", tr("findings_none")));
    }
    let mut o = String::new();
    // Per rule: definition and how many findings.
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th></tr>",
        tr("rule"),
        tr("definition"),
        tr("findings_unit")
    );
    for rule in crate::analysis::findings::RULES {
        let n = list.iter().filter(|f| f.rule == *rule).count();
        if n == 0 {
            continue;
        }
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{n}</td></tr>",
            html::esc(rule.as_str()),
            html::esc(rule_definition(lang, *rule))
        );
    }
    o.push_str("</table>");
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{} ({})</th><th>{}</th><th>{}</th></tr>",
        tr("rule"),
        tr("severity"),
        tr("finding"),
        tr("persons_col"),
        tr("period"),
        html::esc(&opts.zone),
        tr("count"),
        tr("disposition")
    );
    for f in &list {
        let phrase = crate::analysis::findings::count_phrase(f.count, f.unit.as_str(), false);
        let count = if f.at_least {
            format!("{} {phrase}", i18n::t(lang, "at_least"))
        } else {
            phrase
        };
        let disposition = match &f.disposition {
            Some(d) => format!(
                "{} — {} ({}, {})",
                d.status,
                d.note,
                d.author,
                crate::model::time::format_in_zone(d.at_us, zone)
            ),
            None => "open".to_string(),
        };
        // The first two sentences: the rest of an explanation repeats the rule's context,
        // which the definitions above give once.
        let short: String = {
            let mut end = f.explanation.len();
            let mut seen = 0;
            for (i, _) in f.explanation.match_indices(". ") {
                seen += 1;
                if seen == 2 {
                    end = i + 1;
                    break;
                }
            }
            f.explanation[..end].to_string()
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}<br><span class=\"note\">{} · {} · <span class=\"hash\">{}</span></span></td><td>{}</td><td class=\"period\">{}</td><td>{}</td><td>{}</td></tr>",
            html::esc(f.rule.as_str()),
            html::esc(f.severity.as_str()),
            html::esc(&f.title),
            html::esc(&short),
            html::esc(&i18n::count(
                lang,
                f.evidence.len() as u64,
                "evidence_event",
                "evidence_events"
            )),
            html::esc(&f.key),
            html::esc(&f.person_keys.join(", ")),
            html::esc(&period(f.start_us, f.end_us, zone)),
            html::esc(&count),
            html::esc(&disposition)
        );
    }
    o.push_str("</table>");
    Ok(o)
}

/// `2018-08-12 11:55–12:14` within a day, else both ends with their dates (display zone).
fn period(start_us: i64, end_us: i64, zone: Tz) -> String {
    let a = crate::model::time::format_in_zone(start_us, zone);
    let b = crate::model::time::format_in_zone(end_us, zone);
    let (da, db) = (a.get(..10).unwrap_or(""), b.get(..10).unwrap_or(""));
    let hm = |s: &str| s.get(11..16).unwrap_or("").to_string();
    if da == db {
        format!("{da} {}–{}", hm(&a), hm(&b))
    } else {
        format!("{da} {} – {db} {}", hm(&a), hm(&b))
    }
}

/// The rules' parameters in force (defaults with the case's overrides), with what each means.
pub fn rule_params_section(case: &Case, _lang: Lang) -> Result<String> {
    use std::fmt::Write;
    let params = crate::analysis::findings::Params::from_case(case)?;
    let mut o = String::from("<table><tr><th>parameter</th><th>value</th><th>meaning</th></tr>");
    for s in crate::analysis::findings::SPECS {
        let v = params
            .get(s.rule, s.key)
            .map(|v| v.to_string())
            .unwrap_or_default();
        let _ = write!(
            o,
            "<tr><td>{}.{}</td><td>{}</td><td>{}</td></tr>",
            html::esc(s.rule),
            html::esc(s.key),
            html::esc(&v),
            html::esc(s.description)
        );
    }
    o.push_str("</table>");
    Ok(o)
}
