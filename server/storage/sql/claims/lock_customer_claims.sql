-- $1 merchant_id, $2 customer_id. Serializes the claims of one customer (a transaction-scoped
-- advisory lock) so two claims filed at once on different orders both count the other in the
-- customer's history. Taken after the order's lines; FileClaim never locks another order's.
SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 7)) WHERE $2 <> '';
