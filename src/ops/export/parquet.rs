//! Apache Parquet output: the export's rows as typed columns for analysts going back to the
//! data lake. `time_utc` is TIMESTAMP(MICROS, isAdjustedToUTC) , ids, counts and lines are
//! INT64, text is UTF-8 (null when empty), categories and subjects are lists of strings;
//! ZSTD compressed, row groups of [`GROUP_ROWS`] rows. The file is hashed as it is written.

use std::fs::File;
use std::io;
use std::sync::Arc;

use parquet::basic::{Compression, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use super::rows::{HashWriter, OutRow};

/// Rows buffered per row group.
const GROUP_ROWS: usize = 65_536;

/// The columns, in [`OutRow`] order.
const SCHEMA: &str = "message retrace_events {
    required int64 event_id;
    required int64 time_utc (TIMESTAMP(MICROS,true));
    optional binary time_local (STRING);
    optional binary person_id (STRING);
    optional binary person (STRING);
    optional binary organization (STRING);
    optional binary actor_country (STRING);
    optional binary account (STRING);
    optional binary src_ip (STRING);
    optional binary system (STRING);
    optional binary system_country (STRING);
    optional binary action (STRING);
    optional binary object (STRING);
    required group categories (LIST) { repeated group list { required binary element (STRING); } }
    optional int64 records;
    optional binary outcome (STRING);
    required group subjects (LIST) { repeated group list { required binary element (STRING); } }
    optional binary session (STRING);
    optional binary ticket (STRING);
    optional binary raw_time (STRING);
    optional binary source_file (STRING);
    required int64 source_id;
    required int64 line;
    required int64 line_end;
    optional binary display_zone (STRING);
}";

/// Text columns after `time_utc`, in schema order (categories and subjects are lists).
const TEXTS_A: usize = 11; // time_local .. object
const TEXTS_B: usize = 1; // outcome
const TEXTS_C: usize = 5; // session .. display_zone

/// One buffered column of optional text.
#[derive(Default)]
struct TextCol {
    values: Vec<ByteArray>,
    defs: Vec<i16>,
}

impl TextCol {
    fn push(&mut self, s: &str) {
        if s.is_empty() {
            self.defs.push(0);
        } else {
            self.defs.push(1);
            self.values.push(ByteArray::from(s.as_bytes().to_vec()));
        }
    }
}

/// One buffered list-of-text column (`;`-separated in the row).
#[derive(Default)]
struct ListCol {
    values: Vec<ByteArray>,
    defs: Vec<i16>,
    reps: Vec<i16>,
}

impl ListCol {
    fn push(&mut self, joined: &str) {
        let mut first = true;
        for item in joined.split(';').filter(|s| !s.is_empty()) {
            self.values.push(ByteArray::from(item.as_bytes().to_vec()));
            self.defs.push(1);
            self.reps.push(if first { 0 } else { 1 });
            first = false;
        }
        if first {
            // An empty list: defined up to the list itself, no element.
            self.defs.push(0);
            self.reps.push(0);
        }
    }
}

#[derive(Default)]
struct Buffer {
    rows: usize,
    event_id: Vec<i64>,
    ts_us: Vec<i64>,
    texts: Vec<TextCol>,
    categories: ListCol,
    records: (Vec<i64>, Vec<i16>),
    subjects: ListCol,
    source_id: Vec<i64>,
    line: Vec<i64>,
    line_end: Vec<i64>,
}

/// Writes rows as one Parquet file.
pub struct ParquetOut {
    w: SerializedFileWriter<HashWriter<io::BufWriter<File>>>,
    buf: Buffer,
    zone: String,
}

fn pq(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(format!("Parquet: {e}"))
}

impl ParquetOut {
    pub fn new(file: File, zone: &str) -> io::Result<ParquetOut> {
        let schema = Arc::new(parse_message_type(SCHEMA).map_err(pq)?);
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_created_by(format!("retrace {}", env!("CARGO_PKG_VERSION")))
            .build();
        let sink = HashWriter::new(io::BufWriter::with_capacity(1 << 20, file));
        let w = SerializedFileWriter::new(sink, schema, Arc::new(props)).map_err(pq)?;
        Ok(ParquetOut {
            w,
            buf: Buffer::default(),
            zone: zone.to_string(),
        })
    }

