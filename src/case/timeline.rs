//! Read queries for the desktop app's timeline and event table: lanes (accounts and the
//! people they belong to), per-column counts from the `agg_hour` aggregate, the cell
//! aggregates (`agg_cell_day`/`agg_cell_hour`, see `cells.rs`) or from `event`,
//! individual event marks in a time range, and the paged, sorted, filtered event table.
//!
//! Filters are [`FilterTerm`]s: terms of one kind are alternatives (OR), kinds combine with
//! AND; each query of the query language is a kind of its own. Every filter value is a bound parameter; only fixed SQL fragments (and integer
//! limits and offsets) are put together here. Numbered parameters (`?1`..) always come
//! before a filter clause's plain `?`s in the text, which SQLite numbers after them.

use super::facade::Timeline;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rusqlite::params;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use super::{Case, Result, cells};
use crate::model::Outcome;

/// One removable filter condition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FilterTerm {
    /// A person, by `person.id`.
    Person(i64),
    /// The organization of the person behind the account.
    Organization(String),
    /// Where the actor works (`person.country`, ISO 3166 alpha-2).
    ActorCountry(String),
    /// A system, by `system.id`.
    System(i64),
    /// Where the data is stored (`system.country`).
    StorageCountry(String),
    /// A data category bit: events whose category set contains it.
    Category(u32),
    Action(String),
    Outcome(String),
    /// Free text, matched case-insensitively as a substring of account, person, system,
    /// action, object, source IP, raw timestamp, ticket and the unmapped fields (`event_extra`).
    Text(String),
    /// Exactly these events (a finding's evidence); `label` names them on the chip.
    Events {
        label: String,
        ids: Vec<i64>,
    },
    /// A query of the query language (`model::query`), as typed in the free-text box.
    Query(crate::model::query::Query),
    /// One table column compared with a value (the table's per-column filter). Unlike the
    /// other kinds, column terms all combine with AND, so `not` terms exclude together.
    Column {
        column: FilterColumn,
        op: FilterOp,
        value: String,
    },
    /// Events carrying this tag (an annotation on the event itself).
    Tag(String),
    /// Events the investigator starred (an annotation on the event itself).
    Starred,
}

/// The event table's text columns a [`FilterTerm::Column`] can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FilterColumn {
    Person,
    Organization,
    Account,
    System,
    StorageCountry,
    Action,
    Object,
    Outcome,
    Ticket,
    SourceIp,
    SourceFile,
}

impl FilterColumn {
    pub const ALL: [FilterColumn; 11] = [
        FilterColumn::Person,
        FilterColumn::Organization,
        FilterColumn::Account,
        FilterColumn::System,
        FilterColumn::StorageCountry,
        FilterColumn::Action,
        FilterColumn::Object,
        FilterColumn::Outcome,
        FilterColumn::Ticket,
        FilterColumn::SourceIp,
        FilterColumn::SourceFile,
    ];

    /// The column's words on a chip and in `--filter column=NAME:OP:VALUE`.
    pub fn name(self) -> &'static str {
        match self {
            FilterColumn::Person => "person",
            FilterColumn::Organization => "organization",
            FilterColumn::Account => "account",
            FilterColumn::System => "system",
            FilterColumn::StorageCountry => "storage-country",
            FilterColumn::Action => "action",
            FilterColumn::Object => "object",
            FilterColumn::Outcome => "outcome",
            FilterColumn::Ticket => "ticket",
            FilterColumn::SourceIp => "source-ip",
            FilterColumn::SourceFile => "source-file",
        }
    }

    pub fn parse(name: &str) -> Option<FilterColumn> {
        FilterColumn::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The SQL expression (fixed text; the tables as [`filter_clause`] names them).
    fn expr(self) -> &'static str {
        match self {
            FilterColumn::Person => "p.display_name",
            FilterColumn::Organization => "p.organization",
            FilterColumn::Account => "a.name",
            FilterColumn::System => "s.name",
            FilterColumn::StorageCountry => "s.country",
            FilterColumn::Action => "e.action",
            FilterColumn::Object => "e.object",
            FilterColumn::Outcome => "e.outcome",
            FilterColumn::Ticket => "e.ticket",
            FilterColumn::SourceIp => "e.src_ip",
            FilterColumn::SourceFile => {
                "(SELECT src.file_name FROM source src WHERE src.id = e.source_id)"
            }
        }
    }
}

/// How a [`FilterTerm::Column`] compares: `contains` and `not` (does not contain) ignore
/// ASCII case; `equals` is exact. An empty cell contains nothing, so `not` keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FilterOp {
    Contains,
    Equals,
    Not,
}

impl FilterOp {
    pub const ALL: [FilterOp; 3] = [FilterOp::Contains, FilterOp::Equals, FilterOp::Not];

    pub fn name(self) -> &'static str {
        match self {
            FilterOp::Contains => "contains",
            FilterOp::Equals => "equals",
            FilterOp::Not => "not",
        }
    }

    pub fn parse(name: &str) -> Option<FilterOp> {
        FilterOp::ALL.into_iter().find(|o| o.name() == name)
    }
}

/// The condition for a column term: fixed SQL with one `?`, and its bound value (a LIKE
/// pattern with `%`, `_` and `\` escaped for contains and not).
fn column_sql(column: FilterColumn, op: FilterOp, value: &str) -> (String, Value) {
    let col = column.expr();
    match op {
        FilterOp::Contains => (
            format!("{col} LIKE ? ESCAPE '\\'"),
            Value::Text(format!("%{}%", escape_like(value))),
        ),
        FilterOp::Equals => (format!("{col} = ?"), Value::Text(value.to_string())),
        FilterOp::Not => (
            format!("coalesce({col}, '') NOT LIKE ? ESCAPE '\\'"),
            Value::Text(format!("%{}%", escape_like(value))),
        ),
    }
}

/// Each column term as its own `AND (...)` clause, after the other kinds.
fn column_clauses(terms: &[FilterTerm], sql: &mut String, values: &mut Vec<Value>) {
    for t in terms {
        if let FilterTerm::Column { column, op, value } = t {
            let (s, v) = column_sql(*column, *op, value);
            sql.push_str(" AND (");
            sql.push_str(&s);
            sql.push(')');
            values.push(v);
        }
    }
}

impl FilterTerm {
    /// A small number per kind: terms of one kind are OR'd together.
    fn kind(&self) -> u8 {
        match self {
            FilterTerm::Person(_) => 0,
            FilterTerm::Organization(_) => 1,
            FilterTerm::ActorCountry(_) => 2,
            FilterTerm::System(_) => 3,
            FilterTerm::StorageCountry(_) => 4,
            FilterTerm::Category(_) => 5,
            FilterTerm::Action(_) => 6,
            FilterTerm::Outcome(_) => 7,
            FilterTerm::Text(_) => 8,
            FilterTerm::Events { .. } => 9,
            FilterTerm::Query(_) => 10,
            FilterTerm::Column { .. } => COLUMN_KIND,
            FilterTerm::Tag(_) => 21,
            FilterTerm::Starred => 22,
        }
    }

