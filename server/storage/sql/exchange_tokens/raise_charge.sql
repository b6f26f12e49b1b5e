-- $1 merchant_id, $2 exchange_token_id. The token becomes CHARGE_DUE and remembers it.
UPDATE exchange_tokens
   SET state = 'CHARGE_DUE', charge_raised = true, version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid;
