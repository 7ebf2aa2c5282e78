//! The person rules. Each works on sessions (see [`super::sessions`]) of the person's access
//! events; refused attempts count only in `after_revocation`.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{Datelike, Offset, TimeZone, Timelike};
use chrono_tz::Tz;

use super::{
    AbroadRow, Ev, Finding, IpCountries, IpCountryEntry, Loaded, Params, Severity, session_events,
    system_names,
};
use crate::analysis::Result;
use crate::case::{Case, PersonRow, ScanEvent, SystemInfo, UnplacedEvent};
use crate::model::time::format_utc;
use crate::model::{CategorySet, CountUnit, Rule};

use crate::model::session::US_PER_MINUTE as US_PER_MIN;
const US_PER_DAY: i64 = 86_400_000_000;

/// The legal context quoted with cross-border findings: context for the panel, not a
/// conclusion. Its words are the catalog's (`findings-cross-border-context`), which the
/// translated explanations also quote.
fn cross_border_context() -> String {
    crate::i18n::t(crate::i18n::Lang::En, "findings-cross-border-context")
}

fn who(p: &PersonRow) -> String {
    format!("{} {}", p.key, p.display_name)
}

/// A finding of `rule` for person `p` over `evs` (oldest first), with the default severity,
/// unit and count for the caller to refine. Its key is `rule|person|part|start_us`, `part`
/// being `key_part` when given, else the systems reached joined with `+`.
fn finding(
    l: &Loaded,
    params: &Params,
    rule: Rule,
    p: &PersonRow,
    key_part: Option<&str>,
    evs: &[&Ev],
) -> Finding {
    let start_us = evs.first().map_or(0, |e| e.ts_us);
    let end_us = evs.last().map_or(0, |e| e.ts_us);
    let systems = system_names(l, evs.iter().copied());
    let part = key_part.map_or_else(|| systems.join("+"), str::to_string);
    Finding {
        key: format!("{rule}|{}|{part}|{start_us}", p.key),
        rule,
        severity: Severity::Info,
        title: String::new(),
        person_keys: vec![p.key.clone()],
        organization: p.organization.clone(),
        systems,
        start_us,
        end_us,
        count: evs.len() as u64,
        unit: CountUnit::AccessEvents,
        at_least: l.at_least(start_us, end_us, evs.iter().copied()),
        evidence: evs.iter().map(|e| e.id).collect(),
        explanation: String::new(),
        parameters: params.for_rule(rule.as_str()),
        disposition: None,
        text: crate::analysis::findings::FindingText::default(),
    }
}

/// `cross_border`: one finding per session with at least one access to a system whose data is
/// stored outside the country where the person works. Evidence: those accesses.
pub(crate) fn cross_border(l: &Loaded, params: &Params) -> Vec<Finding> {
    let mut out = Vec::new();
    for (pi, p) in l.persons.iter().enumerate() {
        let Some(home) = p.country.as_deref() else {
            continue;
        };
        let evs = &l.events[pi];
        for s in &l.sessions[pi] {
            let cross: Vec<&Ev> = session_events(s, evs)
                .filter(|e| l.system_country(e.system_id).is_some_and(|c| c != home))
                .collect();
            if cross.is_empty() {
                continue;
            }
            let stored: BTreeSet<&str> = cross
                .iter()
                .filter_map(|e| l.system_country(e.system_id))
                .collect();
            let stored_codes: Vec<&str> = stored.into_iter().collect();
            let stored = stored_codes.join(", ");
            let mut f = finding(l, params, Rule::CrossBorder, p, None, &cross);
            f.severity = Severity::High;
            f.title = format!(
                "{} (works in {home}) accessed data stored in {stored} ({})",
                who(p),
                f.systems.join(", ")
            );
            f.explanation = format!(
                "{} works in {home} (person roster); {} store(s) data in {stored} (systems roster). {} access event(s) of this session reached that data from {home}. {}",
                who(p),
                f.systems.join(", "),
                cross.len(),
                cross_border_context()
            );
            f.text.title = Some(
                super::Msg::new("findings-cross-border-title")
                    .text("who", who(p))
                    .country("home", home)
                    .countries("stored", stored_codes.iter().copied())
                    .text("systems", f.systems.join(", ")),
            );
            f.text.explanation = Some(
                super::Msg::new("findings-cross-border-explanation")
                    .text("who", who(p))
                    .country("home", home)
                    .countries("stored", stored_codes.iter().copied())
                    .text("systems", f.systems.join(", "))
                    .text("count", cross.len().to_string()),
            );
            out.push(f);
        }
    }
    out
}

