//! Query workers: [`LatestWorker`]s that own their own read-only connection to the case and
//! answer the timeline's and the table's requests off the UI thread. Requests are kept in
//! slots, one per kind (table pages: the last few), so a newer request replaces an older one
//! that has not run yet: the newest request wins.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use crate::case::{
    Buckets, Case, ColumnCount, Counting, EventDetail, EventMark, FilterTerm, HourIndex,
    RefusedCount, TableEvent, TableQuery,
};

use super::latest::{LatestWorker, Queued};

/// Individual marks are drawn when at most this many events are in view.
pub use crate::case::MARK_LIMIT;
/// Rows per table page.
pub const PAGE_ROWS: usize = 200;

/// What the timeline needs for a visible range.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRequest {
    pub from_us: i64,
    pub to_us: i64,
    /// One bucket per pixel column.
    pub columns: u32,
    pub filter: Vec<FilterTerm>,
    /// Account id -> lane index.
    pub lanes: Arc<HashMap<i64, usize>>,
    pub lane_count: usize,
}

/// Events in one lane's pixel column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bucket {
    /// Unit: events.
    pub events: u32,
    /// The category bit with the most events in the bucket, if any.
    pub top_category: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct TimelineData {
    pub request: TimelineRequest,
    /// `lanes[lane][column]`.
    pub lanes: Vec<Vec<Bucket>>,
    /// Events in view (unit: events), including those without a lane.
    pub events_in_view: u64,
    /// The events themselves when there are at most [`MARK_LIMIT`].
    pub marks: Option<Vec<EventMark>>,
    /// Whether the counts came from `event` (exact) or the hourly aggregate.
    pub exact: bool,
    /// A first answer from the daily cells; the hourly one follows
    /// ([`crate::case::Timeline::coarse_columns`]).
    pub coarse: bool,
    pub elapsed: Duration,
    /// While an event scan is counted slice by slice: how far it has got (`None`: complete).
    pub counting: Option<TimelineCounting>,
}

/// A partial timeline: the columns counted so far are exact, the others not yet counted.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineCounting {
    /// Per pixel column: counted yet.
    pub counted: Vec<bool>,
    pub progress: Progress,
}

/// How far a count sliced over the view has got.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// The part of the view counted (0–1, by the events it holds).
    pub fraction: f64,
    /// Stopped by the investigator: no more of it will come.
    pub stopped: bool,
}

/// The whole case's density, one bucket per column.
#[derive(Debug, Clone, PartialEq)]
pub struct DensityRequest {
    pub from_us: i64,
    pub to_us: i64,
    pub columns: u32,
    pub filter: Vec<FilterTerm>,
}

#[derive(Debug, Clone)]
pub struct DensityData {
    pub request: DensityRequest,
    /// Unit: events per column.
    pub counts: Vec<u64>,
}

/// The refused attempts in view, per pixel column (for colouring by outcome): same range,
/// columns and filter as the timeline's request.
#[derive(Debug, Clone, PartialEq)]
pub struct RefusedRequest {
    pub from_us: i64,
    pub to_us: i64,
    pub columns: u32,
    pub filter: Vec<FilterTerm>,
}

#[derive(Debug, Clone)]
pub struct RefusedData {
    pub request: RefusedRequest,
    pub counts: Vec<RefusedCount>,
}

#[derive(Debug, Clone)]
pub enum Request {
    Timeline(TimelineRequest),
    Density(DensityRequest),
    Refused(RefusedRequest),
    TableCount(TableQuery),
    TablePage {
        query: TableQuery,
        page: u64,
    },
    /// Where an event sits in the table (for scrolling to it).
    RowOf {
        query: TableQuery,
        id: i64,
        ts_us: i64,
    },
    Detail(i64),
    /// Rows `offset..offset + limit` of a table query (a Shift+click range).
    TableRows {
        query: TableQuery,
        offset: u64,
        limit: usize,
    },
    /// Whether event `id` still matches `filter` (after a filter change).
    StillMatches {
        id: i64,
        filter: Vec<FilterTerm>,
    },
    /// The next (or previous) matching event after `id` at `ts_us`.
    Step {
        ts_us: i64,
        id: i64,
        forward: bool,
        filter: Vec<FilterTerm>,
    },
}

/// The slots whose running count a newer request (or Stop) ends between slices.
const SLOTS: usize = 10;
const SLOT_TIMELINE: usize = 2;
const SLOT_TABLE_COUNT: usize = 5;
const SLOT_DENSITY: usize = 6;

