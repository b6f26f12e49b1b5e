-- $1 merchant_id, $2 version, $3 policy (JSON), $4 actor, $5 reason. Keeps a version; nothing when
-- it is kept already.
INSERT INTO policy_versions (merchant_id, version, policy, actor, reason)
VALUES ($1::uuid, $2, $3::jsonb, $4, $5)
ON CONFLICT (merchant_id, version) DO NOTHING;
