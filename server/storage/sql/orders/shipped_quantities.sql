-- $1 merchant_id, $2 order_id. Units of each line in the order's own parcels so far.
SELECT order_line_id, sum(quantity)::integer AS shipped_quantity
  FROM shipment_lines
 WHERE merchant_id = $1::uuid AND order_id = $2
 GROUP BY order_line_id;
