-- What witnesses answered to the log's checkpoints (issue 14 point 7, ADR 0055): one cosignature
-- per checkpoint (by its tree size) and witness (by its verifier key, as the log-witnesses
-- setting names it), the signature line as the witness sent it, already checked against that
-- key. /log/checkpoint serves a checkpoint with the lines stored for it. Append-only, like the
-- log.
CREATE TABLE tlog_cosignatures (
    size         INTEGER NOT NULL REFERENCES tlog_checkpoints (size),
    witness      TEXT NOT NULL,
    line         TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    PRIMARY KEY (size, witness)
);

CREATE TRIGGER tlog_cosignatures_no_update BEFORE UPDATE ON tlog_cosignatures
BEGIN
    SELECT RAISE(ABORT, 'tlog_cosignatures is append-only: rows cannot be updated');
END;
CREATE TRIGGER tlog_cosignatures_no_delete BEFORE DELETE ON tlog_cosignatures
BEGIN
    SELECT RAISE(ABORT, 'tlog_cosignatures is append-only: rows cannot be deleted');
END;
