//! `retrace findings` and `retrace impact`: the findings rules and the impact tables on the
//! command line, human or `--json`; parameter changes, dispositions and declared retention are
//! written to the case (and its custody log).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono_tz::Tz;
use clap::Args;

use crate::analysis::findings::{self, FindingSet, Impact, ImpactGroup, Params, SPECS};
use crate::case::Case;
use crate::model::time::{format_in_zone, parse_zone};

#[derive(Debug, Args)]
pub struct FindingsArgs {
    pub case: PathBuf,
    /// Only this rule (repeatable): cross_border, outside_approval, unsupervised,
    /// after_revocation, off_hours, bulk, new_reach, coverage_gap.
    #[arg(long)]
    pub rule: Vec<String>,
    /// Store a parameter in the case before running: rule.key=value (repeatable), e.g.
    /// unsupervised.window_minutes=30 or outside_approval.scope=everyone.
    #[arg(long, value_name = "RULE.KEY=VALUE")]
    pub set: Vec<String>,
    /// Remove a stored parameter (back to its default): rule.key (repeatable).
    #[arg(long, value_name = "RULE.KEY")]
    pub reset: Vec<String>,
    /// Only findings of this severity (repeatable): high, medium, low, info.
    #[arg(long)]
    pub severity: Vec<String>,
    /// Only findings about this person (repeatable): a person id (P13), an account a finding
    /// names (svc_batch), or a part of a person's name.
    #[arg(long)]
    pub person: Vec<String>,
    /// Only findings of persons of this organization (repeatable; a part of its name will do).
    #[arg(long)]
    pub org: Vec<String>,
    /// Only findings on this system (repeatable; its name).
    #[arg(long)]
    pub system: Vec<String>,
    /// Only findings on systems storing their data in this country (repeatable; ISO 3166, KR).
    #[arg(long)]
    pub storage_country: Vec<String>,
    /// Without --dispose/--dispose-group: only findings with this status (repeatable). With
    /// them: the decision, confirmed | dismissed | open.
    #[arg(long)]
    pub status: Vec<String>,
    /// One row per group of findings (rule × person × systems) with counts, instead of each
    /// finding; its key is what --dispose-group takes.
    #[arg(long)]
    pub group: bool,
    /// What a group's "who" is: person (default) or organization.
    #[arg(long, value_name = "person|organization", default_value = "person")]
    pub group_by: String,
    /// Record a decision on the finding with this key (see --status and --note).
    #[arg(long, value_name = "KEY")]
    pub dispose: Option<String>,
    /// Record one decision for every finding of this group (a key from --group, under the same
    /// filters), with --status and --note: one custody entry names the group and its count.
    #[arg(long, value_name = "GROUP_KEY", conflicts_with = "dispose")]
    pub dispose_group: Option<String>,
    /// With --dispose or --dispose-group: the reason, kept with the decision.
    #[arg(long, default_value = "")]
    pub note: String,
    /// Declare an access source's retention: SOURCE_ID=FROM..TO (RFC 3339 or YYYY-MM-DD, UTC;
    /// either side may be empty).
    #[arg(long, value_name = "SOURCE_ID=FROM..TO")]
    pub retention: Option<String>,
    /// Name for the custody log (default: $RETRACE_INVESTIGATOR, else the machine's settings,
    /// else the login name).
    #[arg(long)]
    pub by: Option<String>,
    /// List the parameters with their values and meaning, and stop.
    #[arg(long)]
    pub params: bool,
    /// Evidence event ids shown per finding (all in --json).
    #[arg(long, default_value_t = 12)]
    pub evidence: usize,
    /// Display zone (default: the case's).
    #[arg(long)]
    pub tz: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ImpactArgs {
    pub case: PathBuf,
    /// Also print every person's and account's table (the JSON always has them).
    #[arg(long)]
    pub people: bool,
    #[arg(long)]
    pub json: bool,
}

pub(super) fn display_zone(c: &Case, tz: Option<String>) -> Result<Tz> {
    let name = match tz {
        Some(z) => z,
        None => c.meta("display_zone")?.unwrap_or_else(|| "UTC".into()),
    };
    parse_zone(&name).map_err(anyhow::Error::msg)
}

/// A UTC instant from RFC 3339 or a date (midnight UTC).
fn parse_instant(text: &str) -> Result<Option<i64>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(Some(dt.timestamp_micros()));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(Some(
            d.and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                .and_utc()
                .timestamp_micros(),
        ));
    }
    bail!("{t:?} is neither RFC 3339 (2021-02-24T00:00:00+09:00) nor a date (2021-02-24)")
}

