-- $1 merchant_id, $2 version, $3 policy (JSON), $4 actor, $5 reason, $6 when it took effect (µs).
-- Keeps a version; nothing when it is kept already.
INSERT INTO policy_versions (merchant_id, version, policy, actor, reason, create_time)
VALUES ($1::uuid, $2, $3::jsonb, $4, $5, from_epoch_us($6::bigint))
ON CONFLICT (merchant_id, version) DO NOTHING;
