//! `retrace person` and `retrace subject`: the person page and the data-subject lookup on the
//! command line, human or `--json`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono_tz::Tz;
use clap::Args;

use crate::analysis::person::{PersonPage, find_person, person_page};
use crate::analysis::subject::{
    SubjectAnswer, lookup_subjects, lookup_subjects_to_csv, parse_identifier_list, write_csv,
};
use crate::case::Case;
use crate::model::plural::count;
use crate::model::time::{format_in_zone, format_utc, parse_zone};

#[derive(Debug, Args)]
pub struct PersonArgs {
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
}

#[derive(Debug, Args)]
pub struct SubjectArgs {
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
}

fn display_zone(c: &Case, tz: Option<String>) -> Result<Tz> {
    let name = match tz {
        Some(z) => z,
        None => c.meta("display_zone")?.unwrap_or_else(|| "UTC".into()),
    };
    parse_zone(&name).map_err(anyhow::Error::msg)
}

fn opt(v: Option<&str>) -> &str {
    v.unwrap_or("—")
}

pub(super) fn person(args: PersonArgs) -> Result<ExitCode> {
    let PersonArgs {
        case,
        name_or_id: who,
        gap_minutes,
        tz,
        json,
    } = args;
    let (case, who) = (case.as_path(), who.as_str());
    if gap_minutes <= 0 {
        bail!("--gap-minutes must be at least 1");
    }
    let c = Case::open_read_only(case)?;
    let zone = display_zone(&c, tz)?;
    let p = find_person(&c, who)?.with_context(|| {
        format!(
            "{}: no person matches {who:?} (give a person id such as P13, an account, or a name)",
            case.display()
        )
    })?;
    let page = person_page(&c, &p.key, gap_minutes, zone)?
        .with_context(|| format!("{}: person {} vanished", case.display(), p.key))?;
    if json {
        super::print_json(&page)?;
    } else {
        print_person_page(&page, zone);
    }
    Ok(ExitCode::SUCCESS)
}

/// The person page as text, times in `zone`.
fn print_person_page(page: &PersonPage, zone: Tz) {
    let pr = &page.person;
    let f = &page.figures;
    let own: Tz = f.zone.parse().unwrap_or(Tz::UTC);
    outln!(
        "{} {} ({})",
        pr.key,
        pr.display_name,
        opt(pr.native_name.as_deref())
    );
    outln!("  organization:      {}", opt(pr.organization.as_deref()));
    outln!("  works in:          {}", opt(pr.country.as_deref()));
    outln!("  role:              {}", opt(pr.role.as_deref()));
    outln!("  own zone:          {}", f.zone);
    outln!("  accounts:          {}", pr.accounts.join(", "));
    if !page.lookalike_accounts.is_empty() {
        outln!(
            "  look-alike unmapped accounts (hints, not mapped): {}",
            page.lookalike_accounts.join(", ")
        );
    }
    let when = |us: Option<i64>| {
        us.map(|t| format!("{} ({})", format_in_zone(t, zone), zone.name()))
            .unwrap_or_else(|| "—".into())
    };
    outln!("  first access:      {}", when(f.first_access_us));
    outln!("  last access:       {}", when(f.last_access_us));
    outln!(
        "  access events:     {}",
        count(f.access_events, "event", "events")
    );
    outln!(
        "  refused attempts:  {}",
        count(f.refused_events, "event", "events")
    );
    outln!(
        "  sessions:          {} ({} covered by an approval, {} not covered)",
        count(f.sessions, "session", "sessions"),
        page.covered_sessions,
        page.uncovered_sessions
    );
    outln!("    rule: {}", page.session_rule);
    outln!(
        "  active days:       {} (dates in {})",
        count(f.active_days, "day", "days"),
        f.zone
    );
    outln!(
        "  systems:           {}",
        count(f.systems.len(), "system", "systems")
    );
    for (s, country, n) in &page.system_events {
        outln!(
            "    {s:<24} data stored in {:<3} {}",
            opt(country.as_deref()),
            count(*n, "event", "events")
        );
    }
    outln!(
        "  data categories:   {}",
        count(f.categories.len(), "category", "categories")
    );
    for (cat, n) in &page.category_events {
        outln!("    {cat:<24} {}", count(*n, "event", "events"));
    }
    outln!(
        "  data subjects:     {}",
        count(f.distinct_subjects, "distinct subject", "distinct subjects")
    );
    outln!(
        "  records touched:   {}",
        count(f.records, "record", "records")
    );
    outln!(
        "  approvals:         {}",
        count(page.approvals.len(), "approval", "approvals")
    );
    for a in &page.approvals {
        outln!(
            "    {:<14} {:<18} {} .. {} (UTC) overseer {}",
            opt(a.ticket.as_deref()),
            a.system,
            format_utc(a.valid_from_us),
            format_utc(a.valid_to_us),
            opt(a.overseer_key.as_deref())
        );
    }
    print_refused(page, zone);
    print_rejected(&page.rejected_rows, "this person or their accounts");
    print_sessions(page, zone, own);
}