/// `cross_border` for accounts with no person in the roster, or whose person has no country,
/// when `cross_border.ip_countries` is set: the actor's country of an event is that of the most
/// specific entry containing its source IP. The account's access events are sessionized like a
/// person's; one finding per session with an access whose mapped country differs from the
/// system's storage country. `person_keys` names the account. `events`: by account, then time.
pub(crate) fn cross_border_by_ip(
    l: &Loaded,
    params: &Params,
    map: &IpCountries,
    events: &[UnplacedEvent],
) -> Vec<Finding> {
    let gap_us = params.session_gap_minutes * US_PER_MIN;
    let mut out = Vec::new();
    for group in events.chunk_by(|a, b| a.account_id == b.account_id) {
        let evs: Vec<Ev> = group
            .iter()
            .map(|e| Ev {
                id: e.id,
                ts_us: e.ts_us,
                categories: e.categories,
                records: e.records,
                system_id: e.system_id,
                access: e.access,
            })
            .collect();
        let place = |i: usize| -> Option<&IpCountryEntry> {
            group[i].src_ip.as_deref().and_then(|ip| map.lookup(ip))
        };
        for s in super::sessions(&evs, gap_us) {
            let cross: Vec<usize> = (s.lo..=s.hi)
                .filter(|&i| evs[i].access)
                .filter(|&i| {
                    place(i).is_some_and(|m| {
                        l.system_country(evs[i].system_id)
                            .is_some_and(|c| c != m.country)
                    })
                })
                .collect();
            if cross.is_empty() {
                continue;
            }
            out.push(ip_finding(l, params, group, &evs, &cross, &place));
        }
    }
    out
}

/// The `cross_border` finding of one account's session: `cross` are the indexes (into
/// `group` and `evs`) of its accesses whose source IP maps to another country than the
/// system's storage country; `place` maps an index to its IP-country entry.
fn ip_finding<'m>(
    l: &Loaded,
    params: &Params,
    group: &[UnplacedEvent],
    evs: &[Ev],
    cross: &[usize],
    place: &dyn Fn(usize) -> Option<&'m IpCountryEntry>,
) -> Finding {
    let first = &group[0];
    let cross_evs: Vec<&Ev> = cross.iter().map(|&i| &evs[i]).collect();
    let actor: BTreeSet<&str> = cross
        .iter()
        .filter_map(|&i| place(i).map(|m| m.country.as_str()))
        .collect();
    let actor_codes: Vec<&str> = actor.into_iter().collect();
    let actor = actor_codes.join(", ");
    let stored: BTreeSet<&str> = cross_evs
        .iter()
        .filter_map(|e| l.system_country(e.system_id))
        .collect();
    let stored_codes: Vec<&str> = stored.into_iter().collect();
    let stored = stored_codes.join(", ");
    let (why, why_msgs) = ip_sources(group, cross, place);
    let roster = match &first.person_key {
        None => "no person in the roster".to_string(),
        Some(k) => format!("its person {k} has no country in the roster"),
    };
    let text = crate::analysis::findings::FindingText {
        title: Some(
            super::Msg::new("findings-cross-border-ip-title")
                .text("account", first.account.as_str())
                .countries("actor", actor_codes.iter().copied())
                .countries("stored", stored_codes.iter().copied())
                .text(
                    "systems",
                    system_names(l, cross_evs.iter().copied()).join(", "),
                ),
        ),
        explanation: Some(
            super::Msg::new("findings-cross-border-ip-explanation")
                .text("account", first.account.as_str())
                .list("sources", why_msgs)
                .select(
                    "roster",
                    if first.person_key.is_some() {
                        "no_country"
                    } else {
                        "no_person"
                    },
                )
                .text("person", first.person_key.clone().unwrap_or_default())
                .text(
                    "systems",
                    system_names(l, cross_evs.iter().copied()).join(", "),
                )
                .countries("stored", stored_codes.iter().copied())
                .text("count", cross_evs.len().to_string())
                .countries("actor", actor_codes.iter().copied()),
        ),
    };
    let start_us = cross_evs.first().map_or(0, |e| e.ts_us);
    let end_us = cross_evs.last().map_or(0, |e| e.ts_us);
    let systems = system_names(l, cross_evs.iter().copied());
    Finding {
        key: format!(
            "cross_border|{}|{}|{start_us}",
            first.account,
            systems.join("+")
        ),
        rule: Rule::CrossBorder,
        severity: Severity::High,
        title: format!(
            "account {} (source IP in {actor}) accessed data stored in {stored} ({})",
            first.account,
            systems.join(", ")
        ),
        person_keys: vec![first.account.clone()],
        organization: None,
        start_us,
        end_us,
        count: cross_evs.len() as u64,
        unit: CountUnit::AccessEvents,
        at_least: l.at_least(start_us, end_us, cross_evs.iter().copied()),
        evidence: cross_evs.iter().map(|e| e.id).collect(),
        explanation: format!(
            "Account {}: {why}, {roster}. {} store(s) data in {stored} (systems roster). {} access event(s) of this session reached that data from {actor}. {}",
            first.account,
            systems.join(", "),
            cross_evs.len(),
            cross_border_context()
        ),
        systems,
        parameters: params.for_rule(Rule::CrossBorder.as_str()),
        disposition: None,
        text,
    }
}

