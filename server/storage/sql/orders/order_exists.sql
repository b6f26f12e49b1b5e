-- $1 merchant_id, $2 order_id.
SELECT 1 AS found FROM orders WHERE merchant_id = $1::uuid AND order_id = $2;
