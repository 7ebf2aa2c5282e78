//! The event table under the timeline: the events of the visible range (or the shift-drag
//! selection) that match the filters, virtualized with `TableBody::rows`, paged from SQL off
//! the UI thread, sortable by its headers, with resizable columns; its selection is the
//! timeline's. Above it: the column chooser, a per-column filter (contains / equals / not,
//! applied in SQL as a chip), tag and star filters and go to a time. Rows can be marked
//! (click, Ctrl+click, Shift+click), copied as TSV (Ctrl+C or the context menu) and starred,
//! tagged or noted together.

use egui::RichText;
use egui::containers::menu::{MenuButton, MenuConfig};
use egui_extras::{Column, TableBuilder};

use crate::case::{AnnotationKind, FilterColumn, FilterOp, FilterTerm, SortKey, TableEvent};
use crate::gui::app::{OpenCase, ViewContext, pages_for_rows};
use crate::gui::command::{Command, MarkHow, TableCommand};
use crate::gui::runner::Task;
use crate::gui::state::{filter_column_label, filter_op_label};
use crate::i18n::format_in_zone;
use crate::model::category::CategorySet;
use crate::model::time::TimeParser;
use crate::tr;

use super::NameField;

pub struct TablePanel {
    /// Rows drawn last frame (first, last), for fetching their pages.
    drawn_rows: Option<(u64, u64)>,
    /// The last scroll request acted on (see `TableState::scroll_seq`).
    scrolled_seq: u64,
    /// The per-column filter being typed.
    filter_column: FilterColumn,
    filter_op: FilterOp,
    filter_value: String,
    /// The go-to time being typed, and why it was not understood.
    go_to: String,
    go_to_error: Option<String>,
    /// The bulk tag and note being typed; cleared when an annotation is saved.
    tag: String,
    note: String,
    written: u64,
}

impl Default for TablePanel {
    fn default() -> Self {
        TablePanel {
            drawn_rows: None,
            scrolled_seq: 0,
            filter_column: FilterColumn::Account,
            filter_op: FilterOp::Contains,
            filter_value: String::new(),
            go_to: String::new(),
            go_to_error: None,
            tag: String::new(),
            note: String::new(),
            written: 0,
        }
    }
}

const ROW_HEIGHT: f32 = 18.0;

/// What a column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Time,
    Delta,
    Person,
    Organization,
    Account,
    System,
    StorageCountry,
    Action,
    Object,
    Categories,
    Records,
    Outcome,
    Subjects,
    Source,
    Ticket,
    SourceIp,
    Marks,
}

/// A column the chooser offers: its id (kept in the settings), order, width, and whether it
/// shows by default (its title is [`title`], in the app's language).
struct ColumnDef {
    col: Col,
    id: &'static str,
    sort: Option<SortKey>,
    width: f32,
    default: bool,
}

const fn def(
    col: Col,
    id: &'static str,
    sort: Option<SortKey>,
    width: f32,
    default: bool,
) -> ColumnDef {
    ColumnDef {
        col,
        id,
        sort,
        width,
        default,
    }
}

/// Every column, in table order.
const COLUMNS: [ColumnDef; 17] = [
    def(Col::Time, "time", Some(SortKey::Time), 230.0, true),
    def(Col::Delta, "delta", None, 80.0, true),
    def(Col::Marks, "marks", None, 70.0, true),
    def(Col::Person, "person", Some(SortKey::Person), 120.0, true),
    def(
        Col::Organization,
        "organization",
        Some(SortKey::Organization),
        140.0,
        false,
    ),
    def(Col::Account, "account", Some(SortKey::Account), 110.0, true),
    def(Col::System, "system", Some(SortKey::System), 110.0, true),
    def(
        Col::StorageCountry,
        "storage_country",
        Some(SortKey::StorageCountry),
        70.0,
        false,
    ),
    def(Col::Action, "action", Some(SortKey::Action), 100.0, true),
    def(Col::Object, "object", Some(SortKey::Object), 110.0, true),
    def(Col::Categories, "categories", None, 150.0, true),
    def(Col::Records, "records", Some(SortKey::Records), 60.0, true),
    def(Col::Outcome, "outcome", Some(SortKey::Outcome), 70.0, true),
    def(
        Col::Subjects,
        "subjects",
        Some(SortKey::Subjects),
        60.0,
        true,
    ),
    def(Col::Source, "source", Some(SortKey::Source), 140.0, true),
    def(Col::Ticket, "ticket", Some(SortKey::Ticket), 90.0, false),
    def(
        Col::SourceIp,
        "source_ip",
        Some(SortKey::SourceIp),
        110.0,
        false,
    ),
];