/// "actor country CN from source IP 10.86.1.2 (mapping 10.86.0.0/16=CN); ...": the distinct
/// source IPs of the crossing accesses, the first five named; and the same as messages.
fn ip_sources<'m>(
    group: &[UnplacedEvent],
    cross: &[usize],
    place: &dyn Fn(usize) -> Option<&'m IpCountryEntry>,
) -> (String, Vec<super::Msg>) {
    let mut sources: Vec<String> = Vec::new();
    let mut msgs: Vec<super::Msg> = Vec::new();
    for &i in cross {
        let (Some(ip), Some(m)) = (group[i].src_ip.as_deref(), place(i)) else {
            continue;
        };
        let text = format!(
            "actor country {} from source IP {} (mapping {})",
            m.country,
            ip.trim(),
            m.text
        );
        if !sources.contains(&text) {
            sources.push(text);
            msgs.push(
                super::Msg::new("findings-cross-border-ip-source")
                    .country("country", m.country.as_str())
                    .text("ip", ip.trim())
                    .text("mapping", m.text.as_str()),
            );
        }
    }
    let shown = sources.len().min(5);
    let mut why = sources[..shown].join("; ");
    msgs.truncate(shown);
    if sources.len() > shown {
        why.push_str(&format!(
            "; and {} more source IP(s)",
            sources.len() - shown
        ));
        msgs.push(
            super::Msg::new("findings-cross-border-ip-more")
                .text("count", (sources.len() - shown).to_string()),
        );
    }
    (why, msgs)
}

/// Collects, during the scan, the subjects of cross-border accesses by subject country.
#[derive(Clone)]
pub(crate) struct AbroadTally {
    person_country: Vec<Option<String>>,
    system_country: HashMap<i64, String>,
    /// Subject row id → index into `countries`.
    subject_country: Vec<u16>,
    countries: Vec<String>,
    /// Per subject country: subjects, per category bit subjects, events, actor and storage
    /// countries, systems.
    rows: HashMap<u16, AbroadAcc>,
}

#[derive(Default, Clone)]
struct AbroadAcc {
    subjects: HashSet<i64>,
    by_bit: HashMap<u32, HashSet<i64>>,
    events: u64,
    actors: BTreeSet<String>,
    storage: BTreeSet<String>,
    system_ids: BTreeSet<i64>,
}

impl AbroadTally {
    pub fn new(
        case: &Case,
        persons: &[PersonRow],
        systems: &HashMap<i64, SystemInfo>,
    ) -> Result<Self> {
        let mut countries: Vec<String> = vec!["??".into()];
        let mut index: HashMap<String, u16> = HashMap::from([("??".to_string(), 0)]);
        let mut subject_country = Vec::new();
        for (id, c) in case.findings().subject_country_rows()? {
            let c = c.unwrap_or_else(|| "??".into());
            let k = *index.entry(c.clone()).or_insert_with(|| {
                countries.push(c);
                (countries.len() - 1) as u16
            });
            let id = id.max(0) as usize;
            if subject_country.len() <= id {
                subject_country.resize(id + 1, 0);
            }
            subject_country[id] = k;
        }
        Ok(AbroadTally {
            person_country: persons.iter().map(|p| p.country.clone()).collect(),
            system_country: systems
                .iter()
                .filter_map(|(id, s)| Some((*id, s.country.clone()?)))
                .collect(),
            subject_country,
            countries,
            rows: HashMap::new(),
        })
    }

    /// Adds another part's tally (a scan split by id range).
    pub fn merge(&mut self, other: AbroadTally) {
        for (c, acc) in other.rows {
            let mine = self.rows.entry(c).or_default();
            mine.subjects.extend(acc.subjects);
            for (bit, set) in acc.by_bit {
                mine.by_bit.entry(bit).or_default().extend(set);
            }
            mine.events += acc.events;
            mine.actors.extend(acc.actors);
            mine.storage.extend(acc.storage);
            mine.system_ids.extend(acc.system_ids);
        }
    }

    pub fn observe(&mut self, person: usize, e: &ScanEvent, subjects: Option<&str>) {
        let (Some(home), Some(stored), Some(ids)) = (
            self.person_country[person].as_deref(),
            self.system_country.get(&e.system_id),
            subjects,
        ) else {
            return;
        };
        if home == stored {
            return;
        }
        let mut touched: HashSet<u16> = HashSet::new();
        for id in ids
            .split_ascii_whitespace()
            .filter_map(|t| t.parse::<i64>().ok())
        {
            let c = self
                .subject_country
                .get(id.max(0) as usize)
                .copied()
                .unwrap_or(0);
            touched.insert(c);
            let acc = self.rows.entry(c).or_default();
            acc.subjects.insert(id);
            for bit in CategorySet(e.categories).bits() {
                acc.by_bit.entry(bit).or_default().insert(id);
            }
        }
        for c in touched {
            let acc = self.rows.entry(c).or_default();
            acc.events += 1;
            if !acc.actors.contains(home) {
                acc.actors.insert(home.to_string());
            }
            if !acc.storage.contains(stored) {
                acc.storage.insert(stored.clone());
            }
            acc.system_ids.insert(e.system_id);
        }
    }

