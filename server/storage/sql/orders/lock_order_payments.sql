-- $1 merchant_id, $2 order_id. The order's tenders in payment order with what each may still
-- refund, locked: a refund is split over them and adds to refunded_minor in one transaction.
SELECT payment_id, kind, reference, amount_minor, refunded_minor,
       greatest(amount_minor - refunded_minor, 0) AS refundable_minor
  FROM order_payments
 WHERE merchant_id = $1::uuid AND order_id = $2
 ORDER BY position
   FOR UPDATE;
