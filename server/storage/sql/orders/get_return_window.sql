-- $1 merchant_id, $2 order_id. What the return rules need to know about the order and policy,
-- and the database's clock (every deadline is judged by it, never by a replica's own clock);
-- auto_approve_max_minor to policy_version are the orchestration policy
-- (policies/get_orchestration_policy.sql's) and its version, so that CreateReturn and
-- PreviewReturn read the policy once; category_return_window_days on the per-line rules (windows
-- by category and SKU, final-sale categories) and the restocking fee schedule
-- (storage/order_store.h ReturnWindow; app/returns/quote_return.h ReturnRulesOf, FeeScheduleOf),
-- and the bonus credit rule (BonusRuleOf).
-- The order row is share-locked so its currency cannot change under the return being created
-- (UpsertOrder takes it FOR NO KEY UPDATE before checking for returns).
SELECT epoch_us(o.delivered_time) AS delivered_time_us, p.return_window_days,
       array_to_json(p.final_sale_skus)::text AS final_sale_skus,
       o.currency_code, epoch_us(now()) AS now_us,
       p.auto_approve_max_minor, p.default_carrier, p.restocking_fee_minor,
       p.return_shipping_fee_minor, p.version AS policy_version, p.risk_review_threshold_milli,
       p.risk_instant_exchange_max_milli, p.category_return_window_days::text,
       p.sku_return_window_days::text,
       array_to_json(p.final_sale_categories)::text AS final_sale_categories,
       p.restocking_fee_basis_points, p.store_credit_restocking_fee_minor,
       p.store_credit_restocking_fee_basis_points, o.shipping_paid_minor,
       p.shipping_refund_reasons::text, p.refund_tender_order::text, p.gift_refund_to_buyer,
       o.shipping_address ->> 'postal_code' AS shipping_postal_code, o.gift_code_sha256,
       p.store_credit_bonus_minor, p.store_credit_bonus_basis_points, p.exchange_bonus_minor,
       p.exchange_bonus_basis_points, p.bonus_cap_per_return_minor,
       array_to_json(p.bonus_excluded_categories)::text AS bonus_excluded_categories,
       p.bonus_waives_fees
  FROM orders o
  JOIN policies p ON p.merchant_id = o.merchant_id
 WHERE o.merchant_id = $1::uuid AND o.order_id = $2
   FOR SHARE OF o;
