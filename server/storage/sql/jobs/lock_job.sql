-- $1 merchant_id, $2 job_id.
SELECT state FROM jobs WHERE merchant_id = $1::uuid AND job_id = $2::uuid FOR UPDATE;
