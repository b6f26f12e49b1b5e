-- $1 merchant_id, $2 key_id. Revokes the key (once: a revoked key keeps its first revoke_time).
UPDATE api_keys
   SET revoke_time = coalesce(revoke_time, now())
 WHERE merchant_id = $1::uuid AND key_id = $2
RETURNING key_id, display_name, role, epoch_us(create_time), epoch_us(revoke_time);
