//! Deterministic synthetic data sets for Retrace.
//!
//! This module owns the fictional case that ships with the tool (and that
//! `retrace gen` writes at any size): rosters, approvals, milestones, data
//! subjects and four access logs in four different shapes, plus the ground
//! truth that an import and analysis of those files must reproduce. The
//! organizations, people and data are invented; the storyline follows the
//! public facts of the 2021 LINE reports (an affiliate's engineers in
//! Shanghai reaching servers in Japan, a monitoring contractor's
//! subcontractor in Dalian, images stored in South Korea).
//!
//! Output is a pure function of [`GenParams`]: the pseudo-random generator
//! is implemented here (SplitMix64), nothing depends on hash ordering, the
//! clock or the platform, so a seed gives byte-identical files forever.
//!
//! Ground-truth definitions (what the figures in [`GroundTruth`] mean):
//! - an event's person is the person its account maps to in accounts.csv;
//!   the service accounts that map to no one are reported separately;
//! - a session is a maximal run of one person's *successful* events (all
//!   files, sorted by UTC time) with gaps under 30 minutes; refused events
//!   are counted apart (`denied_events`) and belong to no session;
//! - active days are distinct local dates in the person's own zone;
//! - a session is covered when every event lies inside an approval
//!   (`valid_from <= ts <= valid_to`) for that person and that event's
//!   system, and supervised when the covering approval's overseer has an
//!   event on the same system within 20 minutes before its start or after
//!   its end;
//! - "distinct subjects by country × category" counts, per (subject
//!   country, category), the distinct subjects appearing in an event that
//!   carries the category.

mod background;
mod cast;
mod clock;
mod events;
mod readme;
mod rng;
mod scenario;
mod subjects;
mod truth;

#[cfg(test)]
mod tests;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use cast::{ACCOUNTS, MAPPED_ACCOUNTS, PEOPLE, SYSTEMS, category_list, org_info};
use clock::Zone;
use events::{LogFile, Sinks};

pub use readme::readme_markdown;
pub use truth::{FindingsTruth, GapTruth, OrganizationImpact, PersonFindings};

/// Seed of the bundled sample in `sample_data/`.
pub const SAMPLE_SEED: u64 = 20210317;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenParams {
    pub seed: u64,
    /// Routine access events on top of the fixed scenario; the data set
    /// holds exactly this many plus [`GroundTruth::scenario_events`].
    pub background_events: u64,
}

/// Parameters of the bundled sample.
pub fn sample_params() -> GenParams {
    GenParams {
        seed: SAMPLE_SEED,
        background_events: 6000,
    }
}

/// One file of a data set, as the importer should be pointed at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleFile {
    pub name: &'static str,
    /// `people`, `accounts`, `systems`, `subjects`, `approvals`,
    /// `milestones` or `access`.
    pub kind: &'static str,
    /// Mapping profile next to the file, if the file needs one.
    pub profile: Option<&'static str>,
    /// Zone of naive timestamps when no profile states it; `None` when the
    /// timestamps carry an offset.
    pub tz: Option<&'static str>,
}

/// File names written by `generate`, in the order they should be imported.
pub fn manifest() -> Vec<SampleFile> {
    let roster = |name, kind| SampleFile {
        name,
        kind,
        profile: None,
        tz: None,
    };
    vec![
        roster("people.csv", "people"),
        roster("accounts.csv", "accounts"),
        roster("systems.csv", "systems"),
        roster("subjects.csv", "subjects"),
        roster("approvals.csv", "approvals"),
        roster("milestones.csv", "milestones"),
        SampleFile {
            name: LogFile::ShAdmin.name(),
            kind: "access",
            profile: None,
            tz: Some("Asia/Shanghai"),
        },
        SampleFile {
            name: LogFile::JpAudit.name(),
            kind: "access",
            profile: Some(JP_PROFILE_NAME),
            tz: None,
        },
        SampleFile {
            name: LogFile::KrMedia.name(),
            kind: "access",
            profile: Some(KR_PROFILE_NAME),
            tz: None,
        },
        SampleFile {
            name: LogFile::Contractor.name(),
            kind: "access",
            profile: Some(CTR_PROFILE_NAME),
            tz: Some("Asia/Tokyo"),
        },
    ]
}