    pub fn finish(self, case: &Case, l: &Loaded) -> Result<Vec<AbroadRow>> {
        let vocab = case.vocabulary()?;
        let mut out: Vec<AbroadRow> = self
            .rows
            .into_iter()
            .map(|(c, acc)| {
                let mut by_category: Vec<(u32, u64)> = acc
                    .by_bit
                    .iter()
                    .map(|(b, s)| (*b, s.len() as u64))
                    .collect();
                by_category.sort_unstable();
                AbroadRow {
                    subject_country: self.countries[usize::from(c)].clone(),
                    subjects: acc.subjects.len() as u64,
                    unit: CountUnit::DistinctDataSubjects,
                    by_category: by_category
                        .into_iter()
                        .map(|(b, n)| (vocab.name_of(b).unwrap_or("?").to_string(), n))
                        .collect(),
                    actor_countries: acc.actors.into_iter().collect(),
                    storage_countries: acc.storage.into_iter().collect(),
                    events: acc.events,
                    at_least: l
                        .coverage
                        .iter()
                        .any(|b| b.system_ids.iter().any(|s| acc.system_ids.contains(s))),
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.subjects
                .cmp(&a.subjects)
                .then(a.subject_country.cmp(&b.subject_country))
        });
        Ok(out)
    }
}

/// (system id, from, to, overseer person index, ticket): one approval of a person.
type Grant = (i64, i64, i64, Option<usize>, Option<String>);

/// Per person (index of `l.persons`): the approvals they hold on known systems.
fn grants_by_person(case: &Case, l: &Loaded) -> Result<Vec<Vec<Grant>>> {
    let person_of_key: HashMap<&str, usize> = l
        .persons
        .iter()
        .enumerate()
        .map(|(i, p)| (p.key.as_str(), i))
        .collect();
    let system_of_name: HashMap<&str, i64> = l
        .systems
        .values()
        .map(|s| (s.name.as_str(), s.id))
        .collect();
    let mut grants: Vec<Vec<Grant>> = vec![Vec::new(); l.persons.len()];
    for a in case.people().approvals()? {
        let (Some(&p), Some(&s)) = (
            person_of_key.get(a.person_key.as_str()),
            system_of_name.get(a.system.as_str()),
        ) else {
            continue;
        };
        let overseer = a
            .overseer_key
            .as_deref()
            .and_then(|k| person_of_key.get(k).copied());
        grants[p].push((s, a.valid_from_us, a.valid_to_us, overseer, a.ticket));
    }
    Ok(grants)
}

/// The approvals of `mine` that cover an event (that system, valid_from ≤ ts ≤ valid_to).
fn covering<'g>(mine: &'g [Grant], e: &Ev) -> impl Iterator<Item = &'g Grant> {
    let (system, ts) = (e.system_id, e.ts_us);
    mine.iter()
        .filter(move |g| g.0 == system && g.1 <= ts && ts <= g.2)
}

/// `outside_approval` and `unsupervised`, which share the coverage test.
pub(crate) fn outside_approval_and_unsupervised(
    case: &Case,
    l: &Loaded,
    params: &Params,
) -> Result<Vec<Finding>> {
    let grants = grants_by_person(case, l)?;
    let everyone = params.outside_approval_scope == super::ApprovalScope::Everyone;
    let mut out = Vec::new();
    for (pi, p) in l.persons.iter().enumerate() {
        let mine = &grants[pi];
        if mine.is_empty() && !everyone {
            continue;
        }
        let evs = &l.events[pi];
        for s in &l.sessions[pi] {
            let session: Vec<&Ev> = session_events(s, evs).collect();
            let uncovered: Vec<&Ev> = session
                .iter()
                .copied()
                .filter(|e| covering(mine, e).next().is_none())
                .collect();
            if !uncovered.is_empty() {
                out.push(outside_approval(l, params, p, s, mine, &uncovered));
            } else if let Some(f) = unsupervised(l, params, p, s, mine, &session) {
                out.push(f);
            }
        }
    }
    Ok(out)
}

