-- $1 merchant_id, $2 return_id. Each line with its price and what was asked, in position order.
SELECT rl.order_line_id, rl.resolution, ol.unit_price_minor, rl.quantity, rl.condition,
       rl.replacement_sku, o.currency_code
  FROM return_lines rl
  JOIN order_lines ol ON ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id
                     AND ol.line_id = rl.order_line_id
  JOIN orders o ON o.merchant_id = rl.merchant_id AND o.order_id = rl.order_id
 WHERE rl.merchant_id = $1::uuid AND rl.return_id = $2::uuid
 ORDER BY rl.position;
