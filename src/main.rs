//! The `retrace` binary: with a subcommand, the command line; otherwise the desktop app,
//! opening CASE if given (else the bundled sample case, built on first run).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "retrace",
    version,
    about = "Reconstruct who saw which personal data, and when",
    args_conflicts_with_subcommands = true
)]
struct Args {
    #[command(subcommand)]
    command: Option<retrace::cli::Command>,
    /// A case file to open in the desktop app (no subcommand).
    case: Option<PathBuf>,
    /// Open CASE in the app for review: no write of any kind.
    #[arg(long, requires = "case")]
    read_only: bool,
    /// The app's language, `en` or `ja` (default: `RETRACE_LANG`, else the saved choice, else
    /// the system locale). The command line's own output stays English.
    #[arg(long)]
    lang: Option<String>,
    /// Time the app's frames, headless, on CASE while zooming, filtering and scrolling the
    /// table (a benchmark; prints frame-time p50/p95/max and the app's RSS).
    #[arg(long, value_name = "CASE", conflicts_with = "case")]
    gui_bench: Option<PathBuf>,
}

fn main() -> ExitCode {
    retrace::return_freed_memory_sooner();
    let args = Args::parse();
    // Custody entries and export manifests are signed with the investigator's key.
    retrace::signing::use_config_dir_key();
    if let Some(case) = args.gui_bench {
        return match retrace::gui::bench::run(&case, 1280.0, 800.0) {
            Ok(b) => {
                retrace::gui::bench::print(&b, &case, 1280.0, 800.0);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    match args.command {
        Some(command) => retrace::cli::run(retrace::cli::Cli { command }),
        None => match retrace::i18n::Lang::detect(args.lang.as_deref())
            .map_err(anyhow::Error::msg)
            .and_then(|lang| match (args.read_only, args.case) {
                (true, Some(case)) => retrace::gui::run_for_review(case, lang),
                (_, case) => retrace::gui::run(case, lang),
            }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}
