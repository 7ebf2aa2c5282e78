//! The timeline: one swimlane per person grouped by organization, plus one per unattributed
//! account; a density strip for the whole case on top; a time axis in the display zone;
//! milestones as labelled vertical rules. Zoomed out it draws one bucket per pixel column
//! (from the hourly aggregate); with few events in view it draws each event as a mark.
//!
//! Input: wheel zooms around the pointer, drag pans, shift-drag selects a range, click
//! selects an event; the wheel over the lane labels scrolls the lanes; click or drag in the
//! density strip moves the view there. Keys: + − ← → Home Esc N P.

use egui::{Align2, Color32, FontId, Pos2, Rect, RichText, Sense, Stroke, Vec2};

use crate::gui::app::{OpenCase, ViewContext};
use crate::gui::command::Command;
use crate::gui::lookup::LookupCommand;
use crate::gui::panels::{category_color, index_color, outcome_color, widgets};
use crate::gui::state::{ColorBy, Lane};
use crate::gui::time_axis;
use crate::gui::worker::{MARK_LIMIT, TimelineData};
use crate::i18n::{Lang, category_name, format_in_zone, outcome_name};
use crate::model::Outcome;
use crate::model::category::CategorySet;
use crate::tr;

const LABEL_W: f32 = 160.0;
const AXIS_H: f32 = 34.0;
const DENSITY_H: f32 = 30.0;
const GROUP_H: f32 = 20.0;
const LANE_H: f32 = 22.0;
const MILESTONE_H: f32 = 16.0;

#[derive(Default)]
pub struct TimelinePanel {
    plot_width_px: f32,
    lane_scroll_px: f32,
    /// Where a shift-drag started (UTC µs).
    select_anchor_us: Option<f64>,
    /// Marks drawn last frame, for clicks and hovers: (event id, ts_us, rect).
    drawn_marks: Vec<(i64, i64, Rect)>,
    /// Refused attempts drawn over the counts last frame: (lane, outcome, rect).
    drawn_refused: Vec<(usize, Outcome, Rect)>,
    /// The plot (axis to bottom, right of the lane labels) last frame.
    plot_rect: Option<Rect>,
}

/// A lane or a group header, laid out top to bottom.
enum Row<'a> {
    Group(&'a str),
    Lane(usize, &'a Lane),
}

/// Maps time to x and back for the visible range.
#[derive(Clone, Copy)]
struct XMap {
    from_us: f64,
    to_us: f64,
    left: f32,
    width: f32,
}

impl XMap {
    fn x(&self, ts_us: f64) -> f32 {
        self.left + ((ts_us - self.from_us) / (self.to_us - self.from_us)) as f32 * self.width
    }
    fn t(&self, x: f32) -> f64 {
        self.from_us + f64::from((x - self.left) / self.width) * (self.to_us - self.from_us)
    }
}

/// Where the parts of the timeline go this frame.
struct Layout {
    /// The whole panel.
    rect: Rect,
    map: XMap,
    axis: Rect,
    density: Rect,
    /// Labels and lanes, below the milestones.
    lanes: Rect,
    /// Axis to bottom, right of the labels.
    plot: Rect,
    /// The lane labels.
    gutter: Rect,
}

impl Layout {
    /// `milestones_h`: the height of the milestone labels' strip above the lanes.
    fn new(rect: Rect, map: XMap, milestones_h: f32) -> Layout {
        let plot_left = map.left;
        let axis = Rect::from_min_max(
            Pos2::new(plot_left, rect.top()),
            Pos2::new(map.left + map.width, rect.top() + AXIS_H),
        );
        let density = Rect::from_min_max(
            Pos2::new(plot_left, axis.bottom()),
            Pos2::new(axis.right(), axis.bottom() + DENSITY_H),
        );
        let lanes = Rect::from_min_max(
            Pos2::new(rect.left(), density.bottom() + milestones_h),
            Pos2::new(axis.right(), rect.bottom()),
        );
        let plot = Rect::from_min_max(
            Pos2::new(plot_left, axis.top()),
            Pos2::new(axis.right(), rect.bottom()),
        );
        let gutter = Rect::from_min_max(lanes.min, Pos2::new(plot_left, lanes.bottom()));
        Layout {
            rect,
            map,
            axis,
            density,
            lanes,
            plot,
            gutter,
        }
    }
}

/// The density strip navigates: centre the view where it is clicked or dragged.
fn density_input(case: &OpenCase, map: XMap, density: &egui::Response, out: &mut Vec<Command>) {
    if (density.clicked() || density.dragged())
        && let Some(pos) = density.interact_pointer_pos()
        && let Some(t) = &case.density
    {
        let r = &t.request;
        let frac =
            f64::from(((pos.x - density.rect.left()) / density.rect.width()).clamp(0.0, 1.0));
        let centre = r.from_us as f64 + frac * (r.to_us - r.from_us) as f64;
        let half = (map.to_us - map.from_us) / 2.0;
        out.push(Command::SetView {
            from_us: centre - half,
            to_us: centre + half,
        });
    }
}

/// Zoom, pan, whole case, clear the selection, next and previous event.
fn keys_input(case: &OpenCase, map: XMap, i: &egui::InputState, out: &mut Vec<Command>) {
    let span = map.to_us - map.from_us;
    if i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals) {
        out.push(zoom(case, 0.5, None));
    }
    if i.key_pressed(egui::Key::Minus) {
        out.push(zoom(case, 2.0, None));
    }
    for (key, dir) in [(egui::Key::ArrowLeft, -1.0), (egui::Key::ArrowRight, 1.0)] {
        if i.key_pressed(key) {
            out.push(Command::SetView {
                from_us: map.from_us + dir * span * 0.1,
                to_us: map.to_us + dir * span * 0.1,
            });
        }
    }
    if i.key_pressed(egui::Key::Home) {
        out.push(Command::ZoomToCase);
    }
    if i.key_pressed(egui::Key::Escape) {
        out.push(Command::SetSelection(None));
    }
    if i.key_pressed(egui::Key::N) {
        out.push(Command::StepEvent { forward: true });
    }
    if i.key_pressed(egui::Key::P) {
        out.push(Command::StepEvent { forward: false });
    }
}

