-- $1 merchant_id, $2 shipment_id. Locks the shipment for a change.
SELECT state, direction, order_id, coalesce(return_id::text, '') AS return_id, carrier,
       tracking_number, purpose, coalesce(claim_id::text, '') AS claim_id
  FROM shipments
 WHERE merchant_id = $1::uuid AND shipment_id = $2::uuid
   FOR UPDATE;
