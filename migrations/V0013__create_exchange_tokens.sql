-- Instant-exchange tokens (docs/exchange-tokens.md). Only the SHA-256 of the token string is
-- stored. At most one live token per return line.
CREATE TABLE exchange_tokens (
    merchant_id            uuid NOT NULL,
    exchange_token_id      uuid NOT NULL DEFAULT gen_random_uuid(),
    token_hash             text NOT NULL,
    return_id              uuid NOT NULL,
    order_id               text NOT NULL,
    order_line_id          text NOT NULL,
    replacement_sku        text NOT NULL,
    quantity               integer NOT NULL CHECK (quantity > 0),
    state                  text NOT NULL CHECK (state IN ('ISSUED', 'REDEEMED', 'IN_TRANSIT',
                           'SETTLED', 'EXPIRED', 'REVOKED', 'CHARGE_DUE', 'CHARGED', 'CHARGE_FAILED')),
    currency_code          text NOT NULL,
    upsell_minor           bigint NOT NULL DEFAULT 0 CHECK (upsell_minor >= 0),
    downsell_minor         bigint NOT NULL DEFAULT 0 CHECK (downsell_minor >= 0),
    charge_minor           bigint NOT NULL CHECK (charge_minor >= 0),
    collateral_reference   text NOT NULL DEFAULT '',
    collateral_minor       bigint NOT NULL DEFAULT 0 CHECK (collateral_minor >= 0),
    collateral_expire_time timestamptz,
    expire_time            timestamptz NOT NULL,
    charge_window_days     integer NOT NULL,
    charge_deadline        timestamptz,
    outbound_shipment_id   uuid,
    version                bigint NOT NULL DEFAULT 1,
    create_time            timestamptz NOT NULL DEFAULT now(),
    update_time            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, exchange_token_id),
    FOREIGN KEY (merchant_id, return_id) REFERENCES returns
);
CREATE UNIQUE INDEX exchange_tokens_by_hash ON exchange_tokens (merchant_id, token_hash);
CREATE UNIQUE INDEX exchange_tokens_one_live_per_line ON exchange_tokens (merchant_id, return_id, order_line_id)
    WHERE state NOT IN ('EXPIRED', 'REVOKED');
CREATE INDEX exchange_tokens_by_return ON exchange_tokens (merchant_id, return_id, create_time);
CREATE INDEX exchange_tokens_by_time ON exchange_tokens (merchant_id, create_time, exchange_token_id);
-- What the sweeper looks for, across merchants.
CREATE INDEX exchange_tokens_issued_by_expiry ON exchange_tokens (expire_time) WHERE state = 'ISSUED';
CREATE INDEX exchange_tokens_redeemed_by_deadline ON exchange_tokens (charge_deadline) WHERE state = 'REDEEMED';

-- Parcels. The redemption of a token requests an OUTBOUND one; the warehouse confirms it.
CREATE TABLE shipments (
    merchant_id     uuid NOT NULL,
    shipment_id     uuid NOT NULL DEFAULT gen_random_uuid(),
    order_id        text NOT NULL,
    return_id       uuid,
    direction       text NOT NULL CHECK (direction IN ('INBOUND', 'OUTBOUND')),
    state           text NOT NULL CHECK (state IN ('REQUESTED', 'LABEL_CREATED', 'IN_TRANSIT',
                    'DELIVERED', 'EXCEPTION', 'VOIDED')),
    sku             text NOT NULL DEFAULT '',
    quantity        integer NOT NULL DEFAULT 0,
    carrier         text NOT NULL DEFAULT '',
    tracking_number text NOT NULL DEFAULT '',
    create_time     timestamptz NOT NULL DEFAULT now(),
    update_time     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, shipment_id)
);
CREATE INDEX shipments_by_order ON shipments (merchant_id, order_id, create_time);

-- The key that signs exchange tokens when none is configured (--exchange_token_keys).
INSERT INTO server_secrets (name, secret)
VALUES ('exchange_token', decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
