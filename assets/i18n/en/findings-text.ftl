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

findings-country-separator = {", "}
findings-list-separator = {"; "}
findings-category = { $category }
findings-cross-border-ip-title = account { $account } (source IP in { $actor }) accessed data stored in { $stored } ({ $systems })
findings-cross-border-ip-explanation = Account { $account }: { $sources }, { $roster ->
        [no_country] its person { $person } has no country in the roster
       *[no_person] no person in the roster
    }. { $systems } store(s) data in { $stored } (systems roster). { $count } access event(s) of this session reached that data from { $actor }. { findings-cross-border-context }
findings-cross-border-ip-source = actor country { $country } from source IP { $ip } (mapping { $mapping })
findings-cross-border-ip-more = and { $count } more source IP(s)
findings-outside-approval-title = { $who }: { $count } access(es) to { $systems } without a covering approval
findings-outside-approval-explanation = No approval (approvals roster: this person, this system, valid_from ≤ time ≤ valid_to) covers these { $count } access event(s) of the session starting { $start }: { $reason ->
        [other_system] an approval of this person was in force, but for another system
        [none_held] this person holds no approval at all
       *[none_in_force] no approval of this person was in force at the time
    }. Scope: { $scope }.
findings-after-revocation-title = { $who }: { $count } access(es) after "{ $label }"
findings-after-revocation-explanation = The milestone "{ $label }" (access_revoked, { $at }, scope { $scope }) revoked access; these access events came after it, before any later access_granted milestone covering this person.
findings-refused-after-revocation-title = { $who }: { $count } refused attempt(s) after "{ $label }"
findings-refused-after-revocation-explanation = Attempts with outcome denied or failed after the milestone "{ $label }" ({ $at }): evidence that the person still tried to reach { $systems } after access was revoked; no data was seen through them.
findings-off-hours-title = { $who }: { $count } access(es) outside working hours ({ $zone })
findings-off-hours-explanation = Working hours are { $start }:00–{ $end }:00{ $weekends ->
        [yes] , Monday to Friday
       *[no] , every day
    } in the person's own zone { $zone }{ $zone_given ->
        [no] {" "}(the roster gives no zone for this person, so UTC is used)
       *[yes] {""}
    }; these access events fall outside them.
findings-bulk-title = { $who }: { $records } records in one session on { $systems }
findings-bulk-explanation = The session { $from } – { $to } (UTC) touched { $records } records (sum of the events' records field){ $over_max ->
        [yes] , at least bulk.max_records = { $max }
       *[no] {""}
    }{ $over_norm ->
        [yes] , more than bulk.norm_factor = { $factor } × the person's 95th-percentile session
       *[no] {""}
    }. The person's sessions ({ $sessions }) touch at most { $norm } records in 95 % of cases (95th percentile, nearest rank).
findings-new-system-title = { $who }: first access to { $system }
findings-new-system-explanation = The person's first access to { $system }, { $days } days after their first access in the case ({ $first }); systems first reached within new_reach.baseline_days = { $baseline } days are their baseline.
findings-new-category-title = { $who }: first access to { $category } data
findings-new-category-explanation = The person's first access event carrying the category { $category }, { $days } days after their first access in the case ({ $first }); categories first reached within new_reach.baseline_days = { $baseline } days are their baseline.

findings-group-status-part = { $count } { $status }

## What a finding counts (its unit), in the app and the report (`unit_count`)

findings-count-access-events = { $count ->
        [one] { $count } access event
       *[other] { $count } access events
    }
findings-count-refused-attempts = { $count ->
        [one] { $count } refused attempt
       *[other] { $count } refused attempts
    }
findings-count-records = { $count ->
        [one] { $count } record
       *[other] { $count } records
    }
findings-count-distinct-data-subjects = { $count ->
        [one] { $count } distinct data subject
       *[other] { $count } distinct data subjects
    }
findings-count-hours-without-events = { $count ->
        [one] { $count } hour without events
       *[other] { $count } hours without events
    }
findings-count-hours-not-retained = { $count ->
        [one] { $count } hour not retained
       *[other] { $count } hours not retained
    }
findings-count-at-least = at least { $phrase }