/// The person's refused attempts: time, system, action, outcome, event id.
fn print_refused(page: &PersonPage, zone: Tz) {
    if page.refused_attempts.is_empty() {
        return;
    }
    outln!(
        "  refused attempts (times in {}): {} listed of {}",
        zone.name(),
        page.refused_attempts.len(),
        page.figures.refused_events
    );
    for e in &page.refused_attempts {
        outln!(
            "    {}  {}  {}  {}  event {}",
            format_in_zone(e.ts_us, zone),
            opt(e.system.as_deref()),
            opt(e.action.as_deref()),
            e.outcome.as_ref().map_or("—", |o| o.as_str()),
            e.id
        );
    }
}

/// The person's sessions, each with its figures and its approval cover.
fn print_sessions(page: &PersonPage, zone: Tz, own: Tz) {
    outln!(
        "  sessions (times in {}; own zone {}):",
        zone.name(),
        own.name()
    );
    for (i, s) in page.sessions.iter().enumerate() {
        outln!(
            "    #{:<3} {} .. {}  {}, {}, {}, {}  {}",
            i + 1,
            format_in_zone(s.start_us, zone),
            format_in_zone(s.end_us, zone),
            count(s.events, "event", "events"),
            count(s.distinct_subjects, "subject", "subjects"),
            count(s.records, "record", "records"),
            s.systems.iter().cloned().collect::<Vec<_>>().join(","),
            if s.covered {
                format!(
                    "covered ({})",
                    s.tickets.iter().cloned().collect::<Vec<_>>().join(", ")
                )
            } else {
                "NOT covered".to_string()
            }
        );
    }
}

pub(super) fn subject(args: SubjectArgs) -> Result<ExitCode> {
    let SubjectArgs {
        case,
        ids,
        file,
        out,
        tz,
        json,
    } = args;
    let case = case.as_path();
    let c = Case::open_read_only(case)?;
    let zone = display_zone(&c, tz)?;
    let mut queries = ids;
    if let Some(f) = &file {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("{}: cannot read the identifier list", f.display()))?;
        queries.extend(parse_identifier_list(&text));
    }
    if queries.is_empty() {
        bail!("give one or more identifiers, or --file with one identifier per line");
    }
    if let Some(path) = out.as_ref().filter(|_| !json) {
        // Straight to the file, a batch at a time: long lists never fill memory.
        let f = std::fs::File::create(path)
            .with_context(|| format!("{}: cannot create", path.display()))?;
        let (answered, touched) =
            lookup_subjects_to_csv(&c, &queries, zone, std::io::BufWriter::new(f))
                .with_context(|| format!("{}: cannot write", path.display()))?;
        outln!(
            "{} identifiers answered: {} with access events, {} without; CSV written to {}",
            answered,
            touched,
            answered - touched,
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let answers = lookup_subjects(&c, &queries)?;
    if let Some(path) = &out {
        let f = std::fs::File::create(path)
            .with_context(|| format!("{}: cannot create", path.display()))?;
        write_csv(&answers, zone, std::io::BufWriter::new(f))
            .with_context(|| format!("{}: cannot write", path.display()))?;
        let touched = answers.iter().filter(|a| a.access_events > 0).count();
        if !json {
            outln!(
                "{} identifiers answered: {} with access events, {} without; CSV written to {}",
                answers.len(),
                touched,
                answers.len() - touched,
                path.display()
            );
        }
    }
    if json {
        super::print_json(&answers)?;
    } else if out.is_none() {
        for a in &answers {
            print_answer(a, zone);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_answer(a: &SubjectAnswer, zone: Tz) {
    let resolved = match &a.subject {
        Some(s) if a.via_alias => format!(
            "subject {} ({}, lives in {}) via alias",
            s.key,
            s.kind,
            opt(s.country.as_deref())
        ),
        Some(s) => format!(
            "subject {} ({}, lives in {})",
            s.key,
            s.kind,
            opt(s.country.as_deref())
        ),
        None => "not in the subjects roster".into(),
    };
    outln!(
        "{} -> {} [{}]: {}",
        a.query,
        opt(a.normalized.as_deref()),
        resolved,
        a.message
    );
    for h in &a.hits {
        let who = match (&h.person_key, &h.person_name) {
            (Some(k), Some(n)) => format!("{k} {n}"),
            _ => format!("account {} (unmapped)", opt(h.account.as_deref())),
        };
        outln!(
            "  event {:<8} {} ({})  {}  from {}  {} (data in {})  {}{}",
            h.event_id,
            format_in_zone(h.ts_us, zone),
            zone.name(),
            who,
            opt(h.actor_country.as_deref()),
            opt(h.system.as_deref()),
            opt(h.system_country.as_deref()),
            h.categories.join(","),
            if h.access { "" } else { "  [refused]" }
        );
    }
    print_rejected(&a.rejected_rows, "this subject");
}

/// The rejected rows that mention a subject or person: place, reason, what they mention.
fn print_rejected(rows: &[crate::analysis::rejects::RejectedRow], whom: &str) {
    if rows.is_empty() {
        return;
    }
    outln!(
        "  rejected rows of access logs that mention {whom} (not counted above: counts are at least): {}",
        rows.len()
    );
    for r in rows {
        outln!("    {}: {}", r.place(), r.row.reason);
        outln!("      mentions: {}", r.mentions_text());
        outln!("      {}", r.row.raw);
    }
}
