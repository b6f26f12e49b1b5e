-- $1 merchant_id, $2 order_id. The order's currency and whether any return (of any state) was
-- ever opened against it, the order row locked for the sync: a currency change is refused once
-- money was promised in the old one. No row: a new order.
SELECT o.currency_code,
       EXISTS (SELECT 1 FROM returns r WHERE r.merchant_id = o.merchant_id AND r.order_id = o.order_id)
           AS has_returns
  FROM orders o
 WHERE o.merchant_id = $1::uuid AND o.order_id = $2
   FOR NO KEY UPDATE;
