//! The person page window: identity, counts in named units, categories, systems, monthly and
//! weekday × hour charts, approvals, sessions (expandable to events that link to the
//! timeline), and two or more people side by side. Reads the open case's lookup state; sends
//! commands.

use egui::{Color32, RichText, Sense, Vec2};

use crate::analysis::findings::Finding;
use crate::analysis::findings::triage::FindingFilter;
use crate::analysis::person::{ActivityChart, PersonPage};
use crate::analysis::rejects::MentionKind;
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::gui::findings::FindingsCommand;
use crate::gui::lookup::LookupCommand;
use crate::gui::rejects::RejectsCommand;
use crate::i18n::{Lang, format_in_zone};
use crate::tr;

/// What the window keeps for itself: the search text.
#[derive(Default)]
pub struct PersonPanel {
    pub search: String,
}

const WEEKDAYS: [chrono::Weekday; 7] = [
    chrono::Weekday::Mon,
    chrono::Weekday::Tue,
    chrono::Weekday::Wed,
    chrono::Weekday::Thu,
    chrono::Weekday::Fri,
    chrono::Weekday::Sat,
    chrono::Weekday::Sun,
];

impl PersonPanel {
    pub fn window_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let l = &case.lookup;
        let lang = ctx.lang;
        if l.persons.is_empty() {
            return;
        }
        let mut open = true;
        let title = if l.persons.len() > 1 {
            let people = tr!(lang, "count-people", count = l.persons.len());
            tr!(lang, "person-compare-title", people = people)
        } else {
            let name = case
                .info
                .persons
                .iter()
                .find(|p| p.key == l.persons[0])
                .map_or(l.persons[0].clone(), |p| p.display_name.clone());
            tr!(lang, "person-title", name = name)
        };
        egui::Window::new(title)
            .constrain_to(super::desk(ui.ctx()))
            .id(egui::Id::unique("person-window"))
            .open(&mut open)
            .default_size([820.0, 620.0])
            .resizable(true)
            .show(ui.ctx(), |ui| {
                // One scroll position per set of persons shown: another person opens at the
                // top, not at the previous one's offset.
                egui::ScrollArea::vertical()
                    .id_salt(("person-page", l.persons.join(",")))
                    .auto_shrink([false, false])
                    .show(ui, |ui| self.page_body_ui(ctx, case, ui, out));
            });
        if !open {
            out.push(Command::Lookup(LookupCommand::CloseAllPersons));
        }
    }

    fn page_body_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let l = &case.lookup;
        self.controls_ui(ctx, case, ui, out);
        if let Some(e) = &l.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.separator();
        let pages: Vec<&PersonPage> = l.persons.iter().filter_map(|k| l.pages.get(k)).collect();
        if pages.len() < l.persons.len() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(tr!(ctx.lang, "person-computing"));
            });
        }
        if pages.len() > 1 {
            compare_ui(
                ctx,
                &pages,
                l.gap_minutes,
                l.charts_in_display_zone,
                ui,
                out,
            );
        } else if let Some(page) = pages.first() {
            page_ui(ctx, case, page, l.charts_in_display_zone, ui, out);
        }
    }

    fn controls_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let l = &case.lookup;
        let lang = ctx.lang;
        ui.horizontal_wrapped(|ui| {
            ui.label(tr!(lang, "person-session-gap"));
            let mut gap = l.gap_minutes;
            let r = ui.add(
                egui::DragValue::new(&mut gap)
                    .range(1..=10080)
                    .suffix(tr!(lang, "person-minutes-suffix")),
            );
            if r.changed() {
                out.push(Command::Lookup(LookupCommand::SetGapMinutes(gap)));
            }
            r.on_hover_text(tr!(lang, "person-session-gap-tip"));
            ui.separator();
            ui.label(tr!(lang, "person-charts-in"));
            if ui
                .radio(
                    !l.charts_in_display_zone,
                    tr!(lang, "person-charts-own-zone"),
                )
                .clicked()
            {
                out.push(Command::Lookup(LookupCommand::ChartsInDisplayZone(false)));
            }
            if ui
                .radio(
                    l.charts_in_display_zone,
                    tr!(lang, "person-charts-display-zone", zone = ctx.zone_name),
                )
                .clicked()
            {
                out.push(Command::Lookup(LookupCommand::ChartsInDisplayZone(true)));
            }
            ui.separator();
            ui.menu_button(tr!(lang, "person-compare-with"), |ui| {
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        for p in &case.info.persons {
                            if l.persons.contains(&p.key) {
                                continue;
                            }
                            if ui.button(format!("{} {}", p.key, p.display_name)).clicked() {
                                out.push(Command::Lookup(LookupCommand::ComparePerson(
                                    p.key.clone(),
                                )));
                                ui.close();
                            }
                        }
                    });
            });
            ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text(tr!(lang, "person-find-hint"))
                    .desired_width(200.0),
            );
        });
        let needle = self.search.trim().to_lowercase();
        if !needle.is_empty() {
            ui.horizontal_wrapped(|ui| {
                for p in case.info.persons.iter().filter(|p| {
                    p.key.to_lowercase().contains(&needle)
                        || p.display_name.to_lowercase().contains(&needle)
                        || p.native_name
                            .as_deref()
                            .is_some_and(|n| n.contains(self.search.trim()))
                        || p.accounts
                            .iter()
                            .any(|a| a.to_lowercase().contains(&needle))
                }) {
                    if ui.button(format!("{} {}", p.key, p.display_name)).clicked() {
                        out.push(Command::Lookup(LookupCommand::OpenPerson(p.key.clone())));
                    }
                }
            });
        }
    }
}

