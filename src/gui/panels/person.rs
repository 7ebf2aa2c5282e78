//! The person page window: identity, counts in named units, categories, systems, monthly and
//! weekday × hour charts, approvals, sessions (expandable to events that link to the
//! timeline), and two or more people side by side. Reads the open case's lookup state; sends
//! commands.

use egui::{Color32, RichText, Sense, Vec2};

use crate::analysis::findings::Finding;
use crate::analysis::person::{ActivityChart, PersonPage};
use crate::analysis::rejects::MentionKind;
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::gui::findings::FindingsCommand;
use crate::gui::lookup::LookupCommand;
use crate::gui::rejects::RejectsCommand;
use crate::model::time::format_in_zone;

/// What the window keeps for itself: the search text.
#[derive(Default)]
pub struct PersonPanel {
    pub search: String,
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

impl PersonPanel {
    pub fn window_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let l = &case.lookup;
        if l.persons.is_empty() {
            return;
        }
        let mut open = true;
        let title = if l.persons.len() > 1 {
            format!("Compare {} people", l.persons.len())
        } else {
            let name = case
                .info
                .persons
                .iter()
                .find(|p| p.key == l.persons[0])
                .map_or(l.persons[0].clone(), |p| p.display_name.clone());
            format!("Person — {name}")
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
                ui.label("computing the person page…");
            });
        }
        if pages.len() > 1 {
            compare_ui(ctx, &pages, l.charts_in_display_zone, ui, out);
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
        ui.horizontal_wrapped(|ui| {
            ui.label("Session gap:");
            let mut gap = l.gap_minutes;
            let r = ui.add(
                egui::DragValue::new(&mut gap)
                    .range(1..=10080)
                    .suffix(" min"),
            );
            if r.changed() {
                out.push(Command::Lookup(LookupCommand::SetGapMinutes(gap)));
            }
            r.on_hover_text(
                "A session is a run of one person's access events (refused attempts excluded), \
                 across all sources in UTC order, with gaps under this threshold.",
            );
            ui.separator();
            ui.label("Charts in:");
            if ui
                .radio(!l.charts_in_display_zone, "the person's own zone")
                .clicked()
            {
                out.push(Command::Lookup(LookupCommand::ChartsInDisplayZone(false)));
            }
            if ui
                .radio(
                    l.charts_in_display_zone,
                    format!("display zone ({})", ctx.zone_name),
                )
                .clicked()
            {
                out.push(Command::Lookup(LookupCommand::ChartsInDisplayZone(true)));
            }
            ui.separator();
            ui.menu_button("Compare with…", |ui| {
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
                    .hint_text("find a person: id, name, account")
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
fn count_rows(page: &PersonPage) -> Vec<(&'static str, String)> {
    let f = &page.figures;
    vec![
        ("access events", format!("{} events", f.access_events)),
        ("refused attempts", format!("{} events", f.refused_events)),
        (
            "sessions",
            format!(
                "{} sessions ({} covered, {} not covered by an approval)",
                f.sessions, page.covered_sessions, page.uncovered_sessions
            ),
        ),
        (
            "active days",
            format!("{} days (dates in {})", f.active_days, f.zone),
        ),
        ("systems", format!("{} systems", f.systems.len())),
        (
            "data categories",
            format!("{} categories", f.categories.len()),
        ),
        (
            "data subjects",
            format!("{} distinct subjects", f.distinct_subjects),
        ),
        ("records touched", format!("{} records", f.records)),
    ]
}

fn time_text(ctx: &ViewContext<'_>, us: Option<i64>) -> String {
    us.map_or("—".into(), |t| {
        format!("{} ({})", format_in_zone(t, ctx.zone), ctx.zone_name)
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
                ("organization", opt(&p.organization)),
                ("works in (country)", opt(&p.country)),
                ("role", opt(&p.role)),
                ("own zone", page.figures.zone.clone()),
                ("accounts", p.accounts.join(", ")),
            ] {
                ui.label(k);
                ui.label(v);
                ui.end_row();
            }
            if !page.lookalike_accounts.is_empty() {
                ui.label("look-alike accounts");
                ui.label(
                    RichText::new(format!(
                        "{} (unmapped; a hint, not counted here)",
                        page.lookalike_accounts.join(", ")
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
                ui.end_row();
            }
            ui.label("first access");
            ui.label(time_text(ctx, page.figures.first_access_us));
            ui.end_row();
            ui.label("last access");
            ui.label(time_text(ctx, page.figures.last_access_us));
            ui.end_row();
            for (k, v) in count_rows(page) {
                ui.label(k);
                ui.label(RichText::new(v).strong());
                ui.end_row();
            }
        });
    ui.label(RichText::new(format!("Session rule: {}.", page.session_rule)).weak());
    rejected_rows_ui(page, ui, out);
    ui.add_space(6.0);
    ui.columns(2, |cols| {
        cols[0].strong("Data categories (access events carrying each)");
        for (c, n) in &page.category_events {
            cols[0].label(format!("{c}: {n} events"));
        }
        cols[1].strong("Systems (where each stores its data)");
        for (s, country, n) in &page.system_events {
            cols[1].label(format!(
                "{s} — data in {}: {n} events",
                country.as_deref().unwrap_or("?")
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
    charts_ui(chart, &months, max_month, max_cell, ui);
    ui.add_space(6.0);
    approvals_ui(ctx, case, page, ui, out);
    ui.add_space(6.0);
    refused_ui(ctx, page, ui, out);
    ui.add_space(6.0);
    findings_ui(ctx, case, page, ui, out);
    ui.add_space(6.0);
    sessions_ui(ctx, page, ui, out);
}

/// The rejected rows that mention the person or their accounts: in no count above, so the
/// counts are at least; a link to the rejects viewer.
fn rejected_rows_ui(page: &PersonPage, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let rows = &page.rejected_rows;
    let Some(first) = rows.first() else { return };
    let accounts = rows.iter().all(|r| {
        r.mentions.iter().any(|m| {
            m.kind == MentionKind::Account
                && m.person_key.as_deref() == Some(page.person.key.as_str())
        })
    });
    let text = format!(
        "{} rejected {} this person's {} — show (not counted: the counts above are at least)",
        rows.len(),
        if rows.len() == 1 {
            "row mentions"
        } else {
            "rows mention"
        },
        if accounts {
            "account"
        } else {
            "name or account"
        }
    );
    let places: Vec<String> = rows
        .iter()
        .map(|r| format!("{}: {}", r.place(), r.row.reason))
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
    ui.strong(format!(
        "Refused attempts: {n} {} (denied or failed; in no session; times in {})",
        if n == 1 { "event" } else { "events" },
        ctx.zone_name
    ));
    if page.refused_attempts.is_empty() {
        ui.label(RichText::new("none recorded").weak());
        return;
    }
    egui::Grid::new(("person-refused", &page.person.key))
        .num_columns(5)
        .striped(true)
        .show(ui, |ui| {
            for h in ["time", "system", "action", "outcome", "event"] {
                ui.label(RichText::new(h).small().strong());
            }
            ui.end_row();
            for e in &page.refused_attempts {
                ui.label(format_in_zone(e.ts_us, ctx.zone));
                ui.label(e.system.as_deref().unwrap_or("?"));
                ui.label(format!(
                    "{} {}",
                    e.action.as_deref().unwrap_or(""),
                    e.object.as_deref().unwrap_or("")
                ));
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    e.outcome.as_ref().map_or("—", |o| o.as_str()),
                );
                if ui
                    .link(format!("#{}", e.id))
                    .on_hover_text("select it on the timeline and show its detail")
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
            RichText::new(format!(
                "the first {} listed; filter the timeline to this person and outcome for all",
                page.refused_attempts.len()
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
    let Some(set) = &case.findings.set else {
        ui.horizontal(|ui| {
            ui.strong("Findings:");
            if case.findings.is_busy() {
                ui.spinner();
                ui.label("the rules are running…");
            } else if ui.button("Run the findings rules").clicked() {
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
    ui.strong(format!(
        "Findings naming this person: {} {} (periods in {})",
        mine.len(),
        if mine.len() == 1 {
            "finding"
        } else {
            "findings"
        },
        ctx.zone_name
    ));
    if mine.is_empty() {
        ui.label(RichText::new("no rule matched this person").weak());
        return;
    }
    // Inline, not in a scroll area of its own: a nested one would take the page's wheel.
    egui::Grid::new(("person-findings-grid", key))
        .num_columns(5)
        .striped(true)
        .show(ui, |ui| {
            for h in ["rule", "severity", "system", "period", "status"] {
                ui.label(RichText::new(h).small().strong());
            }
            ui.end_row();
            for f in mine.iter().take(FINDINGS_LISTED) {
                let rule = ui
                    .link(f.rule.as_str())
                    .on_hover_text(format!("{}: open it in the findings window", f.title));
                if rule.clicked() {
                    out.push(Command::Findings(FindingsCommand::Show(true)));
                    out.push(Command::Findings(FindingsCommand::Select(Some(
                        f.key.clone(),
                    ))));
                }
                ui.label(f.severity.as_str());
                ui.label(f.systems.join(", "));
                ui.label(format!(
                    "{} → {}",
                    format_in_zone(f.start_us, ctx.zone),
                    format_in_zone(f.end_us, ctx.zone)
                ));
                ui.label(f.status().as_str());
                ui.end_row();
            }
        });
    if mine.len() > FINDINGS_LISTED
        && ui
            .link(format!(
                "the first {FINDINGS_LISTED} listed: open the findings window for all {}",
                mine.len()
            ))
            .clicked()
    {
        out.push(Command::Findings(FindingsCommand::Show(true)));
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
    chart: &ActivityChart,
    months: &[String],
    max_month: usize,
    max_cell: u32,
    ui: &mut egui::Ui,
) {
    let accent = ui.visuals().selection.bg_fill;
    ui.strong(format!("Access events per month ({})", chart.zone));
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
            resp.on_hover_text(format!("{m}: {v} access events ({})", chart.zone));
        }
    }
    if let (Some(a), Some(b)) = (months.first(), months.last()) {
        ui.horizontal(|ui| {
            ui.label(RichText::new(a).small().weak());
            ui.label(
                RichText::new(format!("… {b}; tallest bar {max_month} events"))
                    .small()
                    .weak(),
            );
        });
    }
    weekday_hour_ui(chart, width, max_cell, ui);
}

/// The weekday × hour heat map.
fn weekday_hour_ui(chart: &ActivityChart, width: f32, max_cell: u32, ui: &mut egui::Ui) {
    let accent = ui.visuals().selection.bg_fill;
    ui.strong(format!("Access events by weekday × hour ({})", chart.zone));
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
            WEEKDAYS[d],
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
            resp.on_hover_text(format!(
                "{} {:02}:00–{:02}:59 ({}): {v} access events",
                WEEKDAYS[d as usize], h as u32, h as u32, chart.zone
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
    ui.strong(format!(
        "Approvals covering this person: {} approvals",
        page.approvals.len()
    ));
    if page.approvals.is_empty() {
        ui.label(RichText::new("none recorded").weak());
        return;
    }
    egui::Grid::new("person-approvals")
        .num_columns(6)
        .striped(true)
        .show(ui, |ui| {
            for h in [
                "ticket",
                "system",
                &format!("valid from ({})", ctx.zone_name),
                &format!("valid to ({})", ctx.zone_name),
                "approver",
                "overseer",
            ] {
                ui.label(RichText::new(h).small().strong());
            }
            ui.end_row();
            for a in &page.approvals {
                ui.label(a.ticket.as_deref().unwrap_or("—"));
                ui.label(&a.system);
                ui.label(format_in_zone(a.valid_from_us, ctx.zone));
                ui.label(format_in_zone(a.valid_to_us, ctx.zone));
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
                .on_hover_text(format!("{key}: open their person page"))
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
    ui.strong(format!(
        "Sessions: {} sessions (times in {}; click to expand, an event shows it on the timeline)",
        page.sessions.len(),
        ctx.zone_name
    ));
    let ok = Color32::from_rgb(0x2c, 0xa0, 0x2c);
    let bad = ui.visuals().error_fg_color;
    for (i, s) in page.sessions.iter().enumerate() {
        let cover = if s.covered {
            RichText::new(format!(
                "covered ({})",
                s.tickets.iter().cloned().collect::<Vec<_>>().join(", ")
            ))
            .color(ok)
        } else {
            RichText::new("NOT covered by an approval").color(bad)
        };
        let head = format!(
            "#{} {} → {} · {} events · {} subjects · {} records · {}",
            i + 1,
            format_in_zone(s.start_us, ctx.zone),
            format_in_zone(s.end_us, ctx.zone),
            s.events,
            s.distinct_subjects,
            s.records,
            s.systems.iter().cloned().collect::<Vec<_>>().join(", ")
        );
        ui.horizontal(|ui| {
            egui::CollapsingHeader::new(head)
                .id_salt(("session", &page.person.key, i))
                .show(ui, |ui| {
                    if !page.events_listed {
                        // Too many events to list on the page: the timeline has them.
                        if ui
                            .link(format!(
                                "{} events: show the first on the timeline",
                                s.events
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
                            "{}  {}  {}  {}  {} records",
                            format_in_zone(e.ts_us, ctx.zone),
                            e.system.as_deref().unwrap_or("?"),
                            e.action.as_deref().unwrap_or(""),
                            e.object.as_deref().unwrap_or(""),
                            e.records.unwrap_or(0)
                        );
                        if ui
                            .link(text)
                            .on_hover_text(format!("event {}: select it on the timeline", e.id))
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
    display_zone_charts: bool,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    egui::Grid::new("person-compare")
        .num_columns(pages.len() + 1)
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            for p in pages {
                ui.vertical(|ui| {
                    ui.strong(format!("{} {}", p.person.key, p.person.display_name));
                    ui.horizontal(|ui| {
                        if ui.small_button("page").clicked() {
                            out.push(Command::Lookup(LookupCommand::OpenPerson(
                                p.person.key.clone(),
                            )));
                        }
                        if ui.small_button("remove").clicked() {
                            out.push(Command::Lookup(LookupCommand::ClosePerson(
                                p.person.key.clone(),
                            )));
                        }
                    });
                });
            }
            ui.end_row();
            ui.label("organization");
            for p in pages {
                ui.label(p.person.organization.as_deref().unwrap_or("—"));
            }
            ui.end_row();
            ui.label("first access");
            for p in pages {
                ui.label(time_text(ctx, p.figures.first_access_us));
            }
            ui.end_row();
            ui.label("last access");
            for p in pages {
                ui.label(time_text(ctx, p.figures.last_access_us));
            }
            ui.end_row();
            let rows: Vec<Vec<(&str, String)>> = pages.iter().map(|p| count_rows(p)).collect();
            for r in 0..rows[0].len() {
                ui.label(rows[0][r].0);
                for row in &rows {
                    ui.label(&row[r].1);
                }
                ui.end_row();
            }
        });
    ui.label(RichText::new(format!("Session rule: {}.", pages[0].session_rule)).weak());
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
        charts_ui(c, &months, max_month, max_cell, ui);
    }
}
