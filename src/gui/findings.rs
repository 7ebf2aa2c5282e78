//! The findings of the open case: the rules' latest answer, the selected finding and rule
//! filter, and the worker ([`LatestWorker`], own connection) that runs the rules, records the
//! investigator's decisions and stores the rules' parameters, never on the UI thread. A
//! parameter change re-runs the rules there. The window that shows them is
//! `panels/findings.rs`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use crate::analysis::findings::triage::{
    self, EvidenceSubjects, FindingFilter, FindingGroup, GroupBy, SortKey, StorageCountries,
};
use crate::analysis::findings::{self, Finding, FindingSet, Params};
use crate::case::{Case, DispositionRow, FilterTerm};
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
    /// Only findings that pass this filter (severity, person, organization, system, storage
    /// country, status; the rule is [`FindingsCommand::FilterRule`]'s).
    SetFilter(FindingFilter),
    /// Also apply the timeline's filter chips (persons, organizations, systems, storage
    /// countries) to the list.
    FollowChips(bool),
    /// Sort the list by a column; the same column again reverses it.
    Sort(SortKey),
    /// One row per group (rule × person or organization × systems) instead of each finding.
    Grouped(bool),
    GroupBy(GroupBy),
    /// Open a group (its findings listed under it, its decision below); `None` closes it.
    SelectGroup(Option<String>),
    /// Record one decision for every finding of a group: one custody entry names the group.
    DisposeGroup {
        group: String,
        keys: Vec<String>,
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
    DisposeGroup {
        group: String,
        keys: Vec<String>,
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

/// Why a decision or parameter was not recorded: the custody log needs a name (in English;
/// the app says `msg-name-first` in its language).
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
        result: Result<Box<(FindingSet, EvidenceSubjects)>, String>,
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
    /// The list's other filters.
    pub filter: FindingFilter,
    /// The timeline's filter chips also filter the list.
    pub follow_chips: bool,
    /// The list's order (`None`: rule, then start).
    pub sort: Option<(SortKey, bool)>,
    /// Groups instead of findings, and what a group's "who" is.
    pub grouped: bool,
    pub group_by: GroupBy,
    /// The open group's key.
    pub selected_group: Option<String>,
    /// The data subjects of the evidence events, for the groups' counts.
    pub subjects: Option<Arc<EvidenceSubjects>>,
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
            filter: FindingFilter::default(),
            follow_chips: false,
            sort: None,
            grouped: false,
            group_by: GroupBy::Person,
            selected_group: None,
            subjects: None,
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

    /// The findings the list shows: the rule and the window's filter, the timeline's chips
    /// when followed (`chips`), in the chosen order.
    pub fn shown<'a>(
        &self,
        set: &'a FindingSet,
        chips: &FindingFilter,
        storage: &StorageCountries,
    ) -> Vec<&'a Finding> {
        let mut list: Vec<&Finding> = set
            .findings
            .iter()
            .filter(|f| self.rule_filter.is_none_or(|r| f.rule == r))
            .filter(|f| {
                self.filter.matches(f, storage) && (!self.follow_chips || chips.matches(f, storage))
            })
            .collect();
        if let Some((key, desc)) = self.sort {
            triage::sort(&mut list, key, desc);
        }
        list
    }

    /// The groups of the shown findings (see [`FindingsState::shown`]).
    pub fn groups(&self, shown: &[&Finding]) -> Vec<FindingGroup> {
        triage::group(shown, self.group_by, self.subjects.as_deref())
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
                            Ok(answer) => {
                                let (set, subjects) = *answer;
                                self.error = None;
                                self.took = Some(took);
                                self.set = Some(Arc::new(set));
                                self.subjects = Some(Arc::new(subjects));
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

/// The timeline's filter chips as a findings filter: persons, organizations, systems and
/// storage countries (the other chips say nothing a finding carries).
pub fn chip_filter(info: &crate::gui::state::CaseInfo, terms: &[FilterTerm]) -> FindingFilter {
    let mut f = FindingFilter::default();
    for t in terms {
        match t {
            FilterTerm::Person(id) => {
                if let Some(p) = info.persons.iter().find(|p| p.id == *id) {
                    f.persons.push(p.key.clone());
                }
            }
            FilterTerm::Organization(o) => f.organizations.push(o.clone()),
            FilterTerm::System(id) => {
                if let Some(s) = info.systems.iter().find(|s| s.id == *id) {
                    f.systems.push(s.name.clone());
                }
            }
            FilterTerm::StorageCountry(c) => f.storage_countries.push(c.clone()),
            _ => {}
        }
    }
    f
}

/// System name -> storage country, from the case's systems.
pub fn storage_of(info: &crate::gui::state::CaseInfo) -> StorageCountries {
    info.systems
        .iter()
        .filter_map(|s| Some((s.name.clone(), s.country.clone()?)))
        .collect()
}

/// Applies a window's command (UI thread; every read and write happens in the worker). A write
/// needs the investigator's name (`author`, the app's); without one it is refused with
/// [`NAME_FIRST`] (in `lang`) rather than recorded as "unknown".
pub fn apply(
    state: &mut FindingsState,
    command: FindingsCommand,
    author: Option<&str>,
    lang: crate::i18n::Lang,
) {
    let writes = matches!(
        command,
        FindingsCommand::Dispose { .. }
            | FindingsCommand::DisposeGroup { .. }
            | FindingsCommand::SetParam { .. }
    );
    let author = author.map(str::trim).filter(|a| !a.is_empty());
    if writes && author.is_none() {
        state.error = Some(crate::tr!(lang, "msg-name-first"));
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
        FindingsCommand::FilterRule(rule) => {
            state.rule_filter = rule;
            // A finding the list no longer shows is no longer the selected one.
            if rule.is_some_and(|r| state.selected_finding().is_some_and(|f| f.rule != r)) {
                state.selected = None;
            }
        }
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
        FindingsCommand::SetFilter(f) => state.filter = f,
        FindingsCommand::FollowChips(on) => state.follow_chips = on,
        FindingsCommand::Sort(key) => {
            state.sort = Some(match state.sort {
                Some((k, desc)) if k == key => (k, !desc),
                _ => (key, false),
            });
        }
        FindingsCommand::Grouped(on) => state.grouped = on,
        FindingsCommand::GroupBy(by) => {
            state.group_by = by;
            state.selected_group = None;
        }
        FindingsCommand::SelectGroup(key) => state.selected_group = key,
        FindingsCommand::DisposeGroup {
            group,
            keys,
            status,
            note,
        } => {
            let job = Job::DisposeGroup {
                group,
                keys,
                status,
                note,
                author,
            };
            if state.worker.send(job) {
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
                    let set = findings::run(&case, &params)?;
                    let subjects = EvidenceSubjects::load(&case, &set)?;
                    Ok(Box::new((set, subjects)))
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
        Job::DisposeGroup {
            group,
            keys,
            status,
            note,
            author,
        } => {
            let r = Case::open(path)
                .and_then(|mut case| {
                    case.writes().dispose_finding_group(
                        &group,
                        &keys,
                        status.as_str(),
                        &note,
                        &author,
                    )?;
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
                Job::Dispose { .. } | Job::DisposeGroup { .. } => "dispose".into(),
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
