-- Trellis schema 16: co-hosted events (issue 20, OCG #619). An event may name a second
-- program as co-host (NULL: none); it counts in both programs' metrics and once org-wide.
-- The host stays `program_id`: its settings guard the event's gates.
ALTER TABLE events ADD COLUMN cohost_program_id BIGINT REFERENCES programs (id);
CREATE INDEX events_cohost ON events (cohost_program_id, starts_at_us);
