-- $1 merchant_id, $2 exchange_token_id. Whether a charge was raised, its reported outcome, the
-- attempt number and whether the refund of a collected charge was requested.
SELECT charge_raised, charge_outcome, charge_attempt, charge_refund_requested FROM exchange_tokens
 WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid;
