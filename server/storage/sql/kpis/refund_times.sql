-- $1 merchant_id, $2 first day, $3 last day (YYYY-MM-DD, UTC days), $4 sku ('' for all).
-- The refund movements (a return's REFUND, a claim's CLAIM_REFUND) whose outcome fell in the
-- range, per day and for the whole range (the row whose day is NULL): how many SUCCEEDED, how
-- many FAILED, and the nearest-rank median and 90th percentile of the seconds from the return's
-- receipt (a claim's, or a return received before receipt times were kept: from the refund's
-- request) to SUCCEEDED. With a SKU: only refunds of returns with a line of that SKU.
WITH outcomes AS (
    SELECT m.state,
           (m.outcome_time AT TIME ZONE 'UTC')::date AS day,
           extract(epoch FROM m.outcome_time - coalesce(r.receive_time, m.create_time))::float8
               AS seconds
      FROM money_movements m
      LEFT JOIN returns r
        ON r.merchant_id = m.merchant_id
       AND r.return_id = (CASE WHEN m.kind = 'REFUND' THEN substr(m.subject, 9) END)::uuid
     WHERE m.merchant_id = $1::uuid
       AND m.kind IN ('REFUND', 'CLAIM_REFUND')
       AND m.state IN ('SUCCEEDED', 'FAILED')
       AND m.outcome_time >= ($2::date::timestamp AT TIME ZONE 'UTC')
       AND m.outcome_time < (($3::date + 1)::timestamp AT TIME ZONE 'UTC')
       AND ($4 = '' OR EXISTS (
               SELECT 1
                 FROM return_lines rl
                 JOIN order_lines ol ON ol.merchant_id = rl.merchant_id
                                    AND ol.order_id = rl.order_id
                                    AND ol.line_id = rl.order_line_id
                WHERE rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id
                  AND ol.sku = $4))
)
SELECT to_char(day, 'YYYY-MM-DD') AS day,
       count(*) FILTER (WHERE state = 'SUCCEEDED') AS succeeded,
       count(*) FILTER (WHERE state = 'FAILED') AS failed,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY seconds)
           FILTER (WHERE state = 'SUCCEEDED') AS p50_seconds,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY seconds)
           FILTER (WHERE state = 'SUCCEEDED') AS p90_seconds
  FROM outcomes
 GROUP BY GROUPING SETS ((day), ());
