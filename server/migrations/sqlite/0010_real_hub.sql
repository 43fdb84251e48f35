-- A real township from an empty database: platform admins (accounts of no
-- hub), hubs that can be disabled, staff accounts that can be disabled,
-- families that retire, zones that retire, products that pause, and the
-- audit log of staff's changes.
--
-- SQLite can't change a table's CHECK constraints, so `account` is made
-- again. The migration runs in a transaction with foreign keys on, where
-- they can't be turned off, only deferred to the commit: the rows are kept
-- aside, the table is dropped (the sessions, key cards and others that
-- refer to its rows wait) and made again with the same rows, which the
-- commit checks every reference against.

PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE account_old AS SELECT * FROM account;
DROP TABLE account;

CREATE TABLE account (
    id             INTEGER PRIMARY KEY,
    -- NULL only for a platform admin.
    hub_id         INTEGER REFERENCES hub(id),
    role           TEXT    NOT NULL CHECK (role IN ('admin', 'operator', 'trainer', 'family')),
    -- Admins, operators and trainers sign in with a username and an argon2id hash.
    username       TEXT    UNIQUE,
    password_hash  TEXT,
    -- A family's account signs in with key cards.
    family_id      INTEGER UNIQUE REFERENCES family(id),
    created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- A disabled account can't sign in; its sessions ended when it was disabled.
    disabled_at    TEXT,
    CHECK ((role = 'family') = (family_id IS NOT NULL)),
    CHECK ((role = 'family') = (username IS NULL)),
    CHECK ((role = 'admin') = (hub_id IS NULL))
);
INSERT INTO account (id, hub_id, role, username, password_hash, family_id, created_at)
    SELECT id, hub_id, role, username, password_hash, family_id, created_at FROM account_old;
DROP TABLE account_old;

-- The hub an admin's session works in (the center's routes act on it).
ALTER TABLE session ADD COLUMN hub_id INTEGER REFERENCES hub(id);

-- Where the center is, and whether the hub is closed: a disabled hub's
-- products leave the shop and its staff and families can't sign in.
ALTER TABLE hub ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE hub ADD COLUMN disabled_at TEXT;

-- A family's phone number (empty when it has none), and its retirement:
-- its products leave the shop; its history, orders and money stay.
ALTER TABLE family ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE family ADD COLUMN retired_at TEXT;

-- A retired zone is no longer offered; its orders keep it.
ALTER TABLE zone ADD COLUMN retired_at TEXT;

-- A paused product is not offered until it is resumed; a retired one never again.
ALTER TABLE product ADD COLUMN paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1));
ALTER TABLE product ADD COLUMN retired_at TEXT;

-- Every change staff make, written in the transaction of the change: who,
-- when, which object, and its values before and after (JSON).
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    -- The hub the object belongs to; NULL for a platform change (a new hub).
    hub_id      INTEGER REFERENCES hub(id),
    account_id  INTEGER NOT NULL REFERENCES account(id),
    actor       TEXT    NOT NULL,
    at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    object      TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    old         TEXT,
    new         TEXT
);
CREATE INDEX audit_hub_at ON audit (hub_id, at);
