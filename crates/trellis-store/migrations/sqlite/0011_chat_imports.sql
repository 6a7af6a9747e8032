-- Trellis schema 11: chat exports uploaded in the browser (issue 16). The import runs in
-- the background; its state is a row, so a reload, or another server on the same
-- database, sees how far it got and how it ended. The rows are the channels' import
-- history.
CREATE TABLE chat_imports (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id     BIGINT  NOT NULL REFERENCES programs (id),
    file_name      TEXT    NOT NULL,
    -- The channel name asked for; NULL lets the export name it.
    channel        TEXT,
    bytes          BIGINT  NOT NULL,
    state          TEXT    NOT NULL DEFAULT 'running'
                   CHECK (state IN ('running', 'done', 'failed')),
    -- Messages read so far (the progress), then in all.
    messages_read  BIGINT  NOT NULL DEFAULT 0,
    channel_id     BIGINT  REFERENCES chat_channels (id),
    added          BIGINT,
    already_stored BIGINT,
    linked         BIGINT,
    unlinked       BIGINT,
    -- Why it failed, in words (the file and line where the reader says them).
    error          TEXT,
    created_by     TEXT    NOT NULL,
    created_at_us  BIGINT  NOT NULL,
    finished_at_us BIGINT
);
CREATE INDEX chat_imports_program ON chat_imports (program_id, id);
