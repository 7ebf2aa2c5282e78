//! Routine background access, generated one Tokyo calendar day at a time.
//!
//! The number of events per file and day is fixed up front by spreading
//! each file's share of `background_events` over the days in proportion to
//! a weight (weekday or weekend, Dalian period or not), with cumulative
//! rounding so the shares add up exactly. Within a day, each event picks an
//! account, a time of day from that account's working pattern, and an
//! operation; the day's events are then sorted and streamed out.

use super::cast::{
    ACC_DB, ACC_KANADE, ACC_KOREA, ACC_MEDIA_SYNC, ACC_MEDIA_TOKYO, ACC_REVIEWERS, ACC_SVC_BATCH,
    ACC_TMP_OPS, ACCOUNTS, OVERSEER_A, OVERSEER_B, PEOPLE,
};
use super::clock::{self, MS_PER_HOUR, MS_PER_SEC, Zone};
use super::events::{CONTRACTOR_NOTES, Ev, LogFile, Op};
use super::rng::Rng;
use super::scenario::{self, draw_subjects};

/// First and last Tokyo day of background activity.
pub(crate) const FIRST_DAY: (i64, u32, u32) = (2018, 6, 1);
pub(crate) const LAST_DAY: (i64, u32, u32) = (2021, 3, 31);
/// The temporary operations account exists only in this stretch.
const TMP_OPS_FROM: (i64, u32, u32) = (2019, 4, 1);
const TMP_OPS_TO: (i64, u32, u32) = (2019, 9, 30);

/// When an account works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    /// Office hours with a lunch dip, in the account's own zone.
    Office,
    /// Nightly batch, 01:00–04:59.
    Batch,
    /// Evenings, 18:00–22:59 (the leftover temporary account).
    Evening,
    /// Around the clock (the media sync job).
    AllDay,
}

/// Relative weight of each local hour for [`Pattern::Office`]. Hours past
/// 22 are zero so a Shanghai-zone event never spills into the next Tokyo day.
const OFFICE_HOURS: [u32; 24] = [
    0, 0, 0, 0, 0, 0, 0, 1, 4, 8, 10, 10, 6, 9, 10, 10, 9, 7, 4, 2, 1, 1, 0, 0,
];

fn zone_of(account: usize) -> Zone {
    match ACCOUNTS[account].person {
        Some(p) => PEOPLE[p].zone,
        None if account == ACC_MEDIA_SYNC => Zone::Seoul,
        None => Zone::Tokyo,
    }
}

fn pattern_of(account: usize) -> Pattern {
    match account {
        ACC_SVC_BATCH => Pattern::Batch,
        ACC_TMP_OPS => Pattern::Evening,
        ACC_MEDIA_SYNC => Pattern::AllDay,
        _ => Pattern::Office,
    }
}

/// Per-day facts that decide weights and who is around.
struct DayInfo {
    weekend: bool,
    dalian: bool,
    tmp_ops: bool,
}

/// Day weights per file: (Japan audit, Korea media, contractor export).
fn day_weights(info: &DayInfo) -> [u64; 3] {
    let base = if info.weekend { 3 } else { 10 };
    [
        base,
        base * if info.dalian { 5 } else { 2 },
        if info.dalian { 24 } else { 8 },
    ]
}

/// Splits `total` over days in proportion to `weights`, exactly.
pub(crate) fn allocate(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let mut out = Vec::with_capacity(weights.len());
    let mut acc: u128 = 0;
    let mut given: u64 = 0;
    for &w in weights {
        acc += u128::from(w);
        let upto = (u128::from(total) * acc / sum) as u64;
        out.push(upto - given);
        given = upto;
    }
    out
}

/// The background plan for every day.
pub(crate) struct Background {
    first_day: i64,
    days: Vec<DayInfo>,
    counts: [Vec<u64>; 3],
    rng: Rng,
    subjects: u32,
    overseer_quiet: Vec<(i64, i64)>,
    weights: Vec<u32>,
    accounts: Vec<usize>,
}

/// Background events per file for `total`: 75 % Japan audit, 15 % Korea
/// media, the rest contractor export.
pub(crate) fn split(total: u64) -> [u64; 3] {
    let jp = total * 3 / 4;
    let kr = total * 3 / 20;
    [jp, kr, total - jp - kr]
}

