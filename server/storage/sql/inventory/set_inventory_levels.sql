-- $1 merchant_id, $2 levels (JSON array of {sku, on_hand, currency_code, unit_price_minor}).
-- Sets on_hand and price, keeping `reserved`; the caller checked on_hand >= reserved under lock.
INSERT INTO inventory_levels AS l (merchant_id, sku, on_hand, currency_code, unit_price_minor)
SELECT $1::uuid, r.sku, r.on_hand, r.currency_code, r.unit_price_minor
  FROM jsonb_to_recordset($2::jsonb) AS r(sku text, on_hand integer, currency_code text,
                                           unit_price_minor bigint)
 ORDER BY r.sku
ON CONFLICT (merchant_id, sku) DO UPDATE
   SET on_hand          = EXCLUDED.on_hand,
       currency_code    = EXCLUDED.currency_code,
       unit_price_minor = EXCLUDED.unit_price_minor,
       update_time      = now()
RETURNING l.sku, l.on_hand, l.reserved, l.currency_code, l.unit_price_minor, epoch_us(l.update_time);
