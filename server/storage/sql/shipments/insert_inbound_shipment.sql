-- $1 merchant_id, $2 order_id, $3 return_id, $4 carrier. A return label, requested.
INSERT INTO shipments (merchant_id, order_id, return_id, direction, state, carrier)
VALUES ($1::uuid, $2, $3::uuid, 'INBOUND', 'REQUESTED', $4)
RETURNING shipment_id::text;
