//! What the reading commands say about the state of the case they read (an interrupted write
//! read around through a private copy, damage), and `retrace recover`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::case::Case;

/// Notes on stderr, after the command's own output: whether the answer came from a private
/// copy (an interrupted write is pending) and whether the case is damaged.
pub(super) fn warn_read_state(c: &Case, damage: Option<&str>) {
    if c.reads_private_copy() {
        eprintln!(
            "note: {}: a write to the case was interrupted (its -journal is still there). This read shows the last committed state from a private copy and left the file as it was; `retrace recover {}` (or any import) rolls the interrupted write back",
            c.path().display(),
            c.path().display()
        );
    }
    if let Some(why) = damage {
        eprintln!(
            "warning: {}: the case file is damaged ({why}). What is shown above is what could still be read; changes are refused. `retrace verify` names the damage; restore the case from a copy",
            c.path().display()
        );
    }
}

/// Fails unless the case has a source with this id.
pub(super) fn require_source(c: &Case, id: i64) -> Result<()> {
    if !c.sources().list()?.iter().any(|s| s.id == id) {
        bail!(
            "{}: no source with id {id} (list them with `retrace info {}`)",
            c.path().display(),
            c.path().display()
        );
    }
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct RecoverArgs {
    case: PathBuf,
}

/// `retrace recover CASE`: an open for changes rolls back an interrupted write and refuses a
/// damaged case (see `case::lock`).
pub(super) fn recover(RecoverArgs { case }: RecoverArgs) -> Result<ExitCode> {
    let case = case.as_path();
    let rolled_back = Case::roll_back_interrupted_write(case)?;
    // Opened for changes, a pending migration runs; the damage check (quick_check) that
    // comes before any change runs too.
    Case::open(case)?.check_for_changes()?;
    if rolled_back {
        outln!(
            "{}: rolled back an interrupted write; the case holds its last committed state",
            case.display()
        );
    } else {
        outln!("{}: no interrupted write to roll back", case.display());
    }
    outln!(
        "{}: the case opens for changes (no damage found by SQLite's quick_check)",
        case.display()
    );
    Ok(ExitCode::SUCCESS)
}
