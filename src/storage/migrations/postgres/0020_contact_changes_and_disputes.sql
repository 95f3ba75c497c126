-- A change of contact address waits here until the new address follows the link mailed to it.
-- Only the link's hash is kept; the row is used once (used_at) and purged once used or expired.
CREATE TABLE contact_changes (
    token_hash      TEXT PRIMARY KEY,
    declaration_id  BIGINT NOT NULL REFERENCES declarations (id),
    new_email       TEXT NOT NULL,
    requested_by    TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT
);
CREATE INDEX contact_changes_expires_at ON contact_changes (expires_at);

-- A second business's claim to a corporate number that already has a live declaration: the
-- claim (a declaration row in status 'disputed') and the holder, for the operator's review queue.
CREATE TABLE corporate_number_disputes (
    id                BIGSERIAL PRIMARY KEY,
    corporate_number  TEXT NOT NULL,
    claim_id          BIGINT NOT NULL UNIQUE REFERENCES declarations (id),
    holder_id         BIGINT NOT NULL REFERENCES declarations (id),
    opened_at         BIGINT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'settled'))
);
CREATE INDEX corporate_number_disputes_open ON corporate_number_disputes (status, id);

-- Purging expired applications looks them up by status and expiry.
CREATE INDEX declarations_awaiting_expiry ON declarations (status, confirm_expires_at);
