## Rule parameters: what each means (the findings window's editor, the report's methodology)

param-cross-border-ip-countries-description = list of "CIDR=CC" (IPv4 or IPv6, e.g. "10.86.0.0/16=CN"): for accounts with no person in the roster, or whose person has no country, the actor's country is that of the most specific CIDR containing the event's source IP (empty: such accounts are not judged)
param-session-gap-minutes-description = a session ends when a person's next access comes this many minutes or later after the previous one (all rules work on sessions)
param-outside-approval-scope-description = "approval_holders": only people who hold at least one approval; "everyone": every person in the roster
param-unsupervised-window-minutes-description = the overseer must have activity on the same system from this many minutes before the session's start to this many after its end
param-off-hours-start-hour-description = working hours start at this local hour (0-23, in the person's own zone)
param-off-hours-end-hour-description = working hours end at this local hour (1-24, exclusive)
param-off-hours-weekends-description = true: Saturday and Sunday (local) are off-hours all day
param-bulk-max-records-description = a session that touches at least this many records is bulk
param-bulk-norm-factor-description = a session is also bulk when its records exceed this many times the person's 95th-percentile session
param-bulk-min-records-description = the norm test applies only to sessions of at least this many records
param-bulk-min-sessions-description = the norm test applies only to people with at least this many sessions
param-new-reach-baseline-days-description = systems and categories first touched within this many days of the person's first access are their baseline
param-coverage-gap-min-hours-description = a gap is a run of at least this many whole UTC hours without any event of a source
param-coverage-gap-factor-description = and at least this many times the source's 99th-percentile run of empty hours (what is normal for it)
