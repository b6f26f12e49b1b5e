-- $1 merchant_id, $2 sku, $3 quantity. A redeemed reservation leaves the stock: the replacement
-- is being shipped.
UPDATE inventory_levels
   SET reserved = reserved - $3, on_hand = on_hand - $3, update_time = now()
 WHERE merchant_id = $1::uuid AND sku = $2;