/// Counts with their units, as (label, value) rows.
fn count_rows(l: Lang, page: &PersonPage) -> Vec<(String, String)> {
    let f = &page.figures;
    let sessions = tr!(l, "count-sessions", count = f.sessions);
    let days = tr!(l, "count-days", count = f.active_days);
    vec![
        (
            tr!(l, "person-access-events"),
            tr!(l, "count-events", count = f.access_events),
        ),
        (
            tr!(l, "person-refused-attempts"),
            tr!(l, "count-events", count = f.refused_events),
        ),
        (
            tr!(l, "person-sessions"),
            tr!(
                l,
                "person-sessions-value",
                sessions = sessions,
                covered = page.covered_sessions,
                uncovered = page.uncovered_sessions
            ),
        ),
        (
            tr!(l, "person-active-days"),
            tr!(l, "person-active-days-value", days = days, zone = &f.zone),
        ),
        (
            tr!(l, "person-systems"),
            tr!(l, "count-systems", count = f.systems.len()),
        ),
        (
            tr!(l, "person-data-categories"),
            tr!(l, "count-categories", count = f.categories.len()),
        ),
        (
            tr!(l, "person-data-subjects"),
            tr!(l, "count-distinct-subjects", count = f.distinct_subjects),
        ),
        (
            tr!(l, "person-records-touched"),
            tr!(l, "count-records", count = f.records),
        ),
    ]
}

fn time_text(ctx: &ViewContext<'_>, us: Option<i64>) -> String {
    us.map_or("—".into(), |t| {
        format!(
            "{} ({})",
            format_in_zone(ctx.lang, t, ctx.zone),
            ctx.zone_name
        )
    })
}

