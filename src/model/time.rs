//! Time: timestamp text to UTC microseconds, with flags that say how the instant was found.
//!
//! Rules (documented in the README):
//! - text with `Z` or an offset keeps that offset;
//! - naive text is read in the source's zone (an IANA name); a local time that occurs twice
//!   (DST fold) takes the earlier instant and is flagged `AMBIGUOUS`; one that never occurs
//!   (DST gap) is read with the offset in force before the gap and flagged `NONEXISTENT`;
//! - a bare number is epoch seconds, milliseconds, microseconds or nanoseconds by magnitude,
//!   except 8 and 14 digits that form a valid `YYYYMMDD[HHMMSS]`, which are compact local dates.

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
};
use chrono_tz::Tz;

/// How a timestamp was resolved; stored per event as a bit set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TsFlags(pub u16);

impl TsFlags {
    /// The text carried its own offset or `Z`.
    pub const OFFSET: u16 = 1;
    /// The text was an epoch number.
    pub const EPOCH: u16 = 2;
    /// Naive text read in the source's declared zone.
    pub const NAIVE: u16 = 4;
    /// Naive local time that occurs twice (DST fold); the earlier instant was taken.
    pub const AMBIGUOUS: u16 = 8;
    /// Naive local time that does not exist (DST gap); read with the offset before the gap.
    pub const NONEXISTENT: u16 = 16;
    /// The year was not in the text and was inferred.
    pub const YEAR_INFERRED: u16 = 32;
    /// Only a date was given; midnight local was assumed.
    pub const DATE_ONLY: u16 = 64;
    /// A leap second (`:60`): read as the last microsecond of that minute (`:59.999999`), so it
    /// stays inside the minute and in order before the next one.
    pub const LEAP_SECOND: u16 = 128;
    /// The zone was written as an abbreviation (`CEST`) and resolved to an offset.
    pub const ZONE_ABBREVIATION: u16 = 256;

    pub fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }

    /// Words for the set flags, for display.
    pub fn describe(self) -> Vec<&'static str> {
        self.set().map(|(_, _, en)| en).collect()
    }

    /// The catalog message ids of the flags set, in the order of [`TsFlags::describe`]
    /// (`analysis-ts-flag-*`, whose English is `describe`'s words): the front ends show them
    /// in the reader's language.
    pub fn describe_ids(self) -> Vec<&'static str> {
        self.set().map(|(_, id, _)| id).collect()
    }

    /// (bit, catalog id, English words) of the flags set.
    fn set(self) -> impl Iterator<Item = (u16, &'static str, &'static str)> {
        FLAG_NAMES
            .iter()
            .copied()
            .filter(move |(b, ..)| self.has(*b))
    }
}

/// Each flag's catalog id and English words.
const FLAG_NAMES: [(u16, &str, &str); 9] = [
    (TsFlags::OFFSET, "analysis-ts-flag-offset", "offset in text"),
    (TsFlags::EPOCH, "analysis-ts-flag-epoch", "epoch number"),
    (
        TsFlags::NAIVE,
        "analysis-ts-flag-naive",
        "naive, read in source zone",
    ),
    (
        TsFlags::AMBIGUOUS,
        "analysis-ts-flag-ambiguous",
        "AMBIGUOUS local time (DST fold): earlier instant taken",
    ),
    (
        TsFlags::NONEXISTENT,
        "analysis-ts-flag-nonexistent",
        "NONEXISTENT local time (DST gap): offset before gap used",
    ),
    (
        TsFlags::YEAR_INFERRED,
        "analysis-ts-flag-year-inferred",
        "year inferred",
    ),
    (
        TsFlags::DATE_ONLY,
        "analysis-ts-flag-date-only",
        "date only: local midnight assumed",
    ),
    (
        TsFlags::LEAP_SECOND,
        "analysis-ts-flag-leap-second",
        "LEAP SECOND (:60): read as :59.999999 of that minute",
    ),
    (
        TsFlags::ZONE_ABBREVIATION,
        "analysis-ts-flag-zone-abbreviation",
        "zone abbreviation resolved to an offset",
    ),
];

