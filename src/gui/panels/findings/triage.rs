//! The findings window's triage: the filters (severity, person, organization, system, storage
//! country, status; "follow the filter chips"), the list that fills the window's height, sorted
//! by any column, and the grouped list (rule × person or organization × systems) whose groups
//! expand to their findings and can be decided on at once. Draws and pushes commands only.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{open_events, severity_color, span_text, who};
use crate::analysis::findings::triage::{FindingFilter, FindingGroup, GroupBy, SortKey};
use crate::analysis::findings::{Finding, FindingSet};
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::gui::findings::{FindingsCommand, chip_filter, storage_of};
use crate::gui::panels::NameField;
use crate::i18n::Lang;
use crate::model::finding::DispositionStatus;
use crate::tr;

fn send(out: &mut Vec<Command>, c: FindingsCommand) {
    out.push(Command::Findings(c));
}

/// A drop-down of one filter field: "any" or one of `options` (value, text).
fn pick(
    ui: &mut egui::Ui,
    label: &str,
    current: Option<&str>,
    options: &[(String, String)],
) -> Option<Option<String>> {
    let mut chosen = None;
    let l = crate::gui::lang::of(ui.ctx());
    // The value's words without its count ("P13 Chen Siyuan"); a value no longer among the
    // options (another rule chosen) still shows.
    let text = match current {
        None => tr!(l, "findings-any"),
        Some(c) => options
            .iter()
            .find(|(v, _)| v == c)
            .map_or(c, |(_, t)| {
                t.rsplit_once(" (").map_or(t.as_str(), |(a, _)| a)
            })
            .to_string(),
    };
    // The name before its value, as a form reads ("person: any"), wrapped together.
    ui.horizontal(|ui| {
        let name = ui.label(tr!(l, "findings-filter-label", name = label));
        egui::ComboBox::from_id_salt(("findings-filter", label))
            .selected_text(text)
            .width(104.0)
            .truncate()
            .height(400.0)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(current.is_none(), tr!(l, "findings-any"))
                    .clicked()
                {
                    chosen = Some(None);
                }
                for (v, t) in options {
                    if ui
                        .selectable_label(current == Some(v.as_str()), t)
                        .clicked()
                    {
                        chosen = Some(Some(v.clone()));
                    }
                }
            })
            .response
            .labelled_by(name.id);
    });
    chosen
}

/// `(value, "value (n)")` for each distinct value, in order of first appearance sorted.
fn options_of<'a>(
    values: impl Iterator<Item = &'a str>,
    text: impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(v, n)| (v.to_string(), format!("{} ({n})", text(v))))
        .collect()
}