/// The shift-drag range selection, over the axis and the lanes.
fn selection_ui(case: &OpenCase, l: &Layout, painter: &egui::Painter, visuals: &egui::Visuals) {
    let Some((a, b)) = case.view.selection else {
        return;
    };
    let map = l.map;
    let sel = Rect::from_min_max(
        Pos2::new(map.x(a as f64).max(map.left), l.axis.top()),
        Pos2::new(map.x(b as f64).min(map.left + map.width), l.lanes.bottom()),
    );
    if sel.width() > 0.0 {
        painter.rect_filled(sel, 0.0, visuals.selection.bg_fill.gamma_multiply(0.25));
        painter.vline(sel.left(), sel.y_range(), visuals.selection.stroke);
        painter.vline(sel.right(), sel.y_range(), visuals.selection.stroke);
    }
}

impl TimelinePanel {
    /// The plot's width last frame: the number of pixel columns to ask buckets for.
    pub fn plot_width_px(&self) -> f32 {
        if self.plot_width_px > 0.0 {
            self.plot_width_px
        } else {
            800.0
        }
    }

    pub fn on_case_opened(&mut self) {
        *self = TimelinePanel {
            plot_width_px: self.plot_width_px,
            ..TimelinePanel::default()
        };
    }

    /// The refused attempts drawn over the counts last frame: (lane, outcome, rect).
    pub fn refused_rects(&self) -> &[(usize, Outcome, Rect)] {
        &self.drawn_refused
    }

    /// The plot's rect last frame, if the timeline was drawn.
    pub fn plot_rect(&self) -> Option<Rect> {
        self.plot_rect
    }

    /// The events drawn as marks last frame, in drawing order (the last is on top).
    pub fn marks_in_drawing_order(&self) -> Vec<i64> {
        self.drawn_marks.iter().map(|m| m.0).collect()
    }

    /// Where an event's mark was drawn last frame (for tests and keyboard focus).
    pub fn mark_rect(&self, id: i64) -> Option<Rect> {
        self.drawn_marks.iter().find(|m| m.0 == id).map(|m| m.2)
    }

    pub fn timeline_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        self.header_ui(ctx, case, ui, out);
        let rect = ui.available_rect_before_wrap();
        self.plot_rect = None;
        if rect.width() < LABEL_W + 50.0 || rect.height() < AXIS_H + DENSITY_H + 20.0 {
            return;
        }
        let plot_left = rect.left() + LABEL_W;
        self.plot_width_px = rect.right() - plot_left - 8.0;
        let map = XMap {
            from_us: case.view.from_us,
            to_us: case.view.to_us,
            left: plot_left,
            width: self.plot_width_px,
        };
        let milestones = place_milestones(ctx, case, map, ui.painter());
        let l = Layout::new(rect, map, MILESTONE_H * milestone_rows(&milestones) as f32);
        let rows = visible_rows(case);
        let content_h: f32 = rows
            .iter()
            .map(|r| {
                if matches!(r, Row::Group(_)) {
                    GROUP_H
                } else {
                    LANE_H
                }
            })
            .sum();
        self.plot_rect = Some(l.plot);
        let max_scroll = (content_h - l.lanes.height()).max(0.0);
        self.lane_scroll_px = self.lane_scroll_px.clamp(0.0, max_scroll);

        // Interaction first, so this frame draws the result.
        let plot_resp = self.interact(case, &l, max_scroll, ui, out);

