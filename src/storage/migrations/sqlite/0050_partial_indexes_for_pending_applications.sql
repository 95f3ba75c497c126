-- Two indexes that only applications still waiting for their address to be confirmed need, made
-- partial (ADR 0063): finding an application by the hash of its mailed token, and purging the
-- applications whose link expired. A declaration leaves the expiry index once its address is
-- confirmed, and one that never had a token (an imported one: confirm_token_hash is '') is in
-- neither, so each `sengen import` row writes two index entries fewer. The statements that use
-- them repeat the index's condition, so that both engines can prove the index applies.
DROP INDEX declarations_confirm_token;
CREATE INDEX declarations_confirm_token ON declarations (confirm_token_hash) WHERE confirm_token_hash <> '';
DROP INDEX declarations_awaiting_expiry;
CREATE INDEX declarations_awaiting_expiry ON declarations (status, confirm_expires_at)
    WHERE status = 'awaiting_confirmation';
