//! The report's findings: grouped as the app groups them (rule × person × systems, one row
//! per group with its counts, not one line per finding), the dismissed groups with their
//! reasons, and the basis of the "number of persons" it gives the regulator: every data
//! subject an access event of the scope touched (routine access included), against those the
//! evidence of confirmed findings, and of findings not dismissed, reached.

use std::collections::HashSet;
use std::fmt::Write;

use anyhow::Result;
use chrono_tz::Tz;

use super::html::{esc, num};
use super::{ReportOptions, i18n};
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

/// The findings section: per rule its definition and counts; one row per group (rule ×
/// person × systems) with findings, evidence events, data subjects reached, period and
/// status; the dismissed groups with their reasons; and, for a short list, each finding.
pub fn findings_section(found: &ReportFindings, opts: &ReportOptions, zone: Tz) -> String {
    let lang = opts.lang;
    let tr = |k: &'static str| esc(t(lang, k));
    let list = &found.list;
    if list.is_empty() {
        return format!("<p>{}</p>", tr("findings_none"));
    }
    let groups = found.groups();
    let mut o = String::new();
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr>",
        tr("rule"),
        tr("definition"),
        tr("findings_unit"),
        tr("groups_unit")
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
            esc(rule_definition(lang, *rule))
        );
    }
    o.push_str("</table>");
    let (dismissed, kept): (Vec<&FindingGroup>, Vec<&FindingGroup>) =
        groups.iter().partition(|g| g.all_dismissed());
    let _ = write!(
        o,
        "<h3>{}</h3><p class=\"note\">{}</p>",
        tr("groups_heading"),
        tr("groups_note")
    );
    groups_table(&mut o, &kept, lang, zone, opts);
    if !dismissed.is_empty() {
        let _ = write!(o, "<h3>{}</h3>", tr("dismissed_heading"));
        dismissed_table(&mut o, &dismissed, lang);
    }
    if list.len() <= LIST_EACH_UP_TO {
        let _ = write!(o, "<h3>{}</h3>", tr("each_finding"));
        each_finding(&mut o, list, lang, zone, opts);
    } else {
        let _ = write!(o, "<p class=\"note\">{}</p>", tr("each_finding_elsewhere"));
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
    let tr = |k: &'static str| esc(t(lang, k));
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{} ({})</th><th>{}</th></tr>",
        tr("rule"),
        tr("severity"),
        tr("persons_col"),
        tr("systems_col"),
        tr("findings_unit"),
        tr("evidence_events_col"),
        tr("subjects_reached_col"),
        tr("period"),
        esc(&opts.zone),
        tr("disposition")
    );
    for g in groups {
        let at_least = if g.at_least {
            format!("{} ", t(lang, "at_least"))
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
            esc(&period(g.first_us, g.last_us, zone)),
            esc(&g.status_text_in(lang))
        );
    }
    o.push_str("</table>");
}

fn dismissed_table(o: &mut String, groups: &[&FindingGroup], lang: Lang) {
    let tr = |k: &'static str| esc(t(lang, k));
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th></tr>",
        tr("rule"),
        tr("persons_col"),
        tr("systems_col"),
        tr("findings_unit"),
        tr("subjects_reached_col"),
        tr("reason")
    );
    for g in groups {
        let reasons = if g.dismissal_notes.is_empty() {
            t(lang, "no_reason").to_string()
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
    let tr = |k: &'static str| esc(t(lang, k));
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{} ({})</th><th>{}</th><th>{}</th></tr>",
        tr("rule"),
        tr("severity"),
        tr("finding"),
        tr("persons_col"),
        tr("period"),
        esc(&opts.zone),
        tr("count"),
        tr("disposition")
    );
    for f in list {
        let phrase = crate::analysis::findings::count_phrase(f.count, f.unit.as_str(), false);
        let count = if f.at_least {
            format!("{} {phrase}", t(lang, "at_least"))
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
            "<tr><td>{}</td><td>{}</td><td>{}<br><span class=\"note\">{} · {} {} · <span class=\"hash\">{}</span></span></td><td>{}</td><td class=\"period\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&f.rule.name_in(lang)),
            esc(&crate::analysis::findings::severity_in(lang, f.severity)),
            esc(&f.title_in(lang)),
            esc(&short),
            f.evidence.len(),
            tr("evidence_events"),
            esc(&f.key),
            esc(&f.person_keys.join(", ")),
            esc(&period(f.start_us, f.end_us, zone)),
            esc(&count),
            esc(&disposition)
        );
    }
    o.push_str("</table>");
}

