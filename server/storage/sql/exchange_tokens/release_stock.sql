-- $1 merchant_id, $2 sku, $3 quantity. Gives a reservation back (expiry, revocation).
UPDATE inventory_levels
   SET reserved = reserved - $3, update_time = now()
 WHERE merchant_id = $1::uuid AND sku = $2;
