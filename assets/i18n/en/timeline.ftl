## The timeline

timeline-title = Timeline
timeline-span = { $span } in view
timeline-in-view = { $count ->
    [one] { $count } event
   *[other] { $count } events
} in view · { $mode }
timeline-mode-marks = each event drawn
timeline-mode-exact = counts per pixel column (exact; events drawn below { $limit } in view)
timeline-mode-hourly = counts per pixel column (hourly aggregate; events drawn below { $limit } in view)
timeline-whole-case = Whole case
timeline-zoom-in = Zoom in
timeline-zoom-out = Zoom out
timeline-loading = Loading…
timeline-axis = Time axis: { $zone }
timeline-density = Whole case (events)

span-seconds = { $n } s
span-minutes = { $n } min
span-hours = { $n } h
span-days = { $n } days
span-years = { $n } years
