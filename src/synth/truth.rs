//! Ground-truth bookkeeping: every event is observed once, in time order,
//! as it is written, and only aggregates are kept (per-person counters and
//! subject bit sets over the fixed subject population), so memory does not
//! grow with the number of events.

use super::cast::ORGS;
use super::cast::{
    ACCOUNTS, CATEGORY_NAMES, COUNTRIES, ENGINEERS, Org, PEOPLE, REVIEWERS, category_list,
    org_info, system_list,
};
use super::clock::{self, MS_PER_HOUR, MS_PER_MIN, Zone};
use super::events::{Ev, LOG_FILES, LogFile};
use super::scenario::{self, Approval, Scenario};
use super::subjects::Subjects;
use super::{
    AccountTruth, CountryCategoryCount, CountryCategoryTruth, CountryCount, DalianTruth,
    DeniedAttempt, EngineerSessions, FileTruth, GenParams, GroundTruth, PersonTruth, SessionTruth,
    ShanghaiTruth, SubjectTruth,
};

/// Gap that ends a session (a gap of exactly this long starts a new one).
pub(crate) const SESSION_GAP: i64 = 30 * MS_PER_MIN;
/// Supervision window around a session.
const SUPERVISION_SLACK: i64 = 20 * MS_PER_MIN;
/// Wider window reported for unsupervised sessions ("nobody near").
const NEARBY_SLACK: i64 = 6 * MS_PER_HOUR;

// The findings rules' default parameters (see the README, "Findings"), restated here so that
// the ground truth is computed independently of the rules' code.
/// Working hours in the person's own zone: [8:00, 20:00), Monday to Friday.
const WORK_START_HOUR: i64 = 8;
const WORK_END_HOUR: i64 = 20;
/// Bulk: a session of at least this many records ...
const BULK_MAX_RECORDS: u64 = 1000;
/// ... or of at least `BULK_MIN_RECORDS` and more than `BULK_NORM_FACTOR` times the person's
/// 95th-percentile session, for people with at least `BULK_MIN_SESSIONS` sessions.
const BULK_NORM_FACTOR: u64 = 2;
const BULK_MIN_RECORDS: u64 = 100;
const BULK_MIN_SESSIONS: usize = 20;
/// New reach: first touches within this long of a person's first access are the baseline.
const NEW_REACH_BASELINE: i64 = 30 * clock::MS_PER_DAY;
/// Coverage gap: at least this many empty hours ...
const GAP_MIN_HOURS: i64 = 24;
/// ... and at least this many times the file's 99th-percentile silence.
const GAP_FACTOR: i64 = 2;

/// What the findings rules must find on the data set at their default parameters.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FindingsTruth {
    /// Per person with any (people.csv order): sessions with at least one access to a system
    /// that stores its data outside the country the person works in; `count` = those
    /// accesses.
    pub cross_border: Vec<PersonFindings>,
    /// Distinct subjects per subject country touched by cross-border accesses.
    pub cross_border_subjects: Vec<CountryCount>,
    /// The same by category (non-zero cells, category then country order).
    pub cross_border_by_category: Vec<CountryCategoryCount>,
    /// Approval holders' sessions with an access no approval covers; `count` = those accesses.
    pub outside_approval: Vec<PersonFindings>,
    /// Covered sessions whose overseer was not active within 20 minutes; `count` = accesses.
    pub unsupervised: Vec<PersonFindings>,
    /// Successful accesses after an access_revoked milestone covering the person.
    pub access_after_revocation: u64,
    /// Refused attempts after an access_revoked milestone covering the person.
    pub refused_after_revocation: Vec<DeniedAttempt>,
    /// Sessions with an access outside 08:00–20:00 Monday–Friday in the person's zone;
    /// `count` = those accesses.
    pub off_hours: Vec<PersonFindings>,
    /// Bulk sessions; `count` = their records.
    pub bulk: Vec<PersonFindings>,
    /// First accesses to a system after the 30-day baseline; `count` = findings.
    pub new_reach_systems: Vec<PersonFindings>,
    /// First accesses to a data category after the 30-day baseline; `count` = findings.
    pub new_reach_categories: Vec<PersonFindings>,
    /// Silences of an access file of at least 24 hours and twice its 99th-percentile silence.
    pub coverage_gaps: Vec<GapTruth>,
    /// Distinct subjects by country × category per organization (people.csv organizations).
    pub by_organization: Vec<OrganizationImpact>,
}

