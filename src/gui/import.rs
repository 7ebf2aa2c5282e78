//! Import in the desktop app: the files to import, a preview of how the selected one would be
//! read (format, encoding, the guessed column mapping, the zone, the first rows and rejects),
//! mapping and zone edits, and the import itself in the background with progress and cancel.
//! Reading files happens on named threads; this module only holds the state and the work.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::case::{Case, RejectRow};
use crate::ingest::{self, Plan, Profile, SourceOptions};
use crate::jobs::{CancelToken, ProgressSink};
use crate::model::{NewEvent, Vocabulary};
use crate::ops::{self, ImportReport, ImportRequest};

/// Rows shown in the preview.
pub const PREVIEW_ROWS: usize = 20;

/// How the user wants a file read: the zone for naive times and column overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadChoices {
    /// An IANA zone, or `None` for the file's profile or the default (UTC, said so).
    pub zone: Option<String>,
    /// Field name -> column, overriding the guess; an empty column removes the mapping.
    pub columns: BTreeMap<String, String>,
    /// What the file is (`None`: detected from its header).
    pub kind: Option<crate::model::roster::SourceKind>,
    /// Import it even if the same bytes were imported before (the "Import again anyway"
    /// button after a refusal).
    pub force: bool,
}

impl ReadChoices {
    fn options(&self, base: Option<&Plan>) -> SourceOptions {
        // The guessed plan's mapping is a base only for the kind it was guessed as.
        let base = base.filter(|b| self.kind.is_none_or(|k| k == b.kind));
        let profile = if self.columns.is_empty() {
            None
        } else {
            let mut p = base.map_or_else(Profile::default, Plan::to_profile);
            // A roster profile keeps an emptied field as `""`: mapped to nothing, not guessed.
            let roster = p.kind.as_deref().is_some_and(|k| k != "access")
                || self
                    .kind
                    .is_some_and(|k| k != crate::model::roster::SourceKind::Access);
            for (field, column) in &self.columns {
                if column.is_empty() && !roster {
                    p.columns.remove(field);
                } else {
                    p.columns.insert(field.clone(), column.clone());
                }
            }
            Some(p)
        };
        SourceOptions {
            kind: self.kind,
            tz: self.zone.clone(),
            profile,
            ..SourceOptions::default()
        }
    }
}

/// How a file would be read, with its first rows.
#[derive(Debug)]
pub struct Preview {
    pub path: PathBuf,
    pub choices: ReadChoices,
    pub plan: Plan,
    pub rows: Vec<NewEvent>,
    pub rejects: Vec<ingest::Reject>,
    /// Roster files: the first rows as they would be read (line, description).
    pub roster_rows: Vec<(u64, String)>,
    pub vocabulary: Vocabulary,
}

/// Reads the head of a file as it would be imported (runs on a background thread).
pub fn preview(path: &Path, choices: &ReadChoices) -> anyhow::Result<Preview> {
    let guessed = ingest::plan(path, &SourceOptions::default()).ok();
    let options = choices.options(guessed.as_ref());
    let plan = ingest::plan(path, &options)?;
    let mut vocabulary = Vocabulary::default();
    let mut roster_rows = Vec::new();
    let (rows, rejects) = if plan.kind == crate::model::roster::SourceKind::Access {
        ingest::preview_rows(path, &plan, &mut vocabulary, PREVIEW_ROWS)
    } else {
        let (rows, rejects) =
            ingest::roster::preview_rows(path, &plan, &mut vocabulary, PREVIEW_ROWS);
        roster_rows = rows
            .iter()
            .map(|(line, r)| (*line, r.describe(&vocabulary)))
            .collect();
        (Vec::new(), rejects)
    };
    Ok(Preview {
        path: path.to_path_buf(),
        choices: choices.clone(),
        plan,
        rows,
        rejects,
        roster_rows,
        vocabulary,
    })
}

/// What came of importing one file.
#[derive(Debug)]
pub struct ImportOutcome {
    pub path: PathBuf,
    pub file: String,
    pub result: Result<ImportReport, String>,
    /// Refused because the same bytes were imported before: the window offers to import
    /// them again anyway.
    pub already_imported: bool,
}

impl ImportOutcome {
    pub fn rejects(&self) -> &[RejectRow] {
        self.result.as_ref().map_or(&[], |r| r.rejects.as_slice())
    }
}

/// Imports each file with its choices into the case, one transaction each; a failed file
/// does not stop the others. Runs on a background thread.
pub fn import_files(
    case_path: &Path,
    files: &[(PathBuf, ReadChoices)],
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> anyhow::Result<Vec<ImportOutcome>> {
    let mut case = Case::open(case_path)?;
    let requests = files.iter().map(|(path, choices)| {
        let guessed = ingest::plan(path, &SourceOptions::default()).ok();
        ImportRequest {
            path: path.clone(),
            options: choices.options(guessed.as_ref()),
            force: choices.force,
            imported_by: ops::investigator(),
        }
    });
    let done = ops::import_files(&mut case, requests, &mut SameSink(progress), cancel);
    Ok(done
        .into_iter()
        .map(|f| ImportOutcome {
            file: f.path.file_name().map_or_else(
                || f.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            already_imported: f.result.as_ref().is_err_and(ops::is_already_imported),
            result: f.result.map_err(|e| format!("{e:#}")),
            path: f.path,
        })
        .collect())
}

/// Every file's progress to the one bar of the import window.
struct SameSink<'a>(&'a dyn ProgressSink);

impl ops::ImportWatch for SameSink<'_> {
    fn start(&mut self, _req: &ImportRequest) -> &dyn ProgressSink {
        self.0
    }
}

/// The import window's state, owned by the app.
#[derive(Default)]
pub struct ImportState {
    pub open: bool,
    /// The case the files go into.
    pub case_path: Option<PathBuf>,
    pub files: Vec<(PathBuf, ReadChoices)>,
    pub selected: usize,
    pub preview: Option<Result<Preview, String>>,
    pub outcomes: Vec<ImportOutcome>,
    /// What of the view the import kept (filters, selection, range), said with the result.
    pub kept: Option<String>,
}

impl ImportState {
    pub fn selected_file(&self) -> Option<&(PathBuf, ReadChoices)> {
        self.files.get(self.selected)
    }
}
