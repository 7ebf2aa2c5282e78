//! Exports: the events of a scope (whole case, the current view, persons, data subjects, a
//! finding's evidence) as CSV or JSON Lines, or the regulator report as one HTML file, with
//! redaction, a manifest that hashes every file, and an entry in the case's custody log.
//!
//! Order of work, so that a killed export never leaves a manifest claiming a partial file:
//! the data files are written and synced first; then the custody entry (naming the files and
//! their hashes) is appended; the manifest is written last, to a temporary name, synced and
//! renamed into place. `verify_export` re-hashes every file the manifest lists.

pub mod bench;
mod manifest;
mod parquet;
mod reader;
pub mod redact;
pub mod rows;
pub mod settings;
pub mod signature;
mod timesketch;
mod untrusted;

use std::fs::File;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};

pub use manifest::{
    MANIFEST_NAME, Manifest, ManifestFile, ManifestSource, VerifyExportReport, verify_export,
    verify_export_trusting,
};
pub use redact::{RedactionMode, Redactor};

use crate::case::{Case, EventSelection, FilterTerm};
use crate::jobs::{CancelToken, ProgressSink};
use crate::model::time::parse_zone;

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportScope {
    /// Every event.
    Case,
    /// A time range `[from_us, to_us)` and the timeline's filter terms.
    View {
        from_us: i64,
        to_us: i64,
        filter: Vec<FilterTerm>,
    },
    /// The events of persons (roster ids, `P13`).
    Persons(Vec<String>),
    /// The events that touched data subjects (identifiers as given: id, phone, e-mail).
    Subjects(Vec<String>),
    /// These events, e.g. a finding's evidence; `label` names where the list came from.
    Events { label: String, ids: Vec<i64> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Jsonl,
    Report,
    /// JSON Lines as Timesketch imports them (`message`, `datetime`, `timestamp_desc`).
    Timesketch,
    /// Apache Parquet with typed columns, for the data lake.
    Parquet,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 5] = [
        ExportFormat::Csv,
        ExportFormat::Jsonl,
        ExportFormat::Report,
        ExportFormat::Timesketch,
        ExportFormat::Parquet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Report => "report",
            ExportFormat::Timesketch => "timesketch",
            ExportFormat::Parquet => "parquet",
        }
    }

    pub fn parse(s: &str) -> Option<ExportFormat> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Some(ExportFormat::Csv),
            "jsonl" | "json-lines" | "ndjson" => Some(ExportFormat::Jsonl),
            "report" | "html" => Some(ExportFormat::Report),
            "timesketch" | "timesketch-jsonl" => Some(ExportFormat::Timesketch),
            "parquet" => Some(ExportFormat::Parquet),
            _ => None,
        }
    }
}

/// Report language: the app's languages.
pub use crate::i18n::Lang;

/// Report layout: the items of a breach report to Japan's PPC, or GDPR Art. 33.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ReportLayout {
    #[default]
    Ppc,
    Gdpr,
}

/// One export.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportRequest {
    pub scope: ExportScope,
    pub format: ExportFormat,
    /// CSV only: start with a UTF-8 BOM (Excel in Japan then reads UTF-8).
    pub bom: bool,
    pub redaction: RedactionMode,
    /// IANA display zone; every row also has its UTC time.
    pub zone: String,
    pub lang: Lang,
    /// CSV only: the language of the column headers (English names by default; Japanese
    /// ones with `--headers ja`, see `rows::csv_header_in`).
    #[serde(default)]
    pub headers: Lang,
    pub layout: ReportLayout,
    /// Created if absent; must hold no earlier export.
    pub out_dir: PathBuf,
    pub investigator: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportOutcome {
    pub dir: PathBuf,
    pub rows: u64,
    pub files: Vec<ManifestFile>,
    pub manifest: PathBuf,
    /// The custody entry that records this export.
    pub custody_hash: String,
    pub unresolved_subjects: Vec<String>,
    pub secs: f64,
}

/// The columns whose personal data the redaction applies to.
pub const REDACTED_COLUMNS: &[&str] = &[
    "subjects (subject identifiers: user ids, phone numbers, e-mail addresses)",
    "object (e-mail addresses and phone numbers in it; the whole text when the event carries message_text)",
];

