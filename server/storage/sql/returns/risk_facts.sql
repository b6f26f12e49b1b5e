-- $1 merchant_id, $2 return_id. What the risk score reads (domain/risk_score.h), by the
-- database's clock: the customer's units bought and returned (other returns, not cancelled or
-- rejected) over the orders of the last 365 days, their claims, the days since delivery, the
-- order's value and units, and this return's units. No customer id: no history.
WITH ret AS (
    SELECT r.order_id, o.customer_id, o.delivered_time
      FROM returns r JOIN orders o ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id
     WHERE r.merchant_id = $1::uuid AND r.return_id = $2::uuid
), history AS (
    SELECT o.order_id FROM orders o, ret
     WHERE o.merchant_id = $1::uuid AND ret.customer_id <> '' AND o.customer_id = ret.customer_id
       AND o.create_time > now() - interval '365 days'
)
SELECT (SELECT coalesce(sum(ol.quantity), 0) FROM order_lines ol
         WHERE ol.merchant_id = $1::uuid AND ol.order_id IN (SELECT order_id FROM history))::bigint,
       (SELECT coalesce(sum(rl.quantity), 0) FROM return_lines rl
          JOIN returns r2 ON r2.merchant_id = rl.merchant_id AND r2.return_id = rl.return_id
         WHERE rl.merchant_id = $1::uuid AND r2.order_id IN (SELECT order_id FROM history)
           AND r2.state NOT IN ('CANCELLED', 'REJECTED') AND r2.return_id <> $2::uuid)::bigint,
       (SELECT count(*) FROM claims c
         WHERE c.merchant_id = $1::uuid AND ret.customer_id <> '' AND c.customer_id = ret.customer_id
           AND c.create_time > now() - interval '365 days')::integer,
       coalesce(extract(epoch FROM now() - ret.delivered_time) / 86400, 0)::float8,
       (SELECT coalesce(sum(ol.quantity * ol.unit_price_minor), 0) FROM order_lines ol
         WHERE ol.merchant_id = $1::uuid AND ol.order_id = ret.order_id)::bigint,
       (SELECT coalesce(sum(ol.quantity), 0) FROM order_lines ol
         WHERE ol.merchant_id = $1::uuid AND ol.order_id = ret.order_id)::bigint,
       (SELECT coalesce(sum(rl.quantity), 0) FROM return_lines rl
         WHERE rl.merchant_id = $1::uuid AND rl.return_id = $2::uuid)::bigint
  FROM ret;
