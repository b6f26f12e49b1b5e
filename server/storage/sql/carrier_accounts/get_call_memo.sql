-- $1 merchant_id, $2 idempotency_key. What the adapter remembered for the key; no row: nothing.
SELECT value FROM carrier_call_memos WHERE merchant_id = $1::uuid AND idempotency_key = $2;