/// The event selection of a scope, and identifiers of a subject scope that the case does not know.
pub fn resolve_scope(case: &Case, scope: &ExportScope) -> Result<(EventSelection, Vec<String>)> {
    Ok(match scope {
        ExportScope::Case => (EventSelection::All, vec![]),
        ExportScope::View {
            from_us,
            to_us,
            filter,
        } => {
            if to_us <= from_us {
                bail!("the view's time range is empty ({from_us} .. {to_us} µs)");
            }
            (
                EventSelection::Range {
                    from_us: *from_us,
                    to_us: *to_us,
                    filter: filter.clone(),
                },
                vec![],
            )
        }
        ExportScope::Persons(keys) => {
            if keys.is_empty() {
                bail!("no person given for a person export");
            }
            let known: Vec<String> = case
                .people()
                .persons()?
                .into_iter()
                .map(|p| p.key)
                .collect();
            for k in keys {
                if !known.contains(k) {
                    bail!("no person {k:?} in this case (give a roster id such as P13)");
                }
            }
            (EventSelection::Persons(keys.clone()), vec![])
        }
        ExportScope::Subjects(ids) => {
            if ids.is_empty() {
                bail!("no identifier given for a subject-list export");
            }
            let mut found = Vec::new();
            let mut unresolved = Vec::new();
            for raw in ids {
                let hit = match crate::model::subject::normalize(raw) {
                    Some((k, _)) => case.subjects().subject_by_key(&k)?,
                    None => None,
                };
                match hit {
                    Some((s, _)) => found.push(s.id),
                    None => unresolved.push(raw.clone()),
                }
            }
            found.sort_unstable();
            found.dedup();
            (EventSelection::Subjects(found), unresolved)
        }
        ExportScope::Events { ids, .. } => (EventSelection::Events(ids.clone()), vec![]),
    })
}

/// A sink adapter that also checks cancellation.
fn tick(progress: &dyn ProgressSink, cancel: &CancelToken, done: u64, total: u64) -> bool {
    progress.report("export", done, total);
    cancel.is_cancelled()
}

