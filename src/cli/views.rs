//! `retrace views`: the case's saved views (the app saves them; this lists, saves from a
//! query, and deletes them, each change with its custody entry).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use crate::case::{Case, SavedView};
use crate::model::time::{format_in_zone, parse_zone};

#[derive(Debug, Args)]
pub struct ViewsArgs {
    pub case: PathBuf,
    /// Save (or replace) a view of this name from --query, --from, --to and --tz.
    #[arg(long, conflicts_with = "delete")]
    pub save: Option<String>,
    /// Delete the view of this name.
    #[arg(long)]
    pub delete: Option<String>,
    /// --save: the view's query (the app's query language).
    #[arg(long, requires = "save")]
    pub query: Option<String>,
    /// --save: start of the view's range (RFC 3339, or a time read in --tz).
    #[arg(long, requires = "save")]
    pub from: Option<String>,
    /// --save: end of the range, exclusive.
    #[arg(long, requires = "save")]
    pub to: Option<String>,
    /// --save: the view's display zone (default: the case's); times are read in it.
    #[arg(long)]
    pub tz: Option<String>,
    /// --save: category | system | outcome
    #[arg(long, default_value = "category")]
    pub color_by: String,
    #[arg(long)]
    pub investigator: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub(super) fn run(args: ViewsArgs) -> Result<ExitCode> {
    if args.save.is_some() || args.delete.is_some() {
        return change(args);
    }
    let case = Case::open_read_only(&args.case)?;
    let views = case.annotations().saved_views()?;
    if args.json {
        super::print_json(&views)?;
        return Ok(ExitCode::SUCCESS);
    }
    if views.is_empty() {
        outln!("no saved views");
    }
    for v in &views {
        let zone = parse_zone(&v.zone).unwrap_or(chrono_tz::UTC);
        let range = match v.range {
            Some((a, b)) => format!(
                "{} – {} {}",
                format_in_zone(a, zone),
                format_in_zone(b, zone),
                v.zone
            ),
            None => format!("whole case ({})", v.zone),
        };
        outln!("{}", v.name);
        outln!(
            "  filter   {}",
            if v.query.is_empty() { "none" } else { &v.query }
        );
        outln!("  range    {range}");
        outln!("  colour   {}", v.color_by);
        if let Some(c) = &v.columns {
            outln!("  columns  {}", c.join(", "));
        }
        outln!(
            "  saved by {} at {} UTC",
            v.author,
            crate::model::time::format_in_zone(v.at_us, chrono_tz::UTC)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn change(args: ViewsArgs) -> Result<ExitCode> {
    let mut case = Case::open(&args.case)?;
    let author = args
        .investigator
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(crate::ops::investigator);
    if let Some(name) = &args.delete {
        case.writes().delete_view(name, &author)?;
        outln!("saved view {name:?} deleted; recorded in the custody log");
        return Ok(ExitCode::SUCCESS);
    }
    let Some(name) = args.save.clone() else {
        bail!("give --save NAME or --delete NAME");
    };
    if !["category", "system", "outcome"].contains(&args.color_by.as_str()) {
        bail!(
            "--color-by {:?}: use category, system or outcome",
            args.color_by
        );
    }
    let zone_name = match &args.tz {
        Some(z) => z.clone(),
        None => case.meta("display_zone")?.unwrap_or_else(|| "UTC".into()),
    };
    let zone = parse_zone(&zone_name).map_err(anyhow::Error::msg)?;
    let filter = match &args.query {
        Some(q) => vec![super::export::query_term(q, zone)?],
        None => Vec::new(),
    };
    let time = |t: &Option<String>| -> Result<Option<i64>> {
        t.as_deref()
            .map(|t| {
                crate::model::time::TimeParser::new(zone, None)
                    .parse(t)
                    .map(|p| p.ts_us)
                    .map_err(|e| anyhow::anyhow!("{t:?}: {e}"))
            })
            .transpose()
    };
    let range = match (time(&args.from)?, time(&args.to)?) {
        (Some(a), Some(b)) => Some((a, b)),
        (None, None) => None,
        _ => bail!("give both --from and --to, or neither (the whole case)"),
    };
    let view = SavedView {
        name: name.clone(),
        query: args.query.clone().unwrap_or_default(),
        filter,
        range,
        zone: zone.name().to_string(),
        color_by: args.color_by.clone(),
        columns: None,
        author: author.clone(),
        at_us: 0,
    };
    let replaced = case.writes().save_view(&view, &author)?;
    outln!(
        "saved view {name:?} {}; recorded in the custody log",
        if replaced { "replaced" } else { "saved" }
    );
    Ok(ExitCode::SUCCESS)
}
