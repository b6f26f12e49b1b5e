-- $1 merchant_id, $2 shipment_id, $3 state, $4 event time (µs). A carrier event moved it.
UPDATE shipments
   SET state = $3, last_event_time = from_epoch_us($4::bigint), version = version + 1,
       update_time = now()
 WHERE merchant_id = $1::uuid AND shipment_id = $2::uuid;
