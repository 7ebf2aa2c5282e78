//! Triage of a finding set: which findings to look at (a filter by rule, severity, person,
//! organization, system, storage country and status), in which order, and grouped so that
//! hundreds of findings of one routine pattern (Tokyo staff on the Korea image store) read as a
//! few rows with counts, each of which can be decided on at once. One implementation for the
//! app's findings window, `retrace findings --group` and the report.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::{Finding, FindingSet, Severity};
use crate::analysis::Result;
use crate::case::{Case, EventSelection};
use crate::i18n::Lang;
use crate::model::{DispositionStatus, Rule};

/// Which findings are shown. Within a field the values are alternatives (any of them); the
/// fields together must all hold. An empty field admits every finding.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FindingFilter {
    pub rules: Vec<Rule>,
    pub severities: Vec<Severity>,
    /// Person keys (`P13`), or the account a finding names instead (`svc_batch`).
    pub persons: Vec<String>,
    pub organizations: Vec<String>,
    /// System names.
    pub systems: Vec<String>,
    /// Where a finding's systems store their data (systems roster, ISO 3166 alpha-2).
    pub storage_countries: Vec<String>,
    pub statuses: Vec<DispositionStatus>,
}

/// System name -> storage country, for [`FindingFilter::storage_countries`].
pub type StorageCountries = HashMap<String, String>;

impl FindingFilter {
    pub fn is_empty(&self) -> bool {
        *self == FindingFilter::default()
    }

    /// Whether `f` passes; `storage` gives a system's storage country.
    pub fn matches(&self, f: &Finding, storage: &StorageCountries) -> bool {
        fn any<'a>(want: &[String], mut have: impl Iterator<Item = &'a str>) -> bool {
            want.is_empty() || have.any(|h| want.iter().any(|w| w == h))
        }
        (self.rules.is_empty() || self.rules.contains(&f.rule))
            && (self.severities.is_empty() || self.severities.contains(&f.severity))
            && (self.statuses.is_empty() || self.statuses.contains(&f.status()))
            && any(&self.persons, f.person_keys.iter().map(String::as_str))
            && any(
                &self.organizations,
                f.organization.iter().map(String::as_str),
            )
            && any(&self.systems, f.systems.iter().map(String::as_str))
            && any(
                &self.storage_countries,
                f.systems
                    .iter()
                    .filter_map(|s| storage.get(s).map(String::as_str)),
            )
    }

    /// Both filters at once (the window's own and the timeline's chips): a finding passes when
    /// it passes each.
    pub fn and_matches(&self, other: &FindingFilter, f: &Finding, s: &StorageCountries) -> bool {
        self.matches(f, s) && other.matches(f, s)
    }

    /// Words for the filter, for a custody entry or a report (`rule cross_border, system
    /// kr-media-01`); `all findings` when empty. English, as custody entries keep it.
    pub fn describe(&self) -> String {
        self.describe_in(Lang::En)
    }

    /// [`FindingFilter::describe`] in `lang`: rules, severities, statuses and countries by
    /// their names in that language (`越境アクセス`, `中国`); keys and system names as written.
    pub fn describe_in(&self, lang: Lang) -> String {
        use crate::tr;
        let or = tr!(lang, "findings-described-or");
        let mut parts = Vec::new();
        let mut put = |id: &str, vals: Vec<String>| {
            if !vals.is_empty() {
                parts.push(crate::i18n::t_args(
                    lang,
                    id,
                    &[("values", vals.join(&or).into())],
                ));
            }
        };
        put(
            "findings-described-rule",
            self.rules.iter().map(|r| r.name_in(lang)).collect(),
        );
        put(
            "findings-described-severity",
            self.severities
                .iter()
                .map(|s| match lang {
                    Lang::En => s.as_str().into(),
                    _ => super::severity_in(lang, *s),
                })
                .collect(),
        );
        put("findings-described-person", self.persons.clone());
        put(
            "findings-described-organization",
            self.organizations.clone(),
        );
        put("findings-described-system", self.systems.clone());
        put(
            "findings-described-storage-country",
            self.storage_countries
                .iter()
                .map(|c| crate::i18n::country(lang, c))
                .collect(),
        );
        put(
            "findings-described-status",
            self.statuses
                .iter()
                .map(|s| match lang {
                    Lang::En => s.to_string(),
                    _ => super::status_in(lang, *s),
                })
                .collect(),
        );
        if parts.is_empty() {
            tr!(lang, "findings-described-all")
        } else {
            parts.join(&tr!(lang, "findings-described-and"))
        }
    }
}