        let painter = ui.painter_at(rect);
        let visuals = ui.visuals().clone();
        painter.rect_filled(l.plot, 0.0, visuals.extreme_bg_color);
        self.axis_ui(ctx, map, l.axis, l.lanes, ui, &painter);
        density_ui(ctx, case, map, l.density, &painter, &visuals);
        let lane_y = self.lanes_ui(ctx, case, &l, &rows, ui, out);
        uncounted_ui(case, map, l.lanes, &painter, &visuals);
        self.marks_ui(ctx, case, &l, &lane_y, &painter, &visuals);
        selection_ui(case, &l, &painter, &visuals);
        coverage_bands_ui(ctx.lang, case, map, l.density.top(), l.lanes, &painter);
        milestones_ui(&milestones, l.density.bottom(), l.lanes, ui, &painter);
        if case.timeline.is_none() {
            painter.text(
                l.lanes.center(),
                Align2::CENTER_CENTER,
                tr!(ctx.lang, "timeline-loading"),
                FontId::proportional(14.0),
                visuals.weak_text_color(),
            );
        }
        // Scroll indicator for the lanes.
        if max_scroll > 0.0 {
            let frac = l.lanes.height() / content_h;
            let h = (l.lanes.height() * frac).max(20.0);
            let top = l.lanes.top() + (l.lanes.height() - h) * (self.lane_scroll_px / max_scroll);
            painter.rect_filled(
                Rect::from_min_size(Pos2::new(rect.right() - 5.0, top), Vec2::new(4.0, h)),
                2.0,
                visuals.widgets.inactive.bg_fill,
            );
        }
        self.hover_ui(ctx, case, &l, &plot_resp, &rows, &milestones);
        ui.allocate_rect(rect, Sense::hover());
    }

    /// The plot's, the density strip's and the label gutter's input; returns the plot's.
    fn interact(
        &mut self,
        case: &OpenCase,
        l: &Layout,
        max_scroll: f32,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) -> egui::Response {
        let density_resp = ui.interact(
            l.density,
            ui.scope_id().with("density"),
            Sense::click_and_drag(),
        );
        let plot_resp = ui.interact(
            Rect::from_min_max(Pos2::new(l.map.left, l.lanes.top()), l.lanes.max).union(l.axis),
            ui.scope_id().with("plot"),
            Sense::click_and_drag(),
        );
        let gutter_resp = ui.interact(l.gutter, ui.scope_id().with("gutter"), Sense::hover());
        self.handle_input(
            case,
            l.map,
            &plot_resp,
            &density_resp,
            &gutter_resp,
            max_scroll,
            out,
        );
        plot_resp
    }

    /// Group headers, lane labels and lines, and the buckets when there are no marks.
    /// Returns each lane's top and bottom (`None`: not laid out).
    fn lanes_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        l: &Layout,
        rows: &[Row<'_>],
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) -> Vec<Option<(f32, f32)>> {
        let visuals = ui.visuals().clone();
        let lane_painter = ui.painter_at(l.rect).with_clip_rect(l.lanes);
        let (lanes_rect, plot_left, map) = (l.lanes, l.map.left, l.map);
        let mut y = lanes_rect.top() - self.lane_scroll_px;
        let max_bucket = case
            .timeline
            .as_ref()
            .and_then(|t| t.lanes.iter().flatten().map(|b| b.events).max())
            .unwrap_or(0);
        let mut lane_y: Vec<Option<(f32, f32)>> = vec![None; case.info.lanes.len()];
        self.drawn_refused.clear();
        for row in rows {
            let h = if matches!(row, Row::Group(_)) {
                GROUP_H
            } else {
                LANE_H
            };
            let r = Rect::from_min_size(
                Pos2::new(l.rect.left(), y),
                Vec2::new(lanes_rect.width(), h),
            );
            y += h;
            match row {
                Row::Group(label) => {
                    if r.intersects(lanes_rect) {
                        lane_painter.rect_filled(r, 0.0, visuals.faint_bg_color);
                        if r.top() >= lanes_rect.top() - 1.0 {
                            put_left(
                                ui,
                                Rect::from_min_size(
                                    r.min + Vec2::new(4.0, 0.0),
                                    Vec2::new(r.width() - 8.0, GROUP_H),
                                ),
                                egui::Label::new(
                                    RichText::new(crate::gui::state::group_label(
                                        crate::gui::lang::of(ui.ctx()),
                                        label,
                                    ))
                                    .strong(),
                                )
                                .truncate(),
                            );
                        }
                    }
                }
                Row::Lane(i, lane) => {
                    lane_y[*i] = Some((r.top(), r.bottom()));
                    if !r.intersects(lanes_rect) {
                        continue;
                    }
                    lane_painter.hline(
                        plot_left..=map.left + map.width,
                        r.bottom() - 0.5,
                        Stroke::new(0.5, visuals.widgets.noninteractive.bg_stroke.color),
                    );
                    if r.top() >= lanes_rect.top() - 1.0 && r.bottom() <= lanes_rect.bottom() + 1.0
                    {
                        let label = Rect::from_min_max(
                            r.min + Vec2::new(12.0, 0.0),
                            Pos2::new(plot_left - 4.0, r.bottom()),
                        );
                        // A person's label opens their page.
                        if lane_label_ui(ctx.lang, ui, lane, label)
                            && let Some(p) = lane.person_id.and_then(|id| case.info.person(id))
                        {
                            out.push(Command::Lookup(LookupCommand::OpenPerson(p.key.clone())));
                        }
                    }
                    if let Some(t) = &case.timeline
                        && t.marks.is_none()
                    {
                        draw_buckets(ctx, t, *i, map, r, max_bucket, &lane_painter, &visuals);
                        if ctx.settings.color_by == ColorBy::Outcome {
                            for (outcome, rect) in draw_refused(case, *i, map, r, &lane_painter) {
                                self.drawn_refused.push((*i, outcome, rect));
                            }
                        }
                    }
                }
            }
        }
        lane_y
    }

    /// The events themselves, when few enough are in view; remembered for clicks and hovers.
    fn marks_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        l: &Layout,
        lane_y: &[Option<(f32, f32)>],
        painter: &egui::Painter,
        visuals: &egui::Visuals,
    ) {
        self.drawn_marks.clear();
        let (Some(t), map, lanes_rect) = (&case.timeline, l.map, l.lanes) else {
            return;
        };
        let Some(marks) = &t.marks else {
            return;
        };
        let lane_painter = painter.with_clip_rect(lanes_rect);
        let selected = case.view.selected.map(|s| s.0);
        // Coloured by outcome, refused attempts are drawn last (denied over failed), so that a
        // denied attempt next to accesses in the same pixels stays visible.
        let mut order: Vec<&crate::case::EventMark> = marks.iter().collect();
        if ctx.settings.color_by == ColorBy::Outcome {
            order.sort_by_key(|m| outcome_layer(m.outcome.as_ref()));
        }
        for m in order {
            let Some(&lane) = case.info.lane_of_account.get(&m.account_id) else {
                continue;
            };
            let Some((top, bottom)) = lane_y[lane] else {
                continue;
            };
            let x = map.x(m.ts_us as f64);
            if x < map.left - 2.0
                || x > map.left + map.width + 2.0
                || bottom < lanes_rect.top()
                || top > lanes_rect.bottom()
            {
                continue;
            }
            let color = mark_color(
                ctx,
                case,
                m.categories,
                m.system_id,
                m.outcome.as_ref().map(|o| o.as_str()),
            );
            let mr = Rect::from_min_max(
                Pos2::new(x - 1.5, top + 4.0),
                Pos2::new(x + 1.5, bottom - 4.0),
            );
            lane_painter.rect_filled(mr, 0.0, color);
            if selected == Some(m.id) {
                lane_painter.rect_stroke(
                    mr.expand(2.5),
                    1.0,
                    Stroke::new(2.0, visuals.strong_text_color()),
                    egui::StrokeKind::Outside,
                );
            }
            self.drawn_marks.push((m.id, m.ts_us, mr));
        }
    }

    fn header_ui(
        &mut self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        ui: &mut egui::Ui,
        out: &mut Vec<Command>,
    ) {
        ui.horizontal_wrapped(|ui| {
            let l = ctx.lang;
            ui.strong(tr!(l, "timeline-title"));
            let span = (case.view.to_us - case.view.from_us) as i64;
            ui.label(tr!(
                l,
                "timeline-span",
                span = time_axis::describe_span(l, span)
            ));
            if let Some(t) = &case.timeline {
                let mode = match (&t.marks, t.exact) {
                    _ if t.counting.is_some() => tr!(l, "timeline-mode-counting"),
                    _ if t.coarse => tr!(l, "timeline-mode-daily-first"),
                    (Some(_), _) => tr!(l, "timeline-mode-marks"),
                    (None, true) => tr!(l, "timeline-mode-exact", limit = MARK_LIMIT.to_string()),
                    (None, false) => {
                        tr!(l, "timeline-mode-hourly", limit = MARK_LIMIT.to_string())
                    }
                };
                ui.label(tr!(
                    l,
                    "timeline-in-view",
                    count = t.events_in_view,
                    mode = mode
                ));
                if let Some(k) = &t.counting {
                    widgets::counting_ui(l, k.progress, ui, out);
                }
            }
            if ui
                .small_button(tr!(l, "timeline-whole-case"))
                .on_hover_text("Home")
                .clicked()
            {
                out.push(Command::ZoomToCase);
            }
            if ui
                .small_button(tr!(l, "timeline-zoom-in"))
                .on_hover_text("+")
                .clicked()
            {
                out.push(zoom(case, 0.5, None));
            }
            if ui
                .small_button(tr!(l, "timeline-zoom-out"))
                .on_hover_text("-")
                .clicked()
            {
                out.push(zoom(case, 2.0, None));
            }
        });
        legend_ui(ctx, case, ui);
    }

    #[allow(clippy::too_many_arguments)]
    fn handle_input(
        &mut self,
        case: &OpenCase,
        map: XMap,
        plot: &egui::Response,
        density: &egui::Response,
        gutter: &egui::Response,
        max_scroll: f32,
        out: &mut Vec<Command>,
    ) {
        let ui_ctx = &plot.ctx;
        let (scroll, zoom_delta, shift) =
            ui_ctx.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.modifiers.shift));
        // Labels sit on top of the gutter, so ask where the pointer is, not what it hovers.
        let over_gutter = ui_ctx
            .pointer_hover_pos()
            .is_some_and(|p| gutter.rect.contains(p));
        if over_gutter && scroll.y != 0.0 {
            self.lane_scroll_px = (self.lane_scroll_px - scroll.y).clamp(0.0, max_scroll);
        }
        if plot.hovered()
            && let Some(pos) = plot.hover_pos()
        {
            // Wheel (or pinch, or ctrl+wheel) zooms around the pointer; horizontal wheel pans.
            let mut factor = (-(scroll.y as f64) * 0.0025).exp();
            if zoom_delta != 1.0 {
                factor /= f64::from(zoom_delta);
            }
            if (factor - 1.0).abs() > 1e-6 {
                out.push(zoom(case, factor, Some(map.t(pos.x))));
            } else if scroll.x != 0.0 {
                let dt = -f64::from(scroll.x / map.width) * (map.to_us - map.from_us);
                out.push(Command::SetView {
                    from_us: map.from_us + dt,
                    to_us: map.to_us + dt,
                });
            }
        }
        // Shift-drag selects; plain drag pans.
        if plot.drag_started() && shift {
            self.select_anchor_us = plot.interact_pointer_pos().map(|p| map.t(p.x));
        }
        if plot.dragged() {
            if let (Some(anchor), Some(pos)) = (self.select_anchor_us, plot.interact_pointer_pos())
            {
                let now = map.t(pos.x);
                let (a, b) = if now < anchor {
                    (now, anchor)
                } else {
                    (anchor, now)
                };
                out.push(Command::SetSelection(Some((a as i64, b as i64))));
            } else {
                let dx = plot.drag_delta().x;
                if dx != 0.0 {
                    let dt = -f64::from(dx / map.width) * (map.to_us - map.from_us);
                    out.push(Command::SetView {
                        from_us: map.from_us + dt,
                        to_us: map.to_us + dt,
                    });
                }
            }
        }
        if plot.drag_stopped() {
            self.select_anchor_us = None;
        }
        if plot.clicked()
            && let Some(pos) = plot.interact_pointer_pos()
            && let Some((id, ts_us)) = self.mark_near(pos)
        {
            out.push(Command::SelectEvent {
                id,
                ts_us,
                scroll_table: true,
            });
        }
        density_input(case, map, density, out);
        // Keys, unless a text field (or another widget) has the focus or a menu is open:
        // typing a zone's name in a picker must not step through events.
        if !ui_ctx.egui_wants_keyboard_input() && !egui::Popup::is_any_open(ui_ctx) {
            ui_ctx.input(|i| keys_input(case, map, i, out));
        }
    }

    fn mark_near(&self, pos: Pos2) -> Option<(i64, i64)> {
        self.drawn_marks
            .iter()
            .filter(|(_, _, r)| r.expand2(Vec2::new(4.0, 3.0)).contains(pos))
            .min_by(|a, b| {
                (a.2.center().x - pos.x)
                    .abs()
                    .total_cmp(&(b.2.center().x - pos.x).abs())
            })
            .map(|(id, ts, _)| (*id, *ts))
    }

    fn axis_ui(
        &self,
        ctx: &ViewContext<'_>,
        map: XMap,
        axis: Rect,
        lanes: Rect,
        ui: &mut egui::Ui,
        painter: &egui::Painter,
    ) {
        let visuals = ui.visuals();
        let ticks = time_axis::ticks_in(
            ctx.lang,
            map.from_us as i64,
            map.to_us as i64,
            map.width,
            ctx.zone,
        );
        for t in &ticks {
            let x = map.x(t.ts_us as f64);
            let color = if t.major {
                visuals
                    .widgets
                    .noninteractive
                    .fg_stroke
                    .color
                    .gamma_multiply(0.5)
            } else {
                visuals
                    .widgets
                    .noninteractive
                    .bg_stroke
                    .color
                    .gamma_multiply(0.7)
            };
            painter.vline(
                x,
                axis.bottom() - 6.0..=lanes.bottom(),
                Stroke::new(if t.major { 1.0 } else { 0.5 }, color),
            );
            painter.text(
                Pos2::new(x + 3.0, axis.bottom() - 8.0),
                Align2::LEFT_BOTTOM,
                &t.label,
                FontId::proportional(11.0),
                if t.major {
                    visuals.strong_text_color()
                } else {
                    visuals.text_color()
                },
            );
        }
        // The zone the axis is in, as a widget so it can be read (and tested).
        let zone_rect = Rect::from_min_max(
            Pos2::new(axis.left() - LABEL_W + 4.0, axis.top()),
            Pos2::new(axis.left() - 4.0, axis.bottom()),
        );
        put_left(
            ui,
            zone_rect,
            egui::Label::new(
                RichText::new(tr!(ctx.lang, "timeline-axis", zone = ctx.zone_name)).small(),
            )
            .truncate(),
        );
        let density_label = Rect::from_min_size(
            Pos2::new(axis.left() - LABEL_W + 4.0, axis.bottom()),
            Vec2::new(LABEL_W - 8.0, DENSITY_H),
        );
        put_left(
            ui,
            density_label,
            egui::Label::new(
                RichText::new(tr!(ctx.lang, "timeline-density"))
                    .small()
                    .weak(),
            )
            .truncate(),
        );
    }

    fn hover_ui(
        &self,
        ctx: &ViewContext<'_>,
        case: &OpenCase,
        l: &Layout,
        plot: &egui::Response,
        rows: &[Row<'_>],
        milestones: &[PlacedMilestone],
    ) {
        let (map, lanes_rect) = (l.map, l.lanes);
        let Some(pos) = plot.hover_pos() else { return };
        if plot.dragged() {
            return;
        }
        if let Some((id, _)) = self.mark_near(pos)
            && let Some(t) = &case.timeline
            && let Some(m) = t
                .marks
                .as_ref()
                .and_then(|ms| ms.iter().find(|m| m.id == id))
        {
            show_tip(plot, mark_tip(ctx, case, m));
            return;
        }
        // On a milestone's rule over the lanes: its full label (above the lanes, the labels
        // have their own tooltips).
        if lanes_rect.contains(pos)
            && let Some(m) = milestones.iter().find(|m| (m.x - pos.x).abs() <= 3.0)
        {
            show_tip(plot, m.tip.clone());
            return;
        }
        // Over a bucket: its count and time span.
        let Some(t) = &case.timeline else { return };
        if t.marks.is_some() || !lanes_rect.contains(pos) {
            return;
        }
        let mut y = lanes_rect.top() - self.lane_scroll_px;
        for row in rows {
            let h = if matches!(row, Row::Group(_)) {
                GROUP_H
            } else {
                LANE_H
            };
            if let Row::Lane(i, lane) = row
                && pos.y >= y
                && pos.y < y + h
            {
                if let Some(text) = bucket_tip(ctx, case, t, (*i, lane), map.t(pos.x)) {
                    show_tip(plot, text);
                }
                return;
            }
            y += h;
        }
    }
}

