-- $1 merchant_id, $2 order_id. Whether a live return's plan refunds the order's shipping already.
-- CreateReturn reads it after the order lines' locks (every creator of a return of the order
-- takes them first), so two returns cannot both take it.
SELECT EXISTS (SELECT 1 FROM order_shipping_refunds
                WHERE merchant_id = $1::uuid AND order_id = $2) AS taken;
