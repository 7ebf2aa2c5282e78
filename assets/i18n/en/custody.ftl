## The custody window and the annotation controls

custody-title = Custody log
custody-intro = Every import, export, annotation, report edit and sign-off, hash-chained (times in { $zone }).
custody-reload = Reload
custody-verify = Verify chain
custody-verify-tip = Check the hash chain, every signature, and the case's sources, decisions, parameters, report texts and annotations against the entries that recorded them (the custody checks of retrace verify)
custody-verifying = verifying…
custody-not-verified = Not verified: { $error }
custody-verified = Verified: { $entries ->
    [one] { $entries } entry
   *[other] { $entries } entries
} — chain intact, { $signed } signed ({ $keys ->
    [one] { $keys } key
   *[other] { $keys } keys
}), { $unsigned } unsigned; every record matches its entry.
custody-problems = NOT verified: { $problems ->
    [one] { $problems } problem
   *[other] { $problems } problems
} in { $entries ->
    [one] { $entries } entry
   *[other] { $entries } entries
}
custody-grown = The log has { $entries ->
    [one] { $entries } entry
   *[other] { $entries } entries
} now: verify again.
custody-entries = { $entries ->
    [one] { $entries } entry
   *[other] { $entries } entries
}, newest first (times in { $zone })
custody-details = details
custody-signed-by = signed by key { $key }: { $signature }
custody-unsigned = unsigned
custody-what-import = imported { $file } ({ $kind }): { $read ->
    [one] { $read } row
   *[other] { $read } rows
} read, { $imported } imported, { $rejected } rejected
custody-what-export = exported { $events ->
    [one] { $events } event
   *[other] { $events } events
} as { $format } into the folder { $folder } (redaction { $redaction })
custody-what-annotate-event = { $kind } on event { $id }: { $text }
custody-what-annotate-range = { $kind } on a time range: { $text }
custody-what-report-text = report text { $section } ({ $lang }): { $chars ->
    [one] { $chars } character
   *[other] { $chars } characters
}

annotate-title = Annotate
annotate-event = event { $id }
annotate-range = range { $from } — { $to }
annotate-nothing = select an event or shift-drag a range
annotate-review = Opened for review: annotations cannot be added.
annotate-star = ★ Star
annotate-tag-hint = tag
annotate-add-tag = Add tag
annotate-note-hint = note
annotate-add-note = Add note
annotate-tag-mark = tag: { $text }
annotate-note-mark = note: { $text }
