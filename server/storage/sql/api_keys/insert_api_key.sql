-- $1 merchant_id, $2 key_id, $3 secret_hash, $4 role, $5 display_name.
INSERT INTO api_keys (merchant_id, key_id, secret_hash, role, display_name)
VALUES ($1::uuid, $2, $3, $4, $5)
RETURNING epoch_us(create_time) AS create_time_us;
