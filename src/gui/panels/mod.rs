//! The panels: toolbar, side panel (case, sources, people, filters), timeline, event table,
//! detail pane, status bar, and the open-case window. Each reads the [`ViewContext`] and
//! pushes [`Command`]s; what a panel keeps for itself (scroll offsets, text being typed) is
//! its own. Panels have no side effects: no file, no case, no thread; and none imports
//! another (shared widgets live here).

mod custody;
mod detail;
mod export;
mod findings;
mod import_window;
mod open_window;
mod person;
mod rejects;
mod side;
mod subject;
mod table;
mod timeline;
mod toolbar;
mod widgets;

use egui::RichText;

use crate::tr;

use super::app::ViewContext;
use super::command::Command;
use super::settings::Investigator;
use super::state::Pane;
use super::trail::TrailCommand;

pub use open_window::OpenWindow;
pub use table::TablePanel;
pub use timeline::TimelinePanel;
pub use toolbar::ToolbarPanel;

#[derive(Default)]
pub struct Panels {
    pub toolbar: ToolbarPanel,
    pub side: side::SidePanel,
    pub timeline: TimelinePanel,
    pub table: TablePanel,
    pub open_window: OpenWindow,
    pub import_window: import_window::ImportWindow,
    pub person: person::PersonPanel,
    pub subject: subject::SubjectPanel,
    pub export: export::ExportPanel,
    pub custody: custody::CustodyPanel,
    /// The investigator's name prompt, shared by the export and the annotation controls.
    pub name: NameField,
    pub findings: findings::FindingsPanel,
    pub rejects: rejects::RejectsPanel,
}

impl Panels {
    pub fn on_case_opened(&mut self) {
        self.timeline.on_case_opened();
        self.table = TablePanel::default();
    }
}

/// Width of a collapsed pane's strip.
const STRIP_W: f32 = 28.0;

/// A strip's frame: narrow margins, so that its button is not clipped.
fn strip_frame(ui: &egui::Ui) -> egui::Frame {
    egui::Frame::new()
        .inner_margin(egui::Margin::symmetric(3, 6))
        .fill(ui.visuals().panel_fill)
}

/// Lays out the whole window: toolbar, banner and status bar; the side panel and the detail
/// pane, each collapsible to a strip (the detail pane only while something is selected);
/// the timeline over the event table in the middle. Windows open below the toolbar.
pub fn ui(panels: &mut Panels, ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    egui::Panel::top("toolbar").show(ui, |ui| {
        panels.toolbar.toolbar_ui(ctx, ui, out);
    });
    egui::Panel::bottom("status").show(ui, |ui| status_bar_ui(ctx, ui, out));
    if let Some(msg) = ctx.message {
        egui::Panel::top("message").show(ui, |ui| message_ui(ctx.lang, msg, ui, out));
    }
    set_desk(ui.ctx(), ui.available_rect_before_wrap());
    panels.open_window.window_ui(ctx, ui, out);
    panels.import_window.window_ui(ctx, ui, out);
    let Some(case) = ctx.case else {
        egui::CentralPanel::default().show(ui, |ui| welcome_ui(ctx, ui, out));
        return;
    };
    side_pane_ui(panels, ctx, case, ui, out);
    panels.person.window_ui(ctx, case, ui, out);
    panels.subject.window_ui(ctx, case, ui, out);
    panels
        .export
        .window_ui(ctx, case, &mut panels.name, ui, out);
    panels.custody.window_ui(ctx, ui, out);
    panels
        .findings
        .window_ui(ctx, case, &mut panels.name, ui, out);
    panels.rejects.window_ui(ctx, case, ui, out);
    if case.view.selected.is_some() || case.view.selection.is_some() {
        detail_pane_ui(panels, ctx, case, ui, out);
    }
    egui::CentralPanel::default().show(ui, |ui| {
        egui::Panel::bottom("table")
            .resizable(true)
            .default_size(ui.available_height() * 0.38)
            .min_size(120.0)
            .show(ui, |ui| {
                panels.table.table_ui(ctx, case, &mut panels.name, ui, out)
            });
        egui::CentralPanel::no_frame().show(ui, |ui| {
            panels.timeline.timeline_ui(ctx, case, ui, out);
        });
    });
}

