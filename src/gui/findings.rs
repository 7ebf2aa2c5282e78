//! The findings of the open case: the rules' latest answer, the selected finding and rule
//! filter, and the worker ([`LatestWorker`], own connection) that runs the rules, records the
//! investigator's decisions and stores the rules' parameters, never on the UI thread. A
//! parameter change re-runs the rules there. The window that shows them is
//! `panels/findings.rs`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use crate::analysis::findings::{self, Finding, FindingSet, Params};
use crate::case::{Case, DispositionRow};
use crate::model::finding::{DispositionStatus, Rule};

use super::latest::{LatestWorker, Queued};

/// What the findings window asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum FindingsCommand {
    Show(bool),
    /// Run the rules again (parameters and dispositions as stored).
    Rerun,
    Select(Option<String>),
    /// Only this rule's findings in the list (`None`: all).
    FilterRule(Option<Rule>),
    /// Record a decision on a finding.
    Dispose {
        key: String,
        status: DispositionStatus,
        note: String,
    },
    /// Store a parameter (JSON value) and re-run; `None` resets it to its default.
    SetParam {
        rule: String,
        key: String,
        value: Option<serde_json::Value>,
    },
}

enum Job {
    Run {
        seq: u64,
    },
    Dispose {
        key: String,
        status: DispositionStatus,
        note: String,
        author: String,
    },
    SetParam {
        rule: String,
        key: String,
        value: Option<String>,
        author: String,
    },
}

/// Why a decision or parameter was not recorded: the custody log needs a name.
pub const NAME_FIRST: &str = "Give your name first (the findings window asks for it): a decision or parameter is recorded in the custody log with who made it.";

impl Queued for Job {
    /// Writes wait in order; a run replaces the run still waiting (the newest one counts).
    fn queue(self, waiting: &mut Vec<Job>) {
        if matches!(self, Job::Run { .. }) {
            waiting.retain(|j| !matches!(j, Job::Run { .. }));
        }
        waiting.push(self);
    }

    /// Writes first, so that the run sees them.
    fn next(waiting: &[Job]) -> usize {
        waiting
            .iter()
            .position(|j| !matches!(j, Job::Run { .. }))
            .unwrap_or(0)
    }
}

enum Done {
    Ran {
        seq: u64,
        result: Result<Box<FindingSet>, String>,
        took: Duration,
    },
    Disposed(Result<Vec<DispositionRow>, String>),
    Failed(String),
}

/// The open case's findings.
pub struct FindingsState {
    pub open: bool,
    /// The latest answer of the rules.
    pub set: Option<Arc<FindingSet>>,
    pub selected: Option<String>,
    pub rule_filter: Option<Rule>,
    /// How long the last run took (on the worker thread).
    pub took: Option<Duration>,
    pub error: Option<String>,
    /// Runs asked for / answered, and writes outstanding.
    wanted: u64,
    answered: u64,
    writes: usize,
    worker: LatestWorker<Job>,
    rx: Receiver<Done>,
}

impl FindingsState {
    /// Starts the worker thread for the case at `path`. Nothing runs until the window opens.
    pub fn start(path: PathBuf, ctx: egui::Context) -> std::io::Result<FindingsState> {
        let (done, rx) = std::sync::mpsc::channel();
        let open = move || Ok(path);
        let worker =
            LatestWorker::start("retrace-findings-query", ctx, done, open, |path, job| {
                serve(path, job)
            })?;
        Ok(FindingsState {
            open: false,
            set: None,
            selected: None,
            rule_filter: None,
            took: None,
            error: None,
            wanted: 0,
            answered: 0,
            writes: 0,
            worker,
            rx,
        })
    }

    /// The rules are running or a decision is being written.
    pub fn is_busy(&self) -> bool {
        self.answered < self.wanted || self.writes > 0
    }

    pub fn selected_finding(&self) -> Option<&Finding> {
        let key = self.selected.as_deref()?;
        self.set.as_ref()?.get(key)
    }