fn page_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    page: &PersonPage,
    display_zone_charts: bool,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let p = &page.person;
    let l = ctx.lang;
    ui.heading(format!(
        "{} {}  {}",
        p.key,
        p.display_name,
        p.native_name.as_deref().unwrap_or("")
    ));
    egui::Grid::new("person-identity")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
            for (k, v) in [
                (tr!(l, "person-organization"), opt(&p.organization)),
                (
                    tr!(l, "person-country"),
                    p.country
                        .as_deref()
                        .map_or("—".into(), |c| crate::i18n::country_field(l, c)),
                ),
                (tr!(l, "person-role"), opt(&p.role)),
                (tr!(l, "person-own-zone"), page.figures.zone.clone()),
                (tr!(l, "person-accounts"), p.accounts.join(", ")),
            ] {
                ui.label(k);
                ui.label(v);
                ui.end_row();
            }
            if !page.lookalike_accounts.is_empty() {
                ui.label(tr!(l, "person-lookalike"));
                ui.label(
                    RichText::new(tr!(
                        l,
                        "person-lookalike-value",
                        accounts = page.lookalike_accounts.join(", ")
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
                ui.end_row();
            }
            ui.label(tr!(l, "person-first-access"));
            ui.label(time_text(ctx, page.figures.first_access_us));
            ui.end_row();
            ui.label(tr!(l, "person-last-access"));
            ui.label(time_text(ctx, page.figures.last_access_us));
            ui.end_row();
            for (k, v) in count_rows(l, page) {
                ui.label(k);
                ui.label(RichText::new(v).strong());
                ui.end_row();
            }
        });
    session_rule_ui(ctx, case, ui);
    rejected_rows_ui(l, page, ui, out);
    ui.add_space(6.0);
    ui.columns(2, |cols| {
        cols[0].strong(tr!(l, "person-categories-heading"));
        for (c, n) in &page.category_events {
            let events = tr!(l, "count-events", count = *n);
            cols[0].label(tr!(
                l,
                "person-category-events",
                category = crate::i18n::category_name(l, &c.to_string()),
                events = events
            ));
        }
        cols[1].strong(tr!(l, "person-systems-heading"));
        for (s, country, n) in &page.system_events {
            let events = tr!(l, "count-events", count = *n);
            cols[1].label(tr!(
                l,
                "person-system-events",
                system = s.to_string(),
                country = crate::i18n::country_or_unknown(l, country.as_deref()),
                events = events
            ));
        }
    });
    ui.add_space(6.0);
    let chart = if display_zone_charts {
        &page.display_zone_chart
    } else {
        &page.own_zone_chart
    };
    let max_month = chart.monthly_events.iter().map(|m| m.1).max().unwrap_or(1);
    let max_cell = chart
        .weekday_hour_events
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(1);
    let months = month_range(&[chart]);
    charts_ui(l, chart, &months, max_month, max_cell, ui);
    ui.add_space(6.0);
    approvals_ui(ctx, case, page, ui, out);
    ui.add_space(6.0);
    refused_ui(ctx, page, ui, out);
    ui.add_space(6.0);
    findings_ui(ctx, case, page, ui, out);
    ui.add_space(6.0);
    sessions_ui(ctx, page, ui, out);
}

/// The session rule in words, for the gap chosen above.
fn session_rule_ui(ctx: &ViewContext<'_>, case: &OpenCase, ui: &mut egui::Ui) {
    ui.label(
        RichText::new(tr!(
            ctx.lang,
            "person-session-rule",
            gap = case.lookup.gap_minutes.to_string()
        ))
        .weak(),
    );
}

/// The rejected rows that mention the person or their accounts: in no count above, so the
/// counts are at least; a link to the rejects viewer.
fn rejected_rows_ui(l: Lang, page: &PersonPage, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let rows = &page.rejected_rows;
    let Some(first) = rows.first() else { return };
    let accounts = rows.iter().all(|r| {
        r.mentions.iter().any(|m| {
            m.kind == MentionKind::Account
                && m.person_key.as_deref() == Some(page.person.key.as_str())
        })
    });
    let text = tr!(
        l,
        "person-rejected-rows",
        count = rows.len(),
        accounts = if accounts { "yes" } else { "no" }
    );
    let places: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{}: {}",
                r.place(),
                crate::i18n::reject_reason(l, &r.row.reason)
            )
        })
        .collect();
    let link = ui
        .link(RichText::new(text).color(ui.visuals().warn_fg_color))
        .on_hover_text(places.join("\n"));
    if link.clicked() {
        out.push(Command::Rejects(if rows.len() == 1 {
            RejectsCommand::ShowRow {
                source: first.row.source_id,
                line: first.row.line,
            }
        } else {
            RejectsCommand::Show {
                source: None,
                mentions_only: true,
            }
        }));
    }
}