impl Request {
    fn slot(&self) -> u8 {
        match self {
            Request::Detail(_) => 0,
            Request::Step { .. } => 1,
            Request::Timeline(_) => SLOT_TIMELINE as u8,
            Request::RowOf { .. } => 3,
            // The page the table shows comes before its count, which may be a long scan.
            Request::TablePage { .. } => 4,
            Request::TableCount(_) => SLOT_TABLE_COUNT as u8,
            Request::Density(_) => SLOT_DENSITY as u8,
            Request::TableRows { .. } => 7,
            Request::Refused(_) => 8,
            Request::StillMatches { .. } => 9,
        }
    }
}

/// Per slot: how many requests were sent, and which one (by that number) was told to stop.
/// A sliced count compares them between slices; the UI thread writes them.
#[derive(Debug, Default)]
struct Generations {
    sent: [AtomicU64; SLOTS],
    stop: [AtomicU64; SLOTS],
}

/// What a running request needs to answer in parts and to notice that it is no longer wanted.
struct Live {
    gens: Arc<Generations>,
    answers: Sender<Answer>,
    ctx: egui::Context,
}

impl Live {
    /// The number of the newest request of `slot` (the one about to run).
    fn current(&self, slot: usize) -> u64 {
        self.gens.sent[slot].load(Ordering::SeqCst)
    }

    /// A newer request of the slot was sent: the running one's answer would be stale.
    fn superseded(&self, slot: usize, generation: u64) -> bool {
        self.current(slot) != generation
    }

    fn stopped(&self, slot: usize, generation: u64) -> bool {
        self.gens.stop[slot].load(Ordering::SeqCst) == generation
    }

    fn send(&self, answer: Answer) {
        let _ = self.answers.send(answer);
        self.ctx.request_repaint();
    }
}

impl Queued for Request {
    /// One waiting request per kind, except table pages: the last few of the newest query (a
    /// scroll may need two at once).
    fn queue(self, slots: &mut Vec<Request>) {
        let slot = self.slot();
        if let Request::TablePage { query, page } = &self {
            slots.retain(|s| match s {
                Request::TablePage { query: q, page: p } => q == query && p != page,
                _ => true,
            });
            let pages = slots.iter().filter(|s| s.slot() == slot).count();
            if pages >= 3
                && let Some(i) = slots.iter().position(|s| s.slot() == slot)
            {
                slots.remove(i);
            }
        } else {
            slots.retain(|s| s.slot() != slot);
        }
        slots.push(self);
    }

    /// The kind the user waits on most first (the selected event's detail, a step).
    fn next(slots: &[Request]) -> usize {
        slots
            .iter()
            .enumerate()
            .min_by_key(|(_, r)| r.slot())
            .map_or(0, |(i, _)| i)
    }
}

#[derive(Debug)]
pub enum Answer {
    Timeline(Box<TimelineData>),
    Density(DensityData),
    /// The density strip's count stopped for a newer timeline request: to be asked again.
    DensityGaveWay(DensityRequest),
    Refused(RefusedData),
    TableCount {
        query: TableQuery,
        rows: u64,
        /// While the count goes on slice by slice: `rows` is those counted so far.
        counting: Option<Progress>,
    },
    TablePage {
        query: TableQuery,
        page: u64,
        rows: Vec<TableEvent>,
    },
    RowOf {
        query: TableQuery,
        id: i64,
        row: Option<u64>,
    },
    Detail(i64, Box<Option<EventDetail>>),
    TableRows {
        query: TableQuery,
        offset: u64,
        rows: Vec<TableEvent>,
    },
    Step(Option<(i64, i64)>),
    StillMatches {
        id: i64,
        filter: Vec<FilterTerm>,
        matches: bool,
    },
    Error(String),
}

/// A named thread answering requests on its own read-only connection.
pub struct QueryWorker {
    worker: LatestWorker<Request>,
    gens: Arc<Generations>,
}

impl QueryWorker {
    pub fn start(
        name: &str,
        path: PathBuf,
        answers: Sender<Answer>,
        ctx: egui::Context,
    ) -> std::io::Result<QueryWorker> {
        let gens = Arc::new(Generations::default());
        let live = Live {
            gens: gens.clone(),
            answers: answers.clone(),
            ctx: ctx.clone(),
        };
        let open = move || match Case::open_read_only(&path) {
            // The hourly aggregate is loaded on the first timeline request (this worker's
            // case is read-only, so it never goes stale).
            Ok(c) => Ok((c, Buckets::default(), live)),
            Err(e) => Err(Answer::Error(e.to_string())),
        };
        let worker = LatestWorker::start(name, ctx, answers, open, |(case, buckets, live), r| {
            answer(case, buckets, live, r).unwrap_or_else(|e| Some(Answer::Error(e.to_string())))
        })?;
        Ok(QueryWorker { worker, gens })
    }

    pub fn send(&self, request: Request) {
        // Numbered before it is queued: the worker reads the number after taking the request,
        // so a count never sees itself as superseded by its own request.
        self.gens.sent[usize::from(request.slot())].fetch_add(1, Ordering::SeqCst);
        // A closed channel means the worker ended after reporting its error; nothing to do.
        let _ = self.worker.send(request);
    }