pub(super) fn findings(a: FindingsArgs) -> Result<ExitCode> {
    let decides = a.dispose.is_some() || a.dispose_group.is_some();
    let writes = !a.set.is_empty() || !a.reset.is_empty() || decides || a.retention.is_some();
    let author = a.by.clone().unwrap_or_else(crate::ops::investigator);
    let mut c = if writes {
        Case::open(&a.case)?
    } else {
        Case::open_read_only(&a.case)?
    };
    if a.params {
        let p = Params::from_case(&c)?;
        if a.json {
            let rows: Vec<serde_json::Value> = SPECS
                .iter()
                .map(|s| serde_json::json!({"rule": s.rule, "key": s.key, "value": p.get(s.rule, s.key), "default": Params::default().get(s.rule, s.key), "description": s.description}))
                .collect();
            super::print_json(&rows)?;
        } else {
            print_params(&p);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (filter, decision) = super::triage::filter_of(&c, &a, decides)?;
    store_params(&mut c, &a, &author)?;
    if let Some(spec) = &a.retention {
        store_retention(&mut c, spec, &a.note, &author)?;
    }
    let params = Params::from_case(&c)?;
    let mut set = findings::run_rules(&c, &params, &a.rule)?;
    if let Some(key) = &a.dispose {
        let all = if a.rule.is_empty() {
            None
        } else {
            Some(findings::run(&c, &params)?)
        };
        let known = all.as_ref().unwrap_or(&set).get(key).is_some();
        if !known {
            bail!(
                "{}: no finding has the key {key:?} (list them with `retrace findings {}`)",
                a.case.display(),
                a.case.display()
            );
        }
        c.writes()
            .dispose_finding(key, decision.as_deref().unwrap_or(""), &a.note, &author)?;
        findings::attach_dispositions(&mut set.findings, &c.findings().finding_dispositions()?);
    }
    let storage = findings::triage::storage_countries(&c)?;
    set.findings.retain(|f| filter.matches(f, &storage));
    if let Some(group) = &a.dispose_group {
        let status = decision.as_deref().unwrap_or("");
        super::triage::dispose_group(&mut c, &mut set, &a, group, status, &author)?;
    }
    if a.group {
        return super::triage::print_groups(&c, &set, &a, &filter);
    }
    if a.json {
        super::print_json(&set)?;
        return Ok(ExitCode::SUCCESS);
    }
    let zone = display_zone(&c, a.tz.clone())?;
    print_set(&set, zone, a.evidence);
    Ok(ExitCode::SUCCESS)
}

/// Every --set and --reset is checked before any is stored, and all are stored in one
/// transaction: all or nothing.
fn store_params(c: &mut Case, a: &FindingsArgs, author: &str) -> Result<()> {
    let mut check = Params::from_case(c)?;
    let mut changes: Vec<(String, String, Option<String>)> = Vec::new();
    for text in &a.set {
        let (rule, key, value) = Params::parse_assignment(text)
            .map_err(|e| anyhow::anyhow!("--set {text}: {e}; no parameter was changed"))?;
        check
            .set(&rule, &key, &value)
            .map_err(|e| anyhow::anyhow!("--set {text}: {e}; no parameter was changed"))?;
        changes.push((rule, key, Some(value.to_string())));
    }
    for text in &a.reset {
        let (rule, key) = text.split_once('.').with_context(|| {
            format!("--reset {text:?}: expected rule.key; no parameter was changed")
        })?;
        if Params::default().get(rule, key).is_none() {
            bail!("--reset {text}: no such parameter; no parameter was changed");
        }
        changes.push((rule.to_string(), key.to_string(), None));
    }
    if !changes.is_empty() {
        let refs: Vec<(&str, &str, Option<&str>)> = changes
            .iter()
            .map(|(r, k, v)| (r.as_str(), k.as_str(), v.as_deref()))
            .collect();
        c.writes().set_finding_params(&refs, author)?;
    }
    Ok(())
}

/// `--retention SOURCE_ID=FROM..TO`.
fn store_retention(c: &mut Case, spec: &str, note: &str, author: &str) -> Result<()> {
    let (id, range) = spec
        .split_once('=')
        .with_context(|| format!("--retention {spec:?}: expected SOURCE_ID=FROM..TO"))?;
    let id: i64 = id
        .trim()
        .parse()
        .with_context(|| format!("--retention {spec:?}: {id:?} is not a source id"))?;
    let (from, to) = range
        .split_once("..")
        .with_context(|| format!("--retention {spec:?}: expected FROM..TO"))?;
    let note = (!note.is_empty()).then_some(note);
    c.writes()
        .set_source_retention(id, parse_instant(from)?, parse_instant(to)?, note, author)?;
    Ok(())
}

fn print_params(p: &Params) {
    let defaults = Params::default();
    outln!("parameters (stored in the case; a parameter with no stored value has its default):");
    for s in SPECS {
        let v = p.get(s.rule, s.key).unwrap_or_default();
        let d = defaults.get(s.rule, s.key).unwrap_or_default();
        let mark = if v == d { "" } else { " (changed)" };
        outln!("  {}.{} = {v}{mark}   default {d}", s.rule, s.key);
        outln!("      {}", s.description);
    }
}

fn print_set(set: &FindingSet, zone: Tz, evidence: usize) {
    let t = |us: i64| format_in_zone(us, zone);
    outln!(
        "{} findings over {} events (times in {})",
        set.findings.len(),
        set.events_scanned,
        zone.name()
    );
    for rule in findings::RULES {
        let list: Vec<_> = set.of_rule(*rule).collect();
        if list.is_empty() {
            continue;
        }
        outln!();
        outln!("== {rule}: {} finding(s)", list.len());
        for f in list {
            outln!("[{}] {}", f.severity.as_str().to_uppercase(), f.title);
            outln!("    key:      {}", f.key);
            outln!("    when:     {} – {}", t(f.start_us), t(f.end_us));
            outln!("    count:    {}", f.count_text());
            let shown: Vec<String> = f
                .evidence
                .iter()
                .take(evidence)
                .map(i64::to_string)
                .collect();
            let more = f.evidence.len().saturating_sub(evidence);
            outln!(
                "    evidence: {} event(s): {}{}",
                f.evidence.len(),
                shown.join(" "),
                if more > 0 {
                    format!(" … and {more} more")
                } else {
                    String::new()
                }
            );
            match &f.disposition {
                Some(d) => outln!(
                    "    status:   {} by {} at {}{}",
                    d.status,
                    d.author,
                    t(d.at_us),
                    if d.note.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", d.note)
                    }
                ),
                None => outln!("    status:   open"),
            }
        }
    }
    if !set.reached_from_abroad.is_empty() {
        outln!();
        outln!("== whose data was reached from abroad (cross-border access events)");
        outln!(
            "subject country | distinct data subjects | events | actors in | stored in | by category"
        );
        for r in &set.reached_from_abroad {
            let cats: Vec<String> = r
                .by_category
                .iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect();
            outln!(
                "{:<15} | {}{:>8} | {:>6} | {} | {} | {}",
                r.subject_country,
                if r.at_least { "at least " } else { "" },
                r.subjects,
                r.events,
                r.actor_countries.join(", "),
                r.storage_countries.join(", "),
                cats.join(", ")
            );
        }
    }
    if set.findings.is_empty() {
        outln!("no finding: no rule matched (parameters: `retrace findings CASE --params`)");
    }
}

pub(super) fn impact(a: ImpactArgs) -> Result<ExitCode> {
    let c = Case::open_read_only(&a.case)?;
    let imp = findings::impact(&c)?;
    if a.json {
        super::print_json(&imp)?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "Impact in {}{} (access events only; refused attempts excluded)",
        if imp.at_least { "at least " } else { "" },
        imp.unit
    );
    if !imp.rejected_rows.is_empty() {
        outln!(
            "at least: {} rejected rows of access logs are in no figure below, yet may record accesses:",
            imp.rejected_rows.len()
        );
        for r in imp.rejected_rows.iter().take(20) {
            let m = r.mentions_text();
            outln!(
                "  {}: {}{}",
                r.place(),
                r.row.reason,
                if m.is_empty() {
                    m
                } else {
                    format!(" (mentions {m})")
                }
            );
        }
        if imp.rejected_rows.len() > 20 {
            outln!("  … every one: retrace rejects CASE --mentions");
        }
    }
    print_group(&imp, &imp.whole_case);
    for g in &imp.by_organization {
        print_group(&imp, g);
    }
    if a.people {
        for g in imp.by_person.iter().chain(&imp.by_account) {
            print_group(&imp, g);
        }
    } else {
        outln!();
        outln!("per person ({}):", imp.unit);
        for g in imp
            .by_person
            .iter()
            .filter(|g| g.subjects > 0)
            .chain(&imp.by_account)
        {
            outln!("  {:<32} {:>8}", g.label, g.subjects);
        }
        outln!("(every person's table: --people or --json)");
    }
    Ok(ExitCode::SUCCESS)
}

fn print_group(imp: &Impact, g: &ImpactGroup) {
    outln!();
    outln!(
        "{} — {} {} ({} access events touched them)",
        g.label,
        g.subjects,
        imp.unit,
        g.events
    );
    let mut header = format!("  {:<14}", "category");
    for c in &imp.countries {
        header.push_str(&format!(" {c:>7}"));
    }
    outln!("{header}");
    for cat in &imp.categories {
        let mut line = format!("  {cat:<14}");
        for c in &imp.countries {
            line.push_str(&format!(" {:>7}", g.cell(cat, c)));
        }
        outln!("{line}");
    }
    let mut line = format!("  {:<14}", "any category");
    for c in &imp.countries {
        let n = g.by_country.iter().find(|x| &x.0 == c).map_or(0, |x| x.1);
        line.push_str(&format!(" {n:>7}"));
    }
    outln!("{line}");
}
