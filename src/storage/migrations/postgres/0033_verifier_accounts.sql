-- Verifier accounts (issue 12, ADR 0037): a key's holder signs in to the bulk verification page
-- with an e-mail address and a password (Argon2id) instead of pasting the key. Each account is
-- bound to one key, whose limit and record its uploads share. Sessions of their own, and each
-- upload's results, kept only until they expire (housekeeping deletes them).
CREATE TABLE verifier_accounts (
    id             BIGSERIAL PRIMARY KEY,
    key_id         BIGINT NOT NULL REFERENCES verifier_keys (id),
    email          TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX verifier_accounts_key ON verifier_accounts (key_id);

CREATE TABLE verifier_sessions (
    id_hash     TEXT PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES verifier_accounts (id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX verifier_sessions_expires_at ON verifier_sessions (expires_at);

-- One uploaded file's rows and results (JSON), for the result page and its two downloads.
CREATE TABLE verifier_uploads (
    ref         TEXT PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES verifier_accounts (id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    content     TEXT NOT NULL
);
CREATE INDEX verifier_uploads_expires_at ON verifier_uploads (expires_at);
