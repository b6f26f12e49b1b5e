-- $1 merchant_id, $2 order_id, $3 delivery time (µs). The DELIVERED scan of the order's own parcel
-- is its delivery time (the return window's start) unless the storefront sent one, and unless
-- the scan claims a time ahead of the database's clock (the same 5 minutes of skew UpsertOrder
-- allows); a scan inside that skew counts as delivered now, never later (as the parcel's own
-- delivery time in shipments/apply_carrier_event.sql). Returns the order when it changed.
UPDATE orders
   SET delivered_time = least(from_epoch_us($3::bigint), now()), version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND order_id = $2 AND delivered_time IS NULL
   AND from_epoch_us($3::bigint) <= now() + interval '5 minutes'
RETURNING order_id;
