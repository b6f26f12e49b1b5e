-- $1 merchant_id, $2 levels (JSON array of {sku, on_hand, currency_code, unit_price_minor,
-- product_id, size, size_rank}). Sets on_hand and price, keeping `reserved`; the caller checked
-- on_hand >= reserved under lock. Empty catalogue fields (product_id, size, size_rank 0) keep the
-- stored ones: a warehouse that syncs stock alone does not erase the storefront's catalogue.
INSERT INTO inventory_levels AS l (merchant_id, sku, on_hand, currency_code, unit_price_minor,
                                   product_id, size, size_rank)
SELECT $1::uuid, r.sku, r.on_hand, r.currency_code, r.unit_price_minor, r.product_id, r.size,
       r.size_rank
  FROM jsonb_to_recordset($2::jsonb) AS r(sku text, on_hand integer, currency_code text,
                                           unit_price_minor bigint, product_id text, size text,
                                           size_rank integer)
 ORDER BY r.sku
ON CONFLICT (merchant_id, sku) DO UPDATE
   SET on_hand          = EXCLUDED.on_hand,
       currency_code    = EXCLUDED.currency_code,
       unit_price_minor = EXCLUDED.unit_price_minor,
       product_id       = CASE WHEN EXCLUDED.product_id = '' THEN l.product_id ELSE EXCLUDED.product_id END,
       size             = CASE WHEN EXCLUDED.size = '' THEN l.size ELSE EXCLUDED.size END,
       size_rank        = CASE WHEN EXCLUDED.size_rank = 0 THEN l.size_rank ELSE EXCLUDED.size_rank END,
       update_time      = now()
RETURNING l.sku, l.on_hand, l.reserved, l.currency_code, l.unit_price_minor,
          epoch_us(l.update_time) AS update_time_us, l.product_id, l.size, l.size_rank;