/// A parsed instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedTs {
    pub ts_us: i64,
    pub flags: TsFlags,
}

/// Parses an IANA zone name (`Asia/Tokyo`, `UTC`). The error lists nothing it cannot know.
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    let trimmed = name.trim();
    trimmed.parse::<Tz>().map_err(|_| {
        format!("unknown time zone {trimmed:?}: give an IANA name such as Asia/Tokyo or UTC")
    })
}

/// Converts timestamp text to UTC for one source.
#[derive(Debug, Clone)]
pub struct TimeParser {
    zone: Tz,
    format: Option<String>,
    format_has_offset: bool,
}

impl TimeParser {
    /// `format` is an optional chrono `strftime` pattern; without it the parser recognises
    /// ISO 8601 / RFC 3339 shapes (also with `/` and a space), RFC 2822 and epoch numbers.
    pub fn new(zone: Tz, format: Option<&str>) -> Self {
        let format_has_offset =
            format.is_some_and(|f| f.contains("%z") || f.contains("%:z") || f.contains("%#z"));
        TimeParser {
            zone,
            format: format.map(str::to_string),
            format_has_offset,
        }
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    pub fn parse(&self, text: &str) -> Result<ParsedTs, String> {
        let s = text.trim();
        if s.is_empty() {
            return Err("empty timestamp".into());
        }
        if let Some(fmt) = &self.format {
            return self.parse_with_format(s, fmt);
        }
        if let Some(r) = parse_iso_fast(s) {
            let leap_flag = |leap: bool| if leap { TsFlags::LEAP_SECOND } else { 0 };
            return match r {
                Iso::Offset(ndt, off_secs, leap) => {
                    let us = naive_utc_us(ndt) - i64::from(off_secs) * 1_000_000;
                    Ok(ParsedTs {
                        ts_us: us,
                        flags: TsFlags(TsFlags::OFFSET | leap_flag(leap)),
                    })
                }
                Iso::Naive(ndt, date_only, leap) => {
                    let mut p = self.localize(ndt)?;
                    if date_only {
                        p.flags.0 |= TsFlags::DATE_ONLY;
                    }
                    p.flags.0 |= leap_flag(leap);
                    Ok(p)
                }
                Iso::Abbrev(ndt, abbrev, leap) => {
                    let off = crate::model::zone_abbrev::resolve(abbrev, ndt, self.zone)?;
                    Ok(ParsedTs {
                        ts_us: naive_utc_us(ndt) - i64::from(off) * 1_000_000,
                        flags: TsFlags(
                            TsFlags::OFFSET | TsFlags::ZONE_ABBREVIATION | leap_flag(leap),
                        ),
                    })
                }
                Iso::Invalid(why) => Err(format!("{why} in {s:?}")),
            };
        }
        if let Some(p) = self.parse_number(s)? {
            return Ok(p);
        }
        if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
            let (ndt, leap) = fold_leap(dt.naive_utc());
            return Ok(ParsedTs {
                ts_us: naive_utc_us(ndt),
                flags: TsFlags(TsFlags::OFFSET | if leap { TsFlags::LEAP_SECOND } else { 0 }),
            });
        }
        // Apache/nginx access-log style.
        if let Ok(dt) = DateTime::parse_from_str(s, "%d/%b/%Y:%H:%M:%S %z") {
            return Ok(ParsedTs {
                ts_us: dt.timestamp_micros(),
                flags: TsFlags(TsFlags::OFFSET),
            });
        }
        Err(format!("unrecognised timestamp {s:?}"))
    }