/// The `outside_approval` finding of a session's accesses that no approval covers.
fn outside_approval(
    l: &Loaded,
    params: &Params,
    p: &PersonRow,
    s: &super::Sess,
    mine: &[Grant],
    uncovered: &[&Ev],
) -> Finding {
    let in_force = uncovered
        .iter()
        .any(|e| mine.iter().any(|g| g.1 <= e.ts_us && e.ts_us <= g.2));
    let (reason, why) = if in_force {
        (
            "an approval of this person was in force, but for another system",
            "other_system",
        )
    } else if mine.is_empty() {
        ("this person holds no approval at all", "none_held")
    } else {
        (
            "no approval of this person was in force at the time",
            "none_in_force",
        )
    };
    let mut f = finding(l, params, Rule::OutsideApproval, p, None, uncovered);
    f.severity = Severity::High;
    f.title = format!(
        "{}: {} access(es) to {} without a covering approval",
        who(p),
        uncovered.len(),
        f.systems.join(", ")
    );
    f.explanation = format!(
        "No approval (approvals roster: this person, this system, valid_from ≤ time ≤ valid_to) covers these {} access event(s) of the session starting {}: {reason}. Scope: {}.",
        uncovered.len(),
        format_utc(s.start_us),
        params.outside_approval_scope.as_str()
    );
    f.text.title = Some(
        super::Msg::new("findings-outside-approval-title")
            .text("who", who(p))
            .text("count", uncovered.len().to_string())
            .text("systems", f.systems.join(", ")),
    );
    f.text.explanation = Some(
        super::Msg::new("findings-outside-approval-explanation")
            .text("count", uncovered.len().to_string())
            .time("start", s.start_us)
            .select("reason", why)
            .select("scope", params.outside_approval_scope.as_str()),
    );
    f
}

/// The `unsupervised` finding of a covered session, when its covering approvals name
/// overseers and none of them had an access on the same system within the window.
fn unsupervised(
    l: &Loaded,
    params: &Params,
    p: &PersonRow,
    s: &super::Sess,
    mine: &[Grant],
    session: &[&Ev],
) -> Option<Finding> {
    // Covered: every event has at least one covering approval. Which overseers are named, on
    // which systems?
    let mut named: BTreeSet<(usize, i64)> = BTreeSet::new();
    let mut tickets: BTreeSet<String> = BTreeSet::new();
    for e in session {
        for g in covering(mine, e) {
            if let Some(ov) = g.3 {
                named.insert((ov, e.system_id));
                tickets.extend(g.4.clone());
            }
        }
    }
    if named.is_empty() {
        return None;
    }
    let window = params.unsupervised_window_minutes * US_PER_MIN;
    let (from, to) = (s.start_us - window, s.end_us + window);
    let supervised = named.iter().any(|&(ov, sys)| {
        let oe = &l.events[ov];
        let first = oe.partition_point(|e| e.ts_us < from);
        oe[first..]
            .iter()
            .take_while(|e| e.ts_us <= to)
            .any(|e| e.access && e.system_id == sys)
    });
    if supervised {
        return None;
    }
    let overseers: BTreeSet<String> = named.iter().map(|&(ov, _)| who(&l.persons[ov])).collect();
    let overseers = overseers.into_iter().collect::<Vec<_>>().join(", ");
    let mut f = finding(l, params, Rule::Unsupervised, p, None, session);
    f.severity = Severity::Medium;
    f.title = format!(
        "{}: session on {} without oversight by {overseers}",
        who(p),
        f.systems.join(", ")
    );
    let tickets = tickets.into_iter().collect::<Vec<_>>().join(", ");
    f.explanation = format!(
        "The session {} – {} (UTC) is covered by {}, which name(s) {overseers} as overseer; the overseer had no access event on the same system from {} minutes before the session's start to {} minutes after its end.",
        format_utc(s.start_us),
        format_utc(s.end_us),
        tickets,
        params.unsupervised_window_minutes,
        params.unsupervised_window_minutes
    );
    f.text.title = Some(
        super::Msg::new("findings-unsupervised-title")
            .text("who", who(p))
            .text("systems", f.systems.join(", "))
            .text("overseers", overseers.as_str()),
    );
    f.text.explanation = Some(
        super::Msg::new("findings-unsupervised-explanation")
            .time("from", s.start_us)
            .time("to", s.end_us)
            .text("tickets", tickets)
            .text("overseers", overseers)
            .text("minutes", params.unsupervised_window_minutes.to_string()),
    );
    Some(f)
}

