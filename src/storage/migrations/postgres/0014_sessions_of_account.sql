-- Signing out everywhere removes every session of one account: an index keeps that one probe
-- however many anonymous sessions there are.
CREATE INDEX sessions_account_id ON sessions (account_id);
