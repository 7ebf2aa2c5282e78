# The regulator report's fixed wording (src/ops/report). Data from the case is the same in
# both languages; only these words differ. Ids are report-*; counts with their unit are
# report-count-* (a report's units say what they count: "persons (distinct data subjects)").

report-title = Report on access to personal data
report-ppc-heading = Items of the breach report to the Personal Information Protection Commission (PPC)
report-gdpr-heading = Notification of a personal data breach (GDPR Art. 33)
report-case = Case
report-generated = Generated
report-investigator = Investigator
report-display-zone = Display time zone
report-scope = Scope
report-redaction = Redaction
report-tool = Tool
report-outline = 1. Outline
report-items = 2. Items of personal data
report-persons = 3. Number of persons affected
report-cause = 4. Cause
report-secondary = 5. Secondary damage or risk of it
report-response = 6. Response to affected persons
report-announcement = 7. Public announcement
report-prevention = 8. Measures to prevent recurrence
report-other = 9. Other matters for reference
report-gdpr-nature = (a) Nature of the breach: categories and approximate numbers of data subjects and records
report-gdpr-contact = (b) Contact point (data protection officer)
report-gdpr-consequences = (c) Likely consequences
report-gdpr-measures = (d) Measures taken or proposed
report-from-case = From the case data
report-narrative-missing = Not yet written. Enter it in the app: Export → Report text.
report-category = Data category
report-recorded-rule = Recorded rule
report-zone-declared = declared
report-zone-profile = from the mapping profile
report-zone-default = the default: no zone was declared
report-zone-recorded = as recorded
report-event-missing = not in the case
report-access-events = Access events
report-refused = Refused attempts
report-subjects = Distinct data subjects
report-country = Country of the data subject
report-unknown-country = (unknown)
report-total = Total
report-at-least = at least
report-coverage-note = Counts come from the access logs in the case and cover only the periods those logs cover; where logs are missing the true numbers may be higher ("at least").
report-findings = Findings
report-findings-none = The rules found nothing in this scope.
report-findings-unit = Findings
report-finding = Finding
report-rule = Rule
report-definition = Definition
report-count = Count
report-disposition = Disposition
report-severity = Severity
report-persons-col = Persons
report-period = Period
report-timeline = Timeline of access events
report-timeline-note = Access events per month by the actor's organization; red rules are milestones. Months in the display zone.
report-by-country-chart = Distinct data subjects by country
report-actors = Persons and accounts who accessed the data
report-person = Person
report-organization = Organization
report-actor-country = Works in
report-first = First
report-last = Last
report-systems = Systems
report-system = System
report-storage-country = Data stored in
report-annotations = Investigator's annotations
report-no-annotations = No annotations.
report-target = On
report-kind = Kind
report-text = Text
report-author = By
report-at = At
report-appendix = Appendix A. Chronology per person
report-appendix-note = One row per day with an event of the person (days in the display zone).
report-date = Date
report-methodology = Appendix B. Methodology
report-sources = Sources
report-file = File
report-format = Format
report-zone = Zone
report-rows-read = Rows read
report-rows-imported = Imported
report-rows-rejected = Rejected
report-rejects-heading = Rejected rows that could change these counts
report-rejects-place = File:line
report-rejects-reason = Why it was rejected
report-rejects-mentions = Known accounts, persons and data subjects it mentions
report-rejects-incomplete = Not every rejected row was read for mentions (there are more than 100,000).
report-kind-src = Kind
report-definitions = Definitions
report-def-access = An access event is an event whose outcome is neither denied nor failed; refused attempts are counted separately. A data subject is affected when an access event touched it.
report-rule-params = Rules' parameters
report-custody-head = Custody log head (SHA-256 chain)
report-custody-signature = Custody log head signature (Ed25519)
report-unsigned = unsigned
report-case-id = Case id
report-event-id = event
report-range = range
report-no-events = No events in scope.
report-groups-unit = Groups
report-groups-heading = Findings by group
report-groups-note = One row per rule, person and system(s): the findings of the same pattern together, with the number of findings, the distinct evidence events, the distinct data subjects those events reached (access events only), the period and the investigator's decisions.
report-systems-col = Systems
report-evidence-events-col = Evidence events
report-subjects-reached-col = Data subjects reached
report-dismissed-heading = Dismissed groups and the reasons
report-reason = Reason
report-no-reason = (no reason recorded)
report-each-finding = Each finding
report-basis = Basis of the count
report-basis-note = The number above counts every data subject whose data an access event in the scope touched, routine access included (refused attempts excluded). The counts below are narrower: the data subjects reached by the evidence events of findings.
report-basis-any-access = touched by any access event in the scope (routine access included)
report-basis-not-dismissed = reached by the evidence of findings not dismissed
report-basis-confirmed = reached by the evidence of confirmed findings

