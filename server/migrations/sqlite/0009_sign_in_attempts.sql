-- Password and key-card sign-in attempts counted against their limits (see
-- server/src/auth.rs), in the database so that every server counts the same:
-- N servers don't allow N times the guesses. A success takes its attempts
-- back; rows older than the window are deleted as new ones come.
CREATE TABLE sign_in_attempt (
    id   INTEGER PRIMARY KEY,
    -- What is limited: `address:…`, `account-address:… …` or `account:…`.
    key  TEXT    NOT NULL,
    -- Seconds since 1970 (the server's clock).
    at   INTEGER NOT NULL
);
CREATE INDEX sign_in_attempt_key ON sign_in_attempt (key, at);
CREATE INDEX sign_in_attempt_at ON sign_in_attempt (at);
