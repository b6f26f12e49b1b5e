-- $1 the last final day, $2 limit. Merchants with a final day not rolled up yet, from their first
-- order (or their creation) to $1, with the newest such day: what the sweeper rolls up next.
SELECT m.merchant_id::text, to_char(missing.day, 'YYYY-MM-DD') AS missing_day
  FROM merchants m
 CROSS JOIN LATERAL (
       SELECT d::date AS day
         FROM generate_series(
                  greatest($1::date - 365,
                           least(m.create_time, coalesce((SELECT min(o.create_time) FROM orders o
                                                           WHERE o.merchant_id = m.merchant_id), m.create_time))::date),
                  $1::date, interval '1 day') d
        WHERE NOT EXISTS (SELECT 1 FROM kpi_rollup_days k WHERE k.merchant_id = m.merchant_id AND k.day = d::date)
        ORDER BY d DESC
        LIMIT 1) missing
 ORDER BY random()  -- a merchant whose rollup keeps failing does not hold up the others
 LIMIT $2;
