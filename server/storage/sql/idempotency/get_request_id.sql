-- $1 merchant_id, $2 method, $3 request_id. The stored fingerprint and response (hex).
SELECT fingerprint, encode(response, 'hex') AS response_hex
  FROM idempotency_keys
 WHERE merchant_id = $1::uuid AND method = $2 AND request_id = $3;
