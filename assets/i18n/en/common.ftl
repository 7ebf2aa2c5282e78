# Counts with their unit. English has a singular and a plural; Japanese a counter.
# Use them with a number: tr!(lang, "count-events", count = n).

count-events = { $count ->
    [one] { $count } event
   *[other] { $count } events
}
count-access-events = { $count ->
    [one] { $count } access event
   *[other] { $count } access events
}
count-evidence-events = { $count ->
    [one] { $count } evidence event
   *[other] { $count } evidence events
}
count-records = { $count ->
    [one] { $count } record
   *[other] { $count } records
}
count-entries = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
}
count-custody-entries = { $count ->
    [one] { $count } custody entry
   *[other] { $count } custody entries
}
count-rows = { $count ->
    [one] { $count } row
   *[other] { $count } rows
}
count-rejects = { $count ->
    [one] { $count } reject
   *[other] { $count } rejects
}
count-findings = { $count ->
    [one] { $count } finding
   *[other] { $count } findings
}
count-subjects = { $count ->
    [one] { $count } subject
   *[other] { $count } subjects
}
count-data-subjects = { $count ->
    [one] { $count } data subject
   *[other] { $count } data subjects
}
count-distinct-subjects = { $count ->
    [one] { $count } distinct subject
   *[other] { $count } distinct subjects
}
count-persons = { $count ->
    [one] { $count } person
   *[other] { $count } persons
}
count-people = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
count-accounts = { $count ->
    [one] { $count } account
   *[other] { $count } accounts
}
count-times = { $count ->
    [one] { $count } time
   *[other] { $count } times
}
count-systems = { $count ->
    [one] { $count } system
   *[other] { $count } systems
}
count-sources = { $count ->
    [one] { $count } source
   *[other] { $count } sources
}
count-access-sources = { $count ->
    [one] { $count } access source
   *[other] { $count } access sources
}
count-sessions = { $count ->
    [one] { $count } session
   *[other] { $count } sessions
}
count-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
count-approvals = { $count ->
    [one] { $count } approval
   *[other] { $count } approvals
}
count-files = { $count ->
    [one] { $count } file
   *[other] { $count } files
}
count-categories = { $count ->
    [one] { $count } category
   *[other] { $count } categories
}
count-refused-attempts = { $count ->
    [one] { $count } refused attempt
   *[other] { $count } refused attempts
}
count-problems = { $count ->
    [one] { $count } problem
   *[other] { $count } problems
}
count-milestones = { $count ->
    [one] { $count } milestone
   *[other] { $count } milestones
}
count-lanes = { $count ->
    [one] { $count } lane
   *[other] { $count } lanes
}
count-keys = { $count ->
    [one] { $count } key
   *[other] { $count } keys
}
count-items = { $count ->
    [one] { $count } item
   *[other] { $count } items
}
count-groups = { $count ->
    [one] { $count } group
   *[other] { $count } groups
}
count-filter-terms = { $count ->
    [one] { $count } filter term
   *[other] { $count } filter terms
}
count-characters = { $count ->
    [one] { $count } character
   *[other] { $count } characters
}
count-organizations = { $count ->
    [one] { $count } organization
   *[other] { $count } organizations
}
count-annotations = { $count ->
    [one] { $count } annotation
   *[other] { $count } annotations
}

## Languages and the language switch
language = Language
language-switch-tip = The language of the app (remembered). The report has its own language in the export form.
list-separator = {", "}

## Kinds of source (as the case stores them: access, people, …)
source-kind-access = access
source-kind-people = people
source-kind-accounts = accounts
source-kind-systems = systems
source-kind-approvals = approvals
source-kind-milestones = milestones
source-kind-subjects = subjects

## A count that goes slice by slice (a filter only the events themselves can answer)

counting-progress = counting… { $percent } % of the view
counting-stop = Stop
counting-stopped = stopped at { $percent } % of the view
counting-again = Count again
