-- Retrace case file, schema version 1.
-- Times are UTC integer microseconds since 1970-01-01 (`*_us`); the text a source wrote is kept
-- beside them (`raw_*`). Category sets are 64-bit masks whose bits are named in `category`.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE category (
    bit  INTEGER PRIMARY KEY CHECK (bit BETWEEN 0 AND 63),
    name TEXT NOT NULL UNIQUE
);

-- One row per imported file. The original bytes are in source_chunk.
CREATE TABLE source (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,            -- access | people | accounts | systems | approvals | milestones | subjects
    file_name     TEXT NOT NULL,            -- base name as imported
    sha256        TEXT NOT NULL,            -- hex digest of the original bytes
    size_bytes    INTEGER NOT NULL,
    format        TEXT NOT NULL,            -- csv | jsonl | ...
    encoding      TEXT NOT NULL,            -- utf-8 | utf-8-bom | shift_jis | utf-16le | utf-16be
    encoding_how  TEXT NOT NULL,            -- declared | bom | detected
    zone          TEXT NOT NULL,            -- IANA zone naive timestamps were read in
    time_rule     TEXT NOT NULL,            -- how missing zones/years were resolved
    mapping_json  TEXT NOT NULL,            -- the column mapping used, as JSON
    line_count    INTEGER NOT NULL,         -- physical lines in the original bytes
    rows_read     INTEGER NOT NULL,
    rows_imported INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    first_event_id INTEGER,                 -- the source's events are ids first..last
    last_event_id  INTEGER,
    first_ts_us   INTEGER,
    last_ts_us    INTEGER,
    imported_at_us INTEGER NOT NULL,
    imported_by   TEXT NOT NULL,
    tool_version  TEXT NOT NULL
);
CREATE INDEX source_sha ON source(sha256);

-- The original bytes of each source, zstd-compressed, in chunks cut at line ends.
CREATE TABLE source_chunk (
    source_id  INTEGER NOT NULL REFERENCES source(id),
    seq        INTEGER NOT NULL,
    first_line INTEGER NOT NULL,            -- 1-based line number of the chunk's first line
    byte_start INTEGER NOT NULL,            -- offset of the chunk in the original file
    raw_len    INTEGER NOT NULL,            -- uncompressed length
    data       BLOB NOT NULL,
    PRIMARY KEY (source_id, seq)
) WITHOUT ROWID;

-- Rows that could not be read, with the reason.
CREATE TABLE reject (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES source(id),
    line      INTEGER NOT NULL,
    reason    TEXT NOT NULL,
    raw       TEXT NOT NULL
);
CREATE INDEX reject_source ON reject(source_id, line);

CREATE TABLE person (
    id           INTEGER PRIMARY KEY,
    person_key   TEXT NOT NULL UNIQUE,      -- the roster's person_id
    display_name TEXT NOT NULL,
    native_name  TEXT,
    organization TEXT,
    country      TEXT,                      -- ISO 3166 alpha-2, where the person works
    role         TEXT,
    zone         TEXT,                      -- IANA zone the person works in
    source_id    INTEGER REFERENCES source(id),
    line         INTEGER
);

-- Log identities. person_id is NULL until a roster maps the account.
CREATE TABLE account (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    person_id INTEGER REFERENCES person(id),
    note      TEXT,
    source_id INTEGER REFERENCES source(id),
    line      INTEGER
);

-- Servers, databases, buckets. country = where the data is stored.
CREATE TABLE system (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    country     TEXT,
    categories  INTEGER NOT NULL DEFAULT 0,
    description TEXT,
    source_id   INTEGER REFERENCES source(id),
    line        INTEGER
);

CREATE TABLE event (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES source(id),
    line         INTEGER NOT NULL,          -- first line of the record in the source
    line_end     INTEGER NOT NULL,          -- last line of the record
    ts_us        INTEGER NOT NULL,          -- UTC microseconds
    raw_ts       TEXT NOT NULL,             -- timestamp text as written
    ts_flags     INTEGER NOT NULL,          -- 1 offset, 2 epoch, 4 naive, 8 DST-ambiguous, 16 DST-nonexistent, 32 year inferred, 64 date only
    account_id   INTEGER REFERENCES account(id),
    src_ip       TEXT,
    system_id    INTEGER REFERENCES system(id),
    action       TEXT,
    object       TEXT,
    categories   INTEGER NOT NULL,          -- bit set, see category
    records      INTEGER,                   -- records touched
    outcome      TEXT,                      -- success | denied | failed | the source's word
    session_key  TEXT,
    ticket       TEXT,
    subject_count INTEGER NOT NULL,
    subject_ids  TEXT                       -- the subjects' row ids, space-separated (NULL: none)
);

