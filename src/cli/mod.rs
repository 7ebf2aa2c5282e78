//! The command line: clap commands that call `ops`, with human or `--json` output.
//! Exit codes: 0 success; 1 failure (an error, a refused or failed import, a verify problem);
//! 2 usage errors (from clap).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::case::Case;
use crate::ingest::{self, Profile, SourceOptions};
use crate::jobs::{CancelToken, NoProgress, ProgressSink};
use crate::model::encoding::TextEncoding;
use crate::model::roster::SourceKind;
use crate::model::time::{format_in_zone, format_utc, parse_zone};
use crate::ops;

/// `println!` that ends the program quietly when stdout is closed (`retrace info | head`),
/// instead of panicking on the broken pipe.
macro_rules! outln {
    () => { $crate::cli::write_out(format_args!("")) };
    ($($t:tt)*) => { $crate::cli::write_out(format_args!($($t)*)) };
}

mod export;
mod findings;
mod lookup;
mod safety;

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
    Import(ImportArgs),
    /// Show how a file would be read: format, encoding, zone, guessed mapping, first rows.
    Preview(PreviewArgs),
    /// Summarize a case: events, sources with counts and hashes, rejects, people, time span.
    Info {
        case: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Roll back a write to the case that was interrupted (an import killed mid-way left its
    /// -journal), then check the case. Read-only opens never do this: they read the last
    /// committed state from a private copy until a writing command (this one, an import, ...)
    /// rolls the interrupted write back.
    Recover { case: PathBuf },
    /// List rejected rows with file, line and reason.
    Rejects {
        case: PathBuf,
        /// Only this source id.
        #[arg(long)]
        source: Option<i64>,
        #[arg(long, default_value_t = 100)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Show one event: fields, time in UTC / display zone / source zone, and its raw source line.
    Show {
        case: PathBuf,
        event_id: i64,
        /// Display zone (default: the case's).
        #[arg(long)]
        tz: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Check every source's stored bytes against its SHA-256, every event's line, the custody chain.
    Verify {
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
    },
    /// Recompute every event's cited lines from the stored originals (cases imported before
    /// CRLF, CR, BOM and blank lines were counted exactly); one custody entry per changed source.
    RepairLines {
        case: PathBuf,
        /// Only say what would change.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Build the bundled fictional sample case.
    Sample {
        case: PathBuf,
        /// Replace CASE if it exists.
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write a synthetic data set shaped like the sample, with its ground truth.
    Gen {
        dir: PathBuf,
        /// Background events (the fixed scenario adds a few hundred).
        #[arg(long, default_value_t = 100_000)]
        events: u64,
        #[arg(long, default_value_t = crate::synth::SAMPLE_SEED)]
        seed: u64,
        #[arg(long)]
        json: bool,
    },
    /// One person's page: identity, counts in named units, sessions and their approval cover.
    Person {
        case: PathBuf,
        /// Person id (P13), account name, or display / native name.
        name_or_id: String,
        /// Session gap threshold: a new session starts after a gap this long or longer.
        #[arg(long, default_value_t = crate::analysis::DEFAULT_SESSION_GAP_MINUTES)]
        gap_minutes: i64,
        /// Display zone (default: the case's).
        #[arg(long)]
        tz: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Data-subject lookup: every event that touched each identifier (id, phone, e-mail).
    Subject {
        case: PathBuf,
        /// Identifiers, normalized as the importer does; aliases resolved.
        ids: Vec<String>,
        /// Read identifiers from this file (one a line).
        #[arg(long)]
        file: Option<PathBuf>,
        /// Write the answers as CSV here.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Display zone (default: the case's).
        #[arg(long)]
        tz: Option<String>,
        #[arg(long)]
        json: bool,
    },
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
    VerifyExport {
        dir: PathBuf,
        /// Fail unless the manifest is signed by one of these investigator keys.
        #[arg(long, num_args = 1.., value_name = "FINGERPRINT")]
        trust: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Star, tag or note an event or a time range (recorded in the custody log).
    Annotate(export::AnnotateArgs),
    /// Write a narrative item of the report (cause, response, ...); without SECTION, list them.
    ReportText(export::ReportTextArgs),
    /// List the case's custody log.
    Custody {
        case: PathBuf,
        #[arg(long)]
        tz: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show, or with NAME save, this machine's investigator name (used in the custody log).
    Investigator { name: Option<String> },
    /// Measure import speed against SQLite's own table copy, peak memory and case size.
    Bench {
        #[arg(long, default_value_t = 1_000_000)]
        events: u64,
        #[arg(long, default_value_t = crate::synth::SAMPLE_SEED)]
        seed: u64,
        /// Keep the data and case here instead of a temporary directory.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Skip generating and importing: measure the timeline's queries on this existing case.
        #[arg(long)]
        queries_only: Option<PathBuf>,
        /// Zoom/pan requests to time.
        #[arg(long, default_value_t = 300)]
        requests: usize,
        /// Skip everything else: time the findings rules and the impact tables on this existing
        /// case (opened read-only); medians of --findings-runs runs.
        #[arg(long)]
        findings: Option<PathBuf>,
        #[arg(long, default_value_t = 3)]
        findings_runs: usize,
        /// Skip everything else: time the CSV export of this existing case (opened read-only;
        /// written to --dir or a temporary directory, deleted after each run).
        #[arg(long)]
        export: Option<PathBuf>,
        /// Runs of the export measurement (the median is reported).
        #[arg(long, default_value_t = 3)]
        export_runs: usize,
        /// Skip everything else: generate a log file in this format (cloudtrail: JSON Lines
        /// records of ~1 KB; authlog: RFC 3164 sshd/PAM/sudo lines) of --bytes and import it.
        #[arg(long)]
        format: Option<String>,
        /// Size of the --format file: a number with an optional K, M or G (1024-based).
        #[arg(long, default_value = "1G")]
        bytes: String,
        /// --format: where the unmapped fields go (`original` or `stored`; default: the
        /// format's default, as an import).
        #[arg(long, value_parser = ["original", "stored"])]
        extra_fields: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct SourceArgs {
    /// access | people | accounts | systems | approvals | milestones | subjects (default: from the header)
    #[arg(long)]
    pub kind: Option<String>,
    /// auto | csv | jsonl | cloudtrail | syslog | auditd | postgres | postgres-csv | mysql-general |
    /// mysql-audit | teleport | gcp-audit | m365 | timesketch-csv | timesketch-jsonl | l2tcsv
    /// (default: auto, detected from the first lines)
    #[arg(long)]
    pub format: Option<String>,
    /// utf-8 | shift_jis (cp932) | utf-16le | utf-16be (default: BOM or detected)
    #[arg(long)]
    pub encoding: Option<String>,
    /// IANA zone for timestamps without an offset, e.g. Asia/Tokyo (default: the profile's, else UTC)
    #[arg(long)]
    pub tz: Option<String>,
    /// Mapping profile (TOML or JSON)
    #[arg(long = "map")]
    pub map: Option<PathBuf>,
    /// Year of the first line, for logs that write none (RFC 3164 syslog; default: this year)
    #[arg(long)]
    pub year: Option<i32>,
    /// Where records' unmapped fields live: `original` (read again from the stored original
    /// when shown or searched; the default for CloudTrail) or `stored` (copied into
    /// `event_extra`, for plain-SQL readers). Overrides the profile's `extra_fields`.
    #[arg(long, value_parser = ["original", "stored"])]
    pub extra_fields: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub case: PathBuf,
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Import a file even if one with the same SHA-256 is already in the case.
    #[arg(long)]
    pub force: bool,
    /// Investigator name recorded with the import (default: $RETRACE_INVESTIGATOR or $USER)
    #[arg(long)]
    pub by: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PreviewArgs {
    pub file: PathBuf,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Rows to parse and show.
    #[arg(long, default_value_t = 5)]
    pub rows: usize,
    /// Write the effective mapping as a profile to edit and reuse with --map.
    #[arg(long)]
    pub save_profile: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

impl SourceArgs {
    fn options(&self) -> Result<SourceOptions> {
        let kind = match &self.kind {
            Some(k) => Some(SourceKind::parse(k).with_context(|| {
                format!("--kind {k:?}: use access, people, accounts, systems, approvals, milestones or subjects")
            })?),
            None => None,
        };
        let format = match &self.format {
            Some(f) if f.eq_ignore_ascii_case("auto") => None,
            Some(f) => Some(ingest::Format::parse(f).with_context(|| {
                let names: Vec<&str> = ingest::Format::ALL.iter().map(|f| f.as_str()).collect();
                format!("--format {f:?}: use auto or one of {}", names.join(", "))
            })?),
            None => None,
        };
        let encoding = match &self.encoding {
            Some(e) => Some(TextEncoding::parse(e).with_context(|| {
                format!("--encoding {e:?}: use utf-8, shift_jis (cp932), utf-16le or utf-16be")
            })?),
            None => None,
        };
        if let Some(z) = &self.tz {
            parse_zone(z).map_err(anyhow::Error::msg).context("--tz")?;
        }
        let mut profile = match &self.map {
            Some(p) => Some(Profile::load(p).map_err(anyhow::Error::msg)?),
            None => None,
        };
        if let Some(x) = &self.extra_fields {
            profile.get_or_insert_with(Profile::default).extra_fields = Some(x.clone());
        }
        Ok(SourceOptions {
            kind,
            format,
            encoding,
            tz: self.tz.clone(),
            profile,
            year: self.year,
        })
    }
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

/// Who signed the custody log, one line per key.
fn print_signatures(s: &crate::case::SignatureSummary) {
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

fn print_json(v: &impl serde::Serialize) -> Result<()> {
    outln!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    let cancel = CancelToken::new();
    match cli.command {
        Command::Import(args) => import(args, &cancel),
        Command::Preview(args) => preview(args),
        Command::Export(args) => export::export(*args, &cancel),
        Command::VerifyExport { dir, trust, json } => export::verify_export(&dir, &trust, json),
        Command::Findings(args) => findings::findings(*args),
        Command::Impact(args) => findings::impact(args),
        Command::Annotate(args) => export::annotate(args),
        Command::ReportText(args) => export::report_text(args),
        Command::Custody { case, tz, json } => export::custody(&case, tz, json),
        Command::Investigator { name } => export::set_investigator(name),
        Command::RepairLines {
            case,
            dry_run,
            json,
        } => {
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
        Command::Info { case, json } => {
            let c = Case::open_read_only(&case)?;
            // The summary reads only some pages; a damaged case must say so even when
            // those answer.
            let (s, damage) = c.read_snapshot(|c| Ok((c.summary()?, c.quick_check()?)))?;
            if json {
                let mut v = serde_json::to_value(&s)?;
                v["damaged"] = serde_json::to_value(&damage)?;
                v["reads_private_copy"] = c.reads_private_copy().into();
                print_json(&v)?;
            } else {
                print_summary(&s);
            }
            safety::warn_read_state(&c, damage.as_deref());
            Ok(ExitCode::SUCCESS)
        }
        Command::Recover { case } => safety::recover(&case),
        Command::Rejects {
            case,
            source,
            limit,
            json,
        } => {
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
        Command::Show {
            case,
            event_id,
            tz,
            json,
        } => show(&case, event_id, tz, json),
        Command::Person {
            case,
            name_or_id,
            gap_minutes,
            tz,
            json,
        } => lookup::person(&case, &name_or_id, gap_minutes, tz, json),
        Command::Subject {
            case,
            ids,
            file,
            out,
            tz,
            json,
        } => lookup::subject(&case, ids, file, out, tz, json),
        Command::Verify {
            case,
            deep,
            trust,
            against,
            json,
        } => {
            let c = Case::open_read_only(&case)?;
            // One snapshot: an import committing meanwhile must not look like a mismatch.
            let mut r = c.read_snapshot(|c| c.integrity().verify(&|| cancel.is_cancelled()))?;
            r.problems
                .extend(ops::verify_inputs::check_rosters(&c, &cancel)?);
            if !trust.is_empty() {
                r.require_trusted(&trust);
            }
            for dir in &against {
                r.problems
                    .extend(ops::export::signature::check_against(&c, dir)?);
            }
            let d = if deep {
                let bar = BarProgress::new(!json, "verify");
                let d = ops::verify_deep::verify_deep(&c, &bar, &cancel);
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
                    "checked {} sources ({} bytes), {} events, {} custody entries; derived {} events of {} access sources again from their stored originals",
                    r.sources_checked,
                    r.bytes_checked,
                    r.events_checked,
                    r.custody_entries,
                    d.events_compared,
                    d.sources_checked
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
                    "checked {} sources ({} bytes), {} events, {} custody entries",
                    r.sources_checked,
                    r.bytes_checked,
                    r.events_checked,
                    r.custody_entries
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
        Command::Sample { case, force, json } => {
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
            let reports = ops::sample::build_sample(&case, &bar, &cancel)?;
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
        Command::Gen {
            dir,
            events,
            seed,
            json,
        } => {
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
        Command::Bench {
            events,
            seed,
            dir,
            json,
            queries_only,
            requests,
            findings: findings_case,
            findings_runs,
            export,
            export_runs,
            format,
            bytes,
            extra_fields,
        } => {
            if let Some(case) = export {
                return export::bench(&case, dir.as_deref(), export_runs, json);
            }
            if let Some(format) = format {
                let extra = extra_fields.as_deref();
                return format_bench(&format, &bytes, seed, extra, dir.as_deref(), json, &cancel);
            }
            if let Some(case) = findings_case {
                let b = ops::bench::findings_bench(&case, findings_runs)?;
                if json {
                    print_json(&b)?;
                } else {
                    outln!(
                        "findings bench: {} events, medians of {} runs",
                        b.events,
                        b.runs
                    );
                    outln!("  bare scan of event  {:>8.2} s", b.scan_secs);
                    outln!("  all rules           {:>8.2} s", b.rules_secs);
                    outln!("  impact tables       {:>8.2} s", b.impact_secs);
                    for (rule, n) in &b.findings {
                        outln!("  {rule:<20} {n:>8} findings");
                    }
                    if let Some(m) = b.peak_rss_mib {
                        outln!("  peak RSS            {m:>8.0} MiB");
                    }
                }
                return Ok(ExitCode::SUCCESS);
            }
            if let Some(case) = queries_only {
                let q = ops::bench::query_bench(&case, requests)?;
                if json {
                    print_json(&q)?;
                } else {
                    print_query_bench(&q);
                }
                return Ok(ExitCode::SUCCESS);
            }
            let bar = BarProgress::new(!json, "bench import");
            let r = ops::bench::run(events, seed, dir.as_deref(), &bar, &cancel)?;
            bar.0.finish_and_clear();
            if json {
                print_json(&r)?;
            } else {
                outln!(
                    "bench: {} background events (seed {}), {} cores",
                    r.background_events,
                    r.seed,
                    r.cores
                );
                outln!(
                    "  generated       {:>12} bytes in {:.2} s",
                    r.data_bytes,
                    r.gen_secs
                );
                outln!(
                    "  import          {:>12} events in {:.2} s = {:.0} rows/s (end to end, rosters included; {} rejected)",
                    r.events_imported,
                    r.import_secs,
                    r.import_rows_per_sec,
                    r.rows_rejected
                );
                outln!(
                    "  SQLite copy     {:>12} rows   in {:.2} s = {:.0} rows/s (INSERT INTO copy SELECT * FROM event)",
                    r.sqlite_copy_rows,
                    r.sqlite_copy_secs,
                    r.sqlite_copy_rows_per_sec
                );
                outln!(
                    "  ratio           {:.3} (import rate / SQLite copy rate)",
                    r.ratio
                );
                outln!(
                    "  indexed copy    {:>12} rows   in {:.2} s = {:.0} rows/s (same, into a copy with the event indexes); ratio {:.3}",
                    r.sqlite_copy_rows,
                    r.sqlite_indexed_copy_secs,
                    r.sqlite_indexed_copy_rows_per_sec,
                    r.ratio_indexed
                );
                for f in &r.per_file {
                    outln!(
                        "    {:<32} {:>10} rows {:>7.2} s {:>9.0} rows/s",
                        f.file,
                        f.rows,
                        f.secs,
                        f.rows as f64 / f.secs.max(1e-9)
                    );
                    // Where the writer's time went, for files where it is worth reading.
                    if f.secs >= 0.5 {
                        outln!("      {}", phase_line(&f.phases));
                    }
                }
                outln!(
                    "  case size       {} bytes ({:.0} bytes/event)",
                    r.case_bytes,
                    r.bytes_per_event
                );
                match r.peak_rss_mib {
                    Some(m) => outln!("  peak RSS        {m:.0} MiB"),
                    None => outln!("  peak RSS        (not available on this platform)"),
                }
                print_query_bench(&r.queries);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `1G`, `500M`, `64K`, `1000` -> bytes.
fn parse_size(s: &str) -> Result<u64> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, 'K' | 'k')) => (&t[..i], 1u64 << 10),
        Some((i, 'M' | 'm')) => (&t[..i], 1 << 20),
        Some((i, 'G' | 'g')) => (&t[..i], 1 << 30),
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|n| *n > 0)
        .with_context(|| format!("--bytes {s:?}: a positive number with an optional K, M or G"))
}

fn format_bench(
    format: &str,
    bytes: &str,
    seed: u64,
    extra_fields: Option<&str>,
    dir: Option<&Path>,
    json: bool,
    cancel: &CancelToken,
) -> Result<ExitCode> {
    let bytes = parse_size(bytes)?;
    let bar = BarProgress::new(!json, "bench import");
    let r = ops::bench::format_bench(format, bytes, seed, extra_fields, dir, &bar, cancel)?;
    bar.0.finish_and_clear();
    if json {
        print_json(&r)?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "bench --format {format}: {} records, {:.1} MiB ({}), generated in {:.1} s",
        r.records,
        r.file_bytes as f64 / (1 << 20) as f64,
        r.format,
        r.gen_secs
    );
    outln!(
        "  reader alone     {:>10.0} events/s  ({:.2} s)",
        r.parse_events_per_sec,
        r.parse_secs
    );
    outln!(
        "  import           {:>10.0} events/s  ({:.2} s, {:.1} MiB/s; {} imported, {} rejected)",
        r.import_events_per_sec,
        r.import_secs,
        r.import_mib_per_sec,
        r.events_imported,
        r.rows_rejected
    );
    outln!("    {}", phase_line(&r.phases));
    outln!(
        "  extra fields     {} events, {:.0} bytes each on average{}",
        r.extra_rows,
        r.extra_bytes as f64 / r.extra_rows.max(1) as f64,
        if r.extras_in_original {
            "; the others are read from the original"
        } else {
            ""
        }
    );
    outln!(
        "  text search      {:.2} s to search every event for a text no field holds ({} hits)",
        r.search_secs,
        r.search_hits
    );
    outln!(
        "  case size        {:.1} MiB ({:.0} bytes per event)",
        r.case_bytes as f64 / (1 << 20) as f64,
        r.case_bytes as f64 / r.events_imported.max(1) as f64
    );
    if let Some(rss) = r.peak_rss_mib {
        outln!("  peak RSS         {rss:.0} MiB");
    }
    if let (Some(cpu), Some(per)) = (r.import_cpu_secs, r.import_cpu_us_per_event) {
        outln!(
            "  import CPU       {cpu:.2} s (user + system, all threads) = {per:.1} µs per event"
        );
    }
    if let (Some(a), Some(b)) = (r.load_before, r.load_after) {
        outln!("  load average     {a:.2} before, {b:.2} after (the machine's, 1 minute)");
    }
    Ok(ExitCode::SUCCESS)
}

fn print_query_bench(q: &ops::bench::QueryBench) {
    outln!("timeline query layer, {} events:", q.events);
    outln!(
        "  open case -> first timeline data   {:.1} ms",
        q.open_to_first_data_ms
    );
    outln!(
        "  zoom/pan timeline queries ({})      p50 {:.1} ms  p95 {:.1} ms  max {:.1} ms",
        q.requests,
        q.timeline_p50_ms,
        q.timeline_p95_ms,
        q.timeline_max_ms
    );
    outln!(
        "  table count + first page           p50 {:.1} ms  p95 {:.1} ms  max {:.1} ms",
        q.table_p50_ms,
        q.table_p95_ms,
        q.table_max_ms
    );
    if let Some(m) = q.rss_mib {
        outln!("  RSS after the queries              {m:.0} MiB");
    }
    let l = &q.lookups;
    outln!("person page data (gap 30 min):");
    for (key, events, ms) in &l.person_pages {
        outln!("  {key:<6} {events:>9} access events  {ms:>9.1} ms");
    }
    outln!(
        "subject lookup ({} single lookups, mean {:.0} events each): p50 {:.1} ms  max {:.1} ms",
        l.subject_lookups,
        l.subject_mean_events,
        l.subject_p50_ms,
        l.subject_max_ms
    );
    outln!(
        "bulk subject lookup to CSV: {} identifiers ({} with access events), {} bytes in {:.2} s",
        l.bulk_identifiers,
        l.bulk_with_hits,
        l.bulk_csv_bytes,
        l.bulk_secs
    );
}

fn remove_case(case: &Path) -> Result<()> {
    Case::open_read_only(case)
        .with_context(|| "refusing to replace a file that is not a Retrace case")?;
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let p = PathBuf::from(format!("{}{suffix}", case.display()));
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("{}: cannot remove", p.display()))?;
        }
    }
    Ok(())
}

fn import(args: ImportArgs, cancel: &CancelToken) -> Result<ExitCode> {
    let options = args.source.options()?;
    let mut case = Case::open_or_create(&args.case)?;
    let by = args.by.clone().unwrap_or_else(ops::investigator);
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    for file in &args.files {
        let req = ops::ImportRequest {
            path: file.clone(),
            options: options.clone(),
            force: args.force,
            imported_by: by.clone(),
        };
        let bar = BarProgress::new(
            !args.json,
            &file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        let r = ops::import_file(&mut case, &req, &bar, cancel);
        bar.0.finish_and_clear();
        match r {
            Ok(r) => {
                if !args.json {
                    print_import_line(&r);
                    print_plan_notes(&r.plan);
                    print_read_notes(&r.unread_columns, &r.notes);
                    for rej in r.rejects.iter().take(5) {
                        outln!("    rejected line {}: {}", rej.line, rej.reason);
                    }
                    if r.result.rows_rejected > 5 {
                        outln!(
                            "    ... see `retrace rejects {} --source {}`",
                            args.case.display(),
                            r.result.source_id
                        );
                    }
                }
                reports.push(r);
            }
            Err(e) => {
                if !args.json {
                    eprintln!("error: {e:#}");
                }
                failures.push(format!("{e:#}"));
            }
        }
    }
    if args.json {
        print_json(&serde_json::json!({ "imports": reports, "failures": failures }))?;
    } else if !failures.is_empty() {
        eprintln!(
            "{} of {} files failed; the others were imported",
            failures.len(),
            args.files.len()
        );
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_import_line(r: &ops::ImportReport) {
    outln!(
        "imported {} as source {} ({}, {}, {}): {} rows read, {} imported, {} rejected",
        r.plan.file_name,
        r.result.source_id,
        r.plan.kind.as_str(),
        r.plan.format_label(),
        match r.plan.encoding_how {
            // Say how an encoding was told that no BOM or declaration names.
            ingest::EncodingHow::NulPattern =>
                format!("{} (nul-pattern)", r.plan.encoding.as_str()),
            _ => r.plan.encoding.as_str().to_string(),
        },
        r.result.rows_read,
        r.result.rows_imported,
        r.result.rows_rejected
    );
}

/// The columns nothing read and the notes on how rows were read, after an import.
fn print_read_notes(unread: &[String], notes: &[String]) {
    if !unread.is_empty() {
        outln!(
            "    not read: {} (no field takes them: map them with a profile, --map, or they are not kept beyond the stored original)",
            unread.join(", ")
        );
    }
    for n in notes {
        outln!("    note: {n}");
    }
}

fn print_plan_notes(plan: &ingest::Plan) {
    if let Some(r) = &plan.roster_mapping {
        let cols: Vec<String> = r
            .columns
            .iter()
            .map(|(f, c)| format!("{f}={c:?}"))
            .collect();
        outln!("    mapping: {}", cols.join(" "));
    }
    if plan.kind == SourceKind::Access {
        let cols: Vec<String> = plan
            .mapping
            .columns
            .iter()
            .map(|(f, c)| format!("{}={c:?}", f.as_str()))
            .collect();
        outln!("    mapping: {}", cols.join(" "));
    }
    if plan.zone_how == ingest::ZoneHow::Default {
        outln!(
            "    note: no zone declared; timestamps without an offset were read as UTC (use --tz ZONE)"
        );
    } else {
        outln!("    zone for naive timestamps: {}", plan.zone);
    }
    if let Some(note) = plan.year_note() {
        outln!("    note: {note}");
    }
    if plan.extras_in_original {
        outln!("    unmapped fields: {}", plan.unmapped_fields());
    }
}

fn preview(args: PreviewArgs) -> Result<ExitCode> {
    let options = args.source.options()?;
    let plan = ingest::plan(&args.file, &options)?;
    if plan.kind == SourceKind::Access {
        let mut vocab = crate::model::Vocabulary::default();
        let (rows, rejects) = ingest::preview_rows(&args.file, &plan, &mut vocab, args.rows);
        if args.json {
            let evs: Vec<serde_json::Value> = rows
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "line": e.line, "ts_utc": format_utc(e.ts_us), "raw_ts": e.raw_ts, "account": e.account,
                        "system": e.system, "action": e.action, "object": e.object,
                        "categories": vocab.names(e.categories), "subjects": e.subjects, "records": e.records,
                        "outcome": e.outcome.as_ref().map(|o| o.as_str().to_string()),
                    })
                })
                .collect();
            let rej: Vec<serde_json::Value> = rejects
                .iter()
                .map(|r| serde_json::json!({"line": r.line, "reason": r.reason}))
                .collect();
            print_json(&serde_json::json!({ "plan": plan, "rows": evs, "rejects": rej }))?;
        } else {
            print_plan(&plan);
            outln!("first rows:");
            for e in &rows {
                outln!(
                    "  line {:>4}  {}  (raw {:?})  account={} system={} action={} object={} categories=[{}] subjects={} records={}",
                    e.line,
                    format_utc(e.ts_us),
                    e.raw_ts,
                    e.account.as_deref().unwrap_or("-"),
                    e.system.as_deref().unwrap_or("-"),
                    e.action.as_deref().unwrap_or("-"),
                    e.object.as_deref().unwrap_or("-"),
                    vocab.names(e.categories).join(","),
                    e.subjects.len(),
                    e.records.map_or("-".into(), |r| r.to_string()),
                );
            }
            for r in &rejects {
                outln!("  line {:>4}  REJECTED: {}", r.line, r.reason);
            }
        }
    } else {
        let mut vocab = crate::model::Vocabulary::default();
        let (rows, rejects) =
            ingest::roster::preview_rows(&args.file, &plan, &mut vocab, args.rows);
        if args.json {
            let rows: Vec<serde_json::Value> = rows
                .iter()
                .map(|(line, r)| serde_json::json!({"line": line, "row": r.describe(&vocab)}))
                .collect();
            let rej: Vec<serde_json::Value> = rejects
                .iter()
                .map(|r| serde_json::json!({"line": r.line, "reason": r.reason}))
                .collect();
            print_json(&serde_json::json!({ "plan": plan, "rows": rows, "rejects": rej }))?;
        } else {
            print_plan(&plan);
            outln!("first rows:");
            for (line, r) in &rows {
                outln!("  line {line:>4}  {}", r.describe(&vocab));
            }
            for r in &rejects {
                outln!("  line {:>4}  REJECTED: {}", r.line, r.reason);
            }
        }
    }
    if let Some(out) = &args.save_profile {
        std::fs::write(out, plan.to_profile().to_toml())
            .with_context(|| format!("{}: cannot write", out.display()))?;
        if !args.json {
            outln!("saved the mapping profile to {}", out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_plan(plan: &ingest::Plan) {
    outln!("file:     {}", plan.file_name);
    outln!("kind:     {}", plan.kind.as_str());
    outln!("format:   {}", plan.format_label());
    if !plan.detection.others.is_empty() {
        let others: Vec<String> = plan
            .detection
            .others
            .iter()
            .map(|c| format!("{} {:.0}%", c.format.as_str(), c.confidence * 100.0))
            .collect();
        outln!("          (next: {})", others.join(", "));
    }
    if let Some(p) = &plan.log_line_prefix {
        outln!("log_line_prefix: {p:?}");
    }
    outln!(
        "encoding: {} ({})",
        plan.encoding.as_str(),
        plan.encoding_how.as_str()
    );
    if plan.format == ingest::Format::Csv {
        outln!("delimiter: {:?}", plan.delimiter as char);
    }
    outln!("columns:  {}", plan.headers.join(", "));
    if let Some(r) = &plan.roster_mapping {
        outln!("mapping ({} field <- column):", plan.kind.as_str());
        let (required, _) = ingest::roster_map::columns(plan.kind);
        for f in ingest::roster_map::fields(plan.kind) {
            let how = match r.from_profile.get(f) {
                Some(true) => "profile",
                Some(false) => "guessed",
                None if required.contains(&f) => "REQUIRED, missing",
                None => "",
            };
            outln!("  {:<12} <- {:<24} {how}", f, r.get(f).unwrap_or("(none)"));
        }
    }
    if !plan.unread_columns.is_empty() {
        outln!("not read: {}", plan.unread_columns.join(", "));
    }
    if plan.kind == SourceKind::Access {
        outln!("mapping (field <- column):");
        for f in ingest::Field::ALL {
            let how = match plan.mapping.from_profile.get(&f) {
                Some(true) => "profile",
                Some(false) => "guessed",
                None => "",
            };
            outln!(
                "  {:<10} <- {:<24} {how}",
                f.as_str(),
                plan.mapping.get(f).unwrap_or("(none)")
            );
        }
    }
    outln!("time:     {}", plan.time_rule());
    if plan.kind == SourceKind::Access {
        outln!("unmapped fields: {}", plan.unmapped_fields());
    }
}

fn print_summary(s: &crate::case::CaseSummary) {
    let zone = parse_zone(&s.display_zone).unwrap_or(chrono_tz::UTC);
    outln!("case:      {} ({})", s.title, s.path);
    outln!(
        "schema:    version {}, case id {}",
        s.schema_version,
        s.case_id
    );
    outln!(
        "events:    {} (from {} to {}, shown in {})",
        s.events,
        s.first_ts_us
            .map_or("-".into(), |t| format_in_zone(t, zone)),
        s.last_ts_us.map_or("-".into(), |t| format_in_zone(t, zone)),
        s.display_zone
    );
    outln!("rejects:   {} rows", s.rejects);
    outln!(
        "people:    {} persons, {} accounts ({} not mapped to a person), {} systems",
        s.persons,
        s.accounts,
        s.unmapped_accounts,
        s.systems
    );
    outln!(
        "subjects:  {} distinct data subjects; {} approvals; {} milestones; {} custody entries",
        s.subjects,
        s.approvals,
        s.milestones,
        s.custody_entries
    );
    outln!("sources:");
    for src in &s.sources {
        outln!(
            "  #{:<3} {:<10} {:<32} read {:>8}  imported {:>8}  rejected {:>5}  {} {} zone {}  sha256 {}",
            src.id,
            src.kind,
            src.file_name,
            src.rows_read,
            src.rows_imported,
            src.rows_rejected,
            src.format,
            src.encoding,
            src.zone,
            src.sha256
        );
        if !src.unread_columns.is_empty() {
            outln!("       not read: {}", src.unread_columns.join(", "));
        }
        for n in &src.notes {
            outln!("       note: {n}");
        }
    }
}

fn show(case: &Path, event_id: i64, tz: Option<String>, json: bool) -> Result<ExitCode> {
    let c = Case::open_read_only(case)?;
    let d = crate::ingest::event_detail(&c, event_id)?
        .with_context(|| format!("{}: no event with id {event_id}", case.display()))?;
    let zone_name = match tz {
        Some(z) => z,
        None => c.meta("display_zone")?.unwrap_or_else(|| "UTC".into()),
    };
    let zone = parse_zone(&zone_name).map_err(anyhow::Error::msg)?;
    let src_zone = parse_zone(&d.source.zone).unwrap_or(chrono_tz::UTC);
    if json {
        print_json(&d)?;
        return Ok(ExitCode::SUCCESS);
    }
    let vocab = c.vocabulary()?;
    let r = &d.row;
    outln!("event {}", r.id);
    outln!(
        "  time (UTC):            {}",
        format_in_zone(r.ts_us, chrono_tz::UTC)
    );
    outln!("  time ({zone_name}):  {}", format_in_zone(r.ts_us, zone));
    outln!(
        "  time (source zone {}): {}",
        d.source.zone,
        format_in_zone(r.ts_us, src_zone)
    );
    outln!(
        "  raw timestamp:         {:?}  [{}]",
        d.raw_ts,
        crate::model::TsFlags(d.ts_flags).describe().join("; ")
    );
    outln!(
        "  account:   {}  person: {}",
        r.account.as_deref().unwrap_or("-"),
        r.person_key.as_deref().unwrap_or("(unmapped)")
    );
    outln!(
        "  system:    {}  action: {}  object: {}",
        r.system.as_deref().unwrap_or("-"),
        r.action.as_deref().unwrap_or("-"),
        r.object.as_deref().unwrap_or("-")
    );
    outln!(
        "  source ip: {}  outcome: {}  records: {}",
        d.src_ip.as_deref().unwrap_or("-"),
        r.outcome.as_ref().map_or("-", |o| o.as_str()),
        r.records.map_or("-".into(), |n| n.to_string())
    );
    outln!(
        "  categories: {}",
        vocab
            .names(crate::model::CategorySet(r.categories))
            .join(", ")
    );
    outln!(
        "  subjects ({}): {}",
        d.subjects.len(),
        d.subjects.join(", ")
    );
    outln!(
        "  session: {}  ticket: {}",
        d.session_key.as_deref().unwrap_or("-"),
        d.ticket.as_deref().unwrap_or("-")
    );
    outln!(
        "  source:  #{} {} line {}{} sha256 {}",
        d.source.id,
        d.source.file_name,
        r.line,
        if d.line_end > r.line {
            format!("-{}", d.line_end)
        } else {
            String::new()
        },
        d.source.sha256
    );
    if !d.extra.is_empty() {
        outln!(
            "  other fields (not mapped to a column{}):",
            if d.extra_in_original {
                "; read from the original record"
            } else {
                ""
            }
        );
        for (k, v) in &d.extra {
            outln!(
                "    {k}: {}",
                v.as_str().map_or_else(|| v.to_string(), str::to_string)
            );
        }
    }
    outln!("  raw:     {}", d.raw_text);
    let _ = NoProgress;
    Ok(ExitCode::SUCCESS)
}

/// An import's writer phases as `name seconds · ...`, leaving out those under 5 ms.
fn phase_line(phases: &[(&str, f64)]) -> String {
    let steps: Vec<String> = phases
        .iter()
        .filter(|(_, s)| *s >= 0.005)
        .map(|(p, s)| format!("{p} {s:.2}"))
        .collect();
    steps.join(" · ")
}
