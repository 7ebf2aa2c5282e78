-- Retrace case file, schema version 10: per access source and UTC hour that holds any of its
-- events, how many it holds and its first and last event (by time, then id), kept at import
-- like agg_hour, so that the coverage bands of the impact tables (a source's silent hours)
-- are read from here and not from every event's time. See `case/source_hours.rs`.
-- Derived from event alone: a case whose user_version was set back still holds it, and it
-- is built again here.
DROP TABLE IF EXISTS source_hour;
CREATE TABLE source_hour (
    source_id INTEGER NOT NULL,             -- event.source_id
    hour      INTEGER NOT NULL,             -- floor(ts_us / 3600000000)
    n         INTEGER NOT NULL,             -- events
    first_ts  INTEGER NOT NULL,             -- the hour's first event (smallest ts_us, then id)
    first_id  INTEGER NOT NULL,
    last_ts   INTEGER NOT NULL,             -- its last (largest ts_us, then id)
    last_id   INTEGER NOT NULL,
    PRIMARY KEY (source_id, hour)
) WITHOUT ROWID;
INSERT INTO source_hour(source_id, hour, n, first_ts, first_id, last_ts, last_id)
SELECT source_id, hour, n, first_ts,
       (SELECT min(id) FROM event e WHERE e.ts_us = h.first_ts AND e.source_id = h.source_id),
       last_ts,
       (SELECT max(id) FROM event e WHERE e.ts_us = h.last_ts AND e.source_id = h.source_id)
FROM (SELECT source_id,
             (ts_us - ((ts_us % 3600000000) + 3600000000) % 3600000000) / 3600000000 AS hour,
             count(*) AS n, min(ts_us) AS first_ts, max(ts_us) AS last_ts
      FROM event GROUP BY 1, 2) h;
