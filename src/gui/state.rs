//! App state that panels read: the open case's roster and lanes ([`CaseInfo`]), the view
//! (visible range, selection, filters), the table's cached pages, and persisted settings.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::case::{
    AccountLink, ApprovalRow, Case, CaseSummary, FilterColumn, FilterOp, FilterTerm, MilestoneRow,
    PersonRow, SortKey, SystemInfo, TableEvent, TableQuery,
};
use crate::i18n::Lang;
use crate::model::Vocabulary;
use crate::model::query::{Query, QueryError, QueryErrorKind, field_list};
use crate::model::regex_lite::{MAX_REPEAT, RegexErrorKind};
use crate::model::time::parse_zone;
use crate::tr;

/// The label of the lane group for accounts no roster maps to a person (the key the lanes
/// keep; [`group_label`] gives the words in a language).
pub const UNATTRIBUTED: &str = "Unattributed accounts";

/// The label of the lane group of persons the roster gives no organization.
pub const NO_ORGANIZATION: &str = "(no organization)";

/// A lane group's label in `lang`: the two groups without a name of their own in words,
/// an organization as the roster names it.
pub fn group_label(lang: Lang, label: &str) -> std::borrow::Cow<'_, str> {
    match label {
        UNATTRIBUTED => tr!(lang, "group-unattributed").into(),
        NO_ORGANIZATION => tr!(lang, "group-no-organization").into(),
        other => other.into(),
    }
}

/// A table column's name in the column filter and on its chip (in English the name
/// `--filter column=NAME:OP:VALUE` takes).
pub fn filter_column_label(lang: Lang, column: FilterColumn) -> String {
    crate::i18n::t(
        lang,
        match column {
            FilterColumn::Person => "filter-col-person",
            FilterColumn::Organization => "filter-col-organization",
            FilterColumn::Account => "filter-col-account",
            FilterColumn::System => "filter-col-system",
            FilterColumn::StorageCountry => "filter-col-storage-country",
            FilterColumn::Action => "filter-col-action",
            FilterColumn::Object => "filter-col-object",
            FilterColumn::Outcome => "filter-col-outcome",
            FilterColumn::Ticket => "filter-col-ticket",
            FilterColumn::SourceIp => "filter-col-source-ip",
            FilterColumn::SourceFile => "filter-col-source-file",
        },
    )
}

/// How a column filter compares, in words (in English its name on the command line).
pub fn filter_op_label(lang: Lang, op: FilterOp) -> String {
    crate::i18n::t(
        lang,
        match op {
            FilterOp::Contains => "filter-op-contains",
            FilterOp::Equals => "filter-op-equals",
            FilterOp::Not => "filter-op-not",
        },
    )
}

/// A query in words for its chip ([`Query::describe`] in `lang`): a query with times names
/// the zone they were read in.
pub fn describe_query(lang: Lang, q: &Query) -> String {
    if q.expr.has_time() {
        tr!(lang, "query-times-in", query = &q.text, zone = &q.zone)
    } else {
        q.text.clone()
    }
}

/// A query error as the app shows it, in `lang`: the column, then what is wrong
/// ([`QueryError`]'s `Display` in English, the command line's words).
pub fn query_error_text(lang: Lang, e: &QueryError) -> String {
    tr!(
        lang,
        "query-error-at",
        column = e.column.to_string(),
        message = query_error_kind_text(lang, &e.kind)
    )
}

/// What is wrong with a `/regex/` of a query, in `lang`.
pub fn regex_error_text(lang: Lang, kind: &RegexErrorKind) -> String {
    use RegexErrorKind as K;
    match kind {
        K::TooDeep => tr!(lang, "regex-err-too-deep"),
        K::NothingToRepeat => tr!(lang, "regex-err-nothing-to-repeat"),
        K::BadRepetition(body) => tr!(
            lang,
            "regex-err-bad-repetition",
            body = body,
            max = MAX_REPEAT.to_string()
        ),
        K::UnexpectedEnd => tr!(lang, "regex-err-unexpected-end"),
        K::UnsupportedGroup => tr!(lang, "regex-err-unsupported-group"),
        K::CloseExpected => tr!(lang, "regex-err-close-expected"),
        K::TrailingBackslash => tr!(lang, "regex-err-trailing-backslash"),
        K::UnsupportedEscape(c) => tr!(lang, "regex-err-unsupported-escape", char = c.to_string()),
        K::UnclosedClass => tr!(lang, "regex-err-unclosed-class"),
        K::NegatedClassInClass => tr!(lang, "regex-err-negated-class"),
        K::ClassEndsRange => tr!(lang, "regex-err-class-ends-range"),
        K::BackwardsRange(lo, hi) => tr!(
            lang,
            "regex-err-backwards-range",
            lo = lo.to_string(),
            hi = hi.to_string()
        ),
        K::TooLarge => tr!(lang, "regex-err-too-large"),
        K::UnmatchedClose => tr!(lang, "regex-err-unmatched-close"),
    }
}

