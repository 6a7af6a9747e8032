-- Trellis schema 6: chat authors in a table of their own, and what a purge keeps.
--
-- Each message named its author in full (display name and key) and the new-voices figure
-- grouped a whole channel by author on every report; the authors now live once per channel
-- with their first message, and a message holds the author's integer id. The content key
-- is the author, the time and 64 bits of the text's SHA-256 (the first 16 hex digits of the
-- schema-5 hash, so stored messages keep matching re-imports).
--
-- `chat_related` keeps, when a channel's text is purged (or its author forgotten), which of
-- its messages were related to which event, so every report figure stays the same.

CREATE TABLE chat_authors (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id   BIGINT  NOT NULL REFERENCES chat_channels (id),
    author_key   TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    person_id    BIGINT  REFERENCES people (id),
    linked_by    TEXT,
    first_at_us  BIGINT  NOT NULL,
    UNIQUE (channel_id, author_key)
);

INSERT INTO chat_authors (channel_id, author_key, name, person_id, linked_by, first_at_us)
SELECT channel_id, author_key, MAX(author), MAX(person_id),
       CASE WHEN MAX(person_id) IS NULL THEN NULL
            WHEN author_key LIKE 'id:%' THEN 'platform id' ELSE 'exact name' END,
       MIN(at_us)
FROM chat_messages GROUP BY channel_id, author_key ORDER BY channel_id, MIN(at_us), author_key;

CREATE TABLE chat_messages_6 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id  BIGINT  NOT NULL REFERENCES chat_channels (id),
    at_us       BIGINT  NOT NULL,
    author_id   BIGINT  NOT NULL REFERENCES chat_authors (id),
    text_hash   TEXT    NOT NULL,
    text        TEXT,
    compound_e4 BIGINT  NOT NULL,
    UNIQUE (channel_id, at_us, author_id, text_hash)
);

INSERT INTO chat_messages_6 (id, channel_id, at_us, author_id, text_hash, text, compound_e4)
SELECT m.id, m.channel_id, m.at_us, a.id, substr(m.text_hash, 1, 16), m.text, m.compound_e4
FROM chat_messages m JOIN chat_authors a ON a.channel_id = m.channel_id AND a.author_key = m.author_key;

DROP TABLE chat_messages;
ALTER TABLE chat_messages_6 RENAME TO chat_messages;
CREATE INDEX chat_messages_author ON chat_messages (author_id);

CREATE TABLE chat_related (
    event_id    BIGINT NOT NULL REFERENCES events (id),
    message_id  BIGINT NOT NULL REFERENCES chat_messages (id),
    PRIMARY KEY (event_id, message_id)
);
