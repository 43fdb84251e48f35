-- Devices that signed an account in before (their cookie's SHA-256): failed
-- sign-ins by others slow an account down, but never for these.
CREATE TABLE trusted_device (
    token_hash  TEXT    PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES account(id),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX trusted_device_account ON trusted_device (account_id);

-- Every photo stored, with the family that uploaded it: a family lists only
-- its own photos, and its uploads are counted against a quota.
CREATE TABLE photo (
    name        TEXT    PRIMARY KEY,
    family_id   INTEGER NOT NULL REFERENCES family(id),
    bytes       INTEGER NOT NULL CHECK (bytes > 0),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX photo_family ON photo (family_id, created_at);

-- The most of a product one order may take; NULL is its kind's default
-- (bazar_api::ProductKind::default_max_per_order).
ALTER TABLE product ADD COLUMN max_per_order INTEGER CHECK (max_per_order IS NULL OR max_per_order > 0);

-- Why the center should look at an order first (bazar_api::order::flag).
ALTER TABLE customer_order ADD COLUMN flag TEXT;
CREATE INDEX customer_order_phone ON customer_order (customer_phone, payment, status);