/// The side panel (case, filters, people, sources), or its strip when collapsed.
fn side_pane_ui(
    panels: &mut Panels,
    ctx: &ViewContext<'_>,
    case: &super::app::OpenCase,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let was_open = ctx.settings.panes.side_open;
    let mut open = was_open;
    egui::Panel::show_switched(
        ui,
        &mut open,
        egui::Panel::left("side-strip")
            .resizable(false)
            .exact_size(STRIP_W)
            .frame(strip_frame(ui)),
        egui::Panel::left("side")
            .resizable(true)
            .default_size(220.0)
            .min_size(180.0),
        |ui, expanded| {
            if expanded {
                pane_header_ui(
                    ui,
                    "◀",
                    &tr!(ctx.lang, "desk-side-collapse"),
                    Pane::Side,
                    out,
                );
                panels.side.side_ui(ctx, case, ui, out);
            } else {
                strip_ui(ui, "▶", &tr!(ctx.lang, "desk-side-show"), Pane::Side, out);
            }
        },
    );
    // Dragging the edge past its minimum collapses the panel too.
    if open != was_open {
        out.push(Command::ShowPane {
            pane: Pane::Side,
            open,
        });
    }
}

/// The detail pane (the selected event, annotations), or its strip when collapsed.
fn detail_pane_ui(
    panels: &mut Panels,
    ctx: &ViewContext<'_>,
    case: &super::app::OpenCase,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let was_open = ctx.settings.panes.detail_open;
    let mut open = was_open;
    egui::Panel::show_switched(
        ui,
        &mut open,
        egui::Panel::right("detail-strip")
            .resizable(false)
            .exact_size(STRIP_W)
            .frame(strip_frame(ui)),
        egui::Panel::right("detail")
            .resizable(true)
            .default_size(360.0)
            .min_size(240.0),
        |ui, expanded| {
            if !expanded {
                strip_ui(
                    ui,
                    "◀",
                    &tr!(ctx.lang, "desk-detail-show"),
                    Pane::Detail,
                    out,
                );
                return;
            }
            pane_header_ui(
                ui,
                "▶",
                &tr!(ctx.lang, "desk-detail-collapse"),
                Pane::Detail,
                out,
            );
            egui::Panel::bottom("annotate").show(ui, |ui| {
                panels
                    .custody
                    .annotate_ui(ctx, case, &mut panels.name, ui, out);
            });
            detail::detail_ui(ctx, case, ui, out);
        },
    );
    if open != was_open {
        out.push(Command::ShowPane {
            pane: Pane::Detail,
            open,
        });
    }
}

/// A pane's collapse button, on a row of its own at the top right.
fn pane_header_ui(ui: &mut egui::Ui, arrow: &str, hover: &str, pane: Pane, out: &mut Vec<Command>) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
        if arrow_button(ui, arrow, hover).clicked() {
            out.push(Command::ShowPane { pane, open: false });
        }
    });
}

/// A small button showing only an arrow; screen readers (and tests) read what it does.
fn arrow_button(ui: &mut egui::Ui, arrow: &str, what: &str) -> egui::Response {
    let r = ui.small_button(arrow).on_hover_text(what);
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, what));
    r
}

/// A collapsed pane: a narrow strip whose button opens it again.
fn strip_ui(ui: &mut egui::Ui, arrow: &str, hover: &str, pane: Pane, out: &mut Vec<Command>) {
    ui.vertical_centered(|ui| {
        if arrow_button(ui, arrow, hover).clicked() {
            out.push(Command::ShowPane { pane, open: true });
        }
    });
}

