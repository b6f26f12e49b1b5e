-- $1 merchant_id, $2 order_id. Locks every line of the order in a fixed order (so concurrent
-- writers never deadlock), with the price a new return snapshots.
SELECT ol.line_id, ol.sku, ol.quantity, ol.returned_quantity, ol.unit_price_minor,
       ol.claimed_quantity, ol.category,
       coalesce(ol.paid_minor, ol.unit_price_minor * ol.quantity) AS paid_minor, ol.tax_minor,
       ol.taken_paid_minor, ol.taken_tax_minor
  FROM order_lines ol
 WHERE ol.merchant_id = $1::uuid AND ol.order_id = $2
 ORDER BY ol.line_id
   FOR UPDATE;
