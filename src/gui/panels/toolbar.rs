//! The toolbar: open / new / recent cases, the sample case, the display zone (UTC, the case
//! default, or any IANA zone from a searchable list), colouring, theme and keyboard help.

use egui::RichText;

use crate::gui::app::ViewContext;
use crate::gui::command::Command;
use crate::gui::findings::FindingsCommand;
use crate::gui::lookup::LookupCommand;
use crate::gui::state::{ColorBy, DisplayZone, ThemeChoice};
use crate::gui::trail::TrailCommand;
use crate::i18n::Lang;
use crate::tr;

use super::widgets::{ZonePick, ZonePicker};

#[derive(Default)]
pub struct ToolbarPanel {
    zones: ZonePicker,
}

impl ToolbarPanel {
    pub fn toolbar_ui(&mut self, ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let l = ctx.lang;
        ui.horizontal_wrapped(|ui| {
            case_buttons_ui(ctx, ui, out);
            window_buttons_ui(ctx, ui, out);
            ui.separator();
            lang_ui(ctx, ui, out);
            ui.separator();
            self.zone_ui(ctx, ui, out);
            ui.separator();
            let mut by = ctx.settings.color_by;
            egui::ComboBox::from_label(tr!(l, "toolbar-colour-by"))
                .selected_text(by.label(l))
                .show_ui(ui, |ui| {
                    for choice in [ColorBy::Category, ColorBy::System, ColorBy::Outcome] {
                        ui.selectable_value(&mut by, choice, choice.label(l));
                    }
                });
            if by != ctx.settings.color_by {
                out.push(Command::SetColorBy(by));
            }
            ui.separator();
            let mut theme = ctx.settings.theme;
            ui.selectable_value(
                &mut theme,
                ThemeChoice::System,
                tr!(l, "toolbar-theme-system"),
            );
            ui.selectable_value(
                &mut theme,
                ThemeChoice::Light,
                tr!(l, "toolbar-theme-light"),
            );
            ui.selectable_value(&mut theme, ThemeChoice::Dark, tr!(l, "toolbar-theme-dark"));
            if theme != ctx.settings.theme {
                out.push(Command::SetTheme(theme));
            }
            ui.separator();
            keys_menu_ui(l, ui);
        });
    }

    fn zone_ui(&mut self, ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let l = ctx.lang;
        let case_default = ctx.case.map_or("UTC", |c| c.default_zone());
        let current = &ctx.settings.display_zone;
        let fixed = [
            ("UTC".to_string(), *current == DisplayZone::Utc),
            (
                tr!(l, "toolbar-zone-case-default", zone = case_default),
                *current == DisplayZone::CaseDefault,
            ),
        ];
        let named = match current {
            DisplayZone::Named(n) => Some(n.as_str()),
            _ => None,
        };
        let pick = self.zones.menu_ui(
            ui,
            tr!(l, "toolbar-zone", zone = ctx.zone_name),
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
    let l = ctx.lang;
    if ui
        .button(tr!(l, "toolbar-open"))
        .on_hover_text(tr!(l, "toolbar-open-tip"))
        .clicked()
    {
        out.push(Command::PickCaseFile { create: false });
    }
    if ui
        .button(tr!(l, "toolbar-new"))
        .on_hover_text(tr!(l, "toolbar-new-tip"))
        .clicked()
    {
        out.push(Command::PickCaseFile { create: true });
    }
    if ui
        .button(tr!(l, "toolbar-review"))
        .on_hover_text(tr!(l, "toolbar-review-tip"))
        .clicked()
    {
        out.push(Command::PickCaseForReview);
    }
    if ui
        .button(tr!(l, "toolbar-by-path"))
        .on_hover_text(tr!(l, "toolbar-by-path-tip"))
        .clicked()
    {
        out.push(Command::ShowOpenWindow(true));
    }
    ui.menu_button(tr!(l, "toolbar-recent"), |ui| {
        if ctx.settings.recent_cases.is_empty() {
            ui.label(tr!(l, "toolbar-no-recent"));
        }
        for p in &ctx.settings.recent_cases {
            if ui.button(p.display().to_string()).clicked() {
                out.push(Command::OpenCase(p.clone()));
                ui.close();
            }
        }
    });
    if ui
        .add_enabled(
            ctx.case.is_some(),
            egui::Button::new(tr!(l, "toolbar-import")),
        )
        .on_hover_text(tr!(l, "toolbar-import-tip"))
        .clicked()
    {
        out.push(Command::ShowImportWindow);
    }
    if ui
        .button(tr!(l, "toolbar-sample"))
        .on_hover_text(tr!(l, "toolbar-sample-tip"))
        .clicked()
    {
        out.push(Command::OpenSample);
    }
}

/// The windows over the open case: subject lookup, findings, export, custody log.
fn window_buttons_ui(ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let l = ctx.lang;
    if ui
        .add_enabled(
            ctx.case.is_some(),
            egui::Button::new(tr!(l, "toolbar-subject")),
        )
        .on_hover_text(tr!(l, "toolbar-subject-tip"))
        .clicked()
    {
        out.push(Command::Lookup(LookupCommand::ShowSubjectLookup(true)));
    }
    if ui
        .add_enabled(
            ctx.case.is_some(),
            egui::Button::new(tr!(l, "toolbar-findings")),
        )
        .on_hover_text(tr!(l, "toolbar-findings-tip"))
        .clicked()
    {
        out.push(Command::Findings(FindingsCommand::Show(true)));
    }
    if ui
        .add_enabled(
            ctx.case.is_some(),
            egui::Button::new(tr!(l, "toolbar-export")),
        )
        .on_hover_text(tr!(l, "toolbar-export-tip"))
        .clicked()
    {
        out.push(Command::Trail(TrailCommand::ShowExport(true)));
    }
    if ui
        .add_enabled(
            ctx.case.is_some(),
            egui::Button::new(tr!(l, "toolbar-custody")),
        )
        .on_hover_text(tr!(l, "toolbar-custody-tip"))
        .clicked()
    {
        out.push(Command::Trail(TrailCommand::ShowCustody(true)));
    }
}

/// The language switch: each language by its own name, so that a reader who cannot read the
/// current one still finds theirs.
fn lang_ui(ctx: &ViewContext<'_>, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let mut lang = ctx.lang;
    egui::ComboBox::from_id_salt("language")
        .selected_text(lang.native_name())
        .show_ui(ui, |ui| {
            for choice in Lang::ALL {
                ui.selectable_value(&mut lang, choice, choice.native_name());
            }
        })
        .response
        .on_hover_text(tr!(ctx.lang, "language-switch-tip"));
    if lang != ctx.lang {
        out.push(Command::SetLang(lang));
    }
}

/// The keyboard help.
fn keys_menu_ui(l: Lang, ui: &mut egui::Ui) {
    ui.menu_button(tr!(l, "toolbar-keys"), |ui| {
        egui::Grid::new("keys").show(ui, |ui| {
            for (k, what) in [
                ("wheel / + -", "keys-zoom"),
                ("drag", "keys-pan"),
                ("← →", "keys-pan"),
                ("shift-drag", "keys-select-range"),
                ("N / P", "keys-step"),
                ("Home", "keys-home"),
                ("Esc", "keys-esc"),
            ] {
                ui.label(RichText::new(k).monospace());
                ui.label(crate::i18n::t(l, what));
                ui.end_row();
            }
        });
    });
}