/// The person's refused attempts (denied or failed), each a link to the event.
fn refused_ui(ctx: &ViewContext<'_>, page: &PersonPage, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let n = page.figures.refused_events;
    let l = ctx.lang;
    ui.strong(tr!(
        l,
        "person-refused-heading",
        count = n,
        zone = ctx.zone_name
    ));
    if page.refused_attempts.is_empty() {
        ui.label(RichText::new(tr!(l, "person-none-recorded")).weak());
        return;
    }
    egui::Grid::new(("person-refused", &page.person.key))
        .num_columns(5)
        .striped(true)
        .show(ui, |ui| {
            for h in [
                tr!(l, "person-col-time"),
                tr!(l, "person-col-system"),
                tr!(l, "person-col-action"),
                tr!(l, "person-col-outcome"),
                tr!(l, "person-col-event"),
            ] {
                ui.label(RichText::new(h).small().strong());
            }
            ui.end_row();
            for e in &page.refused_attempts {
                ui.label(format_in_zone(l, e.ts_us, ctx.zone));
                ui.label(e.system.as_deref().unwrap_or("?"));
                ui.label(format!(
                    "{} {}",
                    e.action.as_deref().unwrap_or(""),
                    e.object.as_deref().unwrap_or("")
                ));
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    e.outcome
                        .as_ref()
                        .map_or("—".into(), |o| crate::i18n::outcome_name(l, o.as_str())),
                );
                if ui
                    .link(format!("#{}", e.id))
                    .on_hover_text(tr!(l, "person-event-link-tip"))
                    .clicked()
                {
                    out.push(Command::SelectEvent {
                        id: e.id,
                        ts_us: e.ts_us,
                        scroll_table: true,
                    });
                }
                ui.end_row();
            }
        });
    if page.refused_attempts.len() < n {
        ui.label(
            RichText::new(tr!(
                l,
                "person-refused-first",
                count = page.refused_attempts.len()
            ))
            .weak(),
        );
    }
}

/// A person page lists at most this many of the person's findings.
const FINDINGS_LISTED: usize = 50;

