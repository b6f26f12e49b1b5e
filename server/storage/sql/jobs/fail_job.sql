-- $1 merchant_id, $2 job_id, $3 attempt, $4 retry delay (ms), $5 give up now (permanent
-- error), $6 error text. Schedules the retry, or dead-letters the job when attempts are spent.
UPDATE jobs
   SET state = CASE WHEN $5::boolean OR attempts >= max_attempts THEN 'DEAD' ELSE 'PENDING' END,
       run_after = now() + $4::bigint * interval '1 millisecond',
       locked_until = NULL, last_error = left($6, 1000), update_time = now()
 WHERE merchant_id = $1::uuid AND job_id = $2::uuid AND state = 'RUNNING' AND attempts = $3
RETURNING state;
