//! Person pages and data-subject lookups in the app: what is open, the answers, and the named
//! worker thread (own read-only connection) that computes them off the UI thread. Panels read
//! [`LookupState`] through the open case and send [`LookupCommand`]s; the app applies them
//! with [`apply`] and drains answers with [`LookupState::drain`].

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use chrono_tz::Tz;

use crate::analysis::DEFAULT_SESSION_GAP_MINUTES;
use crate::analysis::person::{PersonPage, person_page};
use crate::analysis::subject::{SubjectAnswer, lookup_subjects, parse_identifier_list, write_csv};
use crate::case::Case;

use super::latest::{LatestWorker, Queued};

/// What the person and subject panels ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupCommand {
    /// Show this person's page (replacing the pages shown).
    OpenPerson(String),
    /// Add a person to the pages shown, side by side.
    ComparePerson(String),
    /// Stop showing a person.
    ClosePerson(String),
    CloseAllPersons,
    /// The session gap threshold, in minutes; recomputes the open pages.
    SetGapMinutes(i64),
    /// Charts in the display zone (true) or each person's own zone (false).
    ChartsInDisplayZone(bool),
    ShowSubjectLookup(bool),
    /// Answer these identifiers.
    LookUpSubjects(Vec<String>),
    /// Pick a file of identifiers (dialog on the UI thread, in the app) and answer them.
    PickSubjectFile,
    /// Answer the identifiers of this file (read off the UI thread).
    LoadSubjectFile(PathBuf),
    /// Pick where to save the answers as CSV (dialog on the UI thread, in the app).
    SaveSubjectCsv,
    /// Save the answers as CSV here (written off the UI thread).
    SaveSubjectCsvTo(PathBuf),
}

enum Job {
    Person {
        key: String,
        gap_minutes: i64,
        zone: Tz,
    },
    Subjects {
        queries: Vec<String>,
        file: Option<PathBuf>,
    },
    SaveCsv {
        path: PathBuf,
        answers: Arc<Vec<SubjectAnswer>>,
        zone: Tz,
    },
}

/// Every lookup is answered, in the order asked.
impl Queued for Job {
    fn queue(self, waiting: &mut Vec<Job>) {
        waiting.push(self);
    }
}

enum Done {
    Person {
        key: String,
        gap_minutes: i64,
        page: Result<Option<Box<PersonPage>>, String>,
        took: Duration,
    },
    Subjects(Result<Vec<SubjectAnswer>, String>, Duration),
    Saved(Result<PathBuf, String>),
}

/// The subject lookup's latest answer.
pub struct SubjectResults {
    pub answers: Arc<Vec<SubjectAnswer>>,
    pub took: Duration,
}

/// Open person pages and subject answers of the open case.
pub struct LookupState {
    /// Person keys shown, in order; two or more are compared side by side.
    pub persons: Vec<String>,
    pub pages: BTreeMap<String, PersonPage>,
    pub gap_minutes: i64,
    pub charts_in_display_zone: bool,
    pub subject_window_open: bool,
    pub subject_results: Option<SubjectResults>,
    /// A lookup or a page is being computed.
    pub pending: usize,
    /// The last problem (shown in the panel that caused it).
    pub error: Option<String>,
    /// The last note (a CSV written).
    pub note: Option<String>,
    pub last_page_took: Option<Duration>,
    worker: LatestWorker<Job>,
    rx: Receiver<Done>,
}

impl LookupState {
    /// Starts the worker thread for the case at `path`.
    pub fn start(path: PathBuf, ctx: egui::Context) -> std::io::Result<LookupState> {
        let (done, rx) = std::sync::mpsc::channel();
        // A case that does not open answers every job with its error.
        let open = move || Ok(Case::open_read_only(&path));
        let worker = LatestWorker::start("retrace-lookup-query", ctx, done, open, |case, job| {
            Some(serve(case, job))
        })?;
        Ok(LookupState {
            persons: Vec::new(),
            pages: BTreeMap::new(),
            gap_minutes: DEFAULT_SESSION_GAP_MINUTES,
            charts_in_display_zone: false,
            subject_window_open: false,
            subject_results: None,
            pending: 0,
            error: None,
            note: None,
            last_page_took: None,
            worker,
            rx,
        })
    }

    pub fn is_busy(&self) -> bool {
        self.pending > 0
    }

    fn send(&mut self, job: Job) {
        if self.worker.send(job) {
            self.pending += 1;
        }
    }

    fn request_page(&mut self, key: &str, zone: Tz) {
        self.send(Job::Person {
            key: key.to_string(),
            gap_minutes: self.gap_minutes,
            zone,
        });
    }

