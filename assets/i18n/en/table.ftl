## The event table: columns, copy, the summary line, filters, go to a time, marked rows

table-col-time = Time ({ $zone })
table-col-delta = Δ previous
table-col-marks = Marks
table-col-person = Person
table-col-organization = Organization
table-col-account = Account
table-col-system = System
table-col-storage = Stored in
table-col-action = Action
table-col-object = Object
table-col-categories = Data categories
table-col-records = Records
table-col-outcome = Outcome
table-col-subjects = Subjects
table-col-source = Source:line
table-col-ticket = Ticket
table-col-source-ip = Source IP
table-col-delta-tip = Time since the previous row of the table, in its current order
table-col-marks-tip = The investigator's star (★), tags (#tag) and notes on the event
table-col-unsorted-tip = This column has no order of its own
table-sort-tip = Sort by this column; click again to reverse
table-unattributed = (unattributed)
table-notes = { $count ->
    [one] { $count } note
   *[other] { $count } notes
}
table-no-events = No events match in this range.
table-copy-cell = Copy cell
table-copy-row = Copy row (TSV)
table-copy-marked = Copy the { $count } marked rows (TSV, with a header)
table-events = Events
table-counting = counting…
table-at-least = { $count ->
    [one] at least { $count } event
   *[other] at least { $count } events
}
table-in-selection = in the selected range: { $from } – { $to } { $zone }
table-in-view = in view: { $from } – { $to } { $zone }
table-clear-range = Clear range
table-columns = Columns…
table-default-columns = Default columns
table-column-filter = Column filter:
table-filter-value = value
table-add-filter = Add filter
table-go-to = Go to:
table-go-to-hint = 2021-03-01 09:00 ({ $zone })
table-go = Go
table-go-tip = The first event at or after this time (in { $zone }) that the filters keep
table-not-a-time = not a time: { $error }
table-marking = marking the range…
table-marked = { $count ->
    [one] { $count } row marked
   *[other] { $count } rows marked
}
table-marked-tip = Click, Ctrl+click to add or remove, Shift+click for a range
table-copy-tsv = Copy (TSV)
table-copy-tsv-tip = Ctrl+C also copies the marked rows
table-unmark = Unmark
table-review-no-annotation = opened for review: no annotation
table-star-n = ★ Star { $count }
table-tag = Tag:
table-tag-hint = tag
table-tag-n = Tag { $count }
table-note = Note:
table-note-hint = note
table-note-n = Note { $count }
table-starred = ★ Starred
table-starred-tip = Only the events you starred
table-tag-menu = Tag…
table-tag-menu-tip = Only the events with this tag
table-tag-menu-none = No event is tagged yet
table-review-refused = The case is opened for review: annotations cannot be added. Open it normally to annotate.
table-go-to-none = No event at or after { $when } matches the filter.
table-range-too-big = A range marks at most { $max } rows; this one has { $count }. Narrow the range or the filter.

# The time since the previous row (Δ column). Numbers arrive as text, padded.
table-delta-seconds = { $sign }{ $s } s
table-delta-minutes = { $sign }{ $m } min { $s } s
table-delta-hours = { $sign }{ $h } h { $m } min
table-delta-days = { $sign }{ $d } d { $h } h
