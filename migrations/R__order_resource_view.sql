-- Repeatable (migrations/README.md, "Repeatable migrations"): the order as the API shows it, one
-- row with its lines as a JSON array. Re-applied whenever this file changes, after the versioned
-- migrations. V0009 created the view and V0025 rewrote it whole; this is V0025's definition, and
-- the only place it is changed from now on. CREATE OR REPLACE VIEW keeps the columns in this
-- order and may only append new ones at the end (the additive rule); a change that drops,
-- renames or retypes a column is a contract step: a V file drops the view, and this file, changed
-- in the same release, creates it again.
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
                   'returned_quantity', ol.returned_quantity, 'category', ol.category,
                   'money', ol.money, 'paid_minor', coalesce(ol.paid_minor, ol.unit_price_minor * ol.quantity), 'tax_minor', ol.tax_minor)
                   ORDER BY ol.position), '[]')
          FROM order_lines ol
         WHERE ol.merchant_id = o.merchant_id AND ol.order_id = o.order_id) AS lines,
       -- V0032: money as paid (docs/money.md)
       o.tax_mode,
       o.money,
       o.shipping_paid_minor,
       o.shipping_tax_minor,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'payment_id', op.payment_id, 'kind', op.kind,
                   'amount_minor', op.amount_minor, 'reference', op.reference,
                   'refunded_minor', op.refunded_minor) ORDER BY op.position), '[]')
          FROM order_payments op
         WHERE op.merchant_id = o.merchant_id AND op.order_id = o.order_id) AS payments,
       o.gift_code_sha256 IS NOT NULL AS has_gift_code
  FROM orders o;
