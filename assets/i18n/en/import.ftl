## The import window. Details that come from reading a file (a reason naming its file and
## line) are shown as they are, after the window's own words.

import-title = Import files
import-add-files = Add files…
import-or-path = or a path:
import-add-path = Add path
import-files = Files:
import-preview-of-selected = Preview of the selected file
import-start = Import { $files }
import-cancel = Cancel
import-reading = Reading the file…
import-preview-error = { $error }
import-not-read = not read: { $columns }
import-mapping = Column mapping (guessed from the header; change any field):
import-roster-mapping = Column mapping of the { $kind } roster (guessed from the header; change any field):
import-required-field = { $field } *
import-required-missing = required and not mapped: { $fields } (pick a column for each)
import-none = — (none)

import-zone-default = default: { $zone }
import-zone-default-choice = Default ({ $zone })
import-zone = Source zone: { $zone }
import-read-as = read as
import-detected-kind = detected: { $kind }
import-detect-from-header = detect from the header

import-plan-kind = kind
import-plan-format = format
import-plan-detection = detection
import-plan-encoding = encoding
import-plan-size = size
import-plan-time-rule = time rule
import-plan-unmapped = unmapped fields
import-size-bytes = { $bytes } bytes
import-encoding = { $encoding } ({ $how })

import-first-rows = First { $rows } as they would be read (times in { $zone }):
import-first-roster-rows = First { $rows } as they would be read:
import-would-reject = { $rows } would be rejected among the first read:
import-line = line { $line }: { $text }

import-col-line = line
import-col-time = time
import-col-raw = raw
import-col-account = account
import-col-system = system
import-col-action = action
import-col-object = object
import-col-categories = categories
import-col-outcome = outcome

import-result = Result
import-result-row = { $file }: { $rows } read, { $imported } imported, { $rejected } rejected
import-result-not-read = { $file }: not read: { $columns }
import-result-note = { $file }: note: { $note }
import-rejected-show = { $count ->
    [one] { $count } row rejected in { $file } — show
   *[other] { $count } rows rejected in { $file } — show
}
import-rejected-show-tip = Open the rejects viewer on this file's rejected rows
import-rejects-of = Rejects of { $file } (first { $count })
import-not-imported = { $file }: not imported: { $error }
import-again = Import { $file } again anyway
import-again-tip = Imports the same bytes once more, as a new source with its own custody entry; the earlier source stays


## What a source is read as (`SourceKind`), and the fields of the column mappings, by their
## identifiers; English shows the identifiers.

import-kind-access = access
import-kind-people = people
import-kind-accounts = accounts
import-kind-systems = systems
import-kind-approvals = approvals
import-kind-milestones = milestones
import-kind-subjects = subjects

import-field-time = time
import-field-account = account
import-field-src_ip = src_ip
import-field-system = system
import-field-action = action
import-field-object = object
import-field-categories = categories
import-field-subjects = subjects
import-field-records = records
import-field-outcome = outcome
import-field-session = session
import-field-ticket = ticket
import-field-person_id = person_id
import-field-display_name = display_name
import-field-native_name = native_name
import-field-organization = organization
import-field-country = country
import-field-role = role
import-field-zone = zone
import-field-note = note
import-field-description = description
import-field-valid_from = valid_from
import-field-valid_to = valid_to
import-field-approver = approver
import-field-overseer = overseer
import-field-at = at
import-field-label = label
import-field-kind = kind
import-field-scope = scope
import-field-subject_id = subject_id
import-field-phone = phone
import-field-email = email

## How the file is read, in words (the Japanese window writes these; English shows the
## reader's own sentences).

import-detection-declared = declared
import-detection = detected, { $percent }%
import-detection-next = detected, { $percent }%; next: { $others }
import-encoding-declared = declared
import-encoding-bom = bom
import-encoding-detected = detected
import-encoding-nul-pattern = nul-pattern
import-zone-how-declared = declared
import-zone-how-profile = from the mapping profile
import-zone-how-default = DEFAULT: no zone was declared
import-time-rule = offsets and Z in the text are kept; naive times are read in { $zone } ({ $how }); DST folds take the earlier instant and are flagged; DST gaps use the offset before the gap and are flagged
import-time-rule-format = ; format { $format }
import-time-rule-parquet = Parquet TIMESTAMP columns adjusted to UTC and INT96 columns are UTC instants; TIMESTAMP columns not adjusted to UTC, DATE columns and naive time text are read in { $zone } ({ $how }); offsets and Z in text are kept
import-time-rule-syslog = ; RFC 3164 lines have no year: the first line is in { $year } ({ $how }) and the year advances by one whenever the month goes back by six or more (December -> January); such events are flagged year-inferred
import-year-declared = declared with --year
import-year-default = DEFAULT: the current year, no --year given
import-unmapped-original = read from the stored original when shown or searched (--extra-fields stored copies them into event_extra)
import-unmapped-stored = stored in event_extra

## The progress bar's stage, as the importer names it.

import-stage-import = import
