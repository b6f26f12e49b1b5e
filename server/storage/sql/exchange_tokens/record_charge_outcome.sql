-- $1 merchant_id, $2 exchange_token_id, $3 outcome (CHARGED or CHARGE_FAILED).
UPDATE exchange_tokens
   SET charge_outcome = $3, version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid;
