-- Exchange recommendations (docs/decisions.md): the catalogue's variant data on each SKU, and the
-- counts the model learns from, written in the same transaction as each settled exchange.
-- Additive only.
ALTER TABLE inventory_levels
    ADD COLUMN product_id text NOT NULL DEFAULT '',
    ADD COLUMN size       text NOT NULL DEFAULT '',
    ADD COLUMN size_rank  integer NOT NULL DEFAULT 0 CHECK (size_rank BETWEEN 0 AND 1000);
CREATE INDEX inventory_levels_by_product ON inventory_levels (merchant_id, product_id, sku)
    WHERE product_id <> '';

-- How many settled exchange lines went from `sku`, returned for `reason`, to `replacement_sku`.
CREATE TABLE exchange_affinities (
    merchant_id     uuid NOT NULL REFERENCES merchants,
    sku             text NOT NULL,
    reason          text NOT NULL,
    replacement_sku text NOT NULL,
    exchanges       bigint NOT NULL CHECK (exchanges > 0),
    update_time     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, sku, reason, replacement_sku)
);
