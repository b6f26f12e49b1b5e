-- $1 merchant_id, $2 version. A kept version.
SELECT version, policy::text, actor, reason, epoch_us(create_time) AS create_time_us
  FROM policy_versions
 WHERE merchant_id = $1::uuid AND version = $2;
