-- $1 merchant_id, $2 return_id. The return's labels not used yet (locked), to void them.
SELECT shipment_id::text, state, tracking_number
  FROM shipments
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid AND direction = 'INBOUND'
   AND state IN ('REQUESTED', 'LABEL_CREATED')
 ORDER BY shipment_id
   FOR UPDATE;
