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

## Lanes, tooltips, the legend and the bands over the lanes

timeline-no-account = (no account)
timeline-lane-accounts = accounts: { $accounts }
timeline-lane-click = click: open the person page
timeline-tip-when = { $when } { $zone }
timeline-tip-range = { $from } – { $to } { $zone }
timeline-tip-system = system: { $system }
timeline-tip-categories = categories: { $categories }
timeline-tip-outcome = outcome: { $outcome }
timeline-tip-event = event { $id } — click for details
timeline-tip-most = most events: { $category }
timeline-tip-refused = { $count } { $outcome }
timeline-legend-system-note = (counts are coloured by category only; zoom in to see each event)
timeline-legend-outcome-note = (counts in grey; denied or failed attempts in view, drawn on top: { $count })
timeline-coverage-gap = { $file }: no events (coverage gap)
timeline-coverage-not-retained = { $file }: not retained (declared)
timeline-milestone-tip = milestone ({ $kind }), as written: { $raw }
timeline-mode-counting = exact counts of the columns counted so far (hatched: not counted yet)
timeline-mode-daily-first = counts per pixel column from the daily aggregate (the hourly counts follow)
