//! The left side panel: the case (title, counts with their units, time span), its sources,
//! people grouped by organization and unattributed accounts, and the filters with their
//! removable chips.

use egui::RichText;

use crate::case::FilterTerm;
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::gui::rejects::RejectsCommand;
use crate::gui::state::{CaseInfo, UNATTRIBUTED};
use crate::i18n::{Lang, format_in_zone};
use crate::tr;

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
            rejects_ui(ctx.lang, case, ui, out);
            ui.separator();
            self.filters_ui(ctx, case, ui, out);
            ui.separator();
            self.views_ui(ctx, case, ui, out);
            ui.separator();
            people_ui(ctx.lang, case, ui, out);
            ui.separator();
            sources_ui(ctx.lang, case, ui, out);
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
        let l = ctx.lang;
        ui.heading(tr!(l, "side-filters"));
        if case.view.filter.is_empty() {
            ui.label(RichText::new(tr!(l, "side-no-filter")).weak());
        } else {
            ui.horizontal_wrapped(|ui| {
                for term in &case.view.filter {
                    let chip = ui
                        .button(format!("{}  ×", info.describe_term(l, term)))
                        .on_hover_text(tr!(l, "side-remove-filter"));
                    if chip.clicked() {
                        out.push(Command::RemoveFilter(term.clone()));
                    }
                }
            });
            if ui.small_button(tr!(l, "side-clear-filters")).clicked() {
                out.push(Command::ClearFilters);
            }
        }
        self.query_ui(ctx, ui, out);
        // Narrow enough that each picker's label fits beside it in the default panel width.
        let width = (ui.available_width() - 100.0).clamp(80.0, 150.0);
        for (label, items) in pickers(l, info) {
            egui::ComboBox::from_label(label)
                .selected_text(tr!(l, "side-picker-add"))
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
        let l = ctx.lang;
        let label = ui.label(tr!(l, "side-query"));
        ui.horizontal(|ui| {
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut self.text)
                        .hint_text("org:Hoshizora* AND NOT outcome:success")
                        .desired_width(ui.available_width() - 50.0),
                )
                .labelled_by(label.id);
            let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(tr!(l, "side-query-add")).clicked() || entered)
                && !self.text.trim().is_empty()
            {
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
            ui.label(
                RichText::new(tr!(
                    l,
                    "side-query-error",
                    error = crate::gui::state::query_error_text(l, e)
                ))
                .color(ui.visuals().error_fg_color),
            );
        }
        ui.label(
            RichText::new(tr!(
                l,
                "side-query-help",
                fields = crate::model::query::field_list(),
                zone = ctx.zone_name
            ))
            .small()
            .weak(),
        );
    }
}

fn case_ui(ctx: &ViewContext<'_>, case: &OpenCase, ui: &mut egui::Ui) {
    let s = &case.info.summary;
    let l = ctx.lang;
    ui.heading(tr!(l, "side-case"));
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
                (tr!(l, "side-count-events"), s.events),
                (tr!(l, "side-count-rejects"), s.rejects),
                (tr!(l, "side-count-persons"), s.persons),
                (tr!(l, "side-count-accounts"), s.accounts),
                (tr!(l, "side-count-unattributed"), s.unmapped_accounts),
                (tr!(l, "side-count-systems"), s.systems),
                (tr!(l, "side-count-subjects"), s.subjects),
                (tr!(l, "side-count-milestones"), s.milestones),
            ] {
                ui.label(what);
                ui.label(crate::model::plural::grouped(n));
                ui.end_row();
            }
        });
    if let (Some(a), Some(b)) = (s.first_ts_us, s.last_ts_us) {
        ui.label(tr!(
            l,
            "side-first-event",
            when = format_in_zone(l, a, ctx.zone),
            zone = ctx.zone_name
        ));
        ui.label(tr!(
            l,
            "side-last-event",
            when = format_in_zone(l, b, ctx.zone),
            zone = ctx.zone_name
        ));
    }
}

