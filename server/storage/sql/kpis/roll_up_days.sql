-- $1 merchant_id, $2 first day, $3 last day (inclusive; both over), both YYYY-MM-DD. Writes the
-- days' figures and resolution-time buckets once (a day already rolled up is left as it is) and
-- marks them done. A day not final yet (as in clock.sql) is skipped whatever the caller passed:
-- its figures can still change, and a marked day is never computed again.
-- The caller holds the merchant's rollup lock.
WITH todo AS (
    SELECT d::date AS day
      FROM generate_series($2::date, $3::date, interval '1 day') d
     WHERE NOT EXISTS (SELECT 1 FROM kpi_rollup_days k WHERE k.merchant_id = $1::uuid AND k.day = d::date)
       AND d::date <= ((now() - interval '1 hour') AT TIME ZONE 'UTC')::date - 1
), figures AS (
    INSERT INTO kpi_daily
    SELECT $1::uuid, f.*
      FROM kpi_figures($1::uuid, $2::date, $3::date + 1) f
     WHERE f.day IN (SELECT day FROM todo)
    ON CONFLICT DO NOTHING
), buckets AS (
    INSERT INTO kpi_resolution_days
    SELECT $1::uuid, b.*
      FROM kpi_resolution_buckets($1::uuid, $2::date, $3::date + 1) b
     WHERE b.day IN (SELECT day FROM todo)
    ON CONFLICT DO NOTHING
)
INSERT INTO kpi_rollup_days (merchant_id, day)
SELECT $1::uuid, day FROM todo
ON CONFLICT DO NOTHING;
