-- Indexes on event. Bulk imports drop event_ts (see write.rs, EVENT_INDEXES) and run this again afterwards.
-- Each index costs import time (building one is a sort of every row), so only those that
-- queries need are here. A source's events are found by their id range (source.first_event_id
-- .. last_event_id: one import inserts them contiguously), not by an index.
CREATE INDEX IF NOT EXISTS event_ts ON event(ts_us);
CREATE INDEX IF NOT EXISTS event_account_ts ON event(account_id, ts_us);
