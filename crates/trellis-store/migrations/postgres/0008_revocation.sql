-- Trellis schema 8: taking access back. A user can be disabled (their sessions end with
-- it) or removed (the row stays, anonymised, so that history naming its id still holds);
-- an API token can be revoked (the row stays, to show when and that it was). Expired
-- sessions are pruned by expiry, hence the index. Contract and follow-up tokens are
-- stored as SHA-256 digests from this version on; the existing ones are converted by the
-- store right after this migration (portable SQL has no SHA-256).

ALTER TABLE users ADD COLUMN disabled_at_us BIGINT;
ALTER TABLE users ADD COLUMN removed_at_us BIGINT;
ALTER TABLE api_tokens ADD COLUMN revoked_at_us BIGINT;
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at_us);
