-- Trellis schema 13: roles per program (issue 20). An admin account reaches every program;
-- any other account reaches only the programs granted here, each with its own role.
CREATE TABLE user_grants (
    user_id    BIGINT NOT NULL REFERENCES users (id),
    program_id BIGINT NOT NULL REFERENCES programs (id),
    role       TEXT   NOT NULL CHECK (role IN ('organizer', 'viewer')),
    PRIMARY KEY (user_id, program_id)
);
CREATE INDEX user_grants_program ON user_grants (program_id);

-- Accounts made before grants keep what they had: their role on every program.
INSERT INTO user_grants (user_id, program_id, role)
SELECT u.id, p.id, u.role FROM users u CROSS JOIN programs p
WHERE u.role IN ('organizer', 'viewer');
