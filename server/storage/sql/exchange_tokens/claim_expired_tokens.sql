-- $1 merchant_id, $2 limit. The merchant's ISSUED tokens past expire_time (database clock),
-- locked; rows another replica's sweeper holds are skipped, so no token is expired twice.
SELECT exchange_token_id::text, replacement_sku, quantity, order_id
  FROM exchange_tokens
 WHERE merchant_id = $1::uuid AND state = 'ISSUED' AND expire_time <= now()
 ORDER BY expire_time
 LIMIT $2
   FOR UPDATE SKIP LOCKED;