## Counts with their unit.

report-count-events = { $count ->
    [one] { $count } event
   *[other] { $count } events
}
report-count-entries = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
}
report-count-subjects = { $count ->
    [one] { $count } person (distinct data subject)
   *[other] { $count } persons (distinct data subjects)
}
report-count-actors = { $count ->
    [one] { $count } person or account
   *[other] { $count } persons and accounts
}
report-count-evidence-events = { $count ->
    [one] { $count } evidence event
   *[other] { $count } evidence events
}
report-count-findings = { $count ->
    [one] { $count } finding
   *[other] { $count } findings
}

## Rejected rows ($command is the command line, shown as code).

report-rejects-note = { $count ->
    [one] { $count } row of access logs could not be read at import (for example an impossible date or an empty time), so it is in none of the counts above, yet it may record an access; those counts are therefore at least the figures given. The command { $command } shows the row's text.
   *[other] { $count } rows of access logs could not be read at import (for example an impossible date or an empty time), so they are in none of the counts above, yet each may record an access; those counts are therefore at least the figures given. The command { $command } shows each row's text.
}
report-rejects-more = +{ $count } more rejected rows: the command { $command } lists them.
report-each-finding-elsewhere = Each finding, with its key and evidence event ids, is in the findings export of the case ({ $command }); this report gives the groups.
# What a rejected row mentions.
report-mention-account = account { $text }
report-mention-person = person { $text }
report-mention-subject = subject { $text }
report-mention-unmapped = { $mention } (unmapped)
report-mention-who = { $mention } ({ $who })
report-mention-alias = { $mention } (alias of { $key })

## The scope of the report, and the view's filter terms.

report-scope-case = case
report-scope-view = view { $from } .. { $to } UTC; { $filters }
report-scope-persons = persons { $persons }
report-scope-subjects = { $count ->
    [one] { $count } data subject
   *[other] { $count } data subjects
}
report-scope-events = { $label } ({ $count ->
    [one] { $count } event
   *[other] { $count } events
})
report-scope-finding = finding { $key }: { $title } ({ $count ->
    [one] { $count } event
   *[other] { $count } events
})
report-filter-person = person { $value }
report-filter-organization = organization { $value }
report-filter-actor-country = actor country { $value }
report-filter-system = system { $value }
report-filter-storage-country = storage country { $value }
report-filter-category = category { $value }
report-filter-action = action { $value }
report-filter-outcome = outcome { $value }
report-filter-text = text { $value }
report-filter-events = { $label } ({ $count ->
    [one] { $count } event
   *[other] { $count } events
})
report-filter-query = query { $value }
report-filter-column = { $column } { $op } { $value }
report-filter-op-contains = contains
report-filter-op-equals = equals
report-filter-op-not = not
report-filter-tag = tag { $value }
report-filter-starred = starred

## Words for values the case stores as identifiers.

