-- $1 merchant_id, $2 first day, $3 last day (inclusive), $4 sku ('' for the whole merchant).
SELECT to_char(day, 'YYYY-MM-DD') AS day, bucket, sum(returns)::bigint AS returns
  FROM kpi_resolution_buckets($1::uuid, $2::date, $3::date + 1)
 WHERE sku = $4
 GROUP BY 1, 2;
