-- Guest orders, their lines and status events; the idempotency records that
-- make placing an order exactly-once; batches collected from families with
-- their trace codes; and weekly capacities that start again every Monday.

ALTER TABLE product ADD COLUMN weekly_capacity INTEGER NOT NULL DEFAULT 0 CHECK (weekly_capacity >= 0);
-- The week (bazar_api::order::week_index) that `available` counts for.
ALTER TABLE product ADD COLUMN week INTEGER NOT NULL DEFAULT 0;
UPDATE product SET weekly_capacity = available WHERE capacity = 'weekly';

CREATE TABLE customer_order (
    id              INTEGER PRIMARY KEY,
    hub_id          INTEGER NOT NULL REFERENCES hub(id),
    code            TEXT    NOT NULL UNIQUE,
    tracking_token  TEXT    NOT NULL UNIQUE,
    customer_name   TEXT    NOT NULL,
    customer_phone  TEXT    NOT NULL,
    address         TEXT    NOT NULL,
    zone_id         INTEGER NOT NULL REFERENCES zone(id),
    subtotal_fen    INTEGER NOT NULL CHECK (subtotal_fen >= 0),
    shipping_fen    INTEGER NOT NULL CHECK (shipping_fen >= 0),
    total_fen       INTEGER NOT NULL CHECK (total_fen = subtotal_fen + shipping_fen),
    payment         TEXT    NOT NULL CHECK (payment IN ('on_delivery', 'bank_transfer')),
    payment_state   TEXT    NOT NULL DEFAULT 'unpaid' CHECK (payment_state IN ('unpaid', 'paid', 'refunded')),
    status          TEXT    NOT NULL DEFAULT 'placed'
                    CHECK (status IN ('placed', 'collecting', 'at_center', 'packed', 'shipped', 'delivered', 'cancelled')),
    waybill         TEXT,
    created_at      TEXT    NOT NULL
);
CREATE INDEX customer_order_hub_status ON customer_order (hub_id, status);

CREATE TABLE order_line (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES customer_order(id),
    product_id      INTEGER NOT NULL REFERENCES product(id),
    family_id       INTEGER NOT NULL REFERENCES family(id),
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_fen  INTEGER NOT NULL CHECK (unit_price_fen > 0)
);
CREATE INDEX order_line_order ON order_line (order_id);
CREATE INDEX order_line_family ON order_line (family_id);

CREATE TABLE order_event (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES customer_order(id),
    status      TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    -- Who made the change: 'customer', or an account later.
    actor       TEXT    NOT NULL,
    note        TEXT
);
CREATE INDEX order_event_order ON order_event (order_id);

-- One row per Idempotency-Key, written in the same transaction as its order.
CREATE TABLE idempotency (
    key         TEXT    PRIMARY KEY,
    body_hash   TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    response    TEXT    NOT NULL,
    order_id    INTEGER REFERENCES customer_order(id),
    created_at  TEXT    NOT NULL
);

CREATE TABLE batch (
    id            INTEGER PRIMARY KEY,
    trace_code    TEXT    NOT NULL UNIQUE,
    family_id     INTEGER NOT NULL REFERENCES family(id),
    product_id    INTEGER NOT NULL REFERENCES product(id),
    collected_on  TEXT    NOT NULL,
    quantity      INTEGER NOT NULL CHECK (quantity > 0)
);

CREATE TABLE batch_line (
    batch_id       INTEGER NOT NULL REFERENCES batch(id),
    order_line_id  INTEGER NOT NULL REFERENCES order_line(id),
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (batch_id, order_line_id)
);
