//! The `retrace` binary: with a subcommand, the command line; the desktop app comes later.

use clap::Parser;

fn main() -> std::process::ExitCode {
    retrace::cli::run(retrace::cli::Cli::parse())
}
