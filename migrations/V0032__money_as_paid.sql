-- Money as the customer paid it (docs/money.md): per order line its discounts and tax and what it
-- paid; per order its tax mode, shipping, tenders and total; what each return and claim took of
-- a line's paid amount; and the money movements the service asks of the payment system.
-- Additive only: orders synced before this file paid unit price x quantity, no tax, no shipping,
-- no tenders; returns and claims before it took their lines at unit price.

ALTER TABLE orders
    ADD COLUMN tax_mode            text NOT NULL DEFAULT 'UNSPECIFIED'
        CHECK (tax_mode IN ('UNSPECIFIED', 'EXCLUSIVE', 'INCLUSIVE')),
    -- order_discount, discount_codes, shipping, shipping_tax_lines as the storefront sent them
    ADD COLUMN money               jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN shipping_paid_minor bigint NOT NULL DEFAULT 0 CHECK (shipping_paid_minor >= 0),
    ADD COLUMN shipping_tax_minor  bigint NOT NULL DEFAULT 0 CHECK (shipping_tax_minor >= 0);

-- The return whose plan refunds an order's shipping: once per order (the primary key), given
-- back when that return is cancelled or rejected. A table of its own, not a column of orders:
-- CreateReturn holds the order row share-locked (orders/get_return_window.sql), and a write to it
-- there would deadlock two concurrent returns of one order.
CREATE TABLE order_shipping_refunds (
    merchant_id uuid NOT NULL,
    order_id    text NOT NULL,
    return_id   uuid NOT NULL,
    PRIMARY KEY (merchant_id, order_id),
    UNIQUE (merchant_id, return_id),
    FOREIGN KEY (merchant_id, order_id) REFERENCES orders ON DELETE CASCADE
);

ALTER TABLE order_lines
    -- line_discount, order_discount_share, tax_lines as sent (the share as allocated)
    ADD COLUMN money            jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN paid_minor       bigint CHECK (paid_minor >= 0),
    ADD COLUMN tax_minor        bigint NOT NULL DEFAULT 0 CHECK (tax_minor >= 0),
    -- What live returns and claims took of paid_minor and tax_minor (docs/money.md,
    -- "Refundable amount of units"); given back when they are cancelled, rejected or denied.
    ADD COLUMN taken_paid_minor bigint NOT NULL DEFAULT 0 CHECK (taken_paid_minor >= 0),
    ADD COLUMN taken_tax_minor  bigint NOT NULL DEFAULT 0 CHECK (taken_tax_minor >= 0);

-- NULL: a line a replica of the previous release synced (it knows no paid amounts); every reader
-- takes it as unit price x quantity, as for the lines synced before this file.
UPDATE order_lines SET paid_minor = unit_price_minor * quantity;

ALTER TABLE return_lines
    ADD COLUMN paid_minor bigint CHECK (paid_minor >= 0),
    ADD COLUMN tax_minor  bigint CHECK (tax_minor >= 0);
UPDATE return_lines SET paid_minor = unit_price_minor * quantity, tax_minor = 0;

ALTER TABLE claim_lines
    ADD COLUMN paid_minor bigint CHECK (paid_minor >= 0),
    ADD COLUMN tax_minor  bigint CHECK (tax_minor >= 0);
UPDATE claim_lines SET paid_minor = unit_price_minor * quantity, tax_minor = 0;

-- What live returns and claims hold today, at unit price.
UPDATE order_lines ol
   SET taken_paid_minor = held.paid
  FROM (SELECT merchant_id, order_id, order_line_id, sum(paid_minor) AS paid
          FROM (SELECT rl.merchant_id, rl.order_id, rl.order_line_id, rl.paid_minor
                  FROM return_lines rl
                  JOIN returns r ON r.merchant_id = rl.merchant_id AND r.return_id = rl.return_id
                 WHERE r.state NOT IN ('CANCELLED', 'REJECTED')
                UNION ALL
                SELECT c.merchant_id, c.order_id, cl.order_line_id, cl.paid_minor
                  FROM claim_lines cl
                  JOIN claims c ON c.merchant_id = cl.merchant_id AND c.claim_id = cl.claim_id
                 WHERE c.state <> 'DENIED') AS live
         GROUP BY merchant_id, order_id, order_line_id) AS held
 WHERE ol.merchant_id = held.merchant_id AND ol.order_id = held.order_id
   AND ol.line_id = held.order_line_id;

