//! Mutation fuzzing of every importer, the mapping profile parser and the zone / time parser,
//! on stable Rust: seeds from `sample_data/`, `tests/fixtures/formats/` and
//! `tests/fixtures/realdata/`, mutated by a small deterministic mutator (bit flips, byte inserts and
//! deletes, hostile bytes, splices, duplicated and truncated runs) and fed through the same
//! entry points `retrace import` uses (`ingest::plan`, then `ingest::parse_access` or
//! `ingest::roster::parse`).
//!
//! Checked on every input: no panic; rows read = events + rejects; every reject names a line
//! (≥ 1, or 0 only for a file-level reason) and a reason; every event's lines are in order.
//!
//! In `cargo test` each target runs a fixed number of iterations from a fixed seed (a second
//! or so per target). The long run is a separate command (see README, "Hardening"):
//! `FUZZ_SECONDS=300 cargo test --release --test it fuzz::long -- --ignored --nocapture`
//! runs every target for that many seconds with a seed from the clock (or `FUZZ_SEED`), and
//! writes any input that panics or breaks a check to `target/fuzz-failures/`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use retrace::ingest::{self, Format, Profile, SourceOptions};
use retrace::model::Vocabulary;
use retrace::model::roster::SourceKind;
use retrace::model::time::{TimeParser, format_in_zone, format_utc, parse_zone};

use crate::util::{TestDir, sample_dir};

/// xorshift64*: small, fast and reproducible from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Bytes that break parsers: quotes, separators, line breaks, NUL, BOMs, stray UTF-8 lead
/// and continuation bytes, brackets, digits and signs.
const HOSTILE: &[&[u8]] = &[
    b"\"",
    b"'",
    b",",
    b"\t",
    b";",
    b"|",
    b"\n",
    b"\r",
    b"\r\n",
    b"\0",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xFE\xFF",
    b"\xC3",
    b"\x80",
    b"\xE3\x81",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"-",
    b"+",
    b"9999999999999999999999",
    b"-62135596800",
    b"0000-01-01T00:00:00",
    b"9999-12-31T23:59:59.999999+14:00",
    b"2021-02-30",
    b"1e308",
    b"null",
    b"%",
    b"%Y",
    b"%z",
    b"Dec 31 23:59:59",
    b"msg=audit(",
    b"\xE6\x97\xA5\xE6\x9C\xAC",
];

/// One mutation (or a few) of `input`, sometimes spliced with `other`.
pub fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = v.len();
        match rng.below(10) {
            0 if len > 0 => {
                let i = rng.below(len);
                v[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                v[i] = rng.next() as u8;
            }
            2 => {
                let i = rng.below(len + 1);
                let h = HOSTILE[rng.below(HOSTILE.len())];
                v.splice(i..i, h.iter().copied());
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                v.drain(i..i + n);
            }
            4 if len > 0 => {
                // Duplicate a run (repeated lines, long fields).
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(512));
                let run: Vec<u8> = v[i..i + n].to_vec();
                let times = 1 + rng.below(8);
                let at = rng.below(len + 1);
                for _ in 0..times {
                    v.splice(at..at, run.iter().copied());
                }
            }
            5 if !other.is_empty() => {
                // Splice: our head with the other input's tail.
                let cut = rng.below(len + 1);
                let from = rng.below(other.len());
                v.truncate(cut);
                v.extend_from_slice(&other[from..]);
            }
            6 if len > 0 => {
                v.truncate(rng.below(len));
            }
            7 if len > 1 => {
                // Swap two runs of digits' worth of bytes (keeps the shape, breaks values).
                let a = rng.below(len);
                let b = rng.below(len);
                v.swap(a, b);
            }
            8 => {
                let i = rng.below(len + 1);
                let n = rng.below(16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                v.splice(i..i, bytes);
            }
            _ => {
                // Replace a digit with another digit (times and numbers out of range).
                if let Some(i) = (0..8)
                    .map(|_| rng.below(len.max(1)))
                    .find(|&i| v.get(i).is_some_and(u8::is_ascii_digit))
                {
                    v[i] = b'0' + rng.below(10) as u8;
                }
            }
        }
    }
    v.truncate(1 << 20);
    v
}

/// A seed: its name and the first few KiB (whole lines) of the file.
pub struct Seed {
    pub name: String,
    pub bytes: Vec<u8>,
}

fn head_lines(bytes: &[u8], max: usize) -> Vec<u8> {
    if bytes.len() <= max {
        return bytes.to_vec();
    }
    let cut = bytes[..max]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(max, |i| i + 1);
    bytes[..cut].to_vec()
}

