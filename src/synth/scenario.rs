//! The fixed storyline: approvals of the four Shanghai engineers, their 32
//! access sessions (5 uncovered by any approval, 6 of the covered ones
//! without the named overseer anywhere near), the overseers' supervision
//! queries, the one refused attempt after revocation, and the milestones.
//!
//! The *shape* is the same for every seed; the seed moves days, times,
//! subjects and tickets. All of it is placed before the background is
//! generated, so the background can keep the overseers away from the
//! sessions they are meant not to supervise.

use super::cast::{
    ACC_ENGINEERS, APPROVER, ENGINEERS, OVERSEER_A, OVERSEER_B, Org, System, org_info,
};
use super::clock::{self, MS_PER_DAY, MS_PER_HOUR, MS_PER_MIN, MS_PER_SEC, Zone};
use super::events::{Ev, Op};
use super::rng::Rng;

/// One approval row.
#[derive(Debug, Clone)]
pub(crate) struct Approval {
    pub person: usize,
    pub system: System,
    pub from: i64,
    pub to: i64,
    pub approver: usize,
    pub overseer: usize,
    pub ticket: String,
}

/// A calendar date in Asia/Tokyo.
pub(crate) type Date = (i64, u32, u32);

/// The approval windows every engineer holds, as (system, first day, last
/// day) in Tokyo dates; an approval runs from local midnight of its first
/// day to 23:59:59 of its last day. The last one ends the moment access is
/// revoked.
pub(crate) const WINDOWS: [(System, Date, Date); 6] = [
    (System::MsgDb, (2018, 8, 1), (2019, 7, 31)),
    (System::ReportDb, (2019, 4, 1), (2019, 7, 31)),
    (System::MsgDb, (2019, 10, 1), (2020, 9, 30)),
    (System::ReportDb, (2020, 2, 1), (2020, 9, 30)),
    (System::MsgDb, (2020, 11, 1), (2021, 2, 23)),
    (System::ReportDb, (2020, 11, 1), (2021, 1, 31)),
];

/// Stretches with no approval at all (renewals lapsed): sessions placed
/// here are uncovered, "outside the approval window".
pub(crate) const NO_APPROVAL: [(Date, Date); 2] = [
    ((2019, 8, 1), (2019, 9, 30)),
    ((2020, 10, 1), (2020, 10, 31)),
];

/// Stretches where jp-msg-db is approved but jp-report-db is not: a session
/// on jp-report-db here is uncovered, "system not approved".
pub(crate) const REPORT_DB_UNAPPROVED: [(Date, Date); 2] = [
    ((2018, 8, 1), (2019, 3, 31)),
    ((2019, 10, 1), (2020, 1, 31)),
];

pub(crate) const GRANTED: Date = (2018, 8, 1);
pub(crate) const SH_REVOKED: Date = (2021, 2, 24);
pub(crate) const DALIAN_START: Date = (2020, 1, 6);
pub(crate) const DALIAN_REVOKED: Date = (2021, 3, 23);
pub(crate) const LAW_IN_FORCE: Date = (2022, 4, 1);
const DENIED_DAY: Date = (2021, 2, 25);

pub(crate) fn tokyo(date: Date) -> i64 {
    clock::local_date(Zone::Tokyo, date.0, date.1, date.2)
}

fn day_number(date: Date) -> i64 {
    clock::days_from_civil(date.0, date.1, date.2)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    Supervised,
    Unsupervised,
    OutsideWindow,
    WrongSystem,
}

/// Per engineer: (supervised, unsupervised, outside window, wrong system).
/// 11 / 9 / 7 / 5 sessions; 21 + 6 covered, 3 + 2 uncovered.
const PLANS: [[usize; 4]; 4] = [[7, 2, 1, 1], [6, 2, 1, 0], [5, 1, 0, 1], [3, 1, 1, 0]];

/// Shanghai sessions stay this far apart from each other (any engineer),
/// so no two sessions' supervision windows can touch.
const SESSION_SEPARATION: i64 = 24 * MS_PER_HOUR;

/// Overseers have no background activity this close to any session.
pub(crate) const OVERSEER_QUIET: i64 = 8 * MS_PER_HOUR;