    pub fn write(&mut self, r: &OutRow<'_>) -> io::Result<()> {
        let b = &mut self.buf;
        if b.texts.is_empty() {
            b.texts
                .resize_with(TEXTS_A + TEXTS_B + TEXTS_C, TextCol::default);
        }
        b.rows += 1;
        b.event_id.push(r.event_id);
        b.ts_us.push(r.ts_us);
        let texts = [
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
            r.outcome,
            r.session,
            r.ticket,
            r.raw_time,
            r.source_file,
            &self.zone,
        ];
        for (col, t) in b.texts.iter_mut().zip(texts) {
            col.push(t);
        }
        b.categories.push(r.categories);
        match r.records {
            Some(n) => {
                b.records.0.push(n);
                b.records.1.push(1);
            }
            None => b.records.1.push(0),
        }
        b.subjects.push(r.subjects);
        b.source_id.push(r.source_id);
        b.line.push(r.line);
        b.line_end.push(r.line_end);
        if b.rows >= GROUP_ROWS {
            self.flush_group()?;
        }
        Ok(())
    }

    /// Writes the buffered rows as one row group, columns in schema order.
    fn flush_group(&mut self) -> io::Result<()> {
        let b = std::mem::take(&mut self.buf);
        if b.rows == 0 {
            return Ok(());
        }
        let mut rg = self.w.next_row_group().map_err(pq)?;
        type W<'a, 'b> = &'a mut parquet::file::writer::SerializedColumnWriter<'b>;
        let mut next =
            |write: &mut dyn FnMut(W<'_, '_>) -> parquet::errors::Result<usize>| -> io::Result<()> {
                let mut col = rg
                    .next_column()
                    .map_err(pq)?
                    .ok_or_else(|| io::Error::other("Parquet: fewer columns than the schema"))?;
                write(&mut col).map_err(pq)?;
                col.close().map_err(pq)
            };
        fn ints(c: W<'_, '_>, v: &[i64]) -> parquet::errors::Result<usize> {
            c.typed::<Int64Type>().write_batch(v, None, None)
        }
        fn text(c: W<'_, '_>, t: &TextCol) -> parquet::errors::Result<usize> {
            c.typed::<ByteArrayType>()
                .write_batch(&t.values, Some(&t.defs), None)
        }
        fn list(c: W<'_, '_>, l: &ListCol) -> parquet::errors::Result<usize> {
            c.typed::<ByteArrayType>()
                .write_batch(&l.values, Some(&l.defs), Some(&l.reps))
        }
        next(&mut |c| ints(c, &b.event_id))?;
        next(&mut |c| ints(c, &b.ts_us))?;
        for t in &b.texts[..TEXTS_A] {
            next(&mut |c| text(c, t))?;
        }
        next(&mut |c| list(c, &b.categories))?;
        next(&mut |c| {
            c.typed::<Int64Type>()
                .write_batch(&b.records.0, Some(&b.records.1), None)
        })?;
        next(&mut |c| text(c, &b.texts[TEXTS_A]))?;
        next(&mut |c| list(c, &b.subjects))?;
        for t in &b.texts[TEXTS_A + TEXTS_B..TEXTS_A + TEXTS_B + TEXTS_C - 1] {
            next(&mut |c| text(c, t))?;
        }
        next(&mut |c| ints(c, &b.source_id))?;
        next(&mut |c| ints(c, &b.line))?;
        next(&mut |c| ints(c, &b.line_end))?;
        next(&mut |c| text(c, &b.texts[TEXTS_A + TEXTS_B + TEXTS_C - 1]))?;
        rg.close().map_err(pq)?;
        Ok(())
    }

    /// Writes the last row group and the footer, syncs the file; (hex SHA-256, bytes).
    pub fn finish(mut self) -> io::Result<(String, u64)> {
        self.flush_group()?;
        let sink = self.w.into_inner().map_err(pq)?;
        let (sha, bytes, buffered) = sink.finish()?;
        let file = buffered.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok((sha, bytes))
    }
}