/// Name of the ground-truth file `generate` writes.
pub const GROUND_TRUTH_FILE: &str = "ground_truth.json";

/// Everything an import and analysis of a generated data set must find.
/// Instants are RFC 3339 UTC with milliseconds (`2019-03-05T05:22:10.000Z`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GroundTruth {
    pub seed: u64,
    pub background_events: u64,
    /// Events of the fixed storyline: the Shanghai admin tool's rows
    /// (including the refused attempt) and the overseers' supervision
    /// queries in the Japan audit log.
    pub scenario_events: u64,
    /// Events imported across all files (`background_events +
    /// scenario_events`).
    pub total_events: u64,
    pub session_gap_minutes: u64,
    /// Per access file: data rows read (header excluded), imported, rejected.
    pub files: Vec<FileTruth>,
    /// Every person of people.csv, in file order.
    pub people: Vec<PersonTruth>,
    /// Accounts in the logs that accounts.csv maps to no person.
    pub unattributed_accounts: Vec<AccountTruth>,
    pub shanghai: ShanghaiTruth,
    pub dalian: DalianTruth,
    pub subjects: SubjectTruth,
    pub country_category: CountryCategoryTruth,
    /// What the findings rules must find at their default parameters. Not written to
    /// `ground_truth.json` (the bundled files stay as they are); rendered in the README.
    #[serde(skip)]
    pub findings: truth::FindingsTruth,
}

/// Row counts of one access file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileTruth {
    pub name: String,
    pub rows_read: u64,
    pub imported: u64,
    pub rejected: u64,
}

/// A person's figures over their successful events.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PersonTruth {
    pub person_id: String,
    pub display_name: String,
    pub organization: String,
    pub events: u64,
    /// Refused events (not part of `events` or of any session).
    pub denied_events: u64,
    pub sessions: u64,
    pub active_days: u64,
    pub systems: Vec<String>,
    pub categories: Vec<String>,
    pub distinct_subjects: u64,
    pub records: u64,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
}

/// Figures of one account that maps to no person (all its events).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccountTruth {
    pub account: String,
    pub events: u64,
    pub systems: Vec<String>,
    pub categories: Vec<String>,
    pub distinct_subjects: u64,
    pub records: u64,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
}

/// The Shanghai engineers' access to the Japan servers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ShanghaiTruth {
    /// Person ids of the four engineers.
    pub engineers: Vec<String>,
    /// RFC 3339 with the Tokyo offset, as in milestones.csv.
    pub access_revoked_at: String,
    pub sessions_total: u64,
    pub sessions_per_engineer: Vec<EngineerSessions>,
    pub covered: u64,
    pub uncovered: u64,
    pub supervised: u64,
    pub unsupervised: u64,
    /// Successful events of the engineers.
    pub events: u64,
    pub records: u64,
    pub distinct_subjects: u64,
    pub first_access: Option<String>,
    pub last_access: Option<String>,
    pub denied_after_revocation: u64,
    pub successful_after_revocation: u64,
    pub denied_attempts: Vec<DeniedAttempt>,
    /// Sorted by start.
    pub sessions: Vec<SessionTruth>,
}

/// Session counts of one Shanghai engineer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EngineerSessions {
    pub person_id: String,
    pub display_name: String,
    pub sessions: u64,
    pub covered: u64,
    pub uncovered: u64,
    pub supervised: u64,
    pub unsupervised: u64,
}

/// A refused event of a Shanghai engineer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DeniedAttempt {
    pub person_id: String,
    pub at: String,
    pub system: String,
}

