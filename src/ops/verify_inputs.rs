//! The plain verify's re-derivation of the rosters (`retrace verify`): rosters are sources too.
//! Every roster source is imported again from its stored original, in import order and with
//! its recorded format, encoding and zone, into an empty case in memory, through the same code
//! an import runs (so a later roster updates an earlier one exactly as it did); then people,
//! accounts, systems, approvals, milestones, subjects, their aliases and the rosters' rejects
//! are compared row by row with the case's. A changed system country, approval end or
//! person's country is named with the roster line that gives the true value.
//!
//! Rosters are small next to the access logs (the sample's are a few kilobytes), so this is
//! part of the plain verify; the access logs' events are derived again only by `--deep`.

use std::collections::{BTreeSet, HashMap};

use anyhow::Result;

use crate::case::{BARE_TABLES, Case, RosterFields, SourceRow, VerifyProblem, is_bare};
use crate::jobs::{CancelToken, NoProgress};
use crate::model::roster::SourceKind;

use super::verify_deep::{Scratch, options_of, original_file};

/// Problems named per table before the rest are only counted.
const MAX_PER_TABLE: usize = 20;

/// Re-derives the rosters and compares; returns the problems found.
pub fn check_rosters(case: &Case, cancel: &CancelToken) -> Result<Vec<VerifyProblem>> {
    let sources = case.sources().list()?;
    let rosters: Vec<&SourceRow> = sources
        .iter()
        .filter(|s| s.kind != SourceKind::Access.as_str())
        .collect();
    let mut problems = Vec::new();
    let replayed = replay_rosters(case, &rosters, cancel, &mut problems)?;
    let roster_ids: Vec<i64> = rosters.iter().map(|s| s.id).collect();
    let stored = case.people().roster_state(&roster_ids, &|id| id)?;
    let derived = replayed
        .case
        .people()
        .roster_state(&replayed.sources, &|id| {
            *replayed.ids.get(&id).unwrap_or(&-id)
        })?;
    let names: HashMap<i64, &str> = sources
        .iter()
        .map(|s| (s.id, s.file_name.as_str()))
        .collect();
    let tables: BTreeSet<&str> = stored
        .tables
        .keys()
        .chain(derived.tables.keys())
        .copied()
        .collect();
    let empty = Default::default();
    for table in tables {
        let have = stored.tables.get(table).unwrap_or(&empty);
        let want = derived.tables.get(table).unwrap_or(&empty);
        compare_table(table, have, want, &names, &mut problems);
    }
    Ok(problems)
}

/// The rosters imported again into a scratch case.
struct Replayed {
    case: Case,
    /// The scratch case's source ids, in import order.
    sources: Vec<i64>,
    /// Scratch source id -> the case's.
    ids: HashMap<i64, i64>,
}

/// Imports every roster's stored original again, in import order, into an empty case in
/// memory; a roster that cannot be read again, or whose row counts differ from what it
/// records, is a problem.
fn replay_rosters(
    case: &Case,
    rosters: &[&SourceRow],
    cancel: &CancelToken,
    problems: &mut Vec<VerifyProblem>,
) -> Result<Replayed> {
    let mut scratch_case = Case::scratch()?;
    scratch_case.writes().seed_vocabulary(&case.vocabulary()?)?;
    let mut ids: HashMap<i64, i64> = HashMap::new();
    let mut replayed = Vec::new();
    for s in rosters {
        if cancel.is_cancelled() {
            return Err(crate::case::CaseError::Cancelled.into());
        }
        let what = format!("source {} ({}, {} roster)", s.id, s.file_name, s.kind);
        match replay(&mut scratch_case, case, s, cancel) {
            Ok(r) => {
                ids.insert(r.source_id, s.id);
                replayed.push(r.source_id);
                for (field, derived, stored) in [
                    ("rows read", r.rows_read as i64, s.rows_read),
                    ("rows imported", r.rows_imported as i64, s.rows_imported),
                    ("rows rejected", r.rows_rejected as i64, s.rows_rejected),
                ] {
                    if derived != stored {
                        problems.push(VerifyProblem {
                            what: what.clone(),
                            why: format!(
                                "records {stored} {field}, but its stored original gives {derived}"
                            ),
                        });
                    }
                }
            }
            Err(e) => problems.push(VerifyProblem {
                what,
                why: format!("cannot derive its rows again from its stored original: {e:#}"),
            }),
        }
    }
    Ok(Replayed {
        case: scratch_case,
        sources: replayed,
        ids,
    })
}

/// Rows of one roster table that differ between the case (`have`) and the re-derived rosters
/// (`want`): a field changed, a row added, a row missing; the first [`MAX_PER_TABLE`] named.
fn compare_table(
    table: &str,
    have: &std::collections::BTreeMap<String, RosterFields>,
    want: &std::collections::BTreeMap<String, RosterFields>,
    names: &HashMap<i64, &str>,
    problems: &mut Vec<VerifyProblem>,
) {
    let mut named = 0usize;
    let mut more = 0usize;
    let mut note = |what: String, why: String| {
        if named < MAX_PER_TABLE {
            named += 1;
            problems.push(VerifyProblem { what, why });
        } else {
            more += 1;
        }
    };
    for (key, h) in have {
        let what = format!("{table} {key}");
        match want.get(key) {
            Some(w) => {
                for ((field, hv), (_, wv)) in h.iter().zip(w) {
                    if hv != wv {
                        note(
                            what.clone(),
                            format!(
                                "{field} is {hv}, but the rosters' stored originals give {wv}{}",
                                cite(w, names)
                            ),
                        );
                    }
                }
            }
            None if BARE_TABLES.contains(&table) && is_bare(h) => {}
            None => note(
                what,
                format!(
                    "is in the case ({}), but no roster's stored original gives it",
                    describe(h)
                ),
            ),
        }
    }
    for (key, w) in want {
        if !have.contains_key(key) {
            note(
                format!("{table} {key}"),
                format!(
                    "is missing from the case; the rosters' stored originals give it ({}){}",
                    describe(w),
                    cite(w, names)
                ),
            );
        }
    }
    if more > 0 {
        problems.push(VerifyProblem {
            what: table.to_string(),
            why: format!("{more} more rows differ from the re-derived rosters"),
        });
    }
}

/// Imports one roster's stored original into the scratch case.
fn replay(
    scratch_case: &mut Case,
    case: &Case,
    s: &SourceRow,
    cancel: &CancelToken,
) -> Result<crate::case::FinishedImport> {
    let dir = Scratch::new(s.id)?;
    let path = original_file(case, s, &dir)?;
    let req = super::ImportRequest {
        path,
        options: options_of(s)?,
        // A roster imported twice (--force) is read twice.
        force: true,
        imported_by: s.imported_by.clone(),
    };
    Ok(super::import_file(scratch_case, &req, &NoProgress, cancel)?.result)
}

/// ` (source 2 people.csv line 5)` from a derived row's source and line fields.
fn cite(fields: &RosterFields, names: &HashMap<i64, &str>) -> String {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| *f == k)
            .and_then(|(_, v)| v.parse::<i64>().ok())
    };
    match (get("source"), get("line")) {
        (Some(s), Some(l)) => format!(
            " ({} line {l}, source {s})",
            names.get(&s).copied().unwrap_or("?")
        ),
        _ => String::new(),
    }
}

fn describe(fields: &RosterFields) -> String {
    fields
        .iter()
        .map(|(f, v)| format!("{f} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}
