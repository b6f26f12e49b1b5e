-- $1 merchant_id, $2 exchange_token_id. Records that the refund of the collected charge was
-- requested; returns a row only the first time, so the refund is asked for at most once.
UPDATE exchange_tokens
   SET charge_refund_requested = true, version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid AND NOT charge_refund_requested
RETURNING 1;