/// One Shanghai access session.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SessionTruth {
    pub person_id: String,
    pub start: String,
    pub end: String,
    pub systems: Vec<String>,
    pub events: u64,
    pub distinct_subjects: u64,
    pub records: u64,
    pub covered: bool,
    /// `outside_approval_window` (no approval of the person in force) or
    /// `system_not_approved` (an approval in force, for another system).
    pub uncovered_reason: Option<String>,
    pub approval_ticket: Option<String>,
    pub overseer: Option<String>,
    /// `None` for uncovered sessions (no overseer is named).
    pub supervised: Option<bool>,
    /// Overseer events on the session's system within ±20 min of it.
    pub overseer_events_within_20min: u64,
    /// Overseer events on the session's system within ±6 h of it.
    pub overseer_events_within_6h: u64,
}

/// The Dalian reviewers' work (successful events).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DalianTruth {
    pub reviewers: Vec<String>,
    pub contract_started_at: String,
    pub access_revoked_at: String,
    pub events: u64,
    /// Events in the contractor export (message_text).
    pub post_reviews: u64,
    /// Events in the Korea media log (image_media).
    pub image_views: u64,
    pub records: u64,
    pub distinct_subjects: u64,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
    pub events_before_contract: u64,
    pub events_after_revocation: u64,
}

/// Data-subject counts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SubjectTruth {
    /// Rows of subjects.csv.
    pub total: u64,
    pub by_country: Vec<CountryCount>,
    pub with_phone_and_email: u64,
    /// Distinct subjects in any imported event.
    pub touched_whole_case: u64,
    pub touched_by_shanghai: u64,
    pub touched_by_dalian: u64,
    pub touched_by_unattributed: u64,
}

/// Subjects living in one country.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CountryCount {
    pub country: String,
    pub subjects: u64,
}

/// Only non-zero cells are listed, ordered by category (vocabulary order)
/// then country (JP, TW, TH, ID).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CountryCategoryTruth {
    pub shanghai: Vec<CountryCategoryCount>,
    pub dalian: Vec<CountryCategoryCount>,
    pub whole_case: Vec<CountryCategoryCount>,
}

/// One cell of a country × category table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CountryCategoryCount {
    pub country: String,
    pub category: String,
    pub subjects: u64,
}

/// Writes every file of the data set into `dir` (creating it) and returns the ground truth.
pub fn generate(dir: &Path, params: &GenParams) -> std::io::Result<GroundTruth> {
    fs::create_dir_all(dir)?;
    let population = subjects::population(params.background_events);
    let subjects = subjects::build(params.seed, population);
    let scen = scenario::build(params.seed, subjects::SUBJECTS);

    write_rosters(dir, &subjects, &scen)?;
    write_text(dir, JP_PROFILE_NAME, JP_PROFILE)?;
    write_text(dir, KR_PROFILE_NAME, KR_PROFILE)?;
    write_text(dir, CTR_PROFILE_NAME, CTR_PROFILE)?;

    let mut tally = truth::Tally::new(&subjects, &scen);
    tally.set_background(params.background_events);
    let tickets = scen.approvals.iter().map(|a| a.ticket.clone()).collect();
    let mut sinks = Sinks::create(dir, subjects.ids.clone(), tickets)?;
    let mut bg = background::Background::new(
        params.seed,
        params.background_events,
        population,
        scen.overseer_quiet.clone(),
    );
    let bad = bad_rows(&subjects);

    let mut batch: Vec<events::Ev> = Vec::new();
    let mut arena: Vec<u32> = Vec::new();
    let mut next_scenario = 0;
    for day in bg.day_range() {
        batch.clear();
        arena.clear();
        bg.generate_day(day, &mut batch, &mut arena);
        let day_end = Zone::Tokyo.midnight(day + 1);
        while let Some(ev) = scen.events.get(next_scenario).filter(|e| e.ts < day_end) {
            let s = ev.sub_start as usize;
            let mut ev = *ev;
            ev.seq = batch.len() as u32;
            ev.sub_start = arena.len() as u32;
            arena.extend_from_slice(&scen.arena[s..s + usize::from(ev.sub_len)]);
            batch.push(ev);
            next_scenario += 1;
        }
        batch.sort_unstable_by_key(|e| (e.ts, e.seq));
        for (bad_day, file, row) in &bad {
            if *bad_day == day {
                sinks.write_raw(*file, row)?;
                tally.reject(*file);
            }
        }
        for ev in &batch {
            let s = ev.sub_start as usize;
            let subs = &arena[s..s + usize::from(ev.sub_len)];
            tally.observe(ev, subs);
            sinks.write(ev, subs)?;
        }
    }
    assert_eq!(
        next_scenario,
        scen.events.len(),
        "scenario events fall inside the background period"
    );
    sinks.finish()?;

    let gt = tally.finish(params);
    let mut json = serde_json::to_string_pretty(&gt).map_err(std::io::Error::other)?;
    json.push('\n');
    write_text(dir, GROUND_TRUTH_FILE, &json)?;
    Ok(gt)
}

