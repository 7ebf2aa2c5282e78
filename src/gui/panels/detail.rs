//! The detail pane: the selected event's fields, its time in UTC, in the display zone and in
//! its source's zone, the raw timestamp and how it was read, the record's other (unmapped)
//! fields, the source file, line(s) and SHA-256, and the raw source line(s) as stored in the case.

use egui::RichText;

use crate::analysis::approval::{TicketCover, ticket_cover};
use crate::case::EventDetail;
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::model::TsFlags;
use crate::model::category::CategorySet;
use crate::model::time::{format_in_zone, parse_zone};

/// How the detail pane says a ticket's approval does not cover the event (shown in the
/// warning colour).
const NOT_COVERED: &str = "does not cover this event";

pub fn detail_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    ui.heading("Event");
    let Some((selected_id, _)) = case.view.selected else {
        ui.label(RichText::new("Click an event in the timeline or the table.").weak());
        return;
    };
    let Some(d) = case.detail.as_ref().filter(|d| d.row.id == selected_id) else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("Loading event {selected_id}…"));
        });
        return;
    };
    ui.horizontal(|ui| {
        if ui
            .button("◀ Previous")
            .on_hover_text("Previous event (P)")
            .clicked()
        {
            out.push(Command::StepEvent { forward: false });
        }
        if ui
            .button("Next ▶")
            .on_hover_text("Next event (N)")
            .clicked()
        {
            out.push(Command::StepEvent { forward: true });
        }
        if ui.button("Clear").clicked() {
            out.push(Command::ClearSelection);
        }
    });
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("event_fields")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for (k, v) in field_rows(ctx, case, d) {
                    ui.label(RichText::new(k).weak());
                    let v = if v.contains(NOT_COVERED) {
                        RichText::new(v).color(ui.visuals().warn_fg_color)
                    } else {
                        RichText::new(v)
                    };
                    ui.add(egui::Label::new(v).wrap());
                    ui.end_row();
                }
            });
        extra_ui(d, ui);
        source_ui(d, ui);
    });
}

/// The event's fields, named, in the order shown.
fn field_rows(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    d: &EventDetail,
) -> Vec<(&'static str, String)> {
    let r = &d.row;
    let info = &case.info;
    let person = r
        .person_key
        .as_ref()
        .and_then(|k| info.persons.iter().find(|p| &p.key == k));
    let source_zone = parse_zone(&d.source.zone).ok();
    let cats = info.vocabulary.names(CategorySet(r.categories)).join(", ");
    let mut rows: Vec<(&'static str, String)> = vec![
        ("event id", r.id.to_string()),
        (
            "time (UTC)",
            format!("{} UTC", format_in_zone(r.ts_us, chrono_tz::UTC)),
        ),
    ];
    if ctx.zone_name != "UTC" {
        rows.push((
            "time (display zone)",
            format!("{} {}", format_in_zone(r.ts_us, ctx.zone), ctx.zone_name),
        ));
    }
    if let Some(z) = source_zone {
        rows.push((
            "time (source zone)",
            format!("{} {}", format_in_zone(r.ts_us, z), z.name()),
        ));
    }
    rows.push(("raw timestamp", d.raw_ts.clone()));
    let flags = TsFlags(d.ts_flags).describe();
    rows.push((
        "read as",
        if flags.is_empty() {
            "-".into()
        } else {
            flags.join("; ")
        },
    ));
    rows.push((
        "person",
        person.map_or_else(
            || "(unattributed account)".into(),
            |p| match &p.native_name {
                Some(n) => format!("{} ({n})", p.display_name),
                None => p.display_name.clone(),
            },
        ),
    ));
    if let Some(p) = person {
        rows.push((
            "organization",
            format!(
                "{}{}",
                p.organization.clone().unwrap_or_default(),
                p.country
                    .as_ref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default()
            ),
        ));
    }
    rows.push(("account", r.account.clone().unwrap_or_default()));
    rows.push(("source IP", d.src_ip.clone().unwrap_or_default()));
    let system = r.system.clone().unwrap_or_default();
    let storage = info
        .systems
        .iter()
        .find(|s| Some(&s.name) == r.system.as_ref())
        .and_then(|s| s.country.clone())
        .map(|c| format!(" (data stored in {c})"))
        .unwrap_or_default();
    rows.push(("system", format!("{system}{storage}")));
    rows.push(("action", r.action.clone().unwrap_or_default()));
    rows.push(("object", r.object.clone().unwrap_or_default()));
    rows.push(("data categories", cats));
    rows.push((
        "records touched",
        r.records
            .map_or_else(|| "-".into(), |n| format!("{n} records")),
    ));
    let outcome = r.outcome.as_ref().map_or("", |o| o.as_str());
    rows.push(("outcome", outcome.to_string()));
    rows.push(("data subjects", format!("{} subjects", r.subject_count)));
    if let Some(s) = &d.session_key {
        rows.push(("session", s.clone()));
    }
    if let Some(t) = &d.ticket {
        rows.push(("ticket", ticket_text(ctx, case, d, t)));
    }
    rows
}

