-- Self-assessment results saved by signed-in accounts. `answers` is a JSON object
-- {"1":"done",...}; `edition` names the questionnaire edition that was answered.
-- account_id is to reference accounts (id) once the accounts table exists (sign-in work).
CREATE TABLE self_assessments (
    id          BIGSERIAL PRIMARY KEY,
    account_id  BIGINT NOT NULL,
    edition     TEXT NOT NULL,
    answers     JSONB NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN -25 AND 100),
    taken_at    BIGINT NOT NULL
);
CREATE INDEX self_assessments_account ON self_assessments (account_id, taken_at, id);