    fn parse_with_format(&self, s: &str, fmt: &str) -> Result<ParsedTs, String> {
        if self.format_has_offset {
            let dt = DateTime::parse_from_str(s, fmt)
                .map_err(|e| format!("timestamp {s:?} does not match format {fmt:?}: {e}"))?;
            let (ndt, leap) = fold_leap(dt.naive_utc());
            return Ok(ParsedTs {
                ts_us: naive_utc_us(ndt),
                flags: TsFlags(TsFlags::OFFSET | if leap { TsFlags::LEAP_SECOND } else { 0 }),
            });
        }
        match NaiveDateTime::parse_from_str(s, fmt) {
            Ok(ndt) => {
                let (ndt, leap) = fold_leap(ndt);
                let mut p = self.localize(ndt)?;
                if leap {
                    p.flags.0 |= TsFlags::LEAP_SECOND;
                }
                Ok(p)
            }
            Err(e) => match NaiveDate::parse_from_str(s, fmt) {
                Ok(d) => {
                    let mut p = self.localize(d.and_time(NaiveTime::MIN))?;
                    p.flags.0 |= TsFlags::DATE_ONLY;
                    Ok(p)
                }
                Err(_) => Err(format!(
                    "timestamp {s:?} does not match format {fmt:?}: {e}"
                )),
            },
        }
    }

    fn parse_number(&self, s: &str) -> Result<Option<ParsedTs>, String> {
        let (neg, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int_part, frac_part) = match digits.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (digits, None),
        };
        if int_part.is_empty()
            || !int_part.bytes().all(|b| b.is_ascii_digit())
            || frac_part.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
        {
            return Ok(None);
        }
        if !neg && frac_part.is_none() {
            let compact = match int_part.len() {
                8 => NaiveDate::parse_from_str(int_part, "%Y%m%d")
                    .ok()
                    .map(|d| (d.and_time(NaiveTime::MIN), true)),
                14 => NaiveDateTime::parse_from_str(int_part, "%Y%m%d%H%M%S")
                    .ok()
                    .map(|d| (d, false)),
                _ => None,
            };
            if let Some((ndt, date_only)) = compact {
                let mut p = self.localize(ndt)?;
                if date_only {
                    p.flags.0 |= TsFlags::DATE_ONLY;
                }
                return Ok(Some(p));
            }
        }
        if int_part.len() > 20 {
            return Err(format!("epoch number {s:?} is out of range"));
        }
        let magnitude: i128 = int_part
            .parse()
            .map_err(|_| format!("epoch number {s:?} is out of range"))?;
        // Scale to microseconds by magnitude; fractional digits only make sense for seconds
        // and milliseconds, where they are kept to the microsecond.
        let (scale_to_us, unit_div): (i128, i128) = if magnitude < 100_000_000_000 {
            (1_000_000, 1)
        } else if magnitude < 100_000_000_000_000 {
            (1_000, 1)
        } else if magnitude < 100_000_000_000_000_000 {
            (1, 1)
        } else {
            (1, 1_000)
        };
        let mut us = magnitude * scale_to_us / unit_div;
        if let Some(f) = frac_part {
            let f6: String = f.chars().chain(std::iter::repeat('0')).take(9).collect();
            let nanos: i128 = f6.parse().unwrap_or(0);
            us += nanos * scale_to_us / 1_000_000_000;
        }
        if neg {
            us = -us;
        }
        let us = i64::try_from(us).map_err(|_| format!("epoch number {s:?} is out of range"))?;
        if DateTime::from_timestamp_micros(us).is_none() {
            return Err(format!("epoch number {s:?} is out of range"));
        }
        Ok(Some(ParsedTs {
            ts_us: us,
            flags: TsFlags(TsFlags::EPOCH),
        }))
    }

    /// Reads a naive local time in this parser's zone.
    pub fn localize(&self, ndt: NaiveDateTime) -> Result<ParsedTs, String> {
        localize_in(self.zone, ndt)
    }
}

