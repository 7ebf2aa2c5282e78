## The person page

person-compare-title = Compare { $people }
person-title = Person — { $name }
person-computing = computing the person page…
person-session-gap = Session gap:
person-minutes-suffix = { " " }min
person-session-gap-tip = A session is a run of one person's access events (refused attempts excluded), across all sources in UTC order, with gaps under this threshold.
person-charts-in = Charts in:
person-charts-own-zone = the person's own zone
person-charts-display-zone = display zone ({ $zone })
person-compare-with = Compare with…
person-find-hint = find a person: id, name, account
person-access-events = access events
person-refused-attempts = refused attempts
person-sessions = sessions
person-sessions-value = { $sessions } ({ $covered } covered, { $uncovered } not covered by an approval)
person-active-days = active days
person-active-days-value = { $days } (dates in { $zone })
person-systems = systems
person-data-categories = data categories
person-data-subjects = data subjects
person-records-touched = records touched
person-organization = organization
person-country = works in (country)
person-role = role
person-own-zone = own zone
person-accounts = accounts
person-lookalike = look-alike accounts
person-lookalike-value = { $accounts } (unmapped; a hint, not counted here)
person-first-access = first access
person-last-access = last access
person-session-rule = Session rule: a session = consecutive access events of one person, across all sources, with gaps under { $gap } min; refused attempts belong to no session.
person-rejected-rows = { $count ->
    [one] { $count } rejected row mentions
   *[other] { $count } rejected rows mention
} this person's { $accounts ->
    [yes] account
   *[no] name or account
} — show (not counted: the counts above are at least)
person-categories-heading = Data categories (access events carrying each)
person-category-events = { $category }: { $events }
person-systems-heading = Systems (where each stores its data)
person-system-events = { $system } — data in { $country }: { $events }
person-refused-heading = Refused attempts: { $count } { $count ->
    [one] event
   *[other] events
} (denied or failed; in no session; times in { $zone })
person-none-recorded = none recorded
person-col-time = time
person-col-system = system
person-col-action = action
person-col-outcome = outcome
person-col-event = event
person-event-link-tip = select it on the timeline and show its detail
person-refused-first = the first { $count } listed; filter the timeline to this person and outcome for all
person-findings = Findings:
person-rules-running = the rules are running…
person-run-rules = Run the findings rules
person-findings-heading = Findings naming this person: { $count } { $count ->
    [one] finding
   *[other] findings
} (periods in { $zone })
person-no-findings = no rule matched this person
person-open-findings = Open them in the findings window (filtered to this person)
person-open-findings-tip = Replaces the findings window's filters with this person
person-col-rule = rule
person-col-severity = severity
person-col-period = period
person-col-status = status
person-finding-tip = { $title }: open it in the findings window
person-findings-first = the first { $shown } of { $count } listed; the findings window has them all
person-per-month = Access events per month ({ $zone })
person-month-tip = { $month }: { $events } ({ $zone })
person-tallest-bar = … { $last }; tallest bar { $events }
person-weekday-hour = Access events by weekday × hour ({ $zone })
person-cell-tip = { $weekday } { $from }–{ $to } ({ $zone }): { $events }
person-approvals-heading = Approvals covering this person: { $approvals }
person-col-ticket = ticket
person-col-valid-from = valid from ({ $zone })
person-col-valid-to = valid to ({ $zone })
person-col-approver = approver
person-col-overseer = overseer
person-open-page-tip = { $key }: open their person page
person-sessions-heading = Sessions: { $sessions } (times in { $zone }; click to expand, an event shows it on the timeline)
person-covered = covered ({ $tickets })
person-not-covered = NOT covered by an approval
person-show-first = { $events }: show the first on the timeline
person-session-event-tip = event { $id }: select it on the timeline
person-page-button = page
person-remove-button = remove
