-- Retrace case file, schema version 7: every custody entry is signed with the investigator's
-- Ed25519 key (see `src/signing.rs`), and the public keys that signed are kept in the case, so
-- `retrace verify` checks each signature and `--trust FINGERPRINT...` names entries signed by
-- any other key. Entries written before this version have no signature and are reported as
-- unsigned.
ALTER TABLE custody ADD COLUMN key_fingerprint TEXT;  -- the signing key (NULL: unsigned)
ALTER TABLE custody ADD COLUMN signature TEXT;        -- Ed25519 over "retrace custody entry v1\n" || hash, hex

-- The public keys that signed custody entries, recorded with the first entry each signed.
CREATE TABLE investigator_key (
    fingerprint TEXT PRIMARY KEY,                     -- first 16 bytes of sha256(public_key), hex
    public_key  TEXT NOT NULL,                        -- 32 bytes, hex
    actor       TEXT NOT NULL,                        -- the investigator name it first signed as
    added_us    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER investigator_key_no_update BEFORE UPDATE ON investigator_key
BEGIN SELECT RAISE(ABORT, 'investigator keys are append-only'); END;
CREATE TRIGGER investigator_key_no_delete BEFORE DELETE ON investigator_key
BEGIN SELECT RAISE(ABORT, 'investigator keys are append-only'); END;
