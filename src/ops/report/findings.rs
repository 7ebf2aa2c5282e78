//! The report's findings: grouped as the app groups them (rule × person × systems, one row
//! per group with its counts, not one line per finding), the dismissed groups with their
//! reasons, and the basis of the "number of persons" it gives the regulator: every data
//! subject an access event of the scope touched (routine access included), against those the
//! evidence of confirmed findings, and of findings not dismissed, reached.

use std::collections::HashSet;
use std::fmt::Write;

use anyhow::Result;
use chrono_tz::Tz;

use super::ReportOptions;
use super::html::{esc, num};
use super::i18n::t;
use crate::analysis::findings::Finding;
use crate::analysis::findings::triage::{self, EvidenceSubjects, FindingGroup, GroupBy, ReachedBy};
use crate::case::Case;
use crate::model::Rule;
use crate::ops::export::{ExportScope, Lang};

/// Up to this many findings the report also lists each one; more are only grouped.
const LIST_EACH_UP_TO: usize = 40;

/// The findings of the report's scope, with the data subjects their evidence reached.
pub struct ReportFindings {
    pub list: Vec<Finding>,
    pub subjects: EvidenceSubjects,
}

impl ReportFindings {
    /// Runs the rules (the case's parameters) and keeps the scope's findings.
    pub fn load(case: &Case, scope: &ExportScope) -> Result<ReportFindings> {
        let list = findings_in_scope(case, scope)?;
        let set = crate::analysis::findings::FindingSet {
            params: Default::default(),
            findings: list,
            reached_from_abroad: Vec::new(),
            coverage: Vec::new(),
            events_scanned: 0,
        };
        let subjects = EvidenceSubjects::load(case, &set)?;
        Ok(ReportFindings {
            list: set.findings,
            subjects,
        })
    }

    pub fn groups(&self) -> Vec<FindingGroup> {
        let refs: Vec<&Finding> = self.list.iter().collect();
        triage::group(&refs, GroupBy::Person, Some(&self.subjects))
    }

    pub fn reached(&self) -> ReachedBy {
        let refs: Vec<&Finding> = self.list.iter().collect();
        triage::reached_by(&refs, &self.subjects)
    }
}

/// Definitions of the findings rules, for the report (same wording as the README).
fn rule_definition(lang: Lang, rule: Rule) -> String {
    let id = match rule {
        Rule::CrossBorder => "report-rule-def-cross-border",
        Rule::OutsideApproval => "report-rule-def-outside-approval",
        Rule::Unsupervised => "report-rule-def-unsupervised",
        Rule::AfterRevocation => "report-rule-def-after-revocation",
        Rule::OffHours => "report-rule-def-off-hours",
        Rule::Bulk => "report-rule-def-bulk",
        Rule::NewReach => "report-rule-def-new-reach",
        Rule::CoverageGap => "report-rule-def-coverage-gap",
    };
    t(lang, id)
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

/// The findings section: per rule its definition and counts; one row per group (rule ×
/// person × systems) with findings, evidence events, data subjects reached, period and
/// status; the dismissed groups with their reasons; and, for a short list, each finding.
pub fn findings_section(found: &ReportFindings, opts: &ReportOptions, zone: Tz) -> String {
    let lang = opts.lang;
    let list = &found.list;
    if list.is_empty() {
        return format!("<p>{}</p>", esc(&t(lang, "report-findings-none")));
    }
    let groups = found.groups();
    let mut o = String::new();
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr>",
        esc(&t(lang, "report-rule")),
        esc(&t(lang, "report-definition")),
        esc(&t(lang, "report-findings-unit")),
        esc(&t(lang, "report-groups-unit"))
    );
    for rule in crate::analysis::findings::RULES {
        let n = list.iter().filter(|f| f.rule == *rule).count();
        if n == 0 {
            continue;
        }
        let g = groups.iter().filter(|g| g.rule == *rule).count();
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{n}</td><td class=\"num\">{g}</td></tr>",
            esc(&rule.name_in(lang)),
            esc(&rule_definition(lang, *rule))
        );
    }
    o.push_str("</table>");
    let (dismissed, kept): (Vec<&FindingGroup>, Vec<&FindingGroup>) =
        groups.iter().partition(|g| g.all_dismissed());
    let _ = write!(
        o,
        "<h3>{}</h3><p class=\"note\">{}</p>",
        esc(&t(lang, "report-groups-heading")),
        esc(&t(lang, "report-groups-note"))
    );
    groups_table(&mut o, &kept, lang, zone, opts);
    if !dismissed.is_empty() {
        let _ = write!(o, "<h3>{}</h3>", esc(&t(lang, "report-dismissed-heading")));
        dismissed_table(&mut o, &dismissed, lang);
    }
    if list.len() <= LIST_EACH_UP_TO {
        let _ = write!(o, "<h3>{}</h3>", esc(&t(lang, "report-each-finding")));
        each_finding(&mut o, list, lang, zone, opts);
    } else {
        let _ = write!(
            o,
            "<p class=\"note\">{}</p>",
            super::html::esc_with_code(
                &crate::tr!(
                    lang,
                    "report-each-finding-elsewhere",
                    command = super::html::CODE
                ),
                "retrace findings CASE --json"
            )
        );
    }
    o
}

