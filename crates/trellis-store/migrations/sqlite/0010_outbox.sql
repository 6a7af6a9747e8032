-- Trellis schema 10: the outbox (issue 17). Every message Trellis means to send is a row
-- first; a sender claims a row with a lease before it sends, so two processes on one
-- database never send the same message, and a crashed sender's lease simply runs out.
CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    -- What makes two plans of one message the same message: planning twice adds nothing.
    dedupe_key     TEXT   NOT NULL UNIQUE,
    kind           TEXT   NOT NULL,
    recipient      TEXT   NOT NULL,
    -- Whom it is for: a person (erased by `person forget`) or an organizer.
    person_id      BIGINT REFERENCES people (id),
    organizer_id   BIGINT REFERENCES organizers (id),
    -- The object it concerns.
    program_id     BIGINT REFERENCES programs (id),
    event_id       BIGINT REFERENCES events (id),
    demo_id        BIGINT REFERENCES demos (id),
    subject        TEXT   NOT NULL,
    body           TEXT   NOT NULL,
    reply_to       TEXT,
    -- The SHA-256 digest of the one-click unsubscribe token its List-Unsubscribe carries.
    unsubscribe    TEXT,
    planned_at_us  BIGINT NOT NULL,
    state          TEXT   NOT NULL DEFAULT 'planned'
                   CHECK (state IN ('planned', 'sent', 'failed', 'cancelled')),
    attempts       BIGINT NOT NULL DEFAULT 0,
    last_error     TEXT,
    lease_owner    TEXT,
    lease_until_us BIGINT,
    done_at_us     BIGINT,
    created_at_us  BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, planned_at_us);
CREATE INDEX outbox_person ON outbox (person_id);
