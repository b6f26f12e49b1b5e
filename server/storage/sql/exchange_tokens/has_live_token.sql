-- $1 merchant_id, $2 return_id, $3 order_line_id.
SELECT exchange_token_id::text FROM exchange_tokens
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid AND order_line_id = $3
   AND state NOT IN ('EXPIRED', 'REVOKED');