    /// Stops the running (or next) timeline, table count and density strip after their
    /// current slice; what they counted so far stays, marked as stopped.
    pub fn stop_counting(&self) {
        for slot in [SLOT_TIMELINE, SLOT_TABLE_COUNT, SLOT_DENSITY] {
            let sent = self.gens.sent[slot].load(Ordering::SeqCst);
            self.gens.stop[slot].store(sent, Ordering::SeqCst);
        }
    }
}

fn answer(
    case: &Case,
    buckets: &mut Buckets,
    live: &Live,
    request: Request,
) -> crate::case::Result<Option<Answer>> {
    Ok(Some(match request {
        Request::Timeline(r) => {
            let generation = live.current(SLOT_TIMELINE);
            let hours = buckets.for_view(case, r.from_us, r.to_us, r.columns)?;
            let started = Instant::now();
            let mut each = |rows: &Vec<ColumnCount>, c: &Counting| {
                if live.superseded(SLOT_TIMELINE, generation) {
                    return false;
                }
                let stopped = live.stopped(SLOT_TIMELINE, generation);
                let (lanes, events_in_view) = bucket(rows, &r);
                live.send(Answer::Timeline(Box::new(TimelineData {
                    request: r.clone(),
                    lanes,
                    events_in_view,
                    marks: None,
                    exact: true,
                    coarse: false,
                    elapsed: started.elapsed(),
                    counting: Some(TimelineCounting {
                        counted: c.counted.clone(),
                        progress: Progress {
                            fraction: c.fraction(),
                            stopped,
                        },
                    }),
                })));
                !stopped
            };
            if let Some(rows) = case
                .timeline()
                .coarse_columns(hours, r.from_us, r.to_us, r.columns, &r.filter)?
            {
                let (lanes, events_in_view) = bucket(&rows, &r);
                live.send(Answer::Timeline(Box::new(TimelineData {
                    request: r.clone(),
                    lanes,
                    events_in_view,
                    marks: None,
                    exact: false,
                    coarse: true,
                    elapsed: started.elapsed(),
                    counting: None,
                })));
                crate::case::pause_after_part();
                if live.superseded(SLOT_TIMELINE, generation) {
                    return Ok(None);
                }
            }
            let counted = case.timeline().timeline_columns_sliced(
                hours, r.from_us, r.to_us, r.columns, &r.filter, &mut each,
            )?;
            match counted {
                Some(rows) => Answer::Timeline(Box::new(finish_timeline(case, r, rows, started)?)),
                // Superseded (a newer request answers) or stopped (its last part was sent).
                None => return Ok(None),
            }
        }
        Request::Density(r) => return density(case, buckets, live, r),
        Request::Refused(r) => {
            let counts = case
                .timeline()
                .refused_columns(r.from_us, r.to_us, r.columns, &r.filter)?;
            Answer::Refused(RefusedData { request: r, counts })
        }
        Request::TableCount(query) => return table_count(case, buckets, live, query),
        Request::TablePage { query, page } => {
            let rows = case
                .timeline()
                .table_page(&query, page * PAGE_ROWS as u64, PAGE_ROWS)?;
            Answer::TablePage { query, page, rows }
        }
        Request::TableRows {
            query,
            offset,
            limit,
        } => {
            let rows = case.timeline().table_page(&query, offset, limit)?;
            Answer::TableRows {
                query,
                offset,
                rows,
            }
        }
        Request::RowOf { query, id, ts_us } => {
            let row = case.timeline().table_row_of(&query, id, ts_us)?;
            Answer::RowOf { query, id, row }
        }
        // The detail re-reads the source line (an ingest step): its failure is shown as its
        // own message, not turned into a case error.
        Request::Detail(id) => match crate::ingest::event_detail(case, id) {
            Ok(d) => Answer::Detail(id, Box::new(d)),
            Err(e) => Answer::Error(e.to_string()),
        },
        Request::StillMatches { id, filter } => {
            let matches = case.timeline().event_matches(id, &filter)?;
            Answer::StillMatches {
                id,
                filter,
                matches,
            }
        }
        Request::Step {
            ts_us,
            id,
            forward,
            filter,
        } => Answer::Step(
            case.timeline()
                .neighbour_event(ts_us, id, forward, &filter)?,
        ),
    }))
}

