-- Declarants may add a code from an authenticator app to the mailed sign-in link (ADR 0061): the
-- account keeps its TOTP secret (base32, as verifier_accounts.totp_secret; '' when the declarant
-- has none), the secret shown on the set-up page until a code confirms it, and the last accepted
-- time step (a code is good once).
ALTER TABLE accounts ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
-- How far a declarant's session has got, as verifier_sessions.stage: 'second_factor' after the
-- link of an account with a code, 'full' once the code is given (and for every session so far).
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full';
