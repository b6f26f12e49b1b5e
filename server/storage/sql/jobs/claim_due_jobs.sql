-- $1 limit, $2 lease (ms). Takes due jobs of any merchant: pending ones whose time has come and
-- running ones whose worker's lease ran out (it crashed or hung). SKIP LOCKED lets every
-- replica's worker claim at once without waiting on or taking the same job; the claim commits
-- before the job runs, so the lease survives the worker's crash.
WITH due AS (
    SELECT merchant_id, job_id
      FROM jobs
     WHERE (state = 'PENDING' AND run_after <= now())
        OR (state = 'RUNNING' AND locked_until < now())
     ORDER BY run_after
     LIMIT $1
       FOR UPDATE SKIP LOCKED
)
UPDATE jobs j
   SET state = 'RUNNING', attempts = j.attempts + 1,
       locked_until = now() + $2::bigint * interval '1 millisecond', update_time = now()
  FROM due
 WHERE j.merchant_id = due.merchant_id AND j.job_id = due.job_id
RETURNING j.merchant_id::text, j.job_id::text, j.kind, j.dedup_key, j.order_id, j.subject_id,
          j.payload::text, j.attempts, j.max_attempts;
