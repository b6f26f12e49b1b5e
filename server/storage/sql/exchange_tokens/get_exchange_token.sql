-- $1 merchant_id, $2 exchange_token_id.
SELECT exchange_token_id::text, return_id::text, order_id, order_line_id, replacement_sku, quantity,
       state, currency_code, upsell_minor, downsell_minor, collateral_reference, collateral_minor,
       epoch_us(collateral_expire_time) AS collateral_expire_time_us,
       epoch_us(expire_time) AS expire_time_us, epoch_us(charge_deadline) AS charge_deadline_us,
       epoch_us(create_time) AS create_time_us, epoch_us(update_time) AS update_time_us,
       charge_minor, charge_attempt, epoch_us(transit_deadline) AS transit_deadline_us,
       charge_refund_requested, policy_version
  FROM exchange_tokens
 WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid;
