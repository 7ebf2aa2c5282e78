## The detail pane

detail-title = Event
detail-nothing = Click an event in the timeline or the table.
detail-loading = Loading event { $id }…
detail-previous = ◀ Previous
detail-previous-tip = Previous event (P)
detail-next = Next ▶
detail-next-tip = Next event (N)
detail-clear = Clear
detail-event-id = event id
detail-time-utc = time (UTC)
detail-time-display = time (display zone)
detail-time-source = time (source zone)
detail-time-in-zone = { $time } { $zone }
detail-raw-timestamp = raw timestamp
detail-read-as = read as
detail-person = person
detail-unattributed = (unattributed account)
detail-organization = organization
detail-account = account
detail-source-ip = source IP
detail-stored-in = { " " }(data stored in { $country })
detail-system = system
detail-action = action
detail-object = object
detail-categories = data categories
detail-records = records touched
detail-outcome = outcome
detail-subjects = data subjects
detail-session = session
detail-ticket = ticket
detail-ticket-covers = { $ticket } (its approval covers this event: { $person } on { $system }, { $from } – { $to } { $zone })
detail-ticket-approved-for = approved for { $person } on { $system } from { $from } until { $to } { $zone }
detail-ticket-not-covered = ticket { $ticket } does not cover this event: { $approvals }
detail-ticket-no-approval = { $ticket } (no approval in the rosters carries this ticket)
detail-other-fields = Other fields ({ $count }, not mapped)
detail-other-fields-original = Other fields ({ $count }, not mapped; read from the original record)
detail-subjects-list = Subjects ({ $count ->
    [one] { $count } subject
   *[other] { $count } subjects
})
detail-source = Source
detail-lines = lines { $first }–{ $last }
detail-line = line { $line }
detail-read = { $format } · { $encoding } · read in { $zone }
detail-raw = Raw source line(s), as stored:
