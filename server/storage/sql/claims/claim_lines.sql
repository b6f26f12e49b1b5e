-- $1 merchant_id, $2 claim_id. The claimed lines: what a reship sends or a refund pays.
SELECT order_line_id, sku, quantity, unit_price_minor,
       coalesce(paid_minor, unit_price_minor * quantity) AS paid_minor
  FROM claim_lines
 WHERE merchant_id = $1::uuid AND claim_id = $2::uuid
 ORDER BY position;
