//! The one zone picker: a menu with a few fixed choices (UTC, a default), the recently
//! chosen zones, and every IANA zone filtered by what is typed. The display zone and the
//! import's source zone both use it.
//!
//! The menu closes only on a click outside it (or a choice): egui's default closes a menu
//! on any click inside, so clicking the search field used to close it, and the typed text
//! then went to the global shortcuts.

use egui::RichText;
use egui::containers::menu::{MenuButton, MenuConfig};

/// What was chosen in the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZonePick {
    /// One of the fixed choices, by index.
    Fixed(usize),
    /// An IANA zone, by name.
    Zone(String),
}

/// The picker's own state: the text being typed.
#[derive(Default)]
pub struct ZonePicker {
    search: String,
}

/// Height of one zone row in the scrolled list.
const ROW_HEIGHT: f32 = 20.0;

impl ZonePicker {
    /// The menu button `title`; `fixed` are (label, selected) choices shown first, `current`
    /// the chosen IANA zone if any, `recent` the recently chosen zones, newest first.
    pub fn menu_ui(
        &mut self,
        ui: &mut egui::Ui,
        title: String,
        fixed: &[(String, bool)],
        current: Option<&str>,
        recent: &[String],
    ) -> Option<ZonePick> {
        let mut pick = None;
        let config =
            MenuConfig::new().close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
        let l = crate::gui::lang::of(ui.ctx());
        MenuButton::new(title).config(config).ui(ui, |ui| {
            ui.set_min_width(260.0);
            for (i, (label, selected)) in fixed.iter().enumerate() {
                if ui.selectable_label(*selected, label).clicked() {
                    pick = Some(ZonePick::Fixed(i));
                }
            }
            let recent: Vec<&str> = recent
                .iter()
                .map(String::as_str)
                .filter(|z| matches_search(z, &self.search))
                .collect();
            if !recent.is_empty() {
                ui.separator();
                ui.label(RichText::new(crate::tr!(l, "zone-recent")).weak());
                for z in &recent {
                    if ui.selectable_label(current == Some(*z), *z).clicked() {
                        pick = Some(ZonePick::Zone(z.to_string()));
                    }
                }
            }
            ui.separator();
            pick = self.search_ui(ui, current).or(pick.take());
            if pick.is_some() {
                // The next time the menu opens, it lists every zone again.
                self.search.clear();
                ui.close();
            }
        });
        pick
    }

    /// The search field and every zone that matches it.
    fn search_ui(&mut self, ui: &mut egui::Ui, current: Option<&str>) -> Option<ZonePick> {
        let l = crate::gui::lang::of(ui.ctx());
        let label = ui.label(crate::tr!(l, "zone-search"));
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text(crate::tr!(l, "zone-search-hint"))
                    .desired_width(240.0),
            )
            .labelled_by(label.id);
        let matches = matching_zones(&self.search);
        // Enter takes the first match.
        if edit.lost_focus()
            && ui.input(|i| i.key_pressed(egui::Key::Enter))
            && let Some(z) = matches.first()
        {
            return Some(ZonePick::Zone(z.to_string()));
        }
        if matches.is_empty() {
            ui.label(RichText::new(crate::tr!(l, "zone-none")).weak());
            return None;
        }
        let n = matches.len();
        ui.label(
            RichText::new(crate::tr!(l, "zone-count", count = n))
                .weak()
                .small(),
        );
        let mut pick = None;
        egui::ScrollArea::vertical()
            .max_height(260.0)
            .auto_shrink([false, true])
            .show_rows(ui, ROW_HEIGHT, matches.len(), |ui, rows| {
                for z in &matches[rows] {
                    if ui.selectable_label(current == Some(*z), *z).clicked() {
                        pick = Some(ZonePick::Zone(z.to_string()));
                    }
                }
            });
        pick
    }
}

/// Every IANA zone whose name contains what is typed: case-insensitive, a space matching
/// the underscore of names such as `America/New_York`.
fn matching_zones(search: &str) -> Vec<&'static str> {
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| z.name())
        .filter(|z| matches_search(z, search))
        .collect()
}

fn matches_search(zone: &str, search: &str) -> bool {
    let needle = search.trim().to_lowercase().replace(' ', "_");
    needle.is_empty() || zone.to_lowercase().contains(&needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_iana_zone_is_listed_and_the_search_narrows_them() {
        assert_eq!(matching_zones("").len(), chrono_tz::TZ_VARIANTS.len());
        assert!(matching_zones("shanghai").contains(&"Asia/Shanghai"));
        assert!(matching_zones("new york").contains(&"America/New_York"));
        assert!(matching_zones("no such zone").is_empty());
    }
}
