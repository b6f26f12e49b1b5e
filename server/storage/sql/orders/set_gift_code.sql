-- $1 merchant_id, $2 order_id, $3 the gift code's SHA-256 (hex). The code itself is never stored.
UPDATE orders SET gift_code_sha256 = $3 WHERE merchant_id = $1::uuid AND order_id = $2;
