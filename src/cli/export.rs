//! `retrace export`, `retrace verify-export`, `retrace annotate`, `retrace report-text`,
//! `retrace custody` and `retrace investigator`: exports with manifest and custody entry, and
//! the investigator's additions to a case.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;

use crate::case::{AnnotationKind, AnnotationTarget, Case, FilterColumn, FilterOp, FilterTerm};
use crate::jobs::CancelToken;
use crate::model::time::{TimeParser, format_in_zone, parse_zone};
use crate::ops::export::{
    self, ExportFormat, ExportRequest, ExportScope, Lang, RedactionMode, ReportLayout, settings,
};

#[derive(Debug, Args)]
pub struct ExportArgs {
    pub case: PathBuf,
    /// case | view | person | subjects | finding
    #[arg(long, default_value = "case")]
    pub scope: String,
    /// csv | jsonl | report (a self-contained HTML file) | timesketch (Timesketch JSON Lines) |
    /// parquet (typed columns)
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// Output directory: created if absent, must be empty.
    #[arg(long)]
    pub out: PathBuf,
    /// view scope: start (RFC 3339, or a date/time read in --tz).
    #[arg(long)]
    pub from: Option<String>,
    /// view scope: end, exclusive.
    #[arg(long)]
    pub to: Option<String>,
    /// view scope: a filter term KIND=VALUE, repeatable (person=P13, org=NAME, actor-country=CN,
    /// system=NAME, storage-country=JP, category=email, action=A, outcome=denied, text=T).
    #[arg(long = "filter")]
    pub filters: Vec<String>,
    /// view scope: a query in the query language of the app's free-text box, e.g.
    /// 'org:Hoshizora* AND NOT outcome:success' (times in time:[..] read in --tz).
    #[arg(long)]
    pub query: Option<String>,
    /// view scope: a saved view of the case (its filter, range and zone; --from, --to, --tz,
    /// --filter and --query given as well narrow or replace them).
    #[arg(long)]
    pub view: Option<String>,
    /// person scope: roster person ids, repeatable.
    #[arg(long = "person")]
    pub persons: Vec<String>,
    /// subjects scope: identifiers (user id, phone, e-mail), repeatable.
    #[arg(long = "subject")]
    pub subjects: Vec<String>,
    /// subjects scope: a file of identifiers, one a line.
    #[arg(long)]
    pub subjects_file: Option<PathBuf>,
    /// finding scope: the finding's key.
    #[arg(long)]
    pub finding: Option<String>,
    /// CSV: start with a UTF-8 BOM (for Excel).
    #[arg(long)]
    pub bom: bool,
    /// keep | mask | pseudonymise (subject ids, phones, e-mails, message text)
    #[arg(long, default_value = "keep")]
    pub redact: String,
    /// Display zone (default: the case's).
    #[arg(long)]
    pub tz: Option<String>,
    /// report: en | ja
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// csv: the language of the column headers, en (the stable names scripts read: event_id,
    /// time_utc, …) | ja (イベントID, 時刻（UTC）, … for reading in a spreadsheet)
    #[arg(long, default_value = "en")]
    pub headers: String,
    /// report: ppc | gdpr
    #[arg(long, default_value = "ppc")]
    pub layout: String,
    /// Name for the custody log (default: $RETRACE_INVESTIGATOR, else the machine's settings,
    /// else the login name).
    #[arg(long)]
    pub investigator: Option<String>,
    /// Open the case for review only: nothing may be written, so the export is refused.
    #[arg(long)]
    pub read_only: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct VerifyExportArgs {
    dir: PathBuf,
    /// Fail unless the manifest is signed by one of these investigator keys.
    #[arg(long, num_args = 1.., value_name = "FINGERPRINT")]
    trust: Vec<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct CustodyArgs {
    case: PathBuf,
    #[arg(long)]
    tz: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct InvestigatorArgs {
    name: Option<String>,
}

fn investigator(given: Option<String>) -> String {
    given
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(crate::ops::investigator)
}

fn parse_time(text: &str, zone: chrono_tz::Tz) -> Result<i64> {
    TimeParser::new(zone, None)
        .parse(text)
        .map(|p| p.ts_us)
        .map_err(|e| anyhow!("{text:?}: {e}"))
}

fn filter_terms(case: &Case, filters: &[String]) -> Result<Vec<FilterTerm>> {
    let vocab = case.vocabulary()?;
    let persons = case.people().persons()?;
    let systems = case.timeline().systems()?;
    filters
        .iter()
        .map(|f| {
            let (k, v) = f
                .split_once('=')
                .ok_or_else(|| anyhow!("--filter {f:?}: write KIND=VALUE, e.g. person=P13"))?;
            Ok(match k {
                "person" => FilterTerm::Person(
                    persons
                        .iter()
                        .find(|p| p.key == v)
                        .ok_or_else(|| anyhow!("--filter person={v}: no such person"))?
                        .id,
                ),
                "org" | "organization" => FilterTerm::Organization(v.to_string()),
                "actor-country" => FilterTerm::ActorCountry(v.to_string()),
                "system" => FilterTerm::System(
                    systems
                        .iter()
                        .find(|s| s.name == v)
                        .ok_or_else(|| anyhow!("--filter system={v}: no such system"))?
                        .id,
                ),
                "storage-country" => FilterTerm::StorageCountry(v.to_string()),
                "category" => FilterTerm::Category(
                    vocab
                        .bit_of(v)
                        .ok_or_else(|| anyhow!("--filter category={v}: no such category"))?,
                ),
                "action" => FilterTerm::Action(v.to_string()),
                "outcome" => FilterTerm::Outcome(v.to_string()),
                "text" => FilterTerm::Text(v.to_string()),
                "tag" => FilterTerm::Tag(v.to_string()),
                "starred" if v == "yes" => FilterTerm::Starred,
                "column" => column_term(v)?,
                _ => bail!(
                    "--filter {f:?}: unknown kind {k:?} (person, org, actor-country, system, storage-country, category, action, outcome, text, tag, starred=yes, column=COLUMN:OP:VALUE)"
                ),
            })
        })
        .collect()
}

/// A `--query` as a filter term; an error shows the query with a caret at its column.
pub(super) fn query_term(text: &str, zone: chrono_tz::Tz) -> Result<FilterTerm> {
    FilterTerm::parse_query(text, zone).map_err(|e| {
        anyhow!(
            "--query {e}\n  {text}\n  {}^",
            " ".repeat(e.column.saturating_sub(1))
        )
    })
}

/// The saved view `--view` names.
fn saved_view(case: &Case, name: &str) -> Result<crate::case::SavedView> {
    case.annotations().saved_view(name)?.ok_or_else(|| {
        anyhow!(
            "--view {name:?}: no such saved view in this case (`retrace views CASE` lists them)"
        )
    })
}

/// The view scope: a saved view's filter and range, then the flags.
fn view_scope(args: &ExportArgs, case: &Case, zone: chrono_tz::Tz) -> Result<ExportScope> {
    let view = args
        .view
        .as_deref()
        .map(|n| saved_view(case, n))
        .transpose()?;
    let range = view.as_ref().and_then(|v| v.range);
    let from_us = match &args.from {
        Some(t) => parse_time(t, zone)?,
        None => range.map_or(i64::MIN / 2, |r| r.0),
    };
    let to_us = match &args.to {
        Some(t) => parse_time(t, zone)?,
        None => range.map_or(i64::MAX / 2, |r| r.1),
    };
    let mut filter = view.map(|v| v.filter).unwrap_or_default();
    filter.extend(filter_terms(case, &args.filters)?);
    if let Some(q) = &args.query {
        filter.push(query_term(q, zone)?);
    }
    Ok(ExportScope::View {
        from_us,
        to_us,
        filter,
    })
}

/// `--filter column=COLUMN:OP:VALUE`, the event table's per-column filter.
fn column_term(v: &str) -> Result<FilterTerm> {
    let mut parts = v.splitn(3, ':');
    let (Some(c), Some(o), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
        bail!(
            "--filter column={v:?}: write column=COLUMN:OP:VALUE, e.g. column=account:contains:admin"
        );
    };
    let column = FilterColumn::parse(c).ok_or_else(|| {
        let names: Vec<&str> = FilterColumn::ALL.iter().map(|c| c.name()).collect();
        anyhow!(
            "--filter column={v:?}: no column {c:?} ({})",
            names.join(", ")
        )
    })?;
    let op = FilterOp::parse(o).ok_or_else(|| {
        anyhow!("--filter column={v:?}: no operator {o:?} (contains, equals, not)")
    })?;
    Ok(FilterTerm::Column {
        column,
        op,
        value: value.to_string(),
    })
}

/// The `--scope` and the flags that go with it.
fn scope(args: &ExportArgs, case: &Case, zone: chrono_tz::Tz) -> Result<ExportScope> {
    if args.scope != "view" && (args.query.is_some() || args.view.is_some()) {
        bail!("--query and --view go with --scope view");
    }
    Ok(match args.scope.as_str() {
        "case" | "whole" => ExportScope::Case,
        "view" => view_scope(args, case, zone)?,
        "person" | "persons" => ExportScope::Persons(args.persons.clone()),
        "subjects" | "subject" => {
            let mut ids = args.subjects.clone();
            if let Some(f) = &args.subjects_file {
                let text = std::fs::read_to_string(f)
                    .with_context(|| format!("{}: cannot read", f.display()))?;
                ids.extend(crate::analysis::subject::parse_identifier_list(&text));
            }
            ExportScope::Subjects(ids)
        }
        "finding" => {
            let key = args
                .finding
                .clone()
                .ok_or_else(|| anyhow!("--scope finding needs --finding KEY"))?;
            export::finding_scope(case, &key)?
        }
        other => bail!("--scope {other:?}: use case, view, person, subjects or finding"),
    })
}

pub(super) fn export(args: ExportArgs, cancel: &CancelToken) -> Result<ExitCode> {
    let format = ExportFormat::parse(&args.format).ok_or_else(|| {
        anyhow!(
            "--format {:?}: use csv, jsonl, report, timesketch or parquet",
            args.format
        )
    })?;
    let redaction = RedactionMode::parse(&args.redact)
        .ok_or_else(|| anyhow!("--redact {:?}: use keep, mask or pseudonymise", args.redact))?;
    let lang =
        Lang::parse(&args.lang).ok_or_else(|| anyhow!("--lang {:?}: use en or ja", args.lang))?;
    let headers = Lang::parse(&args.headers)
        .ok_or_else(|| anyhow!("--headers {:?}: use en or ja", args.headers))?;
    let layout = match args.layout.as_str() {
        "ppc" => ReportLayout::Ppc,
        "gdpr" => ReportLayout::Gdpr,
        other => bail!("--layout {other:?}: use ppc or gdpr"),
    };
    let mut case = if args.read_only {
        Case::open_read_only(&args.case)?
    } else {
        Case::open(&args.case)?
    };
    let zone_name = match (&args.tz, &args.view) {
        (Some(z), _) => z.clone(),
        // A saved view is shown in the zone it was saved in.
        (None, Some(v)) => saved_view(&case, v)?.zone,
        (None, None) => case.meta("display_zone")?.unwrap_or_else(|| "UTC".into()),
    };
    let zone = parse_zone(&zone_name).map_err(anyhow::Error::msg)?;
    let scope = scope(&args, &case, zone)?;
    let req = ExportRequest {
        scope,
        format,
        bom: args.bom,
        redaction,
        zone: zone_name,
        lang,
        headers,
        layout,
        out_dir: args.out.clone(),
        investigator: investigator(args.investigator.clone()),
    };
    let bar = super::BarProgress::new(!args.json, "export");
    // Rows, not bytes.
    bar.0.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg:>12} [{bar:30}] {pos}/{len} events {per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let out = export::run_export(&mut case, &req, &bar, cancel)?;
    bar.0.finish_and_clear();
    if args.json {
        super::print_json(&out)?;
    } else {
        outln!(
            "exported {} ({}) to {} in {:.2} s",
            crate::model::plural::count(out.rows, "event", "events"),
            format.as_str(),
            out.dir.display(),
            out.secs
        );
        for f in &out.files {
            outln!("  {}  {} bytes  sha256 {}", f.name, f.bytes, f.sha256);
        }
        outln!("  manifest: {}", out.manifest.display());
        outln!("  custody entry: {}", out.custody_hash);
        if !out.unresolved_subjects.is_empty() {
            outln!(
                "  {} identifiers are not subjects of this case: {}",
                out.unresolved_subjects.len(),
                out.unresolved_subjects.join(", ")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn verify_export(
    VerifyExportArgs { dir, trust, json }: VerifyExportArgs,
) -> Result<ExitCode> {
    let (dir, trust) = (dir.as_path(), trust.as_slice());
    let r = export::verify_export_trusting(dir, trust)?;
    if json {
        super::print_json(&r)?;
    } else {
        for f in &r.files {
            if f.status == "ok" {
                outln!("ok      {}  {}", f.name, f.detail);
            } else {
                outln!("FAILED  {}: {} — {}", f.name, f.status, f.detail);
            }
        }
        for u in &r.unlisted {
            outln!("note    {u}: not listed in the manifest");
        }
        if let Some(m) = &r.manifest {
            outln!(
                "manifest: {} {} rows, case {} ({}), custody head {}, by {} at {}",
                m.format,
                m.rows,
                m.case.title,
                m.case.case_id,
                m.case.custody_head_hash,
                m.investigator,
                m.created_utc
            );
        }
        if r.is_clean() {
            outln!("OK: every file matches the manifest");
        }
    }
    Ok(if r.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[derive(Debug, Args)]
pub struct AnnotateArgs {
    pub case: PathBuf,
    /// The event to annotate.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub event: Option<i64>,
    /// A time range instead of an event: start (RFC 3339 or a time read in --tz).
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    #[arg(long)]
    pub star: bool,
    #[arg(long)]
    pub tag: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long)]
    pub tz: Option<String>,
    #[arg(long)]
    pub investigator: Option<String>,
}

pub(super) fn annotate(args: AnnotateArgs) -> Result<ExitCode> {
    let mut case = Case::open(&args.case)?;
    let zone = parse_zone(args.tz.as_deref().unwrap_or("UTC")).map_err(anyhow::Error::msg)?;
    let target = match (args.event, &args.from, &args.to) {
        (Some(id), _, _) => AnnotationTarget::Event(id),
        (None, Some(f), Some(t)) => AnnotationTarget::Range {
            from_us: parse_time(f, zone)?,
            to_us: parse_time(t, zone)?,
        },
        _ => bail!("give --event ID, or --from and --to"),
    };
    let (kind, text) = match (args.star, &args.tag, &args.note) {
        (true, None, None) => (AnnotationKind::Star, String::new()),
        (false, Some(t), None) => (AnnotationKind::Tag, t.clone()),
        (false, None, Some(n)) => (AnnotationKind::Note, n.clone()),
        _ => bail!("give exactly one of --star, --tag TEXT, --note TEXT"),
    };
    let id = case
        .writes()
        .add_annotation(target, kind, &text, &investigator(args.investigator))?;
    outln!("annotation {id} added ({})", kind.as_str());
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct ReportTextArgs {
    pub case: PathBuf,
    /// A section (ppc.outline, ppc.cause, ...); without it, list the sections and their state.
    pub section: Option<String>,
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// The text to store.
    #[arg(long, conflicts_with = "file")]
    pub text: Option<String>,
    /// Read the text from this file (UTF-8).
    #[arg(long)]
    pub file: Option<PathBuf>,
    #[arg(long)]
    pub investigator: Option<String>,
}

pub(super) fn report_text(args: ReportTextArgs) -> Result<ExitCode> {
    let lang = Lang::parse(&args.lang).ok_or_else(|| anyhow!("--lang: use en or ja"))?;
    let Some(section) = args.section else {
        let case = Case::open_read_only(&args.case)?;
        for (s, _) in crate::ops::report::narrative_sections() {
            for l in [Lang::En, Lang::Ja] {
                let state = match case.export().report_text(s, l.as_str())? {
                    Some(t) => format!("{} characters", t.chars().count()),
                    None => "not written".into(),
                };
                outln!("{s:<28} {}  {state}", l.as_str());
            }
        }
        return Ok(ExitCode::SUCCESS);
    };
    if !crate::ops::report::narrative_sections().any(|(s, _)| s == section) {
        bail!(
            "unknown section {section:?}; one of: {}",
            crate::ops::report::narrative_sections()
                .map(|(s, _)| s)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let text = match (args.text, args.file) {
        (Some(t), _) => t,
        (None, Some(f)) => {
            std::fs::read_to_string(&f).with_context(|| format!("{}: cannot read", f.display()))?
        }
        (None, None) => bail!("give --text or --file"),
    };
    let mut case = Case::open(&args.case)?;
    case.writes().set_report_text(
        &section,
        lang.as_str(),
        &text,
        &investigator(args.investigator),
    )?;
    outln!("{section} ({}) stored", lang.as_str());
    Ok(ExitCode::SUCCESS)
}

pub(super) fn custody(CustodyArgs { case, tz, json }: CustodyArgs) -> Result<ExitCode> {
    let case = case.as_path();
    let c = Case::open_read_only(case)?;
    let entries = c.custody().custody_entries()?;
    if json {
        super::print_json(&entries)?;
        return Ok(ExitCode::SUCCESS);
    }
    let zone_name = match tz {
        Some(z) => z,
        None => c.meta("display_zone")?.unwrap_or_else(|| "UTC".into()),
    };
    let zone = parse_zone(&zone_name).map_err(anyhow::Error::msg)?;
    outln!(
        "custody log ({}; times in {zone_name})",
        crate::model::plural::count(entries.len(), "entry", "entries")
    );
    for e in &entries {
        outln!(
            "{:>5}  {}  {:<12} {:<14} {}  {}",
            e.id,
            format_in_zone(e.at_us, zone),
            e.actor,
            e.action,
            &e.hash[..12.min(e.hash.len())],
            e.details
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn set_investigator(InvestigatorArgs { name }: InvestigatorArgs) -> Result<ExitCode> {
    match name {
        Some(n) => {
            if n.trim().is_empty() {
                bail!("the investigator's name cannot be blank");
            }
            let mut s = settings::load();
            s.investigator = Some(n.trim().to_string());
            let p = settings::save(&s)?;
            outln!("investigator set to {:?} in {}", n.trim(), p.display());
        }
        None => match settings::saved_investigator() {
            Some(n) => outln!("{n}"),
            None => outln!(
                "no investigator saved on this machine; custody entries use {:?}",
                crate::ops::investigator()
            ),
        },
    }
    // The key is created here if this is its first use, so its fingerprint can be handed on
    // before the first custody entry.
    match crate::signing::process_key()? {
        Some(k) => outln!(
            "signing key: {} (Ed25519; {} in {})",
            k.fingerprint(),
            crate::signing::SECRET_FILE,
            crate::signing::config_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_default()
        ),
        None => outln!("signing key: none (custody entries are unsigned)"),
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn bench(case: &Path, dir: Option<&Path>, runs: usize, json: bool) -> Result<ExitCode> {
    let scratch;
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => {
            scratch = crate::ops::sample::tempfile_dir()?;
            scratch.path().to_path_buf()
        }
    };
    let r = export::bench::export_bench(case, &dir, runs, RedactionMode::Keep)?;
    if json {
        super::print_json(&r)?;
    } else {
        outln!(
            "CSV export of {} events ({} runs, redaction {}): {} rows, {} bytes",
            r.case_events,
            r.runs_secs.len(),
            r.redaction,
            r.rows,
            r.bytes
        );
        let runs: Vec<String> = r.runs_secs.iter().map(|s| format!("{s:.2} s")).collect();
        outln!("  runs            {}", runs.join(", "));
        outln!(
            "  median          {:.2} s = {:.0} rows/s ({:.0} MiB/s)",
            r.median_secs,
            r.median_rows_per_sec,
            r.median_mib_per_sec
        );
        if let Some(per) = r.rows_per_cpu_sec {
            let cpu: Vec<String> = r
                .runs_cpu_secs
                .iter()
                .map(|s| format!("{s:.2} s"))
                .collect();
            outln!(
                "  CPU             {} (user + system, both threads) = {per:.0} rows per CPU second",
                cpu.join(", ")
            );
        }
        if let (Some(a), Some(b)) = (r.load_before, r.load_after) {
            outln!("  load average    {a:.2} before, {b:.2} after (the machine's, 1 minute)");
        }
        if let Some(m) = r.peak_rss_mib {
            outln!("  peak RSS        {m:.0} MiB");
        }
    }
    Ok(ExitCode::SUCCESS)
}
