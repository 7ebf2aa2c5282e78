//! Dates and times in the reader's habits. English keeps the ISO form the app has always shown
//! (`2021-02-24 10:15:03 +09:00`); Japanese writes `2021年2月24日（水） 10:15:03 JST`, with the
//! zone's abbreviation, or its offset (`UTC+8`) where the zone has no lettered abbreviation.
//! Either way the zone is always shown.

use chrono::{DateTime, Datelike, NaiveDate, Offset, Weekday};
use chrono_tz::Tz;

use super::Lang;

/// UTC microseconds as a date and time in `zone`, in `lang`'s form (sub-second digits when the
/// time has them).
pub fn format_in_zone(lang: Lang, ts_us: i64, zone: Tz) -> String {
    match lang {
        Lang::En => crate::model::time::format_in_zone(ts_us, zone),
        Lang::Ja => match DateTime::from_timestamp_micros(ts_us) {
            Some(dt) => {
                let local = dt.with_timezone(&zone);
                let clock = if ts_us % 1_000_000 == 0 {
                    local.format("%H:%M:%S").to_string()
                } else {
                    local.format("%H:%M:%S%.6f").to_string()
                };
                format!(
                    "{} {clock} {}",
                    format_date(lang, local.date_naive()),
                    zone_label(&local)
                )
            }
            None => format!("<範囲外: {ts_us} µs>"),
        },
    }
}

/// A date: `2021-02-24` in English, `2021年2月24日（水）` in Japanese.
pub fn format_date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::En => d.format("%Y-%m-%d").to_string(),
        Lang::Ja => format!(
            "{}年{}月{}日（{}）",
            d.year(),
            d.month(),
            d.day(),
            weekday(lang, d.weekday())
        ),
    }
}

/// A weekday's short name: `Wed`, `水`.
pub fn weekday(lang: Lang, w: Weekday) -> &'static str {
    let i = w.num_days_from_monday() as usize;
    match lang {
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
        Lang::Ja => ["月", "火", "水", "木", "金", "土", "日"][i],
    }
}

/// The zone's lettered abbreviation (`JST`, `CST`, `UTC`), or its offset as `UTC+8` /
/// `UTC+5:30` where the zone has only a numeric one.
fn zone_label(local: &DateTime<Tz>) -> String {
    let abbr = local.format("%Z").to_string();
    if abbr.chars().all(|c| c.is_ascii_alphabetic()) && !abbr.is_empty() {
        return abbr;
    }
    let secs = local.offset().fix().local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let (h, m) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
    if m == 0 {
        format!("UTC{sign}{h}")
    } else {
        format!("UTC{sign}{h}:{m:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_dates_have_the_weekday_and_the_zone() {
        // 2021-02-24 01:15:03 UTC is 10:15:03 in Tokyo, a Wednesday.
        let ts = 1_614_129_303_000_000;
        assert_eq!(
            format_in_zone(Lang::Ja, ts, chrono_tz::Asia::Tokyo),
            "2021年2月24日（水） 10:15:03 JST"
        );
        assert_eq!(
            format_in_zone(Lang::En, ts, chrono_tz::Asia::Tokyo),
            "2021-02-24 10:15:03 +09:00"
        );
        assert_eq!(
            format_in_zone(Lang::Ja, ts, chrono_tz::UTC),
            "2021年2月24日（水） 01:15:03 UTC"
        );
        assert_eq!(
            format_in_zone(Lang::Ja, ts + 250_000, chrono_tz::Asia::Shanghai),
            "2021年2月24日（水） 09:15:03.250000 CST"
        );
        // A zone whose abbreviation is numeric in the tz database.
        assert_eq!(
            format_in_zone(Lang::Ja, ts, chrono_tz::Asia::Dubai),
            "2021年2月24日（水） 05:15:03 UTC+4"
        );
        assert_eq!(
            format_in_zone(Lang::Ja, ts, chrono_tz::Asia::Kolkata),
            "2021年2月24日（水） 06:45:03 IST"
        );
    }
}
