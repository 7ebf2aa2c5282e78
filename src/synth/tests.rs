//! Tests of the generator. The central one reads a generated data set back
//! with independent code (a small CSV reader, chrono and chrono-tz for the
//! timestamps, the written profile files for categories) and recomputes the
//! ground truth from scratch, so a mismatch between what is written and
//! what is claimed cannot go unnoticed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Offset, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;

use super::clock::{self, Zone};
use super::rng::Rng;
use super::*;

/// A scratch directory removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "retrace-synth-{}-{tag}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------
// Building blocks

#[test]
fn splitmix64_matches_reference_outputs() {
    // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
    let mut r = Rng::new(0);
    assert_eq!(r.next_u64(), 0xe220_a839_7b1d_cdaf);
    assert_eq!(r.next_u64(), 0x6e78_9e6a_a1b9_65f4);
    assert_eq!(r.next_u64(), 0x06c4_5d18_8009_454f);
    let mut r = Rng::new(7);
    for _ in 0..10_000 {
        let x = r.range(3, 9);
        assert!((3..=9).contains(&x));
    }
}

#[test]
fn allocation_is_exact_and_proportional() {
    let weights = [10u64, 3, 3, 10, 24, 0, 7];
    for total in [0u64, 1, 5, 999, 1_000_003] {
        let parts = background::allocate(total, &weights);
        assert_eq!(parts.iter().sum::<u64>(), total);
        assert_eq!(parts[5], 0);
    }
    let parts = background::allocate(570, &weights);
    assert_eq!(parts[4], 240);
    assert_eq!(background::split(10).iter().sum::<u64>(), 10);
    assert_eq!(background::split(6000), [4500, 900, 600]);
}

#[test]
fn zones_have_fixed_offsets_over_the_whole_period() {
    for zone in [Zone::Tokyo, Zone::Shanghai, Zone::Seoul] {
        let tz: Tz = zone.iana().parse().unwrap();
        let first = clock::days_from_civil(2018, 1, 1);
        let last = clock::days_from_civil(2022, 12, 31);
        for day in first..=last {
            for hour in [0, 12] {
                let t = Utc
                    .timestamp_millis_opt(day * clock::MS_PER_DAY + hour * clock::MS_PER_HOUR)
                    .unwrap();
                let off = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
                assert_eq!(
                    i64::from(off.local_minus_utc()) * 1000,
                    zone.offset_ms(),
                    "{} on day {day}",
                    zone.iana()
                );
            }
        }
    }
}

#[test]
fn hand_formatting_matches_chrono() {
    let mut rng = Rng::new(99);
    let lo = Utc
        .with_ymd_and_hms(1999, 1, 1, 0, 0, 0)
        .unwrap()
        .timestamp_millis();
    let hi = Utc
        .with_ymd_and_hms(2040, 1, 1, 0, 0, 0)
        .unwrap()
        .timestamp_millis();
    let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
    let shanghai: Tz = "Asia/Shanghai".parse().unwrap();
    for i in 0..20_000 {
        let ts = if i < 4 {
            [lo, hi, 0, 951_782_400_000][i] // includes 2000-02-29
        } else {
            rng.range_i64(lo, hi)
        };
        let t = Utc.timestamp_millis_opt(ts).unwrap();
        let mut b = Vec::new();
        clock::push_utc_ms(&mut b, ts);
        assert_eq!(
            String::from_utf8(b).unwrap(),
            t.to_rfc3339_opts(SecondsFormat::Millis, true)
        );
        let mut b = Vec::new();
        clock::push_rfc3339_ms(&mut b, ts, Zone::Tokyo);
        assert_eq!(
            String::from_utf8(b).unwrap(),
            t.with_timezone(&tokyo)
                .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
                .to_string()
        );
        let mut b = Vec::new();
        clock::push_naive_dash(&mut b, ts, Zone::Shanghai);
        assert_eq!(
            String::from_utf8(b).unwrap(),
            t.with_timezone(&shanghai)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        );
        let mut b = Vec::new();
        clock::push_naive_slash(&mut b, ts, Zone::Tokyo);
        assert_eq!(
            String::from_utf8(b).unwrap(),
            t.with_timezone(&tokyo)
                .format("%Y/%m/%d %H:%M:%S")
                .to_string()
        );
        let day = ts.div_euclid(clock::MS_PER_DAY);
        let (y, m, d) = clock::civil_from_days(day);
        assert_eq!(clock::days_from_civil(y, m, d), day);
        assert_eq!(
            clock::weekday(day),
            chrono::Datelike::weekday(&t).num_days_from_monday()
        );
    }
    assert_eq!(
        clock::offset_string(clock::local_date(Zone::Tokyo, 2021, 2, 24), Zone::Tokyo),
        "2021-02-24T00:00:00+09:00"
    );
}

// ---------------------------------------------------------------------------
// Reading a data set back, independently of the writer

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else {
            match c {
                '"' => quoted = true,
                ',' => row.push(std::mem::take(&mut field)),
                '\n' => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                '\r' => panic!("CR in a file that must use LF line ends"),
                _ => field.push(c),
            }
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "file must end with a newline"
    );
    rows
}

