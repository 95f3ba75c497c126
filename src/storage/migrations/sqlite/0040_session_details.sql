-- What My Page shows of each signed-in session, so that a declarant can tell its own browsers
-- from a stranger's and end the one it does not know (ASVS V7.5.2): when the session was last
-- used (written with the sliding expiry, so to within ten minutes), and a short label of the
-- browser and the client network it signed in from. Neither the User-Agent itself nor the full
-- IPv6 address is kept. An operator sees the same of its own console sessions.
ALTER TABLE sessions ADD COLUMN last_used_at INTEGER;
ALTER TABLE sessions ADD COLUMN client_label TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN client_network TEXT NOT NULL DEFAULT '';
ALTER TABLE operator_sessions ADD COLUMN last_used_at INTEGER;
ALTER TABLE operator_sessions ADD COLUMN client_label TEXT NOT NULL DEFAULT '';
ALTER TABLE operator_sessions ADD COLUMN client_network TEXT NOT NULL DEFAULT '';
