//! The rejects viewer: the rows an import refused, for one source or the whole case, each
//! with file, line, reason and raw text and the known accounts, persons and data subjects it
//! mentions; for the selected row, the events of its source just before and after its line,
//! each a link to the timeline, and a button that shows them there. Reads the open case's
//! rejects state; sends commands.

use egui::RichText;

use crate::analysis::rejects::{MentionKind, RejectedRow};
use crate::case::{EventRow, FilterTerm, SourceRow};
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::gui::lang;
use crate::gui::lookup::LookupCommand;
use crate::gui::rejects::{ROW_LIMIT, RejectsCommand};
use crate::i18n::{Lang, format_in_zone};
use crate::tr;

/// The viewer keeps nothing of its own: what it shows is the app's rejects state.
#[derive(Default)]
pub struct RejectsPanel;

impl RejectsPanel {
    pub fn window_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let st = &case.rejects;
        if !st.open {
            return;
        }
        let mut open = true;
        egui::Window::new(tr!(ctx.lang, "rejects-title"))
            .constrain_to(super::desk(ui.ctx()))
            .id(egui::Id::unique("rejects-window"))
            .open(&mut open)
            // Below the toolbar and beside the left panel, not over them.
            .default_pos([360.0, 80.0])
            .default_size([880.0, 600.0])
            .resizable(true)
            .show(ui.ctx(), |ui| {
                controls_ui(case, ui, out);
                if let Some(e) = &st.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                ui.separator();
                let Some(rows) = &st.rows else {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(tr!(ctx.lang, "rejects-reading"));
                    });
                    return;
                };
                list_ui(case, rows, ui, out);
                ui.separator();
                if let Some(r) = st.selected_row() {
                    egui::ScrollArea::vertical()
                        .id_salt("reject-detail")
                        .auto_shrink([false, false])
                        .show(ui, |ui| detail_ui(ctx, case, r, ui, out));
                } else {
                    ui.label(RichText::new(tr!(ctx.lang, "rejects-select-hint")).weak());
                }
            });
        if !open {
            out.push(Command::Rejects(RejectsCommand::Close));
        }
    }
}

/// Sources with rejected rows.
fn rejecting_sources(case: &OpenCase) -> impl Iterator<Item = &SourceRow> {
    case.info
        .summary
        .sources
        .iter()
        .filter(|s| s.rows_rejected > 0)
}

/// The source picker, the mentions toggle and the count on screen.
fn controls_ui(case: &OpenCase, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let st = &case.rejects;
    let l = lang::of(ui.ctx());
    let total_of = |source: Option<i64>| -> i64 {
        rejecting_sources(case)
            .filter(|s| source.is_none_or(|id| id == s.id))
            .map(|s| s.rows_rejected)
            .sum()
    };
    let name_of = |source: Option<i64>| match source {
        None => tr!(l, "rejects-all-sources", rows = total_of(None)),
        Some(id) => case
            .info
            .summary
            .sources
            .iter()
            .find(|s| s.id == id)
            .map_or(tr!(l, "rejects-source-id", id = id.to_string()), |s| {
                tr!(
                    l,
                    "rejects-source-rows",
                    file = s.file_name.as_str(),
                    rows = s.rows_rejected
                )
            }),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(tr!(l, "rejects-source"));
        egui::ComboBox::from_id_salt("rejects-source")
            .selected_text(name_of(st.source))
            .width(320.0)
            .show_ui(ui, |ui| {
                let choices =
                    std::iter::once(None).chain(rejecting_sources(case).map(|s| Some(s.id)));
                for source in choices {
                    if ui
                        .selectable_label(st.source == source, name_of(source))
                        .clicked()
                    {
                        out.push(Command::Rejects(RejectsCommand::Show {
                            source,
                            mentions_only: st.mentions_only,
                        }));
                    }
                }
            });
        let mut only = st.mentions_only;
        if ui
            .checkbox(&mut only, tr!(l, "rejects-only-mentions"))
            .changed()
        {
            out.push(Command::Rejects(RejectsCommand::Show {
                source: st.source,
                mentions_only: only,
            }));
        }
    });
    if let Some(rows) = &st.rows {
        let total = total_of(st.source);
        let mentioning = rows.iter().filter(|r| !r.mentions.is_empty()).count();
        let mut text = tr!(
            l,
            "rejects-listed",
            listed = rows.len(),
            total = total,
            mentioning = mentioning
        );
        if rows.len() >= ROW_LIMIT && (rows.len() as i64) < total {
            text.push_str(&tr!(l, "rejects-first-only", limit = ROW_LIMIT));
        }
        ui.label(text);
    }
}

