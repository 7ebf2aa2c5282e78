## Findings: rule names, titles and explanations (English equals the rules' own text)

findings-rule-cross-border = cross_border
findings-rule-outside-approval = outside_approval
findings-rule-unsupervised = unsupervised
findings-rule-after-revocation = after_revocation
findings-rule-off-hours = off_hours
findings-rule-bulk = bulk
findings-rule-new-reach = new_reach
findings-rule-coverage-gap = coverage_gap
findings-cross-border-context = Context: Japan's APPI Art. 28 requires the data subject's prior consent (unless an exception applies) for providing personal data to a third party in a foreign country, and the PPC has treated making data accessible from abroad as such a situation; GDPR Chapter V (Art. 44-50) governs transfers of personal data to third countries, remote access included. This finding records the fact of access across a border; whether it was lawful is for the panel to judge.
findings-cross-border-title = { $who } (works in { $home }) accessed data stored in { $stored } ({ $systems })
findings-cross-border-explanation = { $who } works in { $home } (person roster); { $systems } store(s) data in { $stored } (systems roster). { $count } access event(s) of this session reached that data from { $home }. { findings-cross-border-context }
findings-gap-title = { $file }: no events for { $hours } hours
findings-gap-explanation = The access log { $file } has no event from { $from } to { $to } (UTC): { $hours } empty hours, where { $threshold } hours (the larger of coverage_gap.min_hours and coverage_gap.factor × its 99th-percentile silence) already counts as a gap. Accesses in this period would not appear in any count; counts that span it are lower bounds. Evidence: the last event before and the first after.
findings-retention-title = { $file }: not retained (declared)
findings-retention-explanation = The investigator declared that { $file } was not retained from { $from } to { $to } (UTC). Its absence there is not a gap in the log, but no count can include accesses of that period.
findings-unsupervised-title = { $who }: session on { $systems } without oversight by { $overseers }
findings-unsupervised-explanation = The session { $from } – { $to } (UTC) is covered by { $tickets }, which name(s) { $overseers } as overseer; the overseer had no access event on the same system from { $minutes } minutes before the session's start to { $minutes } minutes after its end.

findings-group-status-part = { $count } { $status }
