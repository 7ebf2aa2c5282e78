//! Parquet in: files written here with the `parquet` crate's writer (no binary fixtures), each
//! logical type, nested and list columns, a Hive-partitioned directory and the three recipe
//! shapes (Athena UNLOAD of CloudTrail, BigQuery Cloud Audit Logs export, Spark
//! partitionBy), imported and compared event by event with the same data as CSV.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, GzipLevel, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type, Int96, Int96Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use retrace::case::{Case, StoredEvent};
use retrace::ingest::{Format, Profile};
use retrace::jobs::{CancelToken, NoProgress};

use crate::util::{self, TestDir};

/// One column chunk's values with its definition and repetition levels.
pub enum Values {
    I64(Vec<i64>),
    I32(Vec<i32>),
    I96(Vec<Int96>),
    Str(Vec<String>),
}

pub struct Col {
    pub values: Values,
    pub defs: Option<Vec<i16>>,
    pub reps: Option<Vec<i16>>,
}

/// An optional top-level text column (`None` is null).
pub fn opt_str(v: &[Option<&str>]) -> Col {
    Col {
        values: Values::Str(v.iter().flatten().map(|s| s.to_string()).collect()),
        defs: Some(v.iter().map(|s| i16::from(s.is_some())).collect()),
        reps: None,
    }
}

/// An optional top-level INT64 column.
pub fn opt_i64(v: &[Option<i64>]) -> Col {
    Col {
        values: Values::I64(v.iter().flatten().copied().collect()),
        defs: Some(v.iter().map(|s| i16::from(s.is_some())).collect()),
        reps: None,
    }
}

/// A text column nested `depth` optional levels deep (structs); every value present.
pub fn nested_str(v: &[&str], depth: i16) -> Col {
    Col {
        values: Values::Str(v.iter().map(|s| s.to_string()).collect()),
        defs: Some(vec![depth; v.len()]),
        reps: None,
    }
}

/// A three-level LIST of text (`optional group (LIST) { repeated group list { optional
/// binary element } }`, or the element a struct's text field one level deeper: `leaf`
/// is the element's definition level when present).
pub fn list_str(rows: &[&[&str]], leaf: i16) -> Col {
    let mut values = Vec::new();
    let (mut defs, mut reps) = (Vec::new(), Vec::new());
    for row in rows {
        if row.is_empty() {
            defs.push(1);
            reps.push(0);
        }
        for (i, s) in row.iter().enumerate() {
            values.push(s.to_string());
            defs.push(leaf);
            reps.push(i16::from(i > 0));
        }
    }
    Col {
        values: Values::Str(values),
        defs: Some(defs),
        reps: Some(reps),
    }
}

/// Spark's INT96: nanoseconds of the day, then the Julian day.
pub fn int96(us: i64) -> Int96 {
    let day = us.div_euclid(86_400_000_000);
    let nanos = (us.rem_euclid(86_400_000_000) * 1000) as u64;
    let mut v = Int96::new();
    v.set_data(nanos as u32, (nanos >> 32) as u32, (day + 2_440_588) as u32);
    v
}

/// Writes a Parquet file: `groups` row groups, each with one [`Col`] per leaf column.
pub fn write_parquet(path: &Path, schema: &str, compression: Compression, groups: Vec<Vec<Col>>) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    let schema = Arc::new(parse_message_type(schema).unwrap());
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(compression)
            .build(),
    );
    let file = std::fs::File::create(path).unwrap();
    let mut w = SerializedFileWriter::new(file, schema, props).unwrap();
    for cols in groups {
        let mut rg = w.next_row_group().unwrap();
        for c in cols {
            let mut col = rg.next_column().unwrap().expect("a column per leaf");
            let (d, r) = (c.defs.as_deref(), c.reps.as_deref());
            match c.values {
                Values::I64(v) => col.typed::<Int64Type>().write_batch(&v, d, r),
                Values::I32(v) => col.typed::<Int32Type>().write_batch(&v, d, r),
                Values::I96(v) => col.typed::<Int96Type>().write_batch(&v, d, r),
                Values::Str(v) => {
                    let b: Vec<ByteArray> = v.iter().map(|s| ByteArray::from(s.as_str())).collect();
                    col.typed::<ByteArrayType>().write_batch(&b, d, r)
                }
            }
            .unwrap();
            col.close().unwrap();
        }
        assert!(
            rg.next_column().unwrap().is_none(),
            "a value per leaf column"
        );
        rg.close().unwrap();
    }
    w.close().unwrap();
}

