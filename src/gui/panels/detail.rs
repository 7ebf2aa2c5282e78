//! The detail pane: the selected event's fields, its time in UTC, in the display zone and in
//! its source's zone, the raw timestamp and how it was read, the record's other (unmapped)
//! fields, the source file, line(s) and SHA-256, and the raw source line(s) as stored in the case.

use egui::RichText;

use crate::analysis::approval::{TicketCover, ticket_cover};
use crate::case::EventDetail;
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::i18n::{Lang, format_in_zone};
use crate::model::TsFlags;
use crate::model::category::CategorySet;
use crate::model::time::parse_zone;
use crate::tr;

/// A field: its name, its value, and whether the value is a warning (a ticket whose approval
/// does not cover the event, shown in the warning colour).
type Field = (String, String, bool);

pub fn detail_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let l = ctx.lang;
    ui.heading(tr!(l, "detail-title"));
    let Some((selected_id, _)) = case.view.selected else {
        ui.label(RichText::new(tr!(l, "detail-nothing")).weak());
        return;
    };
    let Some(d) = case.detail.as_ref().filter(|d| d.row.id == selected_id) else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(tr!(l, "detail-loading", id = selected_id.to_string()));
        });
        return;
    };
    ui.horizontal(|ui| {
        if ui
            .button(tr!(l, "detail-previous"))
            .on_hover_text(tr!(l, "detail-previous-tip"))
            .clicked()
        {
            out.push(Command::StepEvent { forward: false });
        }
        if ui
            .button(tr!(l, "detail-next"))
            .on_hover_text(tr!(l, "detail-next-tip"))
            .clicked()
        {
            out.push(Command::StepEvent { forward: true });
        }
        if ui.button(tr!(l, "detail-clear")).clicked() {
            out.push(Command::ClearSelection);
        }
    });
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("event_fields")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for (k, v, warn) in field_rows(ctx, case, d) {
                    ui.label(RichText::new(k).weak());
                    let v = if warn {
                        RichText::new(v).color(ui.visuals().warn_fg_color)
                    } else {
                        RichText::new(v)
                    };
                    ui.add(egui::Label::new(v).wrap());
                    ui.end_row();
                }
            });
        extra_ui(l, d, ui);
        source_ui(l, d, ui);
    });
}

/// The event's fields, named, in the order shown.
fn field_rows(ctx: &ViewContext<'_>, case: &OpenCase, d: &EventDetail) -> Vec<Field> {
    let l = ctx.lang;
    let r = &d.row;
    let info = &case.info;
    let person = r
        .person_key
        .as_ref()
        .and_then(|k| info.persons.iter().find(|p| &p.key == k));
    let source_zone = parse_zone(&d.source.zone).ok();
    let cats = crate::i18n::category_list(l, &info.vocabulary.names(CategorySet(r.categories)));
    let mut rows: Vec<(&'static str, String)> = vec![
        ("detail-event-id", r.id.to_string()),
        (
            "detail-time-utc",
            with_zone(l, format_in_zone(l, r.ts_us, chrono_tz::UTC), "UTC"),
        ),
    ];
    if ctx.zone_name != "UTC" {
        rows.push((
            "detail-time-display",
            with_zone(l, format_in_zone(l, r.ts_us, ctx.zone), ctx.zone_name),
        ));
    }
    if let Some(z) = source_zone {
        rows.push((
            "detail-time-source",
            with_zone(l, format_in_zone(l, r.ts_us, z), z.name()),
        ));
    }
    rows.push(("detail-raw-timestamp", d.raw_ts.clone()));
    let flags: Vec<String> = TsFlags(d.ts_flags)
        .describe_ids()
        .into_iter()
        .map(|id| crate::i18n::t(l, id))
        .collect();
    rows.push((
        "detail-read-as",
        if flags.is_empty() {
            "-".into()
        } else {
            flags.join(&tr!(l, "analysis-list-separator"))
        },
    ));
    rows.push((
        "detail-person",
        person.map_or_else(
            || tr!(l, "detail-unattributed"),
            |p| match &p.native_name {
                Some(n) => format!("{} ({n})", p.display_name),
                None => p.display_name.clone(),
            },
        ),
    ));
    if let Some(p) = person {
        rows.push((
            "detail-organization",
            format!(
                "{}{}",
                p.organization.clone().unwrap_or_default(),
                p.country
                    .as_ref()
                    .map(|c| format!(" ({})", crate::i18n::country(l, c)))
                    .unwrap_or_default()
            ),
        ));
    }
    rows.push(("detail-account", r.account.clone().unwrap_or_default()));
    rows.push(("detail-source-ip", d.src_ip.clone().unwrap_or_default()));
    let system = r.system.clone().unwrap_or_default();
    let storage = info
        .systems
        .iter()
        .find(|s| Some(&s.name) == r.system.as_ref())
        .and_then(|s| s.country.clone())
        .map(|c| tr!(l, "detail-stored-in", country = crate::i18n::country(l, &c)))
        .unwrap_or_default();
    rows.push(("detail-system", format!("{system}{storage}")));
    rows.push(("detail-action", r.action.clone().unwrap_or_default()));
    rows.push(("detail-object", r.object.clone().unwrap_or_default()));
    rows.push(("detail-categories", cats));
    rows.push((
        "detail-records",
        r.records
            .map_or_else(|| "-".into(), |n| tr!(l, "count-records", count = n)),
    ));
    let outcome = r.outcome.as_ref().map_or("", |o| o.as_str());
    rows.push(("detail-outcome", crate::i18n::outcome_name(l, outcome)));
    rows.push((
        "detail-subjects",
        tr!(l, "count-subjects", count = r.subject_count),
    ));
    if let Some(s) = &d.session_key {
        rows.push(("detail-session", s.clone()));
    }
    let mut fields: Vec<Field> = rows
        .into_iter()
        .map(|(k, v)| (crate::i18n::t(l, k), v, false))
        .collect();
    if let Some(t) = &d.ticket {
        let (text, warn) = ticket_text(ctx, case, d, t);
        fields.push((tr!(l, "detail-ticket"), text, warn));
    }
    fields
}