fn show_tip(plot: &egui::Response, text: String) {
    egui::Tooltip::always_open(
        plot.ctx.clone(),
        plot.layer_id,
        plot.id.with("tip"),
        egui::PopupAnchor::Pointer,
    )
    .show(|ui| ui.label(text));
}

/// An event mark's tooltip: time, lane, system, categories, outcome.
fn mark_tip(ctx: &ViewContext<'_>, case: &OpenCase, m: &crate::case::EventMark) -> String {
    let lane = case
        .info
        .lane_of_account
        .get(&m.account_id)
        .map(|l| &case.info.lanes[*l]);
    let l = ctx.lang;
    let cats =
        crate::i18n::category_list(l, &case.info.vocabulary.names(CategorySet(m.categories)));
    let system = m
        .system_id
        .and_then(|s| case.info.system(s))
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let lane = lane.map_or_else(|| tr!(l, "timeline-no-account"), |l| l.label.clone());
    let outcome = m
        .outcome
        .as_ref()
        .map_or_else(|| "-".to_string(), |o| outcome_name(l, o.as_str()));
    [
        tr!(
            l,
            "timeline-tip-when",
            when = format_in_zone(l, m.ts_us, ctx.zone),
            zone = ctx.zone_name
        ),
        lane,
        tr!(l, "timeline-tip-system", system = system),
        tr!(l, "timeline-tip-categories", categories = cats),
        tr!(l, "timeline-tip-outcome", outcome = outcome),
        tr!(l, "timeline-tip-event", id = m.id.to_string()),
    ]
    .join("\n")
}