/// Reads a naive local time in `zone`, flagging folds and gaps.
pub fn localize_in(zone: Tz, ndt: NaiveDateTime) -> Result<ParsedTs, String> {
    match zone.from_local_datetime(&ndt) {
        LocalResult::Single(dt) => Ok(ParsedTs {
            ts_us: dt.timestamp_micros(),
            flags: TsFlags(TsFlags::NAIVE),
        }),
        LocalResult::Ambiguous(early, _late) => Ok(ParsedTs {
            ts_us: early.timestamp_micros(),
            flags: TsFlags(TsFlags::NAIVE | TsFlags::AMBIGUOUS),
        }),
        LocalResult::None => {
            let before = ndt - chrono::Duration::hours(3);
            let off: FixedOffset = zone
                .from_local_datetime(&before)
                .earliest()
                .map(|d| d.offset().fix())
                .ok_or_else(|| format!("local time {ndt} cannot be placed in zone {zone}"))?;
            Ok(ParsedTs {
                ts_us: naive_utc_us(ndt) - i64::from(off.local_minus_utc()) * 1_000_000,
                flags: TsFlags(TsFlags::NAIVE | TsFlags::NONEXISTENT),
            })
        }
    }
}

/// chrono reads `:60` as a leap second (nanoseconds past 1e9 in second 59); it is read as the
/// last microsecond of that minute instead, and said so.
fn fold_leap(ndt: NaiveDateTime) -> (NaiveDateTime, bool) {
    use chrono::Timelike;
    if ndt.nanosecond() < 1_000_000_000 {
        return (ndt, false);
    }
    (ndt.with_nanosecond(999_999_000).unwrap_or(ndt), true)
}

/// Refuses a `time_format` that cannot read any timestamp, before any row is read: a chrono
/// pattern with an unknown directive, or one that cannot read back a time it writes itself
/// (no date in it, say).
pub fn check_time_format(fmt: &str) -> Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    if fmt.trim().is_empty() {
        return Err("time_format is empty".into());
    }
    if StrftimeItems::new(fmt).any(|i| matches!(i, Item::Error)) {
        return Err(format!(
            "time_format {fmt:?} is not a valid chrono strftime pattern (an unknown % directive?)"
        ));
    }
    let sample = FixedOffset::east_opt(3600)
        .and_then(|o| o.with_ymd_and_hms(2021, 3, 14, 15, 9, 26).single())
        .ok_or("internal: sample time")?;
    let text = sample.format(fmt).to_string();
    let with_offset = fmt.contains("%z") || fmt.contains("%:z") || fmt.contains("%#z");
    let reads = if with_offset {
        DateTime::parse_from_str(&text, fmt).is_ok()
    } else {
        NaiveDateTime::parse_from_str(&text, fmt).is_ok()
            || NaiveDate::parse_from_str(&text, fmt).is_ok()
    };
    if !reads {
        return Err(format!(
            "time_format {fmt:?} cannot read a timestamp: it cannot even read back {text:?}, the time it writes for 2021-03-14 15:09:26 (it needs at least a date: %Y, %m and %d, or %s)"
        ));
    }
    Ok(())
}

fn naive_utc_us(ndt: NaiveDateTime) -> i64 {
    ndt.and_utc().timestamp_micros()
}