/// The filter drop-downs, the chips toggle and the grouping.
pub fn filters_ui(case: &OpenCase, set: &FindingSet, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let st = &case.findings;
    let f = &st.filter;
    let storage = storage_of(&case.info);
    // Options and their counts among the findings of the chosen rule.
    let fs: Vec<&Finding> = set
        .findings
        .iter()
        .filter(|f| st.rule_filter.is_none_or(|r| f.rule == r))
        .collect();
    let name = |k: &str| {
        case.info
            .persons
            .iter()
            .find(|p| p.key == k)
            .map_or_else(|| k.to_string(), |p| format!("{k} {}", p.display_name))
    };
    let l = crate::gui::lang::of(ui.ctx());
    ui.horizontal_wrapped(|ui| {
        let sev_text = |v: &str| {
            fs.iter()
                .find(|f| f.severity.as_str() == v)
                .map_or(v.to_string(), |f| {
                    crate::analysis::findings::severity_in(l, f.severity)
                })
        };
        let sev = options_of(fs.iter().map(|f| f.severity.as_str()), sev_text);
        let cur = f.severities.first().map(|s| s.as_str());
        if let Some(v) = pick(ui, &tr!(l, "findings-filter-severity"), cur, &sev) {
            let mut n = f.clone();
            n.severities = v
                .and_then(|v| fs.iter().find(|f| f.severity.as_str() == v))
                .map(|f| f.severity)
                .into_iter()
                .collect();
            send(out, FindingsCommand::SetFilter(n));
        }
        let persons = options_of(
            fs.iter()
                .flat_map(|f| f.person_keys.iter().map(String::as_str)),
            name,
        );
        field(
            ui,
            &tr!(l, "findings-filter-person"),
            f,
            &persons,
            |n| &mut n.persons,
            out,
        );
        let orgs = options_of(
            fs.iter().filter_map(|f| f.organization.as_deref()),
            str::to_string,
        );
        field(
            ui,
            &tr!(l, "findings-filter-organization"),
            f,
            &orgs,
            |n| &mut n.organizations,
            out,
        );
        let systems = options_of(
            fs.iter().flat_map(|f| f.systems.iter().map(String::as_str)),
            str::to_string,
        );
        field(
            ui,
            &tr!(l, "findings-filter-system"),
            f,
            &systems,
            |n| &mut n.systems,
            out,
        );
        let countries = options_of(
            fs.iter().flat_map(|f| {
                f.systems
                    .iter()
                    .filter_map(|s| storage.get(s).map(String::as_str))
            }),
            str::to_string,
        );
        field(
            ui,
            &tr!(l, "findings-filter-storage-country"),
            f,
            &countries,
            |n| &mut n.storage_countries,
            out,
        );
        let status_text = |v: &str| {
            v.parse::<DispositionStatus>().map_or(v.to_string(), |s| {
                crate::analysis::findings::status_in(l, s)
            })
        };
        let statuses = options_of(fs.iter().map(|f| f.status().as_str()), status_text);
        let cur = f.statuses.first().map(|s| s.as_str());
        if let Some(v) = pick(ui, &tr!(l, "findings-filter-status"), cur, &statuses) {
            let mut n = f.clone();
            n.statuses = v
                .and_then(|v| v.parse::<DispositionStatus>().ok())
                .into_iter()
                .collect();
            send(out, FindingsCommand::SetFilter(n));
        }
        if !f.is_empty() && ui.button(tr!(l, "findings-clear-filters")).clicked() {
            send(out, FindingsCommand::SetFilter(FindingFilter::default()));
        }
    });
    ui.horizontal_wrapped(|ui| {
        let mut follow = st.follow_chips;
        if ui
            .checkbox(&mut follow, tr!(l, "findings-follow-chips"))
            .on_hover_text(tr!(l, "findings-follow-chips-tip"))
            .changed()
        {
            send(out, FindingsCommand::FollowChips(follow));
        }
        let mut grouped = st.grouped;
        if ui
            .checkbox(&mut grouped, tr!(l, "findings-group"))
            .on_hover_text(tr!(l, "findings-group-tip"))
            .changed()
        {
            send(out, FindingsCommand::Grouped(grouped));
        }
        if st.grouped {
            for (by, text) in [
                (GroupBy::Person, tr!(l, "findings-by-person")),
                (GroupBy::Organization, tr!(l, "findings-by-organization")),
            ] {
                if ui.radio(st.group_by == by, text).clicked() {
                    send(out, FindingsCommand::GroupBy(by));
                }
            }
        }
    });
}

/// A drop-down for one of the filter's text fields (single choice; `any` clears it).
fn field(
    ui: &mut egui::Ui,
    label: &str,
    f: &FindingFilter,
    options: &[(String, String)],
    get: impl Fn(&mut FindingFilter) -> &mut Vec<String>,
    out: &mut Vec<Command>,
) {
    let mut probe = f.clone();
    let cur = get(&mut probe).first().cloned();
    if let Some(v) = pick(ui, label, cur.as_deref(), options) {
        let mut n = f.clone();
        *get(&mut n) = v.into_iter().collect();
        send(out, FindingsCommand::SetFilter(n));
    }
}

/// The list (findings or groups), filling the space it is given.
pub fn list_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    set: &FindingSet,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let st = &case.findings;
    let l = ctx.lang;
    let chips = chip_filter(&case.info, &case.view.filter);
    let storage = storage_of(&case.info);
    let shown = st.shown(set, &chips, &storage);
    let following = if st.follow_chips && !chips.is_empty() {
        tr!(l, "findings-following", chips = chips.describe_in(l))
    } else {
        String::new()
    };
    if st.grouped {
        let mut groups = st.groups(&shown);
        if let Some((key, desc)) = st.sort {
            sort_groups(&mut groups, key, desc);
        }
        ui.label(tr!(
            l,
            "findings-groups-shown",
            groups = tr!(l, "count-groups", count = groups.len()),
            findings = tr!(l, "count-findings", count = shown.len()),
            total = set.findings.len(),
            following = following
        ));
        groups_table(ctx, case, &shown, &groups, ui, out);
    } else {
        ui.label(tr!(
            l,
            "findings-shown",
            shown = shown.len(),
            findings = tr!(l, "count-findings", count = set.findings.len()),
            following = following
        ));
        findings_table(ctx, case, &shown, ui, out);
    }
}

