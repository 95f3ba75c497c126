-- Operators look after verifier accounts (ADR 0037): an account can be disabled (it can no longer
-- sign in; its sessions end when it is), and the console shows when each last signed in.
ALTER TABLE verifier_accounts ADD COLUMN disabled_at BIGINT;
ALTER TABLE verifier_accounts ADD COLUMN last_signed_in_at BIGINT;