/// The findings that name the person: rule, severity, systems, period, status; each opens
/// the findings window on it.
fn findings_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    page: &PersonPage,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let key = page.person.key.as_str();
    let l = ctx.lang;
    let Some(set) = &case.findings.set else {
        ui.horizontal(|ui| {
            ui.strong(tr!(l, "person-findings"));
            if case.findings.is_busy() {
                ui.spinner();
                ui.label(tr!(l, "person-rules-running"));
            } else if ui.button(tr!(l, "person-run-rules")).clicked() {
                out.push(Command::Findings(FindingsCommand::Rerun));
            }
        });
        return;
    };
    let mine: Vec<&Finding> = set
        .findings
        .iter()
        .filter(|f| f.person_keys.iter().any(|k| k == key))
        .collect();
    ui.strong(tr!(
        l,
        "person-findings-heading",
        count = mine.len(),
        zone = ctx.zone_name
    ));
    if mine.is_empty() {
        ui.label(RichText::new(tr!(l, "person-no-findings")).weak());
        return;
    }
    if ui
        .link(tr!(l, "person-open-findings"))
        .on_hover_text(tr!(l, "person-open-findings-tip"))
        .clicked()
    {
        out.push(Command::Findings(FindingsCommand::FilterRule(None)));
        out.push(Command::Findings(FindingsCommand::SetFilter(
            FindingFilter {
                persons: vec![key.to_string()],
                ..FindingFilter::default()
            },
        )));
        out.push(Command::Findings(FindingsCommand::Show(true)));
    }
    // Inline, not in a scroll area of its own: a nested one would take the page's wheel.
    egui::Grid::new(("person-findings-grid", key))
        .num_columns(5)
        .striped(true)
        .show(ui, |ui| {
            for h in [
                tr!(l, "person-col-rule"),
                tr!(l, "person-col-severity"),
                tr!(l, "person-col-system"),
                tr!(l, "person-col-period"),
                tr!(l, "person-col-status"),
            ] {
                ui.label(RichText::new(h).small().strong());
            }
            ui.end_row();
            for f in mine.iter().take(FINDINGS_LISTED) {
                let rule = ui.link(f.rule.name_in(l)).on_hover_text(tr!(
                    l,
                    "person-finding-tip",
                    title = f.title_in(l)
                ));
                if rule.clicked() {
                    out.push(Command::Findings(FindingsCommand::Show(true)));
                    out.push(Command::Findings(FindingsCommand::Select(Some(
                        f.key.clone(),
                    ))));
                }
                ui.label(crate::analysis::findings::severity_in(l, f.severity));
                ui.label(f.systems.join(", "));
                ui.label(format!(
                    "{} → {}",
                    format_in_zone(l, f.start_us, ctx.zone),
                    format_in_zone(l, f.end_us, ctx.zone)
                ));
                ui.label(crate::analysis::findings::status_in(l, f.status()));
                ui.end_row();
            }
        });
    if mine.len() > FINDINGS_LISTED {
        ui.label(
            RichText::new(tr!(
                l,
                "person-findings-first",
                shown = FINDINGS_LISTED,
                count = mine.len()
            ))
            .weak(),
        );
    }
}

