## The desk: pane headers, the message banner, the status bar, the welcome page, the name prompt

desk-side-collapse = Collapse the side panel
desk-side-show = Show the side panel: case, filters, people, sources
desk-detail-collapse = Collapse the detail pane
desk-detail-show = Show the detail pane: the selected event and its annotations
desk-error = Error:
desk-note = Note:
desk-dismiss = Dismiss
desk-cancel = Cancel
desk-status-counts = { $events } · { $rejects } · { $sources }
desk-status-zone = times in { $zone }
desk-status-review = opened for review: read-only
desk-status-frame = frame { $ms } ms
desk-status-query = { $frame } · query { $ms } ms
desk-welcome-tagline = Who saw which personal data, and when.
desk-welcome-open = Open a case…
desk-welcome-sample = Open the sample case
desk-investigator = Investigator:
desk-investigator-change = Change…
desk-investigator-change-tip = Type another name (asked once per machine)
desk-investigator-ask = Your name, for the case's custody log (asked once on this machine):
desk-investigator-hint = Investigator name
desk-investigator-remember = Remember on this machine
desk-investigator-use = Use this name
