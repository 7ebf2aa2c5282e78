//! Time-axis ticks: which instants get a tick and what their labels say, for a visible
//! range, a width in points and a display zone. Steps adapt from years down to seconds, and
//! ticks fall on round local times of the display zone (midnight, the first of a month).
//! Pure functions, so they are unit tested without a window.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Timelike};
use chrono_tz::Tz;

use crate::i18n::Lang;

const US_PER_SEC: i64 = 1_000_000;

/// A step between ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Seconds(i64),
    Minutes(i64),
    Hours(i64),
    Days(i64),
    Months(i64),
    Years(i64),
}

impl Step {
    /// A rough length, to choose a step that leaves room for the labels.
    fn approx_us(self) -> i64 {
        match self {
            Step::Seconds(n) => n * US_PER_SEC,
            Step::Minutes(n) => n * 60 * US_PER_SEC,
            Step::Hours(n) => n * 3600 * US_PER_SEC,
            Step::Days(n) => n * 86_400 * US_PER_SEC,
            Step::Months(n) => n * 2_629_746 * US_PER_SEC,
            Step::Years(n) => n * 31_556_952 * US_PER_SEC,
        }
    }
}

const STEPS: &[Step] = &[
    Step::Seconds(1),
    Step::Seconds(5),
    Step::Seconds(15),
    Step::Seconds(30),
    Step::Minutes(1),
    Step::Minutes(5),
    Step::Minutes(15),
    Step::Minutes(30),
    Step::Hours(1),
    Step::Hours(3),
    Step::Hours(6),
    Step::Hours(12),
    Step::Days(1),
    Step::Days(2),
    Step::Days(7),
    Step::Months(1),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(25),
    Step::Years(50),
    Step::Years(100),
];

/// One tick: where, its label, and whether it starts a larger unit (drawn stronger, with
/// the date in its label).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    pub ts_us: i64,
    pub label: String,
    pub major: bool,
}

/// The smallest step whose ticks are at least `min_gap_px` apart.
pub fn choose_step(span_us: f64, width_px: f32, min_gap_px: f32) -> Step {
    let per_px = span_us / f64::from(width_px.max(1.0));
    let min_us = per_px * f64::from(min_gap_px);
    STEPS
        .iter()
        .copied()
        .find(|s| s.approx_us() as f64 >= min_us)
        .unwrap_or(Step::Years(100))
}

/// Ticks in `[from_us, to_us]` for a width, in `zone`, labelled in English. At most a few
/// hundred.
pub fn ticks(from_us: i64, to_us: i64, width_px: f32, zone: Tz) -> Vec<Tick> {
    ticks_in(Lang::En, from_us, to_us, width_px, zone)
}

/// [`ticks`] labelled in `lang`: in Japanese `2021年6月1日（金）`, `6月`, `2021年`, with the
/// ticks further apart for the longer labels.
pub fn ticks_in(lang: Lang, from_us: i64, to_us: i64, width_px: f32, zone: Tz) -> Vec<Tick> {
    if to_us <= from_us {
        return Vec::new();
    }
    let min_gap = match lang {
        Lang::En => 90.0,
        Lang::Ja => 120.0,
    };
    let step = choose_step((to_us - from_us) as f64, width_px, min_gap);
    let Some(start) = DateTime::from_timestamp_micros(from_us) else {
        return Vec::new();
    };
    let mut local = floor_local(start.with_timezone(&zone).naive_local(), step);
    let mut out = Vec::new();
    let mut previous: Option<NaiveDateTime> = None;
    for _ in 0..1000 {
        if let Some(instant) = to_instant(local, zone) {
            let ts_us = instant.timestamp_micros();
            if ts_us > to_us {
                break;
            }
            if ts_us >= from_us {
                let major = previous.is_none_or(|p| starts_larger_unit(p, local, step));
                out.push(Tick {
                    ts_us,
                    label: label(lang, local, step, major),
                    major,
                });
                previous = Some(local);
            }
        }
        match advance(local, step) {
            Some(next) if next > local => local = next,
            _ => break,
        }
    }
    out
}

fn to_instant(local: NaiveDateTime, zone: Tz) -> Option<DateTime<Tz>> {
    // A tick in a DST gap moves to the first instant after it; in a fold, the earlier one.
    zone.from_local_datetime(&local).earliest().or_else(|| {
        zone.from_local_datetime(&(local + chrono::Duration::hours(1)))
            .earliest()
    })
}