fn sort_groups(groups: &mut [FindingGroup], key: SortKey, desc: bool) {
    groups.sort_by(|a, b| {
        let o = match key {
            SortKey::Severity => a.severity.cmp(&b.severity),
            SortKey::Rule => a.rule.cmp(&b.rule),
            SortKey::Who => a.who.cmp(&b.who),
            SortKey::Systems => a.systems.cmp(&b.systems),
            SortKey::When => a.first_us.cmp(&b.first_us),
            SortKey::Count => a.finding_keys.len().cmp(&b.finding_keys.len()),
            SortKey::Events => a.events.cmp(&b.events),
            SortKey::Subjects => a.subjects.cmp(&b.subjects),
            SortKey::Status => a.status_text().cmp(&b.status_text()),
        };
        let o = if desc { o.reverse() } else { o };
        o.then_with(|| a.key.cmp(&b.key))
    });
}

/// A header that sorts the list by `key`, with an arrow on the current column.
fn header_ui(
    case: &OpenCase,
    title: &str,
    key: SortKey,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let arrow = match case.findings.sort {
        Some((k, desc)) if k == key => {
            if desc {
                " ▼"
            } else {
                " ▲"
            }
        }
        _ => "",
    };
    if ui
        .add(egui::Button::new(RichText::new(format!("{title}{arrow}")).strong()).frame(false))
        .on_hover_text(tr!(crate::gui::lang::of(ui.ctx()), "findings-sort-tip"))
        .clicked()
    {
        send(out, FindingsCommand::Sort(key));
    }
}

/// A table over the space given: `shares` are the columns' parts of its width (resizable;
/// the last takes what remains), so that every column starts in view.
fn table<'a>(ui: &'a mut egui::Ui, salt: &str, shares: &[f32]) -> TableBuilder<'a> {
    let height = ui.available_height() - 24.0;
    let spacing = ui.spacing().item_spacing.x * shares.len() as f32;
    let width = (ui.available_width() - spacing).max(200.0);
    let total: f32 = shares.iter().sum();
    let mut t = TableBuilder::new(ui)
        .id_salt(salt)
        .striped(true)
        .resizable(true)
        .auto_shrink(false)
        .min_scrolled_height(height.max(80.0))
        .max_scroll_height(height.max(80.0))
        .sense(egui::Sense::click());
    for (i, share) in shares.iter().enumerate() {
        let w = (width * share / total).max(36.0);
        t = if i + 1 == shares.len() {
            t.column(Column::remainder().at_least(36.0).clip(true))
        } else {
            t.column(Column::initial(w).at_least(36.0).clip(true))
        };
    }
    t
}

fn findings_table(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    shown: &[&Finding],
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let st = &case.findings;
    let mut t = table(
        ui,
        "findings-table",
        &[50.0, 95.0, 160.0, 95.0, 165.0, 145.0, 55.0],
    );
    if let Some(i) = st
        .selected
        .as_deref()
        .and_then(|k| shown.iter().position(|f| f.key == k))
    {
        t = t.scroll_to_row(i, None);
    }
    let l = ctx.lang;
    let cols = [
        (tr!(l, "findings-col-severity"), SortKey::Severity),
        (tr!(l, "findings-col-rule"), SortKey::Rule),
        (tr!(l, "findings-col-who"), SortKey::Who),
        (tr!(l, "findings-col-systems"), SortKey::Systems),
        (tr!(l, "findings-col-when"), SortKey::When),
        (tr!(l, "findings-col-count"), SortKey::Count),
        (tr!(l, "findings-col-status"), SortKey::Status),
    ];
    t.header(20.0, |mut h| {
        for (title, key) in cols {
            h.col(|ui| header_ui(case, &title, key, ui, out));
        }
    })
    .body(|body| {
        body.rows(20.0, shown.len(), |mut row| {
            let f = shown[row.index()];
            finding_row(ctx, case, f, "", &mut row, out);
        });
    });
}