/// Every month from the first to the last month any chart has, as `YYYY-MM`.
fn month_range(charts: &[&ActivityChart]) -> Vec<String> {
    let mut all: Vec<&String> = charts
        .iter()
        .flat_map(|c| c.monthly_events.iter().map(|m| &m.0))
        .collect();
    all.sort();
    let (Some(first), Some(last)) = (all.first(), all.last()) else {
        return Vec::new();
    };
    let parse = |s: &str| -> (i32, u32) {
        let (y, m) = s.split_once('-').unwrap_or(("1970", "1"));
        (y.parse().unwrap_or(1970), m.parse().unwrap_or(1))
    };
    let (mut y, mut m) = parse(first);
    let end = parse(last);
    let mut out = Vec::new();
    while (y, m) <= end && out.len() < 1200 {
        out.push(format!("{y:04}-{m:02}"));
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    out
}

/// The monthly bars and the weekday × hour heat map, in the chart's zone.
fn charts_ui(
    l: Lang,
    chart: &ActivityChart,
    months: &[String],
    max_month: usize,
    max_cell: u32,
    ui: &mut egui::Ui,
) {
    let accent = ui.visuals().selection.bg_fill;
    ui.strong(tr!(l, "person-per-month", zone = &chart.zone));
    let width = ui.available_width().clamp(200.0, 760.0);
    let (rect, resp) = ui.allocate_exact_size(Vec2::new(width, 70.0), Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_stroke(
        rect,
        0.0,
        ui.visuals().widgets.noninteractive.bg_stroke,
        egui::StrokeKind::Inside,
    );
    let counts: std::collections::HashMap<&str, usize> = chart
        .monthly_events
        .iter()
        .map(|(m, n)| (m.as_str(), *n))
        .collect();
    let n = months.len().max(1);
    let bar_w = rect.width() / n as f32;
    for (i, m) in months.iter().enumerate() {
        let v = counts.get(m.as_str()).copied().unwrap_or(0);
        if v == 0 {
            continue;
        }
        let h = (v as f32 / max_month.max(1) as f32) * (rect.height() - 4.0);
        let x = rect.left() + i as f32 * bar_w;
        painter.rect_filled(
            egui::Rect::from_min_max(
                egui::pos2(x + 0.5, rect.bottom() - h),
                egui::pos2(x + bar_w.max(1.5) - 0.5, rect.bottom()),
            ),
            0.0,
            accent,
        );
    }
    if let Some(pos) = resp.hover_pos() {
        let i = (((pos.x - rect.left()) / bar_w) as usize).min(n - 1);
        if let Some(m) = months.get(i) {
            let v = counts.get(m.as_str()).copied().unwrap_or(0);
            let events = tr!(l, "count-access-events", count = v);
            resp.on_hover_text(tr!(
                l,
                "person-month-tip",
                month = m,
                events = events,
                zone = &chart.zone
            ));
        }
    }
    if let (Some(a), Some(b)) = (months.first(), months.last()) {
        ui.horizontal(|ui| {
            ui.label(RichText::new(a).small().weak());
            ui.label(
                RichText::new(tr!(
                    l,
                    "person-tallest-bar",
                    last = b,
                    events = tr!(l, "count-events", count = max_month)
                ))
                .small()
                .weak(),
            );
        });
    }
    weekday_hour_ui(l, chart, width, max_cell, ui);
}

/// The weekday × hour heat map.
fn weekday_hour_ui(l: Lang, chart: &ActivityChart, width: f32, max_cell: u32, ui: &mut egui::Ui) {
    let accent = ui.visuals().selection.bg_fill;
    ui.strong(tr!(l, "person-weekday-hour", zone = &chart.zone));
    let cell = Vec2::new(((width - 40.0) / 24.0).min(22.0), 14.0);
    let (rect, resp) = ui.allocate_exact_size(
        Vec2::new(40.0 + cell.x * 24.0, cell.y * 7.0 + 14.0),
        Sense::hover(),
    );
    let painter = ui.painter_at(rect);
    let text_color = ui.visuals().text_color();
    let font = egui::FontId::proportional(10.0);
    for (d, row) in chart.weekday_hour_events.iter().enumerate() {
        let y = rect.top() + d as f32 * cell.y;
        painter.text(
            egui::pos2(rect.left(), y + cell.y / 2.0),
            egui::Align2::LEFT_CENTER,
            crate::i18n::weekday(l, WEEKDAYS[d]),
            font.clone(),
            text_color,
        );
        for (h, v) in row.iter().enumerate() {
            let x = rect.left() + 40.0 + h as f32 * cell.x;
            let r = egui::Rect::from_min_size(egui::pos2(x, y), cell).shrink(0.5);
            let a = if *v == 0 {
                0.0
            } else {
                0.15 + 0.85 * (*v as f32 / max_cell.max(1) as f32)
            };
            painter.rect_filled(r, 1.0, ui.visuals().faint_bg_color);
            if a > 0.0 {
                painter.rect_filled(r, 1.0, accent.gamma_multiply(a));
            }
        }
    }
    for h in (0..24).step_by(3) {
        painter.text(
            egui::pos2(rect.left() + 40.0 + h as f32 * cell.x, rect.bottom()),
            egui::Align2::LEFT_BOTTOM,
            format!("{h:02}"),
            font.clone(),
            text_color,
        );
    }
    if let Some(pos) = resp.hover_pos() {
        let h = ((pos.x - rect.left() - 40.0) / cell.x).floor();
        let d = ((pos.y - rect.top()) / cell.y).floor();
        if (0.0..24.0).contains(&h) && (0.0..7.0).contains(&d) {
            let v = chart.weekday_hour_events[d as usize][h as usize];
            let hour = h as u32;
            resp.on_hover_text(tr!(
                l,
                "person-cell-tip",
                weekday = crate::i18n::weekday(l, WEEKDAYS[d as usize]),
                from = format!("{hour:02}:00"),
                to = format!("{hour:02}:59"),
                zone = &chart.zone,
                events = tr!(l, "count-access-events", count = v)
            ));
        }
    }
}

fn approvals_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    page: &PersonPage,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let l = ctx.lang;
    let approvals = tr!(l, "count-approvals", count = page.approvals.len());
    ui.strong(tr!(l, "person-approvals-heading", approvals = approvals));
    if page.approvals.is_empty() {
        ui.label(RichText::new(tr!(l, "person-none-recorded")).weak());
        return;
    }
    egui::Grid::new("person-approvals")
        .num_columns(6)
        .striped(true)
        .show(ui, |ui| {
            for h in [
                tr!(l, "person-col-ticket"),
                tr!(l, "person-col-system"),
                tr!(l, "person-col-valid-from", zone = ctx.zone_name),
                tr!(l, "person-col-valid-to", zone = ctx.zone_name),
                tr!(l, "person-col-approver"),
                tr!(l, "person-col-overseer"),
            ] {
                ui.label(RichText::new(h).small().strong());
            }
            ui.end_row();
            for a in &page.approvals {
                ui.label(a.ticket.as_deref().unwrap_or("—"));
                ui.label(&a.system);
                ui.label(format_in_zone(l, a.valid_from_us, ctx.zone));
                ui.label(format_in_zone(l, a.valid_to_us, ctx.zone));
                person_link_ui(case, a.approver_key.as_deref(), ui, out);
                person_link_ui(case, a.overseer_key.as_deref(), ui, out);
                ui.end_row();
            }
        });
}

/// A person named by key in the rosters: their name, a link to their page, the key on hover.
fn person_link_ui(case: &OpenCase, key: Option<&str>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let Some(key) = key else {
        ui.label("—");
        return;
    };
    match case.info.persons.iter().find(|p| p.key == key) {
        Some(p) => {
            if ui
                .link(&p.display_name)
                .on_hover_text(tr!(
                    crate::gui::lang::of(ui.ctx()),
                    "person-open-page-tip",
                    key = key
                ))
                .clicked()
            {
                out.push(Command::Lookup(LookupCommand::OpenPerson(p.key.clone())));
            }
        }
        None => {
            ui.label(key);
        }
    }
}

fn sessions_ui(
    ctx: &ViewContext<'_>,
    page: &PersonPage,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let l = ctx.lang;
    let sessions = tr!(l, "count-sessions", count = page.sessions.len());
    ui.strong(tr!(
        l,
        "person-sessions-heading",
        sessions = sessions,
        zone = ctx.zone_name
    ));
    let ok = Color32::from_rgb(0x2c, 0xa0, 0x2c);
    let bad = ui.visuals().error_fg_color;
    for (i, s) in page.sessions.iter().enumerate() {
        let cover = if s.covered {
            let tickets = s.tickets.iter().cloned().collect::<Vec<_>>().join(", ");
            RichText::new(tr!(l, "person-covered", tickets = tickets)).color(ok)
        } else {
            RichText::new(tr!(l, "person-not-covered")).color(bad)
        };
        let head = format!(
            "#{} {} → {} · {} · {} · {} · {}",
            i + 1,
            format_in_zone(l, s.start_us, ctx.zone),
            format_in_zone(l, s.end_us, ctx.zone),
            tr!(l, "count-events", count = s.events),
            tr!(l, "count-subjects", count = s.distinct_subjects),
            tr!(l, "count-records", count = s.records),
            s.systems.iter().cloned().collect::<Vec<_>>().join(", ")
        );
        ui.horizontal(|ui| {
            egui::CollapsingHeader::new(head)
                .id_salt(("session", &page.person.key, i))
                .show(ui, |ui| {
                    if !page.events_listed {
                        // Too many events to list on the page: the timeline has them.
                        if ui
                            .link(tr!(
                                l,
                                "person-show-first",
                                events = tr!(l, "count-events", count = s.events)
                            ))
                            .clicked()
                        {
                            out.push(Command::SelectEvent {
                                id: s.first_event_id,
                                ts_us: s.start_us,
                                scroll_table: true,
                            });
                        }
                    }
                    for id in &s.event_ids {
                        let Some(e) = page.event(*id) else { continue };
                        let text = format!(
                            "{}  {}  {}  {}  {}",
                            format_in_zone(l, e.ts_us, ctx.zone),
                            e.system.as_deref().unwrap_or("?"),
                            e.action.as_deref().unwrap_or(""),
                            e.object.as_deref().unwrap_or(""),
                            tr!(l, "count-records", count = e.records.unwrap_or(0))
                        );
                        if ui
                            .link(text)
                            .on_hover_text(tr!(
                                l,
                                "person-session-event-tip",
                                id = e.id.to_string()
                            ))
                            .clicked()
                        {
                            out.push(Command::SelectEvent {
                                id: e.id,
                                ts_us: e.ts_us,
                                scroll_table: true,
                            });
                        }
                    }
                });
            ui.label(cover);
        });
    }
}

fn compare_ui(
    ctx: &ViewContext<'_>,
    pages: &[&PersonPage],
    gap_minutes: i64,
    display_zone_charts: bool,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let l = ctx.lang;
    egui::Grid::new("person-compare")
        .num_columns(pages.len() + 1)
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            for p in pages {
                ui.vertical(|ui| {
                    ui.strong(format!("{} {}", p.person.key, p.person.display_name));
                    ui.horizontal(|ui| {
                        if ui.small_button(tr!(l, "person-page-button")).clicked() {
                            out.push(Command::Lookup(LookupCommand::OpenPerson(
                                p.person.key.clone(),
                            )));
                        }
                        if ui.small_button(tr!(l, "person-remove-button")).clicked() {
                            out.push(Command::Lookup(LookupCommand::ClosePerson(
                                p.person.key.clone(),
                            )));
                        }
                    });
                });
            }
            ui.end_row();
            ui.label(tr!(l, "person-organization"));
            for p in pages {
                ui.label(p.person.organization.as_deref().unwrap_or("—"));
            }
            ui.end_row();
            ui.label(tr!(l, "person-first-access"));
            for p in pages {
                ui.label(time_text(ctx, p.figures.first_access_us));
            }
            ui.end_row();
            ui.label(tr!(l, "person-last-access"));
            for p in pages {
                ui.label(time_text(ctx, p.figures.last_access_us));
            }
            ui.end_row();
            let rows: Vec<Vec<(String, String)>> = pages.iter().map(|p| count_rows(l, p)).collect();
            for r in 0..rows[0].len() {
                ui.label(&rows[0][r].0);
                for row in &rows {
                    ui.label(&row[r].1);
                }
                ui.end_row();
            }
        });
    ui.label(RichText::new(tr!(l, "person-session-rule", gap = gap_minutes.to_string())).weak());
    // Charts on one month axis and one scale, so heights compare.
    let charts: Vec<&ActivityChart> = pages
        .iter()
        .map(|p| {
            if display_zone_charts {
                &p.display_zone_chart
            } else {
                &p.own_zone_chart
            }
        })
        .collect();
    let months = month_range(&charts);
    let max_month = charts
        .iter()
        .flat_map(|c| c.monthly_events.iter().map(|m| m.1))
        .max()
        .unwrap_or(1);
    let max_cell = charts
        .iter()
        .flat_map(|c| c.weekday_hour_events.iter().flatten().copied())
        .max()
        .unwrap_or(1);
    for (p, c) in pages.iter().zip(&charts) {
        ui.separator();
        ui.strong(format!("{} {}", p.person.key, p.person.display_name));
        charts_ui(l, c, &months, max_month, max_cell, ui);
    }
}
