//! `retrace info`: the case in numbers, its sources with counts and hashes, and whether the
//! read saw damage or an interrupted write.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{print_json, safety};
use crate::case::Case;
use crate::model::plural::count;
use crate::model::time::{format_in_zone, parse_zone};

#[derive(Debug, Args)]
pub struct InfoArgs {
    case: PathBuf,
    #[arg(long)]
    json: bool,
}

pub(super) fn run(InfoArgs { case, json }: InfoArgs) -> Result<ExitCode> {
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

pub(super) fn print_summary(s: &crate::case::CaseSummary) {
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
    outln!("rejects:   {}", count(s.rejects, "row", "rows"));
    outln!(
        "people:    {}, {} ({} not mapped to a person), {}",
        count(s.persons, "person", "persons"),
        count(s.accounts, "account", "accounts"),
        s.unmapped_accounts,
        count(s.systems, "system", "systems")
    );
    outln!(
        "subjects:  {}; {}; {}; {}",
        count(
            s.subjects,
            "distinct data subject",
            "distinct data subjects"
        ),
        count(s.approvals, "approval", "approvals"),
        count(s.milestones, "milestone", "milestones"),
        count(s.custody_entries, "custody entry", "custody entries")
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