/// One finding's cells (`indent` before the who: under an open group).
fn finding_row(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    f: &Finding,
    indent: &str,
    row: &mut egui_extras::TableRow<'_, '_>,
    out: &mut Vec<Command>,
) {
    let selected = case.findings.selected.as_deref() == Some(f.key.as_str());
    row.set_selected(selected);
    row.col(|ui| {
        ui.colored_label(
            severity_color(f.severity, ui.visuals()),
            crate::analysis::findings::severity_in(ctx.lang, f.severity),
        );
    });
    row.col(|ui| {
        ui.label(f.rule.name_in(ctx.lang));
    });
    row.col(|ui| {
        let text = format!("{indent}{}", who(f, case));
        if ui
            .selectable_label(selected, text)
            .on_hover_text(f.title_in(ctx.lang))
            .clicked()
        {
            send(out, FindingsCommand::Select(Some(f.key.clone())));
        }
    });
    row.col(|ui| {
        ui.add(egui::Label::new(f.systems.join(", ")).truncate());
    });
    row.col(|ui| {
        ui.add(egui::Label::new(span_text(ctx.lang, f.start_us, f.end_us, ctx.zone)).truncate());
    });
    row.col(|ui| {
        ui.add(egui::Label::new(f.count_text_in(ctx.lang)).truncate());
    });
    row.col(|ui| {
        ui.label(crate::analysis::findings::status_in(ctx.lang, f.status()));
    });
    if row.response().clicked() {
        send(out, FindingsCommand::Select(Some(f.key.clone())));
    }
}