fn desk_id() -> egui::Id {
    egui::Id::unique("retrace-desk")
}

/// Remembers, for this frame, the area under the toolbar and above the status bar.
fn set_desk(ctx: &egui::Context, rect: egui::Rect) {
    ctx.data_mut(|d| d.insert_temp(desk_id(), rect));
}

/// The area windows stay in: under the toolbar, above the status bar (`constrain_to`), so
/// that no window covers the toolbar that opened it.
pub fn desk(ctx: &egui::Context) -> egui::Rect {
    ctx.data(|d| d.get_temp(desk_id()))
        .unwrap_or_else(|| ctx.content_rect())
}

fn message_ui(
    l: crate::i18n::Lang,
    msg: &super::app::Message,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let color = if msg.error {
            ui.visuals().error_fg_color
        } else {
            ui.visuals().warn_fg_color
        };
        ui.label(
            RichText::new(if msg.error {
                tr!(l, "desk-error")
            } else {
                tr!(l, "desk-note")
            })
            .color(color)
            .strong(),
        );
        ui.label(&msg.text);
        if ui.button(tr!(l, "desk-dismiss")).clicked() {
            out.push(Command::DismissMessage);
        }
    });
}

fn status_bar_ui(ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let l = ctx.lang;
    ui.horizontal(|ui| {
        if let Some(busy) = &ctx.busy {
            ui.spinner();
            ui.label(busy.title);
            let p = &busy.progress;
            let text = if p.total > 0 {
                format!("{} {:.0}%", p.stage, p.fraction() * 100.0)
            } else {
                p.stage.clone()
            };
            ui.add(
                egui::ProgressBar::new(p.fraction())
                    .desired_width(220.0)
                    .text(text),
            );
            if busy.cancellable && ui.button(tr!(l, "desk-cancel")).clicked() {
                out.push(Command::CancelJob);
            }
            ui.separator();
        }
        if let Some(case) = ctx.case {
            let s = &case.info.summary;
            ui.label(tr!(
                l,
                "desk-status-counts",
                events = tr!(l, "count-events", count = s.events),
                rejects = tr!(l, "count-rejects", count = s.rejects),
                sources = tr!(l, "count-sources", count = s.sources.len())
            ));
            ui.separator();
            ui.label(tr!(l, "desk-status-zone", zone = ctx.zone_name));
            if ctx.review {
                ui.separator();
                ui.label(RichText::new(tr!(l, "desk-status-review")).strong());
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let s = ctx.frame_stats;
            let ms = |d: std::time::Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
            let mut text = tr!(l, "desk-status-frame", ms = ms(s.last_frame));
            if let Some(q) = s.last_query {
                text = tr!(l, "desk-status-query", frame = text, ms = ms(q));
            }
            ui.label(RichText::new(text).small().weak());
        });
    });
}

fn welcome_ui(ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.25);
        ui.heading("Retrace");
        ui.label(tr!(ctx.lang, "desk-welcome-tagline"));
        ui.add_space(12.0);
        if let Some(busy) = &ctx.busy {
            ui.label(busy.title);
            ui.add(
                egui::ProgressBar::new(busy.progress.fraction())
                    .desired_width(360.0)
                    .show_percentage(),
            );
            ui.label(RichText::new(&busy.progress.stage).weak());
        } else {
            if ui.button(tr!(ctx.lang, "desk-welcome-open")).clicked() {
                out.push(Command::ShowOpenWindow(true));
            }
            if ui.button(tr!(ctx.lang, "desk-welcome-sample")).clicked() {
                out.push(Command::OpenSample);
            }
        }
    });
}

/// The prompt for the investigator's name: what is typed is the panel's, the name the app's.
pub struct NameField {
    draft: String,
    /// Whether to save the typed name in the machine's settings.
    remember: bool,
}

impl Default for NameField {
    fn default() -> Self {
        NameField {
            draft: String::new(),
            remember: true,
        }
    }
}

