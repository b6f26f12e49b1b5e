-- $1 merchant_id, $2 order_id, $3 payments (JSON array of {payment_id, position, kind,
-- amount_minor, reference}). Makes the order's tenders exactly $3, keeping what was refunded to
-- a tender that stays.
WITH incoming AS (
    SELECT * FROM jsonb_to_recordset($3::jsonb) AS p(
        payment_id text, position integer, kind text, amount_minor bigint, reference text)
), removed AS (
    DELETE FROM order_payments op
     WHERE op.merchant_id = $1::uuid AND op.order_id = $2
       AND op.payment_id NOT IN (SELECT payment_id FROM incoming)
)
INSERT INTO order_payments (merchant_id, order_id, payment_id, position, kind, amount_minor,
                            reference)
SELECT $1::uuid, $2, payment_id, position, kind, amount_minor, reference
  FROM incoming
ON CONFLICT (merchant_id, order_id, payment_id) DO UPDATE
   SET position     = EXCLUDED.position,
       kind         = EXCLUDED.kind,
       amount_minor = EXCLUDED.amount_minor,
       reference    = EXCLUDED.reference;
