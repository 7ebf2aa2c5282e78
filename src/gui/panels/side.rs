//! The left side panel: the case (title, counts with their units, time span), its sources,
//! people grouped by organization and unattributed accounts, and the filters with their
//! removable chips.

use egui::RichText;

use crate::case::FilterTerm;
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::gui::state::{CaseInfo, UNATTRIBUTED};
use crate::model::time::format_in_zone;

#[derive(Default)]
pub struct SidePanel {
    text: String,
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
            ui.separator();
            self.filters_ui(case, ui, out);
            ui.separator();
            people_ui(case, ui, out);
            ui.separator();
            sources_ui(case, ui);
        });
    }

    fn filters_ui(&mut self, case: &OpenCase, ui: &mut egui::Ui, out: &mut Vec<Command>) {
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
        ui.horizontal(|ui| {
            let edit = ui.add(
                egui::TextEdit::singleline(&mut self.text)
                    .hint_text("Free text (account, object, IP…)")
                    .desired_width(ui.available_width() - 50.0),
            );
            let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Add").clicked() || entered) && !self.text.trim().is_empty() {
                out.push(Command::AddFilter(FilterTerm::Text(
                    self.text.trim().to_string(),
                )));
                self.text.clear();
            }
        });
        for (label, items) in pickers(info) {
            egui::ComboBox::from_label(label)
                .selected_text("add…")
                .width(150.0)
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
                ui.label(n.to_string());
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
        let id = ui.make_persistent_id(("people", &group.label));
        egui::CollapsingHeader::new(format!(
            "{} ({})",
            group.label,
            crate::model::plural::count(group.lanes.len(), "lane", "lanes")
        ))
        .id_salt(id)
        .default_open(group.label != UNATTRIBUTED)
        .show(ui, |ui| {
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
        });
    }
}

fn sources_ui(case: &OpenCase, ui: &mut egui::Ui) {
    ui.heading("Sources");
    for s in &case.info.summary.sources {
        ui.collapsing(format!("{} ({})", s.file_name, s.kind), |ui| {
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
