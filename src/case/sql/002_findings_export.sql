-- Retrace case file, schema version 2: what the investigator adds on top of the imported
-- records (findings parameters and dispositions, report text, declared retention), the fields a
-- source wrote that the event model has no column for, and the key that pseudonymises subject
-- identifiers in exports. Nothing here changes an imported row.

-- Fields of a source record that map to no event column, as one JSON object per event
-- (`{"eventSource": "s3.amazonaws.com", ...}`). Only events that have such fields get a row.
-- Searched by the timeline's text filter and shown in the detail pane.
CREATE TABLE event_extra (
    event_id INTEGER PRIMARY KEY REFERENCES event(id),
    fields   TEXT NOT NULL
);

-- Parameters of the findings rules as the investigator set them; a rule's parameter that has
-- no row here takes its documented default.
CREATE TABLE finding_param (
    rule   TEXT NOT NULL,                   -- rule id (cross_border, outside_approval, ...)
    key    TEXT NOT NULL,                   -- parameter name (window_minutes, ...)
    value  TEXT NOT NULL,                   -- JSON value
    author TEXT NOT NULL,
    at_us  INTEGER NOT NULL,
    PRIMARY KEY (rule, key)
) WITHOUT ROWID;

-- The investigator's decisions on findings. A finding is named by a key that stays the same
-- when the rules run again (rule, person, system, start); the latest row for a key is its
-- disposition, earlier rows are its history.
CREATE TABLE finding_disposition (
    id          INTEGER PRIMARY KEY,
    finding_key TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'dismissed')),
    note        TEXT NOT NULL,
    author      TEXT NOT NULL,
    at_us       INTEGER NOT NULL
);
CREATE INDEX finding_disposition_key ON finding_disposition(finding_key, id);

-- The narrative items of the report (cause, secondary damage, response, ...), per language.
CREATE TABLE report_text (
    section TEXT NOT NULL,                  -- e.g. ppc.cause, ppc.recurrence_prevention
    lang    TEXT NOT NULL,                  -- en | ja
    text    TEXT NOT NULL,
    author  TEXT NOT NULL,
    at_us   INTEGER NOT NULL,
    PRIMARY KEY (section, lang)
) WITHOUT ROWID;

-- What the company declared about each access source's retention: events before `from` or
-- after `to` were never kept, so their absence is not a gap in the evidence.
CREATE TABLE source_retention (
    source_id INTEGER PRIMARY KEY REFERENCES source(id),
    from_us   INTEGER,
    to_us     INTEGER,
    note      TEXT,
    author    TEXT NOT NULL,
    at_us     INTEGER NOT NULL
);

-- The per-case secret for pseudonymising subject identifiers in exports (a keyed hash), so the
-- same subject gets the same token in every export of this case and in no other case.
INSERT INTO meta(key, value) VALUES ('pseudonym_key', lower(hex(randomblob(32))));
