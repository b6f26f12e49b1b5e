-- $1 merchant_id, $2 job_id. A dead job back in line, due now, with fresh attempts.
UPDATE jobs
   SET state = 'PENDING', attempts = 0, run_after = now(), last_error = '', update_time = now()
 WHERE merchant_id = $1::uuid AND job_id = $2::uuid
RETURNING job_id::text, kind, order_id, subject_id, state, attempts, max_attempts,
          epoch_us(run_after), last_error, epoch_us(create_time), epoch_us(update_time);
