-- $1 merchant_id, $2 order_id. Every line of the order as lock_order_lines.sql reads it, without
-- the locks (PreviewReturn changes nothing).
SELECT ol.line_id, ol.sku, ol.quantity, ol.returned_quantity, ol.unit_price_minor,
       ol.claimed_quantity, ol.category
  FROM order_lines ol
 WHERE ol.merchant_id = $1::uuid AND ol.order_id = $2
 ORDER BY ol.line_id;
