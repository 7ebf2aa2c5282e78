# The column headers of the exported events.csv (`retrace export --format csv`), one
# message per column. English gives the names scripts read; they never change. Japanese
# headers (`--headers ja`, the export form's "Column headers") are for people reading the
# file in a spreadsheet; the columns and their order are the same.

csv-header-event-id = event_id
csv-header-time-utc = time_utc
csv-header-time-local = time ({ $zone })
csv-header-person-id = person_id
csv-header-person = person
csv-header-organization = organization
csv-header-actor-country = actor_country
csv-header-account = account
csv-header-src-ip = src_ip
csv-header-system = system
csv-header-system-country = system_country
csv-header-action = action
csv-header-object = object
csv-header-categories = categories
csv-header-records = records
csv-header-outcome = outcome
csv-header-subjects = subjects
csv-header-session = session
csv-header-ticket = ticket
csv-header-raw-time = raw_time
csv-header-source-file = source_file
csv-header-source-id = source_id
csv-header-line = line
csv-header-line-end = line_end

## The export form's choice of header language.

export-headers = Column headers:
export-headers-en = English
export-headers-ja = Japanese
export-headers-tip = The language of the CSV file's header row: English (event_id, time_utc, …), the stable names scripts read, or Japanese (イベントID, 時刻（UTC）, …) for reading the file in a spreadsheet. The columns and their order are the same.
