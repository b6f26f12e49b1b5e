-- $1 now (µs), $2 limit. ISSUED tokens past expire_time, of every merchant, locked; rows another
-- replica's sweeper holds are skipped, so no token is expired twice.
SELECT merchant_id::text, exchange_token_id::text
  FROM exchange_tokens
 WHERE state = 'ISSUED' AND expire_time <= from_epoch_us($1::bigint)
 ORDER BY expire_time
 LIMIT $2
   FOR UPDATE SKIP LOCKED;
