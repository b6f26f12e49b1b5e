-- $1 merchant_id, $2 claim_id. Locks the claim; what its use cases decide on.
SELECT state, order_id, version, evidence_requested, type, claim_value_minor, customer_id,
       shipment_id::text, currency_code, create_time
  FROM claims
 WHERE merchant_id = $1::uuid AND claim_id = $2::uuid
   FOR UPDATE;
