//! `retrace bench --format parquet`: a Parquet file of access rows written by the bench itself
//! (SNAPPY, row groups of 1 M rows, the shape of a lake extract: a UTC TIMESTAMP, text
//! columns, a list of subjects, a count) and the mapping profile that imports it.

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

/// Rows per 100 bytes of `--bytes` (`--bytes 1G` is about 10.7 M rows).
pub(crate) const BYTES_PER_ROW: u64 = 100;
const GROUP: u64 = 1 << 20;

const SCHEMA: &str = "message extract {
    required int64 event_time (TIMESTAMP(MICROS,true));
    required binary user (STRING);
    required binary src_ip (STRING);
    required binary system (STRING);
    required binary action (STRING);
    required binary object (STRING);
    required group subject_ids (LIST) { repeated group list { required binary element (STRING); } }
    required int64 rows_read;
    required binary status (STRING);
}";

/// The profile the bench imports its file with.
pub(crate) fn profile() -> crate::ingest::Profile {
    let mut p = crate::ingest::Profile::default();
    for (f, c) in [
        ("time", "event_time"),
        ("account", "user"),
        ("src_ip", "src_ip"),
        ("system", "system"),
        ("action", "action"),
        ("object", "object"),
        ("subjects", "subject_ids"),
        ("records", "rows_read"),
        ("outcome", "status"),
    ] {
        p.columns.insert(f.into(), c.into());
    }
    p
}

/// Writes `rows` rows to `path`; returns the rows written.
pub(crate) fn gen_parquet(path: &Path, rows: u64, seed: u64) -> Result<u64> {
    let schema = Arc::new(parse_message_type(SCHEMA)?);
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut w = SerializedFileWriter::new(std::fs::File::create(path)?, schema, Arc::new(props))?;
    let mut x = seed | 1;
    let mut next = move |n: u64| {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    };
    let text = |v: Vec<String>| -> Vec<ByteArray> {
        v.into_iter()
            .map(|s| ByteArray::from(s.into_bytes()))
            .collect()
    };
    let mut done = 0;
    while done < rows {
        let n = GROUP.min(rows - done);
        let base = 1_704_067_200_000_000i64 + done as i64 * 250_000;
        let ts: Vec<i64> = (0..n as i64).map(|i| base + i * 250_000).collect();
        let mut cols: Vec<Vec<String>> = (0..6).map(|_| Vec::with_capacity(n as usize)).collect();
        let (mut subj, mut reps, mut counts) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..n {
            cols[0].push(format!("user{:03}", next(400)));
            cols[1].push(format!("10.{}.{}.{}", next(4), next(256), next(256)));
            cols[2].push(["crm-db", "billing-db", "support-app", "s3"][next(4) as usize].into());
            cols[3].push(["SELECT", "UPDATE", "EXPORT", "GetObject"][next(4) as usize].into());
            cols[4].push(format!("customers/{}", next(5000)));
            cols[5].push(["success", "denied"][usize::from(next(50) == 0)].into());
            let k = 1 + next(3);
            for j in 0..k {
                subj.push(format!("U{:07}", next(2_000_000)));
                reps.push(i16::from(j > 0));
            }
            counts.push(k as i64);
        }
        let mut rg = w.next_row_group()?;
        let mut put = |f: &mut dyn FnMut(
            &mut parquet::file::writer::SerializedColumnWriter<'_>,
        ) -> parquet::errors::Result<usize>|
         -> Result<()> {
            let mut c = rg.next_column()?.ok_or_else(|| anyhow::anyhow!("schema"))?;
            f(&mut c)?;
            c.close()?;
            Ok(())
        };
        put(&mut |c| c.typed::<Int64Type>().write_batch(&ts, None, None))?;
        let mut cols = cols.into_iter().map(text);
        for _ in 0..5 {
            let v = cols.next().unwrap_or_default();
            put(&mut |c| c.typed::<ByteArrayType>().write_batch(&v, None, None))?;
        }
        let defs = vec![1i16; subj.len()];
        let subj = text(subj);
        put(&mut |c| {
            c.typed::<ByteArrayType>()
                .write_batch(&subj, Some(&defs), Some(&reps))
        })?;
        put(&mut |c| c.typed::<Int64Type>().write_batch(&counts, None, None))?;
        let status = cols.next().unwrap_or_default();
        put(&mut |c| c.typed::<ByteArrayType>().write_batch(&status, None, None))?;
        rg.close()?;
        done += n;
    }
    w.close()?;
    Ok(rows)
}
