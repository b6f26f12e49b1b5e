-- $1 merchant_id, $2 claim_id. Locks the stock rows of the claimed SKUs (in SKU order, like every
-- stock writer) and says how many units each has available. A SKU without a row is not stocked.
SELECT i.sku, i.on_hand - i.reserved AS available
  FROM inventory_levels i
 WHERE i.merchant_id = $1::uuid
   AND i.sku IN (SELECT sku FROM claim_lines WHERE merchant_id = $1::uuid AND claim_id = $2::uuid)
 ORDER BY i.sku
   FOR UPDATE;
