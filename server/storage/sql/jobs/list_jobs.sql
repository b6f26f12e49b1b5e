-- $1 merchant_id, $2 state filter ('' for all), $3 after create_time (µs), $4 after job_id,
-- $5 limit. Oldest first.
SELECT job_id::text, kind, order_id, subject_id, state, attempts, max_attempts,
       epoch_us(run_after) AS run_after_us, last_error, epoch_us(create_time) AS create_time_us,
       epoch_us(update_time) AS update_time_us
  FROM jobs
 WHERE merchant_id = $1::uuid
   AND ($2 = '' OR state = $2)
   AND (create_time, job_id) > (from_epoch_us($3::bigint), $4::uuid)
 ORDER BY create_time, job_id
 LIMIT $5;