    /// Whether the term can be decided from the account alone (person, organization, actor
    /// country), so that the per-account aggregate can still be used.
    pub fn is_account_level(&self) -> bool {
        match self {
            FilterTerm::Person(_) | FilterTerm::Organization(_) | FilterTerm::ActorCountry(_) => {
                true
            }
            FilterTerm::Query(q) => q.expr.is_account_level(),
            _ => false,
        }
    }

    /// Whether the term can be decided on a cell of the cell aggregates (`agg_cell_day`,
    /// `agg_cell_hour`): it names only the account, the person behind it, the system, its
    /// storage country, the action, the outcome or a category.
    pub fn is_cell_level(&self) -> bool {
        cells::is_cell_level(self)
    }

    /// The condition for one term, with `?` placeholders, and its values.
    pub(super) fn sql(&self) -> (Cow<'static, str>, Vec<Value>) {
        match self {
            FilterTerm::Query(q) => {
                let (sql, values) = super::query_sql::condition(&q.expr);
                (Cow::Owned(sql), values)
            }
            _ => {
                let (sql, values) = self.fixed_sql();
                (Cow::Borrowed(sql), values)
            }
        }
    }

    /// The condition for a term of fixed SQL text (every kind but a query).
    fn fixed_sql(&self) -> (&'static str, Vec<Value>) {
        match self {
            FilterTerm::Person(id) => ("p.id = ?", vec![Value::Integer(*id)]),
            FilterTerm::Organization(o) => ("p.organization = ?", vec![Value::Text(o.clone())]),
            FilterTerm::ActorCountry(c) => ("p.country = ?", vec![Value::Text(c.clone())]),
            FilterTerm::System(id) => ("e.system_id = ?", vec![Value::Integer(*id)]),
            FilterTerm::StorageCountry(c) => ("s.country = ?", vec![Value::Text(c.clone())]),
            FilterTerm::Category(bit) => (
                "(e.categories & ?) != 0",
                vec![Value::Integer(1i64 << (*bit).min(63))],
            ),
            FilterTerm::Action(a) => ("e.action = ?", vec![Value::Text(a.clone())]),
            FilterTerm::Outcome(o) => ("e.outcome = ?", vec![Value::Text(o.clone())]),
            FilterTerm::Text(t) => {
                let pattern = format!("%{}%", escape_like(t));
                // Unmapped fields are stored as JSON text: match the text as JSON writes it
                // (quotes and backslashes escaped), in keys and values alike.
                let extra_pattern = format!("%{}%", escape_like(&json_string_body(t)));
                let mut values = vec![Value::Text(pattern); 9];
                values.push(Value::Text(extra_pattern));
                values.push(Value::Text(t.clone()));
                // An event without an extra row may have its unmapped fields only in the
                // original (CloudTrail): then its lines there are searched.
                (
                    "(a.name LIKE ? ESCAPE '\\' OR p.display_name LIKE ? ESCAPE '\\'
                      OR p.native_name LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\'
                      OR e.action LIKE ? ESCAPE '\\' OR e.object LIKE ? ESCAPE '\\'
                      OR e.src_ip LIKE ? ESCAPE '\\' OR e.raw_ts LIKE ? ESCAPE '\\'
                      OR e.ticket LIKE ? ESCAPE '\\'
                      OR coalesce((SELECT x.fields FROM event_extra x WHERE x.event_id = e.id)
                         LIKE ? ESCAPE '\\',
                         retrace_original_has(e.source_id, e.line, e.line + e.line_span, ?)))",
                    values,
                )
            }
            FilterTerm::Events { ids, .. } => (
                "e.id IN (SELECT value FROM json_each(?))",
                vec![Value::Text(events_json(ids))],
            ),
            // Column terms are put together by `column_clauses`, never here.
            FilterTerm::Column { .. } => ("1", Vec::new()),
            FilterTerm::Tag(t) => (
                "e.id IN (SELECT n.event_id FROM annotation n
                          WHERE n.kind = 'tag' AND n.text = ? AND n.event_id IS NOT NULL)",
                vec![Value::Text(t.clone())],
            ),
            FilterTerm::Starred => (
                "e.id IN (SELECT n.event_id FROM annotation n
                          WHERE n.kind = 'star' AND n.event_id IS NOT NULL)",
                Vec::new(),
            ),
            // Written by `sql` itself; never reached.
            FilterTerm::Query(_) => ("0", Vec::new()),
        }
    }
}

/// The kind of [`FilterTerm::Column`]: each such term is a clause of its own.
const COLUMN_KIND: u8 = 20;

/// A JSON array of event ids, bound as one parameter of `IN (SELECT value FROM json_each(?))`.
pub fn events_json(ids: &[i64]) -> String {
    let mut s = String::with_capacity(ids.len() * 8 + 2);
    super::subject_event::push_json_ids(ids.iter().copied(), &mut s);
    s
}

/// `text` as it stands inside a JSON string, without the quotes: quotes, backslashes and
/// control characters escaped.
pub(super) fn json_string_body(text: &str) -> String {
    let json = serde_json::to_string(text).unwrap_or_default();
    json.get(1..json.len().saturating_sub(1))
        .unwrap_or("")
        .to_string()
}

pub(super) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `AND (...)` clauses for the terms (empty when there are none) and their bound values.
/// The clauses name `e` (event), `a` (account), `p` (person) and `s` (system).
/// `[from, to)` narrowed to the span the filter's queries keep (each query narrows: they are
/// all to hold); `from >= to` when nothing can match.
pub(super) fn narrowed_to_queries(terms: &[FilterTerm], from: i64, to: i64) -> (i64, i64) {
    terms.iter().fold((from, to), |(a, b), t| match t {
        FilterTerm::Query(q) => {
            let (lo, hi) = q.expr.time_bounds();
            (lo.map_or(a, |lo| a.max(lo)), hi.map_or(b, |hi| b.min(hi)))
        }
        _ => (a, b),
    })
}

