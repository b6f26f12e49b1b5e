-- $1 merchant_id. One rollup of a merchant's days at a time (a concurrent GetKpis waits, then
-- finds its days done).
SELECT pg_advisory_xact_lock(hashtextextended($1 || '/kpis', 11));
