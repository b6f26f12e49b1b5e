-- $1 merchant_id, $2 shipment_id, $3 state, $4 event time (µs). A carrier event moved it; the
-- DELIVERED scan's time is kept (claim windows read it), never later than the database's clock:
-- a scan up to 5 minutes ahead (the skew request validation forgives) counts as delivered now,
-- so no window opens and no deadline starts from a time that has not come.
UPDATE shipments
   SET state = $3, last_event_time = from_epoch_us($4::bigint), version = version + 1,
       delivered_time = CASE WHEN $3 = 'DELIVERED'
                             THEN least(from_epoch_us($4::bigint), now())
                             ELSE delivered_time END,
       update_time = now()
 WHERE merchant_id = $1::uuid AND shipment_id = $2::uuid;
