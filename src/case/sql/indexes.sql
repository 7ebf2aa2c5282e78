-- Indexes on event and event_subject. Bulk imports drop them and run this again afterwards.
CREATE INDEX IF NOT EXISTS event_ts ON event(ts_us);
CREATE INDEX IF NOT EXISTS event_account_ts ON event(account_id, ts_us);
CREATE INDEX IF NOT EXISTS event_system_ts ON event(system_id, ts_us);
CREATE INDEX IF NOT EXISTS event_source_line ON event(source_id, line);
CREATE INDEX IF NOT EXISTS event_subject_subject ON event_subject(subject_id, event_id);
