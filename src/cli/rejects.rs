//! `retrace rejects`: the rows an import refused, with file, line and reason.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{print_json, safety};
use crate::case::Case;

#[derive(Debug, Args)]
pub struct RejectsArgs {
    case: PathBuf,
    /// Only this source id.
    #[arg(long)]
    source: Option<i64>,
    #[arg(long, default_value_t = 100)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

pub(super) fn run(
    RejectsArgs {
        case,
        source,
        limit,
        json,
    }: RejectsArgs,
) -> Result<ExitCode> {
    let c = Case::open_read_only(&case)?;
    if let Some(id) = source {
        safety::require_source(&c, id)?;
    }
    let rows = c.sources().rejects(source, limit)?;
    if json {
        print_json(&rows)?;
    } else {
        if rows.is_empty() {
            outln!("no rejected rows");
        }
        for r in rows {
            outln!("{}:{}: {}\n    {}", r.file_name, r.line, r.reason, r.raw);
        }
    }
    Ok(ExitCode::SUCCESS)
}
