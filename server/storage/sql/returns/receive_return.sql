-- $1 merchant_id, $2 return_id, $3 items (JSON array of {order_line_id, condition}).
-- Records each line's condition and marks the return RECEIVED (the caller holds its lock).
WITH items AS (
    SELECT * FROM jsonb_to_recordset($3::jsonb) AS i(order_line_id text, condition text)
), lines AS (
    UPDATE return_lines rl
       SET condition = items.condition
      FROM items
     WHERE rl.merchant_id = $1::uuid AND rl.return_id = $2::uuid
       AND rl.order_line_id = items.order_line_id
 RETURNING rl.order_line_id
)
UPDATE returns
   SET state = 'RECEIVED', receive_time = now(), version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid
RETURNING (SELECT count(*) FROM lines) AS lines_received;