/// A bucket's tooltip (lane, events, commonest category, time span) at `t_us`, if it has
/// events.
fn bucket_tip(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    t: &TimelineData,
    (i, lane): (usize, &Lane),
    t_us: f64,
) -> Option<String> {
    let r = &t.request;
    let span = (r.to_us - r.from_us) as f64;
    let col = ((t_us - r.from_us as f64) / span * f64::from(r.columns)).floor();
    if col < 0.0 || col >= f64::from(r.columns) {
        return None;
    }
    let b = t.lanes[i][col as usize];
    if b.events == 0 {
        return None;
    }
    let a_us = r.from_us + (col * span / f64::from(r.columns)) as i64;
    let b_us = r.from_us + ((col + 1.0) * span / f64::from(r.columns)) as i64;
    let l = ctx.lang;
    let cat = b
        .top_category
        .and_then(|c| case.info.vocabulary.name_of(c))
        .map(|c| {
            let category = category_name(l, c);
            format!("\n{}", tr!(l, "timeline-tip-most", category = category))
        })
        .unwrap_or_default();
    let refused = refused_tip(l, case, i, a_us, b_us);
    Some(format!(
        "{}\n{}{}{refused}\n{}",
        lane.label,
        tr!(l, "count-events", count = b.events),
        cat,
        tr!(
            l,
            "timeline-tip-range",
            from = format_in_zone(l, a_us, ctx.zone),
            to = format_in_zone(l, b_us, ctx.zone),
            zone = ctx.zone_name
        )
    ))
}

/// The refused attempts of lane `lane` in `[a_us, b_us)`, for a bucket's tooltip: "\n1
/// denied, 2 failed", or nothing.
fn refused_tip(lang: Lang, case: &OpenCase, lane: usize, a_us: i64, b_us: i64) -> String {
    let Some(refused) = &case.refused else {
        return String::new();
    };
    let req = &refused.request;
    let col_us = (req.to_us - req.from_us) as f64 / f64::from(req.columns.max(1));
    let mut by: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for c in &refused.counts {
        let at = req.from_us as f64 + (f64::from(c.column) + 0.5) * col_us;
        if case.info.lane_of_account.get(&c.account_id) == Some(&lane)
            && at >= a_us as f64
            && at < b_us as f64
        {
            *by.entry(c.outcome.as_str()).or_default() += c.events;
        }
    }
    if by.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = by
        .iter()
        .map(|(o, n)| {
            tr!(
                lang,
                "timeline-tip-refused",
                count = n.to_string(),
                outcome = outcome_name(lang, o)
            )
        })
        .collect();
    let sep = if lang == Lang::Ja { "、" } else { ", " };
    format!("\n{}", parts.join(sep))
}

