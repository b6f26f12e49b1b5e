-- $1 merchant_id, $2 carrier, $3 event_id, $4 tracking_number, $5 shipment_id, $6 code,
-- $7 event time (µs), $8 location, $9 outcome. No row back: the event was recorded before.
INSERT INTO carrier_events (merchant_id, carrier, event_id, tracking_number, shipment_id, code,
                            event_time, location, outcome)
VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6, from_epoch_us($7::bigint), $8, $9)
ON CONFLICT (merchant_id, carrier, event_id) DO NOTHING
RETURNING 1;