fn profile(toml_text: &str) -> Profile {
    let p: Profile = toml::from_str(toml_text).unwrap();
    p.validate().unwrap();
    p
}

fn events(case: &Case, source_id: i64) -> Vec<StoredEvent> {
    let s = case.sources().source(source_id).unwrap().unwrap();
    let mut out = Vec::new();
    case.sources()
        .for_each_stored_event(&s, &mut |e| {
            out.push(e);
            true
        })
        .unwrap();
    out
}

/// The events without what differs by nature between the sources: id and extra fields.
fn comparable(mut evs: Vec<StoredEvent>) -> Vec<StoredEvent> {
    for e in &mut evs {
        e.id = 0;
        e.extra = None;
    }
    evs
}

fn deep_clean(case: &Case) {
    let r = retrace::ops::verify_deep::verify_deep(case, &NoProgress, &CancelToken::new()).unwrap();
    assert!(r.is_clean(), "{:#?}", r.problems);
}

// 2024-03-10T01:30:00.123456Z, 2024-07-01T12:00:00.5Z, 1999-12-31T23:59:59.000001Z, null.
const US: [i64; 3] = [
    1_710_034_200_123_456,
    1_719_835_200_500_000,
    946_684_799_000_001,
];
const TOKYO_US: i64 = 9 * 3600 * 1_000_000;

const TYPES_SCHEMA: &str = "message t {
    optional int64 ts_us (TIMESTAMP(MICROS,true));
    optional int64 ts_ms (TIMESTAMP(MILLIS,true));
    optional int64 ts_ns (TIMESTAMP(NANOS,true));
    optional int64 ts_local (TIMESTAMP(MICROS,false));
    optional int96 ts_96;
    optional int32 day (DATE);
    optional binary user (STRING);
    optional binary host (STRING);
    optional int64 n;
    optional group subjects (LIST) { repeated group list { optional binary element (STRING); } }
    optional group cats (LIST) { repeated group list { optional binary element (STRING); } }
}";

/// Rows `rows` (indexes into [`US`], `None` a null time) as one row group.
fn types_group(rows: &[Option<usize>]) -> Vec<Col> {
    let t = |f: &dyn Fn(i64) -> i64| {
        opt_i64(&rows.iter().map(|r| r.map(|i| f(US[i]))).collect::<Vec<_>>())
    };
    let defs: Vec<i16> = rows.iter().map(|r| i16::from(r.is_some())).collect();
    let users: Vec<String> = (0..rows.len()).map(|i| format!("user{i}")).collect();
    let subj: &[&[&str]] = &[&["U1001", "U1002"], &[], &["U1003"], &["U1004"]];
    let cats: &[&[&str]] = &[&["email"], &["email", "phone"], &[], &["phone"]];
    vec![
        t(&|us| us),
        t(&|us| us.div_euclid(1000)),
        t(&|us| us * 1000),
        t(&|us| us + TOKYO_US),
        Col {
            values: Values::I96(rows.iter().flatten().map(|i| int96(US[*i])).collect()),
            defs: Some(defs.clone()),
            reps: None,
        },
        Col {
            values: Values::I32(
                rows.iter()
                    .flatten()
                    .map(|i| US[*i].div_euclid(86_400_000_000) as i32)
                    .collect(),
            ),
            defs: Some(defs),
            reps: None,
        },
        opt_str(&users.iter().map(|u| Some(u.as_str())).collect::<Vec<_>>()),
        opt_str(&vec![Some("crm-db"); rows.len()]),
        opt_i64(
            &(0..rows.len())
                .map(|i| Some(i as i64 + 1))
                .collect::<Vec<_>>(),
        ),
        list_str(&subj[..rows.len()], 3),
        list_str(&cats[..rows.len()], 3),
    ]
}