/// Findings of one rule for one person.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PersonFindings {
    pub person_id: String,
    pub findings: u64,
    /// The sum of the findings' counts, in the rule's unit.
    pub count: u64,
}

/// One coverage gap of an access file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GapTruth {
    pub file: String,
    /// The last event before and the first event after the silence.
    pub from: String,
    pub to: String,
    pub empty_hours: i64,
}

/// One organization's impact table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OrganizationImpact {
    pub organization: String,
    pub distinct_subjects: u64,
    pub cells: Vec<CountryCategoryCount>,
}

/// Per person: the running state the findings rules need.
#[derive(Clone, Default)]
struct FindAcc {
    last_ts: Option<i64>,
    first: Option<i64>,
    cross_in_session: bool,
    cross_sessions: u64,
    cross_events: u64,
    off_in_session: bool,
    off_sessions: u64,
    off_events: u64,
    session_records: Vec<u64>,
    systems: u8,
    categories: u8,
    reach_systems: u64,
    reach_categories: u64,
}

impl FindAcc {
    fn observe(&mut self, ev: &Ev, zone: Zone, cross: bool) {
        if self.last_ts.is_none_or(|t| ev.ts - t >= SESSION_GAP) {
            self.cross_in_session = false;
            self.off_in_session = false;
            self.session_records.push(0);
        }
        self.last_ts = Some(ev.ts);
        if let Some(r) = self.session_records.last_mut() {
            *r += u64::from(ev.records);
        }
        if cross {
            self.cross_events += 1;
            if !self.cross_in_session {
                self.cross_in_session = true;
                self.cross_sessions += 1;
            }
        }
        let local = ev.ts + zone.offset_ms();
        let hour = local.rem_euclid(clock::MS_PER_DAY) / MS_PER_HOUR;
        let weekday = clock::weekday(local.div_euclid(clock::MS_PER_DAY));
        if weekday >= 5 || !(WORK_START_HOUR..WORK_END_HOUR).contains(&hour) {
            self.off_events += 1;
            if !self.off_in_session {
                self.off_in_session = true;
                self.off_sessions += 1;
            }
        }
        let first = *self.first.get_or_insert(ev.ts);
        let after_baseline = ev.ts - first >= NEW_REACH_BASELINE;
        let sys = ev.op.system().bit();
        if self.systems & sys == 0 {
            self.systems |= sys;
            if after_baseline {
                self.reach_systems += 1;
            }
        }
        let new = ev.op.categories() & !self.categories;
        self.categories |= ev.op.categories();
        if after_baseline {
            self.reach_categories += u64::from(new.count_ones());
        }
    }

    /// (bulk sessions, their records).
    fn bulk(&self) -> (u64, u64) {
        let mut sorted = self.session_records.clone();
        sorted.sort_unstable();
        let p95 = if sorted.is_empty() {
            0
        } else {
            sorted[(sorted.len() * 95).div_ceil(100).max(1) - 1]
        };
        let norm = sorted.len() >= BULK_MIN_SESSIONS;
        let mut out = (0, 0);
        for &n in &self.session_records {
            if n >= BULK_MAX_RECORDS
                || (norm && n >= BULK_MIN_RECORDS && n > BULK_NORM_FACTOR * p95)
            {
                out.0 += 1;
                out.1 += n;
            }
        }
        out
    }
}

/// Per access file: the first and last event of every non-empty UTC hour.
#[derive(Default)]
struct FileHours(std::collections::HashMap<i64, (i64, i64)>);

impl FileHours {
    fn observe(&mut self, ts: i64) {
        let e = self.0.entry(ts.div_euclid(MS_PER_HOUR)).or_insert((ts, ts));
        e.0 = e.0.min(ts);
        e.1 = e.1.max(ts);
    }

