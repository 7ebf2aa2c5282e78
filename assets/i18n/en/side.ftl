## The side panel: the case, rejects, filters, saved views, people, sources

side-case = Case
side-count-events = events
side-count-rejects = rejected rows
side-count-persons = persons
side-count-accounts = accounts
side-count-unattributed = unattributed accounts
side-count-systems = systems
side-count-subjects = data subjects
side-count-milestones = milestones
side-first-event = first event { $when } { $zone }
side-last-event = last event { $when } { $zone }
side-filters = Filters
side-no-filter = No filter: all events
side-remove-filter = Remove this filter
side-clear-filters = Clear all filters
side-picker-add = add…
side-query = Search or query:
side-query-add = Add
side-query-error = Query error { $error }
side-query-help = Fields: { $fields }; AND, OR, NOT, ( ), "phrase", *, /regex/, time:[FROM TO] in { $zone }
side-picker-organization = Organization
side-picker-person = Person
side-picker-actor-country = Actor country
side-picker-system = System
side-picker-storage = Data stored in
side-picker-category = Data category
side-picker-action = Action
side-picker-outcome = Outcome
side-people = People
side-people-hint = Click a name to filter to it.
side-group-title = { $group } ({ $lanes })
side-filter-org = Filter to this organization
side-lane-account = { $name } (account)
side-lane-accounts = accounts: { $accounts }
side-open-person = Open person page
side-all-rejects = All rejects: { $count } rejected rows — show
side-all-rejects-tip = Rows the imports could not read: file, line, reason, raw text
side-rejects-mention-people = { $count ->
    [one] { $count } rejected row mentions known people — show
   *[other] { $count } rejected rows mention known people — show
}
side-rejects-mention-any = { $count ->
    [one] { $count } rejected row mentions known people or data subjects ({ $people } people) — show
   *[other] { $count } rejected rows mention known people or data subjects ({ $people } people) — show
}
side-rejects-mention-tip =
    In no count: counts about them are at least.
    { $rows }
side-sources = Sources
side-source-head = { $file } ({ $kind })
side-source-head-rejected = { $file } ({ $kind }, { $rejected } rejected)
side-source-rejects = { $count } rejected rows — show
side-source-rows-read = rows read
side-source-rows-imported = rows imported
side-source-rows-rejected = rows rejected
side-source-format = format
side-source-encoding = encoding
side-source-zone = zone read in
side-source-time-rule = time rule
side-source-size = size
side-source-size-bytes = { $bytes } bytes
# The hash's name is the same in every language.
side-source-sha = SHA-256
side-views = Saved views
side-no-views = No saved views
side-view-range = { $from } – { $to } { $zone }
side-view-whole-case = the whole case
side-view-no-filter = none
side-view-tip =
    Show this view. Filter: { $filter }
    Range: { $range }
    Zone: { $zone }; colour: { $colour }
    Saved by { $author }
side-view-delete = Delete
side-view-delete-tip = Delete the view "{ $name }" (custody-logged)
side-view-name = Name:
side-view-name-hint = View name
side-view-save = Save current view as
side-view-save-tip = Filter, range, zone, colouring and table columns, kept in the case
