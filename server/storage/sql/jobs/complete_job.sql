-- $1 merchant_id, $2 job_id, $3 attempt. Marks the job done, only for the worker holding this
-- attempt (a worker whose lease ran out and was overtaken gets no row and rolls back).
UPDATE jobs
   SET state = 'SUCCEEDED', locked_until = NULL, last_error = '', update_time = now()
 WHERE merchant_id = $1::uuid AND job_id = $2::uuid AND state = 'RUNNING' AND attempts = $3
RETURNING 1;
