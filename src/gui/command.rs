//! What panels ask the app to do. Panels never change shared state themselves: they push
//! [`Command`]s during the frame, and [`super::RetraceApp`] applies them in one place after
//! the panels have drawn.

use std::path::PathBuf;

use crate::case::{FilterTerm, SortKey};

use super::state::{ColorBy, DisplayZone, Pane, ThemeChoice};

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open an existing case file.
    OpenCase(PathBuf),
    /// Create a new, empty case file and open it.
    NewCase(PathBuf),
    /// Build (if needed) and open the bundled sample case in the data directory.
    OpenSample,
    /// Show the file dialog for opening (true) or creating (false) a case.
    PickCaseFile {
        create: bool,
    },
    /// Show the open/new window with its typed-path field.
    ShowOpenWindow(bool),
    /// Show the import window (its file dialog button and typed-path field), no file yet.
    ShowImportWindow,
    /// Pick files to import into the open case (added to those already chosen).
    PickImportFiles,
    /// Start reading files for import: preview them in the import window.
    PrepareImport(Vec<PathBuf>),
    /// Preview another of the files to import.
    SelectImportFile(usize),
    /// The zone naive times of the selected file are read in (`None`: its default).
    SetImportZone(Option<String>),
    /// What the selected file is: an access log or a roster kind (`None`: detected).
    SetImportKind(Option<crate::model::roster::SourceKind>),
    /// Map a field of the selected file to a column (empty: unmap it).
    SetImportColumn {
        field: String,
        column: String,
    },
    /// Import the files into the open case.
    StartImport,
    /// Import this file again although the same bytes were imported before.
    ForceImport(PathBuf),
    CloseImport,
    /// Cancel the running background job (import, sample build).
    CancelJob,
    /// Show the visible range `[from_us, to_us)`.
    SetView {
        from_us: f64,
        to_us: f64,
    },
    /// Show the whole case.
    ZoomToCase,
    /// Stop the timeline's and the table's counts that go on slice by slice (an event scan):
    /// what they counted stays, marked as stopped.
    StopCounting,
    /// Count again what was stopped.
    CountAgain,
    /// Set or clear the shift-drag range selection.
    SetSelection(Option<(i64, i64)>),
    /// Select an event (id, ts_us). `scroll_table` moves the table to it.
    SelectEvent {
        id: i64,
        ts_us: i64,
        scroll_table: bool,
    },
    ClearSelection,
    /// Select the next (true) or previous matching event in time.
    StepEvent {
        forward: bool,
    },
    AddFilter(FilterTerm),
    RemoveFilter(FilterTerm),
    ClearFilters,
    SetDisplayZone(DisplayZone),
    SetTheme(ThemeChoice),
    SetColorBy(ColorBy),
    /// The toolbar's language switch: takes effect at once and is remembered.
    SetLang(crate::i18n::Lang),
    /// Sort the table by a column; again on the same column flips the order.
    SortTable(SortKey),
    /// Close an error or notice banner.
    DismissMessage,
    /// Open a case for review: no write of any kind (import, export, annotation, report text).
    OpenCaseForReview(PathBuf),
    /// Pick a case file to open for review.
    PickCaseForReview,
    /// The export panel, the custody log and the investigator's name.
    Trail(super::trail::TrailCommand),
    /// Person pages and data-subject lookups.
    Lookup(super::lookup::LookupCommand),
    /// The findings window.
    Findings(super::findings::FindingsCommand),
    /// The rejects viewer.
    Rejects(super::rejects::RejectsCommand),
    /// The event table's columns, marked rows, go-to-time and bulk annotations.
    Table(TableCommand),
    /// Open or collapse the side panel or the detail pane (remembered).
    ShowPane {
        pane: Pane,
        open: bool,
    },
}

/// How a click marks table rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkHow {
    /// Only this row (a plain click).
    Only,
    /// Add or remove this row (Ctrl+click).
    Toggle,
    /// Every row from the last clicked one to this one (Shift+click).
    Range,
}

/// What the event table asks for beyond sorting and selecting.
#[derive(Debug, Clone, PartialEq)]
pub enum TableCommand {
    /// Show these columns (ids, in table order); remembered in the settings.
    SetColumns(Vec<String>),
    /// Mark rows of the table (row indexes in its current order).
    Mark {
        row: u64,
        how: MarkHow,
    },
    ClearMarks,
    /// Select the first event at or after this UTC time (µs) that the filter keeps, and
    /// bring it into the timeline and the table.
    GoToTime(i64),
    /// Star, tag or note every marked event (one annotation and custody entry per event).
    Annotate {
        kind: crate::case::AnnotationKind,
        text: String,
    },
}