/// What the "number of persons" counts, beside the narrower counts from the findings: the
/// regulator reads which basis each number has.
pub fn persons_basis(lang: Lang, any_access: u64, reached: &ReachedBy) -> String {
    let tr = |k: &'static str| esc(t(lang, k));
    let mut o = String::new();
    let _ = write!(
        o,
        "<p class=\"note\">{}</p><table><tr><th>{}</th><th class=\"num\">{}</th></tr>",
        tr("basis_note"),
        tr("basis"),
        tr("subjects")
    );
    let rows = [
        (t(lang, "basis_any_access").to_string(), any_access),
        (
            format!(
                "{} ({})",
                t(lang, "basis_not_dismissed"),
                findings_count(lang, reached.not_dismissed_findings)
            ),
            reached.not_dismissed,
        ),
        (
            format!(
                "{} ({})",
                t(lang, "basis_confirmed"),
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
    match lang {
        Lang::En => crate::model::plural::count(n, "finding", "findings"),
        Lang::Ja => format!(
            "{} {}",
            crate::model::plural::grouped(n),
            t(lang, "findings_word")
        ),
    }
}

/// The report's text for `key`: the findings' own words first, then the report's.
fn t(lang: Lang, key: &'static str) -> &'static str {
    TEXTS.iter().find(|(k, _, _)| *k == key).map_or_else(
        || i18n::t(lang, key),
        |&(_, en, ja)| match lang {
            Lang::En => en,
            Lang::Ja => ja,
        },
    )
}

/// The words this section adds (English, Japanese).
pub(super) const TEXTS: &[(&str, &str, &str)] = &[
    ("groups_unit", "Groups", "グループ数"),
    (
        "groups_heading",
        "Findings by group",
        "グループ別の検出事項",
    ),
    (
        "groups_note",
        "One row per rule, person and system(s): the findings of the same pattern together, with the number of findings, the distinct evidence events, the distinct data subjects those events reached (access events only), the period and the investigator's decisions.",
        "規則・人物・システムごとに1行とし、同じ型の検出事項をまとめて、検出事項の件数、根拠イベント数（重複なし）、それらのイベントが触れたデータ主体数（アクセスのみ、重複なし）、期間及び調査担当者の判断を示す。",
    ),
    ("systems_col", "Systems", "システム"),
    ("evidence_events_col", "Evidence events", "根拠イベント数"),
    (
        "subjects_reached_col",
        "Data subjects reached",
        "該当データ主体数",
    ),
    (
        "dismissed_heading",
        "Dismissed groups and the reasons",
        "対象外と判断したグループとその理由",
    ),
    ("reason", "Reason", "理由"),
    ("no_reason", "(no reason recorded)", "（理由の記録なし）"),
    ("each_finding", "Each finding", "個別の検出事項"),
    (
        "each_finding_elsewhere",
        "Each finding, with its key and evidence event ids, is in the findings export of the case (retrace findings CASE --json); this report gives the groups.",
        "個々の検出事項（キー及び根拠イベントID）は案件の検出事項出力（retrace findings CASE --json）にあり、本報告書ではグループ単位で示す。",
    ),
    ("basis", "Basis of the count", "計数の基準"),
    (
        "basis_note",
        "The number above counts every data subject whose data an access event in the scope touched, routine access included (refused attempts excluded). The counts below are narrower: the data subjects reached by the evidence events of findings.",
        "上記の人数は、対象範囲のアクセスイベント（通常業務のアクセスを含み、拒否された試行を除く）が触れたすべてのデータ主体を数えたものである。下記はより狭い基準で、検出事項の根拠イベントが触れたデータ主体の数である。",
    ),
    (
        "basis_any_access",
        "touched by any access event in the scope (routine access included)",
        "対象範囲のいずれかのアクセスイベントが触れたもの（通常業務のアクセスを含む）",
    ),
    (
        "basis_not_dismissed",
        "reached by the evidence of findings not dismissed",
        "対象外と判断されていない検出事項の根拠イベントが触れたもの",
    ),
    (
        "basis_confirmed",
        "reached by the evidence of confirmed findings",
        "確認済みの検出事項の根拠イベントが触れたもの",
    ),
    ("findings_word", "findings", "件の検出事項"),
];

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_of_the_findings_section_has_both_languages() {
        let mut seen = HashSet::new();
        for (k, en, ja) in TEXTS {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!en.is_empty() && !ja.is_empty(), "{k}");
            assert!(
                !i18n::TEXTS.iter().any(|(o, _, _)| o == k),
                "{k} is also a key of i18n::TEXTS"
            );
        }
        let src = include_str!("findings.rs");
        for pat in ["tr(\"", "t(lang, \""] {
            for (i, _) in src.match_indices(pat) {
                let before = src[..i].chars().next_back().unwrap_or(' ');
                if before.is_alphanumeric() || before == '_' || before == '"' {
                    continue;
                }
                let rest = &src[i + pat.len()..];
                let key = &rest[..rest.find('"').unwrap()];
                assert_ne!(t(Lang::En, key), key, "no text for key {key:?}");
                assert_ne!(t(Lang::Ja, key), key, "no text for key {key:?}");
            }
        }
    }
}