    fn gaps(&self, file: &str) -> Vec<GapTruth> {
        let mut hours: Vec<i64> = self.0.keys().copied().collect();
        hours.sort_unstable();
        let mut silences: Vec<i64> = hours.windows(2).map(|w| w[1] - w[0] - 1).collect();
        silences.sort_unstable();
        let p99 = if silences.is_empty() {
            0
        } else {
            silences[(silences.len() * 99).div_ceil(100).max(1) - 1]
        };
        let threshold = GAP_MIN_HOURS.max(GAP_FACTOR * p99);
        hours
            .windows(2)
            .filter(|w| {
                let empty = w[1] - w[0] - 1;
                empty >= threshold
            })
            .map(|w| GapTruth {
                file: file.to_string(),
                from: clock::utc_string(self.0[&w[0]].1),
                to: clock::utc_string(self.0[&w[1]].0),
                empty_hours: w[1] - w[0] - 1,
            })
            .collect()
    }
}

/// A set of subject indices.
#[derive(Clone)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn set(&mut self, i: u32) {
        self.0[i as usize / 64] |= 1 << (i % 64);
    }
    fn count(&self) -> u64 {
        self.0.iter().map(|w| u64::from(w.count_ones())).sum()
    }
    fn count_and(&self, other: &Bits) -> u64 {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| u64::from((a & b).count_ones()))
            .sum()
    }
}

/// Running figures for one person or unattributed account.
#[derive(Clone)]
struct Acc {
    events: u64,
    denied: u64,
    sessions: u64,
    last_ts: Option<i64>,
    active_days: u64,
    last_day: Option<i64>,
    systems: u8,
    categories: u8,
    subjects: Bits,
    records: u64,
    first: Option<i64>,
}

impl Acc {
    fn new(n: usize) -> Self {
        Acc {
            events: 0,
            denied: 0,
            sessions: 0,
            last_ts: None,
            active_days: 0,
            last_day: None,
            systems: 0,
            categories: 0,
            subjects: Bits::new(n),
            records: 0,
            first: None,
        }
    }

    fn observe(&mut self, ev: &Ev, zone: Zone, subjects: &[u32]) {
        self.events += 1;
        if self.last_ts.is_none_or(|t| ev.ts - t >= SESSION_GAP) {
            self.sessions += 1;
        }
        self.last_ts = Some(ev.ts);
        let day = zone.local_day(ev.ts);
        if self.last_day != Some(day) {
            self.active_days += 1;
            self.last_day = Some(day);
        }
        self.systems |= ev.op.system().bit();
        self.categories |= ev.op.categories();
        for &s in subjects {
            self.subjects.set(s);
        }
        self.records += u64::from(ev.records);
        self.first.get_or_insert(ev.ts);
    }
}

/// Subjects seen per data category for a group of events.
struct Group {
    events: u64,
    records: u64,
    any: Bits,
    by_category: Vec<Bits>,
    first: Option<i64>,
    last: Option<i64>,
}

impl Group {
    fn new(n: usize) -> Self {
        Group {
            events: 0,
            records: 0,
            any: Bits::new(n),
            by_category: vec![Bits::new(n); CATEGORY_NAMES.len()],
            first: None,
            last: None,
        }
    }

    fn observe(&mut self, ev: &Ev, subjects: &[u32]) {
        self.events += 1;
        self.records += u64::from(ev.records);
        self.first.get_or_insert(ev.ts);
        self.last = Some(ev.ts);
        let cats = ev.op.categories();
        for &s in subjects {
            self.any.set(s);
        }
        for (c, bits) in self.by_category.iter_mut().enumerate() {
            if cats & (1 << c) != 0 {
                for &s in subjects {
                    bits.set(s);
                }
            }
        }
    }

    fn table(&self, countries: &[Bits]) -> Vec<CountryCategoryCount> {
        let mut out = Vec::new();
        for (c, bits) in self.by_category.iter().enumerate() {
            for (k, mask) in countries.iter().enumerate() {
                let n = bits.count_and(mask);
                if n > 0 {
                    out.push(CountryCategoryCount {
                        country: COUNTRIES[k].0.to_string(),
                        category: CATEGORY_NAMES[c].to_string(),
                        subjects: n,
                    });
                }
            }
        }
        out
    }
}