impl Background {
    pub(crate) fn new(
        seed: u64,
        total: u64,
        subjects: u32,
        overseer_quiet: Vec<(i64, i64)>,
    ) -> Self {
        let first_day = clock::days_from_civil(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2);
        let last_day = clock::days_from_civil(LAST_DAY.0, LAST_DAY.1, LAST_DAY.2);
        let day = |d: (i64, u32, u32)| clock::days_from_civil(d.0, d.1, d.2);
        let dalian = (
            day(scenario::DALIAN_START),
            day(scenario::DALIAN_REVOKED) - 1,
        );
        let tmp = (day(TMP_OPS_FROM), day(TMP_OPS_TO));
        let days: Vec<DayInfo> = (first_day..=last_day)
            .map(|d| DayInfo {
                weekend: clock::weekday(d) >= 5,
                dalian: dalian.0 <= d && d <= dalian.1,
                tmp_ops: tmp.0 <= d && d <= tmp.1,
            })
            .collect();
        let shares = split(total);
        let counts = std::array::from_fn(|f| {
            let w: Vec<u64> = days.iter().map(|i| day_weights(i)[f]).collect();
            allocate(shares[f], &w)
        });
        Background {
            first_day,
            days,
            counts,
            rng: Rng::stream(seed, 3),
            subjects,
            overseer_quiet,
            weights: Vec::new(),
            accounts: Vec::new(),
        }
    }

    /// Day numbers (days since 1970-01-01, Tokyo calendar) covered.
    pub(crate) fn day_range(&self) -> std::ops::Range<i64> {
        self.first_day..self.first_day + self.days.len() as i64
    }

    fn quiet_for_overseer(&self, ts: i64) -> bool {
        let i = self.overseer_quiet.partition_point(|&(_, hi)| hi < ts);
        i < self.overseer_quiet.len() && self.overseer_quiet[i].0 <= ts
    }

    /// Appends day `day`'s background events to `batch` (subjects into
    /// `arena`); `seq` numbers continue from `batch.len()`.
    pub(crate) fn generate_day(&mut self, day: i64, batch: &mut Vec<Ev>, arena: &mut Vec<u32>) {
        let i = (day - self.first_day) as usize;
        for (f, file) in [LogFile::JpAudit, LogFile::KrMedia, LogFile::Contractor]
            .into_iter()
            .enumerate()
        {
            let n = self.counts[f][i];
            if n == 0 {
                continue;
            }
            self.cast_for(file, i);
            for _ in 0..n {
                let ev = self.one(file, day, batch.len() as u32, arena);
                batch.push(ev);
            }
        }
    }

    /// Fills `self.accounts`/`self.weights` with who may appear in `file`
    /// on day index `i`.
    fn cast_for(&mut self, file: LogFile, i: usize) {
        let info = &self.days[i];
        self.accounts.clear();
        self.weights.clear();
        let mut add = |acc: usize, w: u32| {
            self.accounts.push(acc);
            self.weights.push(w);
        };
        match file {
            LogFile::JpAudit => {
                for acc in ACC_DB {
                    let w = match ACCOUNTS[acc].person {
                        Some(OVERSEER_A | OVERSEER_B) => 2,
                        Some(super::cast::APPROVER) => 5,
                        _ => 10,
                    };
                    add(acc, w);
                }
                add(ACC_SVC_BATCH, 14);
                if info.tmp_ops {
                    add(ACC_TMP_OPS, 6);
                }
            }
            LogFile::KrMedia => {
                for acc in ACC_KOREA {
                    add(acc, 10);
                }
                for acc in ACC_MEDIA_TOKYO {
                    add(acc, 2);
                }
                add(ACC_MEDIA_SYNC, 4);
                if info.dalian {
                    for acc in ACC_REVIEWERS {
                        add(acc, 10);
                    }
                }
            }
            LogFile::Contractor => {
                for acc in ACC_KANADE {
                    add(acc, 10);
                }
                if info.dalian {
                    for acc in ACC_REVIEWERS {
                        add(acc, 15);
                    }
                }
            }
            LogFile::ShAdmin => unreachable!("no background in the Shanghai admin tool"),
        }
    }