pub(super) fn filter_clause(terms: &[FilterTerm]) -> (String, Vec<Value>) {
    // Each query is a group of its own: a query already says how its parts combine, so a
    // second one narrows the first.
    let group = |i: usize, t: &FilterTerm| match t {
        FilterTerm::Query(_) => (t.kind(), i),
        _ => (t.kind(), 0),
    };
    let mut kinds: Vec<(u8, usize)> = terms.iter().enumerate().map(|(i, t)| group(i, t)).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut sql = String::new();
    let mut values = Vec::new();
    for kind in kinds.into_iter().filter(|k| k.0 != COLUMN_KIND) {
        let parts: Vec<Cow<'static, str>> = terms
            .iter()
            .enumerate()
            .filter(|(i, t)| group(*i, t) == kind)
            .map(|(_, t)| {
                let (s, v) = t.sql();
                values.extend(v);
                s
            })
            .collect();
        sql.push_str(" AND (");
        sql.push_str(&parts.join(" OR "));
        sql.push(')');
    }
    column_clauses(terms, &mut sql, &mut values);
    (sql, values)
}

const JOINS: &str = "FROM event e
    LEFT JOIN account a ON a.id = e.account_id
    LEFT JOIN person p ON p.id = a.person_id
    LEFT JOIN system s ON s.id = e.system_id";

/// A log account and the person it belongs to, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLink {
    pub id: i64,
    pub name: String,
    pub person_id: Option<i64>,
}

/// A system with where its data is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemInfo {
    pub id: i64,
    pub name: String,
    pub country: Option<String>,
    pub categories: u64,
}

/// Events in one (account, pixel column, category set) cell of a bucketed range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnCount {
    /// `event.account_id`; 0 for events without an account.
    pub account_id: i64,
    pub column: u32,
    pub categories: u64,
    /// Events (unit: events).
    pub events: u64,
}

/// Refused attempts (outcome denied or failed) in one (account, pixel column, outcome) cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedCount {
    /// `event.account_id`; 0 for events without an account.
    pub account_id: i64,
    pub column: u32,
    pub outcome: Outcome,
    /// Unit: events.
    pub events: u64,
}

/// An individual event as the timeline draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventMark {
    pub id: i64,
    pub ts_us: i64,
    /// 0 for events without an account.
    pub account_id: i64,
    pub categories: u64,
    pub system_id: Option<i64>,
    pub outcome: Option<Outcome>,
}

/// One row of the event table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableEvent {
    pub id: i64,
    pub ts_us: i64,
    pub person: Option<String>,
    pub organization: Option<String>,
    pub account: Option<String>,
    pub system: Option<String>,
    pub action: Option<String>,
    pub object: Option<String>,
    pub categories: u64,
    pub records: Option<i64>,
    pub outcome: Option<Outcome>,
    pub subject_count: i64,
    pub source_file: String,
    pub line: i64,
    pub storage_country: Option<String>,
    pub ticket: Option<String>,
    pub src_ip: Option<String>,
    /// The investigator's annotations on this event: starred, its tags, how many notes.
    pub starred: bool,
    pub tags: Vec<String>,
    pub notes: u32,
}

/// Columns the event table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SortKey {
    Time,
    Person,
    Account,
    System,
    Action,
    Object,
    Records,
    Outcome,
    Subjects,
    Source,
    Organization,
    StorageCountry,
    Ticket,
    SourceIp,
}

impl SortKey {
    fn column(self) -> &'static str {
        match self {
            SortKey::Time => "e.ts_us",
            SortKey::Person => "p.display_name",
            SortKey::Account => "a.name",
            SortKey::System => "s.name",
            SortKey::Action => "e.action",
            SortKey::Object => "e.object",
            SortKey::Records => "e.records",
            SortKey::Outcome => "e.outcome",
            SortKey::Subjects => "e.subject_count",
            SortKey::Source => "src.file_name",
            SortKey::Organization => "p.organization",
            SortKey::StorageCountry => "s.country",
            SortKey::Ticket => "e.ticket",
            SortKey::SourceIp => "e.src_ip",
        }
    }
}

/// What the table shows: a half-open time range `[from_us, to_us)`, the filter, the order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TableQuery {
    pub from_us: i64,
    pub to_us: i64,
    pub filter: Vec<FilterTerm>,
    pub sort: SortKey,
    pub descending: bool,
}

impl TableQuery {
    /// Every event of the case that `filter` keeps, oldest first.
    pub fn whole_case(filter: Vec<FilterTerm>) -> TableQuery {
        TableQuery {
            from_us: i64::MIN / 2,
            to_us: i64::MAX / 2,
            filter,
            sort: SortKey::Time,
            descending: false,
        }
    }
}

/// How the timeline's counts and the table count are answered for a filter
/// ([`Timeline::filter_path`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterPath {
    /// No filter or only account-level terms: `agg_hour`/`agg_day` per account (in memory
    /// for the timeline).
    AccountAggregate,
    /// Every term decided on a cell of `agg_cell_day`/`agg_cell_hour` (system, storage
    /// country, category, action, outcome, account-level fields, and the query language over
    /// them): whole buckets from the cells, partial hours at the ends from `event`.
    Cells,
    /// Some term needs the event itself (free text, object, IP, session, ticket, evidence
    /// ids, tags, a time range in a query): `event` is read.
    Events,
}

thread_local! {
    static PATHS_TAKEN: std::cell::RefCell<Vec<FilterPath>> = const { std::cell::RefCell::new(Vec::new()) };
}

pub(super) fn note_path(path: FilterPath) {
    PATHS_TAKEN.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() < 4096 {
            p.push(path);
        }
    });
}

/// The paths taken by [`Timeline::timeline_columns`] and [`Timeline::table_count`] on this
/// thread since the last call, oldest first (for tests and `retrace bench`; at most 4,096
/// are kept).
pub fn take_paths_taken() -> Vec<FilterPath> {
    PATHS_TAKEN.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

/// The timeline draws individual events when at most this many are in view.
pub const MARK_LIMIT: usize = 5000;

/// Up to this many events in view (by the hourly estimate), the timeline counts them exactly.
pub const EXACT_LIMIT: u64 = 20_000;

/// A cell-path view at least this wide (unit: days) whose pixel columns are narrower than a
/// day reads every hour of it in `agg_cell_hour` (~0.4 s for a whole case of 100 M events,
/// 2.5 years); its first answer comes from the daily cells, ~24 times fewer rows, and the
/// hourly one follows ([`Timeline::coarse_columns`]).
pub const COARSE_FIRST_DAYS: i64 = 60;

/// One row of `agg_hour`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HourRow {
    hour: i64,
    account_id: i64,
    events: u64,
    categories: u64,
}

/// An hourly (or daily) aggregate, sorted by bucket. See [`Timeline::load_hour_index`].
#[derive(Debug, Clone, Default)]
pub struct HourIndex {
    rows: Vec<HourRow>,
    /// Width of one bucket (`HourRow::hour` counts buckets of this width).
    bucket_us: i64,
}

/// The aggregates in memory, each loaded on first use: what the timeline's query worker
/// (and `retrace bench`) keep for a read-only case.
#[derive(Debug, Default)]
pub struct Buckets {
    days: Option<HourIndex>,
    hours: Option<HourIndex>,
}

