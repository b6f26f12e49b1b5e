-- $1 merchant_id, $2 order_id. The order's tenders as lock_order_payments.sql reads them,
-- without the locks (quotes change nothing).
SELECT payment_id, kind, reference, amount_minor, refunded_minor,
       greatest(amount_minor - refunded_minor, 0) AS refundable_minor
  FROM order_payments
 WHERE merchant_id = $1::uuid AND order_id = $2
 ORDER BY position;