/// The columns to show: those in the settings (unknown ids skipped), else the defaults.
fn visible_columns(chosen: &[String]) -> Vec<&'static ColumnDef> {
    let picked: Vec<&ColumnDef> = COLUMNS
        .iter()
        .filter(|d| chosen.iter().any(|c| c == d.id))
        .collect();
    if picked.is_empty() {
        COLUMNS.iter().filter(|d| d.default).collect()
    } else {
        picked
    }
}

impl TablePanel {
    /// Pages the rows on screen need.
    pub fn wanted_pages(&self) -> Vec<u64> {
        self.drawn_rows
            .map(|(a, b)| pages_for_rows(a, b).collect())
            .unwrap_or_default()
    }

    pub fn table_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        name: &mut NameField,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let columns = visible_columns(&ctx.settings.table_columns);
        summary_ui(ctx, case, &columns, ui, out);
        self.tools_ui(ctx, case, ui, out);
        // Below the rows, so that marking a row does not move the rows under the pointer;
        // one marked row is the selected event, which the Annotate pane serves.
        if case.table.marked.len() > 1 || case.table.pending_range.is_some() {
            egui::Panel::bottom("table-marked").show(ui, |ui| {
                self.marked_ui(ctx, case, &columns, name, ui, out);
            });
        }
        if copy_requested(ui) && !case.table.marked.is_empty() {
            ui.ctx().copy_text(marked_tsv(ctx, case, &columns));
        }
        self.grid_ui(ctx, case, &columns, ui, out);
        if case.table.rows == Some(0) {
            ui.label(RichText::new(tr!(ctx.lang, "table-no-events")).weak());
        }
    }

    /// The rows, virtualized; only the visible rows' pages are asked for.
    fn grid_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        columns: &[&ColumnDef],
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let t = &case.table;
        let total = t.rows.unwrap_or(0);
        let sort = t.sort.unwrap_or((SortKey::Time, false));
        let mut drawn: Option<(u64, u64)> = None;
        // Wider than the pane on small screens: scroll sideways rather than hide columns.
        egui::ScrollArea::horizontal()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                // Another column set starts with its own widths.
                let ids: Vec<&str> = columns.iter().map(|d| d.id).collect();
                let lang = crate::gui::lang::of(ui.ctx());
                let mut builder = TableBuilder::new(ui)
                    .id_salt(("events", ids, lang))
                    .striped(true)
                    .resizable(true)
                    .sense(egui::Sense::click())
                    .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
                for (i, d) in columns.iter().enumerate() {
                    builder = builder.column(if i + 1 == columns.len() {
                        Column::remainder().at_least(d.width.min(120.0)).clip(true)
                    } else {
                        // A Japanese time (年月日 and the weekday) is wider than the ISO one.
                        let width = match (d.id, lang) {
                            ("time", crate::i18n::Lang::Ja) => d.width + 70.0,
                            _ => d.width,
                        };
                        Column::initial(width).at_least(40.0).clip(true)
                    });
                }
                builder = builder.auto_shrink([false, false]).min_scrolled_height(0.0);
                if let Some(row) = t.scroll_to_row
                    && t.scroll_seq != self.scrolled_seq
                    && t.rows.is_some()
                {
                    builder = builder.scroll_to_row(row as usize, Some(egui::Align::Center));
                    self.scrolled_seq = t.scroll_seq;
                }
                builder
                    .header(20.0, |mut header| {
                        for d in columns {
                            header.col(|ui| header_ui(ctx, d, sort, ui, out));
                        }
                    })
                    .body(|body| {
                        body.rows(ROW_HEIGHT, total as usize, |mut row| {
                            let index = row.index() as u64;
                            drawn = Some(
                                drawn.map_or((index, index), |(a, b)| (a.min(index), b.max(index))),
                            );
                            row_ui(ctx, case, columns, index, &mut row, out);
                        });
                    });
            });
        self.drawn_rows = drawn;
    }
}

