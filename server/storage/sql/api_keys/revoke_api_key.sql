-- $1 merchant_id, $2 key_id. Revokes the key (once: a revoked key keeps its first revoke_time).
-- The NOTIFY, delivered at commit to every replica's change listener, ends the key's open
-- streams at once (api/live_stream.h); unary calls are refused from the next one anyway.
UPDATE api_keys
   SET revoke_time = coalesce(revoke_time, now())
 WHERE merchant_id = $1::uuid AND key_id = $2
RETURNING key_id, display_name, role, epoch_us(create_time) AS create_time_us,
          epoch_us(revoke_time) AS revoke_time_us,
          pg_notify('returns_changes', 'revoked/' || key_id);
