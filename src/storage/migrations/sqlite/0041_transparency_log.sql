-- The transparency log (issue 14, ADR 46): every lifecycle event of a declaration as one entry of
-- an RFC 9162 Merkle tree, appended in the transaction of the change it records.
--   tlog_entries: the entry text by its leaf index, and which declaration it is about;
--   tlog_hashes: every complete subtree's hash once, by tlog::stored_hash_index (hex);
--   tlog_head: the tree size, one row; appends lock it, so indexes are never reused or skipped;
--   tlog_checkpoints: every signed checkpoint, by its tree size.
-- Entries, hashes and checkpoints are append-only, like the audit log (0032).
CREATE TABLE tlog_entries (
    idx             INTEGER PRIMARY KEY,
    declaration_id  INTEGER NOT NULL,
    entry           TEXT NOT NULL,
    appended_at     INTEGER NOT NULL
);
-- A statement reads the latest entry of one declaration. No reference to declarations: the log
-- outlives an erased record.
CREATE INDEX tlog_entries_declaration ON tlog_entries (declaration_id, idx);

CREATE TABLE tlog_hashes (
    idx   INTEGER PRIMARY KEY,
    hash  TEXT NOT NULL
);

CREATE TABLE tlog_head (
    one   INTEGER PRIMARY KEY CHECK (one = 1),
    size  INTEGER NOT NULL CHECK (size >= 0)
);
INSERT INTO tlog_head (one, size) VALUES (1, 0);

CREATE TABLE tlog_checkpoints (
    size       INTEGER PRIMARY KEY,
    note       TEXT NOT NULL,
    signed_at  INTEGER NOT NULL
);

CREATE TRIGGER tlog_entries_no_update BEFORE UPDATE ON tlog_entries
BEGIN
    SELECT RAISE(ABORT, 'tlog_entries is append-only: rows cannot be updated');
END;
CREATE TRIGGER tlog_entries_no_delete BEFORE DELETE ON tlog_entries
BEGIN
    SELECT RAISE(ABORT, 'tlog_entries is append-only: rows cannot be deleted');
END;
CREATE TRIGGER tlog_hashes_no_update BEFORE UPDATE ON tlog_hashes
BEGIN
    SELECT RAISE(ABORT, 'tlog_hashes is append-only: rows cannot be updated');
END;
CREATE TRIGGER tlog_hashes_no_delete BEFORE DELETE ON tlog_hashes
BEGIN
    SELECT RAISE(ABORT, 'tlog_hashes is append-only: rows cannot be deleted');
END;

-- The salt of the declaration's public record hash (docs/trust.md): 32 random bytes in hex, set
-- when the ID is issued. Declarations issued before this migration get theirs now, so that every
-- declaration with an ID has one.
ALTER TABLE declarations ADD COLUMN record_salt TEXT;
UPDATE declarations SET record_salt = lower(hex(randomblob(32))) WHERE public_id IS NOT NULL;
