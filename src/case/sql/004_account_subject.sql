-- Retrace case file, schema version 4: which data subjects each account reached, so the impact
-- tables read this table instead of every event. Nothing here is evidence: every row is derived
-- from `event` alone (see `case/account_subject.rs`): merged in at the end of each access import
-- from that import's events, and rebuilt from all events when a case is upgraded to this
-- version. The account -> person -> organization mapping and the subjects' countries are applied
-- when the table is read, so a roster imported later needs no rebuild.
-- Only access events (outcome neither 'denied' nor 'failed') that touched a subject count.
CREATE TABLE IF NOT EXISTS account_subject (
    account_id INTEGER NOT NULL,            -- 0 for events without an account
    subject_id INTEGER NOT NULL,            -- subject.id; 0: the account's row of totals (below)
    categories INTEGER NOT NULL,            -- union of the category bit sets of those events
    events     INTEGER NOT NULL,            -- access events of the account that touched the subject
    PRIMARY KEY (account_id, subject_id)
) WITHOUT ROWID;
-- The row with subject_id 0 holds, per account, the access events that touched at least one
-- subject (`events`) and the union of their categories: an event touching several subjects
-- counts once there.
