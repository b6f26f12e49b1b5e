-- $1 merchant_id, $2 order_id. The order's own parcels (purpose ORDER), oldest first, with their
-- tracking and contents (JSON object order_line_id -> quantity).
SELECT s.shipment_id::text, s.state, epoch_us(s.promise_time) AS promise_time_us,
       epoch_us(s.delivered_time) AS delivered_time_us,
       (SELECT coalesce(jsonb_object_agg(sl.order_line_id, sl.quantity), '{}')::text
          FROM shipment_lines sl
         WHERE sl.merchant_id = s.merchant_id AND sl.shipment_id = s.shipment_id) AS contents
  FROM shipments s
 WHERE s.merchant_id = $1::uuid AND s.order_id = $2 AND s.purpose = 'ORDER'
 ORDER BY s.create_time, s.shipment_id;