/// `after_revocation`: per person, the state from the milestones that cover them
/// (`access_revoked` starts a revoked period, `access_granted` ends it). Accesses in a revoked
/// period: one finding per session. Refused attempts in a revoked period: one finding per
/// person and revoking milestone.
pub(crate) fn after_revocation(case: &Case, l: &Loaded, params: &Params) -> Result<Vec<Finding>> {
    let milestones: Vec<_> = case
        .people()
        .milestones()?
        .into_iter()
        .filter(|m| m.kind == "access_revoked" || m.kind == "access_granted")
        .collect();
    let mut out = Vec::new();
    if !milestones.iter().any(|m| m.kind == "access_revoked") {
        return Ok(out);
    }
    for (pi, p) in l.persons.iter().enumerate() {
        let mine: Vec<_> = milestones
            .iter()
            .filter(|m| match m.scope_kind.as_str() {
                "all" => true,
                "org" => m.scope_value.is_some() && m.scope_value == p.organization,
                "person" => m.scope_value.as_deref() == Some(p.key.as_str()),
                _ => false,
            })
            .collect();
        if !mine.iter().any(|m| m.kind == "access_revoked") {
            continue;
        }
        // The revoking milestone in force at `ts`, if any (milestones are sorted by time).
        let revoked_at = |ts: i64| {
            mine.iter()
                .rev()
                .find(|m| m.at_us <= ts)
                .filter(|m| m.kind == "access_revoked")
                .copied()
        };
        let evs = &l.events[pi];
        for s in &l.sessions[pi] {
            let after: Vec<&Ev> = session_events(s, evs)
                .filter(|e| revoked_at(e.ts_us).is_some())
                .collect();
            let Some(m) = after.first().and_then(|e| revoked_at(e.ts_us)) else {
                continue;
            };
            let mut f = finding(l, params, Rule::AfterRevocation, p, None, &after);
            f.severity = Severity::High;
            f.title = format!(
                "{}: {} access(es) after \"{}\"",
                who(p),
                after.len(),
                m.label
            );
            f.explanation = format!(
                "The milestone \"{}\" ({}, {}, scope {}) revoked access; these access events came after it, before any later access_granted milestone covering this person.",
                m.label,
                m.kind,
                m.raw_at,
                m.scope_value.as_deref().unwrap_or(&m.scope_kind)
            );
            f.text.title = Some(
                super::Msg::new("findings-after-revocation-title")
                    .text("who", who(p))
                    .text("count", after.len().to_string())
                    .text("label", m.label.as_str()),
            );
            f.text.explanation = Some(
                super::Msg::new("findings-after-revocation-explanation")
                    .text("label", m.label.as_str())
                    .text("at", m.raw_at.as_str())
                    .text("scope", m.scope_value.as_deref().unwrap_or(&m.scope_kind)),
            );
            out.push(f);
        }
        let mut refused: Vec<(i64, &Ev)> = Vec::new();
        for e in evs.iter().filter(|e| !e.access) {
            if let Some(m) = revoked_at(e.ts_us) {
                refused.push((m.at_us, e));
            }
        }
        let mut groups: Vec<(i64, Vec<&Ev>)> = Vec::new();
        for (at, e) in refused {
            match groups.last_mut() {
                Some((a, v)) if *a == at => v.push(e),
                _ => groups.push((at, vec![e])),
            }
        }
        groups.sort_by_key(|g| g.0);
        for (at, list) in groups {
            let m = mine
                .iter()
                .find(|m| m.at_us == at && m.kind == "access_revoked")
                .expect("the revoking milestone");
            let mut f = finding(l, params, Rule::AfterRevocation, p, Some("refused"), &list);
            f.severity = Severity::Medium;
            f.unit = CountUnit::RefusedAttempts;
            f.title = format!(
                "{}: {} refused attempt(s) after \"{}\"",
                who(p),
                list.len(),
                m.label
            );
            f.explanation = format!(
                "Attempts with outcome denied or failed after the milestone \"{}\" ({}): evidence that the person still tried to reach {} after access was revoked; no data was seen through them.",
                m.label,
                m.raw_at,
                f.systems.join(", ")
            );
            f.text.title = Some(
                super::Msg::new("findings-refused-after-revocation-title")
                    .text("who", who(p))
                    .text("count", list.len().to_string())
                    .text("label", m.label.as_str()),
            );
            f.text.explanation = Some(
                super::Msg::new("findings-refused-after-revocation-explanation")
                    .text("label", m.label.as_str())
                    .text("at", m.raw_at.as_str())
                    .text("systems", f.systems.join(", ")),
            );
            out.push(f);
        }
    }
    Ok(out)
}

/// Local (hour, weekday from Monday = 0) of `ts_us` in `zone`; cached per UTC quarter hour
/// (every zone offset is a multiple of 15 minutes).
struct LocalClock {
    zone: Tz,
    bucket: i64,
    value: (u32, u32),
}

impl LocalClock {
    fn new(zone: Tz) -> Self {
        LocalClock {
            zone,
            bucket: i64::MIN,
            value: (0, 0),
        }
    }

    fn at(&mut self, ts_us: i64) -> (u32, u32) {
        let bucket = ts_us.div_euclid(15 * US_PER_MIN);
        if bucket != self.bucket {
            self.bucket = bucket;
            let utc = chrono::DateTime::from_timestamp_micros(ts_us).unwrap_or_default();
            let offset = self.zone.offset_from_utc_datetime(&utc.naive_utc()).fix();
            let local = utc.with_timezone(&offset);
            self.value = (local.hour(), local.weekday().num_days_from_monday());
        }
        self.value
    }
}

