//! `retrace import`: access logs or rosters into a case, one transaction per file, and the
//! reading options (`--kind`, `--format`, `--tz`, ...) `retrace preview` shares.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use super::{BarProgress, print_json};
use crate::case::Case;
use crate::ingest::{self, Profile, SourceOptions};
use crate::jobs::{CancelToken, ProgressSink};
use crate::model::encoding::TextEncoding;
use crate::model::roster::SourceKind;
use crate::model::time::parse_zone;
use crate::ops::{self, ImportReport, ImportRequest};

#[derive(Debug, Args)]
pub struct SourceArgs {
    /// access | people | accounts | systems | approvals | milestones | subjects (default: from the header)
    #[arg(long)]
    pub kind: Option<String>,
    /// auto | csv | jsonl | cloudtrail | syslog | auditd | postgres | postgres-csv | mysql-general |
    /// mysql-audit | teleport | gcp-audit | m365 | timesketch-csv | timesketch-jsonl | l2tcsv |
    /// parquet (a file, or a directory of them)
    /// (default: auto, detected from the first lines)
    #[arg(long)]
    pub format: Option<String>,
    /// utf-8 | shift_jis (cp932) | utf-16le | utf-16be (default: BOM or detected)
    #[arg(long)]
    pub encoding: Option<String>,
    /// IANA zone for timestamps without an offset, e.g. Asia/Tokyo (default: the profile's, else UTC)
    #[arg(long)]
    pub tz: Option<String>,
    /// Mapping profile (TOML or JSON)
    #[arg(long = "map")]
    pub map: Option<PathBuf>,
    /// Year of the first line, for logs that write none (RFC 3164 syslog; default: this year)
    #[arg(long)]
    pub year: Option<i32>,
    /// Where records' unmapped fields live: `original` (read again from the stored original
    /// when shown or searched; the default for CloudTrail) or `stored` (copied into
    /// `event_extra`, for plain-SQL readers). Overrides the profile's `extra_fields`.
    #[arg(long, value_parser = ["original", "stored"])]
    pub extra_fields: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub case: PathBuf,
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Import a file even if one with the same SHA-256 is already in the case.
    #[arg(long)]
    pub force: bool,
    /// Investigator name recorded with the import (default: $RETRACE_INVESTIGATOR or $USER)
    #[arg(long)]
    pub by: Option<String>,
    #[arg(long)]
    pub json: bool,
}

impl SourceArgs {
    pub(super) fn options(&self) -> Result<SourceOptions> {
        let kind = match &self.kind {
            Some(k) => Some(SourceKind::parse(k).with_context(|| {
                format!("--kind {k:?}: use access, people, accounts, systems, approvals, milestones or subjects")
            })?),
            None => None,
        };
        let format = match &self.format {
            Some(f) if f.eq_ignore_ascii_case("auto") => None,
            Some(f) => Some(ingest::Format::parse(f).with_context(|| {
                let names: Vec<&str> = ingest::Format::ALL.iter().map(|f| f.as_str()).collect();
                format!("--format {f:?}: use auto or one of {}", names.join(", "))
            })?),
            None => None,
        };
        let encoding = match &self.encoding {
            Some(e) => Some(TextEncoding::parse(e).with_context(|| {
                format!("--encoding {e:?}: use utf-8, shift_jis (cp932), utf-16le or utf-16be")
            })?),
            None => None,
        };
        if let Some(z) = &self.tz {
            parse_zone(z).map_err(anyhow::Error::msg).context("--tz")?;
        }
        let mut profile = match &self.map {
            Some(p) => Some(Profile::load(p).map_err(anyhow::Error::msg)?),
            None => None,
        };
        if let Some(x) = &self.extra_fields {
            profile.get_or_insert_with(Profile::default).extra_fields = Some(x.clone());
        }
        Ok(SourceOptions {
            kind,
            format,
            encoding,
            tz: self.tz.clone(),
            profile,
            year: self.year,
        })
    }
}