/// What is wrong with a query, in `lang`.
pub fn query_error_kind_text(lang: Lang, kind: &QueryErrorKind) -> String {
    use QueryErrorKind as K;
    match kind {
        K::EmptyPhrase => tr!(lang, "query-err-empty-phrase"),
        K::UnclosedPhrase => tr!(lang, "query-err-unclosed-phrase"),
        K::EmptyRegex => tr!(lang, "query-err-empty-regex"),
        K::InRegex(e) => tr!(
            lang,
            "query-err-in-regex",
            detail = regex_error_text(lang, e)
        ),
        K::UnclosedRegex => tr!(lang, "query-err-unclosed-regex"),
        K::TimeBracket => tr!(lang, "query-err-time-bracket"),
        K::UnknownField(name) => tr!(
            lang,
            "query-err-unknown-field",
            name = name,
            fields = field_list()
        ),
        K::ValueAfter(name) => tr!(lang, "query-err-value-after", name = name),
        K::Empty => tr!(lang, "query-err-empty"),
        K::UnmatchedClose => tr!(lang, "query-err-unmatched-close"),
        K::Unexpected => tr!(lang, "query-err-unexpected"),
        K::TooDeep => tr!(lang, "query-err-too-deep"),
        K::TermAtEnd => tr!(lang, "query-err-term-at-end"),
        K::CloseParen(open) => tr!(lang, "query-err-close-paren", open = open.to_string()),
        K::TermBeforeOperator => tr!(lang, "query-err-term-before-operator"),
        K::Brackets => tr!(lang, "query-err-brackets"),
        K::Term => tr!(lang, "query-err-term"),
        K::TimeClose => tr!(lang, "query-err-time-close"),
        K::TimeOrder => tr!(lang, "query-err-time-order"),
        K::TimeExpected => tr!(lang, "query-err-time-expected"),
        K::NotATime { text, detail } => tr!(
            lang,
            "query-err-not-a-time",
            text = format!("{text:?}"),
            detail = detail
        ),
    }
}

/// One swimlane: a person (all their accounts) or one unattributed account.
#[derive(Debug, Clone)]
pub struct Lane {
    pub label: String,
    pub native_name: Option<String>,
    pub person_id: Option<i64>,
    pub organization: Option<String>,
    pub country: Option<String>,
    pub account_ids: Vec<i64>,
    pub accounts: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct LaneGroup {
    pub label: String,
    /// Indexes into [`CaseInfo::lanes`].
    pub lanes: Vec<usize>,
}

/// Everything about the open case that is read once, when it is opened.
#[derive(Debug, Clone)]
pub struct CaseInfo {
    pub path: PathBuf,
    pub summary: CaseSummary,
    pub persons: Vec<PersonRow>,
    pub accounts: Vec<AccountLink>,
    pub systems: Vec<SystemInfo>,
    pub milestones: Vec<MilestoneRow>,
    /// Every approval, for what an event's ticket says (the detail pane).
    pub approvals: Vec<ApprovalRow>,
    pub vocabulary: Vocabulary,
    pub actions: Vec<String>,
    pub outcomes: Vec<String>,
    pub lanes: Vec<Lane>,
    pub groups: Vec<LaneGroup>,
    /// Account id -> lane index.
    pub lane_of_account: Arc<HashMap<i64, usize>>,
    /// The rejected rows of access sources with what each mentions, for the call-outs.
    pub reject_callouts: Arc<crate::analysis::rejects::RejectCallouts>,
}

impl CaseInfo {
    /// Reads what the app shows about a case (runs on a background thread).
    pub fn load(path: &Path) -> anyhow::Result<CaseInfo> {
        let case = Case::open_read_only(path)?;
        let summary = case.summary()?;
        let persons = case.people().persons()?;
        let accounts = case.timeline().account_links()?;
        let systems = case.timeline().systems()?;
        let milestones = case.people().milestones()?;
        let approvals = case.people().approvals()?;
        let vocabulary = case.vocabulary()?;
        let actions = case.timeline().distinct_event_values(false, 200)?;
        let outcomes = case.timeline().distinct_event_values(true, 50)?;
        let (lanes, groups) = build_lanes(&persons, &accounts);
        let reject_callouts = Arc::new(crate::analysis::rejects::reject_callouts(&case)?);
        let mut lane_of_account = HashMap::new();
        for (i, lane) in lanes.iter().enumerate() {
            for a in &lane.account_ids {
                lane_of_account.insert(*a, i);
            }
        }
        Ok(CaseInfo {
            path: path.to_path_buf(),
            summary,
            persons,
            accounts,
            systems,
            milestones,
            approvals,
            vocabulary,
            actions,
            outcomes,
            lanes,
            groups,
            lane_of_account: Arc::new(lane_of_account),
            reject_callouts,
        })
    }