/// One Shanghai session, found from the scenario events before streaming;
/// the overseer counts are filled in as the Japan audit log streams by.
struct ShSession {
    person: usize,
    start: i64,
    end: i64,
    systems: u8,
    events: u64,
    records: u64,
    subjects: Vec<u32>,
    approval: Option<usize>,
    uncovered_reason: Option<&'static str>,
    /// Events of the session that no approval covers.
    uncovered_events: u64,
    near_20: u64,
    near_6h: u64,
}

#[derive(Default, Clone, Copy)]
struct FileAcc {
    rows_read: u64,
    imported: u64,
    rejected: u64,
}

pub(crate) struct Tally {
    n_subjects: usize,
    files: [FileAcc; 4],
    people: Vec<Acc>,
    unattributed: Vec<(usize, Acc)>,
    whole: Group,
    shanghai: Group,
    dalian: Group,
    unattributed_subjects: Bits,
    countries: Vec<Bits>,
    approvals: Vec<Approval>,
    sessions: Vec<ShSession>,
    overseers: Vec<usize>,
    sh_revoked: i64,
    sh_denied: Vec<(usize, i64, u8)>,
    sh_ok_after: u64,
    dalian_start: i64,
    dalian_revoked: i64,
    dalian_posts: u64,
    dalian_images: u64,
    dalian_before: u64,
    dalian_after: u64,
    background_events: u64,
    with_contact: u64,
    find: Vec<FindAcc>,
    cross_border: Group,
    orgs: Vec<Group>,
    file_hours: [FileHours; 4],
}

impl Tally {
    pub(crate) fn new(subjects: &Subjects, scen: &Scenario) -> Self {
        let n = subjects.ids.len();
        let mut countries = vec![Bits::new(n); COUNTRIES.len()];
        for (i, &c) in subjects.country.iter().enumerate() {
            countries[usize::from(c)].set(i as u32);
        }
        let unattributed = (0..ACCOUNTS.len())
            .filter(|&a| ACCOUNTS[a].person.is_none())
            .map(|a| (a, Acc::new(n)))
            .collect();
        let mut overseers: Vec<usize> = scen.approvals.iter().map(|a| a.overseer).collect();
        overseers.sort_unstable();
        overseers.dedup();
        Tally {
            n_subjects: n,
            files: [FileAcc::default(); 4],
            people: vec![Acc::new(n); PEOPLE.len()],
            unattributed,
            whole: Group::new(n),
            shanghai: Group::new(n),
            dalian: Group::new(n),
            unattributed_subjects: Bits::new(n),
            countries,
            approvals: scen.approvals.clone(),
            sessions: shanghai_sessions(scen),
            overseers,
            sh_revoked: scenario::tokyo(scenario::SH_REVOKED),
            sh_denied: Vec::new(),
            sh_ok_after: 0,
            dalian_start: scenario::tokyo(scenario::DALIAN_START),
            dalian_revoked: scenario::tokyo(scenario::DALIAN_REVOKED),
            dalian_posts: 0,
            dalian_images: 0,
            dalian_before: 0,
            dalian_after: 0,
            background_events: 0,
            with_contact: subjects.contact.iter().filter(|c| c.is_some()).count() as u64,
            find: vec![FindAcc::default(); PEOPLE.len()],
            cross_border: Group::new(n),
            orgs: (0..ORGS.len()).map(|_| Group::new(n)).collect(),
            file_hours: Default::default(),
        }
    }

    /// A row the importer must reject (it still counts as read).
    pub(crate) fn reject(&mut self, file: LogFile) {
        let f = &mut self.files[file.index()];
        f.rows_read += 1;
        f.rejected += 1;
    }

    pub(crate) fn set_background(&mut self, n: u64) {
        self.background_events = n;
    }