/// The event's ticket and what the rosters' approvals say about it: a ticket written on an
/// event its approval does not cover must not read as an authorization.
fn ticket_text(ctx: &ViewContext<'_>, case: &OpenCase, d: &EventDetail, ticket: &str) -> String {
    let r = &d.row;
    let info = &case.info;
    let when = |us: i64| format_in_zone(us, ctx.zone);
    let name = |key: &str| {
        info.persons
            .iter()
            .find(|p| p.key == key)
            .map_or_else(|| key.to_string(), |p| p.display_name.clone())
    };
    match ticket_cover(
        &info.approvals,
        ticket,
        r.person_key.as_deref(),
        r.system.as_deref(),
        r.ts_us,
    ) {
        TicketCover::Covers(a) => format!(
            "{ticket} (its approval covers this event: {} on {}, {} – {} {})",
            name(&a.person_key),
            a.system,
            when(a.valid_from_us),
            when(a.valid_to_us),
            ctx.zone_name
        ),
        TicketCover::DoesNotCover(approvals) => {
            let what: Vec<String> = approvals
                .iter()
                .take(3)
                .map(|a| {
                    format!(
                        "approved for {} on {} from {} until {} {}",
                        name(&a.person_key),
                        a.system,
                        when(a.valid_from_us),
                        when(a.valid_to_us),
                        ctx.zone_name
                    )
                })
                .collect();
            format!("ticket {ticket} {NOT_COVERED}: {}", what.join("; "))
        }
        TicketCover::NoApproval => {
            format!("{ticket} (no approval in the rosters carries this ticket)")
        }
    }
}

/// The record's other (unmapped) fields and its data subjects.
fn extra_ui(d: &EventDetail, ui: &mut egui::Ui) {
    if !d.extra.is_empty() {
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!(
                "Other fields ({}, not mapped{})",
                d.extra.len(),
                if d.extra_in_original {
                    "; read from the original record"
                } else {
                    ""
                }
            ))
            .strong(),
        );
        egui::Grid::new("event_extra_fields")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for (k, v) in &d.extra {
                    ui.label(RichText::new(k).weak());
                    let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                    ui.add(egui::Label::new(text).wrap());
                    ui.end_row();
                }
            });
    }
    if !d.subjects.is_empty() {
        ui.collapsing(format!("Subjects ({} subjects)", d.subjects.len()), |ui| {
            for s in d.subjects.iter().take(500) {
                ui.label(RichText::new(s).monospace());
            }
        });
    }
}

/// The source file, line(s), SHA-256 and the raw line(s) as stored.
fn source_ui(d: &EventDetail, ui: &mut egui::Ui) {
    let r = &d.row;
    ui.separator();
    ui.label(RichText::new("Source").strong());
    let lines = if d.line_end > r.line {
        format!("lines {}–{}", r.line, d.line_end)
    } else {
        format!("line {}", r.line)
    };
    ui.label(format!("{}, {lines}", d.source.file_name));
    ui.label(format!(
        "{} · {} · read in {}",
        d.source.format, d.source.encoding, d.source.zone
    ));
    ui.label(
        RichText::new(format!("SHA-256 {}", d.source.sha256))
            .small()
            .monospace(),
    );
    ui.label(RichText::new("Raw source line(s), as stored:").weak());
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.add(egui::Label::new(RichText::new(&d.raw_text).monospace()).wrap());
    });
}
