## The filter's chips, the table's column filter, lane groups without a name, and the query
## language's errors as the app shows them. Values (names, ids, typed text) stay as data.

chip-person = person: { $name }
chip-organization = organization: { $name }
chip-actor-country = actor country: { $country }
chip-system = system: { $name }
chip-storage-country = data stored in: { $country }
chip-category = category: { $name }
chip-action = action: { $action }
chip-outcome = outcome: { $outcome }
chip-text = text: "{ $text }"
chip-events = { $label } ({ $events })
chip-query = query: { $query }
chip-tag = tag: { $tag }
chip-starred = starred
chip-column-contains = { $column } contains "{ $value }"
chip-column-equals = { $column } equals "{ $value }"
chip-column-not = { $column } not "{ $value }"
# A query with times names the zone they were read in.
query-times-in = { $query } (times in { $zone })

## The table's column filter: columns and how they compare

filter-col-person = person
filter-col-organization = organization
filter-col-account = account
filter-col-system = system
filter-col-storage-country = storage-country
filter-col-action = action
filter-col-object = object
filter-col-outcome = outcome
filter-col-ticket = ticket
filter-col-source-ip = source-ip
filter-col-source-file = source-file
filter-op-contains = contains
filter-op-equals = equals
filter-op-not = not

## Lane groups

group-unattributed = Unattributed accounts
group-no-organization = (no organization)

## Query errors: where, then what

query-error-at = at column { $column }: { $message }
query-err-empty-phrase = empty phrase ""
query-err-unclosed-phrase = this phrase has no closing '"'
query-err-empty-regex = empty regular expression //
query-err-in-regex = in the regex: { $detail }
query-err-unclosed-regex = this regex has no closing '/'
query-err-time-bracket = expected '[' after 'time:' (time:[FROM TO])
query-err-unknown-field = unknown field "{ $name }" (fields: { $fields }); put text with ':' in quotes to search for it
query-err-value-after = expected a value after '{ $name }:'
query-err-empty = the query is empty
query-err-unmatched-close = ')' without a matching '('
query-err-unexpected = unexpected text
query-err-too-deep = the query is nested too deeply
query-err-term-at-end = expected a term here, where the query ends
query-err-close-paren = expected ')' to close the '(' at column { $open }
query-err-term-before-operator = expected a term before this operator
query-err-brackets = '[' and ']' are only for time:[FROM TO]; put text with brackets in quotes
query-err-term = expected a term
query-err-time-close = expected ']' to close time:[FROM TO]
query-err-time-order = the end of time:[FROM TO] is not after its start
query-err-time-expected = expected a time (e.g. 2021-02-24 or "2021-02-24 10:00") or * in time:[FROM TO]
query-err-not-a-time = { $text } is not a time: { $detail }

## The regex's own errors (after "in the regex:")

regex-err-too-deep = the regex is nested too deeply
regex-err-nothing-to-repeat = nothing to repeat
regex-err-bad-repetition = bad repetition {"{"}{ $body }{"}"} (at most { $max })
regex-err-unexpected-end = unexpected end
regex-err-unsupported-group = only (?:...) and a leading (?i) are supported
regex-err-close-expected = expected ')'
regex-err-trailing-backslash = a '\' at the end
regex-err-unsupported-escape = unsupported escape \{ $char }
regex-err-unclosed-class = this [ has no closing ']'
regex-err-negated-class = a negated class inside [...] is not supported
regex-err-class-ends-range = a class cannot end a range
regex-err-backwards-range = range { $lo }-{ $hi } is backwards
regex-err-too-large = the regex is too large
regex-err-unmatched-close = ')' without a matching '('
