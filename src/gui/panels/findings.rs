//! The findings window: the rules' findings (rule, severity, count, who, time span), a
//! finding's explanation and evidence — opened on the timeline as a filter to exactly its
//! events — the investigator's decision (confirm / dismiss / reopen, with a note, kept in the
//! case with who and when), and the rules' parameters, stored in the case. It reads
//! [`crate::gui::findings::FindingsState`] through the open case and sends commands; the
//! rules run in the app's worker.

mod triage;

use std::collections::BTreeMap;

use egui::RichText;

use crate::analysis::findings::{Finding, FindingSet, Params, RULES, SPECS, Severity};
use crate::case::FilterTerm;
use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::gui::findings::FindingsCommand;
use crate::i18n::{Lang, format_in_zone};
use crate::model::finding::DispositionStatus;
use crate::tr;

use super::NameField;

pub(super) fn severity_color(s: Severity, visuals: &egui::Visuals) -> egui::Color32 {
    match s {
        Severity::High => visuals.error_fg_color,
        Severity::Medium => visuals.warn_fg_color,
        Severity::Low => visuals.text_color(),
        Severity::Info => visuals.weak_text_color(),
    }
}

/// Who a finding is about, for the list.
pub(super) fn who(f: &Finding, case: &OpenCase) -> String {
    if f.person_keys.is_empty() {
        return f.systems.join(", ");
    }
    f.person_keys
        .iter()
        .map(|k| {
            case.info
                .persons
                .iter()
                .find(|p| &p.key == k)
                .map_or_else(|| k.clone(), |p| format!("{k} {}", p.display_name))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the window keeps for itself: the note being typed and parameter drafts.
#[derive(Default)]
pub struct FindingsPanel {
    pub note: String,
    note_for: Option<String>,
    drafts: BTreeMap<(String, String), String>,
    drafts_from: Option<Params>,
    /// The open group's decision form.
    group: triage::GroupForm,
}

impl FindingsPanel {
    pub fn window_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        name: &mut NameField,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let st = &case.findings;
        if !st.open {
            return;
        }
        let mut open = true;
        egui::Window::new(tr!(ctx.lang, "findings-title"))
            .constrain_to(super::desk(ui.ctx()))
            .id(egui::Id::unique("findings-window"))
            .open(&mut open)
            .default_size([1180.0, 660.0])
            .resizable(true)
            .show(ui.ctx(), |ui| self.contents_ui(ctx, case, name, ui, out));
        if !open {
            out.push(Command::Findings(FindingsCommand::Show(false)));
        }
    }

    fn contents_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        name: &mut NameField,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        let st = &case.findings;
        status_ui(ctx, case, ui, out);
        if let Some(e) = &st.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        let Some(set) = st.set.clone() else {
            return;
        };
        rule_filter_ui(ctx.lang, case, &set, ui, out);
        triage::filters_ui(case, &set, ui, out);
        ui.separator();
        // The list takes the window's height; the selected finding or group sits beside it.
        let avail = ui.available_size();
        let detail_w = (avail.x * 0.32).clamp(260.0, 440.0);
        let list_w = (avail.x - detail_w - 12.0).max(200.0);
        ui.horizontal_top(|ui| {
            ui.allocate_ui_with_layout(
                egui::vec2(list_w, avail.y),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    ui.set_min_size(egui::vec2(list_w, avail.y));
                    ui.set_max_width(list_w);
                    triage::list_ui(ctx, case, &set, ui, out);
                },
            );
            ui.separator();
            // Less the separator's spacing, so the pane ends inside the window.
            let detail_w = detail_w - 2.0 * ui.spacing().item_spacing.x;
            ui.allocate_ui_with_layout(
                egui::vec2(detail_w, avail.y),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("findings-detail-scroll")
                        .auto_shrink(false)
                        .show(ui, |ui| self.detail_ui(ctx, case, &set, name, ui, out));
                },
            );
        });
    }

    fn detail_ui(
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
        if st.grouped && st.selected_group.is_some() {
            self.group.ui(ctx, case, set, name, ui, out);
            ui.separator();
        }
        match st.selected.as_deref().and_then(|k| set.get(k)) {
            Some(f) => self.finding_ui(ctx, f, name, ui, out),
            None if st.grouped && st.selected_group.is_some() => {}
            None => {
                ui.label(RichText::new(tr!(l, "findings-select-hint")).weak());
            }
        }
        ui.separator();
        egui::CollapsingHeader::new(tr!(l, "findings-abroad"))
            .id_salt("findings-abroad")
            .show(ui, |ui| {
                if set.reached_from_abroad.is_empty() {
                    ui.label(tr!(l, "findings-abroad-none"));
                }
                let countries = |codes: &[String]| {
                    codes
                        .iter()
                        .map(|c| crate::i18n::country(l, c))
                        .collect::<Vec<_>>()
                        .join(&tr!(l, "findings-country-separator"))
                };
                for r in &set.reached_from_abroad {
                    let cats: Vec<String> = r
                        .by_category
                        .iter()
                        .map(|(c, n)| {
                            let c = tr!(l, "findings-category", category = c.as_str());
                            format!("{c} {n}")
                        })
                        .collect();
                    ui.label(tr!(
                        l,
                        "findings-abroad-row",
                        country = crate::i18n::country(l, &r.subject_country),
                        subjects = crate::analysis::findings::count_phrase_in(
                            l, r.subjects, r.unit, r.at_least
                        ),
                        events = tr!(l, "count-access-events", count = r.events),
                        from = countries(&r.actor_countries),
                        stored = countries(&r.storage_countries),
                        categories = cats.join(&tr!(l, "list-separator"))
                    ));
                }
            });
        egui::CollapsingHeader::new(tr!(l, "findings-params"))
            .id_salt("findings-params")
            .show(ui, |ui| {
                let unnamed = ctx.trail.investigator.name().is_none();
                if unnamed && !ctx.review {
                    ui.label(RichText::new(tr!(l, "findings-params-name-first")).weak());
                }
                self.params_ui(
                    l,
                    &set.params,
                    st.is_busy() || ctx.review || unnamed,
                    ui,
                    out,
                )
            });
    }

    fn finding_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        f: &Finding,
        name: &mut NameField,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        if self.note_for.as_deref() != Some(f.key.as_str()) {
            self.note_for = Some(f.key.clone());
            self.note = f
                .disposition
                .as_ref()
                .map(|d| d.note.clone())
                .unwrap_or_default();
        }
        let l = ctx.lang;
        ui.label(RichText::new(f.title_in(l)).strong());
        ui.label(format!(
            "{} · {} · {} · {} – {} ({})",
            f.rule.name_in(l),
            crate::analysis::findings::severity_in(l, f.severity),
            f.count_text_in(l),
            format_in_zone(l, f.start_us, ctx.zone),
            format_in_zone(l, f.end_us, ctx.zone),
            ctx.zone_name
        ));
        if f.at_least {
            ui.colored_label(ui.visuals().warn_fg_color, tr!(l, "findings-lower-bound"));
        }
        ui.add(egui::Label::new(f.explanation_in(l)).wrap());
        ui.label(
            RichText::new(tr!(l, "findings-key", key = &f.key))
                .small()
                .weak(),
        );
        ui.horizontal(|ui| {
            let events = tr!(l, "count-evidence-events", count = f.evidence.len());
            if ui
                .button(tr!(l, "findings-show-evidence", events = events))
                .clicked()
            {
                open_evidence(f, out);
            }
        });
        match &f.disposition {
            Some(d) => ui.label(tr!(
                l,
                "findings-status-by",
                status = crate::analysis::findings::status_in(l, d.status),
                author = &d.author,
                at = format_in_zone(l, d.at_us, ctx.zone),
                note = if d.note.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", d.note)
                }
            )),
            None => ui.label(tr!(l, "findings-status-is-open")),
        };
        let label = ui.label(tr!(l, "findings-note"));
        ui.add(
            egui::TextEdit::multiline(&mut self.note)
                .id_salt("finding-note")
                .hint_text(tr!(l, "findings-note-hint"))
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        // A decision is recorded with who made it: ask for the name as the Annotate pane does.
        let named = ctx.review || name.ask_ui(&ctx.trail.investigator, ui, out).is_some();
        let why_not = if ctx.review {
            tr!(l, "findings-review-only")
        } else {
            tr!(l, "findings-name-first")
        };
        ui.horizontal(|ui| {
            for (text, status) in [
                (tr!(l, "findings-confirm"), DispositionStatus::Confirmed),
                (tr!(l, "findings-dismiss"), DispositionStatus::Dismissed),
                (tr!(l, "findings-reopen"), DispositionStatus::Open),
            ] {
                if ui
                    .add_enabled(!ctx.review && named, egui::Button::new(text))
                    .on_disabled_hover_text(&why_not)
                    .clicked()
                {
                    out.push(Command::Findings(FindingsCommand::Dispose {
                        key: f.key.clone(),
                        status,
                        note: self.note.clone(),
                    }));
                }
            }
        });
    }

    fn params_ui(
        &mut self,
        l: Lang,
        params: &Params,
        busy: bool,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        if self.drafts_from.as_ref() != Some(params) {
            self.drafts_from = Some(params.clone());
            self.drafts = SPECS
                .iter()
                .map(|s| {
                    (
                        (s.rule.to_string(), s.key.to_string()),
                        params
                            .get(s.rule, s.key)
                            .map(|v| v.to_string())
                            .unwrap_or_default(),
                    )
                })
                .collect();
        }
        let defaults = Params::default();
        // One block per parameter: its name; its value and buttons; what it means, wrapped at
        // the panel's width (as a fourth grid column it was cut off at the window's edge).
        for s in SPECS {
            let k = (s.rule.to_string(), s.key.to_string());
            let name = format!("{}.{}", s.rule, s.key);
            let description = s.description_in(l);
            let draft = self.drafts.entry(k).or_default();
            let current = params.get(s.rule, s.key).unwrap_or_default();
            let parsed = serde_json::from_str::<serde_json::Value>(draft.trim())
                .unwrap_or_else(|_| serde_json::Value::String(draft.trim().to_string()));
            let mut check = params.clone();
            let valid = check.set(s.rule, s.key, &parsed);
            ui.label(&name).on_hover_text(&description);
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(draft)
                        .id_salt(format!("param-{name}"))
                        .desired_width(140.0),
                )
                .on_hover_text(&description);
                if ui
                    .add_enabled(
                        !busy && valid.is_ok() && parsed != current,
                        egui::Button::new(tr!(l, "findings-apply")),
                    )
                    .on_disabled_hover_text(valid.clone().err().unwrap_or_default())
                    .clicked()
                {
                    out.push(Command::Findings(FindingsCommand::SetParam {
                        rule: s.rule.to_string(),
                        key: s.key.to_string(),
                        value: Some(parsed.clone()),
                    }));
                }
                let default = defaults.get(s.rule, s.key).unwrap_or_default();
                if ui
                    .add_enabled(
                        !busy && current != default,
                        egui::Button::new(tr!(l, "findings-default")),
                    )
                    .on_hover_text(tr!(l, "findings-default-tip", value = default.to_string()))
                    .clicked()
                {
                    out.push(Command::Findings(FindingsCommand::SetParam {
                        rule: s.rule.to_string(),
                        key: s.key.to_string(),
                        value: None,
                    }));
                }
            });
            match valid {
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                Ok(()) => {
                    ui.add(egui::Label::new(RichText::new(description).small().weak()).wrap());
                }
            }
            ui.add_space(4.0);
        }
    }
}

