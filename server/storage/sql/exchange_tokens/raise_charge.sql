-- $1 merchant_id, $2 exchange_token_id. The token becomes CHARGE_DUE with a new charge attempt
-- awaiting its outcome. Callers raise a token's first charge, or retry a failed one explicitly
-- (RetryExchangeTokenCharge): never a second charge while one stands.
UPDATE exchange_tokens
   SET state = 'CHARGE_DUE', charge_raised = true, charge_attempt = charge_attempt + 1,
       charge_outcome = '', version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid;