/// `off_hours`: sessions with accesses outside working hours in the person's own zone.
pub(crate) fn off_hours(l: &Loaded, params: &Params) -> Vec<Finding> {
    let mut out = Vec::new();
    for (pi, p) in l.persons.iter().enumerate() {
        let zone: Tz = p
            .zone
            .as_deref()
            .and_then(|z| z.parse().ok())
            .unwrap_or(Tz::UTC);
        let mut clock = LocalClock::new(zone);
        let evs = &l.events[pi];
        for s in &l.sessions[pi] {
            let off: Vec<&Ev> = session_events(s, evs)
                .filter(|e| {
                    let (hour, weekday) = clock.at(e.ts_us);
                    (params.off_hours_weekends && weekday >= 5)
                        || hour < params.off_hours_start_hour
                        || hour >= params.off_hours_end_hour
                })
                .collect();
            if off.is_empty() {
                continue;
            }
            let mut f = finding(l, params, Rule::OffHours, p, None, &off);
            f.severity = Severity::Low;
            f.title = format!(
                "{}: {} access(es) outside working hours ({})",
                who(p),
                off.len(),
                zone.name()
            );
            f.explanation = format!(
                "Working hours are {:02}:00–{:02}:00{} in the person's own zone {}{}; these access events fall outside them.",
                params.off_hours_start_hour,
                params.off_hours_end_hour,
                if params.off_hours_weekends {
                    ", Monday to Friday"
                } else {
                    ", every day"
                },
                zone.name(),
                if p.zone.is_none() {
                    " (the roster gives no zone for this person, so UTC is used)"
                } else {
                    ""
                }
            );
            f.text.title = Some(
                super::Msg::new("findings-off-hours-title")
                    .text("who", who(p))
                    .text("count", off.len().to_string())
                    .text("zone", zone.name()),
            );
            f.text.explanation = Some(
                super::Msg::new("findings-off-hours-explanation")
                    .text("start", format!("{:02}", params.off_hours_start_hour))
                    .text("end", format!("{:02}", params.off_hours_end_hour))
                    .select(
                        "weekends",
                        if params.off_hours_weekends {
                            "yes"
                        } else {
                            "no"
                        },
                    )
                    .text("zone", zone.name())
                    .select("zone_given", if p.zone.is_none() { "no" } else { "yes" }),
            );
            out.push(f);
        }
    }
    out
}

/// `bulk`: sessions whose records reach `bulk.max_records`, or exceed `bulk.norm_factor` times
/// the person's 95th-percentile session (for people with at least `bulk.min_sessions` sessions, and
/// sessions of at least `bulk.min_records` records).
pub(crate) fn bulk(l: &Loaded, params: &Params) -> Vec<Finding> {
    let mut out = Vec::new();
    for (pi, p) in l.persons.iter().enumerate() {
        let evs = &l.events[pi];
        let ss = &l.sessions[pi];
        let records: Vec<i64> = ss
            .iter()
            .map(|s| session_events(s, evs).map(|e| e.records.max(0)).sum())
            .collect();
        let norm = p95(&records);
        let norm_applies = ss.len() as i64 >= params.bulk_min_sessions;
        for (s, &n) in ss.iter().zip(&records) {
            let over_max = n >= params.bulk_max_records;
            let over_norm = norm_applies
                && n >= params.bulk_min_records
                && (n as f64) > params.bulk_norm_factor * norm as f64;
            if !(over_max || over_norm) {
                continue;
            }
            let session: Vec<&Ev> = session_events(s, evs).collect();
            let mut f = finding(l, params, Rule::Bulk, p, None, &session);
            f.severity = Severity::Medium;
            f.count = n as u64;
            f.unit = CountUnit::Records;
            f.title = format!(
                "{}: {n} records in one session on {}",
                who(p),
                f.systems.join(", ")
            );
            f.explanation = format!(
                "The session {} – {} (UTC) touched {n} records (sum of the events' records field){}{}. The person's sessions ({}) touch at most {norm} records in 95 % of cases (95th percentile, nearest rank).",
                format_utc(s.start_us),
                format_utc(s.end_us),
                if over_max {
                    format!(", at least bulk.max_records = {}", params.bulk_max_records)
                } else {
                    String::new()
                },
                if over_norm {
                    format!(
                        ", more than bulk.norm_factor = {} × the person's 95th-percentile session",
                        params.bulk_norm_factor
                    )
                } else {
                    String::new()
                },
                ss.len()
            );
            f.text.title = Some(
                super::Msg::new("findings-bulk-title")
                    .text("who", who(p))
                    .text("records", n.to_string())
                    .text("systems", f.systems.join(", ")),
            );
            f.text.explanation = Some(
                super::Msg::new("findings-bulk-explanation")
                    .time("from", s.start_us)
                    .time("to", s.end_us)
                    .text("records", n.to_string())
                    .select("over_max", if over_max { "yes" } else { "no" })
                    .text("max", params.bulk_max_records.to_string())
                    .select("over_norm", if over_norm { "yes" } else { "no" })
                    .text("factor", params.bulk_norm_factor.to_string())
                    .text("sessions", ss.len().to_string())
                    .text("norm", norm.to_string()),
            );
            out.push(f);
        }
    }
    out
}