/// The text each time column's values are in CSV: what the Parquet logical type means.
fn csv_time(column: &str, us: i64) -> String {
    let utc = |us: i64, digits: usize| {
        let dt = chrono::DateTime::from_timestamp_micros(us)
            .unwrap()
            .naive_utc();
        let f = match digits {
            3 => "%Y-%m-%dT%H:%M:%S%.3fZ",
            6 => "%Y-%m-%dT%H:%M:%S%.6fZ",
            _ => "%Y-%m-%dT%H:%M:%S%.9fZ",
        };
        dt.format(f).to_string()
    };
    match column {
        "ts_us" => utc(us, 6),
        // INT96 holds nanoseconds.
        "ts_96" | "ts_ns" => utc(us, 9),
        "ts_ms" => utc(us.div_euclid(1000) * 1000, 3),
        "ts_local" => utc(us + TOKYO_US, 6).trim_end_matches('Z').to_string(),
        "day" => chrono::DateTime::from_timestamp_micros(us)
            .unwrap()
            .date_naive()
            .to_string(),
        _ => unreachable!(),
    }
}

#[test]
fn parquet_logical_types_import_as_the_same_rows_in_csv_do() {
    let t = TestDir::new();
    let pq = t.path("types.parquet");
    // Two row groups: rows 1-2, then rows 3-4 (row 4's times are null: a reject).
    write_parquet(
        &pq,
        TYPES_SCHEMA,
        Compression::SNAPPY,
        vec![
            types_group(&[Some(0), Some(1)]),
            types_group(&[Some(2), None]),
        ],
    );
    let mut case = t.new_case();
    for column in ["ts_us", "ts_ms", "ts_ns", "ts_local", "ts_96", "day"] {
        let map = |time: &str| {
            profile(&format!(
                "[columns]\ntime = \"{time}\"\naccount = \"user\"\nsystem = \"host\"\nrecords = \"n\"\nsubjects = \"subjects\"\ncategories = \"cats\"\n"
            ))
        };
        let opts = util::options(None, Some("Asia/Tokyo"), Some(map(column)));
        let r = util::import_forced(&mut case, &pq, opts, true).unwrap();
        assert_eq!(
            r.plan.format,
            Format::Parquet,
            "detected by its magic bytes"
        );
        assert_eq!(
            (
                r.result.rows_read,
                r.result.rows_imported,
                r.result.rows_rejected
            ),
            (4, 3, 1),
            "{column}"
        );
        let rej = &r.rejects[0];
        assert_eq!(rej.line, 4, "{column}: the reject cites its row");
        assert!(rej.reason.contains("no timestamp"), "{}", rej.reason);
        // The same rows as CSV (rows 2 and 4 of the second group ordered as in the file).
        let mut csv = String::from("t,user,host,n,subjects,cats\n");
        let subj = ["U1001;U1002", "", "U1003", "U1004"];
        let cats = ["email", "email;phone", "", "phone"];
        for (i, us) in [Some(US[0]), Some(US[1]), Some(US[2]), None]
            .iter()
            .enumerate()
        {
            let time = us.map(|us| csv_time(column, us)).unwrap_or_default();
            // Users and the subjects restart in the second row group, as written above.
            let (u, k) = if i < 2 { (i, i) } else { (i - 2, i - 2) };
            csv.push_str(&format!(
                "{time},user{u},crm-db,{},{},{}\n",
                u + 1,
                subj[k],
                cats[k]
            ));
        }
        let csv_path = t.write(&format!("{column}.csv"), csv);
        let access = Some(retrace::model::roster::SourceKind::Access);
        let opts = util::options(access, Some("Asia/Tokyo"), Some(map("t")));
        let c = util::import_forced(&mut case, &csv_path, opts, true).unwrap();
        assert_eq!(c.result.rows_imported, 3, "{column}: {:?}", c.rejects);
        let (a, b) = (
            events(&case, r.result.source_id),
            events(&case, c.result.source_id),
        );
        // Line N of the CSV is its header plus row N-1: the Parquet row numbers are one less.
        let b: Vec<StoredEvent> = b
            .into_iter()
            .map(|mut e| {
                e.line -= 1;
                e.line_end -= 1;
                e
            })
            .collect();
        assert_eq!(comparable(a.clone()), comparable(b), "{column}");
        let expect: Vec<i64> = match column {
            "ts_ms" => US.iter().map(|u| u.div_euclid(1000) * 1000).collect(),
            "day" => US
                .iter()
                .map(|u| u.div_euclid(86_400_000_000) * 86_400_000_000 - TOKYO_US)
                .collect(),
            _ => US.to_vec(),
        };
        assert_eq!(
            a.iter().map(|e| e.ts_us).collect::<Vec<_>>(),
            expect,
            "{column}"
        );
        let groups: Vec<String> = a
            .iter()
            .map(|e| {
                let x: serde_json::Value =
                    serde_json::from_str(e.extra.as_deref().unwrap()).unwrap();
                x["_parquet_row_group"].to_string()
            })
            .collect();
        assert_eq!(groups, ["0", "0", "1"], "{column}");
    }
    deep_clean(&case);
}