/// The vendored real-world samples.
pub fn realdata_dir() -> PathBuf {
    crate::util::realdata("")
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if !p.ends_with("LICENSES") {
                collect_files(&p, out);
            }
        } else if !p.extension().is_some_and(|e| e == "md" || e == "toml") {
            out.push(p);
        }
    }
}

/// Access-log seeds (not rosters, READMEs or the ground truth).
pub fn access_seeds() -> Vec<Seed> {
    let mut files = Vec::new();
    collect_files(&realdata_dir(), &mut files);
    collect_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats"),
        &mut files,
    );
    for f in [
        "jp_db_audit.csv",
        "kr_media_access.jsonl",
        "sh_admin_tool.csv",
        "contractor_review_export.csv",
    ] {
        files.push(sample_dir().join(f));
    }
    files
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some(Seed {
                name: p.file_name()?.to_string_lossy().into_owned(),
                bytes: head_lines(&bytes, 6 * 1024),
            })
        })
        .collect()
}

fn roster_seeds() -> Vec<(SourceKind, Seed)> {
    [
        (SourceKind::People, "people.csv"),
        (SourceKind::Accounts, "accounts.csv"),
        (SourceKind::Systems, "systems.csv"),
        (SourceKind::Approvals, "approvals.csv"),
        (SourceKind::Milestones, "milestones.csv"),
        (SourceKind::Subjects, "subjects.csv"),
    ]
    .into_iter()
    .map(|(k, f)| {
        let bytes = std::fs::read(sample_dir().join(f)).expect("sample roster");
        (
            k,
            Seed {
                name: f.into(),
                bytes: head_lines(&bytes, 4 * 1024),
            },
        )
    })
    .collect()
}

/// What one input did: rows, events, rejects; or the file-level error.
#[derive(Debug)]
#[allow(dead_code)] // the counts are read through `Debug`, in failure messages
pub enum Outcome {
    Refused(String),
    Parsed {
        rows_read: u64,
        events: u64,
        rejects: u64,
    },
}

/// Plans and parses one file exactly as `retrace import` does (without writing a case),
/// checking the invariants. A broken invariant is an `Err`; a panic propagates.
pub fn run_access(path: &Path, opts: &SourceOptions) -> Result<Outcome, String> {
    let plan = match ingest::plan(path, opts) {
        Ok(p) => p,
        Err(e) => return check_refusal(e.to_string()),
    };
    let mut vocab = Vocabulary::default();
    if plan.kind != SourceKind::Access {
        let parsed = match ingest::roster::parse(path, &plan, &mut vocab) {
            Ok(p) => p,
            Err(e) => return check_refusal(e.to_string()),
        };
        for r in &parsed.rejects {
            check_reject(r.line, &r.reason)?;
        }
        let (rows, rejects) = (parsed.rows.len() as u64, parsed.rejects.len() as u64);
        if parsed.rows_read != rows + rejects {
            return Err(format!(
                "roster rows read {} != rows {rows} + rejects {rejects}",
                parsed.rows_read
            ));
        }
        return Ok(Outcome::Parsed {
            rows_read: parsed.rows_read,
            events: rows,
            rejects,
        });
    }
    let (mut events, mut rejects) = (0u64, 0u64);
    let mut broken: Option<String> = None;
    let r = ingest::parse_access(
        path,
        &plan,
        &mut vocab,
        &mut |b| {
            for e in &b.events {
                if e.line == 0 || e.line_end < e.line {
                    broken.get_or_insert(format!(
                        "event cites lines {}..{} ({:?})",
                        e.line, e.line_end, e.raw_ts
                    ));
                }
            }
            for r in &b.rejects {
                if let Err(why) = check_reject(r.line, &r.reason) {
                    broken.get_or_insert(why);
                }
            }
            events += b.events.len() as u64;
            rejects += b.rejects.len() as u64;
            true
        },
        &mut |_| {},
    );
    if let Some(why) = broken {
        return Err(why);
    }
    match r {
        Err(e) => check_refusal(e.to_string()),
        Ok(stats) if stats.rows_read != events + rejects => Err(format!(
            "rows read {} != events {events} + rejects {rejects}",
            stats.rows_read
        )),
        Ok(stats) => Ok(Outcome::Parsed {
            rows_read: stats.rows_read,
            events,
            rejects,
        }),
    }
}

fn check_refusal(msg: String) -> Result<Outcome, String> {
    // A refusal must say which file and why: "<path>: <why>".
    if msg.trim().is_empty() || !msg.contains(": ") {
        return Err(format!("refusal without file or reason: {msg:?}"));
    }
    Ok(Outcome::Refused(msg))
}