enum Iso<'a> {
    /// (local time, zone abbreviation, leap second)
    Abbrev(NaiveDateTime, &'a str, bool),
    /// (time, offset seconds, leap second)
    Offset(NaiveDateTime, i32, bool),
    /// (time, date only, leap second)
    Naive(NaiveDateTime, bool, bool),
    Invalid(&'static str),
}

/// Hand parser for `YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][Z|±HH[:]MM|±HH| UTC]`, also with `/`
/// between date parts. Returns `None` when the text does not have this shape at all, so other
/// parsers can try; `Some(Invalid)` when it has the shape but names no real instant.
fn parse_iso_fast(s: &str) -> Option<Iso<'_>> {
    let b = s.as_bytes();
    if b.len() < 10 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            Some(part.iter().fold(0u32, |a, d| a * 10 + u32::from(d - b'0')))
        } else {
            None
        }
    };
    let sep = b[4];
    if !(sep == b'-' || sep == b'/') || b[7] != sep {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let Some(date) = NaiveDate::from_ymd_opt(y as i32, mo, d) else {
        return Some(Iso::Invalid("no such date"));
    };
    if b.len() == 10 {
        return Some(Iso::Naive(date.and_time(NaiveTime::MIN), true, false));
    }
    if !(b[10] == b'T' || b[10] == b' ' || b[10] == b't') || b.len() < 16 || b[13] != b':' {
        return None;
    }
    let (h, mi) = (num(11..13)?, num(14..16)?);
    let mut i = 16;
    let mut sec = 0;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b':') {
        sec = num(i + 1..i + 3)?;
        i += 3;
        if matches!(b.get(i), Some(b'.') | Some(b',')) {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return None;
            }
            let digits = &b[start..i.min(start + 9)];
            let mut n = digits
                .iter()
                .fold(0u32, |a, d| a * 10 + u32::from(d - b'0'));
            for _ in digits.len()..9 {
                n *= 10;
            }
            nanos = n;
        }
    }
    // A leap second (`:60`) is read as the last microsecond of that minute and flagged.
    let leap = sec == 60;
    let (sec, nanos) = if leap {
        (59, 999_999_000)
    } else {
        (sec, nanos)
    };
    let Some(time) = NaiveTime::from_hms_nano_opt(h, mi, sec, nanos) else {
        return Some(Iso::Invalid("no such time of day"));
    };
    let ndt = date.and_time(time);
    let rest = s[i..].trim_start();
    if rest.is_empty() {
        return Some(Iso::Naive(ndt, false, leap));
    }
    if rest == "Z"
        || rest == "z"
        || rest.eq_ignore_ascii_case("UTC")
        || rest.eq_ignore_ascii_case("GMT")
    {
        return Some(Iso::Offset(ndt, 0, leap));
    }
    let rb = rest.as_bytes();
    let sign = match rb[0] {
        b'+' => 1,
        b'-' => -1,
        _ if crate::model::zone_abbrev::looks_like_abbreviation(rest) => {
            return Some(Iso::Abbrev(ndt, rest, leap));
        }
        _ => return None,
    };
    let digits: Vec<u8> = rb[1..].iter().copied().filter(|c| *c != b':').collect();
    if !digits.iter().all(u8::is_ascii_digit) || !(digits.len() == 2 || digits.len() == 4) {
        return None;
    }
    let oh = i32::from(digits[0] - b'0') * 10 + i32::from(digits[1] - b'0');
    let om = if digits.len() == 4 {
        i32::from(digits[2] - b'0') * 10 + i32::from(digits[3] - b'0')
    } else {
        0
    };
    if oh > 23 || om > 59 {
        return Some(Iso::Invalid("offset out of range"));
    }
    Some(Iso::Offset(ndt, sign * (oh * 3600 + om * 60), leap))
}

/// Formats UTC microseconds in `zone` as `YYYY-MM-DD HH:MM:SS[.ffffff] ±HH:MM` (the zone's
/// abbreviation is left to callers, who always show the zone name beside it).
pub fn format_in_zone(ts_us: i64, zone: Tz) -> String {
    match DateTime::from_timestamp_micros(ts_us) {
        Some(dt) => {
            let local = dt.with_timezone(&zone);
            if ts_us % 1_000_000 == 0 {
                local.format("%Y-%m-%d %H:%M:%S %:z").to_string()
            } else {
                local.format("%Y-%m-%d %H:%M:%S%.6f %:z").to_string()
            }
        }
        None => format!("<out of range: {ts_us} µs>"),
    }
}

/// RFC 3339 in UTC, for machine output.
pub fn format_utc(ts_us: i64) -> String {
    match DateTime::from_timestamp_micros(ts_us) {
        Some(dt) => dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        None => format!("<out of range: {ts_us} µs>"),
    }
}

