-- $1 merchant_id, $2 shipment_id, $3 carrier_reference.
UPDATE shipments
   SET carrier_reference = $3, version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND shipment_id = $2::uuid;
