//! Apache Parquet files (data-lake extracts: Athena `UNLOAD`, BigQuery `EXPORT DATA`, Spark
//! `df.write.parquet`), read with the `parquet` crate's record API.
//!
//! Each row becomes a JSON object (nested structs as objects, lists as arrays, Hive partition
//! values from the directories above the file as string columns), mapped by name exactly as a
//! JSON Lines record is: `useridentity.arn` reaches into a struct, `resources.arn` takes the
//! field of every element of a list of structs, and a list's values join with `;` (subjects,
//! categories). Times keep what the file's logical type says: a TIMESTAMP adjusted to UTC (and
//! INT96, Spark's UTC instants) is written with `Z`; a TIMESTAMP not adjusted to UTC and a DATE
//! are local times, read in the source's zone.
//!
//! Citations: an event's `line` is its row's number in the file, 1-based across row groups;
//! its row group (0-based, as Parquet tools count) is the extra field `_parquet_row_group`.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Component, Path, PathBuf};

use parquet::basic::{ConvertedType, LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field as Pq;
use parquet::schema::types::Type;
use serde_json::{Map, Value};

use super::super::{
    Batch, Detection, EncodingHow, Field, Format, IngestError, ParseStats, Plan, Profile, RawRow,
    Reject, RowContext, SourceOptions, clip,
};
use crate::model::Vocabulary;
use crate::model::encoding::TextEncoding;
use crate::model::roster::SourceKind;

/// The first (and last) four bytes of every Parquet file.
pub(crate) const MAGIC: &[u8; 4] = b"PAR1";

/// The extra field that names a row's row group.
pub(crate) const ROW_GROUP_KEY: &str = "_parquet_row_group";

/// How a timestamp column's values are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TsColumn {
    /// isAdjustedToUTC (INT96 and the legacy TIMESTAMP_* converted types: true).
    utc: bool,
    /// Digits of the unit's fraction (3 millis, 6 micros, 9 nanos): the record API hands a
    /// TIMESTAMP that has no legacy converted type (NANOS, or not adjusted to UTC) on as a
    /// plain INT64.
    digits: u8,
}

/// The file's timestamp columns by dotted path (list levels left out, as in the row objects).
type TsColumns = HashMap<String, TsColumn>;

/// Hive partition values from the directories above `path`, outermost first:
/// `.../year=2024/month=01/part-0.parquet` gives `year=2024`, `month=01`.
pub(crate) fn partitions(path: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in path.ancestors().skip(1) {
        match dir.file_name().and_then(|n| n.to_str()).and_then(hive_pair) {
            Some(kv) => out.push(kv),
            None => break,
        }
    }
    out.reverse();
    out
}

/// `key=value` of a partition directory's name, URL escapes (`%20`) decoded.
fn hive_pair(name: &str) -> Option<(String, String)> {
    let (k, v) = name.split_once('=')?;
    let ok = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    ok.then(|| (k.to_string(), unescape(v)))
}

fn unescape(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(x)) => {
                out.push(x);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The name recorded on the source: the partition directories and the file's name
/// (`year=2024/month=01/part-0.parquet`), so the partition values are part of what it cites.
pub(crate) fn source_name(path: &Path) -> String {
    let mut parts: Vec<String> = path
        .ancestors()
        .skip(1)
        .map_while(|d| {
            d.file_name()
                .and_then(|n| n.to_str())
                .filter(|n| hive_pair(n).is_some())
                .map(str::to_string)
        })
        .collect();
    parts.reverse();
    parts.push(
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    parts.join("/")
}

/// Where a stored original named `file_name` (see [`source_name`]) is written to be read
/// again: its partition directories (only well-formed `key=value` names) and its file name.
pub(crate) fn relative_path(file_name: &str) -> PathBuf {
    let comps: Vec<&str> = Path::new(file_name)
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => n.to_str(),
            _ => None,
        })
        .collect();
    let mut out = PathBuf::new();
    if let Some((last, dirs)) = comps.split_last() {
        for d in dirs.iter().filter(|d| hive_pair(d).is_some()) {
            out.push(d);
        }
        out.push(last);
    }
    out
}

