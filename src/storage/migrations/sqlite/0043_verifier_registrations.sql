-- Making a verifier account proves the address first (issue 12, ADR 0049): the form's answer is
-- the same whether or not the address already has an account, and a mail says what follows. A
-- new address's request waits here, under the hash of the link's token, until the link is
-- followed (the row is taken then) or it expires (housekeeping deletes it). Several may wait for
-- one address: the first followed makes the account.
CREATE TABLE verifier_registrations (
    token_hash     TEXT PRIMARY KEY,
    key_id         INTEGER NOT NULL REFERENCES verifier_keys (id),
    email          TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
);
CREATE INDEX verifier_registrations_expires_at ON verifier_registrations (expires_at);
