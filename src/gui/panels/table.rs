//! The event table under the timeline: the events of the visible range (or the shift-drag
//! selection) that match the filters, virtualized with `TableBody::rows`, paged from SQL off
//! the UI thread, sortable by its headers, with resizable columns; its selection is the
//! timeline's.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::case::{SortKey, TableEvent};
use crate::gui::app::{OpenCase, ViewContext, pages_for_rows};
use crate::gui::command::Command;
use crate::model::category::CategorySet;
use crate::model::time::format_in_zone;

#[derive(Default)]
pub struct TablePanel {
    /// Rows drawn last frame (first, last), for fetching their pages.
    drawn_rows: Option<(u64, u64)>,
    /// The last scroll request acted on (see `TableState::scroll_seq`).
    scrolled_seq: u64,
}

const ROW_HEIGHT: f32 = 18.0;

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
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let t = &case.table;
        summary_ui(ctx, case, ui, out);
        let total = t.rows.unwrap_or(0);
        let (sort, desc) = t.sort.unwrap_or((SortKey::Time, false));
        let selected = case.view.selected.map(|s| s.0);
        let mut drawn: Option<(u64, u64)> = None;
        // Wider than the pane on small screens: scroll sideways rather than hide columns.
        egui::ScrollArea::horizontal()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let mut builder = TableBuilder::new(ui)
                    .id_salt("events")
                    .striped(true)
                    .resizable(true)
                    .sense(egui::Sense::click())
                    .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                    .column(Column::initial(200.0).at_least(90.0).clip(true))
                    .column(Column::initial(120.0).clip(true))
                    .column(Column::initial(110.0).clip(true))
                    .column(Column::initial(110.0).clip(true))
                    .column(Column::initial(100.0).clip(true))
                    .column(Column::initial(110.0).clip(true))
                    .column(Column::initial(150.0).clip(true))
                    .column(Column::initial(60.0).clip(true))
                    .column(Column::initial(70.0).clip(true))
                    .column(Column::initial(60.0).clip(true))
                    .column(Column::remainder().at_least(120.0).clip(true))
                    .auto_shrink([false, false])
                    .min_scrolled_height(0.0);
                if let Some(row) = t.scroll_to_row
                    && t.scroll_seq != self.scrolled_seq
                    && t.rows.is_some()
                {
                    builder = builder.scroll_to_row(row as usize, Some(egui::Align::Center));
                    self.scrolled_seq = t.scroll_seq;
                }
                let headers = headers(ctx);
                builder
                    .header(20.0, |mut header| {
                        for (i, (title, key)) in headers.iter().enumerate() {
                            header.col(|ui| {
                                // The categories column has no order of its own.
                                if i == 6 {
                                    ui.strong(title);
                                } else {
                                    sort_button_ui(title, *key, (sort, desc), ui, out);
                                }
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(ROW_HEIGHT, total as usize, |mut row| {
                            let index = row.index() as u64;
                            drawn = Some(
                                drawn.map_or((index, index), |(a, b)| (a.min(index), b.max(index))),
                            );
                            let Some(ev) = case.table.row(index) else {
                                row.col(|ui| {
                                    ui.label(RichText::new("…").weak());
                                });
                                return;
                            };
                            row.set_selected(selected == Some(ev.id));
                            let mut clicked = false;
                            for text in cells(ctx, case, ev) {
                                row.col(|ui| {
                                    clicked |= ui
                                        .add(
                                            egui::Label::new(text)
                                                .truncate()
                                                .selectable(false)
                                                .sense(egui::Sense::click()),
                                        )
                                        .clicked();
                                });
                            }
                            if clicked || row.response().clicked() {
                                out.push(Command::SelectEvent {
                                    id: ev.id,
                                    ts_us: ev.ts_us,
                                    scroll_table: false,
                                });
                            }
                        });
                    });
            });
        self.drawn_rows = drawn;
        if t.rows == Some(0) {
            ui.label(RichText::new("No events match in this range.").weak());
        }
    }
}

/// What the table shows: how many events, in which range.
fn summary_ui(ctx: &ViewContext<'_>, case: &OpenCase, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let t = &case.table;
    let (from_us, to_us) = case.view.table_range_us();
    ui.horizontal(|ui| {
        ui.strong("Events");
        match t.rows {
            Some(n) => ui.label(crate::model::plural::count(n, "event", "events")),
            None => ui.label("counting…"),
        };
        let what = if case.view.selection.is_some() {
            "in the selected range"
        } else {
            "in view"
        };
        ui.label(
            RichText::new(format!(
                "{what}: {} – {} {}",
                format_in_zone(from_us, ctx.zone),
                format_in_zone(to_us, ctx.zone),
                ctx.zone_name
            ))
            .weak(),
        );
        if case.view.selection.is_some() && ui.small_button("Clear range").clicked() {
            out.push(Command::SetSelection(None));
        }
    });
}

/// A column header that sorts by `key`, with an arrow on the current sort column.
fn sort_button_ui(
    title: &str,
    key: SortKey,
    (sort, desc): (SortKey, bool),
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let arrow = if key == sort {
        if desc { " ▼" } else { " ▲" }
    } else {
        ""
    };
    if ui
        .add(egui::Button::new(RichText::new(format!("{title}{arrow}")).strong()).frame(false))
        .on_hover_text("Sort by this column; click again to reverse")
        .clicked()
    {
        out.push(Command::SortTable(key));
    }
}

/// A row's cells, in column order.
fn cells(ctx: &ViewContext<'_>, case: &OpenCase, ev: &TableEvent) -> [String; 11] {
    let cats = case
        .info
        .vocabulary
        .names(CategorySet(ev.categories))
        .join(", ");
    [
        format_in_zone(ev.ts_us, ctx.zone),
        ev.person.clone().unwrap_or_else(|| "(unattributed)".into()),
        ev.account.clone().unwrap_or_default(),
        ev.system.clone().unwrap_or_default(),
        ev.action.clone().unwrap_or_default(),
        ev.object.clone().unwrap_or_default(),
        cats,
        ev.records.map_or_else(String::new, |n| n.to_string()),
        ev.outcome.as_ref().map_or("", |o| o.as_str()).to_string(),
        ev.subject_count.to_string(),
        format!("{}:{}", ev.source_file, ev.line),
    ]
}

/// Column titles and what each sorts by (the categories column: nothing of its own).
fn headers(ctx: &ViewContext<'_>) -> [(String, SortKey); 11] {
    [
        (format!("Time ({})", ctx.zone_name), SortKey::Time),
        ("Person".to_string(), SortKey::Person),
        ("Account".to_string(), SortKey::Account),
        ("System".to_string(), SortKey::System),
        ("Action".to_string(), SortKey::Action),
        ("Object".to_string(), SortKey::Object),
        ("Data categories".to_string(), SortKey::Time),
        ("Records".to_string(), SortKey::Records),
        ("Outcome".to_string(), SortKey::Outcome),
        ("Subjects".to_string(), SortKey::Subjects),
        ("Source:line".to_string(), SortKey::Source),
    ]
}