report-redaction-keep = keep
report-redaction-mask = mask
report-redaction-pseudonymise = pseudonymise
report-annotation-star = star
report-annotation-tag = tag
report-annotation-note = note
report-source-format = { $format } ({ $encoding })
report-custody-signed = entry { $entry }, key { $key }: { $signature }
report-custody-unsigned-entry = entry { $entry }: unsigned
report-param = parameter
report-param-value = value
report-param-meaning = meaning

## How a source's times were read (the methodology), from the forms its timestamps had.

report-forms-offset = { $all ->
    [yes] all { $count } times carried their
   *[no] { $count ->
        [one] { $count } time carried its
       *[other] { $count } times carried their
    }
} own UTC offset ({ $offsets })
report-forms-epoch = { $all ->
    [yes] all { $count } times
   *[no] { $count ->
        [one] { $count } time
       *[other] { $count } times
    }
} were epoch numbers (UTC)
report-forms-naive = { $all ->
    [yes] all { $count } times had no offset and were
   *[no] { $count ->
        [one] { $count } time had no offset and was
       *[other] { $count } times had no offset and were
    }
} read in { $zone } ({ $how })
report-forms-zone-unused = the zone { $zone } ({ $how }) was not needed
report-forms-z = Z, UTC
report-forms-other-zone = a zone named in the text
report-sep-list = {", "}
report-sep-clause = {"; "}
report-sentence-end = .

## The reading rule the import recorded, clause by clause (a Japanese report translates the
## known clauses; the English report quotes the rule as recorded).

report-rules-note = Each source's reading rule is given as the import recorded it.
report-recorded-rule-as-written = Recorded rule, as written
report-rule-offsets-kept = offsets and Z in the text are kept
report-rule-naive = naive times are read in { $zone } ({ $how })
report-rule-dst-fold = DST folds take the earlier instant and are flagged
report-rule-dst-gap = DST gaps use the offset before the gap and are flagged
report-rule-format = format { $format }
report-rule-parquet-utc = Parquet TIMESTAMP columns adjusted to UTC and INT96 columns are UTC instants
report-rule-parquet-naive = TIMESTAMP columns not adjusted to UTC, DATE columns and naive time text are read in { $zone } ({ $how })
report-rule-syslog-year = RFC 3164 lines have no year: the first line is in { $year } ({ $how }) and the year advances by one whenever the month goes back by six or more (December -> January)
report-rule-syslog-flag = such events are flagged year-inferred
report-rule-year-declared = declared with --year
report-rule-year-default = DEFAULT: the current year, no --year given
# A label and its value in running text.
report-label-value = { $label }: { $value }

# What each findings rule finds (the report's definitions; the same wording as the README).
report-rule-def-cross-border = A session in which a person who works in one country accessed a system that stores its data in another.
report-rule-def-outside-approval = A session with an access that no approval of the person covers (that system, valid from ≤ time ≤ valid to).
report-rule-def-unsupervised = A covered session whose approval names an overseer with no activity on the same system within the window around the session.
report-rule-def-after-revocation = Accesses, and separately refused attempts, after an access_revoked milestone that covers the person.
report-rule-def-off-hours = A session outside working hours in the person's own zone.
report-rule-def-bulk = A session that touches many records: over a fixed threshold or far above the person's norm.
report-rule-def-new-reach = The first touch of a system or data category after the person's baseline period.
report-rule-def-coverage-gap = A silence of an access source far longer than is normal for it, or a period outside declared retention; counts that overlap one are "at least".

## Where each item of the report comes from in the case.

report-source-narrative = Source: the investigator's text stored in the case (report text { $section }).
report-source-events = Source: the case's events in the scope ({ $events }), read from { $count ->
    [one] its access log { $files }
   *[other] its { $count } access logs { $files }
}.
report-source-narrative-missing = Source: the investigator's text (report text { $section }), not yet written in the case.
report-scope-no-start = (no start)
report-scope-no-end = (no end)
