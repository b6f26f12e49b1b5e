-- $1 merchant_id, $2 order_id. Locks every line of the order in a fixed order (so concurrent
-- writers never deadlock) and says which lines any return references.
SELECT ol.line_id, ol.sku, ol.quantity, ol.returned_quantity,
       EXISTS (SELECT 1 FROM return_lines rl
                WHERE rl.merchant_id = ol.merchant_id AND rl.order_id = ol.order_id
                  AND rl.order_line_id = ol.line_id) AS referenced
  FROM order_lines ol
 WHERE ol.merchant_id = $1::uuid AND ol.order_id = $2
 ORDER BY ol.line_id
   FOR UPDATE OF ol;