/// A time and its zone's name, as the language writes them together.
fn with_zone(l: Lang, time: String, zone: &str) -> String {
    // The Japanese form already ends with the abbreviation, which for UTC is the name.
    if time.ends_with(zone) {
        return time;
    }
    tr!(l, "detail-time-in-zone", time = time, zone = zone)
}

/// The event's ticket and what the rosters' approvals say about it: a ticket written on an
/// event its approval does not cover must not read as an authorization.
fn ticket_text(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    d: &EventDetail,
    ticket: &str,
) -> (String, bool) {
    let l = ctx.lang;
    let r = &d.row;
    let info = &case.info;
    let when = |us: i64| format_in_zone(l, us, ctx.zone);
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
        TicketCover::Covers(a) => (
            tr!(
                l,
                "detail-ticket-covers",
                ticket = ticket,
                person = name(&a.person_key),
                system = a.system.as_str(),
                from = when(a.valid_from_us),
                to = when(a.valid_to_us),
                zone = ctx.zone_name
            ),
            false,
        ),
        TicketCover::DoesNotCover(approvals) => {
            let what: Vec<String> = approvals
                .iter()
                .take(3)
                .map(|a| {
                    tr!(
                        l,
                        "detail-ticket-approved-for",
                        person = name(&a.person_key),
                        system = a.system.as_str(),
                        from = when(a.valid_from_us),
                        to = when(a.valid_to_us),
                        zone = ctx.zone_name
                    )
                })
                .collect();
            (
                tr!(
                    l,
                    "detail-ticket-not-covered",
                    ticket = ticket,
                    approvals = what.join("; ")
                ),
                true,
            )
        }
        TicketCover::NoApproval => (tr!(l, "detail-ticket-no-approval", ticket = ticket), false),
    }
}

/// The record's other (unmapped) fields and its data subjects.
fn extra_ui(l: Lang, d: &EventDetail, ui: &mut egui::Ui) {
    if !d.extra.is_empty() {
        ui.add_space(4.0);
        let title = if d.extra_in_original {
            tr!(l, "detail-other-fields-original", count = d.extra.len())
        } else {
            tr!(l, "detail-other-fields", count = d.extra.len())
        };
        ui.label(RichText::new(title).strong());
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
        ui.collapsing(
            tr!(l, "detail-subjects-list", count = d.subjects.len()),
            |ui| {
                for s in d.subjects.iter().take(500) {
                    ui.label(RichText::new(s).monospace());
                }
            },
        );
    }
}

/// The source file, line(s), SHA-256 and the raw line(s) as stored.
fn source_ui(l: Lang, d: &EventDetail, ui: &mut egui::Ui) {
    let r = &d.row;
    ui.separator();
    ui.label(RichText::new(tr!(l, "detail-source")).strong());
    let lines = if d.line_end > r.line {
        tr!(l, "detail-lines", first = r.line, last = d.line_end)
    } else {
        tr!(l, "detail-line", line = r.line)
    };
    ui.label(format!("{}, {lines}", d.source.file_name));
    ui.label(tr!(
        l,
        "detail-read",
        format = d.source.format.as_str(),
        encoding = d.source.encoding.as_str(),
        zone = d.source.zone.as_str()
    ));
    ui.label(
        RichText::new(format!("SHA-256 {}", d.source.sha256))
            .small()
            .monospace(),
    );
    ui.label(RichText::new(tr!(l, "detail-raw")).weak());
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.add(egui::Label::new(RichText::new(&d.raw_text).monospace()).wrap());
    });
}
