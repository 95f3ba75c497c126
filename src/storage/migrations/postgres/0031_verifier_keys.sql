-- Verifiers (issue 12): API keys for bulk verification (only a hash of each key is kept), and one
-- row per bulk verification call recording which key checked which IDs, when (ADR 0033).
CREATE TABLE verifier_keys (
    id              BIGSERIAL PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    key_hash        TEXT NOT NULL UNIQUE,
    ids_per_minute  INTEGER NOT NULL,
    created_at      BIGINT NOT NULL,
    revoked_at      BIGINT
);

CREATE TABLE verification_calls (
    id        BIGSERIAL PRIMARY KEY,
    key_id    BIGINT NOT NULL REFERENCES verifier_keys (id),
    at        BIGINT NOT NULL,
    as_of     TEXT NOT NULL DEFAULT '',
    id_count  INTEGER NOT NULL,
    ids       TEXT NOT NULL
);
CREATE INDEX verification_calls_key ON verification_calls (key_id, at);