const ATHENA_SCHEMA: &str = "message hive_schema {
    optional binary eventversion (STRING);
    optional group useridentity {
        optional binary type (STRING);
        optional binary principalid (STRING);
        optional binary arn (STRING);
        optional binary accountid (STRING);
        optional binary username (STRING);
    }
    optional binary eventtime (STRING);
    optional binary eventsource (STRING);
    optional binary eventname (STRING);
    optional binary awsregion (STRING);
    optional binary sourceipaddress (STRING);
    optional binary useragent (STRING);
    optional binary errorcode (STRING);
    optional binary requestparameters (STRING);
    optional group resources (LIST) {
        repeated group bag {
            optional group array_element { optional binary arn (STRING); optional binary accountid (STRING); optional binary type (STRING); }
        }
    }
    optional binary requestid (STRING);
}";

/// An Athena `UNLOAD (SELECT * FROM cloudtrail_logs) ... WITH (format = 'PARQUET')` file:
/// GZIP, Hive's lower-case column names, `bag`/`array_element` list levels.
fn athena_file(path: &Path) {
    let rows = 3;
    let s = |v: &[&str]| nested_str(v, 1);
    let u = |v: &[&str]| nested_str(v, 2);
    write_parquet(
        path,
        ATHENA_SCHEMA,
        Compression::GZIP(GzipLevel::default()),
        vec![vec![
            s(&["1.08"; 3]),
            u(&["IAMUser"; 3]),
            u(&["AIDAEXAMPLE1", "AIDAEXAMPLE2", "AIDAEXAMPLE1"]),
            u(&[
                "arn:aws:iam::111122223333:user/alice",
                "arn:aws:iam::111122223333:user/bob",
                "arn:aws:iam::111122223333:user/alice",
            ]),
            u(&["111122223333"; 3]),
            u(&["alice", "bob", "alice"]),
            s(&[
                "2024-05-01T09:00:00Z",
                "2024-05-01T09:05:30Z",
                "2024-05-02T23:59:59Z",
            ]),
            s(&[
                "s3.amazonaws.com",
                "dynamodb.amazonaws.com",
                "s3.amazonaws.com",
            ]),
            s(&["GetObject", "Scan", "GetObject"]),
            s(&["ap-northeast-1"; 3]),
            s(&["203.0.113.7", "198.51.100.9", "203.0.113.7"]),
            s(&["aws-cli/2.15"; 3]),
            opt_str(&[None, Some("AccessDenied"), None]),
            s(&[
                r#"{"bucketName":"members","key":"export.csv"}"#,
                r#"{"tableName":"customers"}"#,
                r#"{"bucketName":"members","key":"2.csv"}"#,
            ]),
            list_str(
                &[
                    &["arn:aws:s3:::members/export.csv", "arn:aws:s3:::members"],
                    &["arn:aws:dynamodb:ap-northeast-1:111122223333:table/customers"],
                    &[],
                ],
                4,
            ),
            list_str(
                &[&["111122223333", "111122223333"], &["111122223333"], &[]],
                4,
            ),
            list_str(
                &[
                    &["AWS::S3::Object", "AWS::S3::Bucket"],
                    &["AWS::DynamoDB::Table"],
                    &[],
                ],
                4,
            ),
            s(&["R1", "R2", "R3"]),
        ]],
    );
    assert_eq!(rows, 3);
}

fn recipe_profile(name: &str) -> Profile {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("profiles")
        .join(name);
    Profile::load(&p).unwrap()
}