-- Whose data an event touched.
CREATE TABLE subject (
    id      INTEGER PRIMARY KEY,
    key     TEXT NOT NULL UNIQUE,           -- normalized identifier
    kind    TEXT NOT NULL,                  -- id | phone | email
    country TEXT                            -- from the subjects roster
);

CREATE TABLE subject_alias (
    alias      TEXT PRIMARY KEY,            -- another normalized identifier (phone, e-mail)
    subject_id INTEGER NOT NULL REFERENCES subject(id)
) WITHOUT ROWID;

-- Which events touched a subject, keyed for the lookup "whose data": subject -> events.
-- (Event -> subjects is event.subject_ids.) Written in key order at the end of each import.
CREATE TABLE event_subject (
    subject_id INTEGER NOT NULL REFERENCES subject(id),
    event_id   INTEGER NOT NULL REFERENCES event(id),
    PRIMARY KEY (subject_id, event_id)
) WITHOUT ROWID;

CREATE TABLE approval (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES person(id),
    system_id     INTEGER NOT NULL REFERENCES system(id),
    valid_from_us INTEGER NOT NULL,
    valid_to_us   INTEGER NOT NULL,
    approver_id   INTEGER REFERENCES person(id),
    overseer_id   INTEGER REFERENCES person(id),
    ticket        TEXT,
    source_id     INTEGER REFERENCES source(id),
    line          INTEGER
);

CREATE TABLE milestone (
    id          INTEGER PRIMARY KEY,
    at_us       INTEGER NOT NULL,
    raw_at      TEXT NOT NULL,
    label       TEXT NOT NULL,
    kind        TEXT NOT NULL,              -- access_granted | access_revoked | contract_started | law_in_force | ...
    scope_kind  TEXT NOT NULL,              -- all | org | person
    scope_value TEXT,
    source_id   INTEGER REFERENCES source(id),
    line        INTEGER
);

CREATE TABLE annotation (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER REFERENCES event(id),
    from_us     INTEGER,
    to_us       INTEGER,
    kind        TEXT NOT NULL,              -- star | tag | note
    text        TEXT,
    author      TEXT NOT NULL,
    created_us  INTEGER NOT NULL
);

-- Append-only, hash-chained log of investigator actions.
CREATE TABLE custody (
    id        INTEGER PRIMARY KEY,
    at_us     INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    details   TEXT NOT NULL,                -- JSON
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL                 -- sha256(prev_hash|at_us|actor|action|details)
);
CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody
BEGIN SELECT RAISE(ABORT, 'custody log is append-only'); END;
CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody
BEGIN SELECT RAISE(ABORT, 'custody log is append-only'); END;

-- Events per account per UTC day: the same for zoomed-out views (a few years fit in ~1,000 rows
-- per account).
CREATE TABLE agg_day (
    account_id INTEGER NOT NULL,            -- 0 for events without an account
    day        INTEGER NOT NULL,            -- ts_us / 86400000000
    n          INTEGER NOT NULL,
    categories INTEGER NOT NULL,
    PRIMARY KEY (account_id, day)
) WITHOUT ROWID;

-- How often each action and outcome occurs, for filter choices without scanning event.
CREATE TABLE agg_value (
    kind  TEXT NOT NULL,                    -- action | outcome
    value TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;

-- Events per account per UTC hour, kept current at import so the timeline never scans event.
CREATE TABLE agg_hour (
    account_id INTEGER NOT NULL,            -- 0 for events without an account
    hour       INTEGER NOT NULL,            -- ts_us / 3600000000
    n          INTEGER NOT NULL,
    categories INTEGER NOT NULL,            -- union of the events' categories
    PRIMARY KEY (account_id, hour)
) WITHOUT ROWID;
