-- $1 merchant_id, $2 order_id, $3 delivery time (µs). The DELIVERED scan of the order's own parcel
-- is its delivery time (the return window's start) unless the storefront sent one.
UPDATE orders
   SET delivered_time = from_epoch_us($3::bigint), version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND order_id = $2 AND delivered_time IS NULL;