/// Runs one export into `req.out_dir`. The case must be open for writing: the export is
/// recorded in its custody log.
pub fn run_export(
    case: &mut Case,
    req: &ExportRequest,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<ExportOutcome> {
    let started = std::time::Instant::now();
    if case.is_read_only() {
        bail!(
            "{}: opened for review (read-only); an export is recorded in the case's custody log, which is a write. Open the case normally to export",
            case.path().display()
        );
    }
    // The export ends with a custody entry (a write): a damaged case is refused before the
    // folder is written, not after.
    case.check_for_changes()?;
    let zone = parse_zone(&req.zone).map_err(|e| anyhow!("display zone: {e}"))?;
    prepare_dir(&req.out_dir)?;
    let (selection, unresolved) = resolve_scope(case, &req.scope)?;
    let total = case.export().selection_count(&selection)?;
    let key = case.meta("pseudonym_key")?;
    let redactor = Redactor::new(req.redaction, key.as_deref()).map_err(anyhow::Error::msg)?;

    let (name, rows, sha256, bytes) = write_output(
        case, req, &selection, zone, &redactor, total, progress, cancel,
    )?;
    if cancel.is_cancelled() {
        let _ = std::fs::remove_file(req.out_dir.join(name));
        bail!("export cancelled; the partial file was removed");
    }
    let files = vec![ManifestFile {
        name: name.to_string(),
        bytes,
        sha256,
        rows: Some(rows),
    }];
    let created_us = crate::model::time::now_us();
    let scope_json = scope_description(case, &req.scope, &unresolved)?;
    case.writes().append_custody(
        &req.investigator,
        "export",
        &serde_json::json!({
            "dir_name": req.out_dir.file_name().map(|n| n.to_string_lossy().into_owned()),
            "format": req.format.as_str(),
            "scope": scope_json,
            "redaction": req.redaction.as_str(),
            "zone": req.zone,
            "rows": rows,
            "files": files,
        }),
    )?;
    let (head, entries) = case.custody().custody_head()?;
    let head_entry = case.custody().custody_last()?;
    let manifest = build_manifest(
        case,
        req,
        ManifestParts {
            created_us,
            scope: scope_json,
            rows,
            files: files.clone(),
            head: head.clone(),
            entries,
            head_entry,
        },
    )?;
    let manifest_path = manifest::write_atomically(&req.out_dir, &manifest)?;
    signature::sign_manifest(&req.out_dir)?;
    Ok(ExportOutcome {
        dir: req.out_dir.clone(),
        rows,
        files,
        manifest: manifest_path,
        custody_hash: head,
        unresolved_subjects: unresolved,
        secs: started.elapsed().as_secs_f64(),
    })
}

/// Writes the export's one file (events or the report) into the out directory: its name,
/// rows, SHA-256 and size. A failed events file is removed.
#[allow(clippy::too_many_arguments)]
fn write_output(
    case: &mut Case,
    req: &ExportRequest,
    selection: &EventSelection,
    zone: chrono_tz::Tz,
    redactor: &Redactor,
    total: u64,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<(&'static str, u64, String, u64)> {
    Ok(match req.format {
        ExportFormat::Csv
        | ExportFormat::Jsonl
        | ExportFormat::Timesketch
        | ExportFormat::Parquet => {
            let name = match req.format {
                ExportFormat::Csv => "events.csv",
                ExportFormat::Timesketch => "events.timesketch.jsonl",
                ExportFormat::Parquet => "events.parquet",
                _ => "events.jsonl",
            };
            let path = req.out_dir.join(name);
            let written = write_rows(
                case, selection, req, zone, redactor, &path, total, progress, cancel,
            );
            match written {
                Ok((rows, sha, bytes)) => (name, rows, sha, bytes),
                Err(e) => {
                    let _ = std::fs::remove_file(&path);
                    return Err(e);
                }
            }
        }
        ExportFormat::Report => {
            let name = "report.html";
            let path = req.out_dir.join(name);
            let opts = crate::ops::report::ReportOptions {
                lang: req.lang,
                layout: req.layout,
                zone: req.zone.clone(),
                redaction: req.redaction,
                scope: req.scope.clone(),
                investigator: req.investigator.clone(),
            };
            let built = crate::ops::report::build_report(
                case, selection, &opts, redactor, progress, cancel,
            )?;
            let html = built.html;
            std::fs::write(&path, html.as_bytes())
                .with_context(|| format!("{}: cannot write the report", path.display()))?;
            File::open(&path).and_then(|f| f.sync_all()).ok();
            let sha = crate::case::hex(&<sha2::Sha256 as sha2::Digest>::digest(html.as_bytes()));
            (name, built.rows, sha, html.len() as u64)
        }
    })
}

/// What the manifest records besides the request and the case: when, what was written,
/// and the custody head the export's own entry made.
struct ManifestParts {
    created_us: i64,
    scope: serde_json::Value,
    rows: u64,
    files: Vec<ManifestFile>,
    head: String,
    entries: i64,
    head_entry: Option<crate::case::CustodyEntry>,
}

/// The export's manifest: tool, case identity, scope, redaction, files and sources.
fn build_manifest(case: &Case, req: &ExportRequest, p: ManifestParts) -> Result<Manifest> {
    Ok(Manifest {
        retrace_export_manifest: 1,
        tool: format!("retrace {}", env!("CARGO_PKG_VERSION")),
        created_utc: crate::model::time::format_utc(p.created_us),
        investigator: req.investigator.clone(),
        case: manifest::CaseIdentity {
            file_name: case
                .path()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            case_id: case.meta("case_id")?.unwrap_or_default(),
            title: case.meta("title")?.unwrap_or_default(),
            custody_head_hash: p.head,
            custody_entries: p.entries,
        },
        scope: p.scope,
        format: req.format.as_str().to_string(),
        csv_bom: req.format == ExportFormat::Csv && req.bom,
        display_zone: req.zone.clone(),
        language: (req.format == ExportFormat::Report).then(|| req.lang.as_str().to_string()),
        csv_headers: (req.format == ExportFormat::Csv && req.headers != Lang::En)
            .then(|| req.headers.as_str().to_string()),
        redaction: manifest::RedactionNote {
            mode: req.redaction.as_str().to_string(),
            columns: REDACTED_COLUMNS.iter().map(|s| (*s).to_string()).collect(),
            method: match req.redaction {
                RedactionMode::Keep => "none: values as stored".into(),
                RedactionMode::Mask => "mask: phone 090-****-1234, e-mail t***@example.com, id U********5678, message text withheld".into(),
                RedactionMode::Pseudonymise => "pseudonymise: ps_ + first 16 hex digits of HMAC-SHA256(case meta pseudonym_key, normalized identifier); the key is not exported".into(),
            },
        },
        rows: p.rows,
        files: p.files,
        custody_head: p.head_entry.as_ref().map(signature::CustodyHead::of),
        sources: case
            .sources().list()?
            .into_iter()
            .map(|s| ManifestSource {
                id: s.id,
                file_name: s.file_name,
                sha256: s.sha256,
                kind: s.kind,
                format: s.format,
                zone: s.zone,
            })
            .collect(),
    })
}

/// The out directory is created if absent; one that holds an earlier export (a manifest) or
/// any other file is refused, so a manifest never sits beside files it does not describe.
fn prepare_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{}: exists and is not a directory", dir.display());
        }
        let mut entries = std::fs::read_dir(dir)
            .with_context(|| format!("{}: cannot read the directory", dir.display()))?;
        if let Some(first) = entries.next() {
            let first = first?;
            bail!(
                "{}: not empty (holds {}); export into a new or empty directory",
                dir.display(),
                first.file_name().to_string_lossy()
            );
        }
    } else {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create the directory", dir.display()))?;
    }
    Ok(())
}