    pub(crate) fn observe(&mut self, ev: &Ev, subjects: &[u32]) {
        let f = &mut self.files[ev.op.file().index()];
        f.rows_read += 1;
        f.imported += 1;
        self.file_hours[ev.op.file().index()].observe(ev.ts);
        let person = ACCOUNTS[usize::from(ev.account)].person;
        if !ev.ok {
            if let Some(p) = person {
                self.people[p].denied += 1;
                if PEOPLE[p].org == Org::Affiliate {
                    self.sh_denied.push((p, ev.ts, ev.op.system().bit()));
                }
            }
            return;
        }
        self.whole.observe(ev, subjects);
        let Some(p) = person else {
            let (_, acc) = self
                .unattributed
                .iter_mut()
                .find(|(a, _)| *a == usize::from(ev.account))
                .expect("every unattributed account is tallied");
            acc.observe(ev, Zone::Tokyo, subjects);
            for &s in subjects {
                self.unattributed_subjects.set(s);
            }
            return;
        };
        self.people[p].observe(ev, PEOPLE[p].zone, subjects);
        let cross = org_info(PEOPLE[p].org).country != ev.op.system().country();
        self.find[p].observe(ev, PEOPLE[p].zone, cross);
        if cross {
            self.cross_border.observe(ev, subjects);
        }
        let org = ORGS
            .iter()
            .position(|o| o.org == PEOPLE[p].org)
            .expect("every Org has an entry");
        self.orgs[org].observe(ev, subjects);
        match PEOPLE[p].org {
            Org::Affiliate => {
                self.shanghai.observe(ev, subjects);
                if ev.ts >= self.sh_revoked {
                    self.sh_ok_after += 1;
                }
            }
            Org::Subcontractor => {
                self.dalian.observe(ev, subjects);
                match ev.op.file() {
                    LogFile::Contractor => self.dalian_posts += 1,
                    LogFile::KrMedia => self.dalian_images += 1,
                    _ => {}
                }
                if ev.ts < self.dalian_start {
                    self.dalian_before += 1;
                }
                if ev.ts >= self.dalian_revoked {
                    self.dalian_after += 1;
                }
            }
            _ => {}
        }
        if self.overseers.contains(&p) {
            self.overseer_event(p, ev);
        }
    }

    fn overseer_event(&mut self, p: usize, ev: &Ev) {
        // Sessions last well under two hours, so any session within six
        // hours of `ev` starts no earlier than eight hours before it.
        let from = self
            .sessions
            .partition_point(|s| s.start < ev.ts - NEARBY_SLACK - 2 * MS_PER_HOUR);
        let system = ev.op.system().bit();
        for s in &mut self.sessions[from..] {
            if s.start > ev.ts + NEARBY_SLACK {
                break;
            }
            let Some(a) = s.approval else { continue };
            if self.approvals[a].overseer != p || s.systems & system == 0 {
                continue;
            }
            if s.start - SUPERVISION_SLACK <= ev.ts && ev.ts <= s.end + SUPERVISION_SLACK {
                s.near_20 += 1;
            }
            if s.start - NEARBY_SLACK <= ev.ts && ev.ts <= s.end + NEARBY_SLACK {
                s.near_6h += 1;
            }
        }
    }

    pub(crate) fn finish(self, params: &GenParams) -> GroundTruth {
        let files = self.files_truth();
        let total_events: u64 = files.iter().map(|f| f.imported).sum();
        let people = self.people_truth();
        let unattributed_accounts = self.unattributed_truth();
        let shanghai = self.shanghai_truth();
        let dalian = self.dalian_truth();
        let subjects = self.subjects_truth();
        let country_category = CountryCategoryTruth {
            shanghai: self.shanghai.table(&self.countries),
            dalian: self.dalian.table(&self.countries),
            whole_case: self.whole.table(&self.countries),
        };
        let findings = self.findings_truth(&sessions_truth_counts(&self));
        let scenario_events = total_events - self.background_events;
        GroundTruth {
            seed: params.seed,
            background_events: self.background_events,
            scenario_events,
            total_events,
            session_gap_minutes: (SESSION_GAP / MS_PER_MIN) as u64,
            files,
            people,
            unattributed_accounts,
            shanghai,
            dalian,
            subjects,
            country_category,
            findings,
        }
    }

