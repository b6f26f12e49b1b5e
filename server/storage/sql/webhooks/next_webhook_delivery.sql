-- $1 merchant_id, $2 endpoint_id. The endpoint's oldest pending delivery with its feed event;
-- no row when none is pending.
SELECT w.delivery_id::text, w.event_id::text, w.sequence, w.attempts, o.aggregatetype,
       o.aggregateid, o.type, o.order_id, o.payload::text,
       epoch_us(o.create_time) AS create_time_us
  FROM webhook_deliveries w
  JOIN outbox_events o ON o.merchant_id = w.merchant_id AND o.sequence = w.sequence
 WHERE w.merchant_id = $1::uuid AND w.endpoint_id = $2::uuid AND w.state = 'PENDING'
 ORDER BY w.queue_position
 LIMIT 1;
