-- $1 merchant_id, $2 product ids (a JSON array). The catalogue's variants of those products, with
-- whether each has stock a token or shipment could take now.
SELECT product_id, sku, size, size_rank, on_hand - reserved > 0 AS in_stock
  FROM inventory_levels
 WHERE merchant_id = $1::uuid AND product_id IN (SELECT jsonb_array_elements_text($2::jsonb)) AND product_id <> ''
 ORDER BY product_id, sku;
