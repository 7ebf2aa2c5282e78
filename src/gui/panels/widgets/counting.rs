//! The progress of a count that goes slice by slice (an event scan), with Stop.

use crate::gui::command::Command;
use crate::tr;

/// How far a count that goes slice by slice has got, with Stop (or Count again once stopped).
/// The table's summary shows the same for its count.
pub fn counting_ui(
    l: crate::i18n::Lang,
    p: crate::gui::worker::Progress,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let percent = format!("{:.0}", (p.fraction * 100.0).clamp(0.0, 99.0));
    if p.stopped {
        ui.label(tr!(l, "counting-stopped", percent = percent));
        if ui.small_button(tr!(l, "counting-again")).clicked() {
            out.push(Command::CountAgain);
        }
    } else {
        ui.spinner();
        ui.label(tr!(l, "counting-progress", percent = percent));
        if ui.small_button(tr!(l, "counting-stop")).clicked() {
            out.push(Command::StopCounting);
        }
    }
}
