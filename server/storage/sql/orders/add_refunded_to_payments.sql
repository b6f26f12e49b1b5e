-- $1 merchant_id, $2 order_id, $3 shares (JSON array of {payment_id, amount_minor}), $4 sign (1
-- when a refund is requested, -1 when it is cancelled). The caller holds the tenders' locks
-- (lock_order_payments.sql) and split within their refundable amounts.
UPDATE order_payments op
   SET refunded_minor = op.refunded_minor + $4::integer * s.amount_minor
  FROM jsonb_to_recordset($3::jsonb) AS s(payment_id text, amount_minor bigint)
 WHERE op.merchant_id = $1::uuid AND op.order_id = $2 AND op.payment_id = s.payment_id;
