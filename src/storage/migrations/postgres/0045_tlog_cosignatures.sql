-- What witnesses answered to the log's checkpoints (issue 14 point 7, ADR 0055): one cosignature
-- per checkpoint (by its tree size) and witness (by its verifier key, as the log-witnesses
-- setting names it), the signature line as the witness sent it, already checked against that
-- key. /log/checkpoint serves a checkpoint with the lines stored for it. Append-only, like the
-- log.
CREATE TABLE tlog_cosignatures (
    size         BIGINT NOT NULL REFERENCES tlog_checkpoints (size),
    witness      TEXT NOT NULL,
    line         TEXT NOT NULL,
    received_at  BIGINT NOT NULL,
    PRIMARY KEY (size, witness)
);

CREATE TRIGGER tlog_cosignatures_no_update_or_delete BEFORE UPDATE OR DELETE ON tlog_cosignatures
    FOR EACH ROW EXECUTE FUNCTION tlog_append_only();
CREATE TRIGGER tlog_cosignatures_no_truncate BEFORE TRUNCATE ON tlog_cosignatures
    FOR EACH STATEMENT EXECUTE FUNCTION tlog_append_only();
