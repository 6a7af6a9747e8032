-- Trellis schema 17: program-scoped API tokens (issue 20). A token may name the one
-- program it reads (NULL: every program, as every token before this migration did).
ALTER TABLE api_tokens ADD COLUMN program_id BIGINT REFERENCES programs (id);
