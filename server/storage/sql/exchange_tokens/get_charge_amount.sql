-- $1 merchant_id, $2 exchange_token_id. What the payment system is to charge.
SELECT currency_code, charge_minor, collateral_reference FROM exchange_tokens
 WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid;