impl NameField {
    /// The name in use, or a field asking for it. Returns the name when one is set.
    pub fn ask_ui(
        &mut self,
        investigator: &Investigator,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) -> Option<String> {
        let l = super::lang::of(ui.ctx());
        if let Some(n) = investigator.name() {
            let n = n.to_string();
            ui.horizontal(|ui| {
                ui.label(tr!(l, "desk-investigator"));
                ui.strong(&n);
                if ui
                    .small_button(tr!(l, "desk-investigator-change"))
                    .on_hover_text(tr!(l, "desk-investigator-change-tip"))
                    .clicked()
                {
                    self.draft = n.clone();
                    out.push(Command::Trail(TrailCommand::ChangeInvestigator));
                }
            });
            return Some(n);
        }
        ui.label(tr!(l, "desk-investigator-ask"));
        let mut set = false;
        let mut row = |ui: &mut egui::Ui| {
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.draft)
                    .hint_text(tr!(l, "desk-investigator-hint"))
                    .desired_width(220.0),
            );
            set = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.checkbox(&mut self.remember, tr!(l, "desk-investigator-remember"));
            set |= ui
                .add_enabled(
                    !self.draft.trim().is_empty(),
                    egui::Button::new(tr!(l, "desk-investigator-use")),
                )
                .clicked();
        };
        // In a column (the detail pane's Annotate) the row wraps: on one line, in the pane's
        // width, "Use this name" would be cut off. Inside a row of controls it stays a row.
        if ui.layout().main_dir().is_horizontal() {
            ui.horizontal(|ui| row(ui));
        } else {
            ui.horizontal_wrapped(|ui| row(ui));
        }
        if set && !self.draft.trim().is_empty() {
            out.push(Command::Trail(TrailCommand::UseInvestigator {
                name: self.draft.trim().to_string(),
                remember: self.remember,
            }));
        }
        if let Some(e) = &investigator.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        None
    }
}

/// A colour for each category bit, distinct in light and dark themes.
pub fn category_color(bit: u32) -> egui::Color32 {
    const PALETTE: [egui::Color32; 12] = [
        egui::Color32::from_rgb(0x1f, 0x77, 0xb4), // name
        egui::Color32::from_rgb(0xff, 0x7f, 0x0e), // phone
        egui::Color32::from_rgb(0x2c, 0xa0, 0x2c), // email
        egui::Color32::from_rgb(0x94, 0x67, 0xbd), // account_id
        egui::Color32::from_rgb(0xd6, 0x27, 0x28), // message_text
        egui::Color32::from_rgb(0x17, 0xbe, 0xcf), // image_media
        egui::Color32::from_rgb(0x8c, 0x56, 0x4b), // address
        egui::Color32::from_rgb(0xe3, 0x77, 0xc2), // payment
        egui::Color32::from_rgb(0xbc, 0xbd, 0x22), // location
        egui::Color32::from_rgb(0x7f, 0x7f, 0x7f), // credential
        egui::Color32::from_rgb(0x39, 0x3b, 0x79),
        egui::Color32::from_rgb(0x63, 0x79, 0x39),
    ];
    PALETTE[bit as usize % PALETTE.len()]
}

/// A colour for an index in a small set (systems).
pub fn index_color(i: usize) -> egui::Color32 {
    category_color((i as u32 + 3) % 12)
}

/// Colours for outcomes: success, denied, failed, other.
pub fn outcome_color(outcome: Option<&str>) -> egui::Color32 {
    match outcome {
        Some("success") => egui::Color32::from_rgb(0x2c, 0xa0, 0x2c),
        Some("denied") => egui::Color32::from_rgb(0xd6, 0x27, 0x28),
        Some("failed") => egui::Color32::from_rgb(0xff, 0x7f, 0x0e),
        _ => egui::Color32::from_rgb(0x7f, 0x7f, 0x7f),
    }
}
