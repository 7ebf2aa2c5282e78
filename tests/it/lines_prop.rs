//! Property test of line citations: a seeded generator writes CSV and JSON Lines files with
//! random line ends (LF, CRLF, lone CR, mixed within a file), BOMs, blank lines, quoted CSV
//! cells over several lines (with either line end, quotes and delimiters inside), and the last
//! line with or without its line end; each is imported, and every event must cite the lines
//! that hold its record, counted here on the bytes written, and the stored lines must parse to
//! that record. Fixed seed, bounded cases.

use retrace::case::Case;
use retrace::ingest::SourceOptions;

use crate::util::{TestDir, import_forced};

/// splitmix64: small, seeded, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ENDS: [&str; 3] = ["\n", "\r\n", "\r"];
const WORDS: [&str; 8] = [
    "alice",
    "bob",
    "日本",
    "x y",
    "SELECT a, b",
    "q\"uote",
    "",
    "z",
];

/// The line (1-based) byte `at` is on: LF, CRLF and a lone CR end a line.
fn line_at(text: &[u8], at: usize) -> i64 {
    let mut line = 1;
    for i in 0..at {
        if text[i] == b'\n' || (text[i] == b'\r' && text.get(i + 1) != Some(&b'\n')) {
            line += 1;
        }
    }
    line
}

struct Generated {
    bytes: Vec<u8>,
    /// Per record: its first byte, the byte past it, and its fields (time, user, note).
    records: Vec<(usize, usize, [String; 3])>,
}

fn line_end(rng: &mut Rng, file_end: &str) -> String {
    // Mostly the file's own line end; sometimes another (mixed files).
    if rng.chance(80) {
        file_end.to_string()
    } else {
        rng.pick(&ENDS).to_string()
    }
}

fn note(rng: &mut Rng, multiline: bool) -> String {
    let mut s = rng.pick(&WORDS).to_string();
    if multiline && rng.chance(40) {
        for _ in 0..=rng.below(2) {
            s.push_str(rng.pick(&ENDS));
            s.push_str(rng.pick(&WORDS));
        }
    }
    s
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn generate(rng: &mut Rng, csv: bool) -> Generated {
    let file_end = rng.pick(&ENDS);
    let mut bytes = Vec::new();
    if rng.chance(30) {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    if csv {
        bytes.extend_from_slice(b"time,user,note");
        bytes.extend_from_slice(line_end(rng, file_end).as_bytes());
    }
    let n = 1 + rng.below(12);
    let mut records = Vec::new();
    for i in 0..n {
        while rng.chance(20) {
            if rng.chance(30) {
                bytes.extend_from_slice(b"   ");
            }
            bytes.extend_from_slice(line_end(rng, file_end).as_bytes());
        }
        let fields = [
            format!("2024-03-01T10:{:02}:{:02}Z", i / 60, i % 60),
            rng.pick(&WORDS[..5]).to_string(),
            note(rng, csv),
        ];
        let text = if csv {
            fields
                .iter()
                .map(|f| csv_cell(f))
                .collect::<Vec<_>>()
                .join(",")
        } else {
            serde_json::json!({"time": fields[0], "user": fields[1], "note": fields[2]}).to_string()
        };
        let start = bytes.len();
        bytes.extend_from_slice(text.as_bytes());
        records.push((start, bytes.len(), fields));
        let last = i + 1 == n;
        if !last || rng.chance(60) {
            bytes.extend_from_slice(line_end(rng, file_end).as_bytes());
        }
    }
    Generated { bytes, records }
}

#[test]
fn every_generated_record_is_cited_at_its_own_lines() {
    let mut rng = Rng(0x15_2026);
    let t = TestDir::new();
    let mut case = Case::create(&t.path("prop.retrace"), "lines property").unwrap();
    let mut checked = 0;
    for case_no in 0..120 {
        let csv = case_no % 2 == 0;
        let g = generate(&mut rng, csv);
        let name = format!("gen{case_no}.{}", if csv { "csv" } else { "jsonl" });
        let p = t.write(&name, &g.bytes);
        let r = import_forced(&mut case, &p, SourceOptions::default(), true)
            .unwrap_or_else(|e| panic!("{name}: {e:#}\n{:?}", String::from_utf8_lossy(&g.bytes)));
        let ctx = || format!("{name}: {:?}", String::from_utf8_lossy(&g.bytes));
        assert_eq!(r.result.rows_rejected, 0, "{}: {:?}", ctx(), r.rejects);
        let s = case.sources().list().unwrap().pop().unwrap();
        let ids: Vec<i64> = match (s.first_event_id, s.last_event_id) {
            (Some(a), Some(b)) => (a..=b).collect(),
            _ => Vec::new(),
        };
        assert_eq!(ids.len(), g.records.len(), "{}", ctx());
        for (id, (start, end, fields)) in ids.into_iter().zip(&g.records) {
            let d = case.sources().event_detail(id).unwrap().unwrap();
            let want = (line_at(&g.bytes, *start), line_at(&g.bytes, end - 1));
            assert_eq!((d.row.line, d.line_end), want, "{}: event {id}", ctx());
            // The cited lines, as stored, hold exactly this record.
            let got: Vec<String> = if csv {
                let mut rdr = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(d.raw_text.as_bytes());
                let recs: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
                assert_eq!(recs.len(), 1, "{}: event {id}: {:?}", ctx(), d.raw_text);
                recs[0].iter().map(str::to_string).collect()
            } else {
                let v: serde_json::Value = serde_json::from_str(&d.raw_text).unwrap();
                ["time", "user", "note"]
                    .iter()
                    .map(|k| v[k].as_str().unwrap().to_string())
                    .collect()
            };
            assert_eq!(got, fields.to_vec(), "{}: event {id}", ctx());
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked}");
    let deep = retrace::ops::verify_deep::verify_deep(
        &case,
        &retrace::jobs::NoProgress,
        &retrace::jobs::CancelToken::new(),
    )
    .unwrap();
    assert!(deep.problems.is_empty(), "{:#?}", deep.problems);
}