/// Now, in UTC microseconds.
pub fn now_us() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(zone: &str, s: &str) -> Result<ParsedTs, String> {
        TimeParser::new(parse_zone(zone).unwrap(), None).parse(s)
    }

    #[test]
    fn one_instant_many_spellings() {
        // 2021-02-24 10:00:00 in Tokyo = 01:00:00 UTC = 09:00:00 in Shanghai.
        let want = 1_614_128_400_000_000;
        assert_eq!(p("UTC", "2021-02-24T10:00:00+09:00").unwrap().ts_us, want);
        assert_eq!(p("UTC", "2021-02-24 10:00:00 +0900").unwrap().ts_us, want);
        assert_eq!(p("UTC", "2021-02-24T01:00:00Z").unwrap().ts_us, want);
        assert_eq!(
            p("Asia/Shanghai", "2021-02-24 09:00:00").unwrap().ts_us,
            want
        );
        assert_eq!(p("Asia/Tokyo", "2021/02/24 10:00:00").unwrap().ts_us, want);
        assert_eq!(p("UTC", "1614128400000").unwrap().ts_us, want);
        assert_eq!(p("UTC", "1614128400").unwrap().ts_us, want);
        assert_eq!(p("UTC", "1614128400000000").unwrap().ts_us, want);
        assert_eq!(p("UTC", "1614128400000000000").unwrap().ts_us, want);
        assert_eq!(
            p("UTC", "Wed, 24 Feb 2021 01:00:00 +0000").unwrap().ts_us,
            want
        );
        assert_eq!(p("Asia/Tokyo", "20210224100000").unwrap().ts_us, want);
    }

    #[test]
    fn fractions_and_flags() {
        let r = p("UTC", "2019-03-05T14:22:10.123+09:00").unwrap();
        assert_eq!(r.ts_us % 1_000_000, 123_000);
        assert!(r.flags.has(TsFlags::OFFSET));
        let r = p("Asia/Shanghai", "2019-03-05 14:22:10").unwrap();
        assert!(r.flags.has(TsFlags::NAIVE));
        assert!(!r.flags.has(TsFlags::OFFSET));
        assert_eq!(p("UTC", "1.5").unwrap().ts_us, 1_500_000);
        assert_eq!(p("UTC", "-86400").unwrap().ts_us, -86_400_000_000);
    }

    #[test]
    fn dst_fold_and_gap_are_flagged() {
        // 2021-11-07 01:30 happens twice in New York.
        let r = p("America/New_York", "2021-11-07 01:30:00").unwrap();
        assert!(r.flags.has(TsFlags::AMBIGUOUS));
        assert_eq!(r.ts_us, p("UTC", "2021-11-07T05:30:00Z").unwrap().ts_us);
        // 2021-03-14 02:30 never happens there; read with EST (-05:00).
        let r = p("America/New_York", "2021-03-14 02:30:00").unwrap();
        assert!(r.flags.has(TsFlags::NONEXISTENT));
        assert_eq!(r.ts_us, p("UTC", "2021-03-14T07:30:00Z").unwrap().ts_us);
    }

    #[test]
    fn bad_text_is_an_error_naming_why() {
        assert!(
            p("UTC", "2019-02-30 10:00:00")
                .unwrap_err()
                .contains("no such date")
        );
        assert!(
            p("UTC", "2020-06-31T10:00:00+09:00")
                .unwrap_err()
                .contains("no such date")
        );
        assert!(p("UTC", "").unwrap_err().contains("empty"));
        assert!(p("UTC", "yesterday").unwrap_err().contains("unrecognised"));
        assert!(p("UTC", "99999999999999999999999").is_err());
        assert!(
            parse_zone("Mars/Olympus")
                .unwrap_err()
                .contains("unknown time zone")
        );
    }

    #[test]
    fn extreme_years_parse() {
        assert!(p("UTC", "0000-01-01T00:00:00Z").is_ok());
        assert!(p("UTC", "9999-12-31T23:59:59Z").is_ok());
    }

    #[test]
    fn explicit_format() {
        let tp = TimeParser::new(parse_zone("Asia/Tokyo").unwrap(), Some("%Y/%m/%d %H:%M:%S"));
        assert_eq!(
            tp.parse("2021/02/24 10:00:00").unwrap().ts_us,
            1_614_128_400_000_000
        );
        assert!(tp.parse("2021-02-24 10:00:00").is_err());
    }
}
