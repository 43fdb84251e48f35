-- The township hubs, their delivery zones, the families and what they sell.
-- Text people write is stored once per language (ug, zh, en).

CREATE TABLE hub (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name_ug     TEXT    NOT NULL,
    name_zh     TEXT    NOT NULL,
    name_en     TEXT    NOT NULL,
    -- The center's fee on a family's sales, in basis points (800 = 8 %).
    fee_bp      INTEGER NOT NULL DEFAULT 0 CHECK (fee_bp BETWEEN 0 AND 10000),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE zone (
    id            INTEGER PRIMARY KEY,
    hub_id        INTEGER NOT NULL REFERENCES hub(id),
    code          TEXT    NOT NULL,
    name_ug       TEXT    NOT NULL,
    name_zh       TEXT    NOT NULL,
    name_en       TEXT    NOT NULL,
    shipping_fen  INTEGER NOT NULL CHECK (shipping_fen >= 0),
    days_min      INTEGER NOT NULL CHECK (days_min >= 0),
    days_max      INTEGER NOT NULL CHECK (days_max >= days_min),
    position      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (hub_id, code)
);

CREATE TABLE family (
    id          INTEGER PRIMARY KEY,
    hub_id      INTEGER NOT NULL REFERENCES hub(id),
    name_ug     TEXT    NOT NULL,
    name_zh     TEXT    NOT NULL,
    name_en     TEXT    NOT NULL,
    village_ug  TEXT    NOT NULL,
    village_zh  TEXT    NOT NULL,
    village_en  TEXT    NOT NULL,
    story_ug    TEXT    NOT NULL DEFAULT '',
    story_zh    TEXT    NOT NULL DEFAULT '',
    story_en    TEXT    NOT NULL DEFAULT '',
    photo       TEXT    NOT NULL DEFAULT '',
    -- The letters stamped on the family's eggs and printed on its bags.
    stamp       TEXT    NOT NULL,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (hub_id, stamp)
);
CREATE INDEX family_hub ON family (hub_id);

CREATE TABLE product (
    id          INTEGER PRIMARY KEY,
    family_id   INTEGER NOT NULL REFERENCES family(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('nang', 'eggs', 'honey', 'quilt', 'dried_fruit', 'other')),
    name_ug     TEXT    NOT NULL,
    name_zh     TEXT    NOT NULL,
    name_en     TEXT    NOT NULL,
    unit_ug     TEXT    NOT NULL,
    unit_zh     TEXT    NOT NULL,
    unit_en     TEXT    NOT NULL,
    price_fen   INTEGER NOT NULL CHECK (price_fen > 0),
    capacity    TEXT    NOT NULL CHECK (capacity IN ('stock', 'weekly')),
    -- What can still be ordered; never negative, whatever races happen.
    available   INTEGER NOT NULL CHECK (available >= 0),
    image       TEXT    NOT NULL DEFAULT '',
    status      TEXT    NOT NULL DEFAULT 'live' CHECK (status IN ('draft', 'pending', 'live', 'rejected')),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX product_family ON product (family_id);
CREATE INDEX product_status_kind ON product (status, kind);
