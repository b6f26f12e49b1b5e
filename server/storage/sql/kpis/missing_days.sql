-- $1 merchant_id, $2 first day, $3 last day (inclusive), both YYYY-MM-DD. The days in the range
-- not rolled up yet and final (over an hour ago, as in clock.sql): never today or a later day.
SELECT to_char(d, 'YYYY-MM-DD') AS day
  FROM generate_series($2::date, $3::date, interval '1 day') d
 WHERE NOT EXISTS (SELECT 1 FROM kpi_rollup_days k WHERE k.merchant_id = $1::uuid AND k.day = d::date)
   AND d::date <= ((now() - interval '1 hour') AT TIME ZONE 'UTC')::date - 1
 ORDER BY d;
