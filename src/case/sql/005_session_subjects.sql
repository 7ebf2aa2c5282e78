-- Retrace case file, schema version 5: each stored session keeps the set of its distinct data
-- subjects (subject row ids, ascending, each written as the LEB128 varint of its difference
-- from the previous one, the first from 0), so an import whose events join or bridge stored
-- sessions unites their sets instead of reading the stored sessions' events back. Derived like
-- the rest of person_session: rebuilt from the events on the upgrade to this version.
ALTER TABLE person_session ADD COLUMN subject_set BLOB NOT NULL DEFAULT x'';
