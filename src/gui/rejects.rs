//! The rejects viewer's state: which source's rejected rows are shown (or the whole case's),
//! the rows with what each mentions, the selected row and the events of its source just
//! before and after its line, and the worker ([`LatestWorker`], own read-only connection) that
//! reads them off the UI thread. The window is `panels/rejects.rs`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use crate::analysis::rejects::{RejectedRow, rejected_rows};
use crate::case::{Case, LineNeighbours};

use super::latest::{LatestWorker, Queued};

/// The viewer lists at most this many rows at a time (the side panel gives the full count).
pub const ROW_LIMIT: usize = 10_000;

/// Events shown on each side of a rejected line.
pub const NEIGHBOURS: usize = 5;

/// What the rejects viewer and the places that open it ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum RejectsCommand {
    /// Open the viewer on one source's rejected rows (`None`: every source's), optionally
    /// only those that mention a known account, person or subject.
    Show {
        source: Option<i64>,
        mentions_only: bool,
    },
    /// Open the viewer with this row (source, line) selected.
    ShowRow {
        source: i64,
        line: i64,
    },
    Close,
    /// Select a row of the list (its index) and read its neighbouring events.
    Select(usize),
}

enum Job {
    Rows { seq: u64, source: Option<i64> },
    Neighbours { source: i64, line: i64 },
}

impl Queued for Job {
    /// A newer request of a kind replaces the one of that kind still waiting.
    fn queue(self, waiting: &mut Vec<Job>) {
        let rows = matches!(self, Job::Rows { .. });
        waiting.retain(|j| matches!(j, Job::Rows { .. }) != rows);
        waiting.push(self);
    }
}

enum Done {
    Rows {
        seq: u64,
        rows: Result<Vec<RejectedRow>, String>,
    },
    Neighbours {
        source: i64,
        line: i64,
        events: Result<LineNeighbours, String>,
    },
}

/// The events around the selected row's line.
pub struct Neighbours {
    pub source: i64,
    pub line: i64,
    pub events: LineNeighbours,
}

/// The open case's rejects viewer.
pub struct RejectsState {
    pub open: bool,
    /// The source shown (`None`: every source).
    pub source: Option<i64>,
    pub mentions_only: bool,
    /// The rows of `source`, as last read (`None` while reading).
    pub rows: Option<Arc<Vec<RejectedRow>>>,
    /// Index into `rows`.
    pub selected: Option<usize>,
    /// Select this (source, line) when the rows arrive.
    pending_row: Option<(i64, i64)>,
    pub neighbours: Option<Neighbours>,
    pub error: Option<String>,
    seq: u64,
    worker: LatestWorker<Job>,
    rx: Receiver<Done>,
}

impl RejectsState {
    /// Starts the worker thread for the case at `path`. Nothing is read until the viewer opens.
    pub fn start(path: PathBuf, ctx: egui::Context) -> std::io::Result<RejectsState> {
        let (done, rx) = std::sync::mpsc::channel();
        let open = move || Ok(Case::open_read_only(&path));
        let worker = LatestWorker::start("retrace-rejects-query", ctx, done, open, |case, job| {
            Some(serve(case, job))
        })?;
        Ok(RejectsState {
            open: false,
            source: None,
            mentions_only: false,
            rows: None,
            selected: None,
            pending_row: None,
            neighbours: None,
            error: None,
            seq: 0,
            worker,
            rx,
        })
    }

    /// Rows or neighbours are being read.
    pub fn is_busy(&self) -> bool {
        self.open
            && (self.rows.is_none()
                || self.selected.is_some()
                    && self.neighbours.as_ref().map(|n| (n.source, n.line))
                        != self.selected_place())
    }

    pub fn selected_row(&self) -> Option<&RejectedRow> {
        self.rows.as_ref()?.get(self.selected?)
    }

    fn selected_place(&self) -> Option<(i64, i64)> {
        self.selected_row().map(|r| (r.row.source_id, r.row.line))
    }

    fn load(&mut self, source: Option<i64>) {
        self.seq += 1;
        self.source = source;
        self.rows = None;
        self.selected = None;
        self.neighbours = None;
        self.error = None;
        if !self.worker.send(Job::Rows {
            seq: self.seq,
            source,
        }) {
            self.error = Some("the rejects query thread has stopped".into());
        }
    }

    fn select(&mut self, index: usize) {
        self.selected = Some(index);
        if let Some((source, line)) = self.selected_place()
            && self.neighbours.as_ref().map(|n| (n.source, n.line)) != Some((source, line))
        {
            self.worker.send(Job::Neighbours { source, line });
        }
    }

    /// Takes the worker's answers (called from `App::logic`).
    pub fn drain(&mut self) {
        loop {
            let done = match self.rx.try_recv() {
                Ok(d) => d,
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return,
            };
            match done {
                Done::Rows { seq, rows } if seq == self.seq => match rows {
                    Ok(rows) => {
                        self.rows = Some(Arc::new(rows));
                        if let Some((source, line)) = self.pending_row.take()
                            && let Some(i) = self.rows.as_ref().and_then(|r| {
                                r.iter()
                                    .position(|x| x.row.source_id == source && x.row.line == line)
                            })
                        {
                            self.select(i);
                        }
                    }
                    Err(e) => {
                        self.rows = Some(Arc::new(Vec::new()));
                        self.error = Some(e);
                    }
                },
                Done::Rows { .. } => {}
                Done::Neighbours {
                    source,
                    line,
                    events,
                } => match events {
                    Ok(events) => {
                        self.neighbours = Some(Neighbours {
                            source,
                            line,
                            events,
                        })
                    }
                    Err(e) => self.error = Some(e),
                },
            }
        }
    }
}

/// Applies a command (UI thread; every read happens in the worker).
pub fn apply(state: &mut RejectsState, command: RejectsCommand) {
    match command {
        RejectsCommand::Show {
            source,
            mentions_only,
        } => {
            state.open = true;
            state.mentions_only = mentions_only;
            state.pending_row = None;
            if state.rows.is_none() || state.source != source {
                state.load(source);
            }
        }
        RejectsCommand::ShowRow { source, line } => {
            state.open = true;
            state.mentions_only = false;
            state.pending_row = Some((source, line));
            state.load(Some(source));
        }
        RejectsCommand::Close => state.open = false,
        RejectsCommand::Select(i) => state.select(i),
    }
}

fn serve(case: &crate::case::Result<Case>, job: Job) -> Done {
    match (case, job) {
        (Err(e), Job::Rows { seq, .. }) => Done::Rows {
            seq,
            rows: Err(e.to_string()),
        },
        (Err(e), Job::Neighbours { source, line }) => Done::Neighbours {
            source,
            line,
            events: Err(e.to_string()),
        },
        (Ok(case), Job::Rows { seq, source }) => Done::Rows {
            seq,
            rows: rejected_rows(case, source, ROW_LIMIT).map_err(|e| e.to_string()),
        },
        (Ok(case), Job::Neighbours { source, line }) => Done::Neighbours {
            source,
            line,
            events: case
                .sources()
                .events_around_line(source, line, NEIGHBOURS)
                .map_err(|e| e.to_string()),
        },
    }
}
