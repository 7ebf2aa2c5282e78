## Analysis results as the app shows them: timestamp flags, subject lookups

analysis-list-separator = {"; "}
analysis-ts-flag-offset = offset in text
analysis-ts-flag-epoch = epoch number
analysis-ts-flag-naive = naive, read in source zone
analysis-ts-flag-ambiguous = AMBIGUOUS local time (DST fold): earlier instant taken
analysis-ts-flag-nonexistent = NONEXISTENT local time (DST gap): offset before gap used
analysis-ts-flag-year-inferred = year inferred
analysis-ts-flag-date-only = date only: local midnight assumed
analysis-ts-flag-leap-second = LEAP SECOND (:60): read as :59.999999 of that minute
analysis-ts-flag-zone-abbreviation = zone abbreviation resolved to an offset

analysis-subject-unknown-date = ?
analysis-subject-cover = { $from } .. { $to } (UTC dates)
analysis-subject-blank = blank identifier
analysis-subject-none = { $known ->
        [yes] known subject
       *[no] identifier not in the subjects roster
    }; no access recorded in sources covering { $cover }
analysis-subject-found = { $events ->
        [one] { $events } access event
       *[other] { $events } access events
    } by { $actors ->
        [one] { $actors } person or account
       *[other] { $actors } persons/accounts
    }{ $refused ->
        [0] {""}
        [one] , { $refused } refused attempt
       *[other] , { $refused } refused attempts
    } (sources cover { $cover })
analysis-subject-rejected-place = { $place }: { $reason }
analysis-subject-rejected = ; at least: { $rows } { $form ->
        [one] rejected row of an access log mentions
       *[many] rejected rows of an access log mention
    } this subject, not counted ({ $places }{ $more ->
        [yes] ; …
       *[no] {""}
    })

analysis-mention = { $kind } { $text }{ $tail }
analysis-mention-separator = {", "}
analysis-mention-unmapped = {" "}(unmapped)
analysis-mention-of = {" "}({ $of })
analysis-mention-alias-of = {" "}(alias of { $key })
