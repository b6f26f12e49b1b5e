-- $1 merchant_id, $2 return_id filter ('' for all), $3 state filter ('' for all),
-- $4 after create_time (µs), $5 after exchange_token_id, $6 limit. Oldest first.
SELECT exchange_token_id::text, return_id::text, order_id, order_line_id, replacement_sku, quantity,
       state, currency_code, upsell_minor, downsell_minor, collateral_reference, collateral_minor,
       epoch_us(collateral_expire_time) AS collateral_expire_time_us,
       epoch_us(expire_time) AS expire_time_us, epoch_us(charge_deadline) AS charge_deadline_us,
       epoch_us(create_time) AS create_time_us, epoch_us(update_time) AS update_time_us,
       charge_minor, charge_attempt, epoch_us(transit_deadline) AS transit_deadline_us,
       charge_refund_requested, policy_version
  FROM exchange_tokens
 WHERE merchant_id = $1::uuid
   AND ($2 = '' OR return_id::text = $2)
   AND ($3 = '' OR state = $3)
   AND (create_time, exchange_token_id) > (from_epoch_us($4::bigint), $5::uuid)
 ORDER BY create_time, exchange_token_id
 LIMIT $6;