/// A zoom by `factor` (< 1 zooms in) around `at_us`, or the centre.
fn zoom(case: &OpenCase, factor: f64, at_us: Option<f64>) -> Command {
    let (a, b) = (case.view.from_us, case.view.to_us);
    let at = at_us.unwrap_or((a + b) / 2.0);
    Command::SetView {
        from_us: at - (at - a) * factor,
        to_us: at + (b - at) * factor,
    }
}

fn visible_rows(case: &OpenCase) -> Vec<Row<'_>> {
    let info = &case.info;
    let mut rows = Vec::new();
    for g in &info.groups {
        let lanes: Vec<usize> = g
            .lanes
            .iter()
            .copied()
            .filter(|i| info.lane_matches(&info.lanes[*i], &case.view.filter))
            .collect();
        if lanes.is_empty() {
            continue;
        }
        rows.push(Row::Group(&g.label));
        for i in lanes {
            rows.push(Row::Lane(i, &info.lanes[i]));
        }
    }
    rows
}

/// Draws a lane's label; true when a person's label was clicked (opens their page).
fn lane_label_ui(lang: Lang, ui: &mut egui::Ui, lane: &Lane, rect: Rect) -> bool {
    let sense = if lane.person_id.is_some() {
        egui::Sense::click()
    } else {
        egui::Sense::hover()
    };
    let mut hover = tr!(
        lang,
        "timeline-lane-accounts",
        accounts = lane.accounts.join(", ")
    );
    if lane.person_id.is_some() {
        hover.push('\n');
        hover.push_str(&tr!(lang, "timeline-lane-click"));
    }
    let name = put_left(
        ui,
        Rect::from_min_max(
            rect.min,
            Pos2::new(rect.left() + rect.width() * 0.6, rect.bottom()),
        ),
        egui::Label::new(&lane.label).truncate().sense(sense),
    )
    .on_hover_text(hover);
    let clicked = name.clicked();
    if let Some(native) = &lane.native_name {
        put_left(
            ui,
            Rect::from_min_max(Pos2::new(name.rect.right() + 4.0, rect.top()), rect.max),
            egui::Label::new(RichText::new(native).weak()).truncate(),
        );
    }
    clicked
}

/// Places a widget in `rect`, left-aligned and vertically centred (`Ui::put` centres it).
fn put_left(ui: &mut egui::Ui, rect: Rect, widget: impl egui::Widget) -> egui::Response {
    ui.scope_builder(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(egui::Layout::left_to_right(egui::Align::Center)),
        |ui| {
            ui.set_clip_rect(rect.intersect(ui.clip_rect()));
            ui.add(widget)
        },
    )
    .inner
}

#[allow(clippy::too_many_arguments)]
fn draw_buckets(
    ctx: &ViewContext<'_>,
    t: &TimelineData,
    lane: usize,
    map: XMap,
    r: Rect,
    max_bucket: u32,
    painter: &egui::Painter,
    visuals: &egui::Visuals,
) {
    let req = &t.request;
    let col_us = (req.to_us - req.from_us) as f64 / f64::from(req.columns);
    let w = ((col_us / (map.to_us - map.from_us)) as f32 * map.width).max(1.0);
    let log_max = (1.0 + max_bucket as f32).ln().max(1e-3);
    let Some(buckets) = t.lanes.get(lane) else {
        return;
    };
    for (c, b) in buckets.iter().enumerate() {
        if b.events == 0 {
            continue;
        }
        let x = map.x(req.from_us as f64 + c as f64 * col_us);
        if x + w < map.left || x > map.left + map.width {
            continue;
        }
        let frac = 0.3 + 0.7 * (1.0 + b.events as f32).ln() / log_max;
        let h = (r.height() - 6.0) * frac.min(1.0);
        let color = match (ctx.settings.color_by, b.top_category) {
            (ColorBy::Category, Some(bit)) => category_color(bit),
            _ => visuals.widgets.active.bg_fill,
        };
        painter.rect_filled(
            Rect::from_min_max(
                Pos2::new(x, r.bottom() - 3.0 - h),
                Pos2::new(x + w, r.bottom() - 3.0),
            ),
            0.0,
            color,
        );
    }
}

/// While the timeline is counted slice by slice: the columns not counted yet, hatched over
/// the lanes, so that an empty column is never mistaken for one without events.
fn uncounted_ui(
    case: &OpenCase,
    map: XMap,
    lanes: Rect,
    painter: &egui::Painter,
    visuals: &egui::Visuals,
) {
    let Some(t) = &case.timeline else { return };
    let Some(k) = &t.counting else { return };
    let req = &t.request;
    let col_us = (req.to_us - req.from_us) as f64 / f64::from(req.columns.max(1));
    let painter = painter.with_clip_rect(lanes);
    let color = visuals.weak_text_color().gamma_multiply(0.35);
    let mut c = 0;
    while c < k.counted.len() {
        if k.counted[c] {
            c += 1;
            continue;
        }
        let start = c;
        while c < k.counted.len() && !k.counted[c] {
            c += 1;
        }
        let x0 = map.x(req.from_us as f64 + start as f64 * col_us);
        let x1 = map.x(req.from_us as f64 + c as f64 * col_us);
        let run = Rect::from_x_y_ranges(x0..=x1.max(x0 + 1.0), lanes.y_range());
        painter.rect_filled(run, 0.0, visuals.extreme_bg_color.gamma_multiply(0.6));
        // Diagonal hatching, 8 px apart.
        let hatch = painter.with_clip_rect(run.intersect(lanes));
        let mut x = run.left() - run.height();
        while x < run.right() {
            let a = Pos2::new(x, run.bottom());
            let b = Pos2::new(x + run.height(), run.top());
            hatch.line_segment([a, b], egui::Stroke::new(1.0, color));
            x += 8.0;
        }
    }
}

/// Drawing order by outcome: accesses first, then failed, then denied (on top).
fn outcome_layer(outcome: Option<&Outcome>) -> u8 {
    match outcome {
        Some(Outcome::Denied) => 2,
        Some(Outcome::Failed) => 1,
        _ => 0,
    }
}

