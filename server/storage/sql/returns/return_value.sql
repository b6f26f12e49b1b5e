-- $1 merchant_id, $2 return_id. The return's worth: price x quantity over its lines.
SELECT coalesce(sum(ol.unit_price_minor * rl.quantity), 0)::bigint
  FROM return_lines rl
  JOIN order_lines ol ON ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id
                     AND ol.line_id = rl.order_line_id
 WHERE rl.merchant_id = $1::uuid AND rl.return_id = $2::uuid;
