-- $1 merchant_id, $2 SKUs (JSON array of strings). The current price of each replacement a new
-- return asks for: what its exchange quote is computed from (and then snapshotted).
SELECT l.sku, l.currency_code, l.unit_price_minor
  FROM inventory_levels l
 WHERE l.merchant_id = $1::uuid
   AND l.sku IN (SELECT jsonb_array_elements_text($2::jsonb));
