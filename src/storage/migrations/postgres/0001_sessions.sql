-- Server-side browser sessions: only a hash of the cookie token is kept.
CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,
    account_id  BIGINT,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