fn scope_description(
    case: &Case,
    scope: &ExportScope,
    unresolved: &[String],
) -> Result<serde_json::Value> {
    Ok(match scope {
        ExportScope::Case => serde_json::json!({ "kind": "case" }),
        ExportScope::View {
            from_us,
            to_us,
            filter,
        } => serde_json::json!({
            "kind": "view",
            "from_utc": crate::model::time::format_utc(*from_us),
            "to_utc": crate::model::time::format_utc(*to_us),
            "from_us": from_us,
            "to_us": to_us,
            "filter": describe_filter(case, filter)?,
        }),
        ExportScope::Persons(keys) => serde_json::json!({ "kind": "persons", "persons": keys }),
        ExportScope::Subjects(ids) => serde_json::json!({
            "kind": "subjects",
            "identifiers": ids.len(),
            "unresolved": unresolved.len(),
            "note": "the identifiers themselves are not written here; keep the list with the export"
        }),
        ExportScope::Events { label, ids } => {
            serde_json::json!({ "kind": "events", "label": label, "events": ids.len() })
        }
    })
}

/// Filter terms in words (`person P13`, `category email`), for the manifest.
pub fn describe_filter(case: &Case, filter: &[FilterTerm]) -> Result<Vec<String>> {
    let vocab = case.vocabulary()?;
    let persons = case.people().persons()?;
    let systems = case.timeline().systems()?;
    Ok(filter
        .iter()
        .map(|t| match t {
            FilterTerm::Person(id) => format!(
                "person {}",
                persons
                    .iter()
                    .find(|p| p.id == *id)
                    .map_or_else(|| format!("#{id}"), |p| p.key.clone())
            ),
            FilterTerm::Organization(o) => format!("organization {o}"),
            FilterTerm::ActorCountry(c) => format!("actor country {c}"),
            FilterTerm::System(id) => format!(
                "system {}",
                systems
                    .iter()
                    .find(|s| s.id == *id)
                    .map_or_else(|| format!("#{id}"), |s| s.name.clone())
            ),
            FilterTerm::StorageCountry(c) => format!("storage country {c}"),
            FilterTerm::Category(b) => {
                format!("category {}", vocab.name_of(*b).unwrap_or("?"))
            }
            FilterTerm::Action(a) => format!("action {a}"),
            FilterTerm::Outcome(o) => format!("outcome {o}"),
            FilterTerm::Text(t) => format!("text {t:?}"),
            FilterTerm::Events { label, ids } => format!("{label} ({} events)", ids.len()),
            FilterTerm::Query(q) => format!("query {}", q.describe()),
            FilterTerm::Column { column, op, value } => {
                format!("{} {} {value:?}", column.name(), op.name())
            }
            FilterTerm::Tag(t) => format!("tag {t:?}"),
            FilterTerm::Starred => "starred".to_string(),
        })
        .collect())
}

