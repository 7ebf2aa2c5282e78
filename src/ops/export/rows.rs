//! Writers for event rows: CSV (optional BOM, formula cells neutralised) and JSON Lines. Each
//! row cites its source file, SHA-256 and line(s) and carries its time in UTC and in the
//! display zone. Output is hashed while it is written, so the manifest needs no second read.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Write};

use chrono::{Offset, TimeZone};
use chrono_tz::Tz;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Lang;
use super::redact::Redactor;
use crate::case::{ExportEvent, ExportLookups};
use crate::model::Vocabulary;
use crate::model::csv::CsvWriter;

/// A writer that hashes and counts what passes through it.
pub struct HashWriter<W: Write> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> HashWriter<W> {
    pub fn new(inner: W) -> Self {
        HashWriter {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// (hex SHA-256, bytes) of everything written.
    pub fn finish(mut self) -> io::Result<(String, u64, W)> {
        self.inner.flush()?;
        Ok((
            crate::case::hex(&self.hasher.finalize()),
            self.bytes,
            self.inner,
        ))
    }
}

impl<W: Write> Write for HashWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The output file behind a named thread: full buffers are handed over a bounded channel and
/// hashed and written there, so formatting rows and hashing/writing bytes run on two cores.
pub struct FileSink {
    buf: Vec<u8>,
    tx: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    back: std::sync::mpsc::Receiver<Vec<u8>>,
    worker: Option<std::thread::JoinHandle<io::Result<(String, u64)>>>,
}

const SINK_CHUNK: usize = 1 << 20;

impl FileSink {
    pub fn new(file: File) -> io::Result<FileSink> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let (back_tx, back) = std::sync::mpsc::channel::<Vec<u8>>();
        let worker = std::thread::Builder::new()
            .name("export-writer".into())
            .spawn(move || {
                let mut hw = HashWriter::new(file);
                for mut chunk in rx {
                    hw.write_all(&chunk)?;
                    chunk.clear();
                    let _ = back_tx.send(chunk);
                }
                let (sha, bytes, file) = hw.finish()?;
                file.sync_all()?;
                Ok((sha, bytes))
            })?;
        Ok(FileSink {
            buf: Vec::with_capacity(SINK_CHUNK),
            tx: Some(tx),
            back,
            worker: Some(worker),
        })
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let next = self
            .back
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(SINK_CHUNK));
        let full = std::mem::replace(&mut self.buf, next);
        match &self.tx {
            Some(tx) if tx.send(full).is_ok() => Ok(()),
            // The writer thread stopped: its error is returned by `finish`.
            _ => Err(self
                .stop()
                .err()
                .unwrap_or_else(|| io::Error::other("the export writer thread stopped"))),
        }
    }

    fn stop(&mut self) -> io::Result<(String, u64)> {
        self.tx = None;
        match self.worker.take() {
            Some(w) => w
                .join()
                .map_err(|_| io::Error::other("the export writer thread panicked"))?,
            None => Err(io::Error::other("the export writer thread already stopped")),
        }
    }

    /// Writes what is buffered, waits for the writer; (hex SHA-256, bytes), file synced.
    pub fn finish(mut self) -> io::Result<(String, u64)> {
        self.send()?;
        self.stop()
    }
}

impl Write for FileSink {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= SINK_CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        // Buffers are handed over when full and at `finish`; nothing to force here.
        Ok(())
    }
}

