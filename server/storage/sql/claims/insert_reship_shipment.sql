-- $1 merchant_id, $2 order_id, $3 claim_id, $4 sku, $5 quantity. A claim's replacement to ship.
INSERT INTO shipments (merchant_id, order_id, direction, state, sku, quantity, purpose, claim_id)
VALUES ($1::uuid, $2, 'OUTBOUND', 'REQUESTED', $4, $5, 'RESHIP', $3::uuid)
RETURNING shipment_id::text;
