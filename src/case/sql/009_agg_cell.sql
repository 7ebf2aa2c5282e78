-- Retrace case file, schema version 9: cell aggregates. Events per (UTC hour or day, account,
-- system, action, outcome, category set), kept at import like agg_hour, so that the timeline
-- and the table count answer a filter on any of these dimensions (and on what the small
-- account, person and system tables say of them: person, organization, actor country,
-- storage country) without reading event. Absent values are stored as the integer 0 (account
-- and system ids are never 0; an action or outcome 0 is an integer, which no text equals),
-- because a primary key column of a WITHOUT ROWID table cannot be NULL. A cell holds one
-- category set, so a category filter is exact on it. See `case/timeline.rs` (`cells`).
-- Derived from event alone: a case whose user_version was set back still holds them, and
-- they are built again here.
DROP TABLE IF EXISTS agg_cell_hour;
DROP TABLE IF EXISTS agg_cell_day;
CREATE TABLE agg_cell_hour (
    hour       INTEGER NOT NULL,            -- floor(ts_us / 3600000000)
    account_id INTEGER NOT NULL,            -- 0 for events without an account
    system_id  INTEGER NOT NULL,            -- 0 for events without a system
    action     NOT NULL,                    -- event.action, or 0 when it has none
    outcome    NOT NULL,                    -- event.outcome, or 0 when it has none
    categories INTEGER NOT NULL,            -- the events' category set (one per cell)
    n          INTEGER NOT NULL,            -- events
    PRIMARY KEY (hour, account_id, system_id, action, outcome, categories)
) WITHOUT ROWID;
CREATE TABLE agg_cell_day (
    day        INTEGER NOT NULL,            -- floor(ts_us / 86400000000)
    account_id INTEGER NOT NULL,
    system_id  INTEGER NOT NULL,
    action     NOT NULL,
    outcome    NOT NULL,
    categories INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (day, account_id, system_id, action, outcome, categories)
) WITHOUT ROWID;
INSERT INTO agg_cell_hour(hour, account_id, system_id, action, outcome, categories, n)
SELECT (ts_us - ((ts_us % 3600000000) + 3600000000) % 3600000000) / 3600000000,
       coalesce(account_id, 0), coalesce(system_id, 0), coalesce(action, 0),
       coalesce(outcome, 0), categories, count(*)
FROM event GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO agg_cell_day(day, account_id, system_id, action, outcome, categories, n)
SELECT (hour - ((hour % 24) + 24) % 24) / 24, account_id, system_id, action, outcome,
       categories, sum(n)
FROM agg_cell_hour GROUP BY 1, 2, 3, 4, 5, 6;
