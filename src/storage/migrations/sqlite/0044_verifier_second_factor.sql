-- Verifiers sign in with a password and a code from an authenticator app, as operators do (ADR
-- 0056): the account keeps its TOTP secret (base32, as operators.totp_secret), the secret shown
-- during set-up until a code confirms it, and the last accepted time step (a code is good once).
-- Accounts made before this have no secret: their next sign-in goes to the set-up page.
ALTER TABLE verifier_accounts ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE verifier_accounts ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';
ALTER TABLE verifier_accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
-- How far a session has got, as operator_sessions.stage: 'totp_setup', 'second_factor' or 'full';
-- only 'full' opens the verifier's pages. Sessions opened with a password alone end here.
DELETE FROM verifier_sessions;
ALTER TABLE verifier_sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'second_factor';
