-- $1 merchant_id, $2 order_id, $3 customer_id, $4 customer_email, $5 currency_code,
-- $6 shipping_address (JSON), $7 order_time (µs or ''), $8 delivered_time (µs or ''),
-- $9 content_hash, $10 tax_mode, $11 money (proto JSON: order discount, codes, shipping and its
-- tax lines), $12 shipping_paid_minor, $13 shipping_tax_minor.
-- Returns a row only when something changed: `inserted` tells a new order from an update.
INSERT INTO orders (merchant_id, order_id, customer_id, customer_email, currency_code,
                    shipping_address, order_time, delivered_time, content_hash, tax_mode, money,
                    shipping_paid_minor, shipping_tax_minor)
VALUES ($1::uuid, $2, $3, $4, $5, $6::jsonb,
        from_epoch_us(NULLIF($7, '')::bigint), from_epoch_us(NULLIF($8, '')::bigint), $9, $10,
        $11::jsonb, $12, $13)
ON CONFLICT (merchant_id, order_id) DO UPDATE
   SET customer_id      = EXCLUDED.customer_id,
       customer_email   = EXCLUDED.customer_email,
       currency_code    = EXCLUDED.currency_code,
       shipping_address = EXCLUDED.shipping_address,
       order_time       = EXCLUDED.order_time,
       -- A delivery time once known (sent, or the parcel's DELIVERED scan) is kept by a re-sync
       -- that has none.
       delivered_time   = coalesce(EXCLUDED.delivered_time, orders.delivered_time),
       content_hash     = EXCLUDED.content_hash,
       tax_mode         = EXCLUDED.tax_mode,
       money            = EXCLUDED.money,
       shipping_paid_minor = EXCLUDED.shipping_paid_minor,
       shipping_tax_minor  = EXCLUDED.shipping_tax_minor,
       version          = orders.version + 1,
       update_time      = now()
 WHERE orders.content_hash <> EXCLUDED.content_hash
RETURNING (xmax = 0) AS inserted;
