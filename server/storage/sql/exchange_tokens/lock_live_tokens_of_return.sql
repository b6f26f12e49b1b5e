-- $1 merchant_id, $2 return_id. The return's tokens that still matter (not expired, revoked or
-- settled), locked: what cancelling or receiving the return must deal with.
SELECT exchange_token_id::text, state, replacement_sku, quantity, order_id, order_line_id
  FROM exchange_tokens
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid
   AND state NOT IN ('EXPIRED', 'REVOKED', 'SETTLED')
 ORDER BY exchange_token_id
   FOR UPDATE;
