-- $1 merchant_id, $2 order_id, $3 return_id, $4 sku, $5 quantity. A replacement to ship.
INSERT INTO shipments (merchant_id, order_id, return_id, direction, state, sku, quantity)
VALUES ($1::uuid, $2, $3::uuid, 'OUTBOUND', 'REQUESTED', $4, $5)
RETURNING shipment_id::text;
