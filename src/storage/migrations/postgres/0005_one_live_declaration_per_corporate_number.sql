-- At most one live declaration (declared or awaiting review) per corporate number, enforced by the
-- database, so that two nodes confirming two applications of one corporation at the same moment
-- cannot both succeed (the use cases check first; this closes the race between check and write).
CREATE UNIQUE INDEX declarations_one_live_per_corporate_number ON declarations (corporate_number)
    WHERE corporate_number <> '' AND status IN ('declared', 'awaiting_review');
