//! Long work off the UI thread: a [`Job`] runs a closure on a named thread with a
//! [`GuiProgress`] sink (which wakes the UI on every report) and a cancel token; the app's
//! job runner (`runner`) holds the jobs and polls them each frame in `App::logic`. Also the
//! sample case's building and where the app keeps its own files.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex};

use crate::i18n::Lang;
use crate::jobs::{CancelToken, ProgressSink};

/// The latest progress of a job: stage name and done/total in the stage's unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgressState {
    pub stage: String,
    pub done: u64,
    pub total: u64,
}

impl ProgressState {
    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            (self.done as f64 / self.total as f64).clamp(0.0, 1.0) as f32
        }
    }
}

/// A progress sink that keeps the latest report and asks egui for a repaint.
pub struct GuiProgress {
    state: Mutex<ProgressState>,
    ctx: egui::Context,
}

impl GuiProgress {
    pub fn new(ctx: egui::Context) -> Self {
        GuiProgress {
            state: Mutex::new(ProgressState::default()),
            ctx,
        }
    }

    pub fn get(&self) -> ProgressState {
        self.state.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// A stage's words in the app's language: the stages the core reports are named in English
/// (`import`, `export`, `report`, `verify events`); another stays as it is.
pub fn stage_label(lang: Lang, stage: &str) -> std::borrow::Cow<'_, str> {
    let id = match stage {
        "import" => "stage-import",
        "export" => "stage-export",
        "report" => "stage-report",
        "verify events" => "stage-verify-events",
        _ => return stage.into(),
    };
    crate::i18n::t(lang, id).into()
}

impl ProgressSink for GuiProgress {
    fn report(&self, stage: &str, done: u64, total: u64) {
        let stage = stage_label(super::lang::of(&self.ctx), stage);
        if let Ok(mut s) = self.state.lock() {
            if s.stage != stage {
                s.stage = stage.into_owned();
            }
            s.done = done;
            s.total = total;
        }
        self.ctx.request_repaint();
    }
}

/// A running piece of background work with a result of type `T`.
pub struct Job<T> {
    pub title: String,
    /// The app's language when the job started, for the message of a worker that stopped.
    lang: Lang,
    pub progress: Arc<GuiProgress>,
    pub cancel: CancelToken,
    rx: Receiver<anyhow::Result<T>>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread named `thread_name`.
    pub fn start(
        thread_name: &str,
        title: impl Into<String>,
        ctx: &egui::Context,
        work: impl FnOnce(&GuiProgress, &CancelToken) -> anyhow::Result<T> + Send + 'static,
    ) -> std::io::Result<Job<T>> {
        let lang = super::lang::of(ctx);
        let progress = Arc::new(GuiProgress::new(ctx.clone()));
        let cancel = CancelToken::new();
        let (tx, rx) = std::sync::mpsc::channel();
        let (p, c, ctx) = (progress.clone(), cancel.clone(), ctx.clone());
        std::thread::Builder::new()
            .name(thread_name.to_string())
            .spawn(move || {
                let out = work(&p, &c);
                let _ = tx.send(out);
                ctx.request_repaint();
            })?;
        Ok(Job {
            title: title.into(),
            lang,
            progress,
            cancel,
            rx,
        })
    }

    /// The result once the work is done.
    pub fn poll(&self) -> Option<anyhow::Result<T>> {
        match self.rx.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(anyhow::anyhow!(crate::tr!(
                self.lang,
                "msg-worker-stopped",
                task = &self.title
            )))),
        }
    }
}

/// Where the app keeps its own files: `$XDG_DATA_HOME/retrace`, else
/// `~/.local/share/retrace`, else eframe's storage directory for the app.
pub fn default_data_dir() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|x| !x.is_empty()) {
        return Some(PathBuf::from(x).join("retrace"));
    }
    if cfg!(target_os = "linux")
        && let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
    {
        return Some(PathBuf::from(home).join(".local/share/retrace"));
    }
    eframe::storage_dir("Retrace")
}

/// The sample case's path inside a data directory.
pub fn sample_case_path(data_dir: &Path) -> PathBuf {
    data_dir.join("sample.retrace")
}

/// Makes sure the sample case exists in `data_dir`, building it if not, and returns its
/// path. The case is built beside its final name and renamed into place when complete, so
/// an interrupted build never leaves a half case that looks finished.
pub fn ensure_sample_case(
    data_dir: &Path,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> anyhow::Result<PathBuf> {
    let path = sample_case_path(data_dir);
    if path.exists() {
        // The sample is derived data: keep it only if this build wrote it (same version and
        // schema); a case from another build may lack tables this one reads.
        let current = crate::case::Case::open_read_only(&path)
            .and_then(|c| c.meta("built_by"))
            .is_ok_and(|b| b.as_deref() == Some(crate::case::build_fingerprint().as_str()));
        if current {
            return Ok(path);
        }
        crate::case::remove_with_side_files(&path).map_err(|e| {
            anyhow::anyhow!(
                "{}: cannot replace the old sample case: {}",
                e.path.display(),
                e.source
            )
        })?;
    }
    std::fs::create_dir_all(data_dir).map_err(|e| {
        anyhow::anyhow!(
            "{}: cannot create the data directory: {e}",
            data_dir.display()
        )
    })?;
    let partial = data_dir.join("sample.retrace.partial");
    crate::case::remove_with_side_files(&partial)
        .map_err(|e| anyhow::anyhow!("{}: {}", e.path.display(), e.source))?;
    crate::ops::sample::build_sample(&partial, progress, cancel)?;
    // Checkpoint the WAL into the file before renaming it: reopen and close once.
    drop(crate::case::Case::open(&partial)?);
    std::fs::rename(&partial, &path).map_err(|e| {
        anyhow::anyhow!(
            "{}: cannot move the sample case into place: {e}",
            path.display()
        )
    })?;
    Ok(path)
}
