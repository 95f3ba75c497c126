-- The declaration registry: accounts (passwordless, by e-mail), sign-in tokens, declarations
-- with their lifecycle, the history of detail changes, and the serials behind declaration IDs.
CREATE TABLE accounts (
    id          BIGSERIAL PRIMARY KEY,
    email       TEXT NOT NULL,
    email_key   TEXT NOT NULL UNIQUE,
    lang        TEXT NOT NULL DEFAULT 'ja',
    created_at  BIGINT NOT NULL
);

CREATE TABLE signin_tokens (
    token_hash  TEXT PRIMARY KEY,
    email_key   TEXT NOT NULL,
    next_path   TEXT NOT NULL DEFAULT '/mypage',
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX signin_tokens_expires_at ON signin_tokens (expires_at);

-- Serials are handed out once and never reused, even when the transaction that took one fails.
CREATE TABLE declaration_serials (
    serial     BIGSERIAL PRIMARY KEY,
    issued_at  BIGINT NOT NULL
);

CREATE TABLE declarations (
    id                    BIGSERIAL PRIMARY KEY,
    public_id             TEXT UNIQUE,
    status                TEXT NOT NULL,
    level                 INTEGER NOT NULL,
    account_id            BIGINT REFERENCES accounts (id),
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
    terms_agreed_at       BIGINT NOT NULL,
    created_at            BIGINT NOT NULL,
    declared_at           BIGINT,
    level_since           BIGINT,
    ended_at              BIGINT,
    end_reason            TEXT NOT NULL DEFAULT '',
    confirm_token_hash    TEXT NOT NULL,
    confirm_expires_at    BIGINT NOT NULL
);
CREATE INDEX declarations_confirm_token ON declarations (confirm_token_hash);
CREATE INDEX declarations_corporate_number ON declarations (corporate_number, status);
CREATE INDEX declarations_account ON declarations (account_id);
CREATE INDEX declarations_public ON declarations (status, prefecture, level);

CREATE TABLE declaration_changes (
    id              BIGSERIAL PRIMARY KEY,
    declaration_id  BIGINT NOT NULL REFERENCES declarations (id),
    at              BIGINT NOT NULL,
    actor           TEXT NOT NULL,
    field           TEXT NOT NULL,
    before_value    TEXT NOT NULL,
    after_value     TEXT NOT NULL
);
CREATE INDEX declaration_changes_declaration ON declaration_changes (declaration_id, id);