    pub fn title(&self) -> &str {
        if self.summary.title.is_empty() {
            self.path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("case")
        } else {
            &self.summary.title
        }
    }

    /// The time span of the case's events, or a day around now for an empty case.
    pub fn span_us(&self) -> (i64, i64) {
        match (self.summary.first_ts_us, self.summary.last_ts_us) {
            (Some(a), Some(b)) if b > a => (a, b + 1),
            (Some(a), _) => (a - 43_200_000_000, a + 43_200_000_000),
            _ => {
                let now = crate::model::time::now_us();
                (now - 86_400_000_000, now)
            }
        }
    }

    /// How far the view may go: the case's span and a margin on each side (5 % of the span,
    /// at least an hour), in UTC µs.
    pub fn view_bounds_us(&self) -> (f64, f64) {
        let (a, b) = self.span_us();
        let margin = ((b - a) as f64 * 0.05).max(3_600_000_000.0);
        (a as f64 - margin, b as f64 + margin)
    }

    pub fn person(&self, id: i64) -> Option<&PersonRow> {
        self.persons.iter().find(|p| p.id == id)
    }

    pub fn system(&self, id: i64) -> Option<&SystemInfo> {
        self.systems.iter().find(|s| s.id == id)
    }

    /// Words for a filter term, for its chip, in `lang`; the term's values (names, ids, typed
    /// text) stay as they are.
    pub fn describe_term(&self, lang: Lang, term: &FilterTerm) -> String {
        match term {
            FilterTerm::Person(id) => tr!(
                lang,
                "chip-person",
                name = self
                    .person(*id)
                    .map_or_else(|| format!("#{id}"), |p| p.display_name.clone())
            ),
            FilterTerm::Organization(o) => tr!(lang, "chip-organization", name = o),
            FilterTerm::ActorCountry(c) => tr!(
                lang,
                "chip-actor-country",
                country = crate::i18n::country(lang, c)
            ),
            FilterTerm::System(id) => tr!(
                lang,
                "chip-system",
                name = self
                    .system(*id)
                    .map_or_else(|| format!("#{id}"), |s| s.name.clone())
            ),
            FilterTerm::StorageCountry(c) => tr!(
                lang,
                "chip-storage-country",
                country = crate::i18n::country(lang, c)
            ),
            FilterTerm::Category(bit) => tr!(
                lang,
                "chip-category",
                name = self.vocabulary.name_of(*bit).unwrap_or("?")
            ),
            FilterTerm::Action(a) => tr!(lang, "chip-action", action = a),
            FilterTerm::Outcome(o) => tr!(lang, "chip-outcome", outcome = o),
            FilterTerm::Text(t) => tr!(lang, "chip-text", text = t),
            FilterTerm::Events { label, ids } => tr!(
                lang,
                "chip-events",
                label = label,
                events = tr!(lang, "count-events", count = ids.len())
            ),
            FilterTerm::Query(q) => tr!(lang, "chip-query", query = describe_query(lang, q)),
            FilterTerm::Column { column, op, value } => {
                let column = filter_column_label(lang, *column);
                match op {
                    FilterOp::Contains => {
                        tr!(lang, "chip-column-contains", column = column, value = value)
                    }
                    FilterOp::Equals => {
                        tr!(lang, "chip-column-equals", column = column, value = value)
                    }
                    FilterOp::Not => tr!(lang, "chip-column-not", column = column, value = value),
                }
            }
            FilterTerm::Tag(t) => tr!(lang, "chip-tag", tag = t),
            FilterTerm::Starred => tr!(lang, "chip-starred"),
        }
    }

