-- $1 merchant_id, $2 first day, $3 last day (inclusive), $4 sku ('' for the whole merchant).
-- Resolved returns by day and resolution-time bucket, over every currency.
SELECT to_char(day, 'YYYY-MM-DD') AS day, bucket, sum(returns)::bigint AS returns
  FROM kpi_resolution_days
 WHERE merchant_id = $1::uuid AND sku = $4 AND day BETWEEN $2::date AND $3::date
 GROUP BY day, bucket;
