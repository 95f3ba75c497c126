-- The declaration registry: accounts (passwordless, by e-mail), sign-in tokens, declarations
-- with their lifecycle, the history of detail changes, and the serials behind declaration IDs.
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    email       TEXT NOT NULL,
    email_key   TEXT NOT NULL UNIQUE,
    lang        TEXT NOT NULL DEFAULT 'ja',
    created_at  INTEGER NOT NULL
);

CREATE TABLE signin_tokens (
    token_hash  TEXT PRIMARY KEY,
    email_key   TEXT NOT NULL,
    next_path   TEXT NOT NULL DEFAULT '/mypage',
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX signin_tokens_expires_at ON signin_tokens (expires_at);

-- Serials are handed out once and never reused once committed (AUTOINCREMENT: never below the
-- largest ever committed). A serial taken by a transaction that rolls back may be taken again.
CREATE TABLE declaration_serials (
    serial     INTEGER PRIMARY KEY AUTOINCREMENT,
    issued_at  INTEGER NOT NULL
);

CREATE TABLE declarations (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id             TEXT UNIQUE,
    status                TEXT NOT NULL,
    level                 INTEGER NOT NULL,
    account_id            INTEGER REFERENCES accounts (id),
    entity_type           TEXT NOT NULL,
    corporate_number      TEXT NOT NULL DEFAULT '',
    business_name         TEXT NOT NULL,
    business_name_kana    TEXT NOT NULL,
    name_key              TEXT NOT NULL,
    kana_key              TEXT NOT NULL,
    postal_code           TEXT NOT NULL,
    prefecture            TEXT NOT NULL,
    address               TEXT NOT NULL,
    industry              TEXT NOT NULL,
    employees             TEXT NOT NULL,
    representative_title  TEXT NOT NULL,
    representative_name   TEXT NOT NULL,
    contact_name          TEXT NOT NULL,
    contact_email         TEXT NOT NULL,
    phone                 TEXT NOT NULL DEFAULT '',
    website               TEXT NOT NULL DEFAULT '',
    purposes              TEXT NOT NULL DEFAULT '',
    principles_edition    TEXT NOT NULL DEFAULT '',
    assessment_date       TEXT NOT NULL DEFAULT '',
    policy_url            TEXT NOT NULL DEFAULT '',
    lang                  TEXT NOT NULL DEFAULT 'ja',
    terms_version         TEXT NOT NULL,
    terms_agreed_at       INTEGER NOT NULL,
    created_at            INTEGER NOT NULL,
    declared_at           INTEGER,
    level_since           INTEGER,
    ended_at              INTEGER,
    end_reason            TEXT NOT NULL DEFAULT '',
    confirm_token_hash    TEXT NOT NULL,
    confirm_expires_at    INTEGER NOT NULL
);
CREATE INDEX declarations_confirm_token ON declarations (confirm_token_hash);
CREATE INDEX declarations_corporate_number ON declarations (corporate_number, status);
CREATE INDEX declarations_account ON declarations (account_id);
CREATE INDEX declarations_public ON declarations (status, prefecture, level);

CREATE TABLE declaration_changes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id),
    at              INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    field           TEXT NOT NULL,
    before_value    TEXT NOT NULL,
    after_value     TEXT NOT NULL
);
CREATE INDEX declaration_changes_declaration ON declaration_changes (declaration_id, id);
