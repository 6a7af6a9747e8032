-- Trellis schema 2: the event cycle's mechanisms. Retros, follow-ups, the speaker
-- pipeline, sparks, organizers and their fatigue check-ins, metric reviews.

ALTER TABLE people ADD COLUMN do_not_contact INTEGER NOT NULL DEFAULT 0 CHECK (do_not_contact IN (0, 1));

CREATE TABLE organizers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL UNIQUE,
    email         TEXT,
    created_at_us BIGINT  NOT NULL
);

CREATE TABLE program_organizers (
    program_id   BIGINT NOT NULL REFERENCES programs (id),
    organizer_id BIGINT NOT NULL REFERENCES organizers (id),
    PRIMARY KEY (program_id, organizer_id)
);

CREATE TABLE retros (
    event_id      BIGINT PRIMARY KEY REFERENCES events (id),
    worked        TEXT   NOT NULL,
    broke         TEXT   NOT NULL,
    surprised     TEXT   NOT NULL,
    written_at_us BIGINT NOT NULL,
    due_at_us     BIGINT NOT NULL,
    author        TEXT   NOT NULL
);

CREATE TABLE retro_invites (
    event_id  BIGINT NOT NULL REFERENCES retros (event_id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    PRIMARY KEY (event_id, person_id)
);

CREATE TABLE retro_followups (
    event_id  BIGINT NOT NULL REFERENCES retros (event_id),
    position  BIGINT NOT NULL CHECK (position BETWEEN 1 AND 3),
    person_id BIGINT NOT NULL REFERENCES people (id),
    why       TEXT   NOT NULL,
    PRIMARY KEY (event_id, position)
);

CREATE TABLE followups (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id       BIGINT NOT NULL REFERENCES events (id),
    person_id      BIGINT NOT NULL REFERENCES people (id),
    channel        TEXT   NOT NULL CHECK (channel IN ('message', 'form', 'chat')),
    sent_at_us     BIGINT NOT NULL,
    actor          TEXT   NOT NULL,
    -- Form follow-ups only: the unguessable, single-use token of the answer page.
    token          TEXT   UNIQUE,
    answer         TEXT,
    outcome        TEXT CHECK (outcome IS NULL OR outcome IN ('built', 'shipped', 'collaborated', 'came_back', 'nothing')),
    answered_at_us BIGINT,
    UNIQUE (event_id, person_id)
);
CREATE INDEX followups_person ON followups (person_id, sent_at_us);

CREATE TABLE pipeline_cards (
    program_id    BIGINT  NOT NULL REFERENCES programs (id),
    person_id     BIGINT  NOT NULL REFERENCES people (id),
    stage         TEXT    NOT NULL CHECK (stage IN ('spotted', 'warm_intro', 'candidate', 'speaker', 'repeat')),
    quiet_killer  INTEGER NOT NULL DEFAULT 0 CHECK (quiet_killer IN (0, 1)),
    added_at_us   BIGINT  NOT NULL,
    added_by      TEXT    NOT NULL,
    PRIMARY KEY (program_id, person_id)
);

CREATE TABLE pipeline_moves (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id BIGINT  NOT NULL REFERENCES programs (id),
    person_id  BIGINT  NOT NULL REFERENCES people (id),
    from_stage TEXT    NOT NULL,
    to_stage   TEXT    NOT NULL,
    forward    INTEGER NOT NULL CHECK (forward IN (0, 1)),
    automatic  INTEGER NOT NULL CHECK (automatic IN (0, 1)),
    -- The event cycle the move belongs to: the program's latest held event at the time.
    cycle_event_id BIGINT REFERENCES events (id),
    at_us      BIGINT  NOT NULL,
    actor      TEXT    NOT NULL
);
CREATE INDEX pipeline_moves_program ON pipeline_moves (program_id, at_us);

CREATE TABLE sparks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    person_a       BIGINT NOT NULL REFERENCES people (id),
    person_b       BIGINT NOT NULL REFERENCES people (id),
    event_id       BIGINT REFERENCES events (id),
    note           TEXT,
    made_by        TEXT   NOT NULL,
    made_at_us     BIGINT NOT NULL,
    acted_at_us    BIGINT,
    acted_note     TEXT
);

CREATE TABLE organizer_checkins (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id     BIGINT NOT NULL REFERENCES events (id),
    organizer_id BIGINT NOT NULL REFERENCES organizers (id),
    answers      TEXT   NOT NULL,
    score        DOUBLE PRECISION NOT NULL,
    hours        DOUBLE PRECISION NOT NULL,
    at_us        BIGINT NOT NULL,
    UNIQUE (event_id, organizer_id)
);

CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id    BIGINT REFERENCES programs (id),
    started_at_us BIGINT NOT NULL,
    started_by    TEXT   NOT NULL,
    ended_at_us   BIGINT,
    snapshot      TEXT   NOT NULL,
    insight       TEXT
);