/// One line per rejected row: place, reason, what it mentions.
fn list_ui(case: &OpenCase, rows: &[RejectedRow], ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let st = &case.rejects;
    let l = lang::of(ui.ctx());
    let shown: Vec<usize> = (0..rows.len())
        .filter(|&i| !st.mentions_only || !rows[i].mentions.is_empty())
        .collect();
    if shown.is_empty() {
        ui.label(RichText::new(tr!(l, "rejects-none")).weak());
        return;
    }
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::vertical()
        .id_salt("rejects-list")
        .max_height(220.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_h, shown.len(), |ui, range| {
            for &i in &shown[range] {
                let r = &rows[i];
                let mut text = format!(
                    "{}  {}",
                    r.place(),
                    crate::i18n::reject_reason(l, &r.row.reason)
                );
                if !r.mentions.is_empty() {
                    text.push_str(&tr!(
                        l,
                        "rejects-mentions-suffix",
                        mentions = r.mentions_text_in(l)
                    ));
                }
                let label = ui
                    .selectable_label(st.selected == Some(i), text)
                    .on_hover_text(r.row.raw.as_str());
                if label.clicked() {
                    out.push(Command::Rejects(RejectsCommand::Select(i)));
                }
            }
        });
}

/// The selected row: its fields, raw text, mentions (links) and neighbouring events.
fn detail_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    r: &RejectedRow,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    egui::Grid::new("reject-fields")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (k, v) in [
                (tr!(ctx.lang, "rejects-field-file"), r.row.file_name.clone()),
                (tr!(ctx.lang, "rejects-field-line"), r.row.line.to_string()),
                (
                    tr!(ctx.lang, "rejects-field-source"),
                    format!(
                        "#{} ({})",
                        r.row.source_id,
                        crate::i18n::source_kind(ctx.lang, &r.source_kind)
                    ),
                ),
                (
                    tr!(ctx.lang, "rejects-field-reason"),
                    crate::i18n::reject_reason(ctx.lang, &r.row.reason),
                ),
            ] {
                ui.label(k);
                ui.label(v);
                ui.end_row();
            }
        });
    ui.label(RichText::new(tr!(ctx.lang, "rejects-raw")).strong());
    ui.add(egui::Label::new(RichText::new(&r.row.raw).monospace()).wrap());
    mentions_ui(r, ui, out);
    ui.add_space(6.0);
    neighbours_ui(ctx, case, r, ui, out);
}

/// What the row mentions, each a link: a person's page, the subject's lookup, an account's
/// events.
fn mentions_ui(r: &RejectedRow, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let l = lang::of(ui.ctx());
    if r.source_kind != "access" {
        ui.label(RichText::new(tr!(l, "rejects-roster-row")).weak());
        return;
    }
    if r.mentions.is_empty() {
        ui.label(RichText::new(tr!(l, "rejects-no-mentions")).weak());
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(tr!(l, "rejects-mentions")).color(ui.visuals().warn_fg_color));
        for m in &r.mentions {
            let link = ui.link(m.describe_in(l));
            if !link.clicked() {
                continue;
            }
            match (m.kind, &m.person_key, &m.subject_key) {
                (_, Some(key), _) => {
                    out.push(Command::Lookup(LookupCommand::OpenPerson(key.clone())));
                }
                (MentionKind::Subject, _, Some(key)) => {
                    out.push(Command::Lookup(LookupCommand::ShowSubjectLookup(true)));
                    out.push(Command::Lookup(LookupCommand::LookUpSubjects(vec![
                        key.clone(),
                    ])));
                }
                _ => out.push(Command::AddFilter(FilterTerm::Text(m.text.clone()))),
            }
        }
    });
}

