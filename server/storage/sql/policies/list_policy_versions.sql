-- $1 merchant_id, $2 before version, $3 limit. Kept versions, newest first.
SELECT version, policy::text, actor, reason, epoch_us(create_time) AS create_time_us
  FROM policy_versions
 WHERE merchant_id = $1::uuid AND version < $2
 ORDER BY version DESC
 LIMIT $3;
