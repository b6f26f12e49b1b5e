-- $1 merchant_id, $2 return_id. The return's label that is not voided, if any (newest first).
SELECT shipment_id::text
  FROM shipments
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid AND direction = 'INBOUND'
   AND state <> 'VOIDED'
 ORDER BY create_time DESC
 LIMIT 1;
