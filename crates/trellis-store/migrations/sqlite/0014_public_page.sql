-- Trellis schema 14: a program's public page and its call for demos (issue 20). The page
-- is off until an organizer turns it on; its address is the program's slug.
ALTER TABLE programs ADD COLUMN slug TEXT;
ALTER TABLE programs ADD COLUMN public_page INTEGER NOT NULL DEFAULT 0 CHECK (public_page IN (0, 1));
CREATE UNIQUE INDEX programs_slug ON programs (slug);

-- A hand raised on the public page: kept whole, whether it became a proposed demo (an
-- event was chosen) or a candidate's card on the speaker pipeline ("any event").
CREATE TABLE demo_offers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id  BIGINT  NOT NULL REFERENCES programs (id),
    person_id   BIGINT  NOT NULL REFERENCES people (id),
    event_id    BIGINT  REFERENCES events (id),
    demo_id     BIGINT  REFERENCES demos (id),
    title       TEXT    NOT NULL,
    about       TEXT    NOT NULL,
    wip         INTEGER NOT NULL CHECK (wip IN (0, 1)),
    at_us       BIGINT  NOT NULL
);
CREATE INDEX demo_offers_person ON demo_offers (person_id);
