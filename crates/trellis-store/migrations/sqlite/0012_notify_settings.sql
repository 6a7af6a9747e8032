-- Trellis schema 12: each program's notification settings (issue 17). A program without
-- a row has the defaults: every kind on, 14 and 3 days, no digest, no webhook.
CREATE TABLE program_notify (
    program_id             BIGINT PRIMARY KEY REFERENCES programs (id),
    -- The switched-off groups of messages, space-separated (e.g. 'review checkin').
    off_kinds              TEXT   NOT NULL DEFAULT '',
    short_of_demos_days    BIGINT NOT NULL DEFAULT 14,
    contract_reminder_days BIGINT NOT NULL DEFAULT 3,
    weekly_digest          BIGINT NOT NULL DEFAULT 0,
    webhook_url            TEXT,
    -- The SHA-256 digest of the secret in the program's calendar URL; never the secret.
    calendar_secret        TEXT UNIQUE
);
-- How a message goes: 'email', or 'webhook' (the program's chat hook, looked up at send
-- time so the URL itself is never listed with the outbox).
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
