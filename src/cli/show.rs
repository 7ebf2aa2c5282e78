//! `retrace show`: one event with its times in UTC, the display zone and the source's zone,
//! its fields and its raw source line.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use super::print_json;
use crate::case::Case;
use crate::model::time::{format_in_zone, parse_zone};

#[derive(Debug, Args)]
pub struct ShowArgs {
    case: PathBuf,
    event_id: i64,
    /// Display zone (default: the case's).
    #[arg(long)]
    tz: Option<String>,
    #[arg(long)]
    json: bool,
}

pub(super) fn run(
    ShowArgs {
        case,
        event_id,
        tz,
        json,
    }: ShowArgs,
) -> Result<ExitCode> {
    let case = case.as_path();
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
    Ok(ExitCode::SUCCESS)
}