/// Header name → column index, plus the data rows.
fn table(text: &str) -> (HashMap<String, usize>, Vec<Vec<String>>) {
    let mut rows = parse_csv(text);
    let header = rows.remove(0);
    for r in &rows {
        assert_eq!(r.len(), header.len(), "ragged row {r:?}");
    }
    let idx = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.clone(), i))
        .collect();
    (idx, rows)
}

fn read_table(dir: &Path, name: &str) -> (HashMap<String, usize>, Vec<Vec<String>>) {
    table(&std::fs::read_to_string(dir.join(name)).unwrap())
}

/// The bits of a mapping profile the tests need.
#[derive(Default)]
struct Profile {
    columns: HashMap<String, String>,
    rules: Vec<(Option<String>, Option<String>, Vec<String>)>,
    aliases: HashMap<String, String>,
    top: HashMap<String, String>,
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches('"').to_string()
}

/// A reader for the flat subset of TOML the profiles use.
fn read_profile(path: &Path) -> Profile {
    let text = std::fs::read_to_string(path).unwrap();
    let mut p = Profile::default();
    let mut section = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            section = line.trim_matches(|c| c == '[' || c == ']').to_string();
            if section == "category_rules" {
                p.rules.push((None, None, Vec::new()));
            }
            continue;
        }
        let (k, v) = line.split_once('=').expect("key = value");
        let (k, v) = (unquote(k), v.trim());
        match section.as_str() {
            "" => {
                p.top.insert(k, unquote(v));
            }
            "columns" => {
                p.columns.insert(k, unquote(v));
            }
            "category_aliases" => {
                p.aliases.insert(k, unquote(v));
            }
            "category_rules" => {
                let rule = p.rules.last_mut().unwrap();
                match k.as_str() {
                    "object" => rule.0 = Some(unquote(v)),
                    "system" => rule.1 = Some(unquote(v)),
                    "categories" => {
                        rule.2 = v
                            .trim_matches(|c| c == '[' || c == ']')
                            .split(',')
                            .map(unquote)
                            .collect()
                    }
                    other => panic!("unexpected rule key {other}"),
                }
            }
            other => panic!("unexpected section {other}"),
        }
    }
    p
}

fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            text.starts_with(head)
                && (0..=text.len() - head.len()).any(|i| {
                    text.is_char_boundary(head.len() + i) && glob(tail, &text[head.len() + i..])
                })
        }
    }
}

impl Profile {
    fn categories(&self, system: &str, object: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (obj, sys, cats) in &self.rules {
            if obj.as_deref().is_none_or(|g| glob(g, object))
                && sys.as_deref().is_none_or(|g| glob(g, system))
            {
                out.extend(cats.iter().cloned());
            }
        }
        out
    }
}

#[derive(Debug, Clone)]
struct TEv {
    ts: DateTime<Utc>,
    file: usize,
    account: String,
    system: String,
    cats: BTreeSet<String>,
    subjects: Vec<String>,
    records: u64,
    ok: bool,
}

/// (person, system, from, to, overseer, ticket)
type TApproval = (String, String, DateTime<Utc>, DateTime<Utc>, String, String);

struct DataSet {
    events: Vec<TEv>,
    files: Vec<FileTruth>,
    people: Vec<(String, String, String, Tz)>,
    /// (account, system) → person id; system "" = any.
    accounts: HashMap<(String, String), String>,
    systems: Vec<String>,
    approvals: Vec<TApproval>,
    milestones: Vec<(DateTime<Utc>, String, String)>,
    subject_country: HashMap<String, String>,
    subjects_with_contact: u64,
    subject_rows: Vec<(String, String)>,
}

