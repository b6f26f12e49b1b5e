-- Issue 13's policy fields: return windows per category and per SKU, final-sale categories,
-- percentage restocking fees and fees on store credit, and the costs the KPIs use. Order lines
-- carry their product category; return lines keep the restocking fee their plan set. Additive only.
ALTER TABLE policies
    ADD COLUMN category_return_window_days jsonb NOT NULL DEFAULT '{}'
        CHECK (jsonb_typeof(category_return_window_days) = 'object'),
    ADD COLUMN sku_return_window_days jsonb NOT NULL DEFAULT '{}'
        CHECK (jsonb_typeof(sku_return_window_days) = 'object'),
    ADD COLUMN final_sale_categories text[] NOT NULL DEFAULT '{}',
    ADD COLUMN restocking_fee_basis_points integer NOT NULL DEFAULT 0
        CHECK (restocking_fee_basis_points BETWEEN 0 AND 10000),
    ADD COLUMN store_credit_restocking_fee_minor bigint NOT NULL DEFAULT 0
        CHECK (store_credit_restocking_fee_minor >= 0),
    ADD COLUMN store_credit_restocking_fee_basis_points integer NOT NULL DEFAULT 0
        CHECK (store_credit_restocking_fee_basis_points BETWEEN 0 AND 10000),
    ADD COLUMN return_label_cost_minor bigint NOT NULL DEFAULT 0 CHECK (return_label_cost_minor >= 0),
    ADD COLUMN handling_cost_minor bigint NOT NULL DEFAULT 0 CHECK (handling_cost_minor >= 0);

ALTER TABLE order_lines ADD COLUMN category text NOT NULL DEFAULT '';

-- The restocking fee the return's plan set for the line (NULL for returns planned before: their
-- return-level plan fee applies to refunded lines, as it did).
ALTER TABLE return_lines
    ADD COLUMN plan_restocking_fee_minor bigint CHECK (plan_restocking_fee_minor >= 0);

-- The order as the API shows it, now with each line's category.
CREATE OR REPLACE VIEW order_resources AS
SELECT o.merchant_id,
       o.order_id,
       o.customer_id,
       o.customer_email,
       o.currency_code,
       o.shipping_address,
       epoch_us(o.order_time)     AS order_time_us,
       epoch_us(o.delivered_time) AS delivered_time_us,
       epoch_us(o.create_time)    AS create_time_us,
       epoch_us(o.update_time)    AS update_time_us,
       o.version,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'line_id', ol.line_id, 'sku', ol.sku, 'product_id', ol.product_id,
                   'title', ol.title, 'variant_attributes', ol.variant_attributes,
                   'quantity', ol.quantity, 'unit_price_minor', ol.unit_price_minor,
                   'returned_quantity', ol.returned_quantity, 'category', ol.category)
                   ORDER BY ol.position), '[]')
          FROM order_lines ol
         WHERE ol.merchant_id = o.merchant_id AND ol.order_id = o.order_id) AS lines
  FROM orders o;

-- The return as the API shows it, now with each line's planned restocking fee.
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
                   'upsell_minor', rl.upsell_minor, 'downsell_minor', rl.downsell_minor,
                   'plan_restocking_fee_minor', rl.plan_restocking_fee_minor)
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
