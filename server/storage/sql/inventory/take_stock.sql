-- $1 merchant_id, $2 sku, $3 quantity. Takes stock for a replacement requested at resolution (no
-- token reserved it) if enough is available; no row: not enough, or the SKU is not tracked here.
UPDATE inventory_levels
   SET on_hand = on_hand - $3, update_time = now()
 WHERE merchant_id = $1::uuid AND sku = $2 AND on_hand - reserved >= $3
RETURNING on_hand;