#[test]
fn athena_cloudtrail_unload_imports_with_its_recipe_profile() {
    let t = TestDir::new();
    let pq = t.path("athena/20240501_000000_00012_abcde_1f2e3d4c.parquet");
    athena_file(&pq);
    let mut case = t.new_case();
    let opts = util::options(
        None,
        None,
        Some(recipe_profile("athena-cloudtrail.profile.toml")),
    );
    let r = util::import(&mut case, &pq, opts).unwrap();
    assert_eq!(
        (
            r.result.rows_read,
            r.result.rows_imported,
            r.result.rows_rejected
        ),
        (3, 3, 0)
    );
    let ev = events(&case, r.result.source_id);
    assert_eq!(
        ev[0].account.as_deref(),
        Some("arn:aws:iam::111122223333:user/alice")
    );
    assert_eq!(ev[0].system.as_deref(), Some("s3.amazonaws.com"));
    assert_eq!(ev[0].action.as_deref(), Some("GetObject"));
    assert_eq!(ev[0].src_ip.as_deref(), Some("203.0.113.7"));
    assert_eq!(
        ev[0].object.as_deref(),
        Some("arn:aws:s3:::members/export.csv;arn:aws:s3:::members"),
        "a list of structs by one of its fields"
    );
    assert_eq!(
        ev[1].outcome.as_ref().map(|o| o.as_str()),
        Some("AccessDenied")
    );
    let extra: serde_json::Value = serde_json::from_str(ev[0].extra.as_deref().unwrap()).unwrap();
    assert_eq!(
        extra["useridentity.username"], "alice",
        "unmapped nested fields are kept"
    );
    deep_clean(&case);
}

const BIGQUERY_SCHEMA: &str = "message schema {
    optional binary logName (STRING);
    optional group resource { optional binary type (STRING); }
    optional group protopayload_auditlog {
        optional binary serviceName (STRING);
        optional binary methodName (STRING);
        optional binary resourceName (STRING);
        optional group authenticationInfo { optional binary principalEmail (STRING); }
        optional group requestMetadata { optional binary callerIp (STRING); optional binary callerSuppliedUserAgent (STRING); }
        optional group status { optional int64 code; optional binary message (STRING); }
    }
    optional int64 timestamp (TIMESTAMP(MICROS,true));
    optional int64 receiveTimestamp (TIMESTAMP(MICROS,true));
    optional binary severity (STRING);
    optional binary insertId (STRING);
}";

/// A BigQuery `EXPORT DATA OPTIONS(format='PARQUET') AS SELECT * FROM
/// cloudaudit_googleapis_com_data_access` file: SNAPPY, TIMESTAMP as micros adjusted to UTC.
fn bigquery_file(path: &Path, with_null_time: bool) {
    let n = |v: &[&str], d| nested_str(v, d);
    let mut ts: Vec<Option<i64>> = vec![Some(1_714_554_000_000_000), Some(1_714_554_061_250_000)];
    if with_null_time {
        ts[1] = None;
    }
    write_parquet(
        path,
        BIGQUERY_SCHEMA,
        Compression::SNAPPY,
        vec![vec![
            n(
                &["projects/p/logs/cloudaudit.googleapis.com%2Fdata_access"; 2],
                1,
            ),
            n(&["bigquery_dataset"; 2], 2),
            n(&["bigquery.googleapis.com"; 2], 2),
            n(
                &[
                    "jobservice.jobcompleted",
                    "google.cloud.bigquery.v2.TableDataService.List",
                ],
                2,
            ),
            n(&["projects/p/datasets/crm/tables/customers"; 2], 2),
            n(&["mei@example.com", "ops@example.com"], 3),
            n(&["198.51.100.20", "203.0.113.99"], 3),
            n(&["bq-cli"; 2], 3),
            Col {
                values: Values::I64(vec![7]),
                defs: Some(vec![2, 3]),
                reps: None,
            },
            Col {
                values: Values::Str(vec!["PERMISSION_DENIED".into()]),
                defs: Some(vec![2, 3]),
                reps: None,
            },
            opt_i64(&ts),
            opt_i64(&[Some(1_714_554_001_000_000), Some(1_714_554_062_000_000)]),
            n(&["INFO", "ERROR"], 1),
            n(&["i1", "i2"], 1),
        ]],
    );
}

