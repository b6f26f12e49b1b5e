-- $1 merchant_id, $2 SKUs (JSON array of strings). Locks the existing levels in SKU order (so
-- concurrent writers never deadlock) and returns what tokens hold of each.
SELECT l.sku, l.reserved
  FROM inventory_levels l
 WHERE l.merchant_id = $1::uuid
   AND l.sku IN (SELECT jsonb_array_elements_text($2::jsonb))
 ORDER BY l.sku
   FOR UPDATE;