/// The whole case's density strip (see [`Request::Density`]).
fn density(
    case: &Case,
    buckets: &mut Buckets,
    live: &Live,
    r: DensityRequest,
) -> crate::case::Result<Option<Answer>> {
    // Asked of the timeline's thread, after the timeline's own request: a long count
    // of the strip gives way to a newer timeline request (and is asked for again).
    let generation = live.current(SLOT_DENSITY);
    let timeline = live.current(SLOT_TIMELINE);
    let hours = buckets.for_view(case, r.from_us, r.to_us, r.columns)?;
    let mut gave_way = false;
    let mut each = |_: &Vec<ColumnCount>, _: &Counting| {
        gave_way = live.superseded(SLOT_TIMELINE, timeline);
        !(gave_way
            || live.superseded(SLOT_DENSITY, generation)
            || live.stopped(SLOT_DENSITY, generation))
    };
    let counted = case
        .timeline()
        .timeline_columns_sliced(hours, r.from_us, r.to_us, r.columns, &r.filter, &mut each)?;
    let Some((rows, _)) = counted else {
        return Ok(gave_way.then_some(Answer::DensityGaveWay(r)));
    };
    let mut counts = vec![0u64; r.columns as usize];
    for c in rows {
        if let Some(slot) = counts.get_mut(c.column as usize) {
            *slot += c.events;
        }
    }
    Ok(Some(Answer::Density(DensityData { request: r, counts })))
}

/// The table's count, slice by slice under an event-level filter.
fn table_count(
    case: &Case,
    buckets: &mut Buckets,
    live: &Live,
    query: TableQuery,
) -> crate::case::Result<Option<Answer>> {
    let generation = live.current(SLOT_TABLE_COUNT);
    let hours = buckets.for_view(case, query.from_us, query.to_us, 4096)?;
    let mut each = |rows: &u64, c: &Counting| {
        if live.superseded(SLOT_TABLE_COUNT, generation) {
            return false;
        }
        let stopped = live.stopped(SLOT_TABLE_COUNT, generation);
        live.send(Answer::TableCount {
            query: query.clone(),
            rows: *rows,
            counting: Some(Progress {
                fraction: c.fraction(),
                stopped,
            }),
        });
        !stopped
    };
    let counted = case
        .timeline()
        .table_count_sliced(hours, &query, &mut each)?;
    Ok(counted.map(|rows| Answer::TableCount {
        query,
        rows,
        counting: None,
    }))
}

/// Counts per lane and column; the events themselves when few enough are in view.
pub fn timeline(
    case: &Case,
    hours: &HourIndex,
    r: TimelineRequest,
) -> crate::case::Result<TimelineData> {
    let started = Instant::now();
    let rows = case
        .timeline()
        .timeline_columns(hours, r.from_us, r.to_us, r.columns, &r.filter)?;
    finish_timeline(case, r, rows, started)
}

/// The whole answer from the counts: lanes, and the events themselves when few are in view.
fn finish_timeline(
    case: &Case,
    r: TimelineRequest,
    (rows, exact): (Vec<ColumnCount>, bool),
    started: Instant,
) -> crate::case::Result<TimelineData> {
    let (lanes, events_in_view) = bucket(&rows, &r);
    let marks = if events_in_view <= MARK_LIMIT as u64 {
        Some(
            case.timeline()
                .event_marks(r.from_us, r.to_us, &r.filter, MARK_LIMIT)?,
        )
    } else {
        None
    };
    Ok(TimelineData {
        request: r,
        lanes,
        events_in_view,
        marks,
        exact,
        coarse: false,
        elapsed: started.elapsed(),
        counting: None,
    })
}

fn bucket(rows: &[ColumnCount], r: &TimelineRequest) -> (Vec<Vec<Bucket>>, u64) {
    let columns = r.columns as usize;
    let mut lanes = vec![vec![Bucket::default(); columns]; r.lane_count];
    // Per (lane, column): events per category bit, to find the commonest one.
    let mut per_category: HashMap<(usize, usize), [u32; 64]> = HashMap::new();
    let mut total = 0u64;
    for c in rows {
        total += c.events;
        let Some(&lane) = r.lanes.get(&c.account_id) else {
            continue;
        };
        let col = (c.column as usize).min(columns.saturating_sub(1));
        let Some(b) = lanes.get_mut(lane).and_then(|l| l.get_mut(col)) else {
            continue;
        };
        b.events = b
            .events
            .saturating_add(c.events.min(u64::from(u32::MAX)) as u32);
        if c.categories != 0 {
            let counts = per_category.entry((lane, col)).or_insert([0; 64]);
            for (bit, n) in counts.iter_mut().enumerate() {
                if c.categories & (1 << bit) != 0 {
                    *n = n.saturating_add(c.events as u32);
                }
            }
        }
    }
    for ((lane, col), counts) in per_category {
        let top = (0..64u32)
            .filter(|b| counts[*b as usize] > 0)
            .max_by_key(|b| (counts[*b as usize], std::cmp::Reverse(*b)));
        lanes[lane][col].top_category = top;
    }
    (lanes, total)
}
