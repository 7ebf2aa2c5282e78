//! Plaso `psort -o l2tcsv`: `date,time,timezone,MACB,source,sourcetype,type,user,host,short,
//! desc,version,filename,inode,notes,format,extra`, with the date `MM/DD/YYYY` and time in the
//! zone named in the `timezone` column (psort's `--output_time_zone`), so the same event written
//! in UTC and in CET lands on the same instant.

use chrono::NaiveDateTime;

use super::{Item, LineFormat, Rec, reject};
use crate::ingest::Field;
use chrono_tz::Tz;

use crate::model::time::{ParsedTs, TsFlags, format_utc, localize_in, parse_zone};
use crate::model::zone_abbrev::{looks_like_abbreviation, resolve};

const HEADER: &str = "date,time,timezone,MACB,source,sourcetype,type,user,host,short,desc";
const COLUMNS: [&str; 17] = [
    "date",
    "time",
    "timezone",
    "MACB",
    "source",
    "sourcetype",
    "type",
    "user",
    "host",
    "short",
    "desc",
    "version",
    "filename",
    "inode",
    "notes",
    "format",
    "extra",
];

pub(crate) struct L2t {
    seen_header: bool,
    /// The source's zone, which settles an abbreviation it uses.
    zone: Tz,
}

impl L2t {
    pub fn new(zone: Tz) -> L2t {
        L2t {
            seen_header: false,
            zone,
        }
    }
}

pub(super) fn sniff(lines: &[&str]) -> f32 {
    match lines.first() {
        Some(l) if l.starts_with(HEADER) => 0.97,
        _ => 0.0,
    }
}

impl LineFormat for L2t {
    fn line(&mut self, no: u64, text: &str, out: &mut Vec<Item>) {
        if text.trim().is_empty() {
            return;
        }
        if !self.seen_header && text.starts_with(HEADER) {
            self.seen_header = true;
            return;
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rec = csv::StringRecord::new();
        if !rdr.read_record(&mut rec).unwrap_or(false) || rec.len() < 11 {
            out.push(reject(no, "l2tcsv line with fewer than 11 columns", text));
            return;
        }
        let raw_ts = format!("{} {} {}", &rec[0], &rec[1], &rec[2]);
        let ndt = match NaiveDateTime::parse_from_str(
            &format!("{} {}", &rec[0], &rec[1]),
            "%m/%d/%Y %H:%M:%S",
        ) {
            Ok(d) => d,
            Err(e) => {
                out.push(reject(no, format!("date/time {raw_ts:?}: {e}"), text));
                return;
            }
        };
        // psort writes the abbreviation in force (`CET` in winter, `CEST` in summer) or a zone
        // name. An abbreviation is read as one (with the source's zone, else the table), also
        // when it is the name of a zone too: `CET` means +01:00, in a DST fold as well.
        let written = rec[2].trim();
        let ts = if looks_like_abbreviation(written) {
            resolve(written, ndt, self.zone).map(|off| {
                let utc_name = matches!(
                    written.to_ascii_uppercase().as_str(),
                    "UTC" | "GMT" | "UT" | "Z"
                );
                let abbrev = if utc_name {
                    0
                } else {
                    TsFlags::ZONE_ABBREVIATION
                };
                ParsedTs {
                    ts_us: ndt.and_utc().timestamp_micros() - i64::from(off) * 1_000_000,
                    flags: TsFlags(TsFlags::OFFSET | abbrev),
                }
            })
        } else {
            parse_zone(written).and_then(|zone| localize_in(zone, ndt))
        };
        let ts = match ts {
            Ok(t) => t,
            Err(e) => {
                out.push(reject(no, e, text));
                return;
            }
        };
        let mut r = Rec::new(no, text);
        r.set(Field::Time, format_utc(ts.ts_us));
        r.raw_ts = Some(raw_ts);
        r.flags |= ts.flags.0 & TsFlags::ZONE_ABBREVIATION;
        let dash = |s: &str| (s != "-").then(|| s.to_string());
        r.set_opt(Field::Account, dash(&rec[7]));
        r.set_opt(Field::System, dash(&rec[8]));
        r.set(
            Field::Action,
            format!("{} {}", &rec[5], &rec[6]).trim().to_string(),
        );
        r.set_opt(Field::Object, dash(&rec[10]));
        r.pairs = super::column_pairs(&COLUMNS, &rec, 3);
        out.push(Item::Rec(r));
    }
    fn finish(&mut self, _out: &mut Vec<Item>) {}
}
