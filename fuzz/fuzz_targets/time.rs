//! Zone names, `strftime` patterns and timestamp text: `zone \n format \n text` (an empty
//! format line means none). Whatever parses must render in UTC and in the zone.
#![no_main]

use libfuzzer_sys::fuzz_target;
use retrace::model::time::{TimeParser, format_in_zone, format_utc, parse_zone};

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let mut parts = s.splitn(3, '\n');
    let (Some(zone), Some(format), Some(text)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let Ok(tz) = parse_zone(zone) else {
        return;
    };
    let p = TimeParser::new(tz, (!format.is_empty()).then_some(format));
    match p.parse(text) {
        Ok(ts) => {
            assert!(!format_utc(ts.ts_us).is_empty());
            assert!(!format_in_zone(ts.ts_us, tz).is_empty());
        }
        Err(e) => assert!(!e.trim().is_empty()),
    }
});
