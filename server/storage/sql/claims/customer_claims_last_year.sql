-- $1 merchant_id, $2 customer_id, $3 claim_id (left out). The customer's other claims filed in
-- the last 365 days, by the database's clock.
SELECT count(*)::integer AS claim_count
  FROM claims
 WHERE merchant_id = $1::uuid AND customer_id = $2 AND $2 <> ''
   AND claim_id <> $3::uuid AND create_time > now() - interval '365 days';