impl Buckets {
    /// The coarsest aggregate fine enough for `columns` over `[from_us, to_us)`: days when a
    /// column is a day or wider (the whole-case view, so the first frame needs only the
    /// small daily table), else hours.
    pub fn for_view(
        &mut self,
        case: &Case,
        from_us: i64,
        to_us: i64,
        columns: u32,
    ) -> Result<&HourIndex> {
        if (to_us - from_us) / i64::from(columns.max(1)) >= US_PER_DAY {
            if self.days.is_none() {
                self.days = Some(case.timeline().load_day_index()?);
            }
            Ok(self.days.get_or_insert_default())
        } else {
            if self.hours.is_none() {
                self.hours = Some(case.timeline().load_hour_index()?);
            }
            Ok(self.hours.get_or_insert_default())
        }
    }
}

impl HourIndex {
    /// Width of one bucket in microseconds.
    pub fn bucket_us(&self) -> i64 {
        self.bucket_us
    }

    /// Events (unit: events) in the buckets whose middle lies in `[from_us, to_us)`, as
    /// [`HourIndex::columns`] would count them with no filter.
    pub fn total(&self, from_us: i64, to_us: i64) -> u64 {
        let bucket = self.bucket_us.max(1);
        let first = (from_us - bucket / 2).div_euclid(bucket) + 1;
        let last = (to_us - bucket / 2 - 1).div_euclid(bucket);
        let start = self.rows.partition_point(|r| r.hour < first);
        self.rows[start..]
            .iter()
            .take_while(|r| r.hour <= last)
            .map(|r| r.events)
            .sum()
    }

    /// Counts per (account, pixel column, categories) over `[from_us, to_us)`: every hour whose
    /// middle lies in the range, its events spread evenly (whole events, totals kept) over the
    /// columns its span covers.
    pub fn columns(
        &self,
        from_us: i64,
        to_us: i64,
        columns: u32,
        accounts: Option<&HashSet<i64>>,
    ) -> Vec<ColumnCount> {
        let bucket = self.bucket_us.max(1);
        let span_us = i128::from((to_us - from_us).max(1));
        let cols = i128::from(columns.max(1));
        let col_of = |t: i64| -> u32 {
            (((i128::from(t) - i128::from(from_us)) * cols / span_us).clamp(0, cols - 1)) as u32
        };
        let first_hour = (from_us - bucket / 2).div_euclid(bucket) + 1;
        let last_hour = (to_us - bucket / 2 - 1).div_euclid(bucket);
        let start = self.rows.partition_point(|r| r.hour < first_hour);
        let mut out: HashMap<(i64, u32, u64), u64> = HashMap::new();
        for r in self.rows[start..]
            .iter()
            .take_while(|r| r.hour <= last_hour)
        {
            if accounts.is_some_and(|a| !a.contains(&r.account_id)) {
                continue;
            }
            let c0 = col_of((r.hour * bucket).max(from_us));
            let c1 = col_of(((r.hour + 1) * bucket - 1).min(to_us - 1));
            let k = u64::from(c1 - c0 + 1);
            let (base, extra) = (r.events / k, r.events % k);
            for (i, c) in (c0..=c1).enumerate() {
                let n = base + u64::from((i as u64) < extra);
                if n > 0 {
                    *out.entry((r.account_id, c, r.categories)).or_default() += n;
                }
            }
        }
        out.into_iter()
            .map(|((account_id, column, categories), events)| ColumnCount {
                account_id,
                column,
                categories,
                events,
            })
            .collect()
    }
}

const US_PER_HOUR: i64 = 3_600_000_000;
const US_PER_DAY: i64 = 24 * US_PER_HOUR;

impl Timeline<'_> {
    /// Every account with its person (NULL for unattributed accounts), by id.
    pub fn account_links(&self) -> Result<Vec<AccountLink>> {
        self.query_vec(
            "SELECT id, name, person_id FROM account ORDER BY id",
            [],
            |r| {
                Ok(AccountLink {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    person_id: r.get(2)?,
                })
            },
        )
    }

    /// Every system, by name.
    pub fn systems(&self) -> Result<Vec<SystemInfo>> {
        self.query_vec(
            "SELECT id, name, country, categories FROM system ORDER BY name",
            [],
            |r| {
                Ok(SystemInfo {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    country: r.get(2)?,
                    categories: r.get::<_, i64>(3)? as u64,
                })
            },
        )
    }

    /// Distinct non-empty values of `event.action` (column = false) or `event.outcome`
    /// (column = true), at most `limit`, most frequent first.
    pub fn distinct_event_values(&self, outcome: bool, limit: usize) -> Result<Vec<String>> {
        let kind = if outcome { "outcome" } else { "action" };
        self.query_vec(
            "SELECT value FROM agg_value WHERE kind = ?1 ORDER BY n DESC, value LIMIT ?2",
            params![kind, limit as i64],
            |r| r.get(0),
        )
    }

    /// The whole hourly aggregate in memory, for [`Timeline::timeline_columns`]: a few MB even at
    /// ten million events, and answering a zoom or pan from it takes no query.
    pub fn load_hour_index(&self) -> Result<HourIndex> {
        self.load_bucket_index(
            "SELECT hour, account_id, n, categories FROM agg_hour",
            US_PER_HOUR,
        )
    }

    /// The per-day aggregate in memory: ~24 times smaller than the hourly one, and enough
    /// for views whose pixel columns are a day or wider (a whole case of several years).
    pub fn load_day_index(&self) -> Result<HourIndex> {
        self.load_bucket_index(
            "SELECT day, account_id, n, categories FROM agg_day",
            US_PER_DAY,
        )
    }
}

impl Case {
    fn load_bucket_index(&self, sql: &str, bucket_us: i64) -> Result<HourIndex> {
        // Read in the table's own (account, bucket) order and sort here: asking SQLite for
        // bucket order would make it sort the whole table first.
        let mut rows = self.query_vec(sql, [], |r| {
            Ok(HourRow {
                hour: r.get(0)?,
                account_id: r.get(1)?,
                events: r.get::<_, i64>(2)?.max(0) as u64,
                categories: r.get::<_, i64>(3)? as u64,
            })
        })?;
        rows.sort_unstable_by_key(|r| (r.hour, r.account_id));
        Ok(HourIndex { rows, bucket_us })
    }
}