/// The `.parquet` files under `dir` (recursive, hidden and `_`-prefixed files such as Spark's
/// `_SUCCESS` skipped), in path order.
pub fn files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let p = entry?.path();
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            if name
                .as_deref()
                .is_some_and(|n| n.starts_with('.') || n.starts_with('_'))
            {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The file is to be read as Parquet: so declared, or (nothing declared) its head is
/// Parquet's magic bytes.
pub(crate) fn wanted(head: &[u8], opts: &SourceOptions, profile: &Profile) -> bool {
    let declared = opts
        .format
        .or_else(|| profile.format.as_deref().and_then(Format::parse));
    match declared {
        Some(f) => f == Format::Parquet,
        None => head.starts_with(MAGIC),
    }
}

/// The plan of a Parquet file: its columns from the schema, mapped by name as a JSON Lines
/// file's keys are.
pub(crate) fn plan(
    path: &Path,
    size_bytes: u64,
    opts: &SourceOptions,
    profile: Profile,
) -> Result<Plan, IngestError> {
    let roster = opts.kind.is_some_and(|k| k != SourceKind::Access)
        || profile
            .kind
            .as_deref()
            .is_some_and(|k| k.trim() != "access");
    if roster {
        return Err(IngestError::file(
            path,
            "rosters are CSV files, not Parquet",
        ));
    }
    let headers = headers(path)?;
    let (mapping, _, unread_columns) =
        super::super::mappings(Format::Parquet, SourceKind::Access, &headers, &profile);
    let (zone, zone_how) = super::super::zone_of(path, opts, &profile)?;
    if let Some(f) = profile.time_format.as_deref() {
        crate::model::time::check_time_format(f).map_err(|e| IngestError::file(path, e))?;
    }
    if profile
        .extra_fields
        .as_deref()
        .is_some_and(|x| x != "stored")
    {
        return Err(IngestError::file(
            path,
            "a Parquet row's unmapped fields are stored in event_extra: extra_fields must be \"stored\" (or left out)",
        ));
    }
    let declared = opts.format.is_some() || profile.format.is_some();
    Ok(Plan {
        file_name: source_name(path),
        kind: SourceKind::Access,
        format: Format::Parquet,
        encoding: TextEncoding::Utf8,
        encoding_how: if declared {
            EncodingHow::Declared
        } else {
            EncodingHow::Detected
        },
        delimiter: b',',
        headers,
        mapping,
        roster_mapping: None,
        unread_columns,
        kind_declared: opts.kind.is_some() || profile.kind.is_some(),
        zone,
        zone_how,
        time_format: profile.time_format.clone(),
        size_bytes,
        profile,
        detection: Detection {
            confidence: 1.0,
            declared,
            others: Vec::new(),
        },
        year: opts.year,
        year_declared: opts.year.is_some(),
        log_line_prefix: None,
        extras_in_original: false,
    })
}

fn open(path: &Path) -> Result<SerializedFileReader<File>, IngestError> {
    let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
    SerializedFileReader::new(file)
        .map_err(|e| IngestError::file(path, format!("not a readable Parquet file: {e}")))
}

/// The column names a mapping can name: every leaf as a dotted path (a list of structs also
/// by each field, `resources.arn`), then the partition keys the file does not hold itself.
pub(crate) fn headers(path: &Path) -> Result<Vec<String>, IngestError> {
    let reader = open(path)?;
    let schema = reader.metadata().file_metadata().schema();
    let mut out = Vec::new();
    let mut ts = TsColumns::new();
    for f in schema.get_fields() {
        walk(f, "", &mut out, &mut ts);
    }
    for (k, _) in partitions(path) {
        if !out.contains(&k) {
            out.push(k);
        }
    }
    Ok(out)
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The element type of a LIST-annotated group (the three-level form, and the legacy
/// two-level forms the Parquet spec's backward-compatibility rules name).
fn list_element(t: &Type) -> Option<&Type> {
    let rep = t.get_fields().first()?;
    if !rep.is_group() {
        return Some(rep);
    }
    let inner = rep.get_fields();
    if inner.len() != 1 || rep.name() == "array" || rep.name().ends_with("_tuple") {
        return Some(rep);
    }
    inner.first().map(|x| &**x)
}

fn is_list(t: &Type) -> bool {
    let info = t.get_basic_info();
    t.is_group()
        && (matches!(info.logical_type_ref(), Some(LogicalType::List))
            || info.converted_type() == ConvertedType::LIST)
}

fn is_map(t: &Type) -> bool {
    let info = t.get_basic_info();
    t.is_group()
        && (matches!(info.logical_type_ref(), Some(LogicalType::Map))
            || matches!(
                info.converted_type(),
                ConvertedType::MAP | ConvertedType::MAP_KEY_VALUE
            ))
}

/// Collects the column names under `t` and its timestamp columns.
fn walk(t: &Type, prefix: &str, out: &mut Vec<String>, ts: &mut TsColumns) {
    let path = join(prefix, t.name());
    if is_map(t) {
        out.push(path);
        return;
    }
    let element = if is_list(t) {
        list_element(t)
    } else if t.get_basic_info().has_repetition()
        && t.get_basic_info().repetition() == Repetition::REPEATED
    {
        // A repeated field outside a LIST annotation: a list of itself.
        Some(t)
    } else {
        None
    };
    match element {
        Some(e) if e.is_group() && !is_list(e) && !is_map(e) => {
            out.push(path.clone());
            for f in e.get_fields() {
                walk(f, &path, out, ts);
            }
        }
        Some(e) if !std::ptr::eq(e, t) => {
            out.push(path.clone());
            if !e.is_group() {
                note_timestamp(e, &path, ts);
            }
        }
        _ if t.is_group() => {
            for f in t.get_fields() {
                walk(f, &path, out, ts);
            }
        }
        _ => {
            note_timestamp(t, &path, ts);
            out.push(path);
        }
    }
}

fn note_timestamp(t: &Type, path: &str, ts: &mut TsColumns) {
    let info = t.get_basic_info();
    let col = match (info.logical_type_ref(), t.get_physical_type()) {
        (Some(LogicalType::Timestamp(t)), _) => TsColumn {
            utc: t.is_adjusted_to_u_t_c,
            digits: match t.unit {
                TimeUnit::MILLIS => 3,
                TimeUnit::MICROS => 6,
                TimeUnit::NANOS => 9,
            },
        },
        (_, Physical::INT96) => TsColumn {
            utc: true,
            digits: 9,
        },
        _ => match info.converted_type() {
            ConvertedType::TIMESTAMP_MILLIS => TsColumn {
                utc: true,
                digits: 3,
            },
            ConvertedType::TIMESTAMP_MICROS => TsColumn {
                utc: true,
                digits: 6,
            },
            _ => return,
        },
    };
    ts.insert(path.to_string(), col);
}

/// A timestamp as text: `2024-01-02T03:04:05.123456Z` (UTC) or without the `Z` (local).
pub(crate) fn ts_text(secs: i64, nanos: u32, digits: usize, utc: bool) -> Value {
    let Some(dt) = chrono::DateTime::from_timestamp(secs, nanos) else {
        return Value::String(format!("{secs}.{nanos:09} s from 1970 (out of range)"));
    };
    let fmt = match digits {
        0 => "%Y-%m-%dT%H:%M:%S",
        3 => "%Y-%m-%dT%H:%M:%S%.3f",
        6 => "%Y-%m-%dT%H:%M:%S%.6f",
        _ => "%Y-%m-%dT%H:%M:%S%.9f",
    };
    let mut s = dt.naive_utc().format(fmt).to_string();
    if utc {
        s.push('Z');
    }
    Value::String(s)
}

fn split(v: i64, per_sec: i64) -> (i64, u32) {
    let secs = v.div_euclid(per_sec);
    let frac = v.rem_euclid(per_sec) * (1_000_000_000 / per_sec);
    (secs, frac as u32)
}

/// A row's value as JSON; `path` holds the names of the structs above it.
fn to_value(f: &Pq, path: &mut Vec<String>, ts: &TsColumns) -> Value {
    let col = || ts.get(&path.join(".")).copied();
    match f {
        Pq::Null => Value::Null,
        Pq::Bool(b) => Value::Bool(*b),
        Pq::Byte(n) => Value::from(*n),
        Pq::Short(n) => Value::from(*n),
        Pq::Int(n) => Value::from(*n),
        Pq::Long(n) => match col() {
            Some(c) => {
                let per_sec = 10i64.pow(u32::from(c.digits));
                let (s, ns) = split(*n, per_sec);
                ts_text(s, ns, usize::from(c.digits), c.utc)
            }
            None => Value::from(*n),
        },
        Pq::UByte(n) => Value::from(*n),
        Pq::UShort(n) => Value::from(*n),
        Pq::UInt(n) => Value::from(*n),
        Pq::ULong(n) => Value::from(*n),
        Pq::Float16(n) => {
            serde_json::Number::from_f64(f64::from(*n)).map_or(Value::Null, Value::Number)
        }
        Pq::Float(n) => {
            serde_json::Number::from_f64(f64::from(*n)).map_or(Value::Null, Value::Number)
        }
        Pq::Double(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
        Pq::Decimal(_) => Value::String(f.to_string()),
        Pq::Str(s) => Value::String(s.clone()),
        Pq::Bytes(b) => Value::String(match std::str::from_utf8(b.data()) {
            Ok(s) => s.to_string(),
            Err(_) => b.data().iter().map(|x| format!("{x:02x}")).collect(),
        }),
        Pq::Date(d) => {
            let day = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
                .and_then(|e| e.checked_add_signed(chrono::TimeDelta::days(i64::from(*d))));
            Value::String(day.map_or_else(|| format!("day {d} from 1970"), |x| x.to_string()))
        }
        Pq::TimeMillis(n) => Value::from(*n),
        Pq::TimeMicros(n) => Value::from(*n),
        Pq::TimestampMillis(n) => {
            let (s, ns) = split(*n, 1_000);
            ts_text(s, ns, 3, col().is_none_or(|c| c.utc))
        }
        Pq::TimestampMicros(n) => {
            let (s, ns) = split(*n, 1_000_000);
            ts_text(s, ns, 6, col().is_none_or(|c| c.utc))
        }
        Pq::Group(row) => {
            let mut m = Map::new();
            for (name, v) in row.get_column_iter() {
                path.push(name.clone());
                m.insert(name.clone(), to_value(v, path, ts));
                path.pop();
            }
            Value::Object(m)
        }
        Pq::ListInternal(list) => Value::Array(
            list.elements()
                .iter()
                .map(|e| to_value(e, path, ts))
                .collect(),
        ),
        Pq::MapInternal(map) => {
            let mut m = Map::new();
            for (k, v) in map.entries() {
                let key = match to_value(k, path, ts) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                m.insert(key, to_value(v, path, ts));
            }
            Value::Object(m)
        }
    }
}

/// The values at a dotted path, across lists: `resources.arn` gives every element's `arn`.
fn collect<'a>(v: &'a Value, parts: &[&str], out: &mut Vec<&'a Value>) {
    match (parts.first(), v) {
        (None, _) => out.push(v),
        (Some(_), Value::Array(items)) => {
            for it in items {
                collect(it, parts, out);
            }
        }
        (Some(p), Value::Object(m)) => {
            if let Some(x) = m.get(*p) {
                collect(x, &parts[1..], out);
            }
        }
        _ => {}
    }
}

/// The text a mapped column gives: a scalar as written, a list's values joined with `;`.
fn text_at(v: &Value, path: &str) -> Option<String> {
    if let Some(x) = v.get(path) {
        return super::super::jsonl::text_of(x);
    }
    let parts: Vec<&str> = path.split('.').collect();
    let mut found = Vec::new();
    collect(v, &parts, &mut found);
    let texts: Vec<String> = found
        .into_iter()
        .filter_map(super::super::jsonl::text_of)
        .filter(|t| !t.is_empty())
        .collect();
    (!texts.is_empty()).then(|| texts.join(";"))
}

/// Top-level INT96 columns (Spark's times), by leaf index and name: the record API reads
/// INT96 as milliseconds, so these are read again here with their nanoseconds.
fn int96_columns(reader: &SerializedFileReader<File>) -> Vec<(usize, String)> {
    let descr = reader.metadata().file_metadata().schema_descr();
    (0..descr.num_columns())
        .map(|i| (i, descr.column(i)))
        .filter(|(_, c)| {
            c.physical_type() == Physical::INT96
                && c.max_rep_level() == 0
                && c.path().parts().len() == 1
        })
        .map(|(i, c)| (i, c.name().to_string()))
        .collect()
}

/// One row group's values of an INT96 column as text (`None`: null).
fn read_int96(
    rg: &dyn parquet::file::reader::RowGroupReader,
    col: usize,
    rows: usize,
) -> parquet::errors::Result<Vec<Option<Value>>> {
    use parquet::column::reader::ColumnReader;
    let ColumnReader::Int96ColumnReader(mut r) = rg.get_column_reader(col)? else {
        return Err(parquet::errors::ParquetError::General(
            "not an INT96 column".into(),
        ));
    };
    let (mut defs, mut values) = (Vec::new(), Vec::new());
    while defs.len() < rows {
        let (n, _, _) = r.read_records(rows - defs.len(), Some(&mut defs), None, &mut values)?;
        if n == 0 {
            break;
        }
    }
    let mut vals = values.into_iter();
    Ok(defs
        .into_iter()
        .map(|d| {
            (d > 0).then(|| vals.next()).flatten().map(|v| {
                let (s, ns) = split(v.to_nanos(), 1_000_000_000);
                ts_text(s, ns, 9, true)
            })
        })
        .collect())
}

/// What every row of one file shares.
struct FileCtx<'a> {
    path: &'a Path,
    ts: TsColumns,
    int96: Vec<(usize, String)>,
    parts: Vec<(String, String)>,
    keys: Vec<(Field, String)>,
}

/// Reads every row of the file at `path` (Parquet needs its footer first, so it is read from
/// the file, not streamed); `progress` gets the compressed bytes of the row groups read.
pub(crate) fn parse(
    path: &Path,
    plan: &Plan,
    ctx: &RowContext,
    vocab: &mut Vocabulary,
    sink: &mut dyn FnMut(Batch) -> bool,
    progress: &mut dyn FnMut(u64),
) -> Result<ParseStats, IngestError> {
    let before = std::fs::metadata(path).map_err(|e| IngestError::io(path, e))?;
    let reader = open(path)?;
    let mut names = Vec::new();
    let mut ts = TsColumns::new();
    for f in reader.metadata().file_metadata().schema().get_fields() {
        walk(f, "", &mut names, &mut ts);
    }
    let fc = FileCtx {
        path,
        ts,
        int96: int96_columns(&reader),
        parts: partitions(path),
        keys: Field::ALL
            .iter()
            .filter_map(|f| plan.mapping.get(*f).map(|c| (*f, c.to_string())))
            .collect(),
    };
    let mut stats = ParseStats::default();
    let mut batch = Batch::default();
    for group in 0..reader.num_row_groups() {
        let go_on = read_group(
            &reader,
            group,
            &fc,
            ctx,
            vocab,
            &mut stats,
            &mut batch,
            &mut |b, bytes| b.hand_on(bytes, progress, sink),
        )?;
        if !go_on {
            return Ok(stats);
        }
        stats.bytes_read += reader.metadata().row_group(group).compressed_size().max(0) as u64;
    }
    stats.bytes_read = before.len();
    unchanged(path, &before)?;
    batch.hand_on_rest(stats.bytes_read, progress, sink);
    Ok(stats)
}

fn cannot_read(path: &Path, line: u64, group: usize, e: impl std::fmt::Display) -> IngestError {
    IngestError::file(
        path,
        format!("row {line} (row group {group}) cannot be read: {e}"),
    )
}

/// Reads one row group's rows into `batch`, handing it on when full; `false` when the sink
/// says stop.
#[allow(clippy::too_many_arguments)]
fn read_group(
    reader: &SerializedFileReader<File>,
    group: usize,
    fc: &FileCtx,
    ctx: &RowContext,
    vocab: &mut Vocabulary,
    stats: &mut ParseStats,
    batch: &mut Batch,
    hand_on: &mut dyn FnMut(&mut Batch, u64) -> bool,
) -> Result<bool, IngestError> {
    let first_line = stats.rows_read + 1;
    let rg = reader
        .get_row_group(group)
        .map_err(|e| cannot_read(fc.path, first_line, group, e))?;
    let n_rows = rg.metadata().num_rows().max(0) as usize;
    let mut int96 = Vec::new();
    for (col, name) in &fc.int96 {
        let vals = read_int96(&*rg, *col, n_rows)
            .map_err(|e| cannot_read(fc.path, first_line, group, e))?;
        int96.push((name, vals));
    }
    let mut rows = rg
        .get_row_iter(None)
        .map_err(|e| cannot_read(fc.path, first_line, group, e))?;
    let mut row_path = Vec::new();
    for i in 0.. {
        let line = stats.rows_read + 1;
        // The record API panics on a few type combinations it does not convert: such a row
        // is a failure of the file (with the reason), not of the program.
        let next = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rows.next())).map_err(
            |p| {
                let why = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "a value the reader cannot convert".into());
                cannot_read(fc.path, line, group, why)
            },
        )?;
        let Some(row) = next else { break };
        let row = row.map_err(|e| cannot_read(fc.path, line, group, e))?;
        stats.rows_read += 1;
        let mut obj = Map::new();
        for (name, v) in row.get_column_iter() {
            row_path.push(name.clone());
            obj.insert(name.clone(), to_value(v, &mut row_path, &fc.ts));
            row_path.pop();
        }
        for (name, vals) in &int96 {
            let v = vals.get(i).cloned().flatten().unwrap_or(Value::Null);
            obj.insert((*name).clone(), v);
        }
        for (k, v) in &fc.parts {
            obj.entry(k.clone())
                .or_insert_with(|| Value::String(v.clone()));
        }
        let mut v = Value::Object(obj);
        match to_event(&v, line, &fc.keys, ctx, vocab) {
            Ok(mut ev) => {
                if let Value::Object(m) = &mut v {
                    m.insert(ROW_GROUP_KEY.into(), Value::from(group as u64));
                }
                ev.extra = super::super::extra::from_object(&v, &|p| {
                    fc.keys.iter().any(|(_, k)| k.as_str() == p)
                });
                batch.events.push(ev);
            }
            Err(reason) => batch.rejects.push(Reject {
                line,
                reason: format!("{reason} (row group {group})"),
                raw: clip(&v.to_string()),
            }),
        }
        if batch.is_full() && !hand_on(batch, stats.bytes_read) {
            return Ok(false);
        }
    }
    Ok(true)
}

