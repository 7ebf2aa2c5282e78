//! The desktop app (egui + eframe, glow renderer). [`RetraceApp`] owns the state and every
//! side effect; panels (`panels/`) read a borrowed [`ViewContext`] and send [`Command`]s that
//! the app applies in one place per frame. Queries run on last-request-wins worker threads
//! with their own connection (`latest`: the timeline and table in `worker`, person pages and
//! subjects in `lookup`, the rules in `findings`); long jobs (opening, creating or building a
//! case, import, export, the custody log, annotations, the settings file) run through the one
//! job runner (`runner`) with a progress sink and a cancel token. File dialogs run on the UI
//! thread, file IO never does.

mod app;
mod background;
pub mod bench;
mod command;
mod findings;
mod fonts;
mod import;
pub mod lang;
mod latest;
mod lookup;
mod panels;
mod rejects;
mod runner;
mod settings;
mod state;
mod time_axis;
mod trail;
mod views;
mod worker;

use std::path::PathBuf;

use crate::i18n::Lang;

pub use app::{FrameStats, Message, OpenCase, RetraceApp, Startup, ViewContext};
pub use background::{
    GuiProgress, default_data_dir, ensure_sample_case, sample_case_path, stage_label,
};
pub use command::{Command, MarkHow, TableCommand};
pub use findings::{FindingsCommand, FindingsState, NAME_FIRST, chip_filter, storage_of};
pub use fonts::install as install_fonts;
pub use import::{ImportOutcome, Preview, ReadChoices, import_files, preview};
pub use lookup::LookupCommand;
pub use rejects::{RejectsCommand, RejectsState};
pub use state::{
    CaseInfo, ColorBy, DisplayZone, Lane, LaneGroup, NO_ORGANIZATION, Pane, Panes, PathPurpose,
    Settings, ThemeChoice, UNATTRIBUTED, describe_query, filter_column_label, filter_op_label,
    group_label, query_error_text,
};
pub use time_axis::{Tick, ticks};
pub use trail::{ExportOrder, REVIEW_REFUSAL, Trail, TrailCommand, TrailView};
pub use worker::{MARK_LIMIT, PAGE_ROWS, TimelineData, TimelineRequest, timeline};

/// The app's name for eframe (window class, storage directory).
pub const APP_ID: &str = "Retrace";

/// Runs the desktop app on `case` opened for review (`retrace --read-only CASE`): nothing can be
/// written to it (no import, export, annotation or report text).
pub fn run_for_review(case: PathBuf, lang: Option<Lang>) -> anyhow::Result<()> {
    run_with(None, Some(case), lang)
}

/// Runs the desktop app until its window closes. With `case`, opens it; without, opens the
/// sample case, building it in the user's data directory on first run. `lang` is the language
/// asked for on the command line (`--lang`, `RETRACE_LANG`).
pub fn run(case: Option<PathBuf>, lang: Option<Lang>) -> anyhow::Result<()> {
    run_with(case, None, lang)
}

fn run_with(
    case: Option<PathBuf>,
    review: Option<PathBuf>,
    lang: Option<Lang>,
) -> anyhow::Result<()> {
    let startup = Startup {
        lang,
        system_lang: Lang::system(),
        sample_dir: if case.is_none() && review.is_none() {
            default_data_dir()
        } else {
            None
        },
        case,
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Retrace")
            .with_app_id("retrace")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        APP_ID,
        options,
        Box::new(move |cc| {
            let mut app = RetraceApp::new(cc, startup);
            if let Some(path) = review {
                app.push_command(Command::OpenCaseForReview(path));
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("the window could not be opened: {e}"))
}
