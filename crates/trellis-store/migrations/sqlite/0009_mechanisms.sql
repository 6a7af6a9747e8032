-- Trellis schema 8: mechanisms that cannot be slipped (issue 14).
-- A chat report keeps its numbers beside its verdict: the follow-up gate refuses a silent
-- one and says why with them (messages, lift over the baseline as × 10⁴, related).
ALTER TABLE chat_reports ADD COLUMN messages BIGINT NOT NULL DEFAULT 0;
ALTER TABLE chat_reports ADD COLUMN related BIGINT NOT NULL DEFAULT 0;
ALTER TABLE chat_reports ADD COLUMN lift_e4 BIGINT;

-- An event entered as history (created directly as held, after it happened): no gate was
-- asked and it has no time-to-ship; its retro clock runs from its start.
ALTER TABLE events ADD COLUMN backfilled INTEGER NOT NULL DEFAULT 0 CHECK (backfilled IN (0, 1));

-- How many confirmed slots one presenter may hold at one event (default 1): the demo slot
-- contract counts people, not demos.
ALTER TABLE programs ADD COLUMN demos_per_presenter BIGINT NOT NULL DEFAULT 1;