/// The deliberately malformed rows: (Tokyo day on which they are written,
/// file, row). Importers must reject each of them.
fn bad_rows(subjects: &subjects::Subjects) -> Vec<(i64, LogFile, String)> {
    let id = |i: usize| String::from_utf8_lossy(&subjects.ids[i]).into_owned();
    vec![
        (
            clock::days_from_civil(2019, 3, 1),
            LogFile::ShAdmin,
            format!(
                "2019-02-30 10:00:00,wang.yuhang,10.86.12.34,jp-msg-db,query_user,users,\
                 name;phone;email;account_id,{},1,ok,\n",
                id(0)
            ),
        ),
        (
            clock::days_from_civil(2020, 7, 1),
            LogFile::JpAudit,
            format!(
                "2020-06-31T10:00:00+09:00,db_sato,172.20.14.31,jp-msg-db,SELECT,users,1,\
                 success,s-0bad,{}\n",
                id(1)
            ),
        ),
        (
            clock::days_from_civil(2020, 7, 15),
            LogFile::ShAdmin,
            format!(
                ",liu.jiaqi,10.86.12.47,jp-report-db,view_report,reports,\
                 message_text;account_id,{},1,ok,\n",
                id(2)
            ),
        ),
    ]
}

fn write_text(dir: &Path, name: &str, text: &str) -> std::io::Result<()> {
    fs::write(dir.join(name), text.as_bytes())
}

/// RFC 4180 field: quoted only when it must be.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_row(out: &mut impl Write, fields: &[&str]) -> std::io::Result<()> {
    let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    writeln!(out, "{}", row.join(","))
}

