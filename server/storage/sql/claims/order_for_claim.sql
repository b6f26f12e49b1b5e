-- $1 merchant_id, $2 order_id. What a claim snapshots of its order: customer, currency and the
-- order's value (sum of price x quantity).
SELECT o.customer_id, o.currency_code,
       (SELECT coalesce(sum(ol.unit_price_minor * ol.quantity), 0)::bigint
          FROM order_lines ol
         WHERE ol.merchant_id = o.merchant_id AND ol.order_id = o.order_id) AS order_value_minor
  FROM orders o
 WHERE o.merchant_id = $1::uuid AND o.order_id = $2;