/// The refused attempts of one lane over its counts, each at least 3 px wide and the lane's
/// full height, denied over failed. Returns what was drawn.
fn draw_refused(
    case: &OpenCase,
    lane: usize,
    map: XMap,
    r: Rect,
    painter: &egui::Painter,
) -> Vec<(Outcome, Rect)> {
    let Some(refused) = &case.refused else {
        return Vec::new();
    };
    let req = &refused.request;
    let col_us = (req.to_us - req.from_us) as f64 / f64::from(req.columns.max(1));
    let w = ((col_us / (map.to_us - map.from_us)) as f32 * map.width).max(3.0);
    let mut cells: Vec<&crate::case::RefusedCount> = refused
        .counts
        .iter()
        .filter(|c| case.info.lane_of_account.get(&c.account_id) == Some(&lane))
        .collect();
    cells.sort_by_key(|c| outcome_layer(Some(&c.outcome)));
    let mut drawn = Vec::new();
    for c in cells {
        let x = map.x(req.from_us as f64 + f64::from(c.column) * col_us + col_us / 2.0);
        if x + w < map.left || x - w > map.left + map.width {
            continue;
        }
        let rect = Rect::from_min_max(
            Pos2::new(x - w / 2.0, r.top() + 2.0),
            Pos2::new(x + w / 2.0, r.bottom() - 2.0),
        );
        painter.rect_filled(rect, 0.0, outcome_color(Some(c.outcome.as_str())));
        drawn.push((c.outcome.clone(), rect));
    }
    drawn
}

fn mark_color(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    categories: u64,
    system: Option<i64>,
    outcome: Option<&str>,
) -> Color32 {
    match ctx.settings.color_by {
        ColorBy::Category => CategorySet(categories)
            .bits()
            .next()
            .map_or(Color32::GRAY, category_color),
        ColorBy::System => system
            .and_then(|id| case.info.systems.iter().position(|s| s.id == id))
            .map_or(Color32::GRAY, index_color),
        ColorBy::Outcome => outcome_color(outcome),
    }
}

fn legend_ui(ctx: &ViewContext<'_>, case: &OpenCase, ui: &mut egui::Ui) {
    let swatch = |ui: &mut egui::Ui, color: Color32, text: &str| {
        let (r, _) = ui.allocate_exact_size(Vec2::new(10.0, 10.0), Sense::hover());
        ui.painter().rect_filled(r, 2.0, color);
        ui.label(RichText::new(text).small());
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(crate::tr!(
                ctx.lang,
                "timeline-colour-legend",
                by = ctx.settings.color_by.label(ctx.lang).to_lowercase()
            ))
            .small()
            .weak(),
        );
        match ctx.settings.color_by {
            ColorBy::Category => {
                for (bit, name) in case.info.vocabulary.entries() {
                    swatch(ui, category_color(*bit), &category_name(ctx.lang, name));
                }
            }
            ColorBy::System => {
                for (i, s) in case.info.systems.iter().enumerate() {
                    swatch(ui, index_color(i), &s.name);
                }
            }
            ColorBy::Outcome => {
                for o in ["success", "denied", "failed", "other"] {
                    swatch(ui, outcome_color(Some(o)), &outcome_name(ctx.lang, o));
                }
            }
        }
        let zoomed_out = case.timeline.as_ref().is_some_and(|t| t.marks.is_none());
        if zoomed_out && ctx.settings.color_by == ColorBy::System {
            ui.label(
                RichText::new(tr!(ctx.lang, "timeline-legend-system-note"))
                    .small()
                    .weak(),
            );
        }
        if zoomed_out && ctx.settings.color_by == ColorBy::Outcome {
            let refused: u64 = case
                .refused
                .as_ref()
                .map_or(0, |r| r.counts.iter().map(|c| c.events).sum());
            ui.label(
                RichText::new(tr!(
                    ctx.lang,
                    "timeline-legend-outcome-note",
                    count = refused.to_string()
                ))
                .small()
                .weak(),
            );
        }
    });
}

fn density_ui(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    map: XMap,
    rect: Rect,
    painter: &egui::Painter,
    visuals: &egui::Visuals,
) {
    let _ = ctx;
    painter.rect_filled(rect, 0.0, visuals.faint_bg_color);
    let Some(d) = &case.density else { return };
    let max = d.counts.iter().copied().max().unwrap_or(0).max(1) as f32;
    let n = d.counts.len().max(1) as f32;
    let w = rect.width() / n;
    for (i, c) in d.counts.iter().enumerate() {
        if *c == 0 {
            continue;
        }
        let h = (rect.height() - 4.0) * (0.15 + 0.85 * (1.0 + *c as f32).ln() / (1.0 + max).ln());
        let x = rect.left() + i as f32 * w;
        painter.rect_filled(
            Rect::from_min_max(
                Pos2::new(x, rect.bottom() - 2.0 - h),
                Pos2::new(x + w.max(1.0), rect.bottom() - 2.0),
            ),
            0.0,
            visuals.widgets.active.bg_fill,
        );
    }
    // The visible range on the whole case.
    let r = &d.request;
    let span = (r.to_us - r.from_us).max(1) as f64;
    let x0 = rect.left() + ((map.from_us - r.from_us as f64) / span) as f32 * rect.width();
    let x1 = rect.left() + ((map.to_us - r.from_us as f64) / span) as f32 * rect.width();
    let view = Rect::from_min_max(
        Pos2::new(x0.max(rect.left()), rect.top()),
        Pos2::new(
            x1.min(rect.right()).max(x0.max(rect.left()) + 2.0),
            rect.bottom(),
        ),
    );
    painter.rect_stroke(
        view,
        0.0,
        Stroke::new(1.5, visuals.selection.stroke.color),
        egui::StrokeKind::Inside,
    );
}