#[test]
fn bigquery_audit_log_export_imports_with_its_recipe_profile() {
    let t = TestDir::new();
    let pq = t.path("000000000000.parquet");
    bigquery_file(&pq, false);
    let mut case = t.new_case();
    let opts = util::options(
        None,
        None,
        Some(recipe_profile("bigquery-audit.profile.toml")),
    );
    let r = util::import(&mut case, &pq, opts).unwrap();
    assert_eq!(
        (
            r.result.rows_read,
            r.result.rows_imported,
            r.result.rows_rejected
        ),
        (2, 2, 0)
    );
    let ev = events(&case, r.result.source_id);
    assert_eq!(ev[0].ts_us, 1_714_554_000_000_000);
    assert_eq!(ev[1].raw_ts, "2024-05-01T09:01:01.250000Z");
    assert_eq!(ev[0].account.as_deref(), Some("mei@example.com"));
    assert_eq!(ev[1].src_ip.as_deref(), Some("203.0.113.99"));
    assert_eq!(ev[0].system.as_deref(), Some("bigquery.googleapis.com"));
    assert_eq!(
        ev[1].action.as_deref(),
        Some("google.cloud.bigquery.v2.TableDataService.List")
    );
    assert_eq!(
        ev[0].object.as_deref(),
        Some("projects/p/datasets/crm/tables/customers")
    );
    // A null timestamp is a reject with its reason; every row read is imported or rejected.
    let pq2 = t.path("000000000001.parquet");
    bigquery_file(&pq2, true);
    let opts = util::options(
        None,
        None,
        Some(recipe_profile("bigquery-audit.profile.toml")),
    );
    let r = util::import(&mut case, &pq2, opts).unwrap();
    assert_eq!(
        (
            r.result.rows_read,
            r.result.rows_imported,
            r.result.rows_rejected
        ),
        (2, 1, 1)
    );
    assert_eq!(r.rejects[0].line, 2);
    deep_clean(&case);
}

const SPARK_SCHEMA: &str = "message spark_schema {
    optional int96 event_time;
    optional binary user (STRING);
    optional binary action (STRING);
    optional binary table (STRING);
    optional group subject_ids (LIST) { repeated group list { optional binary element (STRING); } }
    optional int64 rows_read;
}";

/// `df.write.partitionBy("year","month").parquet(out)`: `year=2024/month=1/part-....snappy.parquet`
/// (INT96 times, the partition columns only in the directory names), plus `_SUCCESS`.
fn spark_dir(root: &Path) -> Vec<PathBuf> {
    let parts = [
        ("year=2024/month=1", 1_704_100_000_000_000i64, 2usize),
        ("year=2024/month=2", 1_706_800_000_000_000, 1),
    ];
    let mut files = Vec::new();
    for (k, (dir, base, n)) in parts.iter().enumerate() {
        let p = root.join(dir).join(format!(
            "part-0000{k}-5a1b2c3d-0000-4e6f-8a9b-0c1d2e3f4a5b.c000.snappy.parquet"
        ));
        let subj: Vec<&[&str]> = [&["U2001", "U2002"][..], &["U2003"][..]][..*n].to_vec();
        write_parquet(
            &p,
            SPARK_SCHEMA,
            Compression::SNAPPY,
            vec![vec![
                Col {
                    values: Values::I96(
                        (0..*n as i64)
                            .map(|i| int96(base + i * 1_000_001))
                            .collect(),
                    ),
                    defs: Some(vec![1; *n]),
                    reps: None,
                },
                opt_str(&vec![Some("etl-svc"); *n]),
                opt_str(&vec![Some("SELECT"); *n]),
                opt_str(&vec![Some("members"); *n]),
                list_str(&subj, 3),
                opt_i64(&vec![Some(2); *n]),
            ]],
        );
        files.push(p);
    }
    std::fs::write(root.join("_SUCCESS"), "").unwrap();
    files
}

#[test]
fn spark_partitioned_directory_imports_with_its_recipe_profile() {
    let t = TestDir::new();
    let root = t.path("spark-out");
    spark_dir(&root);
    let mut case = t.new_case();
    let req = retrace::ops::ImportRequest {
        path: root.clone(),
        options: util::options(None, None, Some(recipe_profile("spark.profile.toml"))),
        force: false,
        imported_by: "tester".into(),
    };
    struct W;
    impl retrace::ops::ImportWatch for W {
        fn start(&mut self, _: &retrace::ops::ImportRequest) -> &dyn retrace::jobs::ProgressSink {
            &NoProgress
        }
    }
    let done = retrace::ops::import_files(&mut case, [req], &mut W, &CancelToken::new());
    assert_eq!(done.len(), 2, "one source per file; _SUCCESS skipped");
    let mut all = Vec::new();
    for f in done {
        let r = f.result.unwrap();
        assert_eq!(
            r.result.rows_read,
            r.result.rows_imported + r.result.rows_rejected
        );
        assert_eq!(r.result.rows_rejected, 0);
        all.push((r.plan.file_name.clone(), events(&case, r.result.source_id)));
    }
    assert!(
        all[0].0.starts_with("year=2024/month=1/part-00000"),
        "{}",
        all[0].0
    );
    assert_eq!(all[0].1.len() + all[1].1.len(), 3);
    let e = &all[0].1[1];
    assert_eq!(e.ts_us, 1_704_100_001_000_001, "INT96 keeps microseconds");
    assert_eq!(e.raw_ts, "2024-01-01T09:06:41.000001000Z");
    assert_eq!(e.account.as_deref(), Some("etl-svc"));
    assert_eq!(e.records, Some(2));
    assert_eq!(all[0].1[0].subjects, ["U2001", "U2002"]);
    // The partition values are columns: the recipe maps `month` to the ticket.
    assert_eq!(all[1].1[0].ticket.as_deref(), Some("2"));
    let extra: serde_json::Value = serde_json::from_str(e.extra.as_deref().unwrap()).unwrap();
    assert_eq!(extra["year"], "2024");
    deep_clean(&case);
}

