-- $1 merchant_id, $2 order_id, $3 after event_id (0 for the first page), $4 limit.
SELECT event_id, order_id, resource_type, resource_id, event_type, state, summary, request_id,
       epoch_us(create_time) AS create_time_us
  FROM timeline_events
 WHERE merchant_id = $1::uuid AND order_id = $2 AND event_id > $3
 ORDER BY event_id
 LIMIT $4;
