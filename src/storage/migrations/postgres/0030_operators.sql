-- Operator accounts for the console: a password (Argon2id, libsodium's encoded string), a TOTP
-- secret, recovery codes and sessions of their own. Only hashes of the set-up link's token, the
-- recovery codes and the session tokens are kept.
CREATE TABLE operators (
    id                BIGSERIAL PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE,
    role              TEXT NOT NULL,
    password_hash     TEXT NOT NULL DEFAULT '',
    totp_secret       TEXT NOT NULL DEFAULT '',
    totp_pending      TEXT NOT NULL DEFAULT '',
    totp_last_step    BIGINT NOT NULL DEFAULT 0,
    setup_token_hash  TEXT,
    setup_expires_at  BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL,
    disabled_at       BIGINT
);
CREATE UNIQUE INDEX operators_setup_token ON operators (setup_token_hash);

CREATE TABLE operator_recovery_codes (
    operator_id  BIGINT NOT NULL REFERENCES operators (id),
    code_hash    TEXT NOT NULL,
    used_at      BIGINT,
    PRIMARY KEY (operator_id, code_hash)
);

-- stage: 'totp_setup' (password set, TOTP not yet), 'second_factor' (password checked, code
-- awaited) or 'full' (signed in). Only 'full' opens the console.
CREATE TABLE operator_sessions (
    id_hash      TEXT PRIMARY KEY,
    operator_id  BIGINT NOT NULL REFERENCES operators (id),
    stage        TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX operator_sessions_expires_at ON operator_sessions (expires_at);
CREATE INDEX audit_events_actor ON audit_events (actor, id);
