-- The audit log is append-only: once written, an event is evidence and must not change. These
-- triggers make any UPDATE or DELETE of audit_events fail, whoever issues it (the application,
-- a housekeeping job or a hand-typed statement in the sqlite3 shell).
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: rows cannot be updated');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: rows cannot be deleted');
END;

-- audit export reads a date range in id order.
CREATE INDEX audit_events_at ON audit_events (at, id);
