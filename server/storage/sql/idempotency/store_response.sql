-- $1 merchant_id, $2 method, $3 request_id, $4 serialized response (hex).
UPDATE idempotency_keys
   SET response = decode($4, 'hex')
 WHERE merchant_id = $1::uuid AND method = $2 AND request_id = $3;