    /// Rows read, imported and rejected per log file.
    fn files_truth(&self) -> Vec<FileTruth> {
        LOG_FILES
            .iter()
            .map(|f| {
                let a = self.files[f.index()];
                FileTruth {
                    name: f.name().to_string(),
                    rows_read: a.rows_read,
                    imported: a.imported,
                    rejected: a.rejected,
                }
            })
            .collect()
    }

    /// Every person's figures.
    fn people_truth(&self) -> Vec<PersonTruth> {
        PEOPLE
            .iter()
            .zip(&self.people)
            .map(|(p, a)| PersonTruth {
                person_id: p.id.to_string(),
                display_name: p.display.to_string(),
                organization: org_info(p.org).name.to_string(),
                events: a.events,
                denied_events: a.denied,
                sessions: a.sessions,
                active_days: a.active_days,
                systems: strings(system_list(a.systems)),
                categories: strings(category_list(a.categories)),
                distinct_subjects: a.subjects.count(),
                records: a.records,
                first_event: a.first.map(clock::utc_string),
                last_event: a.last_ts.map(clock::utc_string),
            })
            .collect()
    }

    /// The figures of each account mapped to nobody.
    fn unattributed_truth(&self) -> Vec<AccountTruth> {
        self.unattributed
            .iter()
            .map(|(acc, a)| AccountTruth {
                account: ACCOUNTS[*acc].name.to_string(),
                events: a.events,
                systems: strings(system_list(a.systems)),
                categories: strings(category_list(a.categories)),
                distinct_subjects: a.subjects.count(),
                records: a.records,
                first_event: a.first.map(clock::utc_string),
                last_event: a.last_ts.map(clock::utc_string),
            })
            .collect()
    }

    /// The Shanghai engineers' figures and sessions.
    fn shanghai_truth(&self) -> ShanghaiTruth {
        let sessions: Vec<SessionTruth> = self
            .sessions
            .iter()
            .map(|s| {
                let approval = s.approval.map(|a| &self.approvals[a]);
                SessionTruth {
                    person_id: PEOPLE[s.person].id.to_string(),
                    start: clock::utc_string(s.start),
                    end: clock::utc_string(s.end),
                    systems: strings(system_list(s.systems)),
                    events: s.events,
                    distinct_subjects: s.subjects.len() as u64,
                    records: s.records,
                    covered: approval.is_some(),
                    uncovered_reason: s.uncovered_reason.map(str::to_string),
                    approval_ticket: approval.map(|a| a.ticket.clone()),
                    overseer: approval.map(|a| PEOPLE[a.overseer].id.to_string()),
                    supervised: approval.map(|_| s.near_20 > 0),
                    overseer_events_within_20min: s.near_20,
                    overseer_events_within_6h: s.near_6h,
                }
            })
            .collect();
        let count = |pred: &dyn Fn(&SessionTruth) -> bool| -> u64 {
            sessions.iter().filter(|s| pred(s)).count() as u64
        };
        let sessions_per_engineer = ENGINEERS
            .iter()
            .map(|&e| {
                let id = PEOPLE[e].id;
                EngineerSessions {
                    person_id: id.to_string(),
                    display_name: PEOPLE[e].display.to_string(),
                    sessions: count(&|s| s.person_id == id),
                    covered: count(&|s| s.person_id == id && s.covered),
                    uncovered: count(&|s| s.person_id == id && !s.covered),
                    supervised: count(&|s| s.person_id == id && s.supervised == Some(true)),
                    unsupervised: count(&|s| s.person_id == id && s.supervised == Some(false)),
                }
            })
            .collect();
        ShanghaiTruth {
            engineers: ENGINEERS
                .iter()
                .map(|&e| PEOPLE[e].id.to_string())
                .collect(),
            access_revoked_at: clock::offset_string(self.sh_revoked, Zone::Tokyo),
            sessions_total: sessions.len() as u64,
            sessions_per_engineer,
            covered: count(&|s| s.covered),
            uncovered: count(&|s| !s.covered),
            supervised: count(&|s| s.supervised == Some(true)),
            unsupervised: count(&|s| s.supervised == Some(false)),
            events: self.shanghai.events,
            records: self.shanghai.records,
            distinct_subjects: self.shanghai.any.count(),
            first_access: self.shanghai.first.map(clock::utc_string),
            last_access: self.shanghai.last.map(clock::utc_string),
            denied_after_revocation: self
                .sh_denied
                .iter()
                .filter(|d| d.1 >= self.sh_revoked)
                .count() as u64,
            successful_after_revocation: self.sh_ok_after,
            denied_attempts: self
                .sh_denied
                .iter()
                .map(|&(p, ts, sys)| DeniedAttempt {
                    person_id: PEOPLE[p].id.to_string(),
                    at: clock::utc_string(ts),
                    system: system_list(sys).join(";"),
                })
                .collect(),
            sessions,
        }
    }