ALTER TABLE returns
    -- The settlement plan as quoted at creation (SettlementPlan as proto JSON): Return.plan
    -- answers it unchanged. NULL for returns created before (their plan is rebuilt from lines).
    ADD COLUMN plan jsonb,
    -- The order's shipping (and its tax) this return's plan refunds.
    ADD COLUMN shipping_refund_minor bigint NOT NULL DEFAULT 0 CHECK (shipping_refund_minor >= 0),
    -- When the return was received (the KPI time from receipt to refund); NULL before.
    ADD COLUMN receive_time timestamptz;

-- The tenders an order was paid with. refunded_minor: refunds requested to the tender that are
-- not cancelled (a refund is split over tenders when it is requested).
CREATE TABLE order_payments (
    merchant_id    uuid NOT NULL,
    order_id       text NOT NULL,
    payment_id     text NOT NULL,
    position       integer NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('CARD', 'GIFT_CARD', 'STORE_CREDIT', 'WALLET')),
    amount_minor   bigint NOT NULL CHECK (amount_minor > 0),
    reference      text NOT NULL DEFAULT '',
    refunded_minor bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
    PRIMARY KEY (merchant_id, order_id, payment_id),
    FOREIGN KEY (merchant_id, order_id) REFERENCES orders ON DELETE CASCADE
);

-- Every refund, credit and charge the service asks of the payment system (MoneyService). One
-- per subject and kind: a movement is requested at most once; a retry is a new attempt of the
-- same row.
CREATE TABLE money_movements (
    merchant_id        uuid NOT NULL REFERENCES merchants,
    movement_id        uuid NOT NULL DEFAULT gen_random_uuid(),
    order_id           text NOT NULL,
    kind               text NOT NULL
        CHECK (kind IN ('REFUND', 'STORE_CREDIT', 'UPSELL_CHARGE', 'DOWNSELL_CREDIT',
                        'CLAIM_REFUND', 'COLLATERAL_CHARGE')),
    state              text NOT NULL DEFAULT 'REQUESTED'
        CHECK (state IN ('REQUESTED', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    currency_code      text NOT NULL CHECK (currency_code ~ '^[A-Z]{3}$'),
    amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
    tenders            jsonb NOT NULL DEFAULT '[]',
    subject            text NOT NULL,
    attempt            integer NOT NULL DEFAULT 1 CHECK (attempt > 0),
    external_reference text NOT NULL DEFAULT '',
    failure_reason     text NOT NULL DEFAULT '',
    create_time        timestamptz NOT NULL DEFAULT now(),
    update_time        timestamptz NOT NULL DEFAULT now(),
    outcome_time       timestamptz,
    PRIMARY KEY (merchant_id, movement_id),
    UNIQUE (merchant_id, subject, kind)
);
CREATE INDEX money_movements_by_order ON money_movements (merchant_id, order_id, create_time);
CREATE INDEX money_movements_newest ON money_movements (merchant_id, create_time DESC, movement_id);
-- Refund outcomes by time (GetKpis: time from receipt to refund, failed refunds).
CREATE INDEX money_movements_refund_outcomes ON money_movements (merchant_id, outcome_time)
    WHERE kind IN ('REFUND', 'CLAIM_REFUND');
-- The open movements (the metrics' gauges: awaiting the payment system, or a person).
CREATE INDEX money_movements_open ON money_movements (state, kind, create_time)
    WHERE state IN ('REQUESTED', 'FAILED');

-- The policy's money rules (docs/money.md): the reasons that refund shipping, and the order in
-- which a refund is split over the tenders.
ALTER TABLE policies
    ADD COLUMN shipping_refund_reasons jsonb NOT NULL
        DEFAULT '["DAMAGED", "WRONG_ITEM", "DEFECTIVE", "NOT_AS_DESCRIBED"]',
    ADD COLUMN refund_tender_order jsonb NOT NULL
        DEFAULT '["GIFT_CARD", "STORE_CREDIT", "WALLET", "CARD"]';

-- Gift returns (docs/money.md, "Gift returns"): the order's gift code (its SHA-256, never the
-- code), a gift return's recipient (kept apart from the buyer's contact), the recipient a
-- store-credit movement goes to, and whether the policy refunds a gift to the buyer's tenders.
ALTER TABLE orders ADD COLUMN gift_code_sha256 text;
ALTER TABLE returns ADD COLUMN gift_recipient jsonb;
ALTER TABLE money_movements ADD COLUMN recipient jsonb;
ALTER TABLE policies ADD COLUMN gift_refund_to_buyer boolean NOT NULL DEFAULT false;