/// `2020-10-05 13:56 – 14:10` (same day) or `2020-10-05 13:56 – 2020-10-06 01:02`: minutes
/// in the display zone (named in the window's header); the detail shows seconds and offset.
pub(super) fn span_text(l: Lang, from_us: i64, to_us: i64, zone: chrono_tz::Tz) -> String {
    if l == Lang::Ja {
        return span_text_ja(from_us, to_us, zone);
    }
    let a = crate::model::time::format_in_zone(from_us, zone);
    let b = crate::model::time::format_in_zone(to_us, zone);
    let (Some(a16), Some(b16)) = (a.get(..16), b.get(..16)) else {
        return format!("{a} – {b}");
    };
    if a16 == b16 {
        a16.to_string()
    } else if a.get(..10) == b.get(..10) {
        format!("{a16} – {}", &b16[11..])
    } else {
        format!("{a16} – {b16}")
    }
}

/// `2020年10月5日 13:56 – 14:10` or across days `… – 2020年10月6日 01:02`: without the
/// weekday, to fit the list's column (the detail shows the full date).
fn span_text_ja(from_us: i64, to_us: i64, zone: chrono_tz::Tz) -> String {
    let local = |us: i64| {
        chrono::DateTime::from_timestamp_micros(us)
            .unwrap_or_default()
            .with_timezone(&zone)
    };
    let (a, b) = (local(from_us), local(to_us));
    let a_text = a.format("%Y年%-m月%-d日 %H:%M").to_string();
    if a.format("%Y-%m-%d %H:%M").to_string() == b.format("%Y-%m-%d %H:%M").to_string() {
        a_text
    } else if a.date_naive() == b.date_naive() {
        format!("{a_text} – {}", b.format("%H:%M"))
    } else {
        format!("{a_text} – {}", b.format("%Y年%-m月%-d日 %H:%M"))
    }
}