/// Coverage gaps and periods outside declared retention (from the findings, once they ran) as
/// hatched bands over the density strip and the lanes, with the source named on hover.
fn coverage_bands_ui(
    lang: Lang,
    case: &OpenCase,
    map: XMap,
    top: f32,
    lanes: Rect,
    painter: &egui::Painter,
) {
    let Some(set) = &case.findings.set else {
        return;
    };
    let right = map.left + map.width;
    for b in &set.coverage {
        let (x0, x1) = (
            map.x(b.from_us as f64).max(map.left),
            map.x(b.to_us as f64).min(right),
        );
        if x1 < map.left || x0 > right {
            continue;
        }
        // At least 3 px wide, so a short gap on a long view is still seen.
        let (x0, x1) = if x1 - x0 < 3.0 {
            let c = (x0 + x1) / 2.0;
            (c - 1.5, c + 1.5)
        } else {
            (x0, x1)
        };
        let band = Rect::from_min_max(Pos2::new(x0, top), Pos2::new(x1, lanes.bottom()));
        let color = match b.kind {
            crate::analysis::findings::CoverageKind::Gap => Color32::from_rgb(0xb0, 0x70, 0x20),
            crate::analysis::findings::CoverageKind::NotRetained => {
                Color32::from_rgb(0x80, 0x80, 0x80)
            }
        };
        painter.rect_filled(band, 0.0, color.gamma_multiply(0.12));
        let clip = painter.with_clip_rect(band);
        let step = 8.0;
        let h = band.height();
        let mut x = band.left() - h;
        while x < band.right() {
            clip.line_segment(
                [Pos2::new(x, band.bottom()), Pos2::new(x + h, band.top())],
                Stroke::new(1.0, color.gamma_multiply(0.45)),
            );
            x += step;
        }
        let text = match b.kind {
            crate::analysis::findings::CoverageKind::Gap => {
                tr!(lang, "timeline-coverage-gap", file = &b.file_name)
            }
            crate::analysis::findings::CoverageKind::NotRetained => {
                tr!(lang, "timeline-coverage-not-retained", file = &b.file_name)
            }
        };
        let galley = painter.layout_no_wrap(text, FontId::proportional(10.0), color);
        if galley.size().x + 6.0 < band.width() {
            painter.galley(
                Pos2::new(band.left() + 3.0, lanes.top() + 2.0),
                galley,
                color,
            );
        }
    }
}

/// A milestone placed on the strip above the lanes: its rule's x, the label row (labels that
/// would overlap their neighbour alternate between two rows) and the width its label may take.
struct PlacedMilestone {
    x: f32,
    row: usize,
    width: f32,
    text: String,
    tip: String,
}

const MILESTONE_COLOR: Color32 = Color32::from_rgb(0xc0, 0x39, 0x2b);

/// Places the visible milestones' labels: a label that would run into the previous one goes
/// to the other row; each is then elided to the room before the next label on its row.
fn place_milestones(
    ctx: &ViewContext<'_>,
    case: &OpenCase,
    map: XMap,
    painter: &egui::Painter,
) -> Vec<PlacedMilestone> {
    let right = map.left + map.width;
    let mut placed: Vec<PlacedMilestone> = Vec::new();
    let mut full_w: Vec<f32> = Vec::new();
    for m in &case.info.milestones {
        let x = map.x(m.at_us as f64);
        if x < map.left || x > right {
            continue;
        }
        let scope = match m.scope_value.as_deref() {
            Some(v) => format!(" [{v}]"),
            None => String::new(),
        };
        let when = format_in_zone(ctx.lang, m.at_us, ctx.zone);
        let date = chrono::DateTime::from_timestamp_micros(m.at_us).map_or_else(
            || when.get(..10).unwrap_or("").to_string(),
            |d| crate::i18n::format_date(ctx.lang, d.with_timezone(&ctx.zone).date_naive()),
        );
        let text = format!("{date} {}{scope}", m.label);
        let tip = format!(
            "{}{scope}\n{}\n{}",
            m.label,
            tr!(
                ctx.lang,
                "timeline-tip-when",
                when = when,
                zone = ctx.zone_name
            ),
            tr!(
                ctx.lang,
                "timeline-milestone-tip",
                kind = &m.kind,
                raw = &m.raw_at
            )
        );
        let w = painter
            .layout_no_wrap(text.clone(), FontId::proportional(11.0), MILESTONE_COLOR)
            .size()
            .x
            + 8.0;
        let row = match (placed.last(), full_w.last()) {
            (Some(prev), Some(pw)) if x - prev.x < *pw => 1 - prev.row,
            _ => 0,
        };
        placed.push(PlacedMilestone {
            x,
            row,
            width: w,
            text,
            tip,
        });
        full_w.push(w);
    }
    for i in 0..placed.len() {
        let next = placed[i + 1..]
            .iter()
            .find(|n| n.row == placed[i].row)
            .map_or(right, |n| n.x);
        placed[i].width = placed[i].width.min(next - placed[i].x - 4.0);
    }
    placed
}

/// How many label rows the visible milestones need (0 when none is in view).
fn milestone_rows(placed: &[PlacedMilestone]) -> usize {
    placed.iter().map(|m| m.row + 1).max().unwrap_or(1)
}

/// The milestones' rules over the lanes and their labels above them, elided where they would
/// overlap, each with its full label, time and kind on hover.
fn milestones_ui(
    placed: &[PlacedMilestone],
    top: f32,
    lanes: Rect,
    ui: &mut egui::Ui,
    painter: &egui::Painter,
) {
    let visuals = ui.visuals().clone();
    for m in placed {
        painter.vline(
            m.x,
            top..=lanes.bottom(),
            Stroke::new(1.5, MILESTONE_COLOR.gamma_multiply(0.8)),
        );
    }
    for m in placed {
        // With too little room for a few letters the label is an ellipsis: still there to
        // hover (and for screen readers), with the full text.
        let width = m.width.max(14.0);
        let row_top = top + m.row as f32 * MILESTONE_H;
        let bg = Rect::from_min_size(
            Pos2::new(m.x + 2.0, row_top + 1.0),
            Vec2::new(width, MILESTONE_H - 2.0),
        );
        painter.rect_filled(bg, 2.0, visuals.extreme_bg_color);
        put_left(
            ui,
            bg.shrink2(Vec2::new(2.0, 0.0)),
            egui::Label::new(RichText::new(&m.text).size(11.0).color(MILESTONE_COLOR))
                .truncate()
                .selectable(false)
                .show_tooltip_when_elided(false),
        )
        .on_hover_text(&m.tip);
    }
}
