-- Trellis schema 5: listening to the community chat. Imported chat exports, one channel per
-- chat, its messages with their tone, and the discussion reports that were produced.

CREATE TABLE chat_channels (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id     BIGINT  NOT NULL REFERENCES programs (id),
    name           TEXT    NOT NULL,
    format         TEXT    NOT NULL,
    created_at_us  BIGINT  NOT NULL,
    purged_at_us   BIGINT,
    UNIQUE (program_id, name)
);

-- One row per message. The content key (channel, at, author_key, text_hash) makes a
-- re-import of an overlapping export add only the messages not yet stored. `text` is NULL
-- once the channel is purged; `compound_e4` is VADER's compound score times 10000.
CREATE TABLE chat_messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id  BIGINT  NOT NULL REFERENCES chat_channels (id),
    at_us       BIGINT  NOT NULL,
    author      TEXT    NOT NULL,
    author_key  TEXT    NOT NULL,
    person_id   BIGINT  REFERENCES people (id),
    text_hash   TEXT    NOT NULL,
    text        TEXT,
    compound_e4 BIGINT  NOT NULL,
    UNIQUE (channel_id, at_us, author_key, text_hash)
);
CREATE INDEX chat_messages_at ON chat_messages (channel_id, at_us);

-- The last discussion report produced for an event: what the follow-up gate reads.
CREATE TABLE chat_reports (
    event_id   BIGINT  PRIMARY KEY REFERENCES events (id),
    days       BIGINT  NOT NULL,
    covered    INTEGER NOT NULL CHECK (covered IN (0, 1)),
    verdict    TEXT    NOT NULL,
    made_at_us BIGINT  NOT NULL,
    made_by    TEXT    NOT NULL
);
