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

/// Re-derives and compares every access source's events. `progress` gets events compared.
pub fn verify_deep(
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
    // The tables derived from the events at import (person page, impact, lookup) are recomputed from
    // the events as stored and compared, so a derived row changed on its own is named too.
    if let Some(p) = case.integrity().check_account_subject()? {
        report.problems.push(p);
    }
    if let Some(p) = case.integrity().check_subject_event()? {
        report.problems.push(p);
    }
    report.problems.extend(
        case.integrity()
            .check_event_aggregates(&|| cancel.is_cancelled())?,
    );
    for key in case.people().person_tables_mismatches()? {
        report.problems.push(VerifyProblem {
            what: format!("person tables of {key}"),
            why: "differ from a recomputation from the events (the person page reads them)".into(),
        });
    }
    Ok(report)
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
    let name = std::path::Path::new(&s.file_name)
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "source".into());
    let path = scratch.0.join(name);
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(&path)
            .with_context(|| format!("{}: cannot create", path.display()))?,
    );
    case.sources()
        .source_original(s.id, &mut |b| f.write_all(b))?;
    f.flush()?;
    Ok(path)
}

/// Compares one source; returns the number of events compared.
fn check_source(
    case: &Case,
    s: &SourceRow,
    problems: &mut Vec<VerifyProblem>,
    progress: &mut dyn FnMut(u64),
) -> Result<u64> {
    let scratch = Scratch::new(s.id)?;
    let path = original_file(case, s, &scratch)?;
    let opts = options_of(s)?;
    let plan = ingest::plan(&path, &opts)?;
    let mut vocab = case.vocabulary()?;
    let what = |ev_id: i64, line: i64| format!("event {ev_id} ({}, line {line})", s.file_name);
    let mut named = 0usize;
    let mut unnamed = 0usize;
    let mut note = |p: VerifyProblem| {
        if named < MAX_PROBLEMS_PER_SOURCE {
            problems.push(p);
            named += 1;
        } else {
            unnamed += 1;
        }
    };
    let (tx, rx) = sync_channel::<Vec<NewEvent>>(4);
    let mut compared = 0u64;
    let mut rejects: Vec<(i64, String, String)> = Vec::new();
    std::thread::scope(|scope| -> Result<()> {
        let plan = &plan;
        let path = &path;
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
                        note(VerifyProblem {
                            what: what(stored.id, stored.line),
                            why: format!(
                                "{field} differs: stored {st}, but line {} of the stored original gives {de}",
                                ev.line
                            ),
                        });
                    }
                }
                None => {
                    note(VerifyProblem {
                        what: what(stored.id, stored.line),
                        why: "is stored, but the stored original yields no such event".into(),
                    });
                }
            }
            true
        })?;
        for ev in derived.by_ref() {
            note(VerifyProblem {
                what: format!("{} line {}", s.file_name, ev.line),
                why: format!(
                    "the stored original yields an event here (time {:?}) that the case does not hold",
                    ev.raw_ts
                ),
            });
        }
        drop(derived);
        rejects = parser
            .join()
            .map_err(|_| anyhow!("the verify parsing thread panicked"))??;
        Ok(())
    })?;
    if rejects.len() as i64 != s.rows_rejected {
        note(VerifyProblem {
            what: format!("source {} ({})", s.id, s.file_name),
            why: format!(
                "the stored original gives {} rejected rows, the source records {}",
                rejects.len(),
                s.rows_rejected
            ),
        });
    }
    // The lines each event cites, checked without the importer's line counter.
    super::verify_lines::check(case, s, &path, &mut note)?;
    // The rejects themselves (line, reason, text), as a multiset: rows of one line may come
    // in any order.
    let mut stored: Vec<(i64, String, String)> = case
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
                note(VerifyProblem {
                    what: format!("reject ({}, line {line})", s.file_name),
                    why: format!(
                        "is stored ({reason:?}), but the stored original gives no such reject"
                    ),
                });
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                let (line, reason, _) = &rejects[j];
                note(VerifyProblem {
                    what: format!("reject ({}, line {line})", s.file_name),
                    why: format!(
                        "the stored original gives this reject ({reason:?}), but the case does not hold it"
                    ),
                });
                j += 1;
            }
        }
    }
    if unnamed > 0 {
        problems.push(VerifyProblem {
            what: format!("source {} ({})", s.id, s.file_name),
            why: format!("{unnamed} more differences not listed"),
        });
    }
    Ok(compared)
}

/// (field, stored, derived) for every field that differs, values in Rust debug notation.
pub(super) fn differences(st: &StoredEvent, ev: &NewEvent) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    let mut cmp = |field: &'static str, a: String, b: String| {
        if a != b {
            out.push((field, a, b));
        }
    };
    let d = |v: &dyn std::fmt::Debug| format!("{v:?}");
    cmp("line", d(&st.line), d(&(ev.line as i64)));
    cmp("line_end", d(&st.line_end), d(&(ev.line_end as i64)));
    cmp("time (ts_us)", d(&st.ts_us), d(&ev.ts_us));
    cmp("raw timestamp", d(&st.raw_ts), d(&ev.raw_ts));
    cmp("time flags", d(&st.ts_flags), d(&i64::from(ev.ts_flags)));
    cmp("account", d(&st.account), d(&ev.account));
    cmp("source IP", d(&st.src_ip), d(&ev.src_ip));
    cmp("system", d(&st.system), d(&ev.system));
    cmp("action", d(&st.action), d(&ev.action));
    cmp("object", d(&st.object), d(&ev.object));
    cmp(
        "categories",
        d(&st.categories),
        d(&(ev.categories.0 as i64)),
    );
    cmp("records", d(&st.records), d(&ev.records));
    cmp(
        "outcome",
        d(&st.outcome.as_deref()),
        d(&ev.outcome.as_ref().map(|o| o.as_str())),
    );
    cmp("session", d(&st.session), d(&ev.session));
    cmp("ticket", d(&st.ticket), d(&ev.ticket));
    cmp("subjects", d(&st.subjects), d(&ev.subjects));
    cmp("extra fields", d(&st.extra), d(&ev.extra));
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
