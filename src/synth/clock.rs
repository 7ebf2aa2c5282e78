//! Calendar arithmetic and the timestamp spellings of the generated logs.
//!
//! Instants are `i64` milliseconds since the Unix epoch (UTC). Formatting is
//! done by hand into byte buffers because the writer formats tens of millions
//! of timestamps and `chrono`'s format strings are parsed on every call; the
//! tests check these functions against `chrono` and `chrono-tz`.

pub(crate) const MS_PER_SEC: i64 = 1_000;
pub(crate) const MS_PER_MIN: i64 = 60 * MS_PER_SEC;
pub(crate) const MS_PER_HOUR: i64 = 60 * MS_PER_MIN;
pub(crate) const MS_PER_DAY: i64 = 24 * MS_PER_HOUR;

/// The three zones of the scenario. None of them observed daylight saving
/// time between 2018 and 2021 (checked against chrono-tz in the tests), so a
/// fixed offset per zone is exact for every generated instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zone {
    Tokyo,
    Shanghai,
    Seoul,
}

impl Zone {
    pub(crate) fn iana(self) -> &'static str {
        match self {
            Zone::Tokyo => "Asia/Tokyo",
            Zone::Shanghai => "Asia/Shanghai",
            Zone::Seoul => "Asia/Seoul",
        }
    }

    pub(crate) fn offset_ms(self) -> i64 {
        match self {
            Zone::Tokyo | Zone::Seoul => 9 * MS_PER_HOUR,
            Zone::Shanghai => 8 * MS_PER_HOUR,
        }
    }

    /// The UTC instant of local midnight starting day `days` (days since
    /// 1970-01-01 in local calendar terms).
    pub(crate) fn midnight(self, days: i64) -> i64 {
        days * MS_PER_DAY - self.offset_ms()
    }

    /// Local calendar day number of an instant.
    pub(crate) fn local_day(self, ts: i64) -> i64 {
        (ts + self.offset_ms()).div_euclid(MS_PER_DAY)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Monday = 0 .. Sunday = 6 (1970-01-01 was a Thursday).
pub(crate) fn weekday(days: i64) -> u32 {
    (days + 3).rem_euclid(7) as u32
}

/// UTC instant of local midnight of a calendar date in `zone`.
pub(crate) fn local_date(zone: Zone, y: i64, m: u32, d: u32) -> i64 {
    zone.midnight(days_from_civil(y, m, d))
}

fn push_2(buf: &mut Vec<u8>, v: u32) {
    buf.push(b'0' + (v / 10 % 10) as u8);
    buf.push(b'0' + (v % 10) as u8);
}

fn push_3(buf: &mut Vec<u8>, v: u32) {
    buf.push(b'0' + (v / 100 % 10) as u8);
    push_2(buf, v % 100);
}

fn push_4(buf: &mut Vec<u8>, v: i64) {
    let v = v as u32;
    push_2(buf, v / 100);
    push_2(buf, v % 100);
}

/// Decimal digits of an unsigned integer.
pub(crate) fn push_u64(buf: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// `YYYY?MM?DD HH:MM:SS` of the wall clock at `ts + offset`, with `sep`
/// between the date parts and `mid` between date and time.
fn push_wall(buf: &mut Vec<u8>, local: i64, sep: u8, mid: u8) {
    let days = local.div_euclid(MS_PER_DAY);
    let in_day = local.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    push_4(buf, y);
    buf.push(sep);
    push_2(buf, m);
    buf.push(sep);
    push_2(buf, d);
    buf.push(mid);
    let secs = (in_day / MS_PER_SEC) as u32;
    push_2(buf, secs / 3600);
    buf.push(b':');
    push_2(buf, secs / 60 % 60);
    buf.push(b':');
    push_2(buf, secs % 60);
}

fn push_millis(buf: &mut Vec<u8>, local: i64) {
    buf.push(b'.');
    push_3(buf, local.rem_euclid(MS_PER_SEC) as u32);
}

fn push_offset(buf: &mut Vec<u8>, offset_ms: i64) {
    if offset_ms == 0 {
        buf.push(b'Z');
        return;
    }
    buf.push(if offset_ms < 0 { b'-' } else { b'+' });
    let mins = (offset_ms.abs() / MS_PER_MIN) as u32;
    push_2(buf, mins / 60);
    buf.push(b':');
    push_2(buf, mins % 60);
}

/// Naive local time `2019-03-05 14:22:10` (seconds truncated).
pub(crate) fn push_naive_dash(buf: &mut Vec<u8>, ts: i64, zone: Zone) {
    push_wall(buf, ts + zone.offset_ms(), b'-', b' ');
}

/// Naive local time `2019/03/05 14:22:10` (seconds truncated).
pub(crate) fn push_naive_slash(buf: &mut Vec<u8>, ts: i64, zone: Zone) {
    push_wall(buf, ts + zone.offset_ms(), b'/', b' ');
}

/// RFC 3339 with milliseconds and the zone's offset:
/// `2019-03-05T14:22:10.123+09:00`.
pub(crate) fn push_rfc3339_ms(buf: &mut Vec<u8>, ts: i64, zone: Zone) {
    let local = ts + zone.offset_ms();
    push_wall(buf, local, b'-', b'T');
    push_millis(buf, local);
    push_offset(buf, zone.offset_ms());
}

/// RFC 3339 UTC with milliseconds: `2019-03-05T05:22:10.123Z`.
pub(crate) fn push_utc_ms(buf: &mut Vec<u8>, ts: i64) {
    push_wall(buf, ts, b'-', b'T');
    push_millis(buf, ts);
    buf.push(b'Z');
}

/// [`push_utc_ms`] as a `String`, the spelling of every instant in the
/// ground truth.
pub(crate) fn utc_string(ts: i64) -> String {
    let mut buf = Vec::with_capacity(24);
    push_utc_ms(&mut buf, ts);
    String::from_utf8(buf).expect("timestamps are ASCII")
}

/// RFC 3339 without fractional seconds in the zone's offset, the spelling
/// of approval windows and milestones: `2018-08-01T00:00:00+09:00`.
pub(crate) fn offset_string(ts: i64, zone: Zone) -> String {
    let mut buf = Vec::with_capacity(25);
    push_wall(&mut buf, ts + zone.offset_ms(), b'-', b'T');
    push_offset(&mut buf, zone.offset_ms());
    String::from_utf8(buf).expect("timestamps are ASCII")
}
