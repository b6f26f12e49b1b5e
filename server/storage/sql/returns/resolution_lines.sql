-- $1 merchant_id, $2 return_id. Each line with the price and exchange quote snapshotted when
-- the return was created, in position order, with the fees of its plan (NULL before plans were
-- kept), each line's own planned restocking fee (NULL before per-line fees) and its planned bonus
-- credit (0 once a person withdrew the return's bonus: OverrideDecision on bonus_credit).
SELECT rl.order_line_id, rl.resolution, rl.unit_price_minor, rl.quantity, rl.condition,
       rl.replacement_sku, r.currency_code, rl.upsell_minor, rl.downsell_minor,
       r.plan_restocking_fee_minor, r.plan_return_shipping_fee_minor,
       rl.plan_restocking_fee_minor AS line_restocking_fee_minor, rl.paid_minor,
       r.shipping_refund_minor, r.gift_recipient::text,
       CASE WHEN r.bonus_withdrawn THEN 0 ELSE rl.bonus_credit_minor END AS bonus_credit_minor
  FROM return_lines rl
  JOIN returns r ON r.merchant_id = rl.merchant_id AND r.return_id = rl.return_id
 WHERE rl.merchant_id = $1::uuid AND rl.return_id = $2::uuid
 ORDER BY rl.position;