pub(crate) struct Scenario {
    pub approvals: Vec<Approval>,
    /// Every scenario event (Shanghai admin tool and the overseers'
    /// supervision queries in the Japan audit log), sorted by time.
    pub events: Vec<Ev>,
    pub arena: Vec<u32>,
    /// Sorted, disjoint time ranges in which overseers must not appear in
    /// background events.
    pub overseer_quiet: Vec<(i64, i64)>,
}

struct Placed {
    start: i64,
    end: i64,
}

/// Builds the scenario for `seed`, drawing subjects from `0..subjects`.
pub(crate) fn build(seed: u64, subjects: u32) -> Scenario {
    let mut rng = Rng::stream(seed, 2);
    let approvals = approvals(&mut rng);
    let mut events: Vec<Ev> = Vec::new();
    let mut arena: Vec<u32> = Vec::new();
    let mut placed: Vec<Placed> = Vec::new();

    for (e, &person) in ENGINEERS.iter().enumerate() {
        let plan = PLANS[e];
        // Narrow windows first so that they always find room.
        let mut todo: Vec<Plan> = Vec::new();
        todo.extend(std::iter::repeat_n(Plan::OutsideWindow, plan[2]));
        todo.extend(std::iter::repeat_n(Plan::WrongSystem, plan[3]));
        todo.extend(std::iter::repeat_n(Plan::Unsupervised, plan[1]));
        todo.extend(std::iter::repeat_n(Plan::Supervised, plan[0]));
        for kind in todo {
            place_session(
                &mut rng,
                person,
                e,
                kind,
                &approvals,
                subjects,
                &mut placed,
                &mut events,
                &mut arena,
            );
        }
    }

    // The refused attempt the day after revocation.
    let e = rng.below(ENGINEERS.len() as u64) as usize;
    let day = day_number(DENIED_DAY);
    let ts = Zone::Shanghai.midnight(day)
        + rng.range_i64(9 * MS_PER_HOUR, 17 * MS_PER_HOUR) / MS_PER_SEC * MS_PER_SEC;
    events.push(Ev {
        ts,
        seq: 0,
        account: ACC_ENGINEERS[e] as u8,
        op: Op::ShDenied,
        ok: false,
        ip_host: super::cast::ACCOUNTS[ACC_ENGINEERS[e]].ip_host,
        sub_start: arena.len() as u32,
        sub_len: 0,
        records: 0,
        aux: 0,
        aux2: 0,
    });

    events.sort_by_key(|ev| ev.ts);
    let mut overseer_quiet: Vec<(i64, i64)> = placed
        .iter()
        .map(|p| (p.start - OVERSEER_QUIET, p.end + OVERSEER_QUIET))
        .collect();
    overseer_quiet.sort_unstable();
    Scenario {
        approvals,
        events,
        arena,
        overseer_quiet,
    }
}

fn approvals(rng: &mut Rng) -> Vec<Approval> {
    let mut out = Vec::new();
    for (e, &person) in ENGINEERS.iter().enumerate() {
        for (w, &(system, first, last)) in WINDOWS.iter().enumerate() {
            let overseer = if (e + w) % 2 == 0 {
                OVERSEER_A
            } else {
                OVERSEER_B
            };
            out.push(Approval {
                person,
                system,
                from: tokyo(first),
                to: tokyo(last) + MS_PER_DAY - MS_PER_SEC,
                approver: APPROVER,
                overseer,
                ticket: String::new(),
            });
        }
    }
    out.sort_by_key(|a| (a.from, a.person));
    // Tickets numbered in filing order within each year, from a
    // seed-dependent start, like a real tracker shared with other work.
    let mut year = 0;
    let mut number = 0;
    for a in &mut out {
        let y = clock::civil_from_days(Zone::Tokyo.local_day(a.from)).0;
        if y != year {
            year = y;
            number = rng.range(12, 40);
        } else {
            number += rng.range(1, 6);
        }
        a.ticket = format!("SEC-{y}-{number:03}");
    }
    out
}

/// Tokyo day numbers strictly inside a window (its first and last day are
/// avoided so that no session touches a window edge).
fn interior(first: Date, last: Date) -> (i64, i64) {
    (day_number(first) + 1, day_number(last) - 1)
}

