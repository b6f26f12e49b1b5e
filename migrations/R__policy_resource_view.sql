-- Repeatable (migrations/README.md, "Repeatable migrations"): the policy as the service reads
-- it, its columns named once here for every statement that reads the whole policy
-- (policies/get_policy.sql, policies/lock_policy.sql; read by name in storage/policy_store.cc).
-- A new policy column is added by a V file to the table and appended here at the end (CREATE OR
-- REPLACE VIEW may only append columns).
CREATE OR REPLACE VIEW policy_resources AS
SELECT merchant_id,
       return_window_days, restocking_fee_minor, return_shipping_fee_minor, instant_exchange_enabled,
       instant_exchange_max_item_minor, exchange_token_ttl_days, charge_window_days,
       require_collateral, claim_auto_approve_max_minor,
       array_to_json(final_sale_skus)::text AS final_sale_skus,
       epoch_us(update_time) AS update_time_us, version, transit_window_days, claim_lost_grace_days,
       claim_window_days, claim_stolen_window_days, claim_damage_window_days,
       claim_max_customer_claims, claim_photo_required, claim_min_damage_confidence_milli,
       claim_resolution_preference, auto_approve_max_minor, default_carrier, currency_code,
       risk_review_threshold_milli, risk_instant_exchange_max_milli,
       category_return_window_days::text, sku_return_window_days::text,
       array_to_json(final_sale_categories)::text AS final_sale_categories,
       restocking_fee_basis_points,
       store_credit_restocking_fee_minor, store_credit_restocking_fee_basis_points,
       return_label_cost_minor, handling_cost_minor,
       shipping_refund_reasons::text, refund_tender_order::text, gift_refund_to_buyer,
       store_credit_bonus_minor, store_credit_bonus_basis_points, exchange_bonus_minor,
       exchange_bonus_basis_points, bonus_cap_per_return_minor,
       array_to_json(bonus_excluded_categories)::text AS bonus_excluded_categories,
       bonus_waives_fees
  FROM policies;