/// One row: its cells, marking and selecting on click, the copy menu on right-click.
fn row_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    columns: &[&ColumnDef],
    index: u64,
    row: &mut egui_extras::TableRow<'_, '_>,
    out: &mut Vec<Command>,
) {
    let Some(ev) = case.table.row(index) else {
        row.col(|ui| {
            ui.label(RichText::new("…").weak());
        });
        return;
    };
    let prev = index.checked_sub(1).and_then(|i| case.table.row(i));
    let selected = case.view.selected.map(|s| s.0) == Some(ev.id);
    row.set_selected(selected || case.table.marked.contains_key(&index));
    let mut clicked = false;
    for d in columns {
        let text = cell(ctx, case, d.col, ev, prev);
        row.col(|ui| {
            let r = ui.add(
                egui::Label::new(text.clone())
                    .truncate()
                    .selectable(false)
                    .sense(egui::Sense::click()),
            );
            clicked |= r.clicked();
            r.context_menu(|ui| copy_menu_ui(ctx, case, columns, ev, prev, &text, ui));
        });
    }
    let r = row.response();
    if clicked || r.clicked() {
        let m = click_modifiers(&r.ctx);
        let how = if m.shift {
            MarkHow::Range
        } else if m.command {
            MarkHow::Toggle
        } else {
            MarkHow::Only
        };
        out.push(Command::Table(TableCommand::Mark { row: index, how }));
        // Ctrl+click on a marked row takes it out: it does not become the selected event.
        let unmarking = how == MarkHow::Toggle && case.table.marked.contains_key(&index);
        if !unmarking {
            out.push(Command::SelectEvent {
                id: ev.id,
                ts_us: ev.ts_us,
                scroll_table: false,
            });
        }
    }
}

/// The modifiers held at this frame's click (as the click event carries them), else now.
fn click_modifiers(ctx: &egui::Context) -> egui::Modifiers {
    ctx.input(|i| {
        i.events
            .iter()
            .rev()
            .find_map(|e| match e {
                egui::Event::PointerButton {
                    pressed: false,
                    modifiers,
                    ..
                } => Some(*modifiers),
                _ => None,
            })
            .unwrap_or(i.modifiers)
    })
}

/// The right-click menu of a cell.
fn copy_menu_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    columns: &[&ColumnDef],
    ev: &TableEvent,
    prev: Option<&TableEvent>,
    text: &str,
    ui: &mut egui::Ui,
) {
    let l = ctx.lang;
    if ui.button(tr!(l, "table-copy-cell")).clicked() {
        ui.ctx().copy_text(text.to_string());
        ui.close();
    }
    if ui.button(tr!(l, "table-copy-row")).clicked() {
        ui.ctx().copy_text(tsv_line(
            columns.iter().map(|d| cell(ctx, case, d.col, ev, prev)),
        ));
        ui.close();
    }
    let n = case.table.marked.len();
    if n > 0 && ui.button(tr!(l, "table-copy-marked", count = n)).clicked() {
        ui.ctx().copy_text(marked_tsv(ctx, case, columns));
        ui.close();
    }
}

/// Ctrl+C (Cmd+C) with no text field focused.
fn copy_requested(ui: &egui::Ui) -> bool {
    !ui.ctx().egui_wants_keyboard_input()
        && ui.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Copy)))
}

/// One TSV line: tabs and line breaks inside a value become spaces, so every value stays
/// in its column.
fn tsv_line(cells: impl Iterator<Item = String>) -> String {
    cells
        .map(|c| c.replace(['\t', '\n', '\r'], " "))
        .collect::<Vec<_>>()
        .join("\t")
}

/// The marked rows in table order, with a header line: the columns shown.
fn marked_tsv(ctx: &ViewContext<'_>, case: &OpenCase, columns: &[&ColumnDef]) -> String {
    let t = &case.table;
    let mut lines = vec![tsv_line(columns.iter().map(|d| title(ctx, d)))];
    for (index, ev) in &t.marked {
        // The page's copy is the fresher one (annotations added since marking).
        let ev = t.row(*index).filter(|e| e.id == ev.id).unwrap_or(ev);
        let prev = index.checked_sub(1).and_then(|i| t.row(i));
        lines.push(tsv_line(
            columns.iter().map(|d| cell(ctx, case, d.col, ev, prev)),
        ));
    }
    lines.push(String::new());
    lines.join("\n")
}

