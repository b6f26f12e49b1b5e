-- $1 merchant_id, $2 shipment_id, $3 carrier, $4 tracking_number. The warehouse shipped it.
UPDATE shipments
   SET state = 'LABEL_CREATED', carrier = $3, tracking_number = $4, version = version + 1,
       update_time = now()
 WHERE merchant_id = $1::uuid AND shipment_id = $2::uuid;