#[allow(clippy::too_many_arguments)]
fn place_session(
    rng: &mut Rng,
    person: usize,
    e: usize,
    kind: Plan,
    approvals: &[Approval],
    subjects: u32,
    placed: &mut Vec<Placed>,
    events: &mut Vec<Ev>,
    arena: &mut Vec<u32>,
) {
    let mine: Vec<usize> = (0..approvals.len())
        .filter(|&i| approvals[i].person == person)
        .collect();
    for _ in 0..100_000 {
        let (day, system, covering) = session_day(rng, kind, approvals, &mine);
        // Shanghai office hours; whole seconds, as the admin tool logs.
        let start = Zone::Shanghai.midnight(day)
            + rng.range_i64(9 * MS_PER_HOUR, 17 * MS_PER_HOUR) / MS_PER_SEC * MS_PER_SEC;
        let n = rng.range(2, 8) as usize;
        let mut times = Vec::with_capacity(n);
        let mut t = start;
        for k in 0..n {
            if k > 0 {
                t += rng.range_i64(MS_PER_MIN, 9 * MS_PER_MIN) / MS_PER_SEC * MS_PER_SEC;
            }
            times.push(t);
        }
        let end = t;
        if placed
            .iter()
            .any(|p| start < p.end + SESSION_SEPARATION && end + SESSION_SEPARATION > p.start)
        {
            continue;
        }
        placed.push(Placed { start, end });

        // The ticket the engineer quoted: the covering approval, or for a
        // session on the unapproved system the jp-msg-db approval of the
        // day (quoted anyway); none outside every window.
        let ticket = match kind {
            Plan::WrongSystem => approvals.iter().position(|a| {
                a.person == person && a.system == System::MsgDb && a.from <= start && start <= a.to
            }),
            _ => covering,
        };
        let session = Session {
            system,
            start,
            end,
            times: &times,
        };
        let seen = engineer_events(
            rng,
            ACC_ENGINEERS[e],
            &session,
            ticket,
            subjects,
            events,
            arena,
        );
        if kind == Plan::Supervised
            && let Some(covering) = covering
        {
            let overseer = approvals[covering].overseer;
            supervision_events(rng, overseer, &session, &seen, events, arena);
        }
        return;
    }
    panic!("could not place a Shanghai session; the windows are too crowded");
}

/// A Shanghai session being placed: its system, span and event times.
struct Session<'a> {
    system: System,
    start: i64,
    end: i64,
    times: &'a [i64],
}

/// Chooses a session's Tokyo day, its system, and the approval that covers it (if any).
fn session_day(
    rng: &mut Rng,
    kind: Plan,
    approvals: &[Approval],
    mine: &[usize],
) -> (i64, System, Option<usize>) {
    match kind {
        Plan::Supervised | Plan::Unsupervised => {
            let weights: Vec<u32> = mine
                .iter()
                .map(|&i| ((approvals[i].to - approvals[i].from) / MS_PER_DAY) as u32)
                .collect();
            let i = mine[rng.weighted(&weights)];
            let a = &approvals[i];
            let first = Zone::Tokyo.local_day(a.from) + 1;
            let last = Zone::Tokyo.local_day(a.to) - 1;
            (rng.range_i64(first, last), a.system, Some(i))
        }
        Plan::OutsideWindow => {
            let (first, last) = NO_APPROVAL[rng.below(NO_APPROVAL.len() as u64) as usize];
            let (lo, hi) = interior(first, last);
            (rng.range_i64(lo, hi), System::MsgDb, None)
        }
        Plan::WrongSystem => {
            let (first, last) =
                REPORT_DB_UNAPPROVED[rng.below(REPORT_DB_UNAPPROVED.len() as u64) as usize];
            let (lo, hi) = interior(first, last);
            (rng.range_i64(lo, hi), System::ReportDb, None)
        }
    }
}

