-- What `sengen import` keeps of an imported declaration's past (ADR 0064), in its own row instead
-- of one or two audit events per row: when it was imported, and the level it had then with that
-- level's date. Its public history ("imported" on declared_at, a step up on imported_level_since
-- when the level rose later) is read from these; they stay NULL for every declaration made here.
-- Written once, by the import, and never changed.
ALTER TABLE declarations ADD COLUMN imported_at INTEGER;
ALTER TABLE declarations ADD COLUMN imported_level INTEGER;
ALTER TABLE declarations ADD COLUMN imported_level_since INTEGER;
