-- $1 key_id. Whether the key was revoked (open streams re-check their key with it).
SELECT revoke_time IS NOT NULL AS revoked FROM api_keys WHERE key_id = $1;