    fn run(&mut self) {
        self.wanted += 1;
        if !self.worker.send(Job::Run { seq: self.wanted }) {
            self.answered = self.wanted;
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
                Done::Ran { seq, result, took } => {
                    self.answered = self.answered.max(seq);
                    // An answer older than the last one asked for is dropped: a newer follows.
                    if seq == self.wanted {
                        match result {
                            Ok(set) => {
                                self.error = None;
                                self.took = Some(took);
                                self.set = Some(Arc::new(*set));
                            }
                            Err(e) => self.error = Some(e),
                        }
                    }
                }
                Done::Disposed(r) => {
                    self.writes = self.writes.saturating_sub(1);
                    match r {
                        Ok(rows) => {
                            if let Some(set) = &self.set {
                                let mut set = (**set).clone();
                                findings::attach_dispositions(&mut set.findings, &rows);
                                self.set = Some(Arc::new(set));
                            }
                        }
                        Err(e) => self.error = Some(e),
                    }
                }
                Done::Failed(e) => {
                    self.writes = self.writes.saturating_sub(1);
                    self.error = Some(e);
                }
            }
        }
    }
}

/// Applies a window's command (UI thread; every read and write happens in the worker). A write
/// needs the investigator's name (`author`, the app's); without one it is refused with
/// [`NAME_FIRST`] rather than recorded as "unknown".
pub fn apply(state: &mut FindingsState, command: FindingsCommand, author: Option<&str>) {
    let writes = matches!(
        command,
        FindingsCommand::Dispose { .. } | FindingsCommand::SetParam { .. }
    );
    let author = author.map(str::trim).filter(|a| !a.is_empty());
    if writes && author.is_none() {
        state.error = Some(NAME_FIRST.to_string());
        return;
    }
    let author = author.unwrap_or_default().to_string();
    match command {
        FindingsCommand::Show(open) => {
            state.open = open;
            if open && state.set.is_none() && !state.is_busy() {
                state.run();
            }
        }
        FindingsCommand::Rerun => state.run(),
        FindingsCommand::Select(key) => state.selected = key,
        FindingsCommand::FilterRule(rule) => state.rule_filter = rule,
        FindingsCommand::Dispose { key, status, note } => {
            if state.worker.send(Job::Dispose {
                key,
                status,
                note,
                author,
            }) {
                state.error = None;
                state.writes += 1;
            }
        }
        FindingsCommand::SetParam { rule, key, value } => {
            let value = value.map(|v| v.to_string());
            // The rules run again after the write, whether it was stored or not.
            let _ = state.worker.send(Job::SetParam {
                rule,
                key,
                value,
                author,
            });
            state.run();
        }
    }
}

/// One job on the worker thread.
fn serve(path: &Path, job: Job) -> Option<Done> {
    match job {
        Job::Run { seq } => {
            let t = Instant::now();
            let result = Case::open_read_only(path)
                .map_err(crate::analysis::AnalysisError::from)
                .and_then(|case| {
                    let params = Params::from_case(&case)?;
                    findings::run(&case, &params).map(Box::new)
                })
                .map_err(|e| e.to_string());
            Some(Done::Ran {
                seq,
                result,
                took: t.elapsed(),
            })
        }
        Job::Dispose {
            key,
            status,
            note,
            author,
        } => {
            let r = Case::open(path)
                .and_then(|mut case| {
                    case.writes()
                        .dispose_finding(&key, status.as_str(), &note, &author)?;
                    case.findings().finding_dispositions()
                })
                .map_err(|e| e.to_string());
            Some(Done::Disposed(r))
        }
        Job::SetParam {
            rule,
            key,
            value,
            author,
        } => Case::open(path)
            .and_then(|mut case| {
                case.writes()
                    .set_finding_param(&rule, &key, value.as_deref(), &author)
            })
            .err()
            .map(|e| Done::Failed(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_run_in_order_before_the_newest_run() {
        let mut waiting = Vec::new();
        Job::Run { seq: 1 }.queue(&mut waiting);
        Job::Dispose {
            key: "k".into(),
            status: DispositionStatus::Confirmed,
            note: String::new(),
            author: "a".into(),
        }
        .queue(&mut waiting);
        Job::Run { seq: 2 }.queue(&mut waiting);
        Job::SetParam {
            rule: "r".into(),
            key: "p".into(),
            value: None,
            author: "a".into(),
        }
        .queue(&mut waiting);
        let kinds: Vec<String> = waiting
            .iter()
            .map(|j| match j {
                Job::Run { seq } => format!("run {seq}"),
                Job::Dispose { .. } => "dispose".into(),
                Job::SetParam { .. } => "param".into(),
            })
            .collect();
        assert_eq!(kinds, ["dispose", "run 2", "param"]);
        assert_eq!(Job::next(&waiting), 0);
        waiting.remove(0);
        assert_eq!(
            Job::next(&waiting),
            1,
            "the parameter is written before the run"
        );
        waiting.remove(1);
        assert_eq!(Job::next(&waiting), 0);
    }
}