fn write_rosters(
    dir: &Path,
    subjects: &subjects::Subjects,
    scen: &scenario::Scenario,
) -> std::io::Result<()> {
    let create = |name: &str| -> std::io::Result<BufWriter<File>> {
        Ok(BufWriter::new(File::create(dir.join(name))?))
    };

    let mut w = create("people.csv")?;
    csv_row(
        &mut w,
        &[
            "person_id",
            "display_name",
            "native_name",
            "organization",
            "country",
            "role",
            "zone",
        ],
    )?;
    for p in &PEOPLE {
        let org = org_info(p.org);
        csv_row(
            &mut w,
            &[
                p.id,
                p.display,
                p.native,
                org.name,
                org.country,
                p.role,
                p.zone.iana(),
            ],
        )?;
    }
    w.flush()?;

    let mut w = create("accounts.csv")?;
    csv_row(&mut w, &["account", "person_id", "system"])?;
    for a in &ACCOUNTS[..MAPPED_ACCOUNTS] {
        let person = a.person.expect("mapped accounts name a person");
        csv_row(
            &mut w,
            &[a.name, PEOPLE[person].id, a.system.map_or("", |s| s.name())],
        )?;
    }
    w.flush()?;

    let mut w = create("systems.csv")?;
    csv_row(&mut w, &["system", "country", "categories", "description"])?;
    for s in SYSTEMS {
        csv_row(
            &mut w,
            &[
                s.name(),
                s.country(),
                &category_list(s.categories()).join(";"),
                s.description(),
            ],
        )?;
    }
    w.flush()?;

    let mut w = create("subjects.csv")?;
    csv_row(&mut w, &["subject_id", "country", "phone", "email"])?;
    for (i, id) in subjects.ids.iter().enumerate() {
        let id = std::str::from_utf8(id).expect("ASCII id");
        let country = cast::COUNTRIES[usize::from(subjects.country[i])].0;
        let (phone, mail) = match &subjects.contact[i] {
            Some((p, m)) => (p.as_str(), m.as_str()),
            None => ("", ""),
        };
        csv_row(&mut w, &[id, country, phone, mail])?;
    }
    w.flush()?;

    let mut w = create("approvals.csv")?;
    csv_row(
        &mut w,
        &[
            "person_id",
            "system",
            "valid_from",
            "valid_to",
            "approver",
            "overseer",
            "ticket",
        ],
    )?;
    for a in &scen.approvals {
        csv_row(
            &mut w,
            &[
                PEOPLE[a.person].id,
                a.system.name(),
                &clock::offset_string(a.from, Zone::Tokyo),
                &clock::offset_string(a.to, Zone::Tokyo),
                PEOPLE[a.approver].id,
                PEOPLE[a.overseer].id,
                &a.ticket,
            ],
        )?;
    }
    w.flush()?;

    let mut w = create("milestones.csv")?;
    csv_row(&mut w, &["at", "label", "kind", "scope"])?;
    for (at, label, kind, scope) in scenario::milestones() {
        csv_row(
            &mut w,
            &[&clock::offset_string(at, Zone::Tokyo), label, kind, &scope],
        )?;
    }
    w.flush()
}

const JP_PROFILE_NAME: &str = "jp_db_audit.profile.toml";
const KR_PROFILE_NAME: &str = "kr_media_access.profile.toml";
const CTR_PROFILE_NAME: &str = "contractor_review_export.profile.toml";

const JP_PROFILE: &str = r#"# Mapping profile for the Japan DB audit export
format = "csv"
[columns]
time = "timestamp"
account = "db_user"
src_ip = "client_addr"
system = "server"
action = "command"
object = "table_name"
records = "rows"
outcome = "status"
session = "session_id"
subjects = "subject_ids"
[[category_rules]]
object = "users"
categories = ["name", "phone", "email", "account_id"]
[[category_rules]]
object = "user_contacts"
categories = ["phone", "email"]
[[category_rules]]
object = "reports*"
categories = ["message_text", "account_id"]
"#;

const KR_PROFILE: &str = r#"# Mapping profile for the Korea media access log (JSON Lines, UTC)
format = "jsonl"
[columns]
time = "ts"
account = "account"
src_ip = "ip"
system = "host"
action = "op"
object = "path"
subjects = "subject"
outcome = "status"
[[category_rules]]
system = "kr-media-01"
categories = ["image_media"]
"#;

const CTR_PROFILE: &str = r#"# Mapping profile for the monitoring contractor's review export
# (Shift_JIS / CP932, naive Asia/Tokyo wall-clock times)
format = "csv"
encoding = "cp932"
timezone = "Asia/Tokyo"
time_format = "%Y/%m/%d %H:%M:%S"
[columns]
time = "日時"
account = "担当者"
src_ip = "端末IP"
system = "システム"
action = "操作"
object = "対象"
categories = "データ区分"
subjects = "ユーザーID"
records = "件数"
outcome = "結果"
[category_aliases]
"投稿本文" = "message_text"
"#;
