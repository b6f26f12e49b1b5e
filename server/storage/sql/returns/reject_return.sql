-- $1 merchant_id, $2 return_id, $3 reason. Rejects the return and gives its quantities back to
-- the order lines with what they took of the lines' paid amounts, and the order's shipping
-- refund when this return had it (the caller holds the return's and the order lines' locks).
WITH freed AS (
    UPDATE order_lines ol
       SET returned_quantity = ol.returned_quantity - rl.quantity,
           taken_paid_minor = greatest(ol.taken_paid_minor - coalesce(rl.paid_minor, 0), 0),
           taken_tax_minor = greatest(ol.taken_tax_minor - coalesce(rl.tax_minor, 0), 0)
      FROM return_lines rl
     WHERE rl.merchant_id = $1::uuid AND rl.return_id = $2::uuid
       AND ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id
       AND ol.line_id = rl.order_line_id
), shipping AS (
    DELETE FROM order_shipping_refunds
     WHERE merchant_id = $1::uuid AND return_id = $2::uuid
)
UPDATE returns
   SET state = 'REJECTED', cancel_reason = $3, version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid;
