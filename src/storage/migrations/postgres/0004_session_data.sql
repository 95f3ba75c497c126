-- Per-session data kept server-side (e.g. an application being filled in over several pages),
-- so that any node can serve the next page.
ALTER TABLE sessions ADD COLUMN data TEXT NOT NULL DEFAULT '';
