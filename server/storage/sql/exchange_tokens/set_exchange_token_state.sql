-- $1 merchant_id, $2 exchange_token_id, $3 new state.
UPDATE exchange_tokens
   SET state = $3, version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid;