    /// Takes the worker's answers (called from `App::logic`).
    pub fn drain(&mut self, lang: crate::i18n::Lang) {
        loop {
            let done = match self.rx.try_recv() {
                Ok(d) => d,
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return,
            };
            self.pending = self.pending.saturating_sub(1);
            match done {
                Done::Person {
                    key,
                    gap_minutes,
                    page,
                    took,
                } => match page {
                    // An answer for an older gap threshold is dropped: a newer one follows.
                    Ok(Some(p)) if gap_minutes == self.gap_minutes => {
                        self.last_page_took = Some(took);
                        self.pages.insert(key, *p);
                    }
                    Ok(Some(_)) => {}
                    Ok(None) => {
                        self.persons.retain(|k| k != &key);
                        self.error = Some(crate::tr!(lang, "msg-no-person", key = &key));
                    }
                    Err(e) => self.error = Some(e),
                },
                Done::Subjects(r, took) => match r {
                    Ok(answers) => {
                        self.error = None;
                        self.subject_results = Some(SubjectResults {
                            answers: Arc::new(answers),
                            took,
                        });
                    }
                    Err(e) => self.error = Some(e),
                },
                Done::Saved(r) => match r {
                    Ok(p) => {
                        self.note = Some(crate::tr!(
                            lang,
                            "msg-csv-written",
                            path = p.display().to_string()
                        ))
                    }
                    Err(e) => self.error = Some(e),
                },
            }
        }
    }
}

/// Applies a panel's command (UI thread: dialogs here, all IO in the worker). `display_zone`
/// is the zone the display-zone charts and the CSV use.
pub fn apply(state: &mut LookupState, command: LookupCommand, display_zone: Tz) {
    match command {
        LookupCommand::OpenPerson(key) => {
            state.persons = vec![key.clone()];
            state.error = None;
            if !state.pages.contains_key(&key) {
                state.request_page(&key, display_zone);
            }
        }
        LookupCommand::ComparePerson(key) => {
            if !state.persons.contains(&key) {
                state.persons.push(key.clone());
                if !state.pages.contains_key(&key) {
                    state.request_page(&key, display_zone);
                }
            }
        }
        LookupCommand::ClosePerson(key) => state.persons.retain(|k| k != &key),
        LookupCommand::CloseAllPersons => state.persons.clear(),
        LookupCommand::SetGapMinutes(m) => {
            let m = m.clamp(1, 7 * 24 * 60);
            if m != state.gap_minutes {
                state.gap_minutes = m;
                // Pages for other thresholds are stale; keep showing them until replaced.
                for key in state.persons.clone() {
                    state.request_page(&key, display_zone);
                }
                state.pages.retain(|k, _| state.persons.contains(k));
            }
        }
        LookupCommand::ChartsInDisplayZone(on) => state.charts_in_display_zone = on,
        LookupCommand::ShowSubjectLookup(on) => state.subject_window_open = on,
        LookupCommand::LookUpSubjects(queries) => {
            state.note = None;
            state.send(Job::Subjects {
                queries,
                file: None,
            });
        }
        // The dialogs run in the app, which then sends the path.
        LookupCommand::PickSubjectFile | LookupCommand::SaveSubjectCsv => {}
        LookupCommand::LoadSubjectFile(file) => {
            state.note = None;
            state.send(Job::Subjects {
                queries: Vec::new(),
                file: Some(file),
            });
        }
        LookupCommand::SaveSubjectCsvTo(path) => {
            if let Some(results) = &state.subject_results {
                let answers = results.answers.clone();
                state.send(Job::SaveCsv {
                    path,
                    answers,
                    zone: display_zone,
                });
            }
        }
    }
}

fn serve(case: &crate::case::Result<Case>, job: Job) -> Done {
    match (case, job) {
        (
            Err(e),
            Job::Person {
                key, gap_minutes, ..
            },
        ) => Done::Person {
            key,
            gap_minutes,
            page: Err(e.to_string()),
            took: Duration::ZERO,
        },
        (Err(e), Job::Subjects { .. }) => Done::Subjects(Err(e.to_string()), Duration::ZERO),
        (Err(e), Job::SaveCsv { .. }) => Done::Saved(Err(e.to_string())),
        (
            Ok(case),
            Job::Person {
                key,
                gap_minutes,
                zone,
            },
        ) => {
            let t = Instant::now();
            let page = person_page(case, &key, gap_minutes, zone)
                .map(|p| p.map(Box::new))
                .map_err(|e| e.to_string());
            Done::Person {
                key,
                gap_minutes,
                page,
                took: t.elapsed(),
            }
        }
        (Ok(case), Job::Subjects { mut queries, file }) => {
            let t = Instant::now();
            let read = match &file {
                Some(f) => std::fs::read_to_string(f)
                    .map(|text| queries.extend(parse_identifier_list(&text)))
                    .map_err(|e| format!("{}: {e}", f.display())),
                None => Ok(()),
            };
            let r = read.and_then(|()| lookup_subjects(case, &queries).map_err(|e| e.to_string()));
            Done::Subjects(r, t.elapsed())
        }
        (
            Ok(_),
            Job::SaveCsv {
                path,
                answers,
                zone,
            },
        ) => {
            let r = std::fs::File::create(&path)
                .and_then(|f| write_csv(&answers, zone, std::io::BufWriter::new(f)))
                .map(|()| path.clone())
                .map_err(|e| format!("{}: {e}", path.display()));
            Done::Saved(r)
        }
    }
}
