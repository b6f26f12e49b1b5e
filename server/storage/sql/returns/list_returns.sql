-- $1 merchant_id, $2 order_id filter ('' for all), $3 state filter ('' for all),
-- $4 after create_time (µs), $5 after return_id, $6 limit. Oldest first.
SELECT return_id::text, order_id, state, cancel_reason, create_time_us, update_time_us, version,
       lines::text, currency_code, refund_minor, store_credit_minor, fees_minor, resolve_time_us,
       upsell_minor, downsell_minor,
       (SELECT r.policy_version FROM returns r
         WHERE r.merchant_id = return_resources.merchant_id AND r.return_id = return_resources.return_id),
       (SELECT r.plan_restocking_fee_minor FROM returns r
         WHERE r.merchant_id = return_resources.merchant_id AND r.return_id = return_resources.return_id),
       (SELECT r.plan_return_shipping_fee_minor FROM returns r
         WHERE r.merchant_id = return_resources.merchant_id AND r.return_id = return_resources.return_id),
       (SELECT r.risk::text FROM returns r
         WHERE r.merchant_id = return_resources.merchant_id AND r.return_id = return_resources.return_id)
  FROM return_resources
 WHERE merchant_id = $1::uuid
   AND ($2 = '' OR order_id = $2)
   AND ($3 = '' OR state = $3)
   AND (create_time, return_id) > (from_epoch_us($4::bigint), $5::uuid)
 ORDER BY create_time, return_id
 LIMIT $6;