impl Drop for FileSink {
    fn drop(&mut self) {
        // A sink dropped without `finish` (an error or a cancel): let the thread end.
        self.tx = None;
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

/// A cell a spreadsheet would run as a formula gets a leading `'` (the project's one rule,
/// see `model::csv`).
pub use crate::model::csv::neutralise;

/// Formats UTC microseconds quickly: `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` (utc) or
/// `YYYY-MM-DD HH:MM:SS[.ffffff] ±HH:MM` for a local time with its offset.
pub struct TimeFormatter {
    zone: Tz,
    /// (15-minute bucket, offset seconds) of the last lookup: zone offsets change on
    /// quarter-hour boundaries at the finest.
    cache: std::cell::Cell<(i64, i32)>,
}

const QUARTER_US: i64 = 15 * 60 * 1_000_000;

impl TimeFormatter {
    pub fn new(zone: Tz) -> Self {
        TimeFormatter {
            zone,
            cache: std::cell::Cell::new((i64::MIN, 0)),
        }
    }

    fn offset_secs(&self, ts_us: i64) -> i32 {
        let bucket = ts_us.div_euclid(QUARTER_US);
        let (b, off) = self.cache.get();
        if b == bucket {
            return off;
        }
        let off = chrono::DateTime::from_timestamp_micros(bucket * QUARTER_US)
            .map(|dt| {
                self.zone
                    .offset_from_utc_datetime(&dt.naive_utc())
                    .fix()
                    .local_minus_utc()
            })
            .unwrap_or(0);
        self.cache.set((bucket, off));
        off
    }

    pub fn utc(&self, ts_us: i64, out: &mut String) {
        write_civil(ts_us, 'T', true, out);
        out.push('Z');
    }

    pub fn local(&self, ts_us: i64, out: &mut String) {
        let off = self.offset_secs(ts_us);
        write_civil(ts_us + i64::from(off) * 1_000_000, ' ', false, out);
        let sign = if off < 0 { '-' } else { '+' };
        let a = off.unsigned_abs();
        out.push(' ');
        out.push(sign);
        push2(out, (a / 3600) as u64);
        out.push(':');
        push2(out, ((a % 3600) / 60) as u64);
    }
}

fn push2(out: &mut String, v: u64) {
    out.push((b'0' + (v / 10 % 10) as u8) as char);
    out.push((b'0' + (v % 10) as u8) as char);
}

/// Date and time of `ts_us` (as if UTC), with `sep` between them and microseconds when any
/// (`auto_si`: milliseconds when that is exact, as RFC 3339 `AutoSi` writes them).
fn write_civil(ts_us: i64, sep: char, auto_si: bool, out: &mut String) {
    let secs = ts_us.div_euclid(1_000_000);
    let micros = ts_us.rem_euclid(1_000_000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let mut y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    if m <= 2 {
        y += 1;
    }
    if (0..10_000).contains(&y) {
        let y = y as u64;
        push2(out, y / 100);
        push2(out, y % 100);
    } else {
        out.push_str(&y.to_string());
    }
    out.push('-');
    push2(out, m as u64);
    out.push('-');
    push2(out, d as u64);
    out.push(sep);
    push2(out, (sod / 3600) as u64);
    out.push(':');
    push2(out, (sod % 3600 / 60) as u64);
    out.push(':');
    push2(out, (sod % 60) as u64);
    if micros != 0 {
        out.push('.');
        let m = micros as u64;
        let digits: &[u64] = if auto_si && m.is_multiple_of(1000) {
            &[100_000, 10_000, 1_000]
        } else {
            &[100_000, 10_000, 1_000, 100, 10, 1]
        };
        for &div in digits {
            out.push((b'0' + (m / div % 10) as u8) as char);
        }
    }
}

/// Row ids are small and dense: a vector indexed by id beats hashing per row.
fn dense_len<T>(m: &HashMap<i64, T>) -> usize {
    m.keys()
        .copied()
        .max()
        .map_or(0, |k| (k.max(0) as usize) + 1)
}

fn dense<T>(m: &HashMap<i64, T>) -> Vec<Option<&T>> {
    let mut v = vec![None; dense_len(m)];
    for (k, x) in m {
        if let Ok(i) = usize::try_from(*k) {
            v[i] = Some(x);
        }
    }
    v
}

fn at<'v, T>(v: &[Option<&'v T>], id: i64) -> Option<&'v T> {
    usize::try_from(id)
        .ok()
        .and_then(|i| v.get(i).copied().flatten())
}

/// Turns an [`ExportEvent`] into the cells every format writes, resolving names and redacting.
pub struct RowBuilder<'a> {
    lookups: &'a ExportLookups,
    vocab: &'a Vocabulary,
    redactor: &'a Redactor,
    times: TimeFormatter,
    message_bit: Option<u32>,
    category_names: HashMap<u64, String>,
    /// Redacted subject cells by `subject.id`, filled on first use.
    subject_cells: Vec<Option<String>>,
    accounts: Vec<Option<&'a crate::case::LookupAccount>>,
    persons: Vec<Option<&'a crate::case::LookupPerson>>,
    systems: Vec<Option<&'a crate::case::LookupSystem>>,
    sources: Vec<Option<&'a crate::case::LookupSource>>,
    utc: String,
    local: String,
    subjects: String,
}

/// One output row, borrowed from the builder and the event.
#[derive(Serialize)]
pub struct OutRow<'r> {
    pub event_id: i64,
    /// The time as UTC microseconds (typed outputs: Parquet).
    #[serde(skip)]
    pub ts_us: i64,
    pub time_utc: &'r str,
    pub time_local: &'r str,
    pub person_id: &'r str,
    pub person: &'r str,
    pub organization: &'r str,
    pub actor_country: &'r str,
    pub account: &'r str,
    pub src_ip: &'r str,
    pub system: &'r str,
    pub system_country: &'r str,
    pub action: &'r str,
    pub object: &'r str,
    pub categories: &'r str,
    pub records: Option<i64>,
    pub outcome: &'r str,
    pub subjects: &'r str,
    pub session: &'r str,
    pub ticket: &'r str,
    pub raw_time: &'r str,
    pub source_file: &'r str,
    pub source_id: i64,
    pub line: i64,
    pub line_end: i64,
}