fn title(ctx: &ViewContext<'_>, d: &ColumnDef) -> String {
    let l = ctx.lang;
    match d.col {
        Col::Time => tr!(l, "table-col-time", zone = ctx.zone_name),
        Col::Delta => tr!(l, "table-col-delta"),
        Col::Marks => tr!(l, "table-col-marks"),
        Col::Person => tr!(l, "table-col-person"),
        Col::Organization => tr!(l, "table-col-organization"),
        Col::Account => tr!(l, "table-col-account"),
        Col::System => tr!(l, "table-col-system"),
        Col::StorageCountry => tr!(l, "table-col-storage"),
        Col::Action => tr!(l, "table-col-action"),
        Col::Object => tr!(l, "table-col-object"),
        Col::Categories => tr!(l, "table-col-categories"),
        Col::Records => tr!(l, "table-col-records"),
        Col::Outcome => tr!(l, "table-col-outcome"),
        Col::Subjects => tr!(l, "table-col-subjects"),
        Col::Source => tr!(l, "table-col-source"),
        Col::Ticket => tr!(l, "table-col-ticket"),
        Col::SourceIp => tr!(l, "table-col-source-ip"),
    }
}

/// A header: sorts by its column when it has an order of its own.
fn header_ui(
    ctx: &ViewContext<'_>,
    d: &ColumnDef,
    (sort, desc): (SortKey, bool),
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let title = title(ctx, d);
    let Some(key) = d.sort else {
        let hover = match d.col {
            Col::Delta => tr!(ctx.lang, "table-col-delta-tip"),
            Col::Marks => tr!(ctx.lang, "table-col-marks-tip"),
            _ => tr!(ctx.lang, "table-col-unsorted-tip"),
        };
        ui.strong(title).on_hover_text(hover);
        return;
    };
    let arrow = if key == sort {
        if desc { " ▼" } else { " ▲" }
    } else {
        ""
    };
    if ui
        .add(egui::Button::new(RichText::new(format!("{title}{arrow}")).strong()).frame(false))
        .on_hover_text(tr!(ctx.lang, "table-sort-tip"))
        .clicked()
    {
        out.push(Command::SortTable(key));
    }
}

/// A cell's text.
fn cell(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    col: Col,
    ev: &TableEvent,
    prev: Option<&TableEvent>,
) -> String {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    match col {
        Col::Time => format_in_zone(ctx.lang, ev.ts_us, ctx.zone),
        Col::Delta => prev.map_or_else(String::new, |p| human_delta(ctx.lang, ev.ts_us - p.ts_us)),
        Col::Person => ev
            .person
            .clone()
            .unwrap_or_else(|| tr!(ctx.lang, "table-unattributed")),
        Col::Organization => s(&ev.organization),
        Col::Account => s(&ev.account),
        Col::System => s(&ev.system),
        Col::StorageCountry => s(&ev.storage_country),
        Col::Action => s(&ev.action),
        Col::Object => s(&ev.object),
        Col::Categories => crate::i18n::category_list(
            ctx.lang,
            &case.info.vocabulary.names(CategorySet(ev.categories)),
        ),
        Col::Records => ev.records.map_or_else(String::new, |n| n.to_string()),
        Col::Outcome => ev.outcome.as_ref().map_or(String::new(), |o| {
            crate::i18n::outcome_name(ctx.lang, o.as_str())
        }),
        Col::Subjects => ev.subject_count.to_string(),
        Col::Source => format!("{}:{}", ev.source_file, ev.line),
        Col::Ticket => s(&ev.ticket),
        Col::SourceIp => s(&ev.src_ip),
        Col::Marks => marks_text(ctx.lang, ev),
    }
}

/// "★ #tag #other · 2 notes".
fn marks_text(l: crate::i18n::Lang, ev: &TableEvent) -> String {
    let mut parts: Vec<String> = Vec::new();
    if ev.starred {
        parts.push("★".into());
    }
    parts.extend(ev.tags.iter().map(|t| format!("#{t}")));
    let mut text = parts.join(" ");
    if ev.notes > 0 {
        if !text.is_empty() {
            text.push_str(" · ");
        }
        text.push_str(&tr!(l, "table-notes", count = ev.notes));
    }
    text
}

