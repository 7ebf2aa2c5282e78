//! `retrace findings` triage: the filters (`--severity --person --org --system
//! --storage-country --status`), `--group` (one row per rule × person × systems, text or
//! JSON) and `--dispose-group` (one decision for a whole group, one custody entry).

use std::process::ExitCode;

use anyhow::{Result, bail};

use super::findings::FindingsArgs;
use crate::analysis::findings::triage::{self, EvidenceSubjects, FindingFilter, GroupBy};
use crate::analysis::findings::{self, Finding, FindingSet, Severity};
use crate::case::Case;
use crate::model::DispositionStatus;
use crate::model::time::format_in_zone;

/// The filter the arguments ask for, and the decision word when the command records one
/// (`--status` is then the decision, not a filter).
pub(super) fn filter_of(
    c: &Case,
    a: &FindingsArgs,
    decides: bool,
) -> Result<(FindingFilter, Option<String>)> {
    let persons = c.people().persons()?;
    let mut f = FindingFilter {
        // An unknown rule is refused by the run, with the rules it knows.
        rules: a.rule.iter().filter_map(|r| r.parse().ok()).collect(),
        systems: a.system.clone(),
        storage_countries: a.storage_country.iter().map(|s| s.to_uppercase()).collect(),
        ..Default::default()
    };
    for s in &a.severity {
        f.severities.push(match s.to_ascii_lowercase().as_str() {
            "high" => Severity::High,
            "medium" => Severity::Medium,
            "low" => Severity::Low,
            "info" => Severity::Info,
            _ => bail!("--severity {s:?} is not one of high, medium, low, info"),
        });
    }
    for p in &a.person {
        let needle = p.to_lowercase();
        let hits: Vec<String> = persons
            .iter()
            .filter(|r| r.key == *p || r.display_name.to_lowercase().contains(&needle))
            .map(|r| r.key.clone())
            .collect();
        // An account a finding names instead of a person (cross_border by source IP).
        f.persons.extend(if hits.is_empty() {
            vec![p.clone()]
        } else {
            hits
        });
    }
    for o in &a.org {
        let needle = o.to_lowercase();
        let mut hits: Vec<String> = persons
            .iter()
            .filter_map(|r| r.organization.clone())
            .filter(|n| n.to_lowercase().contains(&needle))
            .collect();
        hits.sort();
        hits.dedup();
        if hits.is_empty() {
            bail!("--org {o:?}: no organization of the person roster has that in its name");
        }
        f.organizations.extend(hits);
    }
    if decides {
        let [status] = a.status.as_slice() else {
            bail!("--dispose and --dispose-group need one --status confirmed|dismissed|open");
        };
        status
            .parse::<DispositionStatus>()
            .map_err(anyhow::Error::msg)?;
        return Ok((f, Some(status.clone())));
    }
    for s in &a.status {
        f.statuses.push(s.parse().map_err(anyhow::Error::msg)?);
    }
    Ok((f, None))
}

fn group_by(a: &FindingsArgs, key: Option<&str>) -> Result<GroupBy> {
    // A group key says itself whether it groups by organization (`rule|org:NAME|systems`).
    if key
        .and_then(|k| k.split('|').nth(1))
        .is_some_and(|w| w.starts_with("org:"))
    {
        return Ok(GroupBy::Organization);
    }
    Ok(match a.group_by.as_str() {
        "person" => GroupBy::Person,
        "organization" | "org" => GroupBy::Organization,
        other => bail!("--group-by {other:?} is not one of person, organization"),
    })
}

/// `--dispose-group KEY`: one decision for each finding the group holds under the filters.
pub(super) fn dispose_group(
    c: &mut Case,
    set: &mut FindingSet,
    a: &FindingsArgs,
    key: &str,
    status: &str,
    author: &str,
) -> Result<()> {
    let list: Vec<&Finding> = set.findings.iter().collect();
    let groups = triage::group(&list, group_by(a, Some(key))?, None);
    let Some(g) = groups.iter().find(|g| g.key == key) else {
        bail!(
            "{}: no group has the key {key:?} under these filters (list them with `retrace findings {} --group`)",
            a.case.display(),
            a.case.display()
        );
    };
    c.writes()
        .dispose_finding_group(key, &g.finding_keys, status, &a.note, author)?;
    findings::attach_dispositions(&mut set.findings, &c.findings().finding_dispositions()?);
    outln!(
        "recorded {status} for the {} findings of group {key}",
        g.finding_keys.len()
    );
    Ok(())
}

/// `--group`: one row per group, with counts.
pub(super) fn print_groups(
    c: &Case,
    set: &FindingSet,
    a: &FindingsArgs,
    filter: &FindingFilter,
) -> Result<ExitCode> {
    let by = group_by(a, None)?;
    let subjects = EvidenceSubjects::load(c, set)?;
    let list: Vec<&Finding> = set.findings.iter().collect();
    let groups = triage::group(&list, by, Some(&subjects));
    if a.json {
        super::print_json(&serde_json::json!({
            "group_by": by,
            "filter": filter,
            "findings": list.len(),
            "groups": groups,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let zone = super::findings::display_zone(c, a.tz.clone())?;
    let names: std::collections::HashMap<String, String> = c
        .people()
        .persons()?
        .into_iter()
        .map(|p| (p.key, p.display_name))
        .collect();
    outln!(
        "{} groups of {} findings (rule × {} × systems; {}; times in {})",
        groups.len(),
        list.len(),
        by.as_str(),
        filter.describe(),
        zone.name()
    );
    for g in &groups {
        let who: Vec<String> = g
            .who
            .split('+')
            .map(|k| names.get(k).map_or(k.to_string(), |n| format!("{k} {n}")))
            .collect();
        outln!();
        outln!(
            "[{}] {} · {} · {}",
            g.severity.as_str().to_uppercase(),
            g.rule,
            who.join(", "),
            g.systems
        );
        outln!("    key:      {}", g.key);
        outln!(
            "    counts:   {} findings, {} evidence events, {} data subjects reached{}",
            g.finding_keys.len(),
            g.events,
            g.subjects.unwrap_or(0),
            if g.at_least { " (at least)" } else { "" }
        );
        outln!(
            "    when:     {} – {}",
            format_in_zone(g.first_us, zone),
            format_in_zone(g.last_us, zone)
        );
        outln!("    status:   {}", g.status_text());
        for n in &g.dismissal_notes {
            outln!("    dismissed because: {n}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