/// The storage country of each system of the case.
pub fn storage_countries(case: &Case) -> Result<StorageCountries> {
    Ok(case
        .timeline()
        .systems()?
        .into_iter()
        .filter_map(|s| Some((s.name, s.country?)))
        .collect())
}

/// A column of the findings list, to sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    Severity,
    Rule,
    Who,
    Systems,
    When,
    /// A finding's count; a group's number of findings.
    Count,
    /// Evidence events.
    Events,
    /// A group's data subjects (findings: as [`SortKey::Events`]).
    Subjects,
    Status,
}

/// Orders `list` by `key` (ties: rule, start, key, so the order is stable across runs).
pub fn sort(list: &mut [&Finding], key: SortKey, descending: bool) {
    list.sort_by(|a, b| {
        let o = match key {
            SortKey::Severity => a.severity.cmp(&b.severity),
            SortKey::Rule => a.rule.cmp(&b.rule),
            SortKey::Who => a.person_keys.cmp(&b.person_keys),
            SortKey::Systems => a.systems.cmp(&b.systems),
            SortKey::When => a.start_us.cmp(&b.start_us),
            SortKey::Count => a.count.cmp(&b.count),
            SortKey::Events | SortKey::Subjects => a.evidence.len().cmp(&b.evidence.len()),
            SortKey::Status => a.status().cmp(&b.status()),
        };
        let o = if descending { o.reverse() } else { o };
        o.then_with(|| (a.rule, a.start_us, &a.key).cmp(&(b.rule, b.start_us, &b.key)))
    });
}

/// What a group's first part is: each person (the default), or the person's organization.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    #[default]
    Person,
    Organization,
}

impl GroupBy {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Person => "person",
            GroupBy::Organization => "organization",
        }
    }
}

/// Findings of one rule, on the same systems, by the same person (or organization).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingGroup {
    /// `rule|who|systems` (`cross_border|P07|kr-media-01`,
    /// `cross_border|org:Hoshizora Messaging K.K.|kr-media-01`); what a group disposition names.
    pub key: String,
    pub rule: Rule,
    /// The person keys (joined with `+`), the organization, or the account.
    pub who: String,
    /// The systems, joined with `+` (a coverage gap names its source here).
    pub systems: String,
    pub severity: Severity,
    /// The findings' keys, in the list's order.
    pub finding_keys: Vec<String>,
    /// Distinct evidence events of the group's findings.
    pub events: u64,
    /// Distinct data subjects those evidence events touched (access events only); `None` when
    /// not computed.
    pub subjects: Option<u64>,
    pub first_us: i64,
    pub last_us: i64,
    /// Findings per status, in [`DispositionStatus::ALL`] order (zero counts left out).
    pub statuses: Vec<(DispositionStatus, u64)>,
    /// Any finding's count is a lower bound.
    pub at_least: bool,
    /// The distinct notes of the group's dismissals (their reasons), oldest decision first.
    pub dismissal_notes: Vec<String>,
}

impl FindingGroup {
    /// `3 confirmed, 2 open`.
    pub fn status_text(&self) -> String {
        self.status_text_in(crate::i18n::Lang::En)
    }

    /// [`FindingGroup::status_text`] in `lang`: `3件 確認済み、2件 未判断`.
    pub fn status_text_in(&self, lang: crate::i18n::Lang) -> String {
        self.statuses
            .iter()
            .map(|(s, n)| {
                crate::tr!(
                    lang,
                    "findings-group-status-part",
                    count = *n,
                    status = super::status_in(lang, *s)
                )
            })
            .collect::<Vec<_>>()
            .join(&crate::tr!(lang, "list-separator"))
    }

    /// Every finding of the group is dismissed.
    pub fn all_dismissed(&self) -> bool {
        self.statuses.len() == 1 && self.statuses[0].0 == DispositionStatus::Dismissed
    }
}

/// The group key of a finding.
pub fn group_key(f: &Finding, by: GroupBy) -> (String, String) {
    let who = match by {
        GroupBy::Person => f.person_keys.join("+"),
        GroupBy::Organization => match &f.organization {
            Some(o) => format!("org:{o}"),
            None => f.person_keys.join("+"),
        },
    };
    let systems = if f.systems.is_empty() {
        // A coverage gap's key names its source: `coverage_gap|FILE|gap|…`.
        f.key.split('|').nth(1).unwrap_or("").to_string()
    } else {
        f.systems.join("+")
    };
    (who, systems)
}