impl Timeline<'_> {
    /// Accounts the account-level terms of `filter` admit (`None`: no such terms).
    pub fn accounts_matching(&self, filter: &[FilterTerm]) -> Result<Option<HashSet<i64>>> {
        let terms: Vec<FilterTerm> = filter
            .iter()
            .filter(|t| t.is_account_level())
            .cloned()
            .collect();
        if terms.is_empty() {
            return Ok(None);
        }
        let (clause, values) = filter_clause(&terms);
        let sql = format!(
            "SELECT a.id FROM account a LEFT JOIN person p ON p.id = a.person_id WHERE 1 {clause}"
        );
        let ids = self.query_vec(&sql, rusqlite::params_from_iter(values), |r| r.get(0))?;
        Ok(Some(ids.into_iter().collect()))
    }

    /// The timeline's per-column counts. With only account-level filter terms (or none) they
    /// come from the hourly aggregate in `hours` — each hour's events spread over the pixel
    /// columns it covers — unless so few events are in view ([`EXACT_LIMIT`]) that counting
    /// them in `event` is cheap; other filter terms always count in `event`. Returns the
    /// counts and whether they are exact to the microsecond. The desktop app and
    /// `retrace bench` both go through here.
    pub fn timeline_columns(
        &self,
        hours: &HourIndex,
        from_us: i64,
        to_us: i64,
        columns: u32,
        filter: &[FilterTerm],
    ) -> Result<(Vec<ColumnCount>, bool)> {
        let path = self.filter_path(filter)?;
        note_path(path);
        match path {
            FilterPath::Events => {
                return Ok((self.event_columns(from_us, to_us, columns, filter)?, true));
            }
            FilterPath::Cells => {
                // Few events in view (whatever the filter keeps): counting them is cheap.
                if hours.total(from_us, to_us) <= EXACT_LIMIT {
                    return Ok((self.event_columns(from_us, to_us, columns, filter)?, true));
                }
                let daily = hours.bucket_us() >= US_PER_DAY;
                return Ok((
                    self.cell_columns(from_us, to_us, columns, filter, daily)?,
                    false,
                ));
            }
            FilterPath::AccountAggregate => {}
        }
        let accounts = self.accounts_matching(filter)?;
        let rows = hours.columns(from_us, to_us, columns, accounts.as_ref());
        let estimate: u64 = rows.iter().map(|c| c.events).sum();
        if estimate <= EXACT_LIMIT {
            return Ok((self.event_columns(from_us, to_us, columns, filter)?, true));
        }
        Ok((rows, false))
    }

    /// Counts per (account, column, categories) from `event` itself, with every filter
    /// term applied; exact to the microsecond. Cost grows with the events in the range.
    pub fn event_columns(
        &self,
        from_us: i64,
        to_us: i64,
        columns: u32,
        filter: &[FilterTerm],
    ) -> Result<Vec<ColumnCount>> {
        self.event_columns_part(from_us, to_us, columns, filter, from_us, to_us)
            .map(|rows| clamp_columns(rows, columns))
    }

    /// [`Timeline::event_columns`] for the events in `[part_from, part_to)` only, columns
    /// still those of the view `[from_us, to_us)`.
    pub(super) fn event_columns_part(
        &self,
        from_us: i64,
        to_us: i64,
        columns: u32,
        filter: &[FilterTerm],
        part_from: i64,
        part_to: i64,
    ) -> Result<Vec<ColumnCount>> {
        let span_us = (to_us - from_us).max(1);
        // A query's time terms bound the events it can keep: scan only that span.
        let (part_from, part_to) = narrowed_to_queries(filter, part_from, part_to);
        if part_from >= part_to {
            return Ok(Vec::new());
        }
        let (clause, mut values) = filter_clause(filter);
        let sql = format!(
            "SELECT coalesce(e.account_id, 0), ((e.ts_us - ?1) * ?2) / ?3 AS col,
                    e.categories, count(*)
             {JOINS}
             WHERE e.ts_us >= ?4 AND e.ts_us < ?5 {clause}
             GROUP BY 1, col, e.categories"
        );
        let mut params = vec![
            Value::Integer(from_us),
            Value::Integer(i64::from(columns)),
            Value::Integer(span_us),
            Value::Integer(part_from),
            Value::Integer(part_to),
        ];
        params.append(&mut values);
        self.query_vec(&sql, rusqlite::params_from_iter(params), column_count)
    }

    /// The timeline's per-column counts from the cell aggregates (see [`FilterPath::Cells`]):
    /// whole days (`daily`, for views whose columns are a day or wider) or hours from the
    /// cells, each bucket's events spread over the columns it covers as the hourly aggregate
    /// does; the partial days in hours, the partial hours at the ends counted in `event`.
    /// The totals are exact; only the spread within a bucket is not.
    pub fn cell_columns(
        &self,
        from_us: i64,
        to_us: i64,
        columns: u32,
        filter: &[FilterTerm],
        daily: bool,
    ) -> Result<Vec<ColumnCount>> {
        let (clause, values) = filter_clause(filter);
        let mut out: HashMap<(i64, u32, u64), u64> = HashMap::new();
        let mut add = |rows: Vec<ColumnCount>| {
            for c in rows {
                *out.entry((c.account_id, c.column, c.categories))
                    .or_default() += c.events;
            }
        };
        for part in cells::split(from_us, to_us, daily) {
            match part {
                cells::Part::Cells { daily, from, to } => {
                    let from_cells = cells::from_cells(daily);
                    let sql = format!(
                        "SELECT e.bucket, e.account_id, e.n, e.categories {from_cells}
                         WHERE e.bucket >= ?1 AND e.bucket < ?2 {clause}"
                    );
                    let mut params = vec![Value::Integer(from), Value::Integer(to)];
                    params.extend(values.iter().cloned());
                    let mut rows =
                        self.query_vec(&sql, rusqlite::params_from_iter(params), |r| {
                            Ok(HourRow {
                                hour: r.get(0)?,
                                account_id: r.get(1)?,
                                events: r.get::<_, i64>(2)?.max(0) as u64,
                                categories: r.get::<_, i64>(3)? as u64,
                            })
                        })?;
                    // Already in bucket order (the primary key's); kept sorted to be sure.
                    if !rows.is_sorted_by_key(|r| r.hour) {
                        rows.sort_by_key(|r| r.hour);
                    }
                    let index = HourIndex {
                        rows,
                        bucket_us: if daily { US_PER_DAY } else { US_PER_HOUR },
                    };
                    add(index.columns(from_us, to_us, columns, None));
                }
                cells::Part::Events {
                    from_us: a,
                    to_us: b,
                } => add(self.event_columns_part(from_us, to_us, columns, filter, a, b)?),
            }
        }
        let rows = out
            .into_iter()
            .map(|((account_id, column, categories), events)| ColumnCount {
                account_id,
                column,
                categories,
                events,
            })
            .collect();
        Ok(clamp_columns(rows, columns))
    }

    /// A first answer for a wide view on the cell path: the counts from the daily cells,
    /// each day's events spread over the columns it covers, when the exact-per-hour answer
    /// of [`Timeline::timeline_columns`] would read every hour of at least
    /// [`COARSE_FIRST_DAYS`] days. The totals are those of the hourly answer; only the spread
    /// within a day differs. `None` when the view's own answer is as quick.
    pub fn coarse_columns(
        &self,
        hours: &HourIndex,
        from_us: i64,
        to_us: i64,
        columns: u32,
        filter: &[FilterTerm],
    ) -> Result<Option<Vec<ColumnCount>>> {
        let wide = to_us - from_us >= COARSE_FIRST_DAYS * US_PER_DAY;
        if !wide || hours.bucket_us() >= US_PER_DAY {
            return Ok(None);
        }
        if self.filter_path(filter)? != FilterPath::Cells
            || hours.total(from_us, to_us) <= EXACT_LIMIT
        {
            return Ok(None);
        }
        self.cell_columns(from_us, to_us, columns, filter, true)
            .map(Some)
    }

    /// Which path the timeline and the table count take for `filter` (see [`FilterPath`]).
    pub fn filter_path(&self, filter: &[FilterTerm]) -> Result<FilterPath> {
        if filter.iter().all(FilterTerm::is_account_level) {
            return Ok(FilterPath::AccountAggregate);
        }
        if filter.iter().all(cells::is_cell_level) && self.has_cells()? {
            return Ok(FilterPath::Cells);
        }
        Ok(FilterPath::Events)
    }

    /// The refused attempts (see [`crate::model::event::REFUSED_OUTCOMES`]) in `[from_us,
    /// to_us)` that match the filter, per (account, pixel column, outcome), counted in
    /// `event`: the aggregates keep no outcome, and a timeline coloured by outcome draws these
    /// over its counts so that one denied attempt among thousands of accesses still shows.
    /// Cost grows with the events in the range.
    pub fn refused_columns(
        &self,
        from_us: i64,
        to_us: i64,
        columns: u32,
        filter: &[FilterTerm],
    ) -> Result<Vec<RefusedCount>> {
        let span_us = (to_us - from_us).max(1);
        let (clause, mut values) = filter_clause(filter);
        let access = crate::model::event::access_sql("e.outcome");
        let sql = format!(
            "SELECT coalesce(e.account_id, 0), ((e.ts_us - ?1) * ?2) / ?3 AS col, e.outcome,
                    count(*)
             {JOINS}
             WHERE e.ts_us >= ?1 AND e.ts_us < ?4 AND NOT ({access}) {clause}
             GROUP BY 1, col, e.outcome"
        );
        let mut params = vec![
            Value::Integer(from_us),
            Value::Integer(i64::from(columns)),
            Value::Integer(span_us),
            Value::Integer(to_us),
        ];
        params.append(&mut values);
        let last = columns.saturating_sub(1);
        self.query_vec(&sql, rusqlite::params_from_iter(params), |r| {
            Ok(RefusedCount {
                account_id: r.get::<_, Option<i64>>(0)?.unwrap_or(0),
                column: (r.get::<_, i64>(1)?.max(0) as u32).min(last),
                outcome: Outcome::from_stored(r.get_ref(2)?.as_str()?),
                events: r.get::<_, i64>(3)?.max(0) as u64,
            })
        })
    }

    /// Events in `[from_us, to_us)` matching the filter, oldest first, at most `limit`.
    pub fn event_marks(
        &self,
        from_us: i64,
        to_us: i64,
        filter: &[FilterTerm],
        limit: usize,
    ) -> Result<Vec<EventMark>> {
        let (clause, mut values) = filter_clause(filter);
        let sql = format!(
            "SELECT e.id, e.ts_us, coalesce(e.account_id, 0), e.categories, e.system_id, e.outcome
             {JOINS}
             WHERE e.ts_us >= ?1 AND e.ts_us < ?2 {clause}
             ORDER BY e.ts_us, e.id LIMIT {limit}"
        );
        let mut params = vec![Value::Integer(from_us), Value::Integer(to_us)];
        params.append(&mut values);
        self.query_vec(&sql, rusqlite::params_from_iter(params), |r| {
            Ok(EventMark {
                id: r.get(0)?,
                ts_us: r.get(1)?,
                account_id: r.get(2)?,
                categories: r.get::<_, i64>(3)? as u64,
                system_id: r.get(4)?,
                outcome: r.get_ref(5)?.as_str_or_null()?.map(Outcome::from_stored),
            })
        })
    }

    /// How many events the table query matches (unit: events). Exact. With no filter, or
    /// only account-level ones, whole hours are summed from `agg_hour` and only the partial
    /// hours at the ends are counted in `event`, so a count over years stays fast.
    pub fn table_count(&self, q: &TableQuery) -> Result<u64> {
        let path = self.filter_path(&q.filter)?;
        note_path(path);
        if path == FilterPath::Cells {
            return self.cell_count(q);
        }
        if path == FilterPath::AccountAggregate {
            let first_full = q.from_us.div_euclid(US_PER_HOUR)
                + i64::from(q.from_us.rem_euclid(US_PER_HOUR) != 0);
            let end_full = q.to_us.div_euclid(US_PER_HOUR);
            if end_full > first_full {
                let (clause, values) = filter_clause(&q.filter);
                let sql = format!(
                    "SELECT coalesce(sum(g.n), 0) FROM agg_hour g
                     LEFT JOIN account a ON a.id = g.account_id
                     LEFT JOIN person p ON p.id = a.person_id
                     WHERE g.hour >= ?1 AND g.hour < ?2 {clause}"
                );
                let mut params = vec![Value::Integer(first_full), Value::Integer(end_full)];
                params.extend(values);
                let whole: i64 = self
                    .conn
                    .query_row(&sql, rusqlite::params_from_iter(params), |r| r.get(0))
                    .map_err(|e| self.err(e))?;
                let edge = |from_us: i64, to_us: i64| {
                    self.count_events(&TableQuery {
                        from_us,
                        to_us,
                        ..q.clone()
                    })
                };
                let head = edge(q.from_us, first_full * US_PER_HOUR)?;
                let tail = edge(end_full * US_PER_HOUR, q.to_us)?;
                return Ok(whole.max(0) as u64 + head + tail);
            }
        }
        self.count_events(q)
    }
}