fn split_list(s: &str) -> Vec<String> {
    s.split(';')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn rfc3339(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn naive(s: &str, fmt: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let n = NaiveDateTime::parse_from_str(s, fmt).ok()?;
    tz.from_local_datetime(&n)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

fn read_back(dir: &Path) -> DataSet {
    let (h, rows) = read_table(dir, "people.csv");
    let people = rows
        .iter()
        .map(|r| {
            (
                r[h["person_id"]].clone(),
                r[h["display_name"]].clone(),
                r[h["organization"]].clone(),
                r[h["zone"]].parse::<Tz>().unwrap(),
            )
        })
        .collect();
    let (h, rows) = read_table(dir, "accounts.csv");
    let accounts = rows
        .iter()
        .map(|r| {
            (
                (r[h["account"]].clone(), r[h["system"]].clone()),
                r[h["person_id"]].clone(),
            )
        })
        .collect();
    let (h, rows) = read_table(dir, "systems.csv");
    let systems = rows.iter().map(|r| r[h["system"]].clone()).collect();
    let (h, rows) = read_table(dir, "approvals.csv");
    let approvals = rows
        .iter()
        .map(|r| {
            (
                r[h["person_id"]].clone(),
                r[h["system"]].clone(),
                rfc3339(&r[h["valid_from"]]).unwrap(),
                rfc3339(&r[h["valid_to"]]).unwrap(),
                r[h["overseer"]].clone(),
                r[h["ticket"]].clone(),
            )
        })
        .collect();
    let (h, rows) = read_table(dir, "milestones.csv");
    let milestones = rows
        .iter()
        .map(|r| {
            (
                rfc3339(&r[h["at"]]).unwrap(),
                r[h["kind"]].clone(),
                r[h["scope"]].clone(),
            )
        })
        .collect();
    let (h, rows) = read_table(dir, "subjects.csv");
    let subject_country = rows
        .iter()
        .map(|r| (r[h["subject_id"]].clone(), r[h["country"]].clone()))
        .collect();
    let subjects_with_contact = rows
        .iter()
        .filter(|r| !r[h["phone"]].is_empty() && !r[h["email"]].is_empty())
        .count() as u64;
    let subject_rows = rows
        .iter()
        .map(|r| (r[h["phone"]].clone(), r[h["email"]].clone()))
        .collect();

    let mut events = Vec::new();
    let mut files = Vec::new();
    let mut count = |name: &str, read: usize, imported: usize| {
        files.push(FileTruth {
            name: name.to_string(),
            rows_read: read as u64,
            imported: imported as u64,
            rejected: (read - imported) as u64,
        })
    };

    // Shanghai admin tool: header-guessed, naive Asia/Shanghai.
    let (h, rows) = read_table(dir, "sh_admin_tool.csv");
    let before = events.len();
    for r in &rows {
        let Some(ts) = naive(
            &r[h["time"]],
            "%Y-%m-%d %H:%M:%S",
            chrono_tz::Asia::Shanghai,
        ) else {
            continue;
        };
        let subjects = split_list(&r[h["subject_ids"]]);
        let records: u64 = r[h["records"]].parse().unwrap();
        assert!(records >= subjects.len() as u64);
        events.push(TEv {
            ts,
            file: 0,
            account: r[h["operator"]].clone(),
            system: r[h["target"]].clone(),
            cats: split_list(&r[h["categories"]]).into_iter().collect(),
            subjects,
            records,
            ok: r[h["result"]] == "ok",
        });
    }
    count("sh_admin_tool.csv", rows.len(), events.len() - before);

    // Japan DB audit: offsets in the timestamps, categories from rules.
    let prof = read_profile(&dir.join("jp_db_audit.profile.toml"));
    let col = |k: &str| prof.columns[k].clone();
    let (h, rows) = read_table(dir, "jp_db_audit.csv");
    let before = events.len();
    for r in &rows {
        let Some(ts) = rfc3339(&r[h[&col("time")]]) else {
            continue;
        };
        let system = r[h[&col("system")]].clone();
        let subjects = split_list(&r[h[&col("subjects")]]);
        let records: u64 = r[h[&col("records")]].parse().unwrap();
        assert!(records >= subjects.len() as u64);
        events.push(TEv {
            ts,
            file: 1,
            account: r[h[&col("account")]].clone(),
            cats: prof.categories(&system, &r[h[&col("object")]]),
            system,
            subjects,
            records,
            ok: r[h[&col("outcome")]] == "success",
        });
    }
    count("jp_db_audit.csv", rows.len(), events.len() - before);

    // Korea media log: JSON Lines in UTC, records default to the subjects.
    let prof = read_profile(&dir.join("kr_media_access.profile.toml"));
    let text = std::fs::read_to_string(dir.join("kr_media_access.jsonl")).unwrap();
    let before = events.len();
    let mut read = 0;
    for line in text.lines() {
        read += 1;
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let get = |k: &str| v[prof.columns[k].as_str()].clone();
        let Some(ts) = get("time").as_str().and_then(rfc3339) else {
            continue;
        };
        let system = get("system").as_str().unwrap().to_string();
        let subject = get("subjects").as_str().unwrap().to_string();
        assert!(get("object").as_str().unwrap().contains(&subject));
        events.push(TEv {
            ts,
            file: 2,
            account: get("account").as_str().unwrap().to_string(),
            cats: prof.categories(&system, get("object").as_str().unwrap()),
            system,
            subjects: vec![subject],
            records: 1,
            ok: get("outcome").as_u64() == Some(200),
        });
    }
    count("kr_media_access.jsonl", read, events.len() - before);

    // Contractor export: CP932, naive Asia/Tokyo, Japanese headers.
    let prof = read_profile(&dir.join("contractor_review_export.profile.toml"));
    assert_eq!(prof.top["encoding"], "cp932");
    let bytes = std::fs::read(dir.join("contractor_review_export.csv")).unwrap();
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(&bytes);
    assert!(!had_errors);
    let tz: Tz = prof.top["timezone"].parse().unwrap();
    let col = |k: &str| prof.columns[k].clone();
    let (h, rows) = table(&text);
    let before = events.len();
    for r in &rows {
        let Some(ts) = naive(&r[h[&col("time")]], &prof.top["time_format"], tz) else {
            continue;
        };
        let cats = split_list(&r[h[&col("categories")]])
            .into_iter()
            .map(|c| prof.aliases.get(&c).cloned().unwrap_or(c))
            .collect();
        events.push(TEv {
            ts,
            file: 3,
            account: r[h[&col("account")]].clone(),
            system: r[h[&col("system")]].clone(),
            cats,
            subjects: split_list(&r[h[&col("subjects")]]),
            records: r[h[&col("records")]].parse().unwrap(),
            ok: r[h[&col("outcome")]] == "完了",
        });
    }
    count(
        "contractor_review_export.csv",
        rows.len(),
        events.len() - before,
    );

    events.sort_by_key(|e| e.ts);
    DataSet {
        events,
        files,
        people,
        accounts,
        systems,
        approvals,
        milestones,
        subject_country,
        subjects_with_contact,
        subject_rows,
    }
}

impl DataSet {
    fn person_of(&self, e: &TEv) -> Option<String> {
        self.accounts
            .get(&(e.account.clone(), e.system.clone()))
            .or_else(|| self.accounts.get(&(e.account.clone(), String::new())))
            .cloned()
    }

    fn org_of(&self, person: &str) -> String {
        self.people
            .iter()
            .find(|p| p.0 == person)
            .map(|p| p.2.clone())
            .unwrap()
    }

    fn milestone(&self, kind: &str, scope_contains: &str) -> DateTime<Utc> {
        self.milestones
            .iter()
            .find(|m| m.1 == kind && m.2.contains(scope_contains))
            .unwrap()
            .0
    }
}

const VOCABULARY: [&str; 6] = [
    "name",
    "phone",
    "email",
    "account_id",
    "message_text",
    "image_media",
];

fn utc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn ordered(set: &BTreeSet<String>, order: &[String]) -> Vec<String> {
    order.iter().filter(|x| set.contains(*x)).cloned().collect()
}

fn sessions_of(events: &[&TEv], gap: chrono::Duration) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        match out.last_mut() {
            Some(s) if e.ts - events[*s.last().unwrap()].ts < gap => s.push(i),
            _ => out.push(vec![i]),
        }
    }
    out
}

fn country_category(ds: &DataSet, events: &[&TEv]) -> Vec<CountryCategoryCount> {
    let mut sets: BTreeMap<(usize, usize), BTreeSet<&str>> = BTreeMap::new();
    let countries = ["JP", "TW", "TH", "ID"];
    for e in events {
        for c in &e.cats {
            let ci = VOCABULARY.iter().position(|v| v == c).unwrap();
            for s in &e.subjects {
                let k = countries
                    .iter()
                    .position(|x| *x == ds.subject_country[s])
                    .unwrap();
                sets.entry((ci, k)).or_default().insert(s);
            }
        }
    }
    sets.into_iter()
        .map(|((c, k), s)| CountryCategoryCount {
            country: countries[k].to_string(),
            category: VOCABULARY[c].to_string(),
            subjects: s.len() as u64,
        })
        .collect()
}

fn distinct(events: &[&TEv]) -> u64 {
    events
        .iter()
        .flat_map(|e| e.subjects.iter())
        .collect::<BTreeSet<_>>()
        .len() as u64
}

/// Recomputes the ground truth from the files and compares it with `gt`
/// part by part (so a failure says which part).
fn check_against_files(dir: &Path, gt: &GroundTruth) {
    let ds = read_back(dir);
    let vocab: Vec<String> = VOCABULARY.iter().map(|s| s.to_string()).collect();
    let gap = chrono::Duration::minutes(30);

    assert_eq!(ds.files, gt.files, "per-file counts");
    assert_eq!(ds.events.len() as u64, gt.total_events);
    assert_eq!(gt.total_events, gt.background_events + gt.scenario_events);
    for e in &ds.events {
        for s in &e.subjects {
            assert!(ds.subject_country.contains_key(s), "unknown subject {s}");
        }
        assert!(
            ds.systems.contains(&e.system),
            "unknown system {}",
            e.system
        );
    }

    // Per person.
    let mut people = Vec::new();
    for (id, display, org, tz) in &ds.people {
        let mine: Vec<&TEv> = ds
            .events
            .iter()
            .filter(|e| ds.person_of(e).as_deref() == Some(id.as_str()))
            .collect();
        let ok: Vec<&TEv> = mine.iter().copied().filter(|e| e.ok).collect();
        let days: BTreeSet<_> = ok
            .iter()
            .map(|e| e.ts.with_timezone(tz).date_naive())
            .collect();
        let systems: BTreeSet<String> = ok.iter().map(|e| e.system.clone()).collect();
        let cats: BTreeSet<String> = ok.iter().flat_map(|e| e.cats.iter().cloned()).collect();
        people.push(PersonTruth {
            person_id: id.clone(),
            display_name: display.clone(),
            organization: org.clone(),
            events: ok.len() as u64,
            denied_events: (mine.len() - ok.len()) as u64,
            sessions: sessions_of(&ok, gap).len() as u64,
            active_days: days.len() as u64,
            systems: ordered(&systems, &ds.systems),
            categories: ordered(&cats, &vocab),
            distinct_subjects: distinct(&ok),
            records: ok.iter().map(|e| e.records).sum(),
            first_event: ok.first().map(|e| utc(e.ts)),
            last_event: ok.last().map(|e| utc(e.ts)),
        });
    }
    for (mine, theirs) in people.iter().zip(&gt.people) {
        assert_eq!(mine, theirs);
    }
    assert_eq!(people.len(), gt.people.len());

    // Accounts nobody owns.
    let mut unattributed: BTreeMap<String, Vec<&TEv>> = BTreeMap::new();
    for e in &ds.events {
        if ds.person_of(e).is_none() {
            unattributed.entry(e.account.clone()).or_default().push(e);
        }
    }
    let mut expected: Vec<AccountTruth> = unattributed
        .iter()
        .map(|(account, evs)| {
            let systems: BTreeSet<String> = evs.iter().map(|e| e.system.clone()).collect();
            let cats: BTreeSet<String> = evs.iter().flat_map(|e| e.cats.iter().cloned()).collect();
            AccountTruth {
                account: account.clone(),
                events: evs.len() as u64,
                systems: ordered(&systems, &ds.systems),
                categories: ordered(&cats, &vocab),
                distinct_subjects: distinct(evs),
                records: evs.iter().map(|e| e.records).sum(),
                first_event: evs.first().map(|e| utc(e.ts)),
                last_event: evs.last().map(|e| utc(e.ts)),
            }
        })
        .collect();
    let mut claimed = gt.unattributed_accounts.clone();
    claimed.sort_by(|a, b| a.account.cmp(&b.account));
    expected.sort_by(|a, b| a.account.cmp(&b.account));
    assert_eq!(expected, claimed);

    // Shanghai sessions, coverage and supervision.
    let sh_org = "Hoshizora Technology (Shanghai) Co., Ltd.";
    let dl_org = "Dalian Haiyun Review Co., Ltd.";
    let revoked = ds.milestone("access_revoked", "Shanghai");
    let engineers: Vec<String> = ds
        .people
        .iter()
        .filter(|p| p.2 == sh_org)
        .map(|p| p.0.clone())
        .collect();
    assert_eq!(engineers, gt.shanghai.engineers);
    let mut sessions = Vec::new();
    for eng in &engineers {
        let ok: Vec<&TEv> = ds
            .events
            .iter()
            .filter(|e| e.ok && ds.person_of(e).as_deref() == Some(eng.as_str()))
            .collect();
        for s in sessions_of(&ok, gap) {
            let run: Vec<&TEv> = s.iter().map(|&i| ok[i]).collect();
            let (start, end) = (run[0].ts, run[run.len() - 1].ts);
            let covers = |e: &TEv| {
                ds.approvals
                    .iter()
                    .position(|a| a.0 == *eng && a.1 == e.system && a.2 <= e.ts && e.ts <= a.3)
            };
            let covered = run.iter().all(|e| covers(e).is_some());
            let approval = if covered { covers(run[0]) } else { None };
            let reason = run.iter().find(|e| covers(e).is_none()).map(|e| {
                if ds
                    .approvals
                    .iter()
                    .any(|a| a.0 == *eng && a.2 <= e.ts && e.ts <= a.3)
                {
                    "system_not_approved".to_string()
                } else {
                    "outside_approval_window".to_string()
                }
            });
            let systems: BTreeSet<String> = run.iter().map(|e| e.system.clone()).collect();
            let near = |slack: chrono::Duration| -> u64 {
                let Some(a) = approval else { return 0 };
                let overseer = &ds.approvals[a].4;
                ds.events
                    .iter()
                    .filter(|e| {
                        e.ok && ds.person_of(e).as_deref() == Some(overseer.as_str())
                            && systems.contains(&e.system)
                            && start - slack <= e.ts
                            && e.ts <= end + slack
                    })
                    .count() as u64
            };
            let near_20 = near(chrono::Duration::minutes(20));
            sessions.push(SessionTruth {
                person_id: eng.clone(),
                start: utc(start),
                end: utc(end),
                systems: ordered(&systems, &ds.systems),
                events: run.len() as u64,
                distinct_subjects: distinct(&run),
                records: run.iter().map(|e| e.records).sum(),
                covered,
                uncovered_reason: reason,
                approval_ticket: approval.map(|a| ds.approvals[a].5.clone()),
                overseer: approval.map(|a| ds.approvals[a].4.clone()),
                supervised: approval.map(|_| near_20 > 0),
                overseer_events_within_20min: near_20,
                overseer_events_within_6h: near(chrono::Duration::hours(6)),
            });
        }
    }
    sessions.sort_by(|a, b| a.start.cmp(&b.start));
    assert_eq!(sessions, gt.shanghai.sessions);
    let sh_ok: Vec<&TEv> = ds
        .events
        .iter()
        .filter(|e| e.ok && ds.person_of(e).is_some_and(|p| ds.org_of(&p) == sh_org))
        .collect();
    let sh_denied: Vec<&TEv> = ds
        .events
        .iter()
        .filter(|e| !e.ok && ds.person_of(e).is_some_and(|p| ds.org_of(&p) == sh_org))
        .collect();
    let s = &gt.shanghai;
    assert_eq!(s.sessions_total, sessions.len() as u64);
    assert_eq!(
        s.covered,
        sessions.iter().filter(|x| x.covered).count() as u64
    );
    assert_eq!(s.uncovered, s.sessions_total - s.covered);
    assert_eq!(
        s.supervised,
        sessions
            .iter()
            .filter(|x| x.supervised == Some(true))
            .count() as u64
    );
    assert_eq!(
        s.unsupervised,
        sessions
            .iter()
            .filter(|x| x.supervised == Some(false))
            .count() as u64
    );
    for e in &s.sessions_per_engineer {
        let mine: Vec<&SessionTruth> = sessions
            .iter()
            .filter(|x| x.person_id == e.person_id)
            .collect();
        assert_eq!(e.sessions, mine.len() as u64);
        assert_eq!(e.covered, mine.iter().filter(|x| x.covered).count() as u64);
        assert_eq!(e.uncovered + e.covered, e.sessions);
        assert_eq!(e.supervised + e.unsupervised, e.covered);
    }
    assert_eq!(s.events, sh_ok.len() as u64);
    assert_eq!(s.records, sh_ok.iter().map(|e| e.records).sum::<u64>());
    assert_eq!(s.distinct_subjects, distinct(&sh_ok));
    assert_eq!(s.first_access, sh_ok.first().map(|e| utc(e.ts)));
    assert_eq!(s.last_access, sh_ok.last().map(|e| utc(e.ts)));
    assert_eq!(
        s.successful_after_revocation,
        sh_ok.iter().filter(|e| e.ts >= revoked).count() as u64
    );
    assert_eq!(
        s.denied_after_revocation,
        sh_denied.iter().filter(|e| e.ts >= revoked).count() as u64
    );
    assert_eq!(s.denied_attempts.len(), sh_denied.len());
    for (d, e) in s.denied_attempts.iter().zip(&sh_denied) {
        assert_eq!(d.at, utc(e.ts));
        assert_eq!(Some(d.person_id.clone()), ds.person_of(e));
        assert_eq!(d.system, e.system);
        assert!(e.subjects.is_empty() && e.records == 0 && e.cats.is_empty());
    }
    assert_eq!(s.access_revoked_at, "2021-02-24T00:00:00+09:00");
    assert_eq!(rfc3339(&s.access_revoked_at), Some(revoked));

    // Dalian.
    let dl: Vec<&TEv> = ds
        .events
        .iter()
        .filter(|e| e.ok && ds.person_of(e).is_some_and(|p| ds.org_of(&p) == dl_org))
        .collect();
    let started = ds.milestone("contract_started", "Dalian");
    let ended = ds.milestone("access_revoked", "Dalian");
    let d = &gt.dalian;
    assert_eq!(d.events, dl.len() as u64);
    assert_eq!(
        d.post_reviews,
        dl.iter().filter(|e| e.file == 3).count() as u64
    );
    assert_eq!(
        d.image_views,
        dl.iter().filter(|e| e.file == 2).count() as u64
    );
    assert_eq!(d.records, dl.iter().map(|e| e.records).sum::<u64>());
    assert_eq!(d.distinct_subjects, distinct(&dl));
    assert_eq!(d.first_event, dl.first().map(|e| utc(e.ts)));
    assert_eq!(d.last_event, dl.last().map(|e| utc(e.ts)));
    assert_eq!(
        d.events_before_contract,
        dl.iter().filter(|e| e.ts < started).count() as u64
    );
    assert_eq!(
        d.events_after_revocation,
        dl.iter().filter(|e| e.ts >= ended).count() as u64
    );
    assert_eq!(rfc3339(&d.contract_started_at), Some(started));
    assert_eq!(rfc3339(&d.access_revoked_at), Some(ended));

    // Subjects and the country × category tables.
    let ok: Vec<&TEv> = ds.events.iter().filter(|e| e.ok).collect();
    let st = &gt.subjects;
    assert_eq!(st.total, ds.subject_country.len() as u64);
    for c in &st.by_country {
        assert_eq!(
            c.subjects,
            ds.subject_country
                .values()
                .filter(|x| **x == c.country)
                .count() as u64
        );
    }
    assert_eq!(st.with_phone_and_email, ds.subjects_with_contact);
    assert_eq!(st.touched_whole_case, distinct(&ok));
    assert_eq!(st.touched_by_shanghai, distinct(&sh_ok));
    assert_eq!(st.touched_by_dalian, distinct(&dl));
    let un: Vec<&TEv> = ok
        .iter()
        .copied()
        .filter(|e| ds.person_of(e).is_none())
        .collect();
    assert_eq!(st.touched_by_unattributed, distinct(&un));
    assert_eq!(gt.country_category.shanghai, country_category(&ds, &sh_ok));
    assert_eq!(gt.country_category.dalian, country_category(&ds, &dl));
    assert_eq!(gt.country_category.whole_case, country_category(&ds, &ok));
}

/// The storyline's fixed shape, whatever the seed.
fn check_scenario_shape(gt: &GroundTruth) {
    let s = &gt.shanghai;
    assert_eq!(s.sessions_total, 32);
    assert_eq!((s.covered, s.uncovered), (27, 5));
    assert_eq!((s.supervised, s.unsupervised), (21, 6));
    assert_eq!(s.denied_after_revocation, 1);
    assert_eq!(s.successful_after_revocation, 0);
    let per: Vec<u64> = s.sessions_per_engineer.iter().map(|e| e.sessions).collect();
    assert_eq!(per, [11, 9, 7, 5]);
    let reasons: Vec<&str> = s
        .sessions
        .iter()
        .filter_map(|x| x.uncovered_reason.as_deref())
        .collect();
    assert_eq!(
        reasons
            .iter()
            .filter(|r| **r == "outside_approval_window")
            .count(),
        3
    );
    assert_eq!(
        reasons
            .iter()
            .filter(|r| **r == "system_not_approved")
            .count(),
        2
    );
    for x in &s.sessions {
        assert!(
            (2..=8).contains(&x.events),
            "session of {} events",
            x.events
        );
        let granted = Utc.with_ymd_and_hms(2018, 7, 31, 15, 0, 0).unwrap();
        let revoked = Utc.with_ymd_and_hms(2021, 2, 23, 15, 0, 0).unwrap();
        assert!(rfc3339(&x.start).unwrap() >= granted);
        assert!(rfc3339(&x.end).unwrap() < revoked);
        match x.supervised {
            Some(true) => assert!(x.overseer_events_within_20min >= 1),
            Some(false) => assert_eq!(x.overseer_events_within_6h, 0),
            None => assert!(!x.covered),
        }
        // Overseers are nowhere near except for their supervision queries.
        assert_eq!(x.overseer_events_within_20min, x.overseer_events_within_6h);
    }
    // Sessions of one engineer are at least six hours apart, so any gap
    // threshold between 10 minutes and 5 hours finds the same 32.
    for e in &s.engineers {
        let mine: Vec<&SessionTruth> = s.sessions.iter().filter(|x| &x.person_id == e).collect();
        for w in mine.windows(2) {
            let gap = rfc3339(&w[1].start).unwrap() - rfc3339(&w[0].end).unwrap();
            assert!(gap >= chrono::Duration::hours(6));
        }
    }
    assert_eq!(gt.files[0].rejected, 2);
    assert_eq!(gt.files[1].rejected, 1);
    assert_eq!(gt.files[2].rejected + gt.files[3].rejected, 0);
    assert_eq!(gt.dalian.events_before_contract, 0);
    assert_eq!(gt.dalian.events_after_revocation, 0);
    let names: Vec<&str> = gt
        .unattributed_accounts
        .iter()
        .map(|a| a.account.as_str())
        .collect();
    assert_eq!(names, ["svc_batch", "tmp_ops3", "media_sync"]);
}

// ---------------------------------------------------------------------------
// Whole data sets

#[test]
fn sample_ground_truth_matches_the_files() {
    let dir = TempDir::new("sample");
    let gt = generate(&dir.0, &sample_params()).unwrap();
    check_against_files(&dir.0, &gt);
    check_scenario_shape(&gt);
    assert_eq!(gt.total_events, 6000 + gt.scenario_events);
    // Shanghai sessions, in the engineers' own event stream, split the same
    // way at 10 minutes and at 5 hours.
    let ds = read_back(&dir.0);
    for eng in &gt.shanghai.engineers {
        let ok: Vec<&TEv> = ds
            .events
            .iter()
            .filter(|e| e.ok && ds.person_of(e).as_deref() == Some(eng.as_str()))
            .collect();
        let at_10 = sessions_of(&ok, chrono::Duration::minutes(10)).len();
        let at_5h = sessions_of(&ok, chrono::Duration::hours(5)).len();
        assert_eq!(at_10, at_5h, "{eng}");
    }
    // Some subjects have contact details in each country's format.
    let with_phone: Vec<&(String, String)> =
        ds.subject_rows.iter().filter(|r| !r.0.is_empty()).collect();
    assert_eq!(with_phone.len(), 150);
    assert!(with_phone.iter().any(|r| r.0.starts_with("+81-")));
    assert!(with_phone.iter().all(|r| r.1.contains('@')));
}

#[test]
fn other_seeds_keep_the_storyline_and_a_true_ground_truth() {
    for seed in [1u64, 2, 42, 31337, u64::MAX] {
        let dir = TempDir::new(&format!("seed{seed}"));
        let params = GenParams {
            seed,
            background_events: 1500,
        };
        let gt = generate(&dir.0, &params).unwrap();
        check_against_files(&dir.0, &gt);
        check_scenario_shape(&gt);
    }
}

#[test]
fn event_count_follows_the_parameter() {
    for n in [0u64, 1, 12_345] {
        let dir = TempDir::new(&format!("n{n}"));
        let gt = generate(
            &dir.0,
            &GenParams {
                seed: 5,
                background_events: n,
            },
        )
        .unwrap();
        assert_eq!(gt.background_events, n);
        assert_eq!(gt.total_events, n + gt.scenario_events);
        let imported: u64 = gt.files.iter().map(|f| f.imported).sum();
        assert_eq!(imported, gt.total_events);
        // The scenario alone: the admin tool rows and the supervision queries.
        assert!((50..400).contains(&gt.scenario_events));
    }
}

fn files_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn same_seed_gives_identical_bytes() {
    let params = GenParams {
        seed: 77,
        background_events: 4000,
    };
    let (a, b) = (TempDir::new("det-a"), TempDir::new("det-b"));
    let gt_a = generate(&a.0, &params).unwrap();
    let gt_b = generate(&b.0, &params).unwrap();
    assert_eq!(gt_a, gt_b);
    let (fa, fb) = (files_of(&a.0), files_of(&b.0));
    assert_eq!(fa.len(), 14);
    assert_eq!(fa, fb);

    let c = TempDir::new("det-c");
    generate(
        &c.0,
        &GenParams {
            seed: 78,
            ..params.clone()
        },
    )
    .unwrap();
    let fc = files_of(&c.0);
    assert_ne!(fa["jp_db_audit.csv"], fc["jp_db_audit.csv"]);
    assert_ne!(fa["subjects.csv"], fc["subjects.csv"]);
    // The cast does not depend on the seed.
    assert_eq!(fa["people.csv"], fc["people.csv"]);
}

#[test]
fn contractor_export_round_trips_through_cp932() {
    let dir = TempDir::new("cp932");
    generate(&dir.0, &sample_params()).unwrap();
    let bytes = std::fs::read(dir.0.join("contractor_review_export.csv")).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the export must not be UTF-8"
    );
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(&bytes);
    assert!(!had_errors);
    assert!(
        text.starts_with("日時,担当者,端末IP,システム,操作,対象,データ区分,ユーザーID,件数,結果\n")
    );
    assert!(text.contains(",投稿確認,") && text.contains(",通報確認,"));
    assert!(text.contains("（画像付き）"));
    assert!(text.contains(",dl_review03,"));
    let (again, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable);
    assert_eq!(again.as_ref(), bytes.as_slice());
}

