-- Supporters (issue 13, point 6; ADR 42). An owner invites someone by e-mail to help with one
-- declaration; the link mailed is kept as a hash and works once, until it expires or the owner
-- cancels it. Following it starts a support: the supporter's own account, the rights the owner
-- ticked, and when it started and ended (an ended support is kept for the declaration's history).
CREATE TABLE support_invitations (
    id              BIGSERIAL PRIMARY KEY,
    declaration_id  BIGINT NOT NULL REFERENCES declarations (id) ON DELETE CASCADE,
    email           TEXT NOT NULL,
    rights          TEXT NOT NULL,
    invited_by      BIGINT NOT NULL REFERENCES accounts (id),
    token_hash      TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'cancelled')),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    closed_at       BIGINT
);
CREATE INDEX support_invitations_declaration ON support_invitations (declaration_id, id);

CREATE TABLE supports (
    id              BIGSERIAL PRIMARY KEY,
    declaration_id  BIGINT NOT NULL REFERENCES declarations (id) ON DELETE CASCADE,
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    rights          TEXT NOT NULL,
    started_at      BIGINT NOT NULL,
    ended_at        BIGINT
);
-- One live support per account and declaration; ended ones stay beside it.
CREATE UNIQUE INDEX supports_live ON supports (declaration_id, account_id) WHERE ended_at IS NULL;
CREATE INDEX supports_account ON supports (account_id, id);

-- An application a signed-in supporter filled in for a business (another contact address): who
-- filled it in, so that the support starts when the business's contact confirms it, and not before.
CREATE TABLE supported_applications (
    declaration_id  BIGINT PRIMARY KEY REFERENCES declarations (id) ON DELETE CASCADE,
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    created_at      BIGINT NOT NULL
);
