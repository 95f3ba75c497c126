-- The transparency log (issue 14, ADR 46): every lifecycle event of a declaration as one entry of
-- an RFC 9162 Merkle tree, appended in the transaction of the change it records.
--   tlog_entries: the entry text by its leaf index, and which declaration it is about;
--   tlog_hashes: every complete subtree's hash once, by tlog::stored_hash_index (hex);
--   tlog_head: the tree size, one row; appends lock it (SELECT ... FOR UPDATE), so that across
--     nodes an index is never used twice, and one rolled back is used by the next append;
--   tlog_checkpoints: every signed checkpoint, by its tree size.
-- Entries, hashes and checkpoints are append-only, like the audit log (0032).
CREATE TABLE tlog_entries (
    idx             BIGINT PRIMARY KEY,
    declaration_id  BIGINT NOT NULL,
    entry           TEXT NOT NULL,
    appended_at     BIGINT NOT NULL
);
-- A statement reads the latest entry of one declaration. No reference to declarations: the log
-- outlives an erased record.
CREATE INDEX tlog_entries_declaration ON tlog_entries (declaration_id, idx);

CREATE TABLE tlog_hashes (
    idx   BIGINT PRIMARY KEY,
    hash  TEXT NOT NULL
);

CREATE TABLE tlog_head (
    one   INTEGER PRIMARY KEY CHECK (one = 1),
    size  BIGINT NOT NULL CHECK (size >= 0)
);
INSERT INTO tlog_head (one, size) VALUES (1, 0);

CREATE TABLE tlog_checkpoints (
    size       BIGINT PRIMARY KEY,
    note       TEXT NOT NULL,
    signed_at  BIGINT NOT NULL
);

CREATE FUNCTION tlog_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END
$$;
CREATE TRIGGER tlog_entries_no_update_or_delete BEFORE UPDATE OR DELETE ON tlog_entries
    FOR EACH ROW EXECUTE FUNCTION tlog_append_only();
CREATE TRIGGER tlog_entries_no_truncate BEFORE TRUNCATE ON tlog_entries
    FOR EACH STATEMENT EXECUTE FUNCTION tlog_append_only();
CREATE TRIGGER tlog_hashes_no_update_or_delete BEFORE UPDATE OR DELETE ON tlog_hashes
    FOR EACH ROW EXECUTE FUNCTION tlog_append_only();
CREATE TRIGGER tlog_hashes_no_truncate BEFORE TRUNCATE ON tlog_hashes
    FOR EACH STATEMENT EXECUTE FUNCTION tlog_append_only();

-- The salt of the declaration's public record hash (docs/trust.md): 32 random bytes in hex, set
-- when the ID is issued. Declarations issued before this migration get theirs now, so that every
-- declaration with an ID has one (two version-4 UUIDs: 244 random bits from the server's strong
-- random source, built in since PostgreSQL 13).
ALTER TABLE declarations ADD COLUMN record_salt TEXT;
UPDATE declarations
   SET record_salt = replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
 WHERE public_id IS NOT NULL;