    /// The Dalian reviewers' figures.
    fn dalian_truth(&self) -> DalianTruth {
        DalianTruth {
            reviewers: REVIEWERS
                .iter()
                .map(|&r| PEOPLE[r].id.to_string())
                .collect(),
            contract_started_at: clock::offset_string(self.dalian_start, Zone::Tokyo),
            access_revoked_at: clock::offset_string(self.dalian_revoked, Zone::Tokyo),
            events: self.dalian.events,
            post_reviews: self.dalian_posts,
            image_views: self.dalian_images,
            records: self.dalian.records,
            distinct_subjects: self.dalian.any.count(),
            first_event: self.dalian.first.map(clock::utc_string),
            last_event: self.dalian.last.map(clock::utc_string),
            events_before_contract: self.dalian_before,
            events_after_revocation: self.dalian_after,
        }
    }

    /// The subjects' figures.
    fn subjects_truth(&self) -> SubjectTruth {
        SubjectTruth {
            total: self.n_subjects as u64,
            by_country: COUNTRIES
                .iter()
                .zip(&self.countries)
                .map(|(c, bits)| CountryCount {
                    country: c.0.to_string(),
                    subjects: bits.count(),
                })
                .collect(),
            with_phone_and_email: self.with_contact,
            touched_whole_case: self.whole.any.count(),
            touched_by_shanghai: self.shanghai.any.count(),
            touched_by_dalian: self.dalian.any.count(),
            touched_by_unattributed: self.unattributed_subjects.count(),
        }
    }

    fn findings_truth(&self, sessions: &SessionCounts) -> FindingsTruth {
        let per_person = |f: &dyn Fn(usize, &FindAcc) -> (u64, u64)| -> Vec<PersonFindings> {
            PEOPLE
                .iter()
                .enumerate()
                .map(|(i, p)| (p, f(i, &self.find[i])))
                .filter(|(_, (n, _))| *n > 0)
                .map(|(p, (findings, count))| PersonFindings {
                    person_id: p.id.to_string(),
                    findings,
                    count,
                })
                .collect()
        };
        let mut gaps = Vec::new();
        for f in LOG_FILES {
            gaps.extend(self.file_hours[f.index()].gaps(f.name()));
        }
        FindingsTruth {
            cross_border: per_person(&|_, a| (a.cross_sessions, a.cross_events)),
            cross_border_subjects: COUNTRIES
                .iter()
                .zip(&self.countries)
                .map(|(c, bits)| CountryCount {
                    country: c.0.to_string(),
                    subjects: self.cross_border.any.count_and(bits),
                })
                .filter(|c| c.subjects > 0)
                .collect(),
            cross_border_by_category: self.cross_border.table(&self.countries),
            outside_approval: per_person(&|i, _| sessions.uncovered[i]),
            unsupervised: per_person(&|i, _| sessions.unsupervised[i]),
            access_after_revocation: self.sh_ok_after + self.dalian_after,
            refused_after_revocation: self
                .sh_denied
                .iter()
                .filter(|d| d.1 >= self.sh_revoked)
                .map(|&(p, ts, sys)| DeniedAttempt {
                    person_id: PEOPLE[p].id.to_string(),
                    at: clock::utc_string(ts),
                    system: system_list(sys).join(";"),
                })
                .collect(),
            off_hours: per_person(&|_, a| (a.off_sessions, a.off_events)),
            bulk: per_person(&|_, a| a.bulk()),
            new_reach_systems: per_person(&|_, a| (a.reach_systems, a.reach_systems)),
            new_reach_categories: per_person(&|_, a| (a.reach_categories, a.reach_categories)),
            coverage_gaps: gaps,
            by_organization: ORGS
                .iter()
                .zip(&self.orgs)
                .map(|(o, g)| OrganizationImpact {
                    organization: o.name.to_string(),
                    distinct_subjects: g.any.count(),
                    cells: g.table(&self.countries),
                })
                .collect(),
        }
    }
}

