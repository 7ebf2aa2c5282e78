//! The toolbar: open / new / recent cases, the sample case, the display zone (UTC, the case
//! default, or any IANA zone from a searchable list), colouring, theme and keyboard help.

use egui::RichText;

use crate::gui::app::ViewContext;
use crate::gui::command::Command;
use crate::gui::findings::FindingsCommand;
use crate::gui::lookup::LookupCommand;
use crate::gui::state::{ColorBy, DisplayZone, ThemeChoice};
use crate::gui::trail::TrailCommand;

use super::widgets::{ZonePick, ZonePicker};

#[derive(Default)]
pub struct ToolbarPanel {
    zones: ZonePicker,
}

impl ToolbarPanel {
    pub fn toolbar_ui(&mut self, ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        ui.horizontal_wrapped(|ui| {
            case_buttons_ui(ctx, ui, out);
            window_buttons_ui(ctx, ui, out);
            ui.separator();
            self.zone_ui(ctx, ui, out);
            ui.separator();
            let mut by = ctx.settings.color_by;
            egui::ComboBox::from_label("Colour by")
                .selected_text(by.label())
                .show_ui(ui, |ui| {
                    for choice in [ColorBy::Category, ColorBy::System, ColorBy::Outcome] {
                        ui.selectable_value(&mut by, choice, choice.label());
                    }
                });
            if by != ctx.settings.color_by {
                out.push(Command::SetColorBy(by));
            }
            ui.separator();
            let mut theme = ctx.settings.theme;
            ui.selectable_value(&mut theme, ThemeChoice::System, "System theme");
            ui.selectable_value(&mut theme, ThemeChoice::Light, "Light");
            ui.selectable_value(&mut theme, ThemeChoice::Dark, "Dark");
            if theme != ctx.settings.theme {
                out.push(Command::SetTheme(theme));
            }
            ui.separator();
            keys_menu_ui(ui);
        });
    }

    fn zone_ui(&mut self, ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let case_default = ctx.case.map_or("UTC", |c| c.default_zone());
        let current = &ctx.settings.display_zone;
        let fixed = [
            ("UTC".to_string(), *current == DisplayZone::Utc),
            (
                format!("Case default ({case_default})"),
                *current == DisplayZone::CaseDefault,
            ),
        ];
        let named = match current {
            DisplayZone::Named(n) => Some(n.as_str()),
            _ => None,
        };
        let pick = self.zones.menu_ui(
            ui,
            format!("Zone: {}", ctx.zone_name),
            &fixed,
            named,
            &ctx.settings.recent_zones,
        );
        if let Some(pick) = pick {
            out.push(Command::SetDisplayZone(match pick {
                ZonePick::Fixed(0) => DisplayZone::Utc,
                ZonePick::Fixed(_) => DisplayZone::CaseDefault,
                ZonePick::Zone(z) => DisplayZone::Named(z),
            }));
        }
    }
}

/// Open, new, review, by path, recent, import, the sample case.
fn case_buttons_ui(ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    if ui
        .button("Open…")
        .on_hover_text("Open a case file (.retrace) with the file dialog")
        .clicked()
    {
        out.push(Command::PickCaseFile { create: false });
    }
    if ui
        .button("New…")
        .on_hover_text("Create an empty case file")
        .clicked()
    {
        out.push(Command::PickCaseFile { create: true });
    }
    if ui
        .button("Open for review…")
        .on_hover_text("Open a case read-only: no import, export, annotation or report text")
        .clicked()
    {
        out.push(Command::PickCaseForReview);
    }
    if ui
        .button("Open by path…")
        .on_hover_text("Type a path: for systems without a file dialog")
        .clicked()
    {
        out.push(Command::ShowOpenWindow(true));
    }
    ui.menu_button("Recent", |ui| {
        if ctx.settings.recent_cases.is_empty() {
            ui.label("No recent cases");
        }
        for p in &ctx.settings.recent_cases {
            if ui.button(p.display().to_string()).clicked() {
                out.push(Command::OpenCase(p.clone()));
                ui.close();
            }
        }
    });
    if ui
        .add_enabled(ctx.case.is_some(), egui::Button::new("Import…"))
        .on_hover_text(
            "Import access logs or rosters into the open case: pick files, type a path, or drop files on the window",
        )
        .clicked()
    {
        out.push(Command::ShowImportWindow);
    }
    if ui
        .button("Sample case")
        .on_hover_text("Open the bundled fictional sample case (built on first use)")
        .clicked()
    {
        out.push(Command::OpenSample);
    }
}

/// The windows over the open case: subject lookup, findings, export, custody log.
fn window_buttons_ui(ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    if ui
        .add_enabled(ctx.case.is_some(), egui::Button::new("Subject lookup…"))
        .on_hover_text("Who saw a data subject's data: look up ids, phones, e-mails")
        .clicked()
    {
        out.push(Command::Lookup(LookupCommand::ShowSubjectLookup(true)));
    }
    if ui
        .add_enabled(ctx.case.is_some(), egui::Button::new("Findings…"))
        .on_hover_text("What the rules conclude, each with its evidence events")
        .clicked()
    {
        out.push(Command::Findings(FindingsCommand::Show(true)));
    }
    if ui
        .add_enabled(ctx.case.is_some(), egui::Button::new("Export…"))
        .on_hover_text("Export events (CSV, JSON Lines) or the regulator report, with a manifest")
        .clicked()
    {
        out.push(Command::Trail(TrailCommand::ShowExport(true)));
    }
    if ui
        .add_enabled(ctx.case.is_some(), egui::Button::new("Custody log…"))
        .on_hover_text("The case's hash-chained log of imports, exports, annotations and sign-offs")
        .clicked()
    {
        out.push(Command::Trail(TrailCommand::ShowCustody(true)));
    }
}

/// The keyboard help.
fn keys_menu_ui(ui: &mut egui::Ui) {
    ui.menu_button("Keys", |ui| {
        egui::Grid::new("keys").show(ui, |ui| {
            for (k, what) in [
                ("wheel / + -", "zoom around the pointer / the centre"),
                ("drag", "pan"),
                ("← →", "pan"),
                ("shift-drag", "select a range (the table follows it)"),
                ("N / P", "next / previous event"),
                ("Home", "show the whole case"),
                ("Esc", "clear the range selection"),
            ] {
                ui.label(RichText::new(k).monospace());
                ui.label(what);
                ui.end_row();
            }
        });
    });
}
