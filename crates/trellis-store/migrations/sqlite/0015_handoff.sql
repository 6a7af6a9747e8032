-- Trellis schema 15: an organizer's hand-off (issue 20). A retired organizer stays in
-- every historical table (check-ins, history); they are no longer reminded of anything,
-- and what they owned moves to the organizer they handed it to.
ALTER TABLE organizers ADD COLUMN retired_at_us BIGINT;

-- Who owns an event's due items (its retro, its follow-ups), when someone was named: an
-- event without a row belongs to its program's first active organizer.
CREATE TABLE event_owners (
    event_id     BIGINT PRIMARY KEY REFERENCES events (id),
    organizer_id BIGINT NOT NULL REFERENCES organizers (id)
);

-- Each retirement on record: who retired, to whom their work went (none: to the
-- program's default owner), when, and who did it.
CREATE TABLE organizer_handoffs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    organizer_id BIGINT NOT NULL REFERENCES organizers (id),
    to_id        BIGINT REFERENCES organizers (id),
    events       BIGINT NOT NULL,
    messages     BIGINT NOT NULL,
    at_us        BIGINT NOT NULL,
    actor        TEXT   NOT NULL
);
CREATE INDEX organizer_handoffs_organizer ON organizer_handoffs (organizer_id);
