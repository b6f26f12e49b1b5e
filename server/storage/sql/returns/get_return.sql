-- $1 merchant_id, $2 return_id.
SELECT v.return_id::text, v.order_id, v.state, v.cancel_reason, v.create_time_us, v.update_time_us,
       v.version, v.lines::text, v.currency_code, v.refund_minor, v.store_credit_minor, v.fees_minor,
       v.resolve_time_us, v.upsell_minor, v.downsell_minor,
       r.policy_version, r.plan_restocking_fee_minor, r.plan_return_shipping_fee_minor, r.risk::text,
       r.plan::text, r.shipping_refund_minor, v.money_state,
       r.gift_recipient::text, r.bonus_credit_minor + r.exchange_bonus_minor AS bonus_given_minor,
       r.bonus_withdrawn
  FROM return_resources v
  JOIN returns r USING (merchant_id, return_id)
 WHERE v.merchant_id = $1::uuid AND v.return_id = $2::uuid;