/// The engineer's admin-tool events of a session; returns the subjects they touched.
fn engineer_events(
    rng: &mut Rng,
    account: usize,
    session: &Session,
    ticket: Option<usize>,
    subjects: u32,
    events: &mut Vec<Ev>,
    arena: &mut Vec<u32>,
) -> Vec<u32> {
    let ip_host = super::cast::ACCOUNTS[account].ip_host;
    let mut seen: Vec<u32> = Vec::new();
    for &ts in session.times {
        let op = match session.system {
            System::MsgDb => [Op::ShQueryUser, Op::ShViewContacts, Op::ShExportUsers]
                [rng.weighted(&[60, 25, 15])],
            _ => [Op::ShViewReport, Op::ShExportReports][rng.weighted(&[80, 20])],
        };
        let count = if matches!(op, Op::ShExportUsers | Op::ShExportReports) {
            rng.range(10, 20)
        } else {
            rng.range(1, 5)
        } as usize;
        let sub_start = arena.len();
        draw_subjects(rng, subjects, count, arena);
        seen.extend_from_slice(&arena[sub_start..]);
        let records = count as u64
            + if count >= 10 {
                rng.range(0, 30)
            } else {
                rng.range(0, 2)
            };
        events.push(Ev {
            ts,
            seq: 0,
            account: account as u8,
            op,
            ok: true,
            ip_host,
            sub_start: sub_start as u32,
            sub_len: count as u16,
            records: records as u32,
            aux: ticket.map_or(0, |i| i as u32 + 1),
            aux2: 0,
        });
    }
    seen
}

/// The overseer's supervision queries around a supervised session, on some of the users the
/// engineer touched (`seen`).
fn supervision_events(
    rng: &mut Rng,
    overseer: usize,
    session: &Session,
    seen: &[u32],
    events: &mut Vec<Ev>,
    arena: &mut Vec<u32>,
) {
    let op = if session.system == System::MsgDb {
        Op::JpSelectUsers
    } else {
        Op::JpSelectReports
    };
    let db_session = rng.below(0x1_0000) as u32;
    for _ in 0..rng.range(1, 3) {
        let ts = rng.range_i64(
            session.start - 10 * MS_PER_MIN,
            session.end + 10 * MS_PER_MIN,
        );
        // The overseer looks at some of the same users.
        let count = rng.range(1, 3) as usize;
        let sub_start = arena.len();
        for _ in 0..count {
            let s = seen[rng.below(seen.len() as u64) as usize];
            if !arena[sub_start..].contains(&s) {
                arena.push(s);
            }
        }
        let len = arena.len() - sub_start;
        events.push(Ev {
            ts,
            seq: 0,
            account: overseer as u8, // db_* accounts share the person index
            op,
            ok: true,
            ip_host: super::cast::ACCOUNTS[overseer].ip_host,
            sub_start: sub_start as u32,
            sub_len: len as u16,
            records: len as u32,
            aux: db_session,
            aux2: 0,
        });
    }
}

/// Appends `count` distinct subjects drawn uniformly from `0..subjects`.
pub(crate) fn draw_subjects(rng: &mut Rng, subjects: u32, count: usize, arena: &mut Vec<u32>) {
    let start = arena.len();
    while arena.len() - start < count {
        let s = rng.below(u64::from(subjects)) as u32;
        if !arena[start..].contains(&s) {
            arena.push(s);
        }
    }
}

/// One milestones.csv row: (at, label, kind, scope).
pub(crate) fn milestones() -> Vec<(i64, &'static str, &'static str, String)> {
    let org = |o: Org| format!("org:{}", org_info(o).name);
    vec![
        (
            tokyo(GRANTED),
            "Shanghai affiliate engineers granted access to Japan servers",
            "access_granted",
            org(Org::Affiliate),
        ),
        (
            tokyo(DALIAN_START),
            "Monitoring work subcontracted to Dalian reviewers",
            "contract_started",
            org(Org::Subcontractor),
        ),
        (
            tokyo(SH_REVOKED),
            "Shanghai access to Japan servers revoked",
            "access_revoked",
            org(Org::Affiliate),
        ),
        (
            tokyo(DALIAN_REVOKED),
            "Dalian reviewers' access ended",
            "access_revoked",
            org(Org::Subcontractor),
        ),
        (
            tokyo(LAW_IN_FORCE),
            "Amended APPI in force",
            "law_in_force",
            "all".to_string(),
        ),
    ]
}
