-- $1 merchant_id, $2 order_id. The order's lines that any return references. Run after the lines
-- are locked, in a statement of its own, so it sees returns committed while waiting for the lock.
SELECT DISTINCT order_line_id FROM return_lines
 WHERE merchant_id = $1::uuid AND order_id = $2;