/// The CSV columns, in [`OutRow`] order: the English header name of each (`time_local` is
/// named with the zone, `time (Asia/Tokyo)`). These names are stable; scripts read them.
pub const CSV_COLUMNS: [&str; 24] = [
    "event_id",
    "time_utc",
    "time_local",
    "person_id",
    "person",
    "organization",
    "actor_country",
    "account",
    "src_ip",
    "system",
    "system_country",
    "action",
    "object",
    "categories",
    "records",
    "outcome",
    "subjects",
    "session",
    "ticket",
    "raw_time",
    "source_file",
    "source_id",
    "line",
    "line_end",
];

/// CSV header names, in [`OutRow`] order; `time_local` is named with the zone.
pub fn csv_header(zone: &str) -> Vec<String> {
    csv_header_in(Lang::En, zone)
}

/// CSV header names in `lang` (`--headers ja`: `イベントID`, `時刻（UTC）`, …; the catalog
/// `assets/i18n/*/csv-headers.ftl`, one message `csv-header-<column>` per column). English
/// gives the names scripts read, as they have always been.
pub fn csv_header_in(lang: Lang, zone: &str) -> Vec<String> {
    CSV_COLUMNS
        .iter()
        .map(|c| {
            let id = format!("csv-header-{}", c.replace('_', "-"));
            if *c == "time_local" {
                crate::i18n::t_args(lang, &id, &[("zone", zone.into())])
            } else {
                crate::i18n::t(lang, &id)
            }
        })
        .collect()
}

impl<'a> RowBuilder<'a> {
    pub fn new(
        lookups: &'a ExportLookups,
        vocab: &'a Vocabulary,
        redactor: &'a Redactor,
        zone: Tz,
    ) -> Self {
        RowBuilder {
            lookups,
            vocab,
            redactor,
            times: TimeFormatter::new(zone),
            message_bit: vocab.bit_of("message_text"),
            category_names: HashMap::new(),
            subject_cells: vec![None; dense_len(&lookups.subjects)],
            accounts: dense(&lookups.accounts),
            persons: dense(&lookups.persons),
            systems: dense(&lookups.systems),
            sources: dense(&lookups.sources),
            utc: String::with_capacity(32),
            local: String::with_capacity(40),
            subjects: String::with_capacity(64),
        }
    }

    /// Builds the row and hands it to `f` (the text lives only for the call).
    pub fn with_row<T>(&mut self, e: &ExportEvent<'_>, f: impl FnOnce(&OutRow<'_>) -> T) -> T {
        self.utc.clear();
        self.local.clear();
        self.subjects.clear();
        self.times.utc(e.ts_us, &mut self.utc);
        self.times.local(e.ts_us, &mut self.local);
        let vocab = self.vocab;
        let categories: &str = self.category_names.entry(e.categories).or_insert_with(|| {
            vocab
                .names(crate::model::CategorySet(e.categories))
                .join(";")
        });
        if let Some(ids) = e.subject_ids {
            for id in ids
                .split_ascii_whitespace()
                .filter_map(|t| t.parse::<i64>().ok())
            {
                let slot = usize::try_from(id)
                    .ok()
                    .filter(|i| *i < self.subject_cells.len());
                let fresh;
                let cell: &str = match slot {
                    Some(i) => self.subject_cells[i].get_or_insert_with(|| {
                        match self.lookups.subjects.get(&id) {
                            Some(s) => self.redactor.subject(&s.key, &s.kind).into_owned(),
                            None => format!("#{id}"),
                        }
                    }),
                    None => {
                        fresh = format!("#{id}");
                        &fresh
                    }
                };
                if !self.subjects.is_empty() {
                    self.subjects.push(';');
                }
                self.subjects.push_str(cell);
            }
        }
        let account = e.account_id.and_then(|id| at(&self.accounts, id));
        let person = account
            .and_then(|a| a.person_id)
            .and_then(|id| at(&self.persons, id));
        let system = e.system_id.and_then(|id| at(&self.systems, id));
        let source = at(&self.sources, e.source_id);
        let is_message = self
            .message_bit
            .is_some_and(|b| e.categories & (1u64 << b) != 0);
        let object = e
            .object
            .map(|o| self.redactor.text(o, is_message))
            .unwrap_or_default();
        let row = OutRow {
            event_id: e.id,
            ts_us: e.ts_us,
            time_utc: &self.utc,
            time_local: &self.local,
            person_id: person.map_or("", |p| &p.key),
            person: person.map_or("", |p| &p.display_name),
            organization: person.and_then(|p| p.organization.as_deref()).unwrap_or(""),
            actor_country: person.and_then(|p| p.country.as_deref()).unwrap_or(""),
            account: account.map_or("", |a| &a.name),
            src_ip: e.src_ip.unwrap_or(""),
            system: system.map_or("", |s| &s.name),
            system_country: system.and_then(|s| s.country.as_deref()).unwrap_or(""),
            action: e.action.unwrap_or(""),
            object: &object,
            categories,
            records: e.records,
            outcome: e.outcome.unwrap_or(""),
            subjects: &self.subjects,
            session: e.session_key.unwrap_or(""),
            ticket: e.ticket.unwrap_or(""),
            raw_time: e.raw_ts,
            source_file: source.map_or("", |s| &s.file_name),
            source_id: e.source_id,
            line: e.line,
            line_end: e.line_end,
        };
        f(&row)
    }
}

