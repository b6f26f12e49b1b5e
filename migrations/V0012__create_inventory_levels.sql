-- Stock per SKU. `reserved` is what live instant-exchange tokens hold; the CHECKs make
-- negative stock and over-reservation impossible whatever the code does.
CREATE TABLE inventory_levels (
    merchant_id      uuid NOT NULL REFERENCES merchants,
    sku              text NOT NULL,
    on_hand          integer NOT NULL CHECK (on_hand >= 0),
    reserved         integer NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
    currency_code    text NOT NULL CHECK (currency_code ~ '^[A-Z]{3}$'),
    unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
    update_time      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, sku)
);
