//! The left side panel: the case (title, counts with their units, time span), its sources,
//! people grouped by organization and unattributed accounts, and the filters with their
//! removable chips.

use egui::RichText;

use crate::case::FilterTerm;
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::gui::rejects::RejectsCommand;
use crate::gui::state::{CaseInfo, UNATTRIBUTED};
use crate::model::time::format_in_zone;

#[derive(Default)]
pub struct SidePanel {
    text: String,
    /// The typed query's error, for the text it was found in.
    query_error: Option<(String, crate::model::query::QueryError)>,
    /// The name typed for "Save current view as".
    view_name: String,
    name_field: super::NameField,
    /// The saved-view change last seen (the name field is cleared after one).
    views_written: u64,
    /// Save was clicked before the investigator's name was known: the name is asked for.
    asking_name: bool,
}

impl SidePanel {
    pub fn side_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        egui::ScrollArea::vertical().show(ui, |ui| {
            case_ui(ctx, case, ui);
            rejects_ui(case, ui, out);
            ui.separator();
            self.filters_ui(ctx, case, ui, out);
            ui.separator();
            self.views_ui(ctx, case, ui, out);
            ui.separator();
            people_ui(case, ui, out);
            ui.separator();
            sources_ui(case, ui, out);
        });
    }

    fn filters_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let info = &case.info;
        ui.heading("Filters");
        if case.view.filter.is_empty() {
            ui.label(RichText::new("No filter: all events").weak());
        } else {
            ui.horizontal_wrapped(|ui| {
                for term in &case.view.filter {
                    let chip = ui
                        .button(format!("{}  ×", info.describe_term(term)))
                        .on_hover_text("Remove this filter");
                    if chip.clicked() {
                        out.push(Command::RemoveFilter(term.clone()));
                    }
                }
            });
            if ui.small_button("Clear all filters").clicked() {
                out.push(Command::ClearFilters);
            }
        }
        self.query_ui(ctx, ui, out);
        // Narrow enough that each picker's label fits beside it in the default panel width.
        let width = (ui.available_width() - 100.0).clamp(80.0, 150.0);
        for (label, items) in pickers(info) {
            egui::ComboBox::from_label(label)
                .selected_text("add…")
                .width(width)
                .show_ui(ui, |ui| {
                    for (text, term) in items {
                        if ui.selectable_label(false, text).clicked() {
                            out.push(Command::AddFilter(term));
                        }
                    }
                });
        }
    }
}

impl SidePanel {
    /// The free-text box, which takes the query language: a word alone is the free-text
    /// filter it always was; anything else is parsed, and an error is shown under the box
    /// with a caret at its column.
    fn query_ui(&mut self, ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let label = ui.label("Search or query:");
        ui.horizontal(|ui| {
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut self.text)
                        .hint_text("org:Hoshizora* AND NOT outcome:success")
                        .desired_width(ui.available_width() - 50.0),
                )
                .labelled_by(label.id);
            let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Add").clicked() || entered) && !self.text.trim().is_empty() {
                let text = self.text.trim().to_string();
                match FilterTerm::parse_query(&text, ctx.zone) {
                    Ok(term) => {
                        out.push(Command::AddFilter(term));
                        self.text.clear();
                        self.query_error = None;
                    }
                    Err(e) => self.query_error = Some((text, e)),
                }
            }
        });
        if self
            .query_error
            .as_ref()
            .is_some_and(|(t, _)| t != self.text.trim())
        {
            self.query_error = None;
        }
        if let Some((text, e)) = &self.query_error {
            let caret = format!("{}^", " ".repeat(e.column.saturating_sub(1)));
            ui.label(RichText::new(text).monospace());
            ui.label(
                RichText::new(caret)
                    .monospace()
                    .color(ui.visuals().error_fg_color),
            );
            ui.label(RichText::new(format!("Query error {e}")).color(ui.visuals().error_fg_color));
        }
        ui.label(
            RichText::new(format!(
                "Fields: {}; AND, OR, NOT, ( ), \"phrase\", *, /regex/, time:[FROM TO] in {}",
                crate::model::query::field_list(),
                ctx.zone_name
            ))
            .small()
            .weak(),
        );
    }
}

