-- $1 merchant_id, $2 return_id, $3 reason. Cancels the return and gives its quantities back to
-- the order lines (the caller holds the return's and the order lines' locks).
WITH cancelled AS (
    UPDATE returns
       SET state = 'CANCELLED', cancel_reason = $3, version = version + 1, update_time = now()
     WHERE merchant_id = $1::uuid AND return_id = $2::uuid
 RETURNING return_id
), released AS (
    UPDATE order_lines ol
       SET returned_quantity = ol.returned_quantity - rl.quantity
      FROM return_lines rl
     WHERE rl.merchant_id = $1::uuid AND rl.return_id = $2::uuid
       AND ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id
       AND ol.line_id = rl.order_line_id
 RETURNING ol.line_id
)
SELECT (SELECT count(*) FROM cancelled) AS returns_cancelled,
       (SELECT count(*) FROM released) AS lines_released;