/// A time difference as people read it: "+0 s", "+12.5 s", "+3 min 20 s", "+2 h 05 min",
/// "+4 d 03 h"; negative when the table is not in time order.
pub fn human_delta(l: crate::i18n::Lang, us: i64) -> String {
    let sign = if us < 0 { "−" } else { "+" };
    let us = us.unsigned_abs();
    let secs = us / 1_000_000;
    if secs < 60 {
        let ms = (us % 1_000_000) / 1000;
        let s = if ms == 0 {
            secs.to_string()
        } else if secs < 10 {
            format!("{secs}.{ms:03}")
        } else {
            format!("{secs}.{}", ms / 100)
        };
        return tr!(l, "table-delta-seconds", sign = sign, s = s);
    }
    let (m, h, d) = (secs / 60, secs / 3600, secs / 86_400);
    // Numbers as text: the padded minor unit ("05") and no digit grouping in a duration.
    if h == 0 {
        let s = format!("{:02}", secs % 60);
        tr!(
            l,
            "table-delta-minutes",
            sign = sign,
            m = m.to_string(),
            s = s
        )
    } else if d == 0 {
        let m = format!("{:02}", m % 60);
        tr!(
            l,
            "table-delta-hours",
            sign = sign,
            h = h.to_string(),
            m = m
        )
    } else {
        let h = format!("{:02}", h % 24);
        tr!(l, "table-delta-days", sign = sign, d = d.to_string(), h = h)
    }
}

/// What the table shows: how many events, in which range; the column chooser.
fn summary_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    columns: &[&ColumnDef],
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let t = &case.table;
    let (from_us, to_us) = case.view.table_range_us();
    let l = ctx.lang;
    ui.horizontal_wrapped(|ui| {
        ui.strong(tr!(l, "table-events"));
        match (t.rows, t.counting) {
            (Some(n), Some(p)) => {
                ui.label(tr!(l, "table-at-least", count = n));
                super::widgets::counting_ui(l, p, ui, out);
            }
            (Some(n), None) => {
                ui.label(tr!(l, "count-events", count = n));
            }
            (None, _) => {
                ui.label(tr!(l, "table-counting"));
            }
        };
        let (from, to) = (
            format_in_zone(l, from_us, ctx.zone),
            format_in_zone(l, to_us, ctx.zone),
        );
        let text = if case.view.selection.is_some() {
            tr!(
                l,
                "table-in-selection",
                from = from,
                to = to,
                zone = ctx.zone_name
            )
        } else {
            tr!(
                l,
                "table-in-view",
                from = from,
                to = to,
                zone = ctx.zone_name
            )
        };
        ui.label(RichText::new(text).weak());
        if case.view.selection.is_some() && ui.small_button(tr!(l, "table-clear-range")).clicked() {
            out.push(Command::SetSelection(None));
        }
        column_chooser_ui(ctx, columns, ui, out);
    });
}

/// "Columns…": a checkbox per column; the menu stays open while they are ticked.
fn column_chooser_ui(
    ctx: &ViewContext<'_>,
    columns: &[&ColumnDef],
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let config = MenuConfig::new().close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    MenuButton::new(tr!(ctx.lang, "table-columns"))
        .config(config)
        .ui(ui, |ui| {
            for d in &COLUMNS {
                let mut on = columns.iter().any(|c| c.id == d.id);
                if ui.checkbox(&mut on, title(ctx, d)).changed() {
                    let ids: Vec<String> = COLUMNS
                        .iter()
                        .filter(|c| {
                            if c.id == d.id {
                                on
                            } else {
                                columns.iter().any(|v| v.id == c.id)
                            }
                        })
                        .map(|c| c.id.to_string())
                        .collect();
                    // The last column stays: a table without columns shows nothing to click.
                    if !ids.is_empty() {
                        out.push(Command::Table(TableCommand::SetColumns(ids)));
                    }
                }
            }
            ui.separator();
            if ui.button(tr!(ctx.lang, "table-default-columns")).clicked() {
                out.push(Command::Table(TableCommand::SetColumns(Vec::new())));
            }
        });
}

/// The width below which the table's tools take two rows: the column filter (about 560 px in
/// Japanese) and the marks with "go to" (about 480 px) side by side, with their separators.
const ONE_ROW_TOOLS: f32 = 1080.0;