fn case_ui(ctx: &ViewContext<'_>, case: &OpenCase, ui: &mut egui::Ui) {
    let s = &case.info.summary;
    ui.heading("Case");
    ui.label(RichText::new(case.info.title()).strong());
    ui.label(
        RichText::new(case.info.path.display().to_string())
            .small()
            .weak(),
    );
    egui::Grid::new("case_counts")
        .num_columns(2)
        .show(ui, |ui| {
            for (what, n) in [
                ("events", s.events),
                ("rejected rows", s.rejects),
                ("persons", s.persons),
                ("accounts", s.accounts),
                ("unattributed accounts", s.unmapped_accounts),
                ("systems", s.systems),
                ("data subjects", s.subjects),
                ("milestones", s.milestones),
            ] {
                ui.label(what);
                ui.label(crate::model::plural::grouped(n));
                ui.end_row();
            }
        });
    if let (Some(a), Some(b)) = (s.first_ts_us, s.last_ts_us) {
        ui.label(format!(
            "first event {} {}",
            format_in_zone(a, ctx.zone),
            ctx.zone_name
        ));
        ui.label(format!(
            "last event {} {}",
            format_in_zone(b, ctx.zone),
            ctx.zone_name
        ));
    }
}

fn people_ui(case: &OpenCase, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let info = &case.info;
    ui.heading("People");
    ui.label(
        RichText::new("Click a name to filter to it.")
            .small()
            .weak(),
    );
    for group in &info.groups {
        let title = format!(
            "{} ({})",
            group.label,
            crate::model::plural::count(group.lanes.len(), "lane", "lanes")
        );
        section_ui(
            ui,
            ("people", &group.label),
            &title,
            group.label != UNATTRIBUTED,
            |ui| {
                if group.label != UNATTRIBUTED
                    && ui.small_button("Filter to this organization").clicked()
                {
                    out.push(Command::AddFilter(FilterTerm::Organization(
                        group.label.clone(),
                    )));
                }
                for &i in &group.lanes {
                    let lane = &info.lanes[i];
                    // The list says more than the lane label: native name and accounts.
                    let text = match &lane.native_name {
                        Some(n) => format!("{} ({n})", lane.label),
                        None => format!("{} (account)", lane.label),
                    };
                    let r = ui
                        .selectable_label(false, text)
                        .on_hover_text(format!("accounts: {}", lane.accounts.join(", ")));
                    // Right-click or double-click: the person's page.
                    if let Some(p) = lane.person_id.and_then(|id| info.person(id)) {
                        let open = Command::Lookup(crate::gui::lookup::LookupCommand::OpenPerson(
                            p.key.clone(),
                        ));
                        if r.double_clicked() {
                            out.push(open.clone());
                        }
                        r.context_menu(|ui| {
                            if ui.button("Open person page").clicked() {
                                out.push(open);
                                ui.close();
                            }
                        });
                    }
                    if r.clicked()
                        && let Some(pid) = lane.person_id
                    {
                        out.push(Command::AddFilter(FilterTerm::Person(pid)));
                    } else if r.clicked() {
                        out.push(Command::AddFilter(FilterTerm::Text(lane.label.clone())));
                    }
                }
            },
        );
    }
}

/// A collapsing section whose title is elided to the panel's width, so that a long
/// organization or file name does not widen the side panel (the full title on hover);
/// clicking the title or the arrow opens and closes it.
fn section_ui(
    ui: &mut egui::Ui,
    id_salt: impl egui::AsIdSalt,
    title: &str,
    default_open: bool,
    body: impl FnOnce(&mut egui::Ui),
) {
    let id = ui.make_persistent_id(id_salt);
    let mut clicked = false;
    let mut header = egui::collapsing_header::CollapsingState::load_with_default_open(
        ui.ctx(),
        id,
        default_open,
    )
    .show_header(ui, |ui| {
        clicked = ui
            .add(
                egui::Label::new(title)
                    .truncate()
                    .selectable(false)
                    .sense(egui::Sense::click()),
            )
            .clicked();
    });
    if clicked {
        header.toggle();
    }
    header.body(body);
}