/// Per person (PEOPLE index): (sessions, accesses) not covered by an approval, and covered but
/// unsupervised.
struct SessionCounts {
    uncovered: Vec<(u64, u64)>,
    unsupervised: Vec<(u64, u64)>,
}

fn sessions_truth_counts(t: &Tally) -> SessionCounts {
    let mut out = SessionCounts {
        uncovered: vec![(0, 0); PEOPLE.len()],
        unsupervised: vec![(0, 0); PEOPLE.len()],
    };
    for s in &t.sessions {
        match s.approval {
            None => {
                out.uncovered[s.person].0 += 1;
                out.uncovered[s.person].1 += s.uncovered_events;
            }
            Some(_) if s.near_20 == 0 => {
                out.unsupervised[s.person].0 += 1;
                out.unsupervised[s.person].1 += s.events;
            }
            Some(_) => {}
        }
    }
    out
}

fn strings(v: Vec<&str>) -> Vec<String> {
    v.into_iter().map(str::to_string).collect()
}

/// Splits the engineers' successful scenario events into sessions and
/// decides coverage from the approvals.
fn shanghai_sessions(scen: &Scenario) -> Vec<ShSession> {
    let mut out: Vec<ShSession> = Vec::new();
    for &person in &ENGINEERS {
        let evs: Vec<&Ev> = scen
            .events
            .iter()
            .filter(|e| e.ok && ACCOUNTS[usize::from(e.account)].person == Some(person))
            .collect();
        let mut i = 0;
        while i < evs.len() {
            let mut j = i + 1;
            while j < evs.len() && evs[j].ts - evs[j - 1].ts < SESSION_GAP {
                j += 1;
            }
            let run = &evs[i..j];
            let mut subjects: Vec<u32> = run
                .iter()
                .flat_map(|e| {
                    let s = e.sub_start as usize;
                    scen.arena[s..s + usize::from(e.sub_len)].iter().copied()
                })
                .collect();
            subjects.sort_unstable();
            subjects.dedup();
            let in_force =
                |e: &Ev, a: &Approval| a.person == person && a.from <= e.ts && e.ts <= a.to;
            let covers = |e: &Ev, a: &Approval| in_force(e, a) && a.system == e.op.system();
            let covered = run
                .iter()
                .all(|e| scen.approvals.iter().any(|a| covers(e, a)));
            let approval = if covered {
                scen.approvals.iter().position(|a| covers(run[0], a))
            } else {
                None
            };
            let uncovered_reason = run
                .iter()
                .find(|e| !scen.approvals.iter().any(|a| covers(e, a)))
                .map(|e| {
                    if scen.approvals.iter().any(|a| in_force(e, a)) {
                        "system_not_approved"
                    } else {
                        "outside_approval_window"
                    }
                });
            out.push(ShSession {
                person,
                start: run[0].ts,
                end: run[run.len() - 1].ts,
                systems: run.iter().fold(0, |m, e| m | e.op.system().bit()),
                events: run.len() as u64,
                records: run.iter().map(|e| u64::from(e.records)).sum(),
                subjects,
                approval,
                uncovered_reason,
                uncovered_events: run
                    .iter()
                    .filter(|e| !scen.approvals.iter().any(|a| covers(e, a)))
                    .count() as u64,
                near_20: 0,
                near_6h: 0,
            });
            i = j;
        }
    }
    out.sort_by_key(|s| s.start);
    out
}
