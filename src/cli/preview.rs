//! `retrace preview`: how a file would be read (format, encoding, zone, guessed mapping) and
//! its first rows, without importing it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use super::import::SourceArgs;
use super::print_json;
use crate::ingest;
use crate::model::roster::SourceKind;
use crate::model::time::format_utc;

#[derive(Debug, Args)]
pub struct PreviewArgs {
    pub file: PathBuf,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Rows to parse and show.
    #[arg(long, default_value_t = 5)]
    pub rows: usize,
    /// Write the effective mapping as a profile to edit and reuse with --map.
    #[arg(long)]
    pub save_profile: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub(super) fn run(args: PreviewArgs) -> Result<ExitCode> {
    let options = args.source.options()?;
    let plan = ingest::plan(&args.file, &options)?;
    let (rows, lines, rejects) = if plan.kind == SourceKind::Access {
        access_rows(&args, &plan)
    } else {
        roster_rows(&args, &plan)
    };
    if args.json {
        let rej: Vec<serde_json::Value> = rejects
            .iter()
            .map(|r| serde_json::json!({"line": r.line, "reason": r.reason}))
            .collect();
        print_json(&serde_json::json!({ "plan": plan, "rows": rows, "rejects": rej }))?;
    } else {
        print_plan(&plan);
        outln!("first rows:");
        for l in &lines {
            outln!("{l}");
        }
        for r in &rejects {
            outln!("  line {:>4}  REJECTED: {}", r.line, r.reason);
        }
    }
    if let Some(out) = &args.save_profile {
        std::fs::write(out, plan.to_profile().to_toml())
            .with_context(|| format!("{}: cannot write", out.display()))?;
        if !args.json {
            outln!("saved the mapping profile to {}", out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The first rows of an access file as JSON and as text lines, and the rejects among them.
fn access_rows(
    args: &PreviewArgs,
    plan: &ingest::Plan,
) -> (Vec<serde_json::Value>, Vec<String>, Vec<ingest::Reject>) {
    let mut vocab = crate::model::Vocabulary::default();
    let (rows, rejects) = ingest::preview_rows(&args.file, plan, &mut vocab, args.rows);
    let json = rows
        .iter()
        .map(|e| {
            serde_json::json!({
                "line": e.line, "ts_utc": format_utc(e.ts_us), "raw_ts": e.raw_ts, "account": e.account,
                "system": e.system, "action": e.action, "object": e.object,
                "categories": vocab.names(e.categories), "subjects": e.subjects, "records": e.records,
                "outcome": e.outcome.as_ref().map(|o| o.as_str().to_string()),
            })
        })
        .collect();
    let lines = rows
        .iter()
        .map(|e| {
            format!(
                "  line {:>4}  {}  (raw {:?})  account={} system={} action={} object={} categories=[{}] subjects={} records={}",
                e.line,
                format_utc(e.ts_us),
                e.raw_ts,
                e.account.as_deref().unwrap_or("-"),
                e.system.as_deref().unwrap_or("-"),
                e.action.as_deref().unwrap_or("-"),
                e.object.as_deref().unwrap_or("-"),
                vocab.names(e.categories).join(","),
                e.subjects.len(),
                e.records.map_or("-".into(), |r| r.to_string()),
            )
        })
        .collect();
    (json, lines, rejects)
}

/// The first rows of a roster file as JSON and as text lines, and the rejects among them.
fn roster_rows(
    args: &PreviewArgs,
    plan: &ingest::Plan,
) -> (Vec<serde_json::Value>, Vec<String>, Vec<ingest::Reject>) {
    let mut vocab = crate::model::Vocabulary::default();
    let (rows, rejects) = ingest::roster::preview_rows(&args.file, plan, &mut vocab, args.rows);
    let json = rows
        .iter()
        .map(|(line, r)| serde_json::json!({"line": line, "row": r.describe(&vocab)}))
        .collect();
    let lines = rows
        .iter()
        .map(|(line, r)| format!("  line {line:>4}  {}", r.describe(&vocab)))
        .collect();
    (json, lines, rejects)
}

fn print_plan(plan: &ingest::Plan) {
    outln!("file:     {}", plan.file_name);
    outln!("kind:     {}", plan.kind.as_str());
    outln!("format:   {}", plan.format_label());
    if !plan.detection.others.is_empty() {
        let others: Vec<String> = plan
            .detection
            .others
            .iter()
            .map(|c| format!("{} {:.0}%", c.format.as_str(), c.confidence * 100.0))
            .collect();
        outln!("          (next: {})", others.join(", "));
    }
    if let Some(p) = &plan.log_line_prefix {
        outln!("log_line_prefix: {p:?}");
    }
    outln!(
        "encoding: {} ({})",
        plan.encoding.as_str(),
        plan.encoding_how.as_str()
    );
    if plan.format == ingest::Format::Csv {
        outln!("delimiter: {:?}", plan.delimiter as char);
    }
    outln!("columns:  {}", plan.headers.join(", "));
    if let Some(r) = &plan.roster_mapping {
        outln!("mapping ({} field <- column):", plan.kind.as_str());
        let (required, _) = ingest::roster_map::columns(plan.kind);
        for f in ingest::roster_map::fields(plan.kind) {
            let how = match r.from_profile.get(f) {
                Some(true) => "profile",
                Some(false) => "guessed",
                None if required.contains(&f) => "REQUIRED, missing",
                None => "",
            };
            outln!("  {:<12} <- {:<24} {how}", f, r.get(f).unwrap_or("(none)"));
        }
    }
    if !plan.unread_columns.is_empty() {
        outln!("not read: {}", plan.unread_columns.join(", "));
    }
    if plan.kind == SourceKind::Access {
        outln!("mapping (field <- column):");
        for f in ingest::Field::ALL {
            let how = match plan.mapping.from_profile.get(&f) {
                Some(true) => "profile",
                Some(false) => "guessed",
                None => "",
            };
            outln!(
                "  {:<10} <- {:<24} {how}",
                f.as_str(),
                plan.mapping.get(f).unwrap_or("(none)")
            );
        }
    }
    outln!("time:     {}", plan.time_rule());
    if plan.kind == SourceKind::Access {
        outln!("unmapped fields: {}", plan.unmapped_fields());
    }
}
