//! `retrace sample`: the bundled fictional sample case, built at a path the user names.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use super::import::print_import_line;
use super::info::print_summary;
use super::{BarProgress, print_json};
use crate::case::Case;
use crate::jobs::CancelToken;
use crate::ops;

#[derive(Debug, Args)]
pub struct SampleArgs {
    case: PathBuf,
    /// Replace CASE if it exists.
    #[arg(long)]
    force: bool,
    #[arg(long)]
    json: bool,
}

pub(super) fn run(
    SampleArgs { case, force, json }: SampleArgs,
    cancel: &CancelToken,
) -> Result<ExitCode> {
    if case.exists() {
        if !force {
            anyhow::bail!(
                "{}: already exists; use --force to replace it",
                case.display()
            );
        }
        remove_case(&case)?;
    }
    let bar = BarProgress::new(!json, "sample");
    let reports = ops::sample::build_sample(&case, &bar, cancel)?;
    bar.0.finish_and_clear();
    let c = Case::open_read_only(&case)?;
    let s = c.summary()?;
    if json {
        print_json(&serde_json::json!({ "imports": reports, "summary": s }))?;
    } else {
        for r in &reports {
            print_import_line(r);
        }
        outln!();
        print_summary(&s);
    }
    Ok(ExitCode::SUCCESS)
}

/// Removes the case at `case` with its side files, refusing a file that is not a case.
fn remove_case(case: &Path) -> Result<()> {
    Case::open_read_only(case)
        .with_context(|| "refusing to replace a file that is not a Retrace case")?;
    crate::case::remove_with_side_files(case)?;
    Ok(())
}