/// The case's rejected rows: how many, a link to the viewer, and the call-out of those that
/// mention known people or data subjects.
fn rejects_ui(case: &OpenCase, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let total = case.info.summary.rejects;
    if total == 0 {
        return;
    }
    let show = |mentions_only| {
        Command::Rejects(RejectsCommand::Show {
            source: None,
            mentions_only,
        })
    };
    if ui
        .link(format!("All rejects: {total} rejected rows — show"))
        .on_hover_text("Rows the imports could not read: file, line, reason, raw text")
        .clicked()
    {
        out.push(show(false));
    }
    let c = &case.info.reject_callouts;
    let mentioning: Vec<_> = c.mentioning().collect();
    if mentioning.is_empty() {
        return;
    }
    let people = c.mentioning_people().count();
    let text = if people == mentioning.len() {
        format!(
            "{people} rejected {} known people — show",
            if people == 1 {
                "row mentions"
            } else {
                "rows mention"
            }
        )
    } else {
        format!(
            "{} rejected {} known people or data subjects ({people} people) — show",
            mentioning.len(),
            if mentioning.len() == 1 {
                "row mentions"
            } else {
                "rows mention"
            }
        )
    };
    let hover: Vec<String> = mentioning
        .iter()
        .map(|r| format!("{}: {}", r.place(), r.mentions_text()))
        .collect();
    let link = ui.link(RichText::new(text).color(ui.visuals().warn_fg_color));
    if link
        .on_hover_text(format!(
            "In no count: counts about them are at least.\n{}",
            hover.join("\n")
        ))
        .clicked()
    {
        out.push(show(true));
    }
}

fn sources_ui(case: &OpenCase, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    ui.heading("Sources");
    for s in &case.info.summary.sources {
        let head = if s.rows_rejected > 0 {
            format!("{} ({}, {} rejected)", s.file_name, s.kind, s.rows_rejected)
        } else {
            format!("{} ({})", s.file_name, s.kind)
        };
        section_ui(ui, ("source", s.id), &head, false, |ui| {
            if s.rows_rejected > 0
                && ui
                    .link(format!("{} rejected rows — show", s.rows_rejected))
                    .clicked()
            {
                out.push(Command::Rejects(RejectsCommand::Show {
                    source: Some(s.id),
                    mentions_only: false,
                }));
            }
            egui::Grid::new(("source", s.id))
                .num_columns(2)
                .show(ui, |ui| {
                    for (k, v) in [
                        ("rows read", s.rows_read.to_string()),
                        ("rows imported", s.rows_imported.to_string()),
                        ("rows rejected", s.rows_rejected.to_string()),
                        ("format", s.format.clone()),
                        ("encoding", format!("{} ({})", s.encoding, s.encoding_how)),
                        ("zone read in", s.zone.clone()),
                        ("time rule", s.time_rule.clone()),
                        ("size", format!("{} bytes", s.size_bytes)),
                        ("SHA-256", s.sha256.clone()),
                    ] {
                        ui.label(k);
                        ui.add(egui::Label::new(RichText::new(v).small()).wrap());
                        ui.end_row();
                    }
                });
        });
    }
}

