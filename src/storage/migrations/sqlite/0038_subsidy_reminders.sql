-- Subsidy reminders (issue 13, point 5; ADR 41). A declarant subscribes a declaration to a
-- programme of the subsidy catalogue (by its slug: the catalogue is content, not a table).
CREATE TABLE subsidy_subscriptions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id) ON DELETE CASCADE,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    programme       TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (declaration_id, programme)
);
CREATE INDEX subsidy_subscriptions_programme ON subsidy_subscriptions (programme, id);

-- One row per subscription and round, written in the transaction that queues the reminder's
-- mail: the primary key is what makes the reminder go once, whichever node sees the round open
-- first and however often nodes restart or reload. token_hash is the hash of the unsubscribe link
-- the mail carries (none when no mail was queued).
CREATE TABLE subsidy_reminders (
    subscription_id  INTEGER NOT NULL REFERENCES subsidy_subscriptions (id) ON DELETE CASCADE,
    round            TEXT NOT NULL,
    outcome          TEXT NOT NULL
                     CHECK (outcome IN ('queued', 'limited', 'not_owner', 'open_when_subscribed')),
    token_hash       TEXT UNIQUE,
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (subscription_id, round)
);