fn groups_table(
    o: &mut String,
    groups: &[&FindingGroup],
    lang: Lang,
    zone: Tz,
    opts: &ReportOptions,
) {
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{} ({})</th><th>{}</th></tr>",
        esc(&t(lang, "report-rule")),
        esc(&t(lang, "report-severity")),
        esc(&t(lang, "report-persons-col")),
        esc(&t(lang, "report-systems-col")),
        esc(&t(lang, "report-findings-unit")),
        esc(&t(lang, "report-evidence-events-col")),
        esc(&t(lang, "report-subjects-reached-col")),
        esc(&t(lang, "report-period")),
        esc(&opts.zone),
        esc(&t(lang, "report-disposition"))
    );
    for g in groups {
        let at_least = if g.at_least {
            format!("{} ", t(lang, "report-at-least"))
        } else {
            String::new()
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{at_least}{}</td><td class=\"num\">{at_least}{}</td><td class=\"period\">{}</td><td>{}</td></tr>",
            esc(&g.rule.name_in(lang)),
            esc(&crate::analysis::findings::severity_in(lang, g.severity)),
            esc(&g.who.replace('+', ", ")),
            esc(&g.systems.replace('+', ", ")),
            num(g.finding_keys.len() as u64),
            num(g.events),
            num(g.subjects.unwrap_or(0)),
            esc(&period(lang, g.first_us, g.last_us, zone)),
            esc(&g.status_text_in(lang))
        );
    }
    o.push_str("</table>");
}

fn dismissed_table(o: &mut String, groups: &[&FindingGroup], lang: Lang) {
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th></tr>",
        esc(&t(lang, "report-rule")),
        esc(&t(lang, "report-persons-col")),
        esc(&t(lang, "report-systems-col")),
        esc(&t(lang, "report-findings-unit")),
        esc(&t(lang, "report-subjects-reached-col")),
        esc(&t(lang, "report-reason"))
    );
    for g in groups {
        let reasons = if g.dismissal_notes.is_empty() {
            t(lang, "report-no-reason")
        } else {
            g.dismissal_notes.join(" / ")
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&g.rule.name_in(lang)),
            esc(&g.who.replace('+', ", ")),
            esc(&g.systems.replace('+', ", ")),
            num(g.finding_keys.len() as u64),
            num(g.subjects.unwrap_or(0)),
            esc(&reasons)
        );
    }
    o.push_str("</table>");
}

