-- $1 key_id. Who a key belongs to and what it may do; the only lookup not scoped by merchant,
-- because the merchant is what it finds out. The caller compares the hash in constant time.
SELECT k.merchant_id::text, k.secret_hash, k.role, k.revoke_time IS NOT NULL AS revoked, m.operator
  FROM api_keys k
  JOIN merchants m ON m.merchant_id = k.merchant_id
 WHERE k.key_id = $1;
