-- Trellis schema 3: imports from event platforms, one identity per person (merges that
-- can be undone), and what a person may take away or have forgotten.

-- A merged person stays as a row (its id may be named in history), pointing at the
-- person it was merged into; a forgotten person keeps only its id and anonymous facts.
ALTER TABLE people ADD COLUMN merged_into BIGINT REFERENCES people (id);
ALTER TABLE people ADD COLUMN forgotten_at_us BIGINT;

-- Every import, dry runs excepted: the file, what it held and what it changed.
-- `problems` is the JSON array of the skipped rows ({line, reason}), the first 1000.
CREATE TABLE imports (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id       BIGINT NOT NULL REFERENCES events (id),
    platform       TEXT   NOT NULL,
    shape          TEXT   NOT NULL,
    file_name      TEXT   NOT NULL,
    sha256         TEXT   NOT NULL,
    rows_read      BIGINT NOT NULL,
    people_new     BIGINT NOT NULL,
    people_matched BIGINT NOT NULL,
    added          BIGINT NOT NULL,
    updated        BIGINT NOT NULL,
    unchanged      BIGINT NOT NULL,
    skipped        BIGINT NOT NULL,
    problems       TEXT   NOT NULL,
    at_us          BIGINT NOT NULL,
    actor          TEXT   NOT NULL
);
CREATE INDEX imports_event ON imports (event_id, at_us);

-- Answers to an event's registration questions (custom columns of a guest list).
CREATE TABLE person_answers (
    event_id  BIGINT NOT NULL REFERENCES events (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    question  TEXT   NOT NULL,
    answer    TEXT   NOT NULL,
    PRIMARY KEY (event_id, person_id, question)
);
CREATE INDEX person_answers_person ON person_answers (person_id);

-- A demo's id on the platform it was imported from (a pretalx code, a Sessionize id).
CREATE TABLE demo_external_ids (
    platform    TEXT   NOT NULL,
    external_id TEXT   NOT NULL,
    demo_id     BIGINT NOT NULL REFERENCES demos (id),
    PRIMARY KEY (platform, external_id)
);
CREATE INDEX demo_external_ids_demo ON demo_external_ids (demo_id);

CREATE TABLE demo_answers (
    demo_id  BIGINT NOT NULL REFERENCES demos (id),
    question TEXT   NOT NULL,
    answer   TEXT   NOT NULL,
    PRIMARY KEY (demo_id, question)
);

-- A merge of two people: `changes` is the JSON list of every row it changed, as it was,
-- so that an unmerge can put them back. NULL once either person was forgotten.
CREATE TABLE person_merges (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kept_id      BIGINT NOT NULL REFERENCES people (id),
    merged_id    BIGINT NOT NULL REFERENCES people (id),
    changes      TEXT,
    merged_at_us BIGINT NOT NULL,
    merged_by    TEXT   NOT NULL,
    undone_at_us BIGINT,
    undone_by    TEXT
);
CREATE INDEX person_merges_people ON person_merges (merged_id, kept_id);
