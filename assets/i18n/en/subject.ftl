## The data-subject lookup

subject-title = Data-subject lookup
subject-intro = Identifiers (user id, phone, e-mail), one per line or comma-separated; normalized as the importer did, phones and e-mails resolved to their subject.
subject-identifiers = Identifiers:
subject-look-up = Look up
subject-file = Identifier file:
subject-file-tip = A text or CSV file with one identifier per line
subject-load = Load
subject-browse = Browse…
subject-csv = CSV of the answers:
subject-save-csv = Save CSV
subject-export-csv = Export CSV…
subject-summary = { $identifiers ->
    [one] { $identifiers } identifier
   *[other] { $identifiers } identifiers
}: { $touched } with access events, { $untouched } without ({ $ms } ms)
subject-rejected = { $count ->
    [one] { $count } rejected row of an access log mentions
   *[other] { $count } rejected rows of access logs mention
} this subject (not counted: the counts are at least):
subject-who = subject { $key } ({ $kind }, lives in { $country }){ $alias ->
    [yes] , found by alias
   *[no] {""}
}
subject-not-in-roster = not in the subjects roster
subject-col-event = event
subject-col-time = time ({ $zone })
subject-col-who = who
subject-col-from = from (works in)
subject-col-system = system (data in)
subject-col-categories = categories
subject-col-outcome = outcome
subject-select-tip = select it on the timeline
subject-unmapped = { $account } (unmapped account)
