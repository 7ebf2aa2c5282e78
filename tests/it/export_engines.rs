//! Exports to the team's engines: Timesketch JSON Lines (the fields Timesketch requires on
//! every line, read back through Retrace's own `timesketch-jsonl` reader with every event) and
//! Parquet (typed columns, read back with the `parquet` crate and through Retrace's reader).

use std::path::Path;

use parquet::basic::{LogicalType, TimeUnit};
use parquet::file::reader::{FileReader, SerializedFileReader};
use retrace::case::Case;
use retrace::ingest::{Format, Profile};
use retrace::jobs::{CancelToken, NoProgress};
use retrace::ops::export::{
    self, ExportFormat, ExportRequest, ExportScope, Lang, RedactionMode, ReportLayout,
};

use crate::util::{self, TestDir};

fn request(format: ExportFormat, out: &Path, redaction: RedactionMode) -> ExportRequest {
    ExportRequest {
        scope: ExportScope::Case,
        format,
        bom: false,
        redaction,
        zone: "Asia/Tokyo".into(),
        lang: Lang::En,
        headers: Lang::En,
        layout: ReportLayout::Ppc,
        out_dir: out.to_path_buf(),
        investigator: "tester".into(),
    }
}

fn all_events(case: &Case) -> Vec<retrace::case::StoredEvent> {
    let mut out = Vec::new();
    for s in case.sources().list().unwrap() {
        if s.kind == "access" {
            case.sources()
                .for_each_stored_event(&s, &mut |e| {
                    out.push(e);
                    true
                })
                .unwrap();
        }
    }
    out
}

#[test]
fn timesketch_export_has_the_required_fields_on_every_line_and_imports_back_with_every_event() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    let custody_before = case.custody().custody_entries().unwrap().len();
    let out = t.path("ts");
    let o = export::run_export(
        &mut case,
        &request(ExportFormat::Timesketch, &out, RedactionMode::Mask),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    let originals = all_events(&case);
    assert_eq!(o.rows, originals.len() as u64);
    assert_eq!(o.files[0].name, "events.timesketch.jsonl");
    assert_eq!(
        case.custody().custody_entries().unwrap().len(),
        custody_before + 1
    );
    assert!(export::verify_export(&out).unwrap().is_clean());
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], "timesketch");
    assert_eq!(manifest["redaction"]["mode"], "mask");

    let file = out.join("events.timesketch.jsonl");
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len() as u64, o.rows);
    let mut with_person = 0;
    for (i, l) in lines.iter().enumerate() {
        for k in ["message", "timestamp_desc", "datetime"] {
            assert!(
                l[k].as_str().is_some_and(|s| !s.is_empty()),
                "line {}: {k} missing in {l}",
                i + 1
            );
        }
        chrono::DateTime::parse_from_rfc3339(l["datetime"].as_str().unwrap())
            .unwrap_or_else(|e| panic!("line {}: datetime is not ISO 8601: {e}", i + 1));
        for k in [
            "person",
            "organization",
            "system",
            "storage_country",
            "categories",
            "source_file",
        ] {
            assert!(l[k].is_string(), "line {}: {k} missing in {l}", i + 1);
        }
        for k in ["subjects_count", "source_line", "event_id"] {
            assert!(l[k].is_u64(), "line {}: {k} missing in {l}", i + 1);
        }
        assert!(
            l.get("subjects").is_none(),
            "no subject identifiers leave the case"
        );
        if !l["person"].as_str().unwrap().is_empty() {
            with_person += 1;
        }
    }
    assert!(with_person > 0, "the persons of the roster are named");

    // Retrace's own Timesketch reader takes it back: every event, time, account, system and
    // action as exported.
    let mut back = Case::create(&t.path("back.retrace"), "back").unwrap();
    let r = util::import(&mut back, &file, util::options(None, None, None)).unwrap();
    assert_eq!(r.plan.format, Format::TimesketchJsonl);
    assert_eq!(
        (
            r.result.rows_read,
            r.result.rows_imported,
            r.result.rows_rejected
        ),
        (o.rows, o.rows, 0)
    );
    let imported = all_events(&back);
    let by_id: std::collections::HashMap<i64, &retrace::case::StoredEvent> =
        originals.iter().map(|e| (e.id, e)).collect();
    for (l, e) in lines.iter().zip(&imported) {
        let orig = by_id[&l["event_id"].as_i64().unwrap()];
        assert_eq!(e.ts_us, orig.ts_us, "{l}");
        assert_eq!(e.account, orig.account, "{l}");
        let none_if_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
        assert_eq!(
            e.system,
            none_if_empty(l["system"].as_str().unwrap()),
            "{l}"
        );
        assert_eq!(e.action, orig.action, "{l}");
    }
}

#[test]
fn parquet_export_writes_typed_columns_and_reads_back_with_every_event() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    let out = t.path("pq");
    let o = export::run_export(
        &mut case,
        &request(ExportFormat::Parquet, &out, RedactionMode::Keep),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    assert!(export::verify_export(&out).unwrap().is_clean());
    let file = out.join("events.parquet");
    let reader = SerializedFileReader::new(std::fs::File::open(&file).unwrap()).unwrap();
    let meta = reader.metadata();
    assert_eq!(meta.file_metadata().num_rows() as u64, o.rows);
    let schema = meta.file_metadata().schema_descr();
    let col = |name: &str| {
        (0..schema.num_columns())
            .map(|i| schema.column(i))
            .find(|c| c.path().string() == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    assert_eq!(
        col("time_utc").logical_type_ref(),
        Some(&LogicalType::Timestamp(parquet::basic::TimestampType {
            is_adjusted_to_u_t_c: true,
            unit: TimeUnit::MICROS,
        }))
    );
    assert_eq!(col("event_id").physical_type(), parquet::basic::Type::INT64);
    assert_eq!(col("records").physical_type(), parquet::basic::Type::INT64);
    assert_eq!(col("categories.list.element").max_rep_level(), 1);
    assert_eq!(col("subjects.list.element").max_rep_level(), 1);

    // Read back through Retrace's own Parquet reader: every event, at the same instant, with
    // the same account, subjects and categories.
    let profile: Profile = toml::from_str(
        "[columns]\ntime = \"time_utc\"\naccount = \"account\"\nsystem = \"system\"\naction = \"action\"\nobject = \"object\"\nsubjects = \"subjects\"\ncategories = \"categories\"\nrecords = \"records\"\noutcome = \"outcome\"\n",
    )
    .unwrap();
    let mut back = Case::create(&t.path("back.retrace"), "back").unwrap();
    let r = util::import(&mut back, &file, util::options(None, None, Some(profile))).unwrap();
    assert_eq!(
        (
            r.result.rows_read,
            r.result.rows_imported,
            r.result.rows_rejected
        ),
        (o.rows, o.rows, 0)
    );
    let key = |c: &Case| {
        let vocab = c.vocabulary().unwrap();
        all_events(c)
            .into_iter()
            .map(|e| {
                let cats = vocab
                    .names(retrace::model::CategorySet(e.categories as u64))
                    .join(";");
                (e.ts_us, e.account, e.action, e.subjects, cats, e.records)
            })
            .collect::<Vec<_>>()
    };
    let (mut a, mut b) = (key(&case), key(&back));
    a.sort();
    b.sort();
    assert_eq!(a.len(), b.len());
    assert_eq!(a, b);
}
