-- Retrace case file, schema version 6: which events touched each data subject, one row per
-- subject and source, the event ids as a JSON array in ascending order. It replaces
-- `event_subject` (one row per subject and event): an import writes a row per subject it
-- touched instead of a row per link, which at 10 M events (15 M links) took ~4.4 s of the
-- import. Derived from `event.subject_ids` (the other direction; `case/subject_event.rs` fills
-- it on the upgrade to this version) and read in plain SQL with json_each, e.g. the events of
-- subject 42:
--   SELECT j.value AS event_id FROM subject_event se, json_each(se.event_ids) j
--   WHERE se.subject_id = 42 ORDER BY 1;
CREATE TABLE subject_event (
    subject_id INTEGER NOT NULL REFERENCES subject(id),
    source_id  INTEGER NOT NULL REFERENCES source(id),
    events     INTEGER NOT NULL,            -- how many ids event_ids holds
    event_ids  TEXT NOT NULL,               -- JSON array of event.id, ascending
    PRIMARY KEY (subject_id, source_id)
) WITHOUT ROWID;
DROP TABLE IF EXISTS event_subject;
