-- $1 merchant_id, $2 exchange_token_id.
SELECT exchange_token_id::text, state, epoch_us(expire_time) AS expire_time_us, replacement_sku,
       quantity, order_id, return_id::text, charge_window_days
  FROM exchange_tokens
 WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid
   FOR UPDATE;
