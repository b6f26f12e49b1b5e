-- Storefront orders and their lines. returned_quantity counts units in returns that are not
-- cancelled or rejected; the CHECK makes over-returning impossible even if code got it wrong.
CREATE TABLE orders (
    merchant_id      uuid NOT NULL REFERENCES merchants,
    order_id         text NOT NULL,
    customer_id      text NOT NULL DEFAULT '',
    customer_email   text NOT NULL DEFAULT '',
    currency_code    text NOT NULL CHECK (currency_code ~ '^[A-Z]{3}$'),
    shipping_address jsonb NOT NULL DEFAULT '{}',
    order_time       timestamptz,
    delivered_time   timestamptz,
    content_hash     text NOT NULL,
    version          bigint NOT NULL DEFAULT 1,
    create_time      timestamptz NOT NULL DEFAULT now(),
    update_time      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, order_id)
);

CREATE TABLE order_lines (
    merchant_id        uuid NOT NULL,
    order_id           text NOT NULL,
    line_id            text NOT NULL,
    position           integer NOT NULL,
    sku                text NOT NULL,
    product_id         text NOT NULL DEFAULT '',
    title              text NOT NULL DEFAULT '',
    variant_attributes jsonb NOT NULL DEFAULT '{}',
    quantity           integer NOT NULL CHECK (quantity > 0),
    unit_price_minor   bigint NOT NULL CHECK (unit_price_minor >= 0),
    returned_quantity  integer NOT NULL DEFAULT 0
                       CHECK (returned_quantity >= 0 AND returned_quantity <= quantity),
    PRIMARY KEY (merchant_id, order_id, line_id),
    FOREIGN KEY (merchant_id, order_id) REFERENCES orders ON DELETE CASCADE
);
