-- Trellis schema 4: the web app. Accounts, sessions, API tokens, and the public links of
-- the demo slot contract. Secrets are stored as SHA-256 digests, never as given.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'organizer', 'viewer')),
    password_hash TEXT    NOT NULL,
    created_at_us BIGINT  NOT NULL
);

CREATE TABLE web_sessions (
    token_hash    TEXT   PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    csrf          TEXT   NOT NULL,
    created_at_us BIGINT NOT NULL,
    expires_at_us BIGINT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash    TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    created_at_us BIGINT  NOT NULL,
    created_by    TEXT    NOT NULL
);

CREATE TABLE contract_links (
    token         TEXT   PRIMARY KEY,
    demo_id       BIGINT NOT NULL REFERENCES demos (id),
    created_at_us BIGINT NOT NULL,
    used_at_us    BIGINT
);
CREATE INDEX contract_links_demo ON contract_links (demo_id);
