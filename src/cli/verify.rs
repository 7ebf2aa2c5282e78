//! `retrace verify`: every source's stored bytes against its SHA-256, every event's line, the
//! rosters, the custody chain and its signatures; with `--deep`, every event derived again.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{BarProgress, print_json, safety};
use crate::case::Case;
use crate::jobs::CancelToken;
use crate::model::plural::count;
use crate::ops;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    case: PathBuf,
    /// Also derive every event again from its source's stored original (same parser,
    /// recorded format, zone and mapping) and compare it field by field with the stored row.
    #[arg(long)]
    deep: bool,
    /// Fail unless every custody entry is signed by one of these investigator keys
    /// (fingerprints, as `retrace investigator` shows them).
    #[arg(long, num_args = 1.., value_name = "FINGERPRINT")]
    trust: Vec<String>,
    /// Fail when the custody chain no longer holds the head this export recorded (a log
    /// truncated or rewritten since).
    #[arg(long, value_name = "EXPORT_DIR")]
    against: Vec<PathBuf>,
    #[arg(long)]
    json: bool,
    /// Print the wall time of each phase of the plain verify (to standard error); the
    /// structure checks run on a second thread beside the others.
    #[arg(long)]
    timings: bool,
}

pub(super) fn run(
    VerifyArgs {
        case,
        deep,
        trust,
        against,
        json,
        timings,
    }: VerifyArgs,
    cancel: &CancelToken,
) -> Result<ExitCode> {
    let c = Case::open_read_only(&case)?;
    // One snapshot: an import committing meanwhile must not look like a mismatch.
    let started = std::time::Instant::now();
    let mut r = c.read_snapshot(|c| c.integrity().verify(&|| cancel.is_cancelled()))?;
    if timings {
        eprintln!(
            "verify phases (wall seconds; structure checks on a second thread), {:.2} s in all:",
            started.elapsed().as_secs_f64()
        );
        for (phase, secs) in &r.phases {
            eprintln!("  {secs:>8.2}  {phase}");
        }
    }
    r.problems
        .extend(ops::verify_inputs::check_rosters(&c, cancel)?);
    if !trust.is_empty() {
        r.require_trusted(&trust);
    }
    for dir in &against {
        r.problems
            .extend(ops::export::signature::check_against(&c, dir)?);
    }
    let d = if deep {
        let bar = BarProgress::new(!json, "verify");
        let d = ops::verify_deep::verify_deep(&c, &bar, cancel);
        bar.0.finish_and_clear();
        Some(d?)
    } else {
        None
    };
    let clean = r.is_clean() && d.as_ref().is_none_or(|d| d.is_clean());
    if json {
        let mut v = serde_json::to_value(&r)?;
        if let Some(d) = &d {
            v["deep"] = serde_json::to_value(d)?;
        }
        print_json(&v)?;
    } else if let Some(d) = &d {
        outln!(
            "checked {} ({} bytes), {}, {}; derived {} of {} again from their stored originals",
            count(r.sources_checked, "source", "sources"),
            r.bytes_checked,
            count(r.events_checked, "event", "events"),
            count(r.custody_entries, "custody entry", "custody entries"),
            count(d.events_compared, "event", "events"),
            count(d.sources_checked, "access source", "access sources")
        );
        print_signatures(&r.signatures);
        for p in r.problems.iter().chain(&d.problems) {
            outln!("FAILED {}: {}", p.what, p.why);
        }
        if clean {
            outln!("OK: the case file verifies, and every event matches its source line");
        }
    } else {
        outln!(
            "checked {} ({} bytes), {}, {}",
            count(r.sources_checked, "source", "sources"),
            r.bytes_checked,
            count(r.events_checked, "event", "events"),
            count(r.custody_entries, "custody entry", "custody entries")
        );
        print_signatures(&r.signatures);
        for p in &r.problems {
            outln!("FAILED {}: {}", p.what, p.why);
        }
        if r.is_clean() {
            outln!("OK: the case file verifies");
        }
    }
    safety::warn_read_state(&c, None);
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Who signed the custody log, one line per key.
pub(super) fn print_signatures(s: &crate::case::SignatureSummary) {
    for k in &s.keys {
        outln!(
            "custody entries {}..{}: {} signed by key {} ({})",
            k.first_entry,
            k.last_entry,
            k.entries,
            k.fingerprint,
            k.actors.join(", ")
        );
    }
    if s.unsigned > 0 {
        outln!(
            "{} custody entries are unsigned (written before signing existed, or without a key)",
            s.unsigned
        );
    }
}