impl SidePanel {
    /// Saved views: apply one (its name), delete one, save the current view under a name.
    fn views_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        use crate::gui::trail::TrailCommand;
        let views = &ctx.trail.views;
        ui.heading("Saved views");
        if views.written != self.views_written {
            self.views_written = views.written;
            self.view_name.clear();
        }
        if views.list.is_empty() {
            ui.label(RichText::new("No saved views").weak());
        }
        for v in &views.list {
            ui.horizontal(|ui| {
                let range = match v.range {
                    Some((a, b)) => format!(
                        "{} – {} {}",
                        format_in_zone(a, ctx.zone),
                        format_in_zone(b, ctx.zone),
                        ctx.zone_name
                    ),
                    None => "the whole case".into(),
                };
                let hover = format!(
                    "Show this view. Filter: {}\nRange: {range}\nZone: {}; colour: {}\nSaved by {}",
                    if v.query.is_empty() { "none" } else { &v.query },
                    v.zone,
                    v.color_by,
                    v.author
                );
                if ui.button(&v.name).on_hover_text(hover).clicked() {
                    out.push(Command::Trail(TrailCommand::ApplyView(Box::new(v.clone()))));
                }
                if !ctx.review
                    && ui
                        .small_button("Delete")
                        .on_hover_text(format!("Delete the view {:?} (custody-logged)", v.name))
                        .clicked()
                {
                    out.push(Command::Trail(TrailCommand::DeleteView(v.name.clone())));
                }
            });
        }
        // The investigator's name is asked for only once a view is to be saved.
        let named = ctx.trail.investigator.name().is_some();
        if !ctx.review && !named && self.asking_name {
            self.name_field.ask_ui(&ctx.trail.investigator, ui, out);
        } else if !ctx.review {
            ui.horizontal(|ui| {
                let label = ui.label("Name:");
                ui.add(
                    egui::TextEdit::singleline(&mut self.view_name)
                        .hint_text("View name")
                        .desired_width(ui.available_width() - 150.0),
                )
                .labelled_by(label.id);
                let name = self.view_name.trim();
                let save = ui
                    .add_enabled(!name.is_empty(), egui::Button::new("Save current view as"))
                    .on_hover_text(
                        "Filter, range, zone, colouring and table columns, kept in the case",
                    );
                if save.clicked() && !named {
                    self.asking_name = true;
                } else if save.clicked() {
                    let view = current_view(ctx, case, name);
                    out.push(Command::Trail(TrailCommand::SaveView(Box::new(view))));
                }
            });
        }
        if let Some((error, text)) = &views.message {
            let t = RichText::new(text).small();
            ui.label(if *error {
                t.color(ui.visuals().error_fg_color)
            } else {
                t
            });
        }
    }
}

/// The view on screen as a saved view called `name`.
fn current_view(ctx: &ViewContext<'_>, case: &OpenCase, name: &str) -> crate::case::SavedView {
    use crate::gui::state::ColorBy;
    let query = case
        .view
        .filter
        .iter()
        .map(|t| case.info.describe_term(t))
        .collect::<Vec<_>>()
        .join("; ");
    crate::case::SavedView {
        name: name.to_string(),
        filter: case.view.filter.clone(),
        query,
        range: Some((
            case.view.from_us.floor() as i64,
            case.view.to_us.ceil() as i64,
        )),
        zone: ctx.zone_name.to_string(),
        color_by: match ctx.settings.color_by {
            ColorBy::Category => "category",
            ColorBy::System => "system",
            ColorBy::Outcome => "outcome",
        }
        .to_string(),
        // The table's chosen columns (none chosen: the default set).
        columns: Some(ctx.settings.table_columns.clone()).filter(|c| !c.is_empty()),
        author: String::new(),
        at_us: 0,
    }
}

/// The filter pickers: a label and the terms it offers.
fn pickers(info: &CaseInfo) -> Vec<(&'static str, Vec<(String, FilterTerm)>)> {
    vec![
        (
            "Organization",
            info.organizations()
                .into_iter()
                .map(|o| (o.clone(), FilterTerm::Organization(o)))
                .collect(),
        ),
        (
            "Person",
            info.persons
                .iter()
                .map(|p| (p.display_name.clone(), FilterTerm::Person(p.id)))
                .collect(),
        ),
        (
            "Actor country",
            info.actor_countries()
                .into_iter()
                .map(|c| (c.clone(), FilterTerm::ActorCountry(c)))
                .collect(),
        ),
        (
            "System",
            info.systems
                .iter()
                .map(|s| (s.name.clone(), FilterTerm::System(s.id)))
                .collect(),
        ),
        (
            "Data stored in",
            info.storage_countries()
                .into_iter()
                .map(|c| (c.clone(), FilterTerm::StorageCountry(c)))
                .collect(),
        ),
        (
            "Data category",
            info.vocabulary
                .entries()
                .iter()
                .map(|(bit, name)| (name.clone(), FilterTerm::Category(*bit)))
                .collect(),
        ),
        (
            "Action",
            info.actions
                .iter()
                .map(|a| (a.clone(), FilterTerm::Action(a.clone())))
                .collect(),
        ),
        (
            "Outcome",
            info.outcomes
                .iter()
                .map(|o| (o.clone(), FilterTerm::Outcome(o.clone())))
                .collect(),
        ),
    ]
}