impl TablePanel {
    /// The per-column filter, the tag and star filters, and go to a time.
    fn tools_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let l = ctx.lang;
        // One row where it fits; otherwise the column filter on one and the marks and "go to"
        // on the next, so no widget is squeezed into the row's end (a menu button there was cut
        // to a sliver with the detail pane open at 1280x800).
        let one_row = ui.available_width() >= ONE_ROW_TOOLS;
        ui.horizontal(|ui| {
            let label = ui.label(tr!(l, "table-column-filter"));
            egui::ComboBox::from_id_salt("table-filter-column")
                .selected_text(filter_column_label(l, self.filter_column))
                .show_ui(ui, |ui| {
                    for c in FilterColumn::ALL {
                        ui.selectable_value(&mut self.filter_column, c, filter_column_label(l, c));
                    }
                })
                .response
                .labelled_by(label.id);
            egui::ComboBox::from_id_salt("table-filter-op")
                .selected_text(filter_op_label(l, self.filter_op))
                .width(70.0)
                .show_ui(ui, |ui| {
                    for o in FilterOp::ALL {
                        ui.selectable_value(&mut self.filter_op, o, filter_op_label(l, o));
                    }
                })
                .response
                .labelled_by(label.id);
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.filter_value)
                        .hint_text(tr!(l, "table-filter-value"))
                        .desired_width(120.0),
                )
                .labelled_by(label.id);
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let typed = !self.filter_value.is_empty();
            if (ui
                .add_enabled(typed, egui::Button::new(tr!(l, "table-add-filter")))
                .clicked()
                || enter)
                && typed
            {
                out.push(Command::AddFilter(FilterTerm::Column {
                    column: self.filter_column,
                    op: self.filter_op,
                    value: std::mem::take(&mut self.filter_value),
                }));
            }
            if one_row {
                ui.separator();
                self.marks_and_go_to_ui(ctx, case, ui, out);
            }
        });
        if !one_row {
            ui.horizontal(|ui| self.marks_and_go_to_ui(ctx, case, ui, out));
        }
    }

    fn marks_and_go_to_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        mark_filters_ui(ctx, case, ui, out);
        ui.separator();
        self.go_to_ui(ctx, ui, out);
    }

    /// "Go to": a date and time in the display zone.
    fn go_to_ui(&mut self, ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let l = ctx.lang;
        let label = ui.label(tr!(l, "table-go-to"));
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut self.go_to)
                    .hint_text(tr!(l, "table-go-to-hint", zone = ctx.zone_name))
                    .desired_width(150.0),
            )
            .labelled_by(label.id);
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui
            .button(tr!(l, "table-go"))
            .on_hover_text(tr!(l, "table-go-tip", zone = ctx.zone_name))
            .clicked()
            || enter
        {
            match TimeParser::new(ctx.zone, None).parse(self.go_to.trim()) {
                Ok(p) => {
                    self.go_to_error = None;
                    out.push(Command::Table(TableCommand::GoToTime(p.ts_us)));
                }
                Err(e) => {
                    self.go_to_error = Some(tr!(l, "table-not-a-time", error = e.to_string()))
                }
            }
        }
        if let Some(e) = &self.go_to_error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
    }

    /// The marked rows: how many, copy, clear, and star / tag / note them all.
    fn marked_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        columns: &[&ColumnDef],
        name: &mut NameField,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let state = &ctx.trail.custody;
        if state.written != self.written {
            self.written = state.written;
            self.tag.clear();
            self.note.clear();
        }
        let n = case.table.marked.len();
        let l = ctx.lang;
        ui.horizontal_wrapped(|ui| {
            if case.table.pending_range.is_some() {
                ui.spinner();
                ui.label(tr!(l, "table-marking"));
                return;
            }
            ui.strong(tr!(l, "table-marked", count = n))
                .on_hover_text(tr!(l, "table-marked-tip"));
            if ui
                .button(tr!(l, "table-copy-tsv"))
                .on_hover_text(tr!(l, "table-copy-tsv-tip"))
                .clicked()
            {
                ui.ctx().copy_text(marked_tsv(ctx, case, columns));
            }
            if ui.button(tr!(l, "table-unmark")).clicked() {
                out.push(Command::Table(TableCommand::ClearMarks));
            }
            if ctx.review {
                ui.label(RichText::new(tr!(l, "table-review-no-annotation")).weak());
                return;
            }
            ui.separator();
            if name.ask_ui(&ctx.trail.investigator, ui, out).is_some() {
                self.bulk_ui(ctx, n, ui, out);
            }
        });
    }

    fn bulk_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        n: usize,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let busy = ctx.jobs.is_running(Task::Annotate);
        let all = |kind, text: String| Command::Table(TableCommand::Annotate { kind, text });
        let l = ctx.lang;
        if ui
            .add_enabled(!busy, egui::Button::new(tr!(l, "table-star-n", count = n)))
            .clicked()
        {
            out.push(all(AnnotationKind::Star, String::new()));
        }
        if let Some(tag) = text_action(
            ui,
            (&tr!(l, "table-tag"), &tr!(l, "table-tag-hint")),
            &mut self.tag,
            80.0,
            &tr!(l, "table-tag-n", count = n),
            busy,
        ) {
            out.push(all(AnnotationKind::Tag, tag));
        }
        if let Some(note) = text_action(
            ui,
            (&tr!(l, "table-note"), &tr!(l, "table-note-hint")),
            &mut self.note,
            120.0,
            &tr!(l, "table-note-n", count = n),
            busy,
        ) {
            out.push(all(AnnotationKind::Note, note));
        }
        if let Some((error, m)) = &ctx.trail.custody.message {
            if *error {
                ui.colored_label(ui.visuals().error_fg_color, m);
            } else {
                ui.label(RichText::new(m).weak());
            }
        }
    }
}

