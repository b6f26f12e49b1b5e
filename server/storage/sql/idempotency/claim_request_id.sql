-- $1 merchant_id, $2 method, $3 request_id, $4 fingerprint, $5 lifetime in seconds.
-- Returns a row when this transaction owns the key: it was new, or its earlier use expired.
-- A concurrent transaction holding the same key makes this wait until that one ends.
INSERT INTO idempotency_keys (merchant_id, method, request_id, fingerprint, expire_time)
VALUES ($1::uuid, $2, $3, $4, now() + $5::bigint * interval '1 second')
ON CONFLICT (merchant_id, method, request_id) DO UPDATE
   SET fingerprint = EXCLUDED.fingerprint,
       response    = NULL,
       create_time = now(),
       expire_time = EXCLUDED.expire_time
 WHERE idempotency_keys.expire_time < now()
RETURNING 1 AS claimed;
