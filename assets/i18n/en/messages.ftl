## The app's messages: refusals, results of writes, jobs as the status bar names them,
## progress stages, file dialogs. Error details from the core follow a lead-in as they are.

## Refusals

msg-review-refusal = The case is opened for review: nothing is written to it (no export, annotation or report text, each of which the custody log records). Open it normally to write.
msg-review-no-views = The case is opened for review: views cannot be saved or deleted. Open it normally to change them.
msg-review-no-import = The case is opened for review: nothing can be imported. Open it normally to import.
msg-review-no-decisions = The case is opened for review: decisions and parameters cannot be recorded. Open it normally to record them.
msg-name-first = Give your name first (the findings window asks for it): a decision or parameter is recorded in the custody log with who made it.
msg-name-first-annotate = Give the investigator's name first (the annotation controls ask for it).
msg-open-case-first = Open or create a case first, then import files into it.
msg-no-data-dir = No data directory for the sample case; open a case instead.

## Failures, with the error's own words after them

msg-query-threads = cannot start the query threads: { $error }
msg-thread = cannot start a thread: { $error }
msg-worker-stopped = { $task }: the worker stopped unexpectedly
msg-sample-failed = The sample case was not built: { $error }
msg-import-failed = The import failed: { $error }
msg-name-not-saved = The name was not saved: { $error }
msg-no-person = no person { $key } in this case

## Results

msg-kept = Kept after the import: { $what }.
msg-kept-filters = { $count ->
    [one] { $count } filter
   *[other] { $count } filters
}
msg-kept-selected-event = the selected event ({ $id })
msg-kept-selected-range = the selected range
msg-kept-visible-range = the visible range
msg-annotation-saved = Annotation { $id } saved and logged.
msg-annotations-none = Every marked event already had it: nothing was added.
msg-annotations-saved = { $count ->
    [one] { $count } annotation saved and logged.
   *[other] { $count } annotations saved, each logged in the custody log.
}
msg-report-text-saved = Saved; recorded in the custody log.
msg-view-saved = View "{ $name }" saved; recorded in the custody log.
msg-view-replaced = View "{ $name }" replaced; recorded in the custody log.
msg-view-deleted = View "{ $name }" deleted; recorded in the custody log.
msg-signing-key = Your signing key: { $fingerprint } (Ed25519)
msg-no-signing-key = No signing key: entries this app writes are unsigned.
msg-csv-written = CSV written to { $path }

## Background jobs, as the status bar names them

job-opening = Opening { $path }
job-building-sample = Building the sample case (first run)
job-reading-file = Reading the file
job-importing = Importing { $files }
job-dropped = dropped files
job-custody = custody log
job-verifying = verifying the custody log
job-exporting = Exporting { $format }
job-report-text = report text
job-saving-report-text = saving report text
job-annotation = annotation
job-annotations = annotations
job-settings = settings
job-saved-views = saved views
job-saving-view = saving a view

## A job's stage, on its progress bar

stage-import = import
stage-export = export
stage-report = report
stage-verify-events = verify events

## File dialogs

dialog-case-files = Retrace case
dialog-import-files = Logs and rosters
dialog-all-files = All files
dialog-identifier-lists = Identifier lists
dialog-export-title = Export into a new folder