/// Filters the timeline and the table to exactly the finding's evidence, shows its span and
/// selects its first event.
pub fn open_evidence(f: &Finding, out: &mut Vec<Command>) {
    let who = f.person_keys.join(", ");
    let label = format!(
        "evidence: {}{}",
        f.rule,
        if who.is_empty() {
            String::new()
        } else {
            format!(" {who}")
        }
    );
    open_events(label, f.evidence.clone(), (f.start_us, f.end_us), out);
}

/// Replaces the timeline's filter with exactly `ids` (every older chip goes: a person or
/// system chip left in place would hide part of the evidence), shows `span` and selects the
/// first event.
pub fn open_events(
    label: String,
    ids: Vec<i64>,
    (start_us, end_us): (i64, i64),
    out: &mut Vec<Command>,
) {
    out.push(Command::ClearFilters);
    let first = ids.first().copied();
    out.push(Command::AddFilter(FilterTerm::Events { label, ids }));
    let span = (end_us - start_us) as f64;
    let pad = (span * 0.1).max(10.0 * 60.0 * 1e6);
    out.push(Command::SetView {
        from_us: start_us as f64 - pad,
        to_us: end_us as f64 + pad,
    });
    if let Some(id) = first {
        out.push(Command::SelectEvent {
            id,
            ts_us: start_us,
            scroll_table: true,
        });
    }
}