/// Groups `list` (in its order: a group sits where its first finding was).
pub fn group(
    list: &[&Finding],
    by: GroupBy,
    subjects: Option<&EvidenceSubjects>,
) -> Vec<FindingGroup> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut members: Vec<Vec<&Finding>> = Vec::new();
    let mut heads: Vec<(String, Rule, String, String)> = Vec::new();
    for &f in list {
        let (who, systems) = group_key(f, by);
        let key = format!("{}|{who}|{systems}", f.rule);
        let i = *index.entry(key.clone()).or_insert_with(|| {
            members.push(Vec::new());
            heads.push((key, f.rule, who, systems));
            members.len() - 1
        });
        members[i].push(f);
    }
    heads
        .into_iter()
        .zip(members)
        .map(|((key, rule, who, systems), fs)| summarize(key, rule, who, systems, &fs, subjects))
        .collect()
}

fn summarize(
    key: String,
    rule: Rule,
    who: String,
    systems: String,
    fs: &[&Finding],
    subjects: Option<&EvidenceSubjects>,
) -> FindingGroup {
    let events: BTreeSet<i64> = fs.iter().flat_map(|f| f.evidence.iter().copied()).collect();
    let mut by_status: BTreeMap<DispositionStatus, u64> = BTreeMap::new();
    for f in fs {
        *by_status.entry(f.status()).or_default() += 1;
    }
    let mut dismissals: Vec<(i64, &str)> = fs
        .iter()
        .filter_map(|f| f.disposition.as_ref())
        .filter(|d| d.status == DispositionStatus::Dismissed && !d.note.is_empty())
        .map(|d| (d.at_us, d.note.as_str()))
        .collect();
    dismissals.sort();
    let mut notes: Vec<String> = Vec::new();
    for (_, n) in dismissals {
        if !notes.iter().any(|x| x == n) {
            notes.push(n.to_string());
        }
    }
    FindingGroup {
        key,
        rule,
        who,
        systems,
        severity: fs
            .iter()
            .map(|f| f.severity)
            .max()
            .unwrap_or(Severity::Info),
        finding_keys: fs.iter().map(|f| f.key.clone()).collect(),
        events: events.len() as u64,
        subjects: subjects.map(|s| s.distinct(events.iter().copied())),
        first_us: fs.iter().map(|f| f.start_us).min().unwrap_or(0),
        last_us: fs.iter().map(|f| f.end_us).max().unwrap_or(0),
        statuses: DispositionStatus::ALL
            .iter()
            .filter_map(|s| by_status.get(s).map(|n| (*s, *n)))
            .collect(),
        at_least: fs.iter().any(|f| f.at_least),
        dismissal_notes: notes,
    }
}

/// The data subjects each evidence event touched (access events only: a refused attempt
/// reached nobody's data).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvidenceSubjects {
    by_event: HashMap<i64, Vec<i64>>,
}

impl EvidenceSubjects {
    /// Reads the subjects of every evidence event of `set` (one indexed read of those events).
    pub fn load(case: &Case, set: &FindingSet) -> Result<EvidenceSubjects> {
        let ids: BTreeSet<i64> = set
            .findings
            .iter()
            .flat_map(|f| f.evidence.iter().copied())
            .collect();
        let mut by_event = HashMap::with_capacity(ids.len());
        if ids.is_empty() {
            return Ok(EvidenceSubjects { by_event });
        }
        let sel = EventSelection::Events(ids.into_iter().collect());
        case.export().for_each_export_event(&sel, |e| {
            if crate::analysis::is_access(e.outcome)
                && let Some(s) = e.subject_ids
            {
                let ids: Vec<i64> = s
                    .split_ascii_whitespace()
                    .filter_map(|x| x.parse().ok())
                    .collect();
                if !ids.is_empty() {
                    by_event.insert(e.id, ids);
                }
            }
            std::ops::ControlFlow::Continue(())
        })?;
        Ok(EvidenceSubjects { by_event })
    }

    /// Distinct subjects of these events.
    pub fn distinct(&self, events: impl Iterator<Item = i64>) -> u64 {
        self.set_of(events).len() as u64
    }

