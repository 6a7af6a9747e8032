-- Trellis schema 7: the program's own keywords for the discussion report. Besides an
-- event's title, demos and presenters, a message naming one of its program's keywords
-- (the community's name, its hashtag) is about the event whose window it falls in.

CREATE TABLE chat_keywords (
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    word        TEXT   NOT NULL,
    PRIMARY KEY (program_id, word)
);
