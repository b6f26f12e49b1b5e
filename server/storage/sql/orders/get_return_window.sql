-- $1 merchant_id, $2 order_id. What the return rules need to know about the order and policy.
SELECT epoch_us(o.delivered_time), p.return_window_days, array_to_json(p.final_sale_skus)::text
  FROM orders o
  JOIN policies p ON p.merchant_id = o.merchant_id
 WHERE o.merchant_id = $1::uuid AND o.order_id = $2;
