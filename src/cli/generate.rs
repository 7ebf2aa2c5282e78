//! `retrace gen`: a synthetic data set shaped like the sample, with its ground truth.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use super::print_json;

#[derive(Debug, Args)]
pub struct GenArgs {
    dir: PathBuf,
    /// Background events (the fixed scenario adds a few hundred).
    #[arg(long, default_value_t = 100_000)]
    events: u64,
    #[arg(long, default_value_t = crate::synth::SAMPLE_SEED)]
    seed: u64,
    #[arg(long)]
    json: bool,
}

pub(super) fn run(
    GenArgs {
        dir,
        events,
        seed,
        json,
    }: GenArgs,
) -> Result<ExitCode> {
    let truth = crate::synth::generate(
        &dir,
        &crate::synth::GenParams {
            seed,
            background_events: events,
        },
    )
    .with_context(|| format!("{}: cannot write the data set", dir.display()))?;
    if json {
        print_json(&truth)?;
    } else {
        outln!(
            "wrote a data set with {events} background events (seed {seed}) to {}",
            dir.display()
        );
        for f in crate::synth::manifest() {
            outln!("  {:<12} {}", f.kind, f.name);
        }
        outln!(
            "  ground truth: {}",
            dir.join("ground_truth.json").display()
        );
        outln!(
            "import it with: retrace import CASE {}/*.csv ... (see README)",
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
