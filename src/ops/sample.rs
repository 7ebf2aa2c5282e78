//! The bundled sample case: the fictional data set in `sample_data/` (written by
//! `synth::generate` with `synth::sample_params()`), imported file by file.

use std::path::Path;

use anyhow::{Context, Result};

use super::{ImportReport, ImportRequest, import_file};
use crate::case::Case;
use crate::ingest::{Profile, SourceOptions};
use crate::jobs::{CancelToken, ProgressSink};
use crate::model::roster::SourceKind;
use crate::synth;

/// Imports every file of a generated data set in `data_dir` into a new case at `case_path`.
pub fn build_case_from_dir(
    case_path: &Path,
    data_dir: &Path,
    title: &str,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<Vec<ImportReport>> {
    let mut case = Case::create(case_path, title)?;
    let mut reports = Vec::new();
    for f in synth::manifest() {
        let path = data_dir.join(f.name);
        let profile = match f.profile {
            Some(p) => Some(Profile::load(&data_dir.join(p)).map_err(anyhow::Error::msg)?),
            None => None,
        };
        let req = ImportRequest {
            path,
            options: SourceOptions {
                kind: SourceKind::parse(f.kind),
                tz: f.tz.map(str::to_string),
                profile,
                ..Default::default()
            },
            force: false,
            imported_by: super::investigator(),
        };
        let r = import_file(&mut case, &req, progress, cancel)
            .with_context(|| format!("building the case from {}", data_dir.display()))?;
        reports.push(r);
    }
    case.set_meta("display_zone", "Asia/Tokyo")?;
    case.set_meta("built_by", &crate::case::build_fingerprint())?;
    Ok(reports)
}

/// Builds the bundled sample case at `case_path` (which must not exist).
pub fn build_sample(
    case_path: &Path,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<Vec<ImportReport>> {
    let dir = tempfile_dir()?;
    synth::generate(dir.path(), &synth::sample_params()).context("writing the sample data")?;
    build_case_from_dir(
        case_path,
        dir.path(),
        "Sample: Hoshizora cross-border access (fictional)",
        progress,
        cancel,
    )
}

/// A scratch directory removed on drop.
pub struct ScratchDir(std::path::PathBuf);

impl ScratchDir {
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn tempfile_dir() -> Result<ScratchDir> {
    let base = std::env::temp_dir();
    for i in 0..1000u32 {
        let p = base.join(format!(
            "retrace-{}-{}-{i}",
            std::process::id(),
            crate::model::time::now_us()
        ));
        if std::fs::create_dir(&p).is_ok() {
            return Ok(ScratchDir(p));
        }
    }
    anyhow::bail!("cannot make a scratch directory in {}", base.display())
}
