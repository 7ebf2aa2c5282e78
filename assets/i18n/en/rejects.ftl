## The rejects viewer

rejects-title = Rejected rows
rejects-reading = reading the rejected rows…
rejects-select-hint = Select a row for its raw text and the events of its source around it.
rejects-all-sources = All sources ({ $rows } rejected { $rows ->
    [one] row
   *[other] rows
})
rejects-source-id = source { $id }
rejects-source-rows = { $file } ({ $rows } rejected { $rows ->
    [one] row
   *[other] rows
})
rejects-source = Source:
rejects-only-mentions = Only rows that mention known people or subjects
rejects-listed = { $listed } of { $total } rejected { $total ->
    [one] row
   *[other] rows
} listed; { $mentioning } { $mentioning ->
    [one] mentions
   *[other] mention
} a known account, person or data subject
rejects-first-only = { " " }(the first { $limit }; `retrace rejects CASE --limit N` lists more)
rejects-none = No rejected row to show.
rejects-mentions-suffix = { "  " }— mentions { $mentions }
rejects-field-file = file
rejects-field-line = line
rejects-field-source = source
rejects-field-reason = reason
rejects-raw = Raw text, as in the file:
rejects-roster-row = A roster row: not read for mentions (roster rows name people).
rejects-no-mentions = Mentions no known account, person or data subject.
rejects-mentions = Mentions (not counted anywhere: counts about them are at least):
rejects-around = Events of { $file } around line { $line } (times in { $zone })
rejects-reading-neighbours = reading the neighbouring events…
rejects-no-events = This source has no events (every row was rejected).
rejects-col-line = line
rejects-col-time = time
rejects-col-account = account
rejects-col-system = system
rejects-col-action = action
rejects-col-outcome = outcome
rejects-line = line { $line }
rejects-this-row = this rejected row
rejects-show-events = Show these { $count } events on the timeline
rejects-show-events-tip = Filters the timeline and the table to exactly these events
rejects-event-tip = event { $id }: select it on the timeline
rejects-chip = around rejected { $place }

## Why a row was refused: the importers' reasons as they write them (the stored text is English).

reject-reason-as-written = { $reason }
reject-reason-no-time = no timestamp: the time column is empty
reject-reason-empty-time = empty timestamp
reject-reason-no-such-date = no such date in { $value }
reject-reason-no-such-time = no such time of day in { $value }
reject-reason-offset-range = offset out of range in { $value }
reject-reason-unrecognised-time = unrecognised timestamp { $value }
reject-reason-epoch-range = epoch number { $value } is out of range
reject-reason-records = records { $value } is not a whole number ≥ 0
reject-reason-time-range = time { $value } reads as { $read }, outside 1970-01-01 .. 2099-12-31 UTC, the range accepted for access events (a placeholder or a damaged value, not an access)
reject-reason-local-time = local time { $time } cannot be placed in zone { $zone }