fn to_event(
    v: &Value,
    line: u64,
    keys: &[(Field, String)],
    ctx: &RowContext,
    vocab: &mut Vocabulary,
) -> Result<crate::model::NewEvent, String> {
    let mut texts: [Option<String>; 12] = Default::default();
    for (f, key) in keys {
        texts[*f as usize] = text_at(v, key);
    }
    let mut row = RawRow::default();
    for (slot, t) in row.values.iter_mut().zip(&texts) {
        *slot = t.as_deref();
    }
    ctx.to_event(&row, line, line, vocab)
}

/// The file read must be the file planned and stored: its size and modification time are
/// the same after the read as before it.
fn unchanged(path: &Path, before: &std::fs::Metadata) -> Result<(), IngestError> {
    let after = std::fs::metadata(path).map_err(|e| IngestError::io(path, e))?;
    if after.len() != before.len() || after.modified().ok() != before.modified().ok() {
        return Err(IngestError::file(
            path,
            "the file changed while it was read: nothing was imported; import a copy that nothing writes to",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hive_partitions_come_from_the_directories_above() {
        let p =
            Path::new("/data/extract/year=2024/month=01/region=ap%2Dnortheast%2D1/part-0.parquet");
        assert_eq!(
            partitions(p),
            vec![
                ("year".to_string(), "2024".to_string()),
                ("month".to_string(), "01".to_string()),
                ("region".to_string(), "ap-northeast-1".to_string()),
            ]
        );
        assert_eq!(
            source_name(p),
            "year=2024/month=01/region=ap%2Dnortheast%2D1/part-0.parquet"
        );
        assert_eq!(
            relative_path("year=2024/../month=01/part-0.parquet"),
            PathBuf::from("year=2024/month=01/part-0.parquet")
        );
        assert!(partitions(Path::new("/data/part-0.parquet")).is_empty());
        assert_eq!(
            source_name(Path::new("/data/part-0.parquet")),
            "part-0.parquet"
        );
    }

    #[test]
    fn paths_reach_across_lists_of_structs() {
        let v: Value = serde_json::json!({
            "resources": [{"arn": "a1", "type": "t"}, {"arn": "a2"}],
            "tags": ["x", "y"],
            "useridentity": {"arn": "u"}
        });
        assert_eq!(text_at(&v, "resources.arn").as_deref(), Some("a1;a2"));
        assert_eq!(text_at(&v, "tags").as_deref(), Some("x;y"));
        assert_eq!(text_at(&v, "useridentity.arn").as_deref(), Some("u"));
        assert_eq!(text_at(&v, "missing.x"), None);
    }
}
