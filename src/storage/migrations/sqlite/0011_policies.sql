-- Basic security policies (情報セキュリティ基本方針) written by signed-in accounts: a private
-- draft (JSON), and the versions published from it, numbered 1, 2, ... per policy. `slug` is the
-- stable public address /policy/<slug>. `status`: 'draft' before the first publication,
-- 'published' while /policy/<slug> shows it, 'unpublished' after the owner took it down.
CREATE TABLE policies (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id        INTEGER NOT NULL REFERENCES accounts (id),
    slug              TEXT NOT NULL UNIQUE,
    template_edition  TEXT NOT NULL,
    draft             TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'unpublished')),
    versions          INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX policies_account ON policies (account_id, id);

-- A published version is written once and never changes (the trigger refuses any UPDATE).
CREATE TABLE policy_versions (
    policy_id     INTEGER NOT NULL REFERENCES policies (id),
    number        INTEGER NOT NULL CHECK (number >= 1),
    published_at  INTEGER NOT NULL,
    document      TEXT NOT NULL,
    PRIMARY KEY (policy_id, number)
);
CREATE TRIGGER policy_versions_never_change BEFORE UPDATE ON policy_versions
BEGIN
    SELECT RAISE(ABORT, 'a published policy version never changes');
END;
