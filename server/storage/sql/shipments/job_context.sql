-- $1 merchant_id, $2 shipment_id. What a job needs to call out about a shipment.
SELECT s.state, s.carrier, s.tracking_number, s.order_id,
       coalesce(s.return_id::text, '') AS return_id, s.sku, s.quantity, o.shipping_address::text
  FROM shipments s
  JOIN orders o ON o.merchant_id = s.merchant_id AND o.order_id = s.order_id
 WHERE s.merchant_id = $1::uuid AND s.shipment_id = $2::uuid;
