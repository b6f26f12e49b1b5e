-- $1 merchant_id, $2 token_hash. The token, locked, with its return's state and whether it is
-- still within its life by the database's clock.
SELECT t.exchange_token_id::text, t.state, t.expire_time > now() AS alive, t.replacement_sku,
       t.quantity, t.order_id, t.return_id::text, t.charge_window_days, r.state AS return_state
  FROM exchange_tokens t
  JOIN returns r ON r.merchant_id = t.merchant_id AND r.return_id = t.return_id
 WHERE t.merchant_id = $1::uuid AND t.token_hash = $2
   FOR UPDATE OF t;
