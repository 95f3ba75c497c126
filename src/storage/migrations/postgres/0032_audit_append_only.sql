-- The audit log is append-only: once written, an event is evidence and must not change.
-- Two layers. The privileges: nobody but the owner may UPDATE, DELETE or TRUNCATE it; when the
-- application connects with a role that owns nothing (docs/operations.md), it cannot give the
-- right back to itself. The trigger: even the owner (or a superuser) gets an error, so a
-- rewrite needs a deliberate DROP TRIGGER, itself a schema change an operator can see.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP;
END
$$;

CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM CURRENT_USER;
-- A serving role that got the rights through ALTER DEFAULT PRIVILEGES (docs/operations.md) loses
-- them too: every grant of them that this role made on the table is taken back.
DO $$
DECLARE
    g record;
BEGIN
    FOR g IN SELECT DISTINCT grantee FROM information_schema.table_privileges
             WHERE table_schema = current_schema() AND table_name = 'audit_events'
               AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') AND grantee <> 'PUBLIC'
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM %I', g.grantee);
    END LOOP;
END
$$;

-- audit export reads a date range in id order.
CREATE INDEX audit_events_at ON audit_events (at, id);
