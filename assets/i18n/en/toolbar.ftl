## The toolbar

toolbar-open = Open…
toolbar-open-tip = Open a case file (.retrace) with the file dialog
toolbar-new = New…
toolbar-new-tip = Create an empty case file
toolbar-review = Open for review…
toolbar-review-tip = Open a case read-only: no import, export, annotation or report text
toolbar-by-path = Open by path…
toolbar-by-path-tip = Type a path: for systems without a file dialog
toolbar-recent = Recent
toolbar-no-recent = No recent cases
toolbar-import = Import…
toolbar-import-tip = Import access logs or rosters into the open case: pick files, type a path, or drop files on the window
toolbar-sample = Sample case
toolbar-sample-tip = Open the bundled fictional sample case (built on first use)
toolbar-subject = Subject lookup…
toolbar-subject-tip = Who saw a data subject's data: look up ids, phones, e-mails
toolbar-findings = Findings…
toolbar-findings-tip = What the rules conclude, each with its evidence events
toolbar-export = Export…
toolbar-export-tip = Export events (CSV, JSON Lines) or the regulator report, with a manifest
toolbar-custody = Custody log…
toolbar-custody-tip = The case's hash-chained log of imports, exports, annotations and sign-offs
toolbar-zone = Zone: { $zone }
toolbar-zone-case-default = Case default ({ $zone })
toolbar-colour-by = Colour by
colour-by-category = Data category
colour-by-system = System
colour-by-outcome = Outcome
timeline-colour-legend = Colour: { $by }
toolbar-theme-system = System theme
toolbar-theme-light = Light
toolbar-theme-dark = Dark
toolbar-keys = Keys

## The keyboard help

keys-zoom = zoom around the pointer / the centre
keys-pan = pan
keys-select-range = select a range (the table follows it)
keys-step = next / previous event
keys-home = show the whole case
keys-esc = clear the range selection
