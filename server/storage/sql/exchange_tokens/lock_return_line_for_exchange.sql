-- $1 merchant_id, $2 return_id, $3 order_line_id. The return, its line with the price and the
-- exchange quote snapshotted at CreateReturn, and the policy, with the return locked: what
-- IssueExchangeToken decides on.
SELECT r.state AS return_state, r.order_id, rl.quantity, rl.resolution, rl.replacement_sku,
       r.currency_code, rl.unit_price_minor,
       p.instant_exchange_enabled, p.instant_exchange_max_item_minor, p.exchange_token_ttl_days,
       p.charge_window_days, p.require_collateral, rl.replacement_unit_minor, rl.upsell_minor,
       rl.downsell_minor, p.transit_window_days, p.risk_instant_exchange_max_milli,
       coalesce((r.risk->>'score_milli')::integer, 0) AS risk_score_milli
  FROM returns r
  JOIN return_lines rl ON rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id
                      AND rl.order_line_id = $3
  JOIN policies p ON p.merchant_id = r.merchant_id
 WHERE r.merchant_id = $1::uuid AND r.return_id = $2::uuid
   FOR UPDATE OF r;