/// A labelled text field and its button, enabled when the field has text and nothing is
/// running; the trimmed text when the button is clicked.
fn text_action(
    ui: &mut egui::Ui,
    (label, hint): (&str, &str),
    text: &mut String,
    width: f32,
    button: &str,
    busy: bool,
) -> Option<String> {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(text)
            .hint_text(hint)
            .desired_width(width),
    )
    .labelled_by(label.id);
    let clicked = ui
        .add_enabled(!busy && !text.trim().is_empty(), egui::Button::new(button))
        .clicked();
    clicked.then(|| text.trim().to_string())
}

/// "★ Starred" and "Tag ▾": filters on the investigator's own marks.
fn mark_filters_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let starred = case.view.filter.contains(&FilterTerm::Starred);
    let l = ctx.lang;
    if ui
        .selectable_label(starred, tr!(l, "table-starred"))
        .on_hover_text(tr!(l, "table-starred-tip"))
        .clicked()
    {
        out.push(if starred {
            Command::RemoveFilter(FilterTerm::Starred)
        } else {
            Command::AddFilter(FilterTerm::Starred)
        });
    }
    let mut tags: Vec<&str> = ctx
        .trail
        .custody
        .annotations()
        .iter()
        .filter(|a| a.kind == AnnotationKind::Tag)
        .map(|a| a.text.as_str())
        .collect();
    tags.sort_unstable();
    tags.dedup();
    ui.add_enabled_ui(!tags.is_empty(), |ui| {
        ui.menu_button(tr!(l, "table-tag-menu"), |ui| {
            for t in tags {
                if ui.button(format!("#{t}")).clicked() {
                    out.push(Command::AddFilter(FilterTerm::Tag(t.to_string())));
                    ui.close();
                }
            }
        })
        .response
        .on_hover_text(tr!(l, "table-tag-menu-tip"))
        .on_disabled_hover_text(tr!(l, "table-tag-menu-none"));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_deltas_read_as_people_say_them() {
        use crate::i18n::Lang::{En, Ja};
        assert_eq!(human_delta(En, 0), "+0 s");
        assert_eq!(human_delta(En, 1_500_000), "+1.500 s");
        assert_eq!(human_delta(En, 12_500_000), "+12.5 s");
        assert_eq!(human_delta(En, 200_000_000), "+3 min 20 s");
        assert_eq!(human_delta(En, 7_500_000_000), "+2 h 05 min");
        let four_days = -(4 * 86_400 + 3 * 3600) * 1_000_000;
        assert_eq!(human_delta(En, four_days), "−4 d 03 h");
        assert_eq!(human_delta(Ja, 1_500_000), "+1.500秒");
        assert_eq!(human_delta(Ja, 200_000_000), "+3分20秒");
        assert_eq!(human_delta(Ja, 7_500_000_000), "+2時間05分");
        assert_eq!(human_delta(Ja, four_days), "−4日03時間");
        // A long gap is not digit-grouped: it is a duration, not a count.
        assert_eq!(human_delta(Ja, 1234 * 86_400 * 1_000_000), "+1234日00時間");
    }

    #[test]
    fn unknown_or_no_column_ids_show_the_defaults() {
        let defaults = visible_columns(&[]).len();
        assert_eq!(visible_columns(&["nonsense".into()]).len(), defaults);
        let two = visible_columns(&["ticket".into(), "time".into()]);
        // Table order, not the order given.
        assert_eq!(
            two.iter().map(|d| d.id).collect::<Vec<_>>(),
            ["time", "ticket"]
        );
    }
}
