//! Counts with their unit, in English: `1 event`, `2 events`, `12,345 events`. One helper so
//! that the app, the report and the command line never print "1 events". The report's
//! Japanese mode uses counters instead (`ops::report::i18n`), which have no plural.

/// A whole number that can be counted (the integer types the code counts in).
pub trait Whole: Copy {
    fn whole(self) -> i128;
}

macro_rules! whole {
    ($($t:ty),*) => {$(
        impl Whole for $t {
            #[inline]
            fn whole(self) -> i128 {
                self as i128
            }
        }
    )*};
}
whole!(u8, u16, u32, u64, usize, i32, i64);

/// `n` with its digits grouped by thousands: `12,345`, `-1,000`.
pub fn grouped(n: impl Whole) -> String {
    let n = n.whole();
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` and the unit's singular or plural form: `count(1, "event", "events")` is `1 event`,
/// `count(12345, "event", "events")` is `12,345 events`.
pub fn count(n: impl Whole, one: &str, many: &str) -> String {
    let unit = if n.whole() == 1 { one } else { many };
    format!("{} {unit}", grouped(n))
}

/// The unit alone, for text where the number is written apart: `unit(n, "file", "files")`.
pub fn unit<'a>(n: impl Whole, one: &'a str, many: &'a str) -> &'a str {
    if n.whole() == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_one_is_singular_and_the_rest_plural_with_grouped_digits() {
        assert_eq!(count(0u64, "event", "events"), "0 events");
        assert_eq!(count(1usize, "event", "events"), "1 event");
        assert_eq!(count(2i64, "event", "events"), "2 events");
        assert_eq!(count(999u32, "record", "records"), "999 records");
        assert_eq!(count(1000u64, "record", "records"), "1,000 records");
        assert_eq!(count(12_345usize, "subject", "subjects"), "12,345 subjects");
        assert_eq!(count(1_234_567i64, "entry", "entries"), "1,234,567 entries");
        assert_eq!(count(-1i64, "day", "days"), "-1 days");
        assert_eq!(grouped(-1_000i64), "-1,000");
        assert_eq!(grouped(u64::MAX), "18,446,744,073,709,551,615");
        assert_eq!(grouped(i64::MIN), "-9,223,372,036,854,775,808");
        assert_eq!(unit(1u8, "file", "files"), "file");
        assert_eq!(unit(3u8, "file", "files"), "files");
    }
}
