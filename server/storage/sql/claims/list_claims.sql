-- $1 merchant_id, $2 order_id ('' = any), $3 state ('' = any), $4 type ('' = any),
-- $5 after create_time (µs), $6 after claim_id, $7 limit. Oldest first: the review queue's order.
SELECT claim_id::text, epoch_us(create_time) AS create_time_us
  FROM claims
 WHERE merchant_id = $1::uuid
   AND ($2 = '' OR order_id = $2)
   AND ($3 = '' OR state = $3)
   AND ($4 = '' OR type = $4)
   AND (create_time, claim_id) > (from_epoch_us($5::bigint), $6::uuid)
 ORDER BY create_time, claim_id
 LIMIT $7;
