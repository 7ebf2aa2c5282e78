//! Domain types with no IO: events as the importers produce them, data categories, outcomes,
//! the session rule, roster rows, and the time helpers that turn timestamp text into UTC microseconds.
//!
//! Everything here is plain data; the case file (`case`) stores it and the importers (`ingest`)
//! produce it.

pub mod category;
pub mod csv;
pub mod encoding;
pub mod event;
pub mod finding;
pub mod query;
pub mod regex_lite;
pub mod roster;
pub mod session;
pub mod subject;
pub mod text;
pub mod time;
pub mod zone_abbrev;

pub use category::{CategorySet, Vocabulary};
pub use event::{NewEvent, Outcome, access_sql, is_access, is_access_outcome};
pub use finding::{CountUnit, DispositionStatus, Rule, UnknownWord};
pub use session::{SESSION_GAP_MINUTES, SESSION_GAP_US, Sessionizer, session_spans};
pub use text::Text;
pub use time::{TsFlags, parse_zone};

/// Decimal text of `v` without allocating (hot paths: the import's subject lists, CSV export).
pub fn itoa_i64(v: i64, buf: &mut [u8; 20]) -> &str {
    let mut n = v.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

#[cfg(test)]
mod itoa_tests {
    #[test]
    fn itoa_matches_to_string_at_the_edges() {
        let mut buf = [0u8; 20];
        for v in [0, 7, -7, 10, 1234567890123, i64::MAX, i64::MIN] {
            assert_eq!(super::itoa_i64(v, &mut buf), v.to_string());
        }
    }
}
