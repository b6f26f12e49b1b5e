-- $1 merchant_id, $2 return_id. The return's lines whose replacement already went out through a
-- redeemed exchange token (whatever the token's state now).
SELECT DISTINCT order_line_id
  FROM exchange_tokens
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid AND outbound_shipment_id IS NOT NULL;
