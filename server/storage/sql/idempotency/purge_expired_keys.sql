-- $1 limit. Deletes request ids whose replay window has passed by the database's clock, oldest
-- first, a batch at a time (the expire_time index finds them).
DELETE FROM idempotency_keys
 WHERE ctid IN (SELECT ctid FROM idempotency_keys
                 WHERE expire_time < now()
                 ORDER BY expire_time
                 LIMIT $1);
