-- $1 merchant_id, $2 idempotency_key, $3 value. Remembers the value (the last one wins).
INSERT INTO carrier_call_memos (merchant_id, idempotency_key, value) VALUES ($1::uuid, $2, $3)
    ON CONFLICT (merchant_id, idempotency_key) DO UPDATE SET value = EXCLUDED.value;
