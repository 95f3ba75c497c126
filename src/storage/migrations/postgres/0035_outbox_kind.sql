-- The kind of each queued mail ("mail.revoked", ...), so that the console's list of failed mail
-- says what a mail was without showing its text. Mail queued before this migration has ''.
ALTER TABLE mail_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT '';
