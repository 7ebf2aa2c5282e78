-- Retrace case file, schema version 8: saved views. A view is what the timeline showed when
-- the investigator saved it: the filter (its terms as JSON, the query language's among them,
-- and in words), the visible range, the display zone, the colouring and the table's columns.
-- Saving, replacing and deleting a view each write a custody entry with the view's SHA-256
-- (see `case/saved_view.rs`), which `retrace verify` checks the table against.
CREATE TABLE saved_view (
    name         TEXT PRIMARY KEY,
    filter_json  TEXT NOT NULL,             -- the filter terms, JSON (FilterTerm)
    query        TEXT NOT NULL,             -- the filter in words, as the list shows it
    from_us      INTEGER,                   -- the visible range [from, to), UTC µs (NULL: the whole case)
    to_us        INTEGER,
    zone         TEXT NOT NULL,             -- the display zone, IANA name
    color_by     TEXT NOT NULL,             -- category | system | outcome
    columns_json TEXT,                      -- the table's visible columns, JSON array (NULL: the default set)
    author       TEXT NOT NULL,
    at_us        INTEGER NOT NULL
) WITHOUT ROWID;
