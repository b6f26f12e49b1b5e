-- $1 merchant_id, $2 return_id. Counts the return's accepted exchange lines (resolved, original
-- not withheld) into the model, in the transaction that settles them: one per line, whatever its
-- quantity (one customer's choice). Rows are written in key order, as concurrent resolutions of
-- the same SKUs take them.
INSERT INTO exchange_affinities AS a (merchant_id, sku, reason, replacement_sku, exchanges)
SELECT rl.merchant_id, ol.sku, rl.reason, rl.replacement_sku, count(*)
  FROM return_lines rl
  JOIN order_lines ol ON ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id
                     AND ol.line_id = rl.order_line_id
 WHERE rl.merchant_id = $1::uuid AND rl.return_id = $2::uuid AND rl.resolution = 'EXCHANGE'
   AND NOT rl.withheld AND rl.replacement_sku <> ''
 GROUP BY rl.merchant_id, ol.sku, rl.reason, rl.replacement_sku
 ORDER BY ol.sku, rl.reason, rl.replacement_sku
ON CONFLICT (merchant_id, sku, reason, replacement_sku) DO UPDATE
   SET exchanges = a.exchanges + EXCLUDED.exchanges, update_time = now();
