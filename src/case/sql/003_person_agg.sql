-- Retrace case file, schema version 3: per-person figures derived from the events, so a person
-- page does not read every one of the person's events. Nothing here is evidence: every row is
-- rebuilt from `event`, `account` and `person` (see `case/person_agg.rs`) at the end of each
-- import for the persons it touched (persons whose accounts got events, or whose accounts a
-- roster mapped), and for every person when a case is upgraded to this version.
-- Only access events (outcome neither 'denied' nor 'failed') are counted, except
-- `refused_events`. A person's events are those of every account mapped to them.

-- One row per person.
CREATE TABLE person_summary (
    person_id         INTEGER PRIMARY KEY REFERENCES person(id),
    gap_us            INTEGER NOT NULL,     -- the session gap person_session was cut with
    access_events     INTEGER NOT NULL,
    refused_events    INTEGER NOT NULL,     -- denied or failed attempts
    records           INTEGER NOT NULL,     -- sum of event.records (NULL counts 0)
    distinct_subjects INTEGER NOT NULL,     -- distinct subjects linked to access events
    first_access_us   INTEGER,
    last_access_us    INTEGER,
    sessions          INTEGER NOT NULL
);

-- Access events per person per UTC hour (charts and active days in any zone whose offset is a
-- whole number of hours over the hour).
CREATE TABLE person_hour (
    person_id INTEGER NOT NULL,
    hour      INTEGER NOT NULL,             -- ts_us / 3600000000 (floor)
    n         INTEGER NOT NULL,
    PRIMARY KEY (person_id, hour)
) WITHOUT ROWID;

-- Access events per person, system and category set.
CREATE TABLE person_reach (
    person_id  INTEGER NOT NULL,
    system_id  INTEGER NOT NULL,            -- 0 for events without a system
    categories INTEGER NOT NULL,            -- the events' category bit set
    n          INTEGER NOT NULL,
    PRIMARY KEY (person_id, system_id, categories)
) WITHOUT ROWID;

-- The person's sessions at the gap of person_summary.gap_us: maximal runs of access events,
-- across all the person's accounts in UTC order, with consecutive gaps under the gap.
CREATE TABLE person_session (
    person_id      INTEGER NOT NULL,
    start_us       INTEGER NOT NULL,
    end_us         INTEGER NOT NULL,
    events         INTEGER NOT NULL,
    records        INTEGER NOT NULL,
    subjects       INTEGER NOT NULL,        -- distinct subjects of the session's events
    first_event_id INTEGER NOT NULL,
    spans          TEXT NOT NULL,           -- per system: "system_id:first_us:last_us", space-separated
    PRIMARY KEY (person_id, start_us)
) WITHOUT ROWID;
