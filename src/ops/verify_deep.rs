//! Deep verify (`retrace verify --deep`): every stored event is derived again from its source's
//! stored original bytes, read with the source's recorded format, encoding, zone and mapping
//! through the same parser an import uses, and compared field by field with the stored row.
//! A changed event row is named by event id, source file, line and field.
//!
//! The plain verify proves the stored originals are the files that were imported (SHA-256)
//! and that the custody chain is whole; this proves the events are what those files say.

use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::sync_channel;

use anyhow::{Context, Result, anyhow};
use serde::Serialize;

use crate::case::{Case, SourceRow, StoredEvent, VerifyProblem};
use crate::ingest::{self, Format, Profile, SourceOptions};
use crate::jobs::{CancelToken, ProgressSink};
use crate::model::NewEvent;
use crate::model::encoding::TextEncoding;
use crate::model::roster::SourceKind;

/// Problems named per source before the rest are only counted.
const MAX_PROBLEMS_PER_SOURCE: usize = 50;

#[derive(Debug, Clone, Serialize)]
pub struct DeepReport {
    /// Access sources whose events were derived again and compared.
    pub sources_checked: usize,
    pub events_compared: u64,
    /// Roster sources, which the plain verify re-derives (`ops::verify_inputs`).
    pub sources_skipped: Vec<String>,
    pub problems: Vec<VerifyProblem>,
}