fn check_reject(line: u64, reason: &str) -> Result<(), String> {
    if reason.trim().is_empty() {
        return Err(format!("reject on line {line} without a reason"));
    }
    if line == 0 {
        return Err(format!("reject without a line: {reason}"));
    }
    Ok(())
}

/// One fuzz run: the input it tried and what the checks said.
/// The closure fills the input first, so a panic still leaves it for the failure file.
type RunFn = dyn FnMut(&TestDir, &mut Rng, &mut Vec<u8>) -> Result<(), String>;

/// A fuzz target: a name and a function of (case dir, rng, iteration) that returns the input
/// it tried (for the failure file) and the result of the checks.
struct Target {
    name: String,
    run: Box<RunFn>,
}

fn access_target(format: Option<Format>, seeds: std::rc::Rc<Vec<Seed>>) -> Target {
    let name = format.map_or("auto".to_string(), |f| f.as_str().to_string());
    let mut i = 0usize;
    Target {
        name: format!("import:{name}"),
        run: Box::new(move |dir, rng, input| {
            let seed = &seeds[i % seeds.len()];
            let other = &seeds[rng.below(seeds.len())];
            i += 1;
            // Every tenth input is a seed as it is, so seeds themselves are checked too.
            let bytes = if i <= seeds.len() {
                seed.bytes.clone()
            } else {
                mutate(rng, &seed.bytes, &other.bytes)
            };
            let ext = Path::new(&seed.name)
                .extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_else(|| "log".into());
            let path = dir.write(&format!("input.{ext}"), &bytes);
            let opts = SourceOptions {
                format,
                year: Some(2021),
                ..Default::default()
            };
            input.clone_from(&bytes);
            run_access(&path, &opts).map(|_| ())
        }),
    }
}

fn roster_target() -> Target {
    let seeds = roster_seeds();
    let mut i = 0usize;
    Target {
        name: "rosters".into(),
        run: Box::new(move |dir, rng, input| {
            let (kind, seed) = &seeds[i % seeds.len()];
            let other = &seeds[rng.below(seeds.len())].1;
            i += 1;
            let bytes = mutate(rng, &seed.bytes, &other.bytes);
            let path = dir.write("roster.csv", &bytes);
            // Half declared, half detected from the header.
            let kind = (rng.below(2) == 0).then_some(*kind);
            let opts = SourceOptions {
                kind,
                ..Default::default()
            };
            input.clone_from(&bytes);
            run_access(&path, &opts).map(|_| ())
        }),
    }
}

fn profile_target() -> Target {
    let mut seeds: Vec<Vec<u8>> = [
        "jp_db_audit.profile.toml",
        "kr_media_access.profile.toml",
        "contractor_review_export.profile.toml",
    ]
    .iter()
    .map(|f| std::fs::read(sample_dir().join(f)).expect("sample profile"))
    .collect();
    seeds.push(
        b"timezone = \"Asia/Tokyo\"\ntime_format = \"%Y/%m/%d %H:%M:%S\"\ndelimiter = \"\\t\"\nsystem = \"x\"\n[columns]\ntime = \"ts\"\naccount = \"missing\"\n[category_aliases]\n\"a\" = \"name\"\n"
            .to_vec(),
    );
    let csv_bytes = head_lines(
        &std::fs::read(sample_dir().join("jp_db_audit.csv")).expect("sample csv"),
        2048,
    );
    let mut i = 0usize;
    Target {
        name: "profile".into(),
        run: Box::new(move |dir, rng, input| {
            let seed = &seeds[i % seeds.len()];
            let other = &seeds[rng.below(seeds.len())];
            i += 1;
            let bytes = mutate(rng, seed, other);
            input.clone_from(&bytes);
            let prof_path = dir.write("profile.toml", &bytes);
            match Profile::load(&prof_path) {
                Err(e) if e.contains("profile.toml") => Ok(()),
                Err(e) => Err(format!("profile error does not name the file: {e}")),
                Ok(profile) => {
                    let csv = dir.write("data.csv", &csv_bytes);
                    let opts = SourceOptions {
                        profile: Some(profile),
                        ..Default::default()
                    };
                    run_access(&csv, &opts).map(|_| ())
                }
            }
        }),
    }
}

const ZONES: &[&str] = &[
    "UTC",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Europe/Berlin",
    "America/New_York",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Australia/Lord_Howe",
];

