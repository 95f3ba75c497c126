-- Supporters (issue 13, point 6; ADR 42). An owner invites someone by e-mail to help with one
-- declaration; the link mailed is kept as a hash and works once, until it expires or the owner
-- cancels it. Following it starts a support: the supporter's own account, the rights the owner
-- ticked, and when it started and ended (an ended support is kept for the declaration's history).
CREATE TABLE support_invitations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id) ON DELETE CASCADE,
    email           TEXT NOT NULL,
    rights          TEXT NOT NULL,
    invited_by      INTEGER NOT NULL REFERENCES accounts (id),
    token_hash      TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'cancelled')),
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    closed_at       INTEGER
);
CREATE INDEX support_invitations_declaration ON support_invitations (declaration_id, id);

CREATE TABLE supports (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id) ON DELETE CASCADE,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    rights          TEXT NOT NULL,
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER
);
-- One live support per account and declaration; ended ones stay beside it.
CREATE UNIQUE INDEX supports_live ON supports (declaration_id, account_id) WHERE ended_at IS NULL;
CREATE INDEX supports_account ON supports (account_id, id);

-- An application a signed-in supporter filled in for a business (another contact address): who
-- filled it in, so that the support starts when the business's contact confirms it, and not before.
CREATE TABLE supported_applications (
    declaration_id  INTEGER PRIMARY KEY REFERENCES declarations (id) ON DELETE CASCADE,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    created_at      INTEGER NOT NULL
);