pub(super) fn run(args: ImportArgs, cancel: &CancelToken) -> Result<ExitCode> {
    let options = args.source.options()?;
    let mut case = Case::open_or_create(&args.case)?;
    let by = args.by.clone().unwrap_or_else(ops::investigator);
    let requests = args.files.iter().map(|file| ImportRequest {
        path: file.clone(),
        options: options.clone(),
        force: args.force,
        imported_by: by.clone(),
    });
    let mut watch = Watch {
        args: &args,
        bar: None,
    };
    let done = ops::import_files(&mut case, requests, &mut watch, cancel);
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    for f in done {
        match f.result {
            Ok(r) => reports.push(r),
            Err(e) if ops::is_already_imported(&e) => {
                failures.push(format!("{e:#}; use --force to import it again"))
            }
            Err(e) => failures.push(format!("{e:#}")),
        }
    }
    if args.json {
        print_json(&serde_json::json!({ "imports": reports, "failures": failures }))?;
    } else if !failures.is_empty() {
        eprintln!(
            "{} of {} files failed; the others were imported",
            failures.len(),
            args.files.len()
        );
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A progress bar per file, and each file's outcome printed as soon as it is known.
struct Watch<'a> {
    args: &'a ImportArgs,
    bar: Option<BarProgress>,
}

impl ops::ImportWatch for Watch<'_> {
    fn start(&mut self, req: &ImportRequest) -> &dyn ProgressSink {
        let label = req
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.bar.insert(BarProgress::new(!self.args.json, &label))
    }

    fn finish(&mut self, _req: &ImportRequest, result: &Result<ImportReport>) {
        if let Some(bar) = self.bar.take() {
            bar.0.finish_and_clear();
        }
        if self.args.json {
            return;
        }
        match result {
            Ok(r) => print_report(r, &self.args.case),
            Err(e) => eprintln!("error: {e:#}"),
        }
    }
}

/// One imported file: the summary line, how it was read, its first rejects.
fn print_report(r: &ImportReport, case: &std::path::Path) {
    print_import_line(r);
    print_plan_notes(&r.plan);
    print_read_notes(&r.unread_columns, &r.notes);
    for rej in r.rejects.iter().take(5) {
        outln!("    rejected line {}: {}", rej.line, rej.reason);
    }
    if r.result.rows_rejected > 5 {
        outln!(
            "    ... see `retrace rejects {} --source {}`",
            case.display(),
            r.result.source_id
        );
    }
}

pub(super) fn print_import_line(r: &ImportReport) {
    outln!(
        "imported {} as source {} ({}, {}, {}): {} read, {} imported, {} rejected",
        r.plan.file_name,
        r.result.source_id,
        r.plan.kind.as_str(),
        r.plan.format_label(),
        match r.plan.encoding_how {
            // Say how an encoding was told that no BOM or declaration names.
            ingest::EncodingHow::NulPattern =>
                format!("{} (nul-pattern)", r.plan.encoding.as_str()),
            _ => r.plan.encoding.as_str().to_string(),
        },
        crate::model::plural::count(r.result.rows_read, "row", "rows"),
        r.result.rows_imported,
        r.result.rows_rejected
    );
}

/// The columns nothing read and the notes on how rows were read, after an import.
fn print_read_notes(unread: &[String], notes: &[String]) {
    if !unread.is_empty() {
        outln!(
            "    not read: {} (no field takes them: map them with a profile, --map, or they are not kept beyond the stored original)",
            unread.join(", ")
        );
    }
    for n in notes {
        outln!("    note: {n}");
    }
}

fn print_plan_notes(plan: &ingest::Plan) {
    if let Some(r) = &plan.roster_mapping {
        let cols: Vec<String> = r
            .columns
            .iter()
            .map(|(f, c)| format!("{f}={c:?}"))
            .collect();
        outln!("    mapping: {}", cols.join(" "));
    }
    if plan.kind == SourceKind::Access {
        let cols: Vec<String> = plan
            .mapping
            .columns
            .iter()
            .map(|(f, c)| format!("{}={c:?}", f.as_str()))
            .collect();
        outln!("    mapping: {}", cols.join(" "));
    }
    if plan.zone_how == ingest::ZoneHow::Default {
        outln!(
            "    note: no zone declared; timestamps without an offset were read as UTC (use --tz ZONE)"
        );
    } else {
        outln!("    zone for naive timestamps: {}", plan.zone);
    }
    if let Some(note) = plan.year_note() {
        outln!("    note: {note}");
    }
    if plan.extras_in_original {
        outln!("    unmapped fields: {}", plan.unmapped_fields());
    }
}