/// Filter terms in words in `lang`, for the report (`person P13`, 「人物 P13」).
pub fn describe_filter_in(case: &Case, filter: &[FilterTerm], lang: Lang) -> Result<Vec<String>> {
    use crate::tr;
    let vocab = case.vocabulary()?;
    let persons = case.people().persons()?;
    let systems = case.timeline().systems()?;
    Ok(filter
        .iter()
        .map(|term| match term {
            FilterTerm::Person(id) => tr!(
                lang,
                "report-filter-person",
                value = persons
                    .iter()
                    .find(|p| p.id == *id)
                    .map_or_else(|| format!("#{id}"), |p| p.key.clone())
            ),
            FilterTerm::Organization(o) => tr!(lang, "report-filter-organization", value = o),
            FilterTerm::ActorCountry(c) => tr!(lang, "report-filter-actor-country", value = c),
            FilterTerm::System(id) => tr!(
                lang,
                "report-filter-system",
                value = systems
                    .iter()
                    .find(|s| s.id == *id)
                    .map_or_else(|| format!("#{id}"), |s| s.name.clone())
            ),
            FilterTerm::StorageCountry(c) => {
                tr!(lang, "report-filter-storage-country", value = c)
            }
            FilterTerm::Category(b) => tr!(
                lang,
                "report-filter-category",
                value = crate::ops::report::i18n::category(lang, vocab.name_of(*b).unwrap_or("?"))
            ),
            FilterTerm::Action(a) => tr!(lang, "report-filter-action", value = a),
            FilterTerm::Outcome(o) => tr!(lang, "report-filter-outcome", value = o),
            FilterTerm::Text(t) => tr!(lang, "report-filter-text", value = format!("{t:?}")),
            FilterTerm::Events { label, ids } => tr!(
                lang,
                "report-filter-events",
                label = label,
                count = ids.len()
            ),
            FilterTerm::Query(q) => tr!(lang, "report-filter-query", value = q.describe()),
            FilterTerm::Column { column, op, value } => tr!(
                lang,
                "report-filter-column",
                column = column.name(),
                op = crate::i18n::t(
                    lang,
                    match op {
                        crate::case::FilterOp::Contains => "report-filter-op-contains",
                        crate::case::FilterOp::Equals => "report-filter-op-equals",
                        crate::case::FilterOp::Not => "report-filter-op-not",
                    }
                ),
                value = format!("{value:?}")
            ),
            FilterTerm::Tag(t) => tr!(lang, "report-filter-tag", value = format!("{t:?}")),
            FilterTerm::Starred => crate::i18n::t(lang, "report-filter-starred"),
        })
        .collect())
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn write_rows(
    case: &Case,
    selection: &EventSelection,
    req: &ExportRequest,
    zone: chrono_tz::Tz,
    redactor: &Redactor,
    path: &Path,
    total: u64,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<(u64, String, u64)> {
    let lookups = case.export().export_lookups()?;
    let vocab = case.vocabulary()?;
    let mut builder = rows::RowBuilder::new(&lookups, &vocab, redactor, zone);
    let file = File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
    enum Out {
        Csv(Box<rows::CsvOut>),
        Jsonl(rows::JsonlOut),
        Timesketch(timesketch::TimesketchOut),
        Parquet(Box<parquet::ParquetOut>),
    }
    let mut out = match req.format {
        ExportFormat::Csv => Out::Csv(Box::new(rows::CsvOut::new(
            file,
            req.bom,
            &req.zone,
            req.headers,
        )?)),
        ExportFormat::Timesketch => {
            Out::Timesketch(timesketch::TimesketchOut::new(file, &req.zone)?)
        }
        ExportFormat::Parquet => Out::Parquet(Box::new(parquet::ParquetOut::new(file, &req.zone)?)),
        _ => Out::Jsonl(rows::JsonlOut::new(file, &req.zone)?),
    };
    let mut err: Option<std::io::Error> = None;
    let mut done = 0u64;
    let mut cancelled = false;
    progress.report("export", 0, total);
    // Rows are read on a thread of their own (its own read-only connection), formatted here,
    // hashed and written on a third.
    reader::for_each_event_threaded(case.path().to_path_buf(), selection.clone(), |e| {
        let r = builder.with_row(e, |row| match &mut out {
            Out::Csv(w) => w.write(row),
            Out::Jsonl(w) => w.write(row),
            Out::Timesketch(w) => w.write(row),
            Out::Parquet(w) => w.write(row),
        });
        if let Err(e) = r {
            err = Some(e);
            return ControlFlow::Break(());
        }
        done += 1;
        if done.is_multiple_of(16_384) && tick(progress, cancel, done, total) {
            cancelled = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    })?;
    if let Some(e) = err {
        return Err(anyhow!("{}: cannot write: {e}", path.display()));
    }
    if cancelled || cancel.is_cancelled() {
        bail!("export cancelled; the partial file was removed");
    }
    let (sha, bytes) = match out {
        Out::Csv(w) => w.finish(),
        Out::Jsonl(w) => w.finish(),
        Out::Timesketch(w) => w.finish(),
        Out::Parquet(w) => w.finish(),
    }
    .with_context(|| format!("{}: cannot finish writing", path.display()))?;
    progress.report("export", done, total.max(done));
    Ok((done, sha, bytes))
}

/// The scope of a finding's evidence: the events that prove it.
pub fn finding_scope(case: &Case, key: &str) -> Result<ExportScope> {
    use crate::analysis::findings;
    let params = findings::Params::from_case(case)?;
    let set = findings::run(case, &params)?;
    let f = set.get(key).ok_or_else(|| {
        anyhow!("no finding {key:?} in this case (list them with `retrace findings CASE`)")
    })?;
    Ok(ExportScope::Events {
        label: format!("finding {}: {}", f.key, f.title),
        ids: f.evidence.clone(),
    })
}