impl Case {
    /// The table count from the cell aggregates: whole days and hours summed there, the
    /// partial hours at the ends counted in `event`.
    fn cell_count(&self, q: &TableQuery) -> Result<u64> {
        let (clause, values) = filter_clause(&q.filter);
        let mut total = 0u64;
        for part in cells::split(q.from_us, q.to_us, true) {
            total += match part {
                cells::Part::Cells { daily, from, to } => {
                    let from_cells = cells::from_cells(daily);
                    let sql = format!(
                        "SELECT coalesce(sum(e.n), 0) {from_cells}
                         WHERE e.bucket >= ?1 AND e.bucket < ?2 {clause}"
                    );
                    let mut params = vec![Value::Integer(from), Value::Integer(to)];
                    params.extend(values.iter().cloned());
                    let n: i64 = self
                        .conn
                        .query_row(&sql, rusqlite::params_from_iter(params), |r| r.get(0))
                        .map_err(|e| self.err(e))?;
                    n.max(0) as u64
                }
                cells::Part::Events { from_us, to_us } => self.count_events(&TableQuery {
                    from_us,
                    to_us,
                    ..q.clone()
                })?,
            };
        }
        Ok(total)
    }

    /// Counts the table query's events in `event` itself.
    pub(super) fn count_events(&self, q: &TableQuery) -> Result<u64> {
        if q.to_us <= q.from_us {
            return Ok(0);
        }
        let (clause, mut values) = filter_clause(&q.filter);
        let sql = format!("SELECT count(*) {JOINS} WHERE e.ts_us >= ?1 AND e.ts_us < ?2 {clause}");
        let mut params = vec![Value::Integer(q.from_us), Value::Integer(q.to_us)];
        params.append(&mut values);
        let n: i64 = self
            .conn
            .query_row(&sql, rusqlite::params_from_iter(params), |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(n.max(0) as u64)
    }
}

impl Timeline<'_> {
    /// Rows `offset..offset + limit` of the table query in its order (ties by event id).
    pub fn table_page(&self, q: &TableQuery, offset: u64, limit: usize) -> Result<Vec<TableEvent>> {
        let (clause, mut values) = filter_clause(&q.filter);
        let dir = if q.descending { "DESC" } else { "ASC" };
        let col = q.sort.column();
        let sql = format!(
            "SELECT e.id, e.ts_us, p.display_name, p.organization, a.name, s.name, e.action,
                    e.object, e.categories, e.records, e.outcome, e.subject_count,
                    src.file_name, e.line, s.country, e.ticket, e.src_ip
             {JOINS}
             JOIN source src ON src.id = e.source_id
             WHERE e.ts_us >= ?1 AND e.ts_us < ?2 {clause}
             ORDER BY {col} {dir}, e.id {dir} LIMIT {limit} OFFSET {offset}"
        );
        let mut params = vec![Value::Integer(q.from_us), Value::Integer(q.to_us)];
        params.append(&mut values);
        let mut rows = self.query_vec(&sql, rusqlite::params_from_iter(params), |r| {
            Ok(TableEvent {
                id: r.get(0)?,
                ts_us: r.get(1)?,
                person: r.get(2)?,
                organization: r.get(3)?,
                account: r.get(4)?,
                system: r.get(5)?,
                action: r.get(6)?,
                object: r.get(7)?,
                categories: r.get::<_, i64>(8)? as u64,
                records: r.get(9)?,
                outcome: r.get_ref(10)?.as_str_or_null()?.map(Outcome::from_stored),
                subject_count: r.get(11)?,
                source_file: r.get(12)?,
                line: r.get(13)?,
                storage_country: r.get(14)?,
                ticket: r.get(15)?,
                src_ip: r.get(16)?,
                starred: false,
                tags: Vec::new(),
                notes: 0,
            })
        })?;
        self.add_marks(&mut rows)?;
        Ok(rows)
    }

