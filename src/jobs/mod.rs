//! Background work: a cancel token and a progress sink shared by the CLI (terminal progress
//! bar) and, later, the GUI (progress bar). Operations in `ops` take both.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Cooperative cancellation: long work polls `is_cancelled` between batches.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Receives progress: a stage name and done/total in the stage's unit (bytes for imports).
pub trait ProgressSink: Send + Sync {
    fn report(&self, stage: &str, done: u64, total: u64);
}

/// A sink that drops every report.
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn report(&self, _stage: &str, _done: u64, _total: u64) {}
}