    /// Whether a lane stays visible under the filter's person-level terms.
    pub fn lane_matches(&self, lane: &Lane, filter: &[FilterTerm]) -> bool {
        let persons: Vec<i64> = filter
            .iter()
            .filter_map(|t| match t {
                FilterTerm::Person(id) => Some(*id),
                _ => None,
            })
            .collect();
        let orgs: Vec<&str> = filter
            .iter()
            .filter_map(|t| match t {
                FilterTerm::Organization(o) => Some(o.as_str()),
                _ => None,
            })
            .collect();
        let countries: Vec<&str> = filter
            .iter()
            .filter_map(|t| match t {
                FilterTerm::ActorCountry(c) => Some(c.as_str()),
                _ => None,
            })
            .collect();
        (persons.is_empty() || lane.person_id.is_some_and(|id| persons.contains(&id)))
            && (orgs.is_empty()
                || lane
                    .organization
                    .as_deref()
                    .is_some_and(|o| orgs.contains(&o)))
            && (countries.is_empty()
                || lane
                    .country
                    .as_deref()
                    .is_some_and(|c| countries.contains(&c)))
    }

    /// Distinct organizations of the roster, sorted.
    pub fn organizations(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .persons
            .iter()
            .filter_map(|p| p.organization.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    pub fn actor_countries(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .persons
            .iter()
            .filter_map(|p| p.country.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    pub fn storage_countries(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .systems
            .iter()
            .filter_map(|s| s.country.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// Lanes: people grouped by organization (in roster order), then one lane per account that
/// no roster maps to a person.
pub fn build_lanes(persons: &[PersonRow], accounts: &[AccountLink]) -> (Vec<Lane>, Vec<LaneGroup>) {
    let mut by_person: HashMap<i64, Vec<&AccountLink>> = HashMap::new();
    let mut unattributed = Vec::new();
    for a in accounts {
        match a.person_id {
            Some(p) => by_person.entry(p).or_default().push(a),
            None => unattributed.push(a),
        }
    }
    let mut lanes = Vec::new();
    let mut by_org: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut org_order: Vec<String> = Vec::new();
    for p in persons {
        let org = p
            .organization
            .clone()
            .unwrap_or_else(|| NO_ORGANIZATION.into());
        if !org_order.contains(&org) {
            org_order.push(org.clone());
        }
        let accts = by_person.get(&p.id).cloned().unwrap_or_default();
        by_org.entry(org).or_default().push(lanes.len());
        lanes.push(Lane {
            label: p.display_name.clone(),
            native_name: p.native_name.clone().filter(|n| n != &p.display_name),
            person_id: Some(p.id),
            organization: p.organization.clone(),
            country: p.country.clone(),
            account_ids: accts.iter().map(|a| a.id).collect(),
            accounts: accts.iter().map(|a| a.name.clone()).collect(),
        });
    }
    let mut groups: Vec<LaneGroup> = org_order
        .into_iter()
        .map(|org| LaneGroup {
            lanes: by_org.remove(&org).unwrap_or_default(),
            label: org,
        })
        .collect();
    if !unattributed.is_empty() {
        let mut group = LaneGroup {
            label: UNATTRIBUTED.into(),
            lanes: Vec::new(),
        };
        for a in unattributed {
            group.lanes.push(lanes.len());
            lanes.push(Lane {
                label: a.name.clone(),
                native_name: None,
                person_id: None,
                organization: None,
                country: None,
                account_ids: vec![a.id],
                accounts: vec![a.name.clone()],
            });
        }
        groups.push(group);
    }
    (lanes, groups)
}

/// The zone times are shown in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum DisplayZone {
    Utc,
    /// The case's `meta.display_zone`.
    #[default]
    CaseDefault,
    Named(String),
}

impl DisplayZone {
    /// The zone and its name, given the case's default.
    pub fn resolve(&self, case_default: &str) -> (Tz, String) {
        let name = match self {
            DisplayZone::Utc => "UTC",
            DisplayZone::CaseDefault => case_default,
            DisplayZone::Named(n) => n.as_str(),
        };
        match parse_zone(name) {
            Ok(tz) => (tz, tz.name().to_string()),
            Err(_) => (chrono_tz::UTC, "UTC".into()),
        }
    }
}

/// What marks are coloured by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ColorBy {
    #[default]
    Category,
    System,
    Outcome,
}

impl ColorBy {
    pub fn label(self, lang: crate::i18n::Lang) -> String {
        crate::i18n::t(
            lang,
            match self {
                ColorBy::Category => "colour-by-category",
                ColorBy::System => "colour-by-system",
                ColorBy::Outcome => "colour-by-outcome",
            },
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

/// What is kept between runs (eframe storage).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Settings {
    pub display_zone: DisplayZone,
    pub recent_cases: Vec<PathBuf>,
    pub theme: ThemeChoice,
    pub color_by: ColorBy,
    /// Zones chosen in a zone picker, newest first (listed first in every picker).
    pub recent_zones: Vec<String>,
    /// The last path typed or picked for each purpose (`PathPurpose::key`).
    pub last_paths: BTreeMap<String, PathBuf>,
    /// The event table's visible columns, by id, in order; empty: the default set.
    pub table_columns: Vec<String>,
    /// Which panes are open (their sizes are egui's, kept by eframe with the window's state).
    pub panes: Panes,
    /// The language chosen with the toolbar's switch; `None`: the system locale's.
    pub lang: Option<crate::i18n::Lang>,
}

/// The side panel and the detail pane: open or collapsed to a strip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Panes {
    pub side_open: bool,
    /// Open when an event or a range is selected; with nothing selected the pane is not shown.
    pub detail_open: bool,
}

impl Default for Panes {
    fn default() -> Self {
        Panes {
            side_open: true,
            detail_open: true,
        }
    }
}

/// A pane that can be collapsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Side,
    Detail,
}

impl Panes {
    pub fn is_open(&self, pane: Pane) -> bool {
        match pane {
            Pane::Side => self.side_open,
            Pane::Detail => self.detail_open,
        }
    }

    pub fn set(&mut self, pane: Pane, open: bool) {
        match pane {
            Pane::Side => self.side_open = open,
            Pane::Detail => self.detail_open = open,
        }
    }
}

/// What a path is for: each purpose remembers its own last path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPurpose {
    /// A case file to open or create.
    Case,
    /// A file to import.
    Import,
    /// An export folder.
    Export,
    /// A file of identifiers for the subject lookup.
    SubjectList,
    /// Where the subject lookup's answers are saved as CSV.
    SubjectCsv,
}

impl PathPurpose {
    pub fn key(self) -> &'static str {
        match self {
            PathPurpose::Case => "case",
            PathPurpose::Import => "import",
            PathPurpose::Export => "export",
            PathPurpose::SubjectList => "subject-list",
            PathPurpose::SubjectCsv => "subject-csv",
        }
    }
}

impl Settings {
    pub const KEY: &'static str = "retrace-settings";
    const MAX_RECENT: usize = 10;
    const MAX_RECENT_ZONES: usize = 8;

    /// Puts an IANA zone first among the recent zones.
    pub fn remember_zone(&mut self, zone: &str) {
        self.recent_zones.retain(|z| z != zone);
        self.recent_zones.insert(0, zone.to_string());
        self.recent_zones.truncate(Self::MAX_RECENT_ZONES);
    }

    /// Remembers the path last used for `purpose`.
    pub fn remember_path(&mut self, purpose: PathPurpose, path: &Path) {
        if !path.as_os_str().is_empty() {
            self.last_paths
                .insert(purpose.key().to_string(), path.to_path_buf());
        }
    }

    /// The path last used for `purpose`.
    pub fn last_path(&self, purpose: PathPurpose) -> Option<&Path> {
        self.last_paths.get(purpose.key()).map(PathBuf::as_path)
    }

    /// The folder of the path last used for `purpose`, where its file dialog starts.
    pub fn last_dir(&self, purpose: PathPurpose) -> Option<PathBuf> {
        self.last_path(purpose)
            .and_then(Path::parent)
            .filter(|d| !d.as_os_str().is_empty())
            .map(Path::to_path_buf)
    }

    /// Puts `path` (as `recent_path` gives it) first among the recent cases.
    pub fn remember_case(&mut self, path: PathBuf) {
        self.recent_cases.retain(|p| p != &path);
        self.recent_cases.insert(0, path);
        self.recent_cases.truncate(Self::MAX_RECENT);
    }
}

/// How a case's path is remembered: absolute, links resolved. It reads the file system, so
/// it runs in the job that opens the case.
pub fn recent_path(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Where the user is looking and what they picked.
#[derive(Debug, Clone, Default)]
pub struct ViewState {
    /// The visible range, `[from, to)` in UTC µs (floating, for smooth zoom).
    pub from_us: f64,
    pub to_us: f64,
    /// A shift-drag selection; the table follows it instead of the visible range.
    pub selection: Option<(i64, i64)>,
    pub filter: Vec<FilterTerm>,
    /// The selected event: (id, ts_us).
    pub selected: Option<(i64, i64)>,
}

impl ViewState {
    /// The range the table shows.
    pub fn table_range_us(&self) -> (i64, i64) {
        self.selection
            .unwrap_or((self.from_us.floor() as i64, self.to_us.ceil() as i64))
    }
}

/// The event table's query and cached pages.
#[derive(Debug, Default)]
pub struct TableState {
    pub sort: Option<(SortKey, bool)>,
    pub query: Option<TableQuery>,
    /// Rows the query matches (unit: events), when known; while `counting`, those counted
    /// so far.
    pub rows: Option<u64>,
    /// While the count goes on slice by slice (an event scan): how far it has got.
    pub counting: Option<super::worker::Progress>,
    pub pages: HashMap<u64, Vec<TableEvent>>,
    /// A row to scroll to (after a selection elsewhere), and a counter that changes with
    /// every such request so the table scrolls once per request.
    pub scroll_to_row: Option<u64>,
    pub scroll_seq: u64,
    /// Rows marked for copying and bulk annotation, by row index (cleared with the query).
    pub marked: BTreeMap<u64, TableEvent>,
    /// The row a Shift+click range starts from.
    pub anchor: Option<u64>,
    /// A Shift+click range whose rows are being fetched.
    pub pending_range: Option<(u64, u64)>,
    /// A go-to-time (UTC µs) waiting for its answer.
    pub going_to: Option<i64>,
}

impl TableState {
    /// Forgets the marked rows (their indexes mean nothing in another query).
    pub fn clear_marks(&mut self) {
        self.marked.clear();
        self.anchor = None;
        self.pending_range = None;
    }

    pub fn row(&self, index: u64) -> Option<&TableEvent> {
        let page_rows = super::worker::PAGE_ROWS as u64;
        self.pages
            .get(&(index / page_rows))
            .and_then(|p| p.get((index % page_rows) as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64, name: &str, org: &str) -> PersonRow {
        PersonRow {
            id,
            key: format!("P{id}"),
            display_name: name.into(),
            native_name: None,
            organization: Some(org.into()),
            country: None,
            role: None,
            zone: None,
            accounts: Vec::new(),
        }
    }

    #[test]
    fn lanes_group_people_by_organization_and_keep_unattributed_accounts() {
        let persons = vec![
            person(1, "A", "Org 1"),
            person(2, "B", "Org 2"),
            person(3, "C", "Org 1"),
        ];
        let accounts = vec![
            AccountLink {
                id: 10,
                name: "a1".into(),
                person_id: Some(1),
            },
            AccountLink {
                id: 11,
                name: "a2".into(),
                person_id: Some(1),
            },
            AccountLink {
                id: 12,
                name: "ghost".into(),
                person_id: None,
            },
        ];
        let (lanes, groups) = build_lanes(&persons, &accounts);
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[0].label, "Org 1");
        assert_eq!(groups[0].lanes, vec![0, 2]);
        assert_eq!(lanes[0].account_ids, vec![10, 11]);
        assert_eq!(groups[2].label, UNATTRIBUTED);
        assert_eq!(lanes[groups[2].lanes[0]].label, "ghost");
    }

    #[test]
    fn an_unknown_zone_falls_back_to_utc() {
        let (_, name) = DisplayZone::Named("Mars/Olympus".into()).resolve("UTC");
        assert_eq!(name, "UTC");
        let (_, name) = DisplayZone::CaseDefault.resolve("Asia/Tokyo");
        assert_eq!(name, "Asia/Tokyo");
    }
}
