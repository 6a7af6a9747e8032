-- Trellis schema 1: programs, people, events, attendances, demos, gates' overrides.
-- Portable subset (see ARCHITECTURE.md): flags are INTEGER 0/1, instants are BIGINT
-- microseconds since the epoch (UTC), local event times are TEXT + an IANA zone.

CREATE TABLE programs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT    NOT NULL UNIQUE,
    tz               TEXT    NOT NULL,
    demo_target      BIGINT  NOT NULL CHECK (demo_target >= 0),
    default_slots    BIGINT  NOT NULL CHECK (default_slots >= 0),
    followup_minimum BIGINT  NOT NULL CHECK (followup_minimum >= 0),
    retro_hours      BIGINT  NOT NULL CHECK (retro_hours > 0),
    moves_per_event  BIGINT  NOT NULL CHECK (moves_per_event >= 0),
    created_at_us    BIGINT  NOT NULL,
    created_by       TEXT    NOT NULL
);

CREATE TABLE people (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    display_name  TEXT    NOT NULL,
    quiet_killer  INTEGER NOT NULL DEFAULT 0 CHECK (quiet_killer IN (0, 1)),
    created_at_us BIGINT  NOT NULL
);

CREATE TABLE person_emails (
    email     TEXT   PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id)
);
CREATE INDEX person_emails_person ON person_emails (person_id);

CREATE TABLE person_platform_ids (
    platform    TEXT   NOT NULL,
    external_id TEXT   NOT NULL,
    person_id   BIGINT NOT NULL REFERENCES people (id),
    PRIMARY KEY (platform, external_id)
);
CREATE INDEX person_platform_ids_person ON person_platform_ids (person_id);

CREATE TABLE events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id    BIGINT  NOT NULL REFERENCES programs (id),
    title         TEXT    NOT NULL,
    starts_local  TEXT    NOT NULL,
    tz            TEXT    NOT NULL,
    starts_at_us  BIGINT  NOT NULL,
    venue         TEXT,
    capacity      BIGINT  CHECK (capacity IS NULL OR capacity >= 0),
    slots         BIGINT  NOT NULL CHECK (slots >= 0),
    status        TEXT    NOT NULL CHECK (status IN ('draft', 'announced', 'held', 'closed', 'cancelled')),
    created_at_us BIGINT  NOT NULL,
    -- Bumped by every gated change: the first write of its transaction, so that two
    -- organizers acting on one event are serialised before either reads the state.
    lock_version  BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX events_program_starts ON events (program_id, starts_at_us);

CREATE TABLE event_status_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    BIGINT NOT NULL REFERENCES events (id),
    from_status TEXT,
    to_status   TEXT   NOT NULL,
    at_us       BIGINT NOT NULL,
    actor       TEXT   NOT NULL
);
CREATE INDEX event_status_history_event ON event_status_history (event_id, at_us);

CREATE TABLE attendances (
    event_id      BIGINT NOT NULL REFERENCES events (id),
    person_id     BIGINT NOT NULL REFERENCES people (id),
    rsvp          TEXT   NOT NULL CHECK (rsvp IN ('going', 'waitlist', 'declined', 'invited')),
    checked_in    TEXT   NOT NULL CHECK (checked_in IN ('yes', 'no', 'unknown')),
    source        TEXT   NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (event_id, person_id)
);
CREATE INDEX attendances_person ON attendances (person_id);

CREATE TABLE demos (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id                BIGINT  NOT NULL REFERENCES events (id),
    title                   TEXT    NOT NULL,
    status                  TEXT    NOT NULL CHECK (status IN ('proposed', 'screened', 'confirmed', 'presented', 'rejected', 'withdrawn', 'no_show')),
    screening_passed        INTEGER NOT NULL DEFAULT 0 CHECK (screening_passed IN (0, 1)),
    check_live_demo         INTEGER NOT NULL DEFAULT 0 CHECK (check_live_demo IN (0, 1)),
    check_built_it          INTEGER NOT NULL DEFAULT 0 CHECK (check_built_it IN (0, 1)),
    check_fits_time         INTEGER NOT NULL DEFAULT 0 CHECK (check_fits_time IN (0, 1)),
    check_wip_welcome       INTEGER NOT NULL DEFAULT 0 CHECK (check_wip_welcome IN (0, 1)),
    screening_note          TEXT,
    screened_at_us          BIGINT,
    contract_accepted_at_us BIGINT,
    created_at_us           BIGINT  NOT NULL
);
CREATE INDEX demos_event ON demos (event_id);

CREATE TABLE demo_presenters (
    demo_id   BIGINT NOT NULL REFERENCES demos (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    position  BIGINT NOT NULL,
    PRIMARY KEY (demo_id, person_id)
);
CREATE INDEX demo_presenters_person ON demo_presenters (person_id);

CREATE TABLE demo_status_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    demo_id     BIGINT NOT NULL REFERENCES demos (id),
    from_status TEXT,
    to_status   TEXT   NOT NULL,
    at_us       BIGINT NOT NULL,
    actor       TEXT   NOT NULL
);
CREATE INDEX demo_status_history_demo ON demo_status_history (demo_id);

-- An organizer passing a blocked gate. One row per gate overridden; `reasons` is the
-- JSON array of the sentences that were overridden, exactly as shown at the time.
CREATE TABLE overrides (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    gate       TEXT   NOT NULL,
    action     TEXT   NOT NULL,
    program_id BIGINT NOT NULL REFERENCES programs (id),
    event_id   BIGINT REFERENCES events (id),
    demo_id    BIGINT REFERENCES demos (id),
    reasons    TEXT   NOT NULL,
    reason     TEXT   NOT NULL,
    actor      TEXT   NOT NULL,
    at_us      BIGINT NOT NULL
);
CREATE INDEX overrides_program ON overrides (program_id, at_us);