/// Each finding with its rule, severity, title, explanation, persons, period, count with unit
/// and disposition (only for a short list).
fn each_finding(o: &mut String, list: &[Finding], lang: Lang, zone: Tz, opts: &ReportOptions) {
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{} ({})</th><th>{}</th><th>{}</th></tr>",
        esc(&t(lang, "report-rule")),
        esc(&t(lang, "report-severity")),
        esc(&t(lang, "report-finding")),
        esc(&t(lang, "report-persons-col")),
        esc(&t(lang, "report-period")),
        esc(&opts.zone),
        esc(&t(lang, "report-count")),
        esc(&t(lang, "report-disposition"))
    );
    for f in list {
        let phrase = crate::analysis::findings::unit_count(lang, f.unit, f.count);
        let count = if f.at_least {
            format!("{} {phrase}", t(lang, "report-at-least"))
        } else {
            phrase
        };
        let disposition = match &f.disposition {
            Some(d) => format!(
                "{} — {} ({}, {})",
                crate::analysis::findings::status_in(lang, d.status),
                d.note,
                d.author,
                crate::i18n::format_in_zone(lang, d.at_us, zone)
            ),
            None => {
                crate::analysis::findings::status_in(lang, crate::model::DispositionStatus::Open)
            }
        };
        let explanation = f.explanation_in(lang);
        // The first two sentences: the rest of an explanation repeats the rule's context,
        // which the definitions above give once.
        let short: String = {
            let mut end = explanation.len();
            let mut seen = 0;
            let stops = explanation
                .match_indices(". ")
                .map(|(i, _)| i + 1)
                .chain(explanation.match_indices('。').map(|(i, m)| i + m.len()));
            let mut stops: Vec<usize> = stops.collect();
            stops.sort_unstable();
            for i in stops {
                seen += 1;
                if seen == 2 {
                    end = i;
                    break;
                }
            }
            explanation[..end].to_string()
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}<br><span class=\"note\">{} · {} · <span class=\"hash\">{}</span></span></td><td>{}</td><td class=\"period\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&f.rule.name_in(lang)),
            esc(&crate::analysis::findings::severity_in(lang, f.severity)),
            esc(&f.title_in(lang)),
            esc(&short),
            esc(&crate::tr!(
                lang,
                "report-count-evidence-events",
                count = f.evidence.len()
            )),
            esc(&f.key),
            esc(&f.person_keys.join(", ")),
            esc(&period(lang, f.start_us, f.end_us, zone)),
            esc(&count),
            esc(&disposition)
        );
    }
    o.push_str("</table>");
}

/// What the "number of persons" counts, beside the narrower counts from the findings: the
/// regulator reads which basis each number has.
pub fn persons_basis(lang: Lang, any_access: u64, reached: &ReachedBy) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<p class=\"note\">{}</p><table><tr><th>{}</th><th class=\"num\">{}</th></tr>",
        esc(&t(lang, "report-basis-note")),
        esc(&t(lang, "report-basis")),
        esc(&t(lang, "report-subjects"))
    );
    let rows = [
        (t(lang, "report-basis-any-access"), any_access),
        (
            format!(
                "{} ({})",
                t(lang, "report-basis-not-dismissed"),
                findings_count(lang, reached.not_dismissed_findings)
            ),
            reached.not_dismissed,
        ),
        (
            format!(
                "{} ({})",
                t(lang, "report-basis-confirmed"),
                findings_count(lang, reached.confirmed_findings)
            ),
            reached.confirmed,
        ),
    ];
    for (label, n) in rows {
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(&label),
            num(n)
        );
    }
    o.push_str("</table>");
    o
}

/// "1 finding", "12 findings"; the Japanese counter.
fn findings_count(lang: Lang, n: u64) -> String {
    crate::tr!(lang, "report-count-findings", count = n)
}

/// `2018-08-12 11:55–12:14` within a day, else both ends with their dates (display zone);
/// in Japanese the dates as Japanese write them (`2018年8月12日（日） 11:55–12:14`).
fn period(lang: Lang, start_us: i64, end_us: i64, zone: Tz) -> String {
    let a = crate::model::time::format_in_zone(start_us, zone);
    let b = crate::model::time::format_in_zone(end_us, zone);
    let (da, db) = (a.get(..10).unwrap_or(""), b.get(..10).unwrap_or(""));
    let hm = |s: &str| s.get(11..16).unwrap_or("").to_string();
    let date = |d: &str| match (lang, chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")) {
        (Lang::Ja, Ok(d)) => crate::i18n::format_date(lang, d),
        _ => d.to_string(),
    };
    if da == db {
        format!("{} {}–{}", date(da), hm(&a), hm(&b))
    } else {
        format!("{} {} – {} {}", date(da), hm(&a), date(db), hm(&b))
    }
}