#[test]
fn a_partition_value_can_be_mapped_like_any_column() {
    let t = TestDir::new();
    let p = t.path("lake/system=crm-db/day=2024-05-01/part-0.parquet");
    write_parquet(
        &p,
        "message m { optional binary t (STRING); optional binary who (STRING); }",
        Compression::ZSTD(ZstdLevel::default()),
        vec![vec![
            opt_str(&[Some("2024-05-01T10:00:00+09:00"), Some("not a time")]),
            opt_str(&[Some("alice"), Some("bob")]),
        ]],
    );
    let mut case = t.new_case();
    let opts = util::options(
        None,
        None,
        Some(profile(
            "[columns]\ntime = \"t\"\naccount = \"who\"\nsystem = \"system\"\n",
        )),
    );
    let r = util::import(&mut case, &p, opts).unwrap();
    assert_eq!(
        r.plan.file_name,
        "system=crm-db/day=2024-05-01/part-0.parquet"
    );
    assert_eq!(
        (
            r.result.rows_read,
            r.result.rows_imported,
            r.result.rows_rejected
        ),
        (2, 1, 1)
    );
    assert!(
        r.rejects[0].reason.contains("not a time"),
        "{}",
        r.rejects[0].reason
    );
    let ev = events(&case, r.result.source_id);
    assert_eq!(ev[0].system.as_deref(), Some("crm-db"));
    deep_clean(&case);
    // The event detail names the row and its row group.
    let d = retrace::ingest::event_detail(&case, ev[0].id)
        .unwrap()
        .unwrap();
    assert!(d.raw_text.contains("Parquet row 1"), "{}", d.raw_text);
    assert!(d.raw_text.contains("row group 0"), "{}", d.raw_text);
}

#[test]
fn deep_verify_names_a_changed_parquet_event() {
    let t = TestDir::new();
    let pq = t.path("000000000000.parquet");
    bigquery_file(&pq, false);
    let case_path = t.path("case.retrace");
    let mut case = Case::create(&case_path, "t").unwrap();
    let opts = util::options(
        None,
        None,
        Some(recipe_profile("bigquery-audit.profile.toml")),
    );
    util::import(&mut case, &pq, opts).unwrap();
    drop(case);
    let conn = rusqlite::Connection::open(&case_path).unwrap();
    conn.execute(
        "UPDATE event SET records = 99 WHERE id = (SELECT min(id) FROM event)",
        [],
    )
    .unwrap();
    drop(conn);
    let case = Case::open(&case_path).unwrap();
    let r =
        retrace::ops::verify_deep::verify_deep(&case, &NoProgress, &CancelToken::new()).unwrap();
    assert!(
        r.problems
            .iter()
            .any(|p| p.what.contains("000000000000.parquet, line 1")
                && p.why.contains("records differs")),
        "{:#?}",
        r.problems
    );
}

#[test]
fn a_damaged_parquet_file_is_refused_with_its_reason() {
    let t = TestDir::new();
    let p = t.write("cut.parquet", b"PAR1\x15\x04garbage-not-a-footer");
    let mut case = t.new_case();
    let opts = util::options(None, None, Some(profile("[columns]\ntime = \"t\"\n")));
    let e = util::import(&mut case, &p, opts).unwrap_err();
    assert!(
        format!("{e:#}").contains("not a readable Parquet file"),
        "{e:#}"
    );
}
