//! Time-zone abbreviations (`CEST`, `EDT`, `BST`) as some formats write them beside a local time
//! (psort's l2tcsv `timezone` column; `2024-07-01 10:00:00 EDT`). An abbreviation is resolved:
//!
//! 1. with the source's zone (declared with `--tz` or a profile), when that zone uses the
//!    abbreviation at that local time: `CEST` read with `Europe/Berlin` in July;
//! 2. otherwise through [`UNAMBIGUOUS`], a table of abbreviations that name one offset;
//! 3. an abbreviation that names several offsets ([`AMBIGUOUS`]: `IST`, `CST`, ...) and that the
//!    source's zone does not settle is an error saying so.
//!
//! The instant is then the local time less that offset; events so read are flagged
//! `ZONE_ABBREVIATION`.

use chrono::{NaiveDateTime, Offset, TimeZone};
use chrono_tz::{OffsetName, Tz};

/// Abbreviations that mean one UTC offset (seconds east of UTC) wherever they are written.
/// `BST` is British Summer Time (Bangladesh writes `+06`).
pub const UNAMBIGUOUS: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("UT", 0),
    ("Z", 0),
    ("WET", 0),
    ("WEST", 3600),
    ("BST", 3600),
    ("CET", 3600),
    ("CEST", 7200),
    ("MET", 3600),
    ("MEST", 7200),
    ("EET", 7200),
    ("EEST", 10800),
    ("MSK", 10800),
    ("HKT", 8 * 3600),
    ("SGT", 8 * 3600),
    ("AWST", 8 * 3600),
    ("JST", 9 * 3600),
    ("KST", 9 * 3600),
    ("ACST", 9 * 3600 + 1800),
    ("ACDT", 10 * 3600 + 1800),
    ("AEST", 10 * 3600),
    ("AEDT", 11 * 3600),
    ("NZST", 12 * 3600),
    ("NZDT", 13 * 3600),
    ("HST", -10 * 3600),
    ("AKST", -9 * 3600),
    ("AKDT", -8 * 3600),
    ("PST", -8 * 3600),
    ("PDT", -7 * 3600),
    ("MST", -7 * 3600),
    ("MDT", -6 * 3600),
    ("CDT", -5 * 3600),
    ("EST", -5 * 3600),
    ("EDT", -4 * 3600),
    ("NST", -3 * 3600 - 1800),
    ("NDT", -2 * 3600 - 1800),
];

/// Abbreviations that name more than one offset, with the readings, for the error.
pub const AMBIGUOUS: &[(&str, &str)] = &[
    (
        "IST",
        "India +05:30 (Asia/Kolkata), Ireland +01:00 (Europe/Dublin), Israel +02:00 (Asia/Jerusalem)",
    ),
    (
        "CST",
        "US Central -06:00 (America/Chicago), China +08:00 (Asia/Shanghai), Cuba -05:00 (America/Havana)",
    ),
    (
        "AST",
        "Atlantic -04:00 (America/Halifax), Arabia +03:00 (Asia/Riyadh)",
    ),
    (
        "GST",
        "Gulf +04:00 (Asia/Dubai), South Georgia -02:00 (Atlantic/South_Georgia)",
    ),
    (
        "SST",
        "Samoa -11:00 (Pacific/Pago_Pago), Singapore +08:00 (Asia/Singapore)",
    ),
    (
        "ECT",
        "Ecuador -05:00 (America/Guayaquil), Eastern Caribbean -04:00",
    ),
];

/// Whether `text` looks like a zone abbreviation: 1 to 5 ASCII letters.
pub fn looks_like_abbreviation(text: &str) -> bool {
    (1..=5).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphabetic())
}

/// The UTC offset (seconds east) that `abbrev` names at local time `local`, read as the module
/// doc says, with `zone` the source's zone.
pub fn resolve(abbrev: &str, local: NaiveDateTime, zone: Tz) -> Result<i32, String> {
    let upper = abbrev.trim().to_ascii_uppercase();
    // The source's zone settles it when it uses this abbreviation then (in a DST fold, the
    // abbreviation tells the two readings apart).
    let fits = match zone.offset_from_local_datetime(&local) {
        chrono::LocalResult::Single(o) => vec![o],
        chrono::LocalResult::Ambiguous(a, b) => vec![a, b],
        chrono::LocalResult::None => Vec::new(),
    };
    if let Some(o) = fits.iter().find(|o| {
        o.abbreviation()
            .is_some_and(|a| a.eq_ignore_ascii_case(&upper))
    }) {
        return Ok(o.fix().local_minus_utc());
    }
    if let Some((_, off)) = UNAMBIGUOUS.iter().find(|(a, _)| *a == upper) {
        return Ok(*off);
    }
    if let Some((_, readings)) = AMBIGUOUS.iter().find(|(a, _)| *a == upper) {
        return Err(format!(
            "zone abbreviation {upper} is ambiguous: {readings}; the source's zone ({}) does not use it at {local}. Declare the zone the file was written in with --tz (e.g. Asia/Kolkata for IST)",
            zone.name()
        ));
    }
    Err(format!(
        "unknown zone abbreviation {upper:?} at {local}: not in the table of unambiguous abbreviations and not used by the source's zone ({}); declare the zone with --tz",
        zone.name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn abbreviations_resolve_by_zone_then_table_and_ambiguous_ones_need_a_zone() {
        let summer = at("2024-07-01 10:00:00");
        assert_eq!(resolve("CEST", summer, Tz::UTC), Ok(7200));
        assert_eq!(resolve("edt", summer, Tz::UTC), Ok(-4 * 3600));
        // IST: the declared zone settles it.
        assert_eq!(resolve("IST", summer, Tz::Asia__Kolkata), Ok(19800));
        assert_eq!(resolve("IST", summer, Tz::Europe__Dublin), Ok(3600));
        let err = resolve("IST", summer, Tz::UTC).unwrap_err();
        assert!(err.contains("ambiguous"), "{err}");
        assert!(
            resolve("CST", summer, Tz::America__Chicago).is_err(),
            "CDT then"
        );
        assert_eq!(
            resolve("CST", at("2024-01-10 10:00:00"), Tz::America__Chicago),
            Ok(-6 * 3600)
        );
        assert!(resolve("XYZT", summer, Tz::UTC).is_err());
    }
}
