//! `retrace repair-lines CASE`: recomputes the line numbers of every access source from its
//! stored original, for cases imported before line ends were counted exactly (a CRLF, CR, BOM
//! or blank-line CSV cited the line before each record). Each source's events are derived
//! again as `verify --deep` derives them; a source whose events then differ in anything but
//! their lines is left alone and named (that is not a line problem). The chunks' first lines
//! and the source's line count are recounted too. Each changed source gets one custody entry.
//!
//! This is a command, not a schema upgrade run on open: it changes evidence citations, so it
//! happens when the investigator asks, is recorded in the custody log with what changed, and a
//! case opened only for review is never rewritten.

use std::sync::mpsc::sync_channel;

use anyhow::{Result, anyhow};
use serde::Serialize;

use super::verify_deep::{Scratch, differences, options_of, original_file};
use crate::case::{Case, LineRepair, SourceRow};
use crate::ingest;
use crate::model::encoding::TextEncoding;
use crate::model::roster::SourceKind;

#[derive(Debug, Clone, Serialize)]
pub struct SourceRepair {
    pub source_id: i64,
    pub file_name: String,
    pub events_changed: usize,
    pub rejects_changed: usize,
    pub chunks_changed: usize,
    /// Why the source was left alone, if it was.
    pub skipped: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RepairReport {
    pub sources: Vec<SourceRepair>,
    pub dry_run: bool,
}

/// Repairs (or, with `dry_run`, only counts) the line numbers of every access source.
pub fn repair_lines(case: &mut Case, actor: &str, dry_run: bool) -> Result<RepairReport> {
    let mut out = Vec::new();
    for s in case.sources().list()? {
        let enc = TextEncoding::parse(&s.encoding).unwrap_or(TextEncoding::Utf8);
        let (chunks, line_count) = case.sources().chunk_line_fixes(s.id, enc, s.line_count)?;
        let mut fix = LineRepair {
            source_id: s.id,
            chunks,
            line_count,
            ..LineRepair::default()
        };
        let mut skipped = None;
        if s.kind == SourceKind::Access.as_str() {
            match derive_lines(case, &s) {
                Ok((events, rejects)) => {
                    fix.events = events;
                    fix.rejects = rejects;
                }
                Err(e) => skipped = Some(format!("{e:#}")),
            }
        }
        let report = SourceRepair {
            source_id: s.id,
            file_name: s.file_name.clone(),
            events_changed: fix.events.len(),
            rejects_changed: fix.rejects.len(),
            chunks_changed: fix.chunks.len(),
            skipped,
        };
        if !dry_run && !fix.is_empty() {
            let details = serde_json::json!({
                "source": s.id,
                "file": s.file_name,
                "sha256": s.sha256,
                "events_changed": report.events_changed,
                "rejects_changed": report.rejects_changed,
                "chunks_changed": report.chunks_changed,
                "line_count": fix.line_count,
                "rule": "lines end at LF, CRLF and a lone CR; a BOM and blank lines are not records",
                "tool_version": env!("CARGO_PKG_VERSION"),
            });
            case.writes().apply_line_repair(&fix, actor, &details)?;
        }
        out.push(report);
    }
    Ok(RepairReport {
        sources: out,
        dry_run,
    })
}

type Lines = (Vec<(i64, i64, i64)>, Vec<(i64, i64)>);

/// The (event id, line, line_end) and (reject id, line) that differ from what the stored
/// original gives; an error if the events differ in anything else.
fn derive_lines(case: &Case, s: &SourceRow) -> Result<Lines> {
    let scratch = Scratch::new(s.id)?;
    let path = original_file(case, s, &scratch)?;
    let plan = ingest::plan(&path, &options_of(s)?)?;
    let mut vocab = case.vocabulary()?;
    let (tx, rx) = sync_channel::<ingest::Batch>(4);
    let mut events = Vec::new();
    let mut derived_rejects = Vec::new();
    let mut other: Option<String> = None;
    std::thread::scope(|scope| -> Result<()> {
        let (plan, path) = (&plan, &path);
        let parser = std::thread::Builder::new()
            .name("retrace-repair-parse".into())
            .spawn_scoped(scope, move || {
                ingest::parse_access(
                    path,
                    plan,
                    &mut vocab,
                    &mut |b| tx.send(b).is_ok(),
                    &mut |_| {},
                )
            })?;
        let mut pending: std::collections::VecDeque<crate::model::NewEvent> = Default::default();
        let mut batches = rx.into_iter();
        let mut next = |pending: &mut std::collections::VecDeque<_>, rejects: &mut Vec<u64>| {
            while pending.is_empty() {
                let b: ingest::Batch = batches.next()?;
                rejects.extend(b.rejects.iter().map(|r| r.line));
                pending.extend(b.events);
            }
            pending.pop_front()
        };
        case.sources().for_each_stored_event(s, &mut |st| {
            let Some(ev) = next(&mut pending, &mut derived_rejects) else {
                other = Some(format!(
                    "event {} is stored, but the stored original yields no event for it",
                    st.id
                ));
                return false;
            };
            let diffs: Vec<_> = differences(&st, &ev)
                .into_iter()
                .filter(|(f, _, _)| !matches!(*f, "line" | "line_end"))
                .collect();
            if let Some((field, a, b)) = diffs.first() {
                other = Some(format!(
                    "event {}: {field} differs (stored {a}, derived {b}), not only its lines; run verify --deep",
                    st.id
                ));
                return false;
            }
            if st.line != ev.line as i64 || st.line_end != ev.line_end as i64 {
                events.push((st.id, ev.line as i64, ev.line_end as i64));
            }
            true
        })?;
        if other.is_none() {
            // The rest of the derived rejects (and any event the case does not hold).
            while let Some(ev) = next(&mut pending, &mut derived_rejects) {
                other = Some(format!(
                    "the stored original yields an event at line {} that the case does not hold",
                    ev.line
                ));
            }
        }
        drop(batches);
        parser
            .join()
            .map_err(|_| anyhow!("the repair parsing thread panicked"))??;
        Ok(())
    })?;
    if let Some(why) = other {
        return Err(anyhow!("left alone: {why}"));
    }
    let stored = case.sources().reject_lines(s.id)?;
    if stored.len() != derived_rejects.len() {
        return Err(anyhow!(
            "left alone: the stored original gives {} rejects, the case holds {}",
            derived_rejects.len(),
            stored.len()
        ));
    }
    let rejects = stored
        .into_iter()
        .zip(derived_rejects)
        .filter(|((_, line), derived)| *line != *derived as i64)
        .map(|((id, _), derived)| (id, derived as i64))
        .collect();
    Ok((events, rejects))
}
