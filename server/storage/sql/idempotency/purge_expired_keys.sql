-- $1 now (µs), $2 limit. Deletes request ids whose replay window has passed, oldest first, a
-- batch at a time (the expire_time index finds them).
DELETE FROM idempotency_keys
 WHERE ctid IN (SELECT ctid FROM idempotency_keys
                 WHERE expire_time < from_epoch_us($1::bigint)
                 ORDER BY expire_time
                 LIMIT $2);