/// Writes rows as CSV, through the project's one CSV writer (formula cells neutralised).
pub struct CsvOut {
    w: CsvWriter<FileSink>,
}

impl CsvOut {
    pub fn new(file: File, bom: bool, zone: &str, headers: Lang) -> io::Result<CsvOut> {
        let mut hw = FileSink::new(file)?;
        if bom {
            hw.write_all("\u{feff}".as_bytes())?;
        }
        let mut w = CsvWriter::with_capacity(hw, 1 << 16);
        w.row(csv_header_in(headers, zone).iter().map(String::as_str))?;
        Ok(CsvOut { w })
    }

    pub fn write(&mut self, r: &OutRow<'_>) -> io::Result<()> {
        let w = &mut self.w;
        w.number(r.event_id)?;
        for cell in [
            r.time_utc,
            r.time_local,
            r.person_id,
            r.person,
            r.organization,
            r.actor_country,
            r.account,
            r.src_ip,
            r.system,
            r.system_country,
            r.action,
            r.object,
            r.categories,
        ] {
            w.text(cell)?;
        }
        match r.records {
            Some(v) => w.number(v)?,
            None => w.text("")?,
        }
        for cell in [
            r.outcome,
            r.subjects,
            r.session,
            r.ticket,
            r.raw_time,
            r.source_file,
        ] {
            w.text(cell)?;
        }
        w.number(r.source_id)?;
        w.number(r.line)?;
        w.number(r.line_end)?;
        w.end_row()
    }

    pub fn finish(self) -> io::Result<(String, u64)> {
        self.w.into_inner()?.finish()
    }
}

/// Writes rows as JSON Lines (`time_local` is named `time_<zone>`-free: the zone is in the
/// manifest and in the row's offset).
pub struct JsonlOut {
    w: io::BufWriter<FileSink>,
    zone: String,
}

#[derive(Serialize)]
struct JsonRow<'r> {
    #[serde(flatten)]
    row: &'r OutRow<'r>,
    display_zone: &'r str,
}

impl JsonlOut {
    pub fn new(file: File, zone: &str) -> io::Result<JsonlOut> {
        Ok(JsonlOut {
            w: io::BufWriter::with_capacity(1 << 16, FileSink::new(file)?),
            zone: zone.to_string(),
        })
    }

    pub fn write(&mut self, r: &OutRow<'_>) -> io::Result<()> {
        serde_json::to_writer(
            &mut self.w,
            &JsonRow {
                row: r,
                display_zone: &self.zone,
            },
        )?;
        self.w.write_all(b"\n")
    }

    pub fn finish(self) -> io::Result<(String, u64)> {
        let sink = self.w.into_inner().map_err(|e| e.into_error())?;
        sink.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_times_match_the_shared_formatters() {
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let ny: Tz = "America/New_York".parse().unwrap();
        for ts in [
            0i64,
            1_534_038_959_000_000,
            1_534_038_959_123_456,
            1_534_038_959_454_000,
            -86_400_000_001,
            1_710_054_000_000_000, // around a US DST change
            1_710_057_600_000_001,
        ] {
            for zone in [tokyo, ny, Tz::UTC] {
                let f = TimeFormatter::new(zone);
                let mut s = String::new();
                f.local(ts, &mut s);
                assert_eq!(
                    s,
                    crate::model::time::format_in_zone(ts, zone),
                    "{ts} {zone}"
                );
            }
            let mut u = String::new();
            TimeFormatter::new(Tz::UTC).utc(ts, &mut u);
            assert_eq!(u, crate::model::time::format_utc(ts), "{ts}");
        }
    }

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for c in ["+1", "-1", "@a", "\tx", "\rx"] {
            assert!(neutralise(c).starts_with('\''), "{c:?}");
        }
        assert_eq!(neutralise("plain"), "plain");
    }
}
