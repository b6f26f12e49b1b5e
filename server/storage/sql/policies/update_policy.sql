-- $1 merchant_id, then every field in the order of get_policy.sql: $2 return_window_days,
-- $3 restocking_fee_minor, $4 return_shipping_fee_minor, $5 instant_exchange_enabled,
-- $6 instant_exchange_max_item_minor, $7 exchange_token_ttl_days, $8 charge_window_days,
-- $9 require_collateral, $10 claim_auto_approve_max_minor, $11 final_sale_skus (JSON array),
-- $12 transit_window_days, $13 claim_lost_grace_days, $14 claim_window_days,
-- $15 claim_stolen_window_days, $16 claim_damage_window_days, $17 claim_max_customer_claims,
-- $18 claim_photo_required, $19 claim_min_damage_confidence_milli,
-- $20 claim_resolution_preference, $21 auto_approve_max_minor, $22 default_carrier,
-- $23 currency_code, $24 risk_review_threshold_milli, $25 risk_instant_exchange_max_milli,
-- $26 category_return_window_days (JSON object), $27 sku_return_window_days (JSON object),
-- $28 final_sale_categories (JSON array), $29 restocking_fee_basis_points,
-- $30 store_credit_restocking_fee_minor, $31 store_credit_restocking_fee_basis_points,
-- $32 return_label_cost_minor, $33 handling_cost_minor.
-- The next version; returns its number.
UPDATE policies
   SET return_window_days = $2, restocking_fee_minor = $3, return_shipping_fee_minor = $4,
       instant_exchange_enabled = $5, instant_exchange_max_item_minor = $6,
       exchange_token_ttl_days = $7, charge_window_days = $8, require_collateral = $9,
       claim_auto_approve_max_minor = $10,
       final_sale_skus = ARRAY(SELECT jsonb_array_elements_text($11::jsonb)),
       transit_window_days = $12, claim_lost_grace_days = $13, claim_window_days = $14,
       claim_stolen_window_days = $15, claim_damage_window_days = $16,
       claim_max_customer_claims = $17, claim_photo_required = $18,
       claim_min_damage_confidence_milli = $19, claim_resolution_preference = $20,
       auto_approve_max_minor = $21, default_carrier = $22, currency_code = $23,
       risk_review_threshold_milli = $24, risk_instant_exchange_max_milli = $25,
       category_return_window_days = $26::jsonb, sku_return_window_days = $27::jsonb,
       final_sale_categories = ARRAY(SELECT jsonb_array_elements_text($28::jsonb)),
       restocking_fee_basis_points = $29, store_credit_restocking_fee_minor = $30,
       store_credit_restocking_fee_basis_points = $31, return_label_cost_minor = $32,
       handling_cost_minor = $33,
       version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid
RETURNING version;
