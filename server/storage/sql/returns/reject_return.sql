-- $1 merchant_id, $2 return_id, $3 reason. Rejects the return and gives its quantities back to
-- the order lines (the caller holds the return's and the order lines' locks).
WITH freed AS (
    UPDATE order_lines ol
       SET returned_quantity = ol.returned_quantity - rl.quantity
      FROM return_lines rl
     WHERE rl.merchant_id = $1::uuid AND rl.return_id = $2::uuid
       AND ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id
       AND ol.line_id = rl.order_line_id
)
UPDATE returns
   SET state = 'REJECTED', cancel_reason = $3, version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid;