const TIMES: &[&str] = &[
    "2021-02-24T09:15:00+09:00",
    "2021-02-24 09:15:00",
    "2021/02/24 09:15:00.123456",
    "2021-03-28T02:30:00",
    "2021-10-31T02:30:00",
    "1614125700",
    "1614125700123",
    "1614125700123456",
    "-1614125700",
    "20210224",
    "20210224091500",
    "Wed, 24 Feb 2021 09:15:00 +0900",
    "24/Feb/2021:09:15:00 +0900",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "+262143-12-31T23:59:59Z",
];

const TIME_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S%.f",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%dT%H:%M:%S%z",
    "%s",
    "%Y-%m-%d",
];

fn time_target() -> Target {
    Target {
        name: "time".into(),
        run: Box::new(|_dir, rng, input| {
            let text = if rng.chance(8) {
                (0..rng.below(40))
                    .map(|_| rng.next() as u8)
                    .collect::<Vec<u8>>()
            } else {
                let a = TIMES[rng.below(TIMES.len())].as_bytes();
                let b = TIMES[rng.below(TIMES.len())].as_bytes();
                mutate(rng, a, b)
            };
            let zone_text = if rng.chance(4) {
                let z = ZONES[rng.below(ZONES.len())].as_bytes();
                String::from_utf8_lossy(&mutate(rng, z, b"Etc/GMT+14")).into_owned()
            } else {
                ZONES[rng.below(ZONES.len())].to_string()
            };
            let format = rng.chance(3).then(|| {
                let f = TIME_FORMATS[rng.below(TIME_FORMATS.len())].as_bytes();
                String::from_utf8_lossy(&mutate(rng, f, b"%H%M%S")).into_owned()
            });
            let s = String::from_utf8_lossy(&text).into_owned();
            *input = format!("zone={zone_text:?} format={format:?} text=").into_bytes();
            input.extend_from_slice(&text);
            match parse_zone(&zone_text) {
                Err(e) if e.contains("unknown time zone") => Ok(()),
                Err(e) => Err(format!("zone error without a reason: {e}")),
                Ok(zone) => {
                    let p = TimeParser::new(zone, format.as_deref());
                    match p.parse(&s) {
                        Ok(ts) => {
                            // Whatever was accepted must render in every zone.
                            let a = format_utc(ts.ts_us);
                            let b = format_in_zone(ts.ts_us, zone);
                            if a.is_empty() || b.is_empty() {
                                Err(format!("{s:?} renders empty"))
                            } else {
                                Ok(())
                            }
                        }
                        Err(e) if e.trim().is_empty() => Err(format!("{s:?}: empty error")),
                        Err(_) => Ok(()),
                    }
                }
            }
        }),
    }
}

fn all_targets() -> Vec<Target> {
    let seeds = std::rc::Rc::new(access_seeds());
    assert!(
        seeds.len() >= 10,
        "too few fuzz seeds: {} (sample_data and tests/fixtures/formats are in the repository)",
        seeds.len()
    );
    let mut t = vec![access_target(None, seeds.clone())];
    for f in Format::ALL {
        t.push(access_target(Some(f), seeds.clone()));
    }
    t.push(roster_target());
    t.push(profile_target());
    t.push(time_target());
    t
}

/// Runs one target for `iterations` or until `budget` is spent; returns (runs, failures).
/// Runs `target` up to `iterations` times: at least `floor` runs whatever the machine's load,
/// then more while the time `budget` lasts.
fn drive(
    target: &mut Target,
    seed: u64,
    (floor, iterations): (usize, usize),
    budget: Duration,
) -> (usize, Vec<String>) {
    let dir = TestDir::new();
    let mut rng = Rng::new(seed ^ fxhash(&target.name));
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut runs = 0;
    while runs < iterations && (runs < floor || started.elapsed() < budget) {
        runs += 1;
        let mut input = Vec::new();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            (target.run)(&dir, &mut rng, &mut input)
        }));
        let why = match outcome {
            Ok(Ok(())) => continue,
            Ok(Err(why)) => why,
            Err(p) => format!(
                "PANIC: {}",
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            ),
        };
        let saved = save_failure(&target.name, runs, &input);
        failures.push(format!(
            "{} run {runs}: {why} (input: {saved})",
            target.name
        ));
        if failures.len() >= 5 {
            break;
        }
    }
    (runs, failures)
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

fn save_failure(target: &str, run: usize, input: &[u8]) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let name = format!("{}-{run}.bin", target.replace(':', "_"));
    let p = dir.join(name);
    match std::fs::write(&p, input) {
        Ok(()) => p.display().to_string(),
        Err(_) => format!("{} bytes, not saved", input.len()),
    }
}

/// Runs per target in `cargo test` whatever the load: a loaded CI machine once stopped the
/// targets on their time budget before 500 runs in all, and the test failed on time alone.
const RUN_FLOOR: usize = 60;

