-- $1 merchant_id, $2 return_id (just inserted). What the risk score reads (domain/risk_score.h),
-- by the database's clock: over the customer's newest 100 orders of the last 365 days and this
-- order (without a customer id: this order alone), the units bought and those in other returns
-- (order_lines.returned_quantity, less this return's); the customer's claims of the year, counted
-- up to 6 (the model caps them at 5); the days since delivery; the order's value and units; this
-- return's units. Bounded, and index lookups only: it runs in every CreateReturn.
WITH ret AS (
    SELECT r.order_id, o.customer_id, o.delivered_time,
           (SELECT coalesce(sum(rl.quantity), 0) FROM return_lines rl
             WHERE rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id) AS units
      FROM returns r JOIN orders o ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id
     WHERE r.merchant_id = $1::uuid AND r.return_id = $2::uuid
), history AS (
    (SELECT o.order_id FROM orders o, ret
      WHERE o.merchant_id = $1::uuid AND ret.customer_id <> '' AND o.customer_id = ret.customer_id
        AND o.create_time > now() - interval '365 days'
      ORDER BY o.create_time DESC
      LIMIT 100)
    UNION
    SELECT order_id FROM ret
), bought AS (
    SELECT coalesce(sum(ol.quantity), 0) AS units, coalesce(sum(ol.returned_quantity), 0) AS returned
      FROM order_lines ol
     WHERE ol.merchant_id = $1::uuid AND ol.order_id = ANY(ARRAY(SELECT order_id FROM history))
), this_order AS (
    SELECT coalesce(sum(ol.quantity), 0) AS units, coalesce(sum(ol.quantity * ol.unit_price_minor), 0) AS value
      FROM order_lines ol, ret
     WHERE ol.merchant_id = $1::uuid AND ol.order_id = ret.order_id
)
SELECT bought.units::bigint AS units_bought,
       greatest(bought.returned - ret.units, 0)::bigint AS units_returned_elsewhere,
       (SELECT count(*) FROM (SELECT 1 FROM claims c
         WHERE c.merchant_id = $1::uuid AND ret.customer_id <> '' AND c.customer_id = ret.customer_id
           AND c.create_time > now() - interval '365 days' LIMIT 6) AS recent)::integer
           AS recent_claims,
       coalesce(extract(epoch FROM now() - ret.delivered_time) / 86400, 0)::float8
           AS days_since_delivery,
       this_order.value::bigint AS order_value_minor,
       this_order.units::bigint AS order_units,
       ret.units::bigint AS return_units
  FROM ret, bought, this_order;