    /// The page's annotations, read in one query for its event ids after the page itself, so
    /// that a sort over millions of rows computes nothing per row for them.
    fn add_marks(&self, rows: &mut [TableEvent]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
        let notes: Vec<(i64, String)> = self.query_vec(
            "SELECT n.event_id, json_group_array(json_array(n.kind, n.text)) FROM annotation n
             WHERE n.event_id IN (SELECT value FROM json_each(?1)) GROUP BY n.event_id",
            [events_json(&ids)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let by_id: HashMap<i64, String> = notes.into_iter().collect();
        for e in rows.iter_mut() {
            (e.starred, e.tags, e.notes) = marks(by_id.get(&e.id).map(String::as_str));
        }
        Ok(())
    }

    /// The row index of event `id` in the table query when it is sorted by time, or `None`
    /// when another order is in force or the event is not in the result.
    pub fn table_row_of(&self, q: &TableQuery, id: i64, ts_us: i64) -> Result<Option<u64>> {
        if q.sort != SortKey::Time || ts_us < q.from_us || ts_us >= q.to_us {
            return Ok(None);
        }
        let (clause, mut values) = filter_clause(&q.filter);
        let cmp = if q.descending {
            "(e.ts_us > ?3 OR (e.ts_us = ?3 AND e.id > ?4))"
        } else {
            "(e.ts_us < ?3 OR (e.ts_us = ?3 AND e.id < ?4))"
        };
        let sql = format!(
            "SELECT count(*) {JOINS} WHERE e.ts_us >= ?1 AND e.ts_us < ?2 AND {cmp} {clause}"
        );
        let mut params = vec![
            Value::Integer(q.from_us),
            Value::Integer(q.to_us),
            Value::Integer(ts_us),
            Value::Integer(id),
        ];
        params.append(&mut values);
        let n: i64 = self
            .conn
            .query_row(&sql, rusqlite::params_from_iter(params), |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(Some(n.max(0) as u64))
    }

    /// Whether event `id` matches the filter (for keeping or dropping a selection).
    pub fn event_matches(&self, id: i64, filter: &[FilterTerm]) -> Result<bool> {
        let (clause, mut values) = filter_clause(filter);
        let sql = format!("SELECT count(*) {JOINS} WHERE e.id = ?1 {clause}");
        let mut params = vec![Value::Integer(id)];
        params.append(&mut values);
        let n: i64 = self
            .conn
            .query_row(&sql, rusqlite::params_from_iter(params), |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(n > 0)
    }

    /// The event just after (`forward`) or before `ts_us`/`id` in time order that matches
    /// the filter: (id, ts_us).
    pub fn neighbour_event(
        &self,
        ts_us: i64,
        id: i64,
        forward: bool,
        filter: &[FilterTerm],
    ) -> Result<Option<(i64, i64)>> {
        let (clause, mut values) = filter_clause(filter);
        let (cmp, dir) = if forward {
            ("(e.ts_us > ?1 OR (e.ts_us = ?1 AND e.id > ?2))", "ASC")
        } else {
            ("(e.ts_us < ?1 OR (e.ts_us = ?1 AND e.id < ?2))", "DESC")
        };
        let sql = format!(
            "SELECT e.id, e.ts_us {JOINS} WHERE {cmp} {clause}
             ORDER BY e.ts_us {dir}, e.id {dir} LIMIT 1"
        );
        let mut params = vec![Value::Integer(ts_us), Value::Integer(id)];
        params.append(&mut values);
        let rows = self.query_vec(&sql, rusqlite::params_from_iter(params), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.into_iter().next())
    }
}

/// An event's annotations, from `[[kind, text], ...]`: starred, its tags (each once, in
/// the order given), the number of notes.
fn marks(json: Option<&str>) -> (bool, Vec<String>, u32) {
    let pairs: Vec<(String, Option<String>)> = json
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let mut out = (false, Vec::new(), 0u32);
    for (kind, text) in pairs {
        match kind.as_str() {
            "star" => out.0 = true,
            "tag" => {
                let t = text.unwrap_or_default();
                if !out.1.contains(&t) {
                    out.1.push(t);
                }
            }
            "note" => out.2 += 1,
            _ => {}
        }
    }
    out
}

fn column_count(r: &rusqlite::Row) -> rusqlite::Result<ColumnCount> {
    Ok(ColumnCount {
        account_id: r.get::<_, Option<i64>>(0)?.unwrap_or(0),
        column: r.get::<_, i64>(1)?.max(0) as u32,
        categories: r.get::<_, i64>(2)? as u64,
        events: r.get::<_, i64>(3)?.max(0) as u64,
    })
}

/// Rounding can put an edge hour one column past the end; keep every count on screen.
pub(super) fn clamp_columns(mut rows: Vec<ColumnCount>, columns: u32) -> Vec<ColumnCount> {
    let last = columns.saturating_sub(1);
    for r in &mut rows {
        r.column = r.column.min(last);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_of_one_kind_are_alternatives() {
        let (sql, values) = filter_clause(&[
            FilterTerm::Person(1),
            FilterTerm::Outcome("denied".into()),
            FilterTerm::Person(2),
        ]);
        assert_eq!(sql, " AND (p.id = ? OR p.id = ?) AND (e.outcome = ?)");
        assert_eq!(values.len(), 3);
    }

    #[test]
    fn like_wildcards_in_free_text_are_escaped() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
        let (sql, values) = filter_clause(&[FilterTerm::Text("o'brien".into())]);
        assert!(sql.contains("LIKE ? ESCAPE"));
        assert!(!sql.contains("brien"), "text must be bound, not spliced");
        assert_eq!(values[0], Value::Text("%o'brien%".into()));
    }

    /// Event ids matching `terms` in a tiny in-memory table with the case's column names.
    fn ids_matching(terms: &[FilterTerm]) -> Vec<i64> {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE person(id INTEGER PRIMARY KEY, display_name, native_name, organization, country);
             CREATE TABLE account(id INTEGER PRIMARY KEY, name, person_id);
             CREATE TABLE system(id INTEGER PRIMARY KEY, name, country);
             CREATE TABLE source(id INTEGER PRIMARY KEY, file_name);
             CREATE TABLE annotation(id INTEGER PRIMARY KEY, event_id, kind, text);
             CREATE TABLE event(id INTEGER PRIMARY KEY, account_id, system_id, source_id, action,
                                object, outcome, ticket, src_ip, ts_us, categories);
             INSERT INTO source VALUES (1, 'a.csv');
             INSERT INTO event(id, source_id, object) VALUES
               (1, 1, 'o''brien 50% off'), (2, 1, 'obrien 50x off'), (3, 1, 'a_b'),
               (4, 1, 'axb'), (5, 1, NULL), (6, 1, 'O''BRIEN');
             INSERT INTO annotation(event_id, kind, text) VALUES
               (1, 'tag', 'x''y%'), (2, 'tag', 'xy'), (3, 'star', NULL);",
        )
        .unwrap();
        let (clause, values) = filter_clause(terms);
        let sql = format!("SELECT e.id {JOINS} WHERE 1 {clause} ORDER BY e.id");
        let mut st = conn.prepare(&sql).unwrap();
        st.query_map(rusqlite::params_from_iter(values), |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    fn col(op: FilterOp, value: &str) -> FilterTerm {
        FilterTerm::Column {
            column: FilterColumn::Object,
            op,
            value: value.into(),
        }
    }

    #[test]
    fn column_filter_binds_quotes_percent_and_underscore_as_plain_text() {
        let (sql, values) = filter_clause(&[col(FilterOp::Contains, "o'brien 50%")]);
        assert_eq!(sql, " AND (e.object LIKE ? ESCAPE '\\')");
        assert_eq!(values, vec![Value::Text("%o'brien 50\\%%".into())]);
        // The quote is data, `%` matches only a percent sign, ASCII case is ignored.
        assert_eq!(ids_matching(&[col(FilterOp::Contains, "o'brien 50%")]), [1]);
        assert_eq!(ids_matching(&[col(FilterOp::Contains, "O'BRIEN")]), [1, 6]);
        // `_` is an underscore, not any character.
        assert_eq!(ids_matching(&[col(FilterOp::Contains, "a_b")]), [3]);
        assert_eq!(ids_matching(&[col(FilterOp::Equals, "a_b")]), [3]);
        assert_eq!(
            ids_matching(&[col(FilterOp::Equals, "o'brien")]),
            Vec::<i64>::new()
        );
        // An injection attempt is a value like any other.
        assert_eq!(
            ids_matching(&[col(FilterOp::Equals, "x' OR '1'='1")]),
            Vec::<i64>::new()
        );
    }

    #[test]
    fn column_filter_not_terms_combine_with_and_and_keep_empty_cells() {
        assert_eq!(ids_matching(&[col(FilterOp::Not, "brien")]), [3, 4, 5]);
        assert_eq!(
            ids_matching(&[col(FilterOp::Not, "brien"), col(FilterOp::Not, "a_b")]),
            [4, 5]
        );
        // Another kind still combines with AND.
        assert_eq!(
            ids_matching(&[col(FilterOp::Not, "a_b"), FilterTerm::Starred]),
            Vec::<i64>::new()
        );
    }

    #[test]
    fn tag_and_star_filters_bind_their_values() {
        assert_eq!(ids_matching(&[FilterTerm::Tag("x'y%".into())]), [1]);
        assert_eq!(ids_matching(&[FilterTerm::Tag("xy".into())]), [2]);
        assert_eq!(
            ids_matching(&[FilterTerm::Tag("x'y%".into()), FilterTerm::Tag("xy".into())]),
            [1, 2]
        );
        assert_eq!(ids_matching(&[FilterTerm::Starred]), [3]);
    }

    #[test]
    fn annotations_read_as_marks() {
        let j = r#"[["tag","b"],["star",null],["tag","a"],["tag","b"],["note","n"]]"#;
        assert_eq!(marks(Some(j)), (true, vec!["b".into(), "a".into()], 1));
        assert_eq!(marks(None), (false, Vec::new(), 0));
    }
}