fn floor_local(t: NaiveDateTime, step: Step) -> NaiveDateTime {
    let d = t.date();
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or(t);
    match step {
        Step::Seconds(n) => {
            let s = i64::from(t.second());
            d.and_hms_opt(t.hour(), t.minute(), (s - s % n) as u32)
                .unwrap_or(t)
        }
        Step::Minutes(n) => {
            let m = i64::from(t.minute());
            d.and_hms_opt(t.hour(), (m - m % n) as u32, 0).unwrap_or(t)
        }
        Step::Hours(n) => {
            let h = i64::from(t.hour());
            d.and_hms_opt((h - h % n) as u32, 0, 0).unwrap_or(t)
        }
        Step::Days(7) => {
            // Weeks start on Monday.
            let back = i64::from(d.weekday().num_days_from_monday());
            midnight(d - chrono::Duration::days(back))
        }
        Step::Days(_) => midnight(d),
        Step::Months(n) => {
            let m0 = i64::from(d.month0());
            let month = (m0 - m0 % n) as u32 + 1;
            midnight(NaiveDate::from_ymd_opt(d.year(), month, 1).unwrap_or(d))
        }
        Step::Years(n) => {
            let y = i64::from(d.year());
            let year = (y - y.rem_euclid(n)) as i32;
            midnight(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(d))
        }
    }
}

fn advance(t: NaiveDateTime, step: Step) -> Option<NaiveDateTime> {
    match step {
        Step::Seconds(n) => t.checked_add_signed(chrono::Duration::seconds(n)),
        Step::Minutes(n) => t.checked_add_signed(chrono::Duration::minutes(n)),
        Step::Hours(n) => t.checked_add_signed(chrono::Duration::hours(n)),
        Step::Days(n) => t.checked_add_signed(chrono::Duration::days(n)),
        Step::Months(n) => t.checked_add_months(chrono::Months::new(n as u32)),
        Step::Years(n) => t.checked_add_months(chrono::Months::new(12 * n as u32)),
    }
}

/// Whether `t` (after `prev`) starts a new unit one size up, e.g. a new day on an hour axis.
fn starts_larger_unit(prev: NaiveDateTime, t: NaiveDateTime, step: Step) -> bool {
    match step {
        Step::Seconds(_) => prev.minute() != t.minute() || prev.hour() != t.hour(),
        Step::Minutes(_) => prev.hour() != t.hour() || prev.date() != t.date(),
        Step::Hours(_) => prev.date() != t.date(),
        Step::Days(_) => prev.month() != t.month() || prev.year() != t.year(),
        Step::Months(_) => prev.year() != t.year(),
        Step::Years(_) => false,
    }
}

fn label(lang: Lang, t: NaiveDateTime, step: Step, major: bool) -> String {
    if lang == Lang::Ja {
        return label_ja(t, step, major);
    }
    match step {
        Step::Seconds(_) if major => t.format("%Y-%m-%d %H:%M:%S").to_string(),
        Step::Seconds(_) => t.format("%H:%M:%S").to_string(),
        Step::Minutes(_) | Step::Hours(_) if major => t.format("%Y-%m-%d %H:%M").to_string(),
        Step::Minutes(_) | Step::Hours(_) => t.format("%H:%M").to_string(),
        Step::Days(_) if major => t.format("%Y-%m-%d").to_string(),
        Step::Days(_) => t.format("%m-%d").to_string(),
        Step::Months(_) if major => t.format("%Y-%m").to_string(),
        Step::Months(_) => t.format("%b").to_string(),
        Step::Years(_) => t.format("%Y").to_string(),
    }
}

/// A tick's label in Japanese: the date as 2021年6月1日（金） where the tick starts a day, the
/// month as 6月, the year as 2021年.
fn label_ja(t: NaiveDateTime, step: Step, major: bool) -> String {
    let date = |t: NaiveDateTime| crate::i18n::format_date(Lang::Ja, t.date());
    let (y, m, d) = (t.year(), t.month(), t.day());
    match step {
        Step::Seconds(_) if major => format!("{} {}", date(t), t.format("%H:%M:%S")),
        Step::Seconds(_) => t.format("%H:%M:%S").to_string(),
        Step::Minutes(_) | Step::Hours(_) if major => {
            format!("{} {}", date(t), t.format("%H:%M"))
        }
        Step::Minutes(_) | Step::Hours(_) => t.format("%H:%M").to_string(),
        Step::Days(_) if major => date(t),
        Step::Days(_) => format!(
            "{m}月{d}日（{}）",
            crate::i18n::weekday(Lang::Ja, t.weekday())
        ),
        Step::Months(_) if major => format!("{y}年{m}月"),
        Step::Months(_) => format!("{m}月"),
        Step::Years(_) => format!("{y}年"),
    }
}

