## The findings window

findings-severity-info = info
findings-severity-low = low
findings-severity-medium = medium
findings-severity-high = high
findings-status-open = open
findings-status-confirmed = confirmed
findings-status-dismissed = dismissed
findings-title = Findings
findings-select-hint = Select a finding to see its evidence and decide on it.
findings-abroad = Whose data was reached from abroad
findings-abroad-none = No cross-border access touched a data subject.
findings-abroad-row = subjects in { $country }: { $subjects } ({ $events }, from { $from } to data stored in { $stored }); { $categories }
findings-params = Parameters (stored in the case; a change re-runs the rules)
findings-params-name-first = Give your name (above, with a finding selected) to change a parameter: the custody log records who did.
findings-lower-bound = A coverage gap or unretained period overlaps this finding: the count is a lower bound.
findings-key = key: { $key }
findings-show-evidence = Show the { $events } on the timeline
findings-status-by = Status: { $status } by { $author } at { $at }{ $note }
findings-status-is-open = Status: open
findings-note = Note:
findings-note-hint = why: the evidence you relied on, who you asked
findings-review-only = opened for review: no decision can be recorded
findings-name-first = give your name above first: the custody log records who decided
findings-confirm = Confirm
findings-dismiss = Dismiss
findings-reopen = Reopen
findings-apply = Apply
findings-default = Default
findings-default-tip = default: { $value }
findings-over = { $findings } over { $events }
findings-took = (rules ran in { $seconds } s)
findings-not-run = The rules have not run yet.
findings-running = running the rules…
findings-rerun = Re-run
findings-times-in = times in { $zone }
findings-all = all ({ $count })
findings-any = any
findings-filter-label = { $name }:
findings-filter-severity = severity
findings-filter-person = person
findings-filter-organization = organization
findings-filter-system = system
findings-filter-storage-country = storage country
findings-filter-status = status
findings-clear-filters = Clear the filters
findings-follow-chips = Follow the filter chips
findings-follow-chips-tip = Show only findings that match the timeline's persons, organizations, systems and storage countries
findings-group = Group
findings-group-tip = One row per rule × person (or organization) × systems, with counts
findings-by-person = by person
findings-by-organization = by organization
findings-following = ; following the chips: { $chips }
findings-groups-shown = { $groups } of { $findings } shown (of { $total }){ $following }
findings-shown = { $shown } of { $findings } shown{ $following }
findings-sort-tip = Sort by this column; click again to reverse
findings-col-severity = severity
findings-col-rule = rule
findings-col-who = who
findings-col-systems = systems
findings-col-when = when
findings-col-count = count
findings-col-status = status
findings-col-findings = findings
findings-col-events = events
findings-col-subjects = subjects
findings-group-tip-row = group { $key }: click to list its findings
findings-group-empty = The open group has no finding under these filters.
findings-group-summary = { $findings }, { $events }, { $subjects } reached{ $at_least ->
    [yes] { " " }(at least: a coverage gap overlaps)
   *[no] {""}
}; { $from } – { $to } ({ $zone })
findings-group-subjects-unknown = … data subjects
findings-group-status = Status: { $status }
findings-dismissed-because = dismissed because: { $note }
findings-group-key = group key: { $key }
findings-group-show-evidence = Show the group's { $events } on the timeline
findings-group-note = Group note:
findings-group-note-hint = why, e.g. expected: Tokyo staff operating the Korea image store
findings-group-decide = { $verb ->
    [confirm] Confirm
    [dismiss] Dismiss
   *[reopen] Reopen
} { $count ->
    [one] the 1 finding
   *[other] all { $count } findings
} of the group
findings-group-decide-tip = one decision for each finding, one custody entry naming the group
findings-group-dismiss-needs-note = a group dismissal needs a note: why these findings are expected

## A findings filter in words (custody entries, the "following the chips" line)
findings-described-rule = rule { $values }
findings-described-severity = severity { $values }
findings-described-person = person { $values }
findings-described-organization = organization { $values }
findings-described-system = system { $values }
findings-described-storage-country = storage country { $values }
findings-described-status = status { $values }
findings-described-or = {" or "}
findings-described-and = {", "}
findings-described-all = all findings
