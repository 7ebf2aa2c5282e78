//! `retrace rejects`: the rows an import refused, with file, line and reason, and the known
//! accounts, persons and data subjects a rejected row of an access log mentions.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{print_json, safety};
use crate::analysis::rejects::rejected_rows;
use crate::case::Case;

#[derive(Debug, Args)]
pub struct RejectsArgs {
    case: PathBuf,
    /// Only this source id.
    #[arg(long)]
    source: Option<i64>,
    #[arg(long, default_value_t = 100)]
    limit: usize,
    /// Only the rows that mention a known account, person or data subject.
    #[arg(long)]
    mentions: bool,
    #[arg(long)]
    json: bool,
}

pub(super) fn run(
    RejectsArgs {
        case,
        source,
        limit,
        mentions,
        json,
    }: RejectsArgs,
) -> Result<ExitCode> {
    let c = Case::open_read_only(&case)?;
    if let Some(id) = source {
        safety::require_source(&c, id)?;
    }
    // With --mentions the limit counts the rows shown, not the rows read.
    let read = if mentions { usize::MAX } else { limit };
    let mut rows = rejected_rows(&c, source, read)?;
    if mentions {
        rows.retain(|r| !r.mentions.is_empty());
        rows.truncate(limit);
    }
    if json {
        print_json(&rows)?;
    } else {
        if rows.is_empty() {
            outln!(
                "{}",
                if mentions {
                    "no rejected row mentions a known account, person or data subject"
                } else {
                    "no rejected rows"
                }
            );
        }
        for r in rows {
            outln!("{}: {}\n    {}", r.place(), r.row.reason, r.row.raw);
            if !r.mentions.is_empty() {
                outln!("    mentions: {}", r.mentions_text());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
