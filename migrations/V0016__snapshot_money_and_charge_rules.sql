-- Money integrity (docs/exchange-tokens.md, "Money rules"): what a return and a token promised is
-- snapshotted when they are created, so a later order sync cannot change it; a token raises at
-- most one charge and one charge refund; the original gets a second deadline once it is scanned.

-- The order's currency and each line's unit price as they were when the return was created, and
-- the exchange quote (replacement price, upsell or downsell) computed then for exchange lines.
ALTER TABLE returns
    ADD COLUMN currency_code  text,
    ADD COLUMN upsell_minor   bigint NOT NULL DEFAULT 0 CHECK (upsell_minor >= 0),
    ADD COLUMN downsell_minor bigint NOT NULL DEFAULT 0 CHECK (downsell_minor >= 0);
UPDATE returns r SET currency_code = o.currency_code
  FROM orders o WHERE o.merchant_id = r.merchant_id AND o.order_id = r.order_id;
ALTER TABLE returns ALTER COLUMN currency_code SET NOT NULL,
    ADD CONSTRAINT returns_currency_code_check CHECK (currency_code ~ '^[A-Z]{3}$');

ALTER TABLE return_lines
    ADD COLUMN unit_price_minor       bigint CHECK (unit_price_minor >= 0),
    ADD COLUMN replacement_unit_minor bigint NOT NULL DEFAULT 0 CHECK (replacement_unit_minor >= 0),
    ADD COLUMN upsell_minor           bigint NOT NULL DEFAULT 0 CHECK (upsell_minor >= 0),
    ADD COLUMN downsell_minor         bigint NOT NULL DEFAULT 0 CHECK (downsell_minor >= 0);
UPDATE return_lines rl SET unit_price_minor = ol.unit_price_minor
  FROM order_lines ol
 WHERE ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id AND ol.line_id = rl.order_line_id;
-- Exchange lines written before quotes existed: a live token's quote where there is one,
-- otherwise no difference (the replacement at the original's price).
UPDATE return_lines rl
   SET replacement_unit_minor = coalesce(
           (SELECT t.charge_minor / t.quantity FROM exchange_tokens t
             WHERE t.merchant_id = rl.merchant_id AND t.return_id = rl.return_id
               AND t.order_line_id = rl.order_line_id
             ORDER BY t.create_time DESC LIMIT 1),
           rl.unit_price_minor),
       upsell_minor = coalesce(
           (SELECT t.upsell_minor FROM exchange_tokens t
             WHERE t.merchant_id = rl.merchant_id AND t.return_id = rl.return_id
               AND t.order_line_id = rl.order_line_id
             ORDER BY t.create_time DESC LIMIT 1), 0),
       downsell_minor = coalesce(
           (SELECT t.downsell_minor FROM exchange_tokens t
             WHERE t.merchant_id = rl.merchant_id AND t.return_id = rl.return_id
               AND t.order_line_id = rl.order_line_id
             ORDER BY t.create_time DESC LIMIT 1), 0)
 WHERE rl.resolution = 'EXCHANGE';
ALTER TABLE return_lines ALTER COLUMN unit_price_minor SET NOT NULL;

-- How many days after the first scan the original must be delivered or received before the
-- charge falls due (the second deadline).
ALTER TABLE policies
    ADD COLUMN transit_window_days integer NOT NULL DEFAULT 14
        CHECK (transit_window_days BETWEEN 1 AND 365);

-- charge_attempt: how many charges were raised (0 or 1, more only by RetryExchangeTokenCharge
-- after a failure); the payment system's idempotency key is <exchange_token_id>/<charge_attempt>.
-- charge_refund_requested: the refund of a collected charge was asked for (at most once).
-- transit_deadline: set at the first scan of the original.
ALTER TABLE exchange_tokens
    ADD COLUMN charge_attempt          integer NOT NULL DEFAULT 0 CHECK (charge_attempt >= 0),
    ADD COLUMN charge_refund_requested boolean NOT NULL DEFAULT false,
    ADD COLUMN transit_window_days     integer NOT NULL DEFAULT 14,
    ADD COLUMN transit_deadline        timestamptz;
UPDATE exchange_tokens SET charge_attempt = 1 WHERE charge_raised;
UPDATE exchange_tokens t SET charge_refund_requested = true
 WHERE EXISTS (SELECT 1 FROM outbox_events e
                WHERE e.merchant_id = t.merchant_id AND e.aggregateid = t.exchange_token_id::text
                  AND e.type = 'exchange_token.charge_refund_due');
-- Tokens already in transit get their second deadline from now.
UPDATE exchange_tokens SET transit_deadline = now() + interval '14 days' WHERE state = 'IN_TRANSIT';
ALTER TABLE exchange_tokens ADD CONSTRAINT exchange_tokens_charge_attempt_raised
    CHECK (charge_raised = (charge_attempt > 0));
CREATE INDEX exchange_tokens_in_transit_by_deadline ON exchange_tokens (transit_deadline)
    WHERE state = 'IN_TRANSIT';

-- The return view shows the snapshotted currency, prices and quotes (columns appended; the
-- currency column now reads the return's own snapshot).
CREATE OR REPLACE VIEW return_resources AS
SELECT r.merchant_id,
       r.return_id,
       r.order_id,
       r.state,
       r.cancel_reason,
       r.create_time,
       epoch_us(r.create_time) AS create_time_us,
       epoch_us(r.update_time) AS update_time_us,
       r.version,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'order_line_id', rl.order_line_id, 'quantity', rl.quantity,
                   'reason', rl.reason, 'reason_note', rl.reason_note,
                   'resolution', rl.resolution, 'replacement_sku', rl.replacement_sku,
                   'condition', rl.condition, 'refund_minor', rl.refund_minor,
                   'store_credit_minor', rl.store_credit_minor, 'withheld', rl.withheld,
                   'unit_price_minor', rl.unit_price_minor,
                   'replacement_unit_minor', rl.replacement_unit_minor,
                   'upsell_minor', rl.upsell_minor, 'downsell_minor', rl.downsell_minor)
                   ORDER BY rl.position), '[]')
          FROM return_lines rl
         WHERE rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id) AS lines,
       r.currency_code,
       r.refund_minor,
       r.store_credit_minor,
       r.fees_minor,
       epoch_us(r.resolve_time) AS resolve_time_us,
       r.upsell_minor,
       r.downsell_minor
  FROM returns r;
