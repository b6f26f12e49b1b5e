-- $1 merchant_id, $2 shipment_id, $3 state (the caller holds the row lock).
UPDATE shipments
   SET state = $3, version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND shipment_id = $2::uuid;
