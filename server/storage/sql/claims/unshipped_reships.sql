-- $1 merchant_id, $2 claim_id. How many of the claim's reship parcels the warehouse has not
-- confirmed yet.
SELECT count(*)::integer AS unshipped
  FROM shipments
 WHERE merchant_id = $1::uuid AND claim_id = $2::uuid AND purpose = 'RESHIP' AND state = 'REQUESTED';