impl DeepReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Re-derives and compares every access source's events, and recomputes the tables derived
/// from the events. `progress` gets events compared. The recomputations read the case on a
/// second connection on another thread, beside the sources' comparison.
pub fn verify_deep(
    case: &Case,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<DeepReport> {
    let side = case.side_reader()?;
    let interrupt = side.as_ref().map(|c| c.interrupter());
    let (sources, derived) = std::thread::scope(|scope| {
        let derived = side.map(|side| {
            std::thread::Builder::new()
                .name("retrace-verify-derived".into())
                .spawn_scoped(scope, move || check_derived_tables(&side, cancel))
        });
        let sources = check_sources(case, progress, cancel);
        if sources.is_err()
            && let Some(stop) = &interrupt
        {
            // Cancelled or failed: the recomputations' answer is not wanted.
            stop();
        }
        let derived = match derived {
            Some(Ok(t)) => t
                .join()
                .unwrap_or_else(|_| Err(anyhow!("the verify's recomputation thread panicked"))),
            Some(Err(e)) => Err(anyhow!("cannot start the verify's recomputation: {e}")),
            None => check_derived_tables(case, cancel),
        };
        (sources, derived)
    });
    let mut report = sources?;
    report.problems.extend(derived?);
    Ok(report)
}

/// Every access source's events derived again from its stored original and compared.
fn check_sources(
    case: &Case,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<DeepReport> {
    let sources = case.sources().list()?;
    let total: u64 = sources.iter().map(|s| s.rows_imported.max(0) as u64).sum();
    let mut report = DeepReport {
        sources_checked: 0,
        events_compared: 0,
        sources_skipped: Vec::new(),
        problems: Vec::new(),
    };
    for s in &sources {
        if cancel.is_cancelled() {
            return Err(crate::case::CaseError::Cancelled.into());
        }
        if s.kind != SourceKind::Access.as_str() {
            report
                .sources_skipped
                .push(format!("source {} ({}, {})", s.id, s.file_name, s.kind));
            continue;
        }
        let done_before = report.events_compared;
        let mut problems = Vec::new();
        let compared = check_source(case, s, &mut problems, &mut |n| {
            progress.report("verify events", done_before + n, total.max(1));
        })
        .unwrap_or_else(|e| {
            problems.push(VerifyProblem {
                what: format!("source {} ({})", s.id, s.file_name),
                why: format!("cannot derive its events again: {e:#}"),
            });
            0
        });
        report.events_compared += compared;
        report.sources_checked += 1;
        report.problems.extend(problems);
    }
    Ok(report)
}

/// The tables derived from the events at import (person page, impact, lookup), recomputed
/// from the events as stored and compared, so a derived row changed on its own is named too.
fn check_derived_tables(case: &Case, cancel: &CancelToken) -> Result<Vec<VerifyProblem>> {
    let mut problems = Vec::new();
    if let Some(p) = case.integrity().check_account_subject()? {
        problems.push(p);
    }
    if let Some(p) = case.integrity().check_subject_event()? {
        problems.push(p);
    }
    problems.extend(
        case.integrity()
            .check_event_aggregates(&|| cancel.is_cancelled())?,
    );
    for key in case.people().person_tables_mismatches()? {
        problems.push(VerifyProblem {
            what: format!("person tables of {key}"),
            why: "differ from a recomputation from the events (the person page reads them)".into(),
        });
    }
    Ok(problems)
}

/// The import options a source (access log or roster) was read with, from what it records.
pub(crate) fn options_of(s: &SourceRow) -> Result<SourceOptions> {
    let kind = SourceKind::parse(&s.kind)
        .ok_or_else(|| anyhow!("the source records unknown kind {:?}", s.kind))?;
    let format = Format::parse(&s.format)
        .ok_or_else(|| anyhow!("the source records unknown format {:?}", s.format))?;
    let encoding = TextEncoding::parse(&s.encoding)
        .ok_or_else(|| anyhow!("the source records unknown encoding {:?}", s.encoding))?;
    let m: serde_json::Value =
        serde_json::from_str(&s.mapping_json).context("the recorded mapping is not JSON")?;
    let text = |k: &str| m[k].as_str().map(str::to_string);
    let mut profile = Profile {
        time_format: text("time_format"),
        delimiter: text("delimiter").map(|d| if d == "\t" { "\\t".into() } else { d }),
        system: text("system"),
        log_line_prefix: text("log_line_prefix"),
        // Sources from before the key existed stored every record's unmapped fields.
        extra_fields: Some(text("extra_fields").unwrap_or_else(|| "stored".into())),
        extra_cells: text("extra_cells"),
        ..Profile::default()
    };
    if !format.is_structured() {
        profile.columns = serde_json::from_value(m["columns"].clone())
            .context("the recorded mapping's columns")?;
    }
    if !m["category_aliases"].is_null() {
        profile.category_aliases = serde_json::from_value(m["category_aliases"].clone())
            .context("the recorded category aliases")?;
    }
    if !m["category_rules"].is_null() {
        profile.category_rules = serde_json::from_value(m["category_rules"].clone())
            .context("the recorded category rules")?;
    }
    // Without --year, RFC 3164 syslog was read from the year the time rule records.
    let year = m["year"]
        .as_i64()
        .map(|y| y as i32)
        .or_else(|| recorded_year(&s.time_rule));
    Ok(SourceOptions {
        kind: Some(kind),
        format: Some(format),
        encoding: Some(encoding),
        tz: Some(s.zone.clone()),
        profile: Some(profile),
        year,
    })
}

/// `... the first line is in 2021 (...` in a syslog time rule.
fn recorded_year(rule: &str) -> Option<i32> {
    let rest = &rule[rule.find("the first line is in ")? + "the first line is in ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A directory of our own under the system temp dir, removed when dropped.
pub(crate) struct Scratch(pub(crate) PathBuf);

impl Scratch {
    pub(crate) fn new(source_id: i64) -> Result<Scratch> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let p = std::env::temp_dir().join(format!(
            "retrace-verify-{}-{source_id}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&p).with_context(|| format!("{}: cannot create", p.display()))?;
        Ok(Scratch(p))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes a source's stored original into `scratch` under its file name (whose extension is
/// part of how the file was read, `.tsv`); returns its path.
pub(crate) fn original_file(case: &Case, s: &SourceRow, scratch: &Scratch) -> Result<PathBuf> {
    let path = if s.format == Format::Parquet.as_str() {
        // A Parquet file's partition directories (`year=2024/...`) are columns of its rows.
        let p = scratch
            .0
            .join(ingest::formats::parquet::relative_path(&s.file_name));
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create", dir.display()))?;
        }
        p
    } else {
        let name = std::path::Path::new(&s.file_name)
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| "source".into());
        scratch.0.join(name)
    };
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(&path)
            .with_context(|| format!("{}: cannot create", path.display()))?,
    );
    case.sources()
        .source_original(s.id, &mut |b| f.write_all(b))?;
    f.flush()?;
    Ok(path)
}

/// A source's problems: the first [`MAX_PROBLEMS_PER_SOURCE`] named, the rest counted.
struct Notes<'a> {
    problems: &'a mut Vec<VerifyProblem>,
    named: usize,
    unnamed: usize,
}

impl Notes<'_> {
    fn note(&mut self, p: VerifyProblem) {
        if self.named < MAX_PROBLEMS_PER_SOURCE {
            self.problems.push(p);
            self.named += 1;
        } else {
            self.unnamed += 1;
        }
    }

    /// The count of the problems not named, if any.
    fn finish(self, s: &SourceRow) {
        if self.unnamed > 0 {
            self.problems.push(VerifyProblem {
                what: format!("source {} ({})", s.id, s.file_name),
                why: format!("{} more differences not listed", self.unnamed),
            });
        }
    }
}

/// A rejected row of the stored original: (line, reason, text).
type Reject = (i64, String, String);

/// Compares one source; returns the number of events compared.
fn check_source(
    case: &Case,
    s: &SourceRow,
    problems: &mut Vec<VerifyProblem>,
    progress: &mut dyn FnMut(u64),
) -> Result<u64> {
    let scratch = Scratch::new(s.id)?;
    let path = original_file(case, s, &scratch)?;
    let mut notes = Notes {
        problems,
        named: 0,
        unnamed: 0,
    };
    let (compared, mut rejects) = compare_events(case, s, &path, &mut notes, progress)?;
    if rejects.len() as i64 != s.rows_rejected {
        notes.note(VerifyProblem {
            what: format!("source {} ({})", s.id, s.file_name),
            why: format!(
                "the stored original gives {} rejected rows, the source records {}",
                rejects.len(),
                s.rows_rejected
            ),
        });
    }
    // The lines each event cites, checked without the importer's line counter. A Parquet
    // file has no lines: the row each event cites is checked by deriving it again above.
    if s.format != Format::Parquet.as_str() {
        super::verify_lines::check(case, s, &path, &mut |p| notes.note(p))?;
    }
    compare_rejects(case, s, &mut rejects, &mut notes)?;
    notes.finish(s);
    Ok(compared)
}

/// Stored events that differ from, are missing from or are not in what the stored original
/// at `path` gives through the import's parser (on a thread of its own, beside the reading
/// of the stored events). Returns the events compared and the original's rejects.
fn compare_events(
    case: &Case,
    s: &SourceRow,
    path: &std::path::Path,
    notes: &mut Notes,
    progress: &mut dyn FnMut(u64),
) -> Result<(u64, Vec<Reject>)> {
    let opts = options_of(s)?;
    let plan = ingest::plan(path, &opts)?;
    let mut vocab = case.vocabulary()?;
    let what = |ev_id: i64, line: i64| format!("event {ev_id} ({}, line {line})", s.file_name);
    let (tx, rx) = sync_channel::<Vec<NewEvent>>(4);
    let mut compared = 0u64;
    let rejects = std::thread::scope(|scope| -> Result<Vec<Reject>> {
        let plan = &plan;
        let parser = std::thread::Builder::new()
            .name("retrace-verify-parse".into())
            .spawn_scoped(scope, move || {
                let mut rejected = Vec::new();
                let r = ingest::parse_access(
                    path,
                    plan,
                    &mut vocab,
                    &mut |b| {
                        rejected.extend(
                            b.rejects
                                .into_iter()
                                .map(|r| (r.line as i64, r.reason, r.raw)),
                        );
                        tx.send(b.events).is_ok()
                    },
                    &mut |_| {},
                );
                r.map(|_| rejected)
            })?;
        let mut derived = rx.iter().flatten();
        case.sources().for_each_stored_event(s, &mut |stored| {
            compared += 1;
            if compared.is_multiple_of(65_536) {
                progress(compared);
            }
            match derived.next() {
                Some(ev) => {
                    for (field, st, de) in differences(&stored, &ev) {
                        notes.note(VerifyProblem {
                            what: what(stored.id, stored.line),
                            why: format!(
                                "{field} differs: stored {st}, but line {} of the stored original gives {de}",
                                ev.line
                            ),
                        });
                    }
                }
                None => {
                    notes.note(VerifyProblem {
                        what: what(stored.id, stored.line),
                        why: "is stored, but the stored original yields no such event".into(),
                    });
                }
            }
            true
        })?;
        for ev in derived.by_ref() {
            notes.note(VerifyProblem {
                what: format!("{} line {}", s.file_name, ev.line),
                why: format!(
                    "the stored original yields an event here (time {:?}) that the case does not hold",
                    ev.raw_ts
                ),
            });
        }
        drop(derived);
        Ok(parser
            .join()
            .map_err(|_| anyhow!("the verify parsing thread panicked"))??)
    })?;
    Ok((compared, rejects))
}

/// The rejects themselves (line, reason, text) that differ from the original's, as a
/// multiset: rows of one line may come in any order.
fn compare_rejects(
    case: &Case,
    s: &SourceRow,
    rejects: &mut [Reject],
    notes: &mut Notes,
) -> Result<()> {
    let mut stored: Vec<Reject> = case
        .sources()
        .rejects(Some(s.id), usize::MAX)?
        .into_iter()
        .map(|r| (r.line, r.reason, r.raw))
        .collect();
    stored.sort();
    rejects.sort();
    let (mut i, mut j) = (0, 0);
    while i < stored.len() || j < rejects.len() {
        let order = match (stored.get(i), rejects.get(j)) {
            (Some(a), Some(b)) => a.cmp(b),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                let (line, reason, _) = &stored[i];
                notes.note(VerifyProblem {
                    what: format!("reject ({}, line {line})", s.file_name),
                    why: format!(
                        "is stored ({reason:?}), but the stored original gives no such reject"
                    ),
                });
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                let (line, reason, _) = &rejects[j];
                notes.note(VerifyProblem {
                    what: format!("reject ({}, line {line})", s.file_name),
                    why: format!(
                        "the stored original gives this reject ({reason:?}), but the case does not hold it"
                    ),
                });
                j += 1;
            }
        }
    }
    Ok(())
}

/// (field, stored, derived) for every field that differs, values in Rust debug notation.
/// Fields are compared as values and formatted only when they differ (formatting every
/// field of every event was most of the deep verify's time); a value's debug text is equal
/// exactly when the value is, so the report is the same.
pub(super) fn differences(st: &StoredEvent, ev: &NewEvent) -> Vec<(&'static str, String, String)> {
    use std::fmt::Debug;
    let mut out = Vec::new();
    let mut cmp = |field: &'static str, same: bool, a: &dyn Debug, b: &dyn Debug| {
        if !same {
            out.push((field, format!("{a:?}"), format!("{b:?}")));
        }
    };
    let (line, line_end) = (ev.line as i64, ev.line_end as i64);
    cmp("line", st.line == line, &st.line, &line);
    cmp("line_end", st.line_end == line_end, &st.line_end, &line_end);
    cmp("time (ts_us)", st.ts_us == ev.ts_us, &st.ts_us, &ev.ts_us);
    cmp(
        "raw timestamp",
        st.raw_ts == ev.raw_ts.as_str(),
        &st.raw_ts,
        &ev.raw_ts,
    );
    let flags = i64::from(ev.ts_flags);
    cmp("time flags", st.ts_flags == flags, &st.ts_flags, &flags);
    let texts = [
        ("account", &st.account, &ev.account),
        ("source IP", &st.src_ip, &ev.src_ip),
        ("system", &st.system, &ev.system),
        ("action", &st.action, &ev.action),
        ("object", &st.object, &ev.object),
    ];
    for (field, a, b) in texts {
        cmp(field, a.as_deref() == b.as_deref(), a, b);
    }
    let categories = ev.categories.0 as i64;
    cmp(
        "categories",
        st.categories == categories,
        &st.categories,
        &categories,
    );
    cmp(
        "records",
        st.records == ev.records,
        &st.records,
        &ev.records,
    );
    let (a, b) = (
        st.outcome.as_ref().map(|o| o.as_str()),
        ev.outcome.as_ref().map(|o| o.as_str()),
    );
    cmp("outcome", a == b, &a, &b);
    for (field, a, b) in [
        ("session", &st.session, &ev.session),
        ("ticket", &st.ticket, &ev.ticket),
    ] {
        cmp(field, a.as_deref() == b.as_deref(), a, b);
    }
    let same_subjects = st.subjects.len() == ev.subjects.len()
        && st
            .subjects
            .iter()
            .zip(&ev.subjects)
            .all(|(a, b)| a == b.as_str());
    cmp("subjects", same_subjects, &st.subjects, &ev.subjects);
    cmp("extra fields", st.extra == ev.extra, &st.extra, &ev.extra);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_syslog_year_is_read_back_from_the_time_rule() {
        let rule = "offsets ...; RFC 3164 lines have no year: the first line is in 2019 (DEFAULT: the current year, no --year given) and ...";
        assert_eq!(recorded_year(rule), Some(2019));
        assert_eq!(recorded_year("offsets and Z in the text are kept"), None);
    }
}