/// The in-`cargo test` part: every seed as it is, then fixed-seed mutations, bounded.
#[test]
fn every_target_survives_its_seeds_and_mutations() {
    let per_target = Duration::from_millis(300);
    let mut all = Vec::new();
    let mut total_runs = 0;
    let targets = all_targets();
    let floor = RUN_FLOOR * targets.len();
    for mut t in targets {
        let (runs, failures) = drive(&mut t, 0x5EED_2026, (RUN_FLOOR, 300), per_target);
        total_runs += runs;
        all.extend(failures);
    }
    assert!(
        total_runs >= floor,
        "the fuzz targets barely ran: {total_runs} runs"
    );
    assert!(all.is_empty(), "fuzz failures:\n{}", all.join("\n"));
}

/// Inputs the fuzzer found that once panicked, kept as regressions.
#[test]
fn regressions_found_by_fuzzing() {
    let dir = TestDir::new();
    // A multi-byte character across byte 200 of a JSON head: the CloudTrail sniffer sliced
    // the head at byte 200 (`end byte index 200 is not a char boundary`).
    let mut ct = String::from("{\"time\": \"2024-01-10T08:31:12Z\", \"resourceId\": \"");
    while ct.len() < 198 {
        ct.push('A');
    }
    ct.push_str("皜皜\", \"eventTime\": 1, \"eventSource\": 2}\n");
    // A syslog line whose time has a multi-byte character at byte 14: the RFC 3164 head
    // sliced at bytes 7..15.
    let syslog = "Mar 11 19:26:3日本9 osx-machine sshd[3]: Accepted publickey for plaso from 192.168.0.1 port 59229 ssh2\nMar 11 19:26:39 osx-machine sshd[3]: Accepted publickey for plaso from 192.168.0.1 port 59229 ssh2\n";
    // A multi-byte character across byte 30 of a line that starts like a date: the csvlog
    // sniffer sliced the line at byte 30.
    let pg = "2019-02-11 13:55:44,chenﾂyﾕ.siyuan,10.86.12.21,jp-msg-db,query_user,users\n";
    // A multi-byte character inside the time of a MySQL general log line (sliced at 15).
    let my = "/usr/sbin/mysqld, Version: 5.7\nTime                 Id Command    Argument\n100211  0:55:\u{fffd}4      51 Query       SELECT 1\n";
    // A multi-byte character across byte 19 of an M365 CreationTime (sliced at 19).
    let m365 = "{\"CreationTime\":\"2022-05-07T12:56:\u{fffd}8\",\"Operation\":\"FileAccessed\",\"Workload\":\"SharePoint\",\"UserId\":\"a@example.com\"}\n";
    for (name, text, format) in [
        ("ct.json", ct.as_str(), None),
        ("m365.jsonl", m365, Some(Format::M365)),
        ("genlog.txt", my, Some(Format::MysqlGeneral)),
        ("pg.csv", pg, None),
        ("pg.log", pg, Some(Format::PgCsv)),
        ("auth.log", syslog, None),
        ("auth2.log", syslog, Some(Format::Syslog)),
    ] {
        let p = dir.write(name, text);
        let opts = SourceOptions {
            format,
            year: Some(2021),
            ..Default::default()
        };
        let out = run_access(&p, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        if name.starts_with("auth") {
            // The mangled line is a counted reject; the good one an event.
            assert!(
                matches!(
                    out,
                    Outcome::Parsed {
                        rows_read: 2,
                        events: 1,
                        rejects: 1
                    }
                ),
                "{name}: {out:?}"
            );
        }
    }
}

/// The long run: `FUZZ_SECONDS` per target (default 60), seed from `FUZZ_SEED` or the clock,
/// optional `FUZZ_TARGET` substring to run only some targets.
#[test]
#[ignore = "long: run with FUZZ_SECONDS=N cargo test --release --test it fuzz::long -- --ignored --nocapture"]
fn long() {
    let secs: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| retrace::model::time::now_us() as u64);
    let only = std::env::var("FUZZ_TARGET").ok();
    println!("fuzz seed {seed}, {secs} s per target");
    let mut all = Vec::new();
    for mut t in all_targets() {
        if only.as_deref().is_some_and(|o| !t.name.contains(o)) {
            continue;
        }
        let (runs, failures) = drive(&mut t, seed, (0, usize::MAX), Duration::from_secs(secs));
        println!("{:<24} {runs:>9} runs, {} failures", t.name, failures.len());
        all.extend(failures);
    }
    assert!(all.is_empty(), "fuzz failures:\n{}", all.join("\n"));
}
