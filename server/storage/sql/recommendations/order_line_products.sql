-- $1 merchant_id, $2 order_id. The order's lines that name a product, with the size bought (the
-- variant attribute "size", any case), for when the catalogue lacks the SKU itself.
SELECT ol.line_id, ol.sku, ol.product_id,
       coalesce((SELECT a.value FROM jsonb_each_text(ol.variant_attributes) a
                  WHERE lower(a.key) = 'size' LIMIT 1), '') AS size
  FROM order_lines ol
 WHERE ol.merchant_id = $1::uuid AND ol.order_id = $2 AND ol.product_id <> '';
