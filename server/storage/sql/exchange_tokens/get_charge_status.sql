-- $1 merchant_id, $2 exchange_token_id. Whether a charge was raised and its reported outcome.
SELECT charge_raised, charge_outcome FROM exchange_tokens
 WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid;