/// A length of time in words with its unit, for the axis ("3 days", "45 min").
pub fn describe_span(lang: Lang, span_us: i64) -> String {
    let secs = span_us as f64 / US_PER_SEC as f64;
    let (id, n) = if secs < 120.0 {
        ("span-seconds", format!("{secs:.0}"))
    } else if secs < 7200.0 {
        ("span-minutes", format!("{:.0}", secs / 60.0))
    } else if secs < 172_800.0 {
        ("span-hours", format!("{:.0}", secs / 3600.0))
    } else if secs < 86_400.0 * 730.0 {
        ("span-days", format!("{:.0}", secs / 86_400.0))
    } else {
        ("span-years", format!("{:.1}", secs / 31_556_952.0))
    };
    crate::i18n::t_args(lang, id, &[("n", crate::i18n::Arg::from(n))])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_micros()
    }

    #[test]
    fn steps_adapt_from_years_to_seconds() {
        assert!(matches!(
            choose_step(20.0 * 3.15e13, 1000.0, 90.0),
            Step::Years(_)
        ));
        assert!(matches!(
            choose_step(21.0 * 8.64e10, 1000.0, 90.0),
            Step::Days(_)
        ));
        assert!(matches!(choose_step(60e6, 1000.0, 90.0), Step::Seconds(_)));
    }

    #[test]
    fn day_ticks_fall_on_local_midnight() {
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let t = ticks(
            us("2019-03-01T00:00:00Z"),
            us("2019-03-08T00:00:00Z"),
            1000.0,
            tokyo,
        );
        assert!(!t.is_empty());
        for tick in &t {
            let local = DateTime::from_timestamp_micros(tick.ts_us)
                .unwrap()
                .with_timezone(&tokyo);
            assert_eq!((local.hour(), local.minute()), (0, 0), "{tick:?}");
        }
        assert!(t[0].major, "the first tick carries the full date");
        assert_eq!(t[0].label, "2019-03-02"); // 2019-03-01 09:00 Tokyo is after midnight
    }

    #[test]
    fn the_zone_changes_the_labels() {
        let from = us("2020-06-01T00:00:00Z");
        let to = us("2020-06-01T12:00:00Z");
        let utc = ticks(from, to, 800.0, chrono_tz::UTC);
        let tokyo = ticks(from, to, 800.0, "Asia/Tokyo".parse().unwrap());
        assert_ne!(utc[0].label, tokyo[0].label);
    }

    #[test]
    fn month_ticks_cross_years() {
        let t = ticks(
            us("2018-08-01T00:00:00Z"),
            us("2021-03-01T00:00:00Z"),
            1200.0,
            chrono_tz::UTC,
        );
        assert!(t.iter().any(|t| t.label == "2019-01" || t.label == "2019"));
    }

    #[test]
    fn japanese_labels_write_dates_months_and_years_the_japanese_way() {
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let days = ticks_in(
            Lang::Ja,
            us("2019-03-01T00:00:00Z"),
            us("2019-03-08T00:00:00Z"),
            1000.0,
            tokyo,
        );
        assert_eq!(days[0].label, "2019年3月2日（土）");
        assert!(
            days[1..].iter().all(|t| t.label.ends_with('）')),
            "{days:?}"
        );
        let months = ticks_in(
            Lang::Ja,
            us("2018-08-01T00:00:00Z"),
            us("2021-03-01T00:00:00Z"),
            1200.0,
            chrono_tz::UTC,
        );
        assert!(
            months
                .iter()
                .all(|t| t.label.ends_with('月') || t.label.ends_with('年')),
            "{months:?}"
        );
        assert!(
            !months.iter().any(|t| t.label.is_ascii()),
            "no English month"
        );
        let hours = ticks_in(
            Lang::Ja,
            us("2020-06-01T00:00:00Z"),
            us("2020-06-01T12:00:00Z"),
            800.0,
            chrono_tz::UTC,
        );
        assert_eq!(hours[0].label, "2020年6月1日（月） 00:00");
    }

    #[test]
    fn spans_name_their_unit() {
        assert_eq!(describe_span(Lang::En, 30 * US_PER_SEC), "30 s");
        assert_eq!(describe_span(Lang::En, 3 * 86_400 * US_PER_SEC), "3 days");
        assert_eq!(describe_span(Lang::Ja, 3 * 86_400 * US_PER_SEC), "3日間");
    }
}
