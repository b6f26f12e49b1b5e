-- $1 merchant_id, $2 after create_time (µs), $3 after key_id, $4 limit. Oldest first.
SELECT key_id, display_name, role, epoch_us(create_time) AS create_time_us,
       epoch_us(revoke_time) AS revoke_time_us
  FROM api_keys
 WHERE merchant_id = $1::uuid
   AND (create_time, key_id) > (from_epoch_us($2::bigint), $3)
 ORDER BY create_time, key_id
 LIMIT $4;