    fn time_of_day(&mut self, account: usize, day: i64) -> i64 {
        let zone = zone_of(account);
        let hour = match pattern_of(account) {
            Pattern::Office => self.rng.weighted(&OFFICE_HOURS) as i64,
            Pattern::Batch => self.rng.range_i64(1, 4),
            Pattern::Evening => self.rng.range_i64(18, 22),
            Pattern::AllDay => self.rng.range_i64(0, 23),
        };
        zone.midnight(day) + hour * MS_PER_HOUR + self.rng.range_i64(0, MS_PER_HOUR - 1)
    }

    fn one(&mut self, file: LogFile, day: i64, seq: u32, arena: &mut Vec<u32>) -> Ev {
        let rng = &mut self.rng;
        let mut account = self.accounts[rng.weighted(&self.weights)];
        let mut ts = self.time_of_day(account, day);
        if matches!(ACCOUNTS[account].person, Some(OVERSEER_A | OVERSEER_B)) {
            // Keep overseers out of the hours around Shanghai sessions so
            // that supervision is decided by the scenario alone.
            let mut tries = 0;
            while self.quiet_for_overseer(ts) && tries < 32 {
                ts = self.time_of_day(account, day);
                tries += 1;
            }
            if self.quiet_for_overseer(ts) {
                account = ACC_DB.start + 3;
                ts = self.time_of_day(account, day);
            }
        }
        let rng = &mut self.rng;
        let op = match file {
            LogFile::JpAudit => {
                const OPS: [Op; 6] = [
                    Op::JpSelectUsers,
                    Op::JpUpdateUsers,
                    Op::JpSelectContacts,
                    Op::JpStats,
                    Op::JpSelectReports,
                    Op::JpUpdateQueue,
                ];
                let w: &[u32; 6] = match account {
                    ACC_SVC_BATCH => &[0, 20, 0, 70, 0, 10],
                    ACC_TMP_OPS => &[70, 0, 30, 0, 0, 0],
                    // The trust and safety analysts mostly read reports.
                    7 | 11 => &[15, 0, 5, 5, 60, 15],
                    _ => &[40, 5, 15, 15, 20, 5],
                };
                OPS[rng.weighted(w)]
            }
            LogFile::KrMedia => Op::KrGet,
            _ => {
                if rng.chance(4, 5) {
                    Op::CtrPost
                } else {
                    Op::CtrReport
                }
            }
        };
        if matches!(file, LogFile::Contractor) {
            // The contractor export has whole seconds only.
            ts = ts / MS_PER_SEC * MS_PER_SEC;
        }
        let count = match op {
            Op::JpSelectUsers => [1, 1, 1, 2, 2, 3, 4, 5][rng.below(8) as usize],
            Op::JpUpdateUsers | Op::JpSelectContacts => rng.range(1, 3) as usize,
            Op::JpSelectReports => rng.range(1, 4) as usize,
            Op::JpStats | Op::JpUpdateQueue => 0,
            _ => 1,
        };
        let sub_start = arena.len();
        draw_subjects(rng, self.subjects, count, arena);
        let records = match op {
            Op::JpStats => rng.range(1, 500),
            Op::JpUpdateQueue => rng.range(1, 50),
            Op::JpSelectUsers | Op::JpSelectReports => count as u64 + rng.range(0, 2),
            _ => count as u64,
        } as u32;
        let (aux, aux2) = match op {
            Op::KrGet => (rng.range(20_000, 3_000_000) as u32, rng.next_u64() as u32),
            Op::CtrPost | Op::CtrReport => {
                let note = if rng.chance(1, 8) {
                    rng.range(1, CONTRACTOR_NOTES.len() as u64 - 1)
                } else {
                    0
                };
                (rng.range(10_000_000, 99_999_999) as u32, note as u32)
            }
            _ => (rng.below(0x1_0000) as u32, 0),
        };
        let ip_host = ACCOUNTS[account].ip_host + u8::from(rng.chance(1, 8));
        Ev {
            ts,
            seq,
            account: account as u8,
            op,
            ok: true,
            ip_host,
            sub_start: sub_start as u32,
            sub_len: count as u16,
            records,
            aux,
            aux2,
        }
    }
}