/// The events of the row's source just before and after its line.
fn neighbours_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    r: &RejectedRow,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let l = ctx.lang;
    ui.strong(tr!(
        l,
        "rejects-around",
        file = r.row.file_name.as_str(),
        line = r.row.line,
        zone = ctx.zone_name
    ));
    let Some(n) = case
        .rejects
        .neighbours
        .as_ref()
        .filter(|n| (n.source, n.line) == (r.row.source_id, r.row.line))
    else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(tr!(l, "rejects-reading-neighbours"));
        });
        return;
    };
    let (before, after) = (&n.events.before, &n.events.after);
    if before.is_empty() && after.is_empty() {
        ui.label(RichText::new(tr!(l, "rejects-no-events")).weak());
        return;
    }
    egui::Grid::new(("reject-neighbours", r.row.source_id, r.row.line))
        .num_columns(6)
        .striped(true)
        .show(ui, |ui| {
            for h in [
                tr!(l, "rejects-col-line"),
                tr!(l, "rejects-col-time"),
                tr!(l, "rejects-col-account"),
                tr!(l, "rejects-col-system"),
                tr!(l, "rejects-col-action"),
                tr!(l, "rejects-col-outcome"),
            ] {
                ui.label(RichText::new(h).small().strong());
            }
            ui.end_row();
            for e in before {
                event_row_ui(ctx, e, ui, out);
            }
            let warn = ui.visuals().warn_fg_color;
            ui.label(RichText::new(tr!(l, "rejects-line", line = r.row.line)).color(warn));
            ui.label(RichText::new(tr!(l, "rejects-this-row")).color(warn));
            ui.label(RichText::new(crate::i18n::reject_reason(l, &r.row.reason)).color(warn));
            ui.end_row();
            for e in after {
                event_row_ui(ctx, e, ui, out);
            }
        });
    let all: Vec<&EventRow> = before.iter().chain(after).collect();
    if ui
        .button(tr!(l, "rejects-show-events", count = all.len()))
        .on_hover_text(tr!(l, "rejects-show-events-tip"))
        .clicked()
    {
        show_on_timeline(l, case, r, &all, before.last().or(after.first()), out);
    }
}

/// One neighbouring event: its line and time are links that select it on the timeline.
fn event_row_ui(ctx: &ViewContext<'_>, e: &EventRow, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let hover = tr!(ctx.lang, "rejects-event-tip", id = e.id.to_string());
    let line = ui
        .link(tr!(ctx.lang, "rejects-line", line = e.line))
        .on_hover_text(hover.as_str());
    let time = ui
        .link(format_in_zone(ctx.lang, e.ts_us, ctx.zone))
        .on_hover_text(hover.as_str());
    if line.clicked() || time.clicked() {
        out.push(Command::SelectEvent {
            id: e.id,
            ts_us: e.ts_us,
            scroll_table: true,
        });
    }
    ui.label(e.account.as_deref().unwrap_or("?"));
    ui.label(e.system.as_deref().unwrap_or("?"));
    ui.label(e.action.as_deref().unwrap_or(""));
    ui.label(e.outcome.as_ref().map_or(String::new(), |o| {
        crate::i18n::outcome_name(ctx.lang, o.as_str())
    }));
    ui.end_row();
}

/// Filters the timeline and the table to exactly the neighbouring events (replacing another
/// event-list filter), shows their span and selects the nearest one.
fn show_on_timeline(
    l: Lang,
    case: &OpenCase,
    r: &RejectedRow,
    events: &[&EventRow],
    nearest: Option<&EventRow>,
    out: &mut Vec<Command>,
) {
    for t in &case.view.filter {
        if matches!(t, FilterTerm::Events { .. }) {
            out.push(Command::RemoveFilter(t.clone()));
        }
    }
    out.push(Command::AddFilter(FilterTerm::Events {
        label: tr!(l, "rejects-chip", place = r.place()),
        ids: events.iter().map(|e| e.id).collect(),
    }));
    let from = events.iter().map(|e| e.ts_us).min().unwrap_or(0);
    let to = events.iter().map(|e| e.ts_us).max().unwrap_or(0);
    let pad = ((to - from) as f64 * 0.1).max(10.0 * 60.0 * 1e6);
    out.push(Command::SetView {
        from_us: from as f64 - pad,
        to_us: to as f64 + pad,
    });
    if let Some(e) = nearest {
        out.push(Command::SelectEvent {
            id: e.id,
            ts_us: e.ts_us,
            scroll_table: true,
        });
    }
}