fn people_ui(l: Lang, case: &OpenCase, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let info = &case.info;
    ui.heading(tr!(l, "side-people"));
    ui.label(RichText::new(tr!(l, "side-people-hint")).small().weak());
    for group in &info.groups {
        let group_name = crate::gui::state::group_label(l, &group.label);
        let title = tr!(
            l,
            "side-group-title",
            group = group_name,
            lanes = tr!(l, "count-lanes", count = group.lanes.len())
        );
        section_ui(
            ui,
            ("people", &group.label),
            &title,
            group.label != UNATTRIBUTED,
            |ui| {
                if group.label != UNATTRIBUTED
                    && ui.small_button(tr!(l, "side-filter-org")).clicked()
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
                        None => tr!(l, "side-lane-account", name = &lane.label),
                    };
                    let r = ui.selectable_label(false, text).on_hover_text(tr!(
                        l,
                        "side-lane-accounts",
                        accounts = lane.accounts.join(", ")
                    ));
                    // Right-click or double-click: the person's page.
                    if let Some(p) = lane.person_id.and_then(|id| info.person(id)) {
                        let open = Command::Lookup(crate::gui::lookup::LookupCommand::OpenPerson(
                            p.key.clone(),
                        ));
                        if r.double_clicked() {
                            out.push(open.clone());
                        }
                        r.context_menu(|ui| {
                            if ui.button(tr!(l, "side-open-person")).clicked() {
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
fn rejects_ui(l: Lang, case: &OpenCase, ui: &mut egui::Ui, out: &mut Vec<Command>) {
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
        .link(tr!(l, "side-all-rejects", count = total))
        .on_hover_text(tr!(l, "side-all-rejects-tip"))
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
        tr!(l, "side-rejects-mention-people", count = people)
    } else {
        tr!(
            l,
            "side-rejects-mention-any",
            count = mentioning.len(),
            people = people
        )
    };
    let hover: Vec<String> = mentioning
        .iter()
        .map(|r| format!("{}: {}", r.place(), r.mentions_text_in(l)))
        .collect();
    let link = ui.link(RichText::new(text).color(ui.visuals().warn_fg_color));
    if link
        .on_hover_text(tr!(l, "side-rejects-mention-tip", rows = hover.join("\n")))
        .clicked()
    {
        out.push(show(true));
    }
}

fn sources_ui(l: Lang, case: &OpenCase, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    ui.heading(tr!(l, "side-sources"));
    for s in &case.info.summary.sources {
        let head = if s.rows_rejected > 0 {
            tr!(
                l,
                "side-source-head-rejected",
                file = &s.file_name,
                kind = crate::i18n::source_kind(l, &s.kind.to_string()),
                rejected = s.rows_rejected.to_string()
            )
        } else {
            tr!(
                l,
                "side-source-head",
                file = &s.file_name,
                kind = crate::i18n::source_kind(l, &s.kind.to_string())
            )
        };
        section_ui(ui, ("source", s.id), &head, false, |ui| {
            if s.rows_rejected > 0
                && ui
                    .link(tr!(
                        l,
                        "side-source-rejects",
                        count = s.rows_rejected.to_string()
                    ))
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
                        (tr!(l, "side-source-rows-read"), s.rows_read.to_string()),
                        (
                            tr!(l, "side-source-rows-imported"),
                            s.rows_imported.to_string(),
                        ),
                        (
                            tr!(l, "side-source-rows-rejected"),
                            s.rows_rejected.to_string(),
                        ),
                        (tr!(l, "side-source-format"), s.format.clone()),
                        (
                            tr!(l, "side-source-encoding"),
                            format!("{} ({})", s.encoding, s.encoding_how),
                        ),
                        (tr!(l, "side-source-zone"), s.zone.clone()),
                        (tr!(l, "side-source-time-rule"), s.time_rule.clone()),
                        (
                            tr!(l, "side-source-size"),
                            tr!(
                                l,
                                "side-source-size-bytes",
                                bytes = s.size_bytes.to_string()
                            ),
                        ),
                        (tr!(l, "side-source-sha"), s.sha256.clone()),
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
        let l = ctx.lang;
        ui.heading(tr!(l, "side-views"));
        if views.written != self.views_written {
            self.views_written = views.written;
            self.view_name.clear();
        }
        if views.list.is_empty() {
            ui.label(RichText::new(tr!(l, "side-no-views")).weak());
        }
        for v in &views.list {
            ui.horizontal(|ui| {
                let range = match v.range {
                    Some((a, b)) => tr!(
                        l,
                        "side-view-range",
                        from = format_in_zone(l, a, ctx.zone),
                        to = format_in_zone(l, b, ctx.zone),
                        zone = ctx.zone_name
                    ),
                    None => tr!(l, "side-view-whole-case"),
                };
                let hover = tr!(
                    l,
                    "side-view-tip",
                    filter = if v.query.is_empty() {
                        tr!(l, "side-view-no-filter")
                    } else {
                        view_filter_words(ctx, v)
                    },
                    range = range,
                    zone = &v.zone,
                    colour = colour_name(l, &v.color_by),
                    author = &v.author
                );
                if ui.button(&v.name).on_hover_text(hover).clicked() {
                    out.push(Command::Trail(TrailCommand::ApplyView(Box::new(v.clone()))));
                }
                if !ctx.review
                    && ui
                        .small_button(tr!(l, "side-view-delete"))
                        .on_hover_text(tr!(l, "side-view-delete-tip", name = &v.name))
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
                let label = ui.label(tr!(l, "side-view-name"));
                ui.add(
                    egui::TextEdit::singleline(&mut self.view_name)
                        .hint_text(tr!(l, "side-view-name-hint"))
                        .desired_width(ui.available_width() - 150.0),
                )
                .labelled_by(label.id);
                let name = self.view_name.trim();
                let save = ui
                    .add_enabled(
                        !name.is_empty(),
                        egui::Button::new(tr!(l, "side-view-save")),
                    )
                    .on_hover_text(tr!(l, "side-view-save-tip"));
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

/// A saved view's filter in words: as saved (English, as the command line lists it), or its
/// chips in the app's language when that is another.
fn view_filter_words(ctx: &ViewContext<'_>, v: &crate::case::SavedView) -> String {
    match ctx.case {
        Some(case) if ctx.lang != Lang::En && !v.filter.is_empty() => v
            .filter
            .iter()
            .map(|t| case.info.describe_term(ctx.lang, t))
            .collect::<Vec<_>>()
            .join(&tr!(ctx.lang, "list-separator")),
        _ => v.query.clone(),
    }
}

/// The view on screen as a saved view called `name`.
fn current_view(ctx: &ViewContext<'_>, case: &OpenCase, name: &str) -> crate::case::SavedView {
    use crate::gui::state::ColorBy;
    let query = case
        .view
        .filter
        .iter()
        .map(|t| case.info.describe_term(Lang::En, t))
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

/// A saved view's colouring (`category`, `system`, `outcome` as stored) in `l`: stored
/// values stay as they are in English, as they always showed.
fn colour_name(l: Lang, stored: &str) -> String {
    match (l, stored) {
        (Lang::En, _) => stored.to_string(),
        (_, "category") => tr!(l, "colour-by-category"),
        (_, "system") => tr!(l, "colour-by-system"),
        (_, "outcome") => tr!(l, "colour-by-outcome"),
        _ => stored.to_string(),
    }
}

/// The filter pickers: a label and the terms it offers.
fn pickers(l: Lang, info: &CaseInfo) -> Vec<(String, Vec<(String, FilterTerm)>)> {
    vec![
        (
            tr!(l, "side-picker-organization"),
            info.organizations()
                .into_iter()
                .map(|o| (o.clone(), FilterTerm::Organization(o)))
                .collect(),
        ),
        (
            tr!(l, "side-picker-person"),
            info.persons
                .iter()
                .map(|p| (p.display_name.clone(), FilterTerm::Person(p.id)))
                .collect(),
        ),
        (
            tr!(l, "side-picker-actor-country"),
            info.actor_countries()
                .into_iter()
                .map(|c| (c.clone(), FilterTerm::ActorCountry(c)))
                .collect(),
        ),
        (
            tr!(l, "side-picker-system"),
            info.systems
                .iter()
                .map(|s| (s.name.clone(), FilterTerm::System(s.id)))
                .collect(),
        ),
        (
            tr!(l, "side-picker-storage"),
            info.storage_countries()
                .into_iter()
                .map(|c| (c.clone(), FilterTerm::StorageCountry(c)))
                .collect(),
        ),
        (
            tr!(l, "side-picker-category"),
            info.vocabulary
                .entries()
                .iter()
                .map(|(bit, name)| (name.clone(), FilterTerm::Category(*bit)))
                .collect(),
        ),
        (
            tr!(l, "side-picker-action"),
            info.actions
                .iter()
                .map(|a| (a.clone(), FilterTerm::Action(a.clone())))
                .collect(),
        ),
        (
            tr!(l, "side-picker-outcome"),
            info.outcomes
                .iter()
                .map(|o| (o.clone(), FilterTerm::Outcome(o.clone())))
                .collect(),
        ),
    ]
}