#[test]
fn ground_truth_file_round_trips() {
    let dir = TempDir::new("json");
    let gt = generate(
        &dir.0,
        &GenParams {
            seed: 9,
            background_events: 800,
        },
    )
    .unwrap();
    let text = std::fs::read_to_string(dir.0.join(GROUND_TRUTH_FILE)).unwrap();
    let back: GroundTruth = serde_json::from_str(&text).unwrap();
    // The findings' truth is rendered in the README, not written to the JSON file.
    assert_ne!(gt.findings, Default::default());
    assert_eq!(
        back,
        GroundTruth {
            findings: Default::default(),
            ..gt
        }
    );
}

#[test]
fn manifest_names_every_written_file_and_profiles_fit_headers() {
    let dir = TempDir::new("manifest");
    generate(&dir.0, &sample_params()).unwrap();
    let m = manifest();
    let kinds: Vec<&str> = m.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            "people",
            "accounts",
            "systems",
            "subjects",
            "approvals",
            "milestones",
            "access",
            "access",
            "access",
            "access"
        ]
    );
    let mut expected: BTreeSet<String> = [GROUND_TRUTH_FILE.to_string()].into();
    for f in &m {
        expected.insert(f.name.to_string());
        if let Some(p) = f.profile {
            expected.insert(p.to_string());
            let prof = read_profile(&dir.0.join(p));
            // Every mapped column exists in the file's header or JSON keys.
            let head = if f.name.ends_with(".jsonl") {
                let text = std::fs::read_to_string(dir.0.join(f.name)).unwrap();
                let v: serde_json::Value =
                    serde_json::from_str(text.lines().next().unwrap()).unwrap();
                v.as_object().unwrap().keys().cloned().collect::<Vec<_>>()
            } else {
                let bytes = std::fs::read(dir.0.join(f.name)).unwrap();
                let text = if prof.top.contains_key("encoding") {
                    encoding_rs::SHIFT_JIS
                        .decode_without_bom_handling(&bytes)
                        .0
                        .into_owned()
                } else {
                    String::from_utf8(bytes).unwrap()
                };
                parse_csv(&text).swap_remove(0)
            };
            for column in prof.columns.values() {
                assert!(head.contains(column), "{column} missing from {}", f.name);
            }
        }
    }
    let written: BTreeSet<String> = files_of(&dir.0).into_keys().collect();
    assert_eq!(written, expected);
    let sh = m.iter().find(|f| f.name == "sh_admin_tool.csv").unwrap();
    assert_eq!(sh.tz, Some("Asia/Shanghai"));
    assert_eq!(sh.profile, None);
}

#[test]
fn bundled_sample_is_current() {
    // The checked-in sample must be exactly what the generator writes, and
    // its README must state the same ground truth.
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let dir = TempDir::new("bundled");
    let gt = generate(&dir.0, &sample_params()).unwrap();
    let mut fresh = files_of(&dir.0);
    fresh.insert("README.md".to_string(), readme_markdown(&gt).into_bytes());
    let on_disk = files_of(&bundled);
    assert_eq!(
        fresh.keys().collect::<Vec<_>>(),
        on_disk.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &fresh {
        assert!(
            on_disk[name] == *bytes,
            "sample_data/{name} is stale; regenerate the sample"
        );
    }
    let total: usize = on_disk.values().map(Vec::len).sum();
    assert!(total < 3 * 1024 * 1024, "sample is {total} bytes");
}
