//! The regulator report: one self-contained HTML file (inline CSS and SVG, no script, prints
//! cleanly to PDF from a browser), in English or Japanese from the same data. It holds the
//! items of a breach report to Japan's PPC (or the GDPR Art. 33 layout): data-derived items
//! computed from the events of the export's scope, narrative items the investigator wrote in
//! the app (`report_text`); findings; a timeline picture; the investigator's annotations; a
//! chronology per person; and the methodology (sources with SHA-256, format, zone, counts;
//! rule parameters; display zone; tool version). Every name from the case is HTML-escaped.

mod findings;
mod html;
pub mod i18n;
mod rejects;

pub use findings::{ReportFindings, findings_section};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::ControlFlow;

use anyhow::{Result, bail};
use chrono::{Datelike, TimeZone};
use chrono_tz::Tz;

use crate::case::{Case, EventSelection, ExportEvent, ExportLookups};
use crate::jobs::{CancelToken, ProgressSink};
use crate::model::time::parse_zone;
use crate::ops::export::{ExportScope, Lang, RedactionMode, Redactor, ReportLayout};

/// Narrative sections of each layout: (report_text section key, heading message id).
pub const PPC_SECTIONS: &[(&str, &str)] = &[
    ("ppc.outline", "report-outline"),
    ("ppc.cause", "report-cause"),
    ("ppc.secondary_damage", "report-secondary"),
    ("ppc.response", "report-response"),
    ("ppc.announcement", "report-announcement"),
    ("ppc.recurrence_prevention", "report-prevention"),
    ("ppc.other", "report-other"),
];

pub const GDPR_SECTIONS: &[(&str, &str)] = &[
    ("gdpr.nature", "report-gdpr-nature"),
    ("gdpr.contact", "report-gdpr-contact"),
    ("gdpr.consequences", "report-gdpr-consequences"),
    ("gdpr.measures", "report-gdpr-measures"),
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

/// The rules' parameters in force (defaults with the case's overrides), with what each means.
pub fn rule_params_section(case: &Case, lang: Lang) -> Result<String> {
    use std::fmt::Write;
    let params = crate::analysis::findings::Params::from_case(case)?;
    let mut o = format!(
        "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        html::esc(&i18n::t(lang, "report-param")),
        html::esc(&i18n::t(lang, "report-param-value")),
        html::esc(&i18n::t(lang, "report-param-meaning"))
    );
    for s in crate::analysis::findings::SPECS {
        let v = params
            .get(s.rule, s.key)
            .map(|v| v.to_string())
            .unwrap_or_default();
        let _ = write!(
            o,
            "<tr><td><code>{}.{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
            html::esc(s.rule),
            html::esc(s.key),
            html::esc(&v),
            html::esc(&s.description_in(lang))
        );
    }
    o.push_str("</table>");
    Ok(o)
}
