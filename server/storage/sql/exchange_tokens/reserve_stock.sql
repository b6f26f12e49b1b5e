-- $1 merchant_id, $2 sku, $3 quantity. Reserves stock if enough is available; no row: not enough
-- (or no such SKU). Concurrent reservations queue on the row, so stock is never over-reserved.
UPDATE inventory_levels
   SET reserved = reserved + $3, update_time = now()
 WHERE merchant_id = $1::uuid AND sku = $2 AND on_hand - reserved >= $3
RETURNING currency_code, unit_price_minor;