    /// The subjects of these events.
    pub fn set_of(&self, events: impl Iterator<Item = i64>) -> BTreeSet<i64> {
        events
            .filter_map(|e| self.by_event.get(&e))
            .flatten()
            .copied()
            .collect()
    }
}

/// The basis of the report's "number of persons": distinct data subjects reached by the
/// evidence of confirmed findings, and of every finding not dismissed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReachedBy {
    pub confirmed: u64,
    pub not_dismissed: u64,
    /// Findings of each kind (unit: findings).
    pub confirmed_findings: u64,
    pub not_dismissed_findings: u64,
}

/// Counts [`ReachedBy`] over `list`.
pub fn reached_by(list: &[&Finding], subjects: &EvidenceSubjects) -> ReachedBy {
    let of = |keep: &dyn Fn(&Finding) -> bool| {
        let fs: Vec<&&Finding> = list.iter().filter(|f| keep(f)).collect();
        let n = subjects.distinct(fs.iter().flat_map(|f| f.evidence.iter().copied()));
        (n, fs.len() as u64)
    };
    let (confirmed, confirmed_findings) = of(&|f| f.status() == DispositionStatus::Confirmed);
    let (not_dismissed, not_dismissed_findings) =
        of(&|f| f.status() != DispositionStatus::Dismissed);
    ReachedBy {
        confirmed,
        not_dismissed,
        confirmed_findings,
        not_dismissed_findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CountUnit;

    #[test]
    fn a_filter_in_words_in_english_and_japanese() {
        assert_eq!(FindingFilter::default().describe(), "all findings");
        assert_eq!(
            FindingFilter::default().describe_in(Lang::Ja),
            "すべての所見"
        );
        let f = FindingFilter {
            rules: vec![Rule::CrossBorder],
            severities: vec![Severity::High, Severity::Medium],
            systems: vec!["kr-media-01".into()],
            storage_countries: vec!["KR".into()],
            statuses: vec![DispositionStatus::Open],
            ..Default::default()
        };
        assert_eq!(
            f.describe(),
            "rule cross_border, severity high or medium, system kr-media-01, \
             storage country KR, status open"
        );
        assert_eq!(
            f.describe_in(Lang::Ja),
            "ルール：越境アクセス、重要度：高・中、システム：kr-media-01、保存国：韓国、判断：未判断"
        );
    }

    fn finding(rule: Rule, person: &str, org: &str, system: &str, start: i64) -> Finding {
        Finding {
            key: format!("{rule}|{person}|{system}|{start}"),
            rule,
            severity: Severity::High,
            title: String::new(),
            person_keys: vec![person.into()],
            organization: Some(org.into()),
            systems: vec![system.into()],
            start_us: start,
            end_us: start + 10,
            count: 1,
            unit: CountUnit::AccessEvents,
            at_least: false,
            evidence: vec![start],
            explanation: String::new(),
            parameters: Default::default(),
            disposition: None,
            text: crate::analysis::findings::FindingText::default(),
        }
    }

    #[test]
    fn filter_and_group_by_person_or_organization() {
        let fs = [
            finding(Rule::CrossBorder, "P07", "Tokyo", "kr", 1),
            finding(Rule::CrossBorder, "P08", "Tokyo", "kr", 2),
            finding(Rule::CrossBorder, "P07", "Tokyo", "kr", 3),
            finding(Rule::CrossBorder, "P13", "Shanghai", "jp", 4),
        ];
        let storage: StorageCountries = [
            ("kr".to_string(), "KR".to_string()),
            ("jp".into(), "JP".into()),
        ]
        .into();
        let list: Vec<&Finding> = fs.iter().collect();
        let jp = FindingFilter {
            storage_countries: vec!["JP".into()],
            ..Default::default()
        };
        let shown: Vec<&&Finding> = list.iter().filter(|f| jp.matches(f, &storage)).collect();
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].person_keys, ["P13"]);
        let g = group(&list, GroupBy::Person, None);
        assert_eq!(g.len(), 3);
        assert_eq!(g[0].key, "cross_border|P07|kr");
        assert_eq!(g[0].finding_keys.len(), 2);
        assert_eq!((g[0].first_us, g[0].last_us, g[0].events), (1, 13, 2));
        let g = group(&list, GroupBy::Organization, None);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].key, "cross_border|org:Tokyo|kr");
        assert_eq!(g[0].finding_keys.len(), 3);
        assert_eq!(g[0].status_text(), "3 open");
    }
}
