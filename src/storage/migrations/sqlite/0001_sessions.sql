-- Server-side browser sessions: only a hash of the cookie token is kept.
CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,
    account_id  INTEGER,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
