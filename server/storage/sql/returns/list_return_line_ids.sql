-- $1 merchant_id, $2 return_id. The order lines the return sends back.
SELECT order_line_id FROM return_lines
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid
 ORDER BY position;
