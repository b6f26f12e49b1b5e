-- $1 merchant_id, $2 return_id, $3 lines (JSON array of {order_line_id, refund_minor,
-- store_credit_minor, withheld}), $4 refund total, $5 store credit total, $6 fees,
-- $7 upsell requested, $8 downsell credit requested (exchange lines accepted), $9 the bonus credit
-- given in the store credit, $10 the bonus taken off the exchanges' upsell.
-- Records what the return paid out and marks it RESOLVED (the caller holds its lock).
WITH items AS (
    SELECT * FROM jsonb_to_recordset($3::jsonb)
        AS i(order_line_id text, refund_minor bigint, store_credit_minor bigint, withheld boolean)
), lines AS (
    UPDATE return_lines rl
       SET refund_minor = items.refund_minor, store_credit_minor = items.store_credit_minor,
           withheld = items.withheld
      FROM items
     WHERE rl.merchant_id = $1::uuid AND rl.return_id = $2::uuid
       AND rl.order_line_id = items.order_line_id
 RETURNING 1
)
UPDATE returns
   SET state = 'RESOLVED', refund_minor = $4, store_credit_minor = $5, fees_minor = $6,
       upsell_minor = $7, downsell_minor = $8, bonus_credit_minor = $9,
       exchange_bonus_minor = $10,
       resolve_time = now(), version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid
RETURNING (SELECT count(*) FROM lines) AS lines_resolved;
