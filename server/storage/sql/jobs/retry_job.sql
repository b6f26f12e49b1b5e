-- $1 merchant_id, $2 job_id, $3 more attempts. A dead job back in line, due now, with $3 more
-- attempts. `attempts` keeps counting (never reset), so it stays a fence: a worker of an earlier
-- attempt that wakes up late can never complete or fail the job's new run.
UPDATE jobs
   SET state = 'PENDING', max_attempts = attempts + $3, run_after = now(), last_error = '',
       update_time = now()
 WHERE merchant_id = $1::uuid AND job_id = $2::uuid
RETURNING job_id::text, kind, order_id, subject_id, state, attempts, max_attempts,
          epoch_us(run_after) AS run_after_us, last_error, epoch_us(create_time) AS create_time_us,
          epoch_us(update_time) AS update_time_us;
