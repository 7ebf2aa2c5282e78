//! The command line: clap commands that call `ops`, with human or `--json` output. One module
//! per subcommand holds its arguments and its run function; this one routes to them.
//! Exit codes: 0 success; 1 failure (an error, a refused or failed import, a verify problem);
//! 2 usage errors (from clap).

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::jobs::{CancelToken, ProgressSink};

/// `println!` that ends the program quietly when stdout is closed (`retrace info | head`),
/// instead of panicking on the broken pipe.
macro_rules! outln {
    () => { $crate::cli::write_out(format_args!("")) };
    ($($t:tt)*) => { $crate::cli::write_out(format_args!($($t)*)) };
}

mod bench;
mod export;
mod findings;
mod generate;
mod import;
mod info;
mod lookup;
mod preview;
mod rejects;
mod repair_lines;
mod safety;
mod sample;
mod show;
mod triage;
mod verify;
mod views;

#[doc(hidden)]
pub fn write_out(args: std::fmt::Arguments) {
    use std::io::Write;
    if let Err(e) = writeln!(std::io::stdout().lock(), "{args}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to stdout: {e}");
        std::process::exit(1);
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "retrace",
    version,
    about = "Reconstruct who saw which personal data, and when"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import access logs or rosters into a case (created if absent). One transaction per file.
    Import(import::ImportArgs),
    /// Show how a file would be read: format, encoding, zone, guessed mapping, first rows.
    Preview(preview::PreviewArgs),
    /// Summarize a case: events, sources with counts and hashes, rejects, people, time span.
    Info(info::InfoArgs),
    /// Roll back a write to the case that was interrupted (an import killed mid-way left its
    /// -journal), then check the case. Read-only opens never do this: they read the last
    /// committed state from a private copy until a writing command (this one, an import, ...)
    /// rolls the interrupted write back.
    Recover(safety::RecoverArgs),
    /// List rejected rows with file, line and reason.
    Rejects(rejects::RejectsArgs),
    /// Show one event: fields, time in UTC / display zone / source zone, and its raw source line.
    Show(show::ShowArgs),
    /// Check every source's stored bytes against its SHA-256, every event's line, the custody chain.
    Verify(verify::VerifyArgs),
    /// Recompute every event's cited lines from the stored originals (cases imported before
    /// CRLF, CR, BOM and blank lines were counted exactly); one custody entry per changed source.
    RepairLines(repair_lines::RepairLinesArgs),
    /// Build the bundled fictional sample case.
    Sample(sample::SampleArgs),
    /// Write a synthetic data set shaped like the sample, with its ground truth.
    Gen(generate::GenArgs),
    /// One person's page: identity, counts in named units, sessions and their approval cover.
    Person(lookup::PersonArgs),
    /// Data-subject lookup: every event that touched each identifier (id, phone, e-mail).
    Subject(lookup::SubjectArgs),
    /// Findings (cross-border, outside approval, unsupervised, after revocation, off-hours,
    /// bulk, new reach, coverage gaps), each with its evidence events; set parameters,
    /// record dispositions.
    Findings(Box<findings::FindingsArgs>),
    /// Distinct data subjects by data category × subject country: whole case, per
    /// organization, per person.
    Impact(findings::ImpactArgs),
    /// Export events (CSV, JSON Lines) or the regulator report (HTML) with a manifest.
    Export(Box<export::ExportArgs>),
    /// Check an export directory against its manifest; names every changed or missing file.
    VerifyExport(export::VerifyExportArgs),
    /// Star, tag or note an event or a time range (recorded in the custody log).
    Annotate(export::AnnotateArgs),
    /// Write a narrative item of the report (cause, response, ...); without SECTION, list them.
    ReportText(export::ReportTextArgs),
    /// List the case's custody log.
    Custody(export::CustodyArgs),
    /// Show, or with NAME save, this machine's investigator name (used in the custody log).
    Investigator(export::InvestigatorArgs),
    /// Measure import speed against SQLite's own table copy, peak memory and case size.
    Bench(Box<bench::BenchArgs>),
    /// List the case's saved views; save one from a query, or delete one (custody-logged).
    Views(views::ViewsArgs),
}

/// A terminal progress bar, hidden when stderr is not a terminal or output is JSON.
struct BarProgress(ProgressBar);

impl BarProgress {
    fn new(show: bool, label: &str) -> BarProgress {
        let bar = if show && std::io::stderr().is_terminal() {
            let b = ProgressBar::new(0);
            b.set_style(
                ProgressStyle::with_template(
                    "{msg:>24} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b.set_message(label.to_string());
            b
        } else {
            ProgressBar::hidden()
        };
        BarProgress(bar)
    }
}

impl ProgressSink for BarProgress {
    fn report(&self, _stage: &str, done: u64, total: u64) {
        self.0.set_length(total);
        self.0.set_position(done);
    }
}

pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn print_json(v: &impl serde::Serialize) -> Result<()> {
    outln!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// The router: each subcommand's module parses nothing more and runs it.
fn dispatch(cli: Cli) -> Result<ExitCode> {
    let cancel = CancelToken::new();
    match cli.command {
        Command::Import(args) => import::run(args, &cancel),
        Command::Preview(args) => preview::run(args),
        Command::Info(args) => info::run(args),
        Command::Recover(args) => safety::recover(args),
        Command::Rejects(args) => rejects::run(args),
        Command::Show(args) => show::run(args),
        Command::Verify(args) => verify::run(args, &cancel),
        Command::RepairLines(args) => repair_lines::run(args),
        Command::Sample(args) => sample::run(args, &cancel),
        Command::Gen(args) => generate::run(args),
        Command::Person(args) => lookup::person(args),
        Command::Subject(args) => lookup::subject(args),
        Command::Findings(args) => findings::findings(*args),
        Command::Impact(args) => findings::impact(args),
        Command::Export(args) => export::export(*args, &cancel),
        Command::VerifyExport(args) => export::verify_export(args),
        Command::Annotate(args) => export::annotate(args),
        Command::ReportText(args) => export::report_text(args),
        Command::Custody(args) => export::custody(args),
        Command::Investigator(args) => export::set_investigator(args),
        Command::Bench(args) => bench::run(*args, &cancel),
        Command::Views(args) => views::run(args),
    }
}
