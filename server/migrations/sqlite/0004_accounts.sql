-- Accounts and their sessions, the families' key cards, payouts, and why a
-- listing was sent back.

CREATE TABLE account (
    id             INTEGER PRIMARY KEY,
    hub_id         INTEGER NOT NULL REFERENCES hub(id),
    role           TEXT    NOT NULL CHECK (role IN ('operator', 'trainer', 'family')),
    -- Operators and trainers sign in with a username and an argon2id hash.
    username       TEXT    UNIQUE,
    password_hash  TEXT,
    -- A family's account signs in with key cards.
    family_id      INTEGER UNIQUE REFERENCES family(id),
    created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((role = 'family') = (family_id IS NOT NULL)),
    CHECK ((role = 'family') = (username IS NULL))
);

-- Only the SHA-256 of a card's token is kept.
CREATE TABLE key_card (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES account(id),
    token_hash  TEXT    NOT NULL UNIQUE,
    issued_at   TEXT    NOT NULL,
    issued_by   INTEGER NOT NULL REFERENCES account(id),
    revoked_at  TEXT
);
CREATE INDEX key_card_account ON key_card (account_id);

-- Only the SHA-256 of a session's token is kept; the browser has the token
-- in an HttpOnly cookie.
CREATE TABLE session (
    token_hash   TEXT    PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES account(id),
    key_card_id  INTEGER REFERENCES key_card(id),
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL
);
CREATE INDEX session_account ON session (account_id);

CREATE TABLE payout (
    id          INTEGER PRIMARY KEY,
    family_id   INTEGER NOT NULL REFERENCES family(id),
    amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0),
    paid_at     TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    note        TEXT
);
CREATE INDEX payout_family ON payout (family_id);

ALTER TABLE product ADD COLUMN reject_reason TEXT;
ALTER TABLE product ADD COLUMN reject_note TEXT;

CREATE INDEX batch_line_line ON batch_line (order_line_id);