/// A group's "who", in words: person ids with names, or the organization.
pub fn group_who(g: &FindingGroup, case: &OpenCase) -> String {
    if let Some(org) = g.who.strip_prefix("org:") {
        return org.to_string();
    }
    if g.who.is_empty() {
        return "—".into();
    }
    g.who
        .split('+')
        .map(|k| {
            case.info
                .persons
                .iter()
                .find(|p| p.key == k)
                .map_or_else(|| k.to_string(), |p| format!("{k} {}", p.display_name))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

enum Row<'a> {
    Group(&'a FindingGroup),
    Member(&'a Finding),
}

fn groups_table(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    shown: &[&Finding],
    groups: &[FindingGroup],
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let st = &case.findings;
    let mut rows: Vec<Row> = Vec::with_capacity(groups.len());
    for g in groups {
        rows.push(Row::Group(g));
        if st.selected_group.as_deref() == Some(g.key.as_str()) {
            let members: std::collections::HashSet<&str> =
                g.finding_keys.iter().map(String::as_str).collect();
            rows.extend(
                shown
                    .iter()
                    .filter(|f| members.contains(f.key.as_str()))
                    .map(|f| Row::Member(f)),
            );
        }
    }
    let t = table(
        ui,
        "findings-groups-table",
        &[52.0, 90.0, 150.0, 100.0, 52.0, 50.0, 56.0, 150.0, 64.0],
    );
    let l = ctx.lang;
    let cols = [
        (tr!(l, "findings-col-severity"), SortKey::Severity),
        (tr!(l, "findings-col-rule"), SortKey::Rule),
        (tr!(l, "findings-col-who"), SortKey::Who),
        (tr!(l, "findings-col-systems"), SortKey::Systems),
        (tr!(l, "findings-col-findings"), SortKey::Count),
        (tr!(l, "findings-col-events"), SortKey::Events),
        (tr!(l, "findings-col-subjects"), SortKey::Subjects),
        (tr!(l, "findings-col-when"), SortKey::When),
        (tr!(l, "findings-col-status"), SortKey::Status),
    ];
    t.header(20.0, |mut h| {
        for (title, key) in cols {
            h.col(|ui| header_ui(case, &title, key, ui, out));
        }
    })
    .body(|body| {
        body.rows(20.0, rows.len(), |mut row| match rows[row.index()] {
            Row::Group(g) => group_row(ctx, case, g, &mut row, out),
            Row::Member(f) => member_row(ctx, case, f, &mut row, out),
        });
    });
}

fn group_row(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    g: &FindingGroup,
    row: &mut egui_extras::TableRow<'_, '_>,
    out: &mut Vec<Command>,
) {
    let open = case.findings.selected_group.as_deref() == Some(g.key.as_str());
    row.set_selected(open);
    let toggle = |out: &mut Vec<Command>| {
        send(out, FindingsCommand::Select(None));
        send(
            out,
            FindingsCommand::SelectGroup((!open).then(|| g.key.clone())),
        );
    };
    row.col(|ui| {
        ui.colored_label(
            severity_color(g.severity, ui.visuals()),
            crate::analysis::findings::severity_in(ctx.lang, g.severity),
        );
    });
    row.col(|ui| {
        ui.label(g.rule.name_in(ctx.lang));
    });
    row.col(|ui| {
        let text = format!("{} {}", if open { "−" } else { "+" }, group_who(g, case));
        if ui
            .selectable_label(open, text)
            .on_hover_text(tr!(ctx.lang, "findings-group-tip-row", key = &g.key))
            .clicked()
        {
            toggle(out);
        }
    });
    let at_least = if g.at_least { "≥" } else { "" };
    row.col(|ui| {
        ui.add(egui::Label::new(&g.systems).truncate());
    });
    row.col(|ui| {
        ui.label(g.finding_keys.len().to_string());
    });
    row.col(|ui| {
        ui.label(format!("{at_least}{}", g.events));
    });
    row.col(|ui| {
        ui.label(g.subjects.map_or("…".into(), |n| format!("{at_least}{n}")));
    });
    row.col(|ui| {
        ui.add(egui::Label::new(day_span(ctx.lang, g.first_us, g.last_us, ctx.zone)).truncate())
            .on_hover_text(span_text(ctx.lang, g.first_us, g.last_us, ctx.zone));
    });
    row.col(|ui| {
        ui.add(egui::Label::new(g.status_text_in(ctx.lang)).truncate());
    });
    if row.response().clicked() {
        toggle(out);
    }
}

/// `2018-06-08 – 2021-03-09` (display zone): a group's first and last day.
fn day_span(l: Lang, from_us: i64, to_us: i64, zone: chrono_tz::Tz) -> String {
    if l == Lang::Ja {
        let day = |us: i64| {
            let d = chrono::DateTime::from_timestamp_micros(us).unwrap_or_default();
            crate::i18n::format_date(l, d.with_timezone(&zone).date_naive())
        };
        let (a, b) = (day(from_us), day(to_us));
        return if a == b { a } else { format!("{a} – {b}") };
    }
    let a = crate::model::time::format_in_zone(from_us, zone);
    let b = crate::model::time::format_in_zone(to_us, zone);
    let (a, b) = (a.get(..10).unwrap_or(&a), b.get(..10).unwrap_or(&b));
    if a == b {
        a.to_string()
    } else {
        format!("{a} – {b}")
    }
}

/// A finding of the open group, under it.
fn member_row(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    f: &Finding,
    row: &mut egui_extras::TableRow<'_, '_>,
    out: &mut Vec<Command>,
) {
    let selected = case.findings.selected.as_deref() == Some(f.key.as_str());
    row.set_selected(selected);
    row.col(|_| {});
    row.col(|_| {});
    row.col(|ui| {
        if ui
            .selectable_label(
                selected,
                format!(
                    "    {} · {}",
                    f.person_keys.join(", "),
                    span_text(ctx.lang, f.start_us, f.end_us, ctx.zone)
                ),
            )
            .on_hover_text(f.title_in(ctx.lang))
            .clicked()
        {
            send(out, FindingsCommand::Select(Some(f.key.clone())));
        }
    });
    row.col(|ui| {
        ui.add(egui::Label::new(f.systems.join(", ")).truncate());
    });
    row.col(|_| {});
    row.col(|ui| {
        ui.label(f.evidence.len().to_string());
    });
    row.col(|_| {});
    row.col(|ui| {
        ui.add(egui::Label::new(f.count_text_in(ctx.lang)).truncate());
    });
    row.col(|ui| {
        ui.label(crate::analysis::findings::status_in(ctx.lang, f.status()));
    });
    if row.response().clicked() {
        send(out, FindingsCommand::Select(Some(f.key.clone())));
    }
}

/// The open group's summary and its decision (one for all its findings).
#[derive(Default)]
pub struct GroupForm {
    pub note: String,
    note_for: Option<String>,
}

impl GroupForm {
    pub fn ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        set: &FindingSet,
        name: &mut NameField,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let st = &case.findings;
        let l = ctx.lang;
        let Some(key) = st.selected_group.as_deref() else {
            return;
        };
        let chips = chip_filter(&case.info, &case.view.filter);
        let shown = st.shown(set, &chips, &storage_of(&case.info));
        let groups = st.groups(&shown);
        let Some(g) = groups.iter().find(|g| g.key == key) else {
            ui.label(RichText::new(tr!(l, "findings-group-empty")).weak());
            return;
        };
        if self.note_for.as_deref() != Some(key) {
            self.note_for = Some(key.to_string());
            self.note.clear();
        }
        ui.label(
            RichText::new(format!(
                "{} · {} · {}",
                g.rule,
                group_who(g, case),
                g.systems
            ))
            .strong(),
        );
        ui.label(tr!(
            l,
            "findings-group-summary",
            findings = tr!(l, "count-findings", count = g.finding_keys.len()),
            events = tr!(l, "count-evidence-events", count = g.events),
            subjects = g
                .subjects
                .map_or(tr!(l, "findings-group-subjects-unknown"), |n| {
                    tr!(l, "count-data-subjects", count = n)
                }),
            at_least = if g.at_least { "yes" } else { "no" },
            from = crate::i18n::format_in_zone(l, g.first_us, ctx.zone),
            to = crate::i18n::format_in_zone(l, g.last_us, ctx.zone),
            zone = ctx.zone_name
        ));
        ui.label(tr!(
            l,
            "findings-group-status",
            status = g.status_text_in(l)
        ));
        for n in &g.dismissal_notes {
            ui.label(RichText::new(tr!(l, "findings-dismissed-because", note = n)).weak());
        }
        ui.label(
            RichText::new(tr!(l, "findings-group-key", key = &g.key))
                .small()
                .weak(),
        );
        let members: std::collections::HashSet<&str> =
            g.finding_keys.iter().map(String::as_str).collect();
        let mut ids: Vec<i64> = shown
            .iter()
            .filter(|f| members.contains(f.key.as_str()))
            .flat_map(|f| f.evidence.iter().copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if ui
            .button(tr!(
                l,
                "findings-group-show-evidence",
                events = tr!(l, "count-evidence-events", count = ids.len())
            ))
            .clicked()
        {
            open_events(
                format!("evidence: group {}", g.key),
                ids,
                (g.first_us, g.last_us),
                out,
            );
        }
        let label = ui.label(tr!(l, "findings-group-note"));
        ui.add(
            egui::TextEdit::multiline(&mut self.note)
                .id_salt("finding-group-note")
                .hint_text(tr!(l, "findings-group-note-hint"))
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        let n = g.finding_keys.len();
        // A decision is recorded with who made it: ask for the name as the Annotate pane does.
        let named = ctx.review || name.ask_ui(&ctx.trail.investigator, ui, out).is_some();
        let why_not = if ctx.review {
            tr!(l, "findings-review-only")
        } else {
            tr!(l, "findings-name-first")
        };
        ui.horizontal_wrapped(|ui| {
            for (verb, status) in [
                ("confirm", DispositionStatus::Confirmed),
                ("dismiss", DispositionStatus::Dismissed),
                ("reopen", DispositionStatus::Open),
            ] {
                let needs_note =
                    status == DispositionStatus::Dismissed && self.note.trim().is_empty();
                if ui
                    .add_enabled(
                        !ctx.review && named && !needs_note,
                        egui::Button::new(tr!(l, "findings-group-decide", verb = verb, count = n)),
                    )
                    .on_hover_text(tr!(l, "findings-group-decide-tip"))
                    .on_disabled_hover_text(if ctx.review || !named {
                        why_not.clone()
                    } else {
                        tr!(l, "findings-group-dismiss-needs-note")
                    })
                    .clicked()
                {
                    send(
                        out,
                        FindingsCommand::DisposeGroup {
                            group: g.key.clone(),
                            keys: g.finding_keys.clone(),
                            status,
                            note: self.note.clone(),
                        },
                    );
                }
            }
        });
    }
}