/// How many findings, how long the rules took, and the re-run button.
fn status_ui(ctx: &ViewContext<'_>, case: &OpenCase, ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let st = &case.findings;
    ui.horizontal(|ui| {
        let l = ctx.lang;
        match &st.set {
            Some(set) => {
                ui.label(tr!(
                    l,
                    "findings-over",
                    findings = tr!(l, "count-findings", count = set.findings.len()),
                    events = tr!(l, "count-events", count = set.events_scanned)
                ));
                if let Some(t) = st.took {
                    let seconds = format!("{:.2}", t.as_secs_f64());
                    ui.label(RichText::new(tr!(l, "findings-took", seconds = seconds)).weak());
                }
            }
            None => {
                ui.label(tr!(l, "findings-not-run"));
            }
        }
        if st.is_busy() {
            ui.spinner();
            ui.label(tr!(l, "findings-running"));
        }
        if ui
            .add_enabled(!st.is_busy(), egui::Button::new(tr!(l, "findings-rerun")))
            .clicked()
        {
            out.push(Command::Findings(FindingsCommand::Rerun));
        }
        ui.label(RichText::new(tr!(l, "findings-times-in", zone = ctx.zone_name)).weak());
    });
}

/// All findings, or one rule's.
fn rule_filter_ui(
    l: Lang,
    case: &OpenCase,
    set: &FindingSet,
    ui: &mut egui::Ui,
    out: &mut Vec<Command>,
) {
    let st = &case.findings;
    // Rule filter.
    ui.horizontal_wrapped(|ui| {
        if ui
            .selectable_label(
                st.rule_filter.is_none(),
                tr!(l, "findings-all", count = set.findings.len()),
            )
            .clicked()
        {
            out.push(Command::Findings(FindingsCommand::FilterRule(None)));
        }
        for rule in RULES {
            let n = set.of_rule(*rule).count();
            if ui
                .selectable_label(
                    st.rule_filter == Some(*rule),
                    format!("{} ({n})", rule.name_in(l)),
                )
                .clicked()
            {
                out.push(Command::Findings(FindingsCommand::FilterRule(Some(*rule))));
            }
        }
    });
}