/// The 95th percentile of `v` by nearest rank (the smallest value with at least 95 % of the
/// values at or below it); 0 for none.
pub(crate) fn p95(v: &[i64]) -> i64 {
    if v.is_empty() {
        return 0;
    }
    let mut v = v.to_vec();
    v.sort_unstable();
    let rank = (v.len() * 95).div_ceil(100);
    v[rank.clamp(1, v.len()) - 1]
}

/// `new_reach`: the first access of a person to a system, or to a data category, after their
/// baseline (the first `new_reach.baseline_days` days from their first access). Evidence: that
/// access event.
pub(crate) fn new_reach(l: &Loaded, params: &Params) -> Vec<Finding> {
    let baseline_us = params.new_reach_baseline_days * US_PER_DAY;
    let mut out = Vec::new();
    for (pi, p) in l.persons.iter().enumerate() {
        let evs = &l.events[pi];
        let Some(first) = evs.iter().find(|e| e.access).map(|e| e.ts_us) else {
            continue;
        };
        let mut systems: HashSet<i64> = HashSet::new();
        let mut cats = 0u64;
        for e in evs.iter().filter(|e| e.access) {
            let after_baseline = e.ts_us - first >= baseline_us;
            if e.system_id != 0 && systems.insert(e.system_id) && after_baseline {
                let name = l.system_name(e.system_id);
                let mut f = finding(
                    l,
                    params,
                    Rule::NewReach,
                    p,
                    Some(&format!("system:{name}")),
                    &[e],
                );
                f.severity = Severity::Low;
                f.title = format!("{}: first access to {name}", who(p));
                f.explanation = format!(
                    "The person's first access to {name}, {} days after their first access in the case ({}); systems first reached within new_reach.baseline_days = {} days are their baseline.",
                    (e.ts_us - first) / US_PER_DAY,
                    format_utc(first),
                    params.new_reach_baseline_days
                );
                f.text.title = Some(
                    super::Msg::new("findings-new-system-title")
                        .text("who", who(p))
                        .text("system", name.as_str()),
                );
                f.text.explanation = Some(
                    super::Msg::new("findings-new-system-explanation")
                        .text("system", name.as_str())
                        .text("days", ((e.ts_us - first) / US_PER_DAY).to_string())
                        .time("first", first)
                        .text("baseline", params.new_reach_baseline_days.to_string()),
                );
                out.push(f);
            }
            let new_bits = e.categories & !cats;
            cats |= e.categories;
            if new_bits != 0 && after_baseline {
                for bit in CategorySet(new_bits).bits() {
                    let name = l.vocab.name_of(bit).unwrap_or("?").to_string();
                    let mut f = finding(
                        l,
                        params,
                        Rule::NewReach,
                        p,
                        Some(&format!("category:{name}")),
                        &[e],
                    );
                    f.severity = Severity::Low;
                    f.title = format!("{}: first access to {name} data", who(p));
                    f.explanation = format!(
                        "The person's first access event carrying the category {name}, {} days after their first access in the case ({}); categories first reached within new_reach.baseline_days = {} days are their baseline.",
                        (e.ts_us - first) / US_PER_DAY,
                        format_utc(first),
                        params.new_reach_baseline_days
                    );
                    f.text.title = Some(
                        super::Msg::new("findings-new-category-title")
                            .text("who", who(p))
                            .category("category", name.as_str()),
                    );
                    f.text.explanation = Some(
                        super::Msg::new("findings-new-category-explanation")
                            .category("category", name.as_str())
                            .text("days", ((e.ts_us - first) / US_PER_DAY).to_string())
                            .time("first", first)
                            .text("baseline", params.new_reach_baseline_days.to_string()),
                    );
                    out.push(f);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p95_is_nearest_rank() {
        assert_eq!(p95(&[]), 0);
        assert_eq!(p95(&[5, 1, 3]), 5);
        let v: Vec<i64> = (1..=100).rev().collect();
        assert_eq!(p95(&v), 95);
        let v: Vec<i64> = (1..=19).collect();
        assert_eq!(p95(&v), 19);
        let v: Vec<i64> = (1..=20).collect();
        assert_eq!(p95(&v), 19);
    }

    #[test]
    fn local_clock_uses_the_zone_and_weekday() {
        // 2021-02-25T06:05:56Z is a Thursday, 14:05 in Shanghai.
        let ts = chrono::DateTime::parse_from_rfc3339("2021-02-25T06:05:56Z")
            .unwrap()
            .timestamp_micros();
        let mut c = LocalClock::new("Asia/Shanghai".parse().unwrap());
        assert_eq!(c.at(ts), (14, 3));
        let mut k = LocalClock::new("Asia/Kolkata".parse().unwrap());
        // 06:05:56Z = 11:35:56 in Kolkata; 06:25Z = 11:55; 06:35Z = 12:05.
        assert_eq!(k.at(ts).0, 11);
        assert_eq!(k.at(ts + 29 * US_PER_MIN).0, 12);
    }
}
