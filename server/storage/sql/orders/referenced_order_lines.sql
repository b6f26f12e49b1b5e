-- $1 merchant_id, $2 order_id. The order's lines that any return, claim or parcel references. Run
-- after the lines are locked, in a statement of its own, so it sees rows committed while waiting
-- for the lock.
SELECT order_line_id FROM return_lines WHERE merchant_id = $1::uuid AND order_id = $2
 UNION
SELECT cl.order_line_id FROM claim_lines cl
  JOIN claims c ON c.merchant_id = cl.merchant_id AND c.claim_id = cl.claim_id
 WHERE c.merchant_id = $1::uuid AND c.order_id = $2
 UNION
SELECT order_line_id FROM shipment_lines WHERE merchant_id = $1::uuid AND order_id = $2;
