//! `retrace repair-lines`: every event's cited lines computed again from the stored originals,
//! for cases imported before line ends and BOMs were counted exactly.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::print_json;
use crate::case::Case;
use crate::ops;

#[derive(Debug, Args)]
pub struct RepairLinesArgs {
    case: PathBuf,
    /// Only say what would change.
    #[arg(long)]
    dry_run: bool,
    #[arg(long)]
    json: bool,
}

pub(super) fn run(
    RepairLinesArgs {
        case,
        dry_run,
        json,
    }: RepairLinesArgs,
) -> Result<ExitCode> {
    let mut c = Case::open(&case)?;
    let r = ops::repair_lines::repair_lines(&mut c, &ops::investigator(), dry_run)?;
    if json {
        print_json(&r)?;
    } else {
        let verb = if dry_run { "would change" } else { "changed" };
        for s in &r.sources {
            match &s.skipped {
                Some(why) => outln!("source {} ({}): {why}", s.source_id, s.file_name),
                None => outln!(
                    "source {} ({}): {verb} the lines of {} events, {} rejects, {} stored chunks",
                    s.source_id,
                    s.file_name,
                    s.events_changed,
                    s.rejects_changed,
                    s.chunks_changed
                ),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
